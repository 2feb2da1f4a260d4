// Two devices (A and B, in-memory workspaces) in one wasm module, whose sync jobs are driven
// from JS by bench/sync_http/run.mjs through serve.py, as the app's page drives its job
// (platform/web_host.cpp crm_sync_answered, web/crm.js syncCall). Only the remote calls
// cross to JS; everything else (sealing, applying) is the app's own sync code.
//
// C functions (device 0 = A, 1 = B):
//   bench_open()                    both workspaces and a new team; 0 on success
//   bench_make_changes(n)           n user edits on A (see make_changes); 0 on success
//   bench_start(device, kind)       kind 0 start the team, 1 join it (B, by invite code), 2 sync
//   bench_call(device)              the pending call as JSON {op, name, etag, size}, or "" when done
//   bench_call_bytes(device)        its bytes (put_new, put_if_match)
//   bench_answer(device, json, data, size)   as crm_sync_answered; takes ownership of data
//   bench_outcome(device)           the finished job's SyncOutcome as JSON
//   bench_state(device)             record counts and a hash of every domain table
#include <emscripten.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <random>
#include <sstream>

#include "../bench_util.h"
#include "core/customers.h"
#include "core/schema.h"
#include "sync/session.h"
#include "sync/team.h"

using namespace crm;
using nlohmann::json;

namespace {

struct Device {
    std::unique_ptr<Workspace> ws;
    std::optional<sync::Job<sync::SyncOutcome>> job;
    std::optional<sync::SyncOutcome> outcome;
};

Device devices[2];
sync::Team team;
std::string out;  // the last string handed to JS (valid until the next call)

const char* give(std::string s) {
    out = std::move(s);
    return out.c_str();
}

Device* device(int i) { return i == 0 || i == 1 ? &devices[i] : nullptr; }

void report(const char* what, const Error& e) {
    std::fprintf(stderr, "bench_sync_http: %s: %s %s %s\n", what, e.code.c_str(), e.field.c_str(), e.detail.c_str());
}

// Every domain table's rows in id order, every column except updated_at (each device keeps
// it as the time of the newest change it saw), as tests/sync/sync_fixture.h compares them.
Result<std::string> domain_dump(Workspace& ws) {
    std::ostringstream dump;
    for (const TableMeta& t : tables()) {
        std::string cols = "id, deleted";
        for (const FieldMeta& f : t.fields)
            if (f.name != "updated_at") cols += ", " + f.name;
        auto rows = query_rows(ws.db(), "SELECT " + cols + " FROM " + t.name + " ORDER BY id");
        if (!rows) return rows.error();
        for (const Row& r : *rows) {
            dump << t.name;
            for (const auto& [col, v] : r) dump << '\x1f' << col << '=' << (v ? *v : "\x01NULL");
            dump << '\n';
        }
    }
    return dump.str();
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int bench_open() {
    const char* ids[] = {"00000000000000a0", "00000000000000b0"};
    const char* users[] = {"设备A", "设备B"};
    for (int i = 0; i < 2; ++i) {
        auto ws = Workspace::open_memory({ids[i], "", users[i]}, std::make_shared<SystemClock>());
        if (!ws) return report("open", ws.error()), 1;
        devices[i] = {std::make_unique<Workspace>(std::move(*ws)), std::nullopt, std::nullopt};
    }
    team = sync::new_team();
    return 0;
}

// A day of a sales team's work on A, n changes in all, each saved on its own as the
// screens save them: n/5 new customers, each entered with its contacts (one form, one
// save: create_customer), then field edits (notes, needs, city, address) on random
// ones among them (update_customer). Data from the demo generator (realistic Chinese
// names, phones, addresses, and the contacts it gives each customer).
EMSCRIPTEN_KEEPALIVE int bench_make_changes(int n) {
    Workspace& ws = *devices[0].ws;
    const size_t creates = static_cast<size_t>(n) / 5, updates = static_cast<size_t>(n) - creates;
    const DemoSet set = make_demo_set(11, creates, 0, "2024-06-28");
    std::vector<std::vector<std::vector<FieldValue>>> contacts(creates);
    for (const DemoRecord& c : set.contacts) {
        std::vector<FieldValue> fields;
        for (const auto& [k, v] : c.fields)
            if (k != "customer_ref") fields.push_back({k, v});
        contacts[std::stoul(c.get("customer_ref"))].push_back(std::move(fields));
    }
    std::vector<std::string> ids;
    size_t contact_count = 0;
    for (size_t i = 0; i < creates; ++i) {
        std::vector<FieldValue> fields;
        for (const auto& [k, v] : set.customers[i].fields) fields.push_back({k, v});
        auto id = create_customer(ws, fields, contacts[i]);
        if (!id) return report("create customer", id.error()), 1;
        ids.push_back(*id);
        contact_count += contacts[i].size();
    }
    std::mt19937_64 rng(5);
    const char* kinds[] = {"notes", "needs", "city", "address"};
    for (size_t i = 0; i < updates; ++i) {
        const char* field = kinds[rng() % 4];
        auto s = update_customer(ws, ids[rng() % ids.size()], {{field, "跟进记录 " + std::to_string(i)}});
        if (!s) return report("update customer", s.error()), 1;
    }
    std::fprintf(stderr, "  A: %zu customers created with %zu contacts, %zu field edits\n", creates, contact_count,
                 updates);
    return 0;
}

EMSCRIPTEN_KEEPALIVE int bench_start(int i, int kind) {
    Device* d = device(i);
    if (!d || !d->ws || (d->job && d->job->pending())) return 1;
    d->outcome.reset();
    if (kind == 0) {
        d->job.emplace(sync::start_team_job(*d->ws, team));
    } else if (kind == 1) {
        auto invited = sync::parse_invite(sync::invite_code(team));  // what B's user types in
        if (!invited) return report("invite", invited.error()), 1;
        d->job.emplace(sync::join_team_job(*d->ws, *invited));
    } else {
        d->job.emplace(sync::sync_job(*d->ws));
    }
    if (!d->job->pending()) d->outcome = d->job->take_result();
    return 0;
}

EMSCRIPTEN_KEEPALIVE const char* bench_call(int i) {
    Device* d = device(i);
    const sync::RemoteCall* call = d && d->job ? d->job->pending() : nullptr;
    if (!call) return give("");
    return give(json{{"op", sync::op_name(call->op)},
                     {"name", call->name},
                     {"etag", call->etag},
                     {"size", call->bytes.size()}}
                    .dump());
}

EMSCRIPTEN_KEEPALIVE const uint8_t* bench_call_bytes(int i) {
    Device* d = device(i);
    const sync::RemoteCall* call = d && d->job ? d->job->pending() : nullptr;
    return call ? call->bytes.data() : nullptr;
}

// The page's answer, read as platform/web_host.cpp's crm_sync_answered reads it.
EMSCRIPTEN_KEEPALIVE void bench_answer(int i, const char* text, uint8_t* data, int size) {
    sync::RemoteAnswer a = sync::answer_from_json(text ? text : "", sync::Bytes(data, data + size));
    std::free(data);
    Device* d = device(i);
    if (!d || !d->job || !d->job->pending()) return;
    d->job->answer(std::move(a));
    if (!d->job->pending()) d->outcome = d->job->take_result();
}

EMSCRIPTEN_KEEPALIVE const char* bench_outcome(int i) {
    Device* d = device(i);
    if (!d || !d->outcome) return give("");
    const sync::SyncOutcome& o = *d->outcome;
    json j{{"ok", o.status.ok()},
           {"segments_sent", o.report.segments_sent},
           {"messages_sent", o.report.messages_sent},
           {"segments_received", o.report.segments_received},
           {"messages_applied", o.report.messages_applied},
           {"messages_stale", o.report.messages_stale},
           {"device_code", o.device_code}};
    if (!o.status) j["error"] = o.status.error().code + " " + o.status.error().detail;
    return give(j.dump());
}

EMSCRIPTEN_KEEPALIVE const char* bench_state(int i) {
    Device* d = device(i);
    if (!d || !d->ws) return give("");
    json j = json::object();
    for (const char* table : {"customers", "contacts"}) {
        auto n = d->ws->db().query_int(std::string("SELECT count(*) FROM ") + table + " WHERE deleted = 0");
        if (!n) return report("count", n.error()), give("");
        j[table] = n->value_or(-1);
    }
    auto dump = domain_dump(*d->ws);
    if (!dump) return report("dump", dump.error()), give("");
    uint8_t h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const uint8_t*>(dump->data()), dump->size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    j["hash"] = hex;
    j["dump_bytes"] = dump->size();
    return give(j.dump());
}

}  // extern "C"
