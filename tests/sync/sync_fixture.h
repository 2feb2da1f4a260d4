// Shared set-up for the sync tests: devices (an in-memory workspace each, on its own
// controllable clock), a team on a MemoryRemote, and the content hash that says whether
// two databases hold the same data.
#pragma once
#include <doctest/doctest.h>

#include <cstdio>
#include <memory>
#include <sstream>

#include "core/customers.h"
#include "core/interactions.h"
#include "core/workspace.h"
#include "sync/engine.h"
#include "sync/memory_remote.h"
#include "sync/team.h"

namespace syncfx {

inline std::string msg(const crm::Error& e) { return e.code + " " + e.field + " " + e.detail; }

struct Device {
    std::shared_ptr<crm::FixedClock> clock;
    crm::Workspace ws;
};

// Device i: id 00000000000000<i in hex, 2 digits>, user "用户<i>", code 01 until it joins.
inline std::unique_ptr<Device> make_device(int i, int64_t ms) {
    auto clock = std::make_shared<crm::FixedClock>(ms);
    char id[17];
    std::snprintf(id, sizeof id, "%016x", 0xa0 + i);
    auto ws = crm::Workspace::open_memory({id, "", "用户" + std::to_string(i)}, clock);
    REQUIRE_MESSAGE(ws.ok(), (ws.ok() ? "" : msg(ws.error())));
    return std::unique_ptr<Device>(new Device{clock, std::move(*ws)});
}

inline int64_t t0() { return *crm::parse_iso_ms("2024-03-01T09:00:00Z"); }

// n devices in one team: device 0 creates it, the others join (codes 01..n).
struct TeamFx {
    crm::sync::MemoryRemote remote;
    crm::sync::Team team = crm::sync::new_team();
    std::vector<std::unique_ptr<Device>> devices;
    explicit TeamFx(int n) {
        for (int i = 0; i < n; ++i) {
            devices.push_back(make_device(i, t0()));
            if (i == 0) {
                auto s = crm::sync::create_team(devices[0]->ws, remote, team);
                REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : msg(s.error())));
            } else {
                auto code = crm::sync::join_team(devices[i]->ws, remote, team);
                REQUIRE_MESSAGE(code.ok(), (code.ok() ? "" : msg(code.error())));
            }
        }
    }
    crm::Workspace& ws(int i) { return devices[i]->ws; }
    crm::sync::SyncReport sync(int i) {
        auto r = crm::sync::sync_once(ws(i), remote, team);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
        return *r;
    }
};

// Every domain table's rows in id order, every column except updated_at (each device
// keeps it as the time of the newest change it saw: see Workspace::apply_remote).
inline std::string domain_dump(crm::Workspace& ws) {
    std::ostringstream out;
    for (const crm::TableMeta& t : crm::tables()) {
        std::string cols = "id, deleted";
        for (const crm::FieldMeta& f : t.fields)
            if (f.name != "updated_at") cols += ", " + f.name;
        auto rows = crm::query_rows(ws.db(), "SELECT " + cols + " FROM " + t.name + " ORDER BY id");
        REQUIRE(rows.ok());
        for (const crm::Row& r : *rows) {
            out << t.name;
            for (const auto& [col, v] : r) out << '\x1f' << col << '=' << (v ? *v : "\x01NULL");
            out << '\n';
        }
    }
    return out.str();
}

inline int64_t count(crm::Workspace& ws, const std::string& sql) {
    auto v = ws.db().query_int(sql);
    REQUIRE(v.ok());
    return v->value_or(-1);
}

inline std::vector<crm::FieldValue> person(std::string name) {
    return {{"kind", "personal"}, {"name", name}, {"source", "website"}, {"status", "potential"}, {"owner", "张伟"}};
}
inline std::vector<std::vector<crm::FieldValue>> mobile(std::string m) { return {{{"mobile", m}}}; }

inline std::string make_customer(crm::Workspace& ws, std::string name, std::string m) {
    auto id = crm::create_customer(ws, person(name), mobile(m));
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : msg(id.error())));
    return *id;
}

}  // namespace syncfx
