// The sync property test: 5 devices make random concurrent edits (the same fields on the
// same records, deletes, records created on one device and edited on others) and sync in
// random order over a MemoryRemote that fails 5% of its calls in random ways. After 1,000
// rounds and two clean rounds per device: every database holds the same domain data, and
// for every field the value is that of the newest acknowledged write (no acknowledged edit
// is lost unless a later stamp overwrote it). A quarter of the rounds write a snapshot when
// anything is new since the last one; a device joining half-way and one joining at the end
// start from a snapshot and must end with the same data. Covered segments are pruned (a
// 5-minute grace period instead of 30 days), and device 4 stays offline for 40% of the run
// while it goes on editing: it comes back to segments removed under it, catches up from a
// snapshot, and loses nothing.
// Seeded: CRM_SYNC_SEED=<n> replays a run.
#include "sync_fixture.h"

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace crm;
using syncfx::count;

namespace {

// The oracle: every acknowledged write, read from the writer's change log right after the
// edit returned (a creation: the row as created), keeping the newest stamp per field.
struct Oracle {
    struct Write {
        std::string hlc;
        std::optional<std::string> value;
        int device = 0;
    };
    std::map<std::tuple<std::string, std::string, std::string>, Write> newest;
    std::map<std::tuple<std::string, std::string, std::string>, std::set<int>> writers;

    void note(const std::string& t, const std::string& id, const std::string& f, std::optional<std::string> v,
              const std::string& hlc, int device) {
        auto key = std::make_tuple(t, id, f);
        writers[key].insert(device);
        auto it = newest.find(key);
        if (it == newest.end() || it->second.hlc < hlc) newest[key] = {hlc, std::move(v), device};
    }

    // Reads the device's change log after `seq`; returns the new last seq.
    int64_t read(Workspace& ws, int device, int64_t seq) {
        auto rows = query_rows(ws.db(), "SELECT seq, hlc, tbl, record_id, field, value FROM changes WHERE seq > ? ORDER BY seq",
                               {std::to_string(seq)});
        REQUIRE(rows.ok());
        for (const Row& r : *rows) {
            const std::string t = value(r, "tbl"), id = value(r, "record_id"), f = value(r, "field"), hlc = value(r, "hlc");
            if (f == kCreatedChange) {
                auto row = ws.read_row(t, id);
                REQUIRE(row.ok());
                REQUIRE(row->has_value());
                for (const FieldMeta& m : table_meta(t)->fields)
                    if (m.name != "updated_at") note(t, id, m.name, (**row)[m.name], hlc, device);
                note(t, id, "deleted", (**row)["deleted"], hlc, device);
            } else {
                note(t, id, f, r.at("value"), hlc, device);
            }
            seq = std::stoll(value(r, "seq"));
        }
        return seq;
    }
};

std::vector<std::string> live_ids(Workspace& ws, const std::string& table) {
    auto rows = query_rows(ws.db(), "SELECT id FROM " + table + " WHERE deleted = 0 ORDER BY id");
    REQUIRE(rows.ok());
    std::vector<std::string> out;
    for (const Row& r : *rows) out.push_back(value(r, "id"));
    return out;
}

uint64_t seed_from_env() {
    const char* s = std::getenv("CRM_SYNC_SEED");
    return s ? std::strtoull(s, nullptr, 10) : 20240301;
}

std::string first_difference(const std::string& a, const std::string& b) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    size_t start = a.rfind('\n', i);
    start = start == std::string::npos ? 0 : start + 1;
    return a.substr(start, a.find('\n', i) - start) + "\n  vs\n" + b.substr(start, b.find('\n', i) - start);
}
}  // namespace

TEST_CASE("sync property: 5 devices, 1,000 random rounds, random faults: same data, no acknowledged edit lost") {
    const uint64_t seed = seed_from_env();
    INFO("seed " << seed << " (replay with CRM_SYNC_SEED=" << seed << ")");
    std::mt19937_64 rng(seed);
    constexpr int kDevices = 5, kRounds = 1000;
    syncfx::TeamFx fx(kDevices);
    fx.remote.set_random_faults(0.05, seed);
    // Clocks move together; two devices run off (5 min slow, 20 min fast) and three agree
    // to the millisecond, so equal stamps from different devices happen too.
    const int64_t skew[kDevices] = {0, 0, -5 * 60000, 20 * 60000, 0};
    int64_t now = syncfx::t0();
    Oracle oracle;
    std::vector<int64_t> seen(kDevices, 0);
    int acked = 0, refused = 0, syncs = 0, failed_syncs = 0, deletes = 0, snapshots = 0, newcomer_syncs = 0,
        from_snapshot = 0;
    const sync::SnapshotRule eager{1, 0};  // a snapshot whenever anything is new since the last
    const sync::PruneRule prune{true, 5 * 60000, 16};
    constexpr int kAway = 4, kAwayFrom = kRounds * 3 / 10, kAwayTo = kRounds * 7 / 10;
    int away_skipped = 0, caught_up = 0, pruned_under_away = 0;
    std::vector<std::unique_ptr<syncfx::Device>> newcomers;  // join later, only receive
    // (Joining is not under test here: a broken upload of the registry is not repaired by
    // anyone, so the join itself meets no faults.)
    auto join = [&](int i, double fault_rate) {
        newcomers.push_back(syncfx::make_device(i, now));
        fx.remote.set_random_faults(0, 0);
        auto code = sync::join_team(newcomers.back()->ws, fx.remote, fx.team);
        REQUIRE_MESSAGE(code.ok(), (code.ok() ? "" : syncfx::msg(code.error())));
        fx.remote.set_random_faults(fault_rate, seed + static_cast<uint64_t>(i));
    };

    auto pick = [&](const std::vector<std::string>& ids) { return ids[rng() % ids.size()]; };
    for (int round = 0; round < kRounds; ++round) {
        now += static_cast<int64_t>(rng() % 3000);
        for (int i = 0; i < kDevices; ++i) fx.devices[i]->clock->set(now + skew[i]);
        for (auto& n : newcomers) n->clock->set(now);
        if (round == kRounds / 2) join(kDevices, 0.05);
        if (round == kAwayTo) {
            // What was pruned under the device while it was away: the next segment it needs
            // of another device is gone.
            for (int j = 0; j < kDevices; ++j) {
                if (j == kAway) continue;
                const std::string id = fx.ws(j).device().device_id;
                auto cursor = fx.ws(kAway).setting("sync.cursor." + id);
                auto next = fx.ws(j).setting("sync.next_segment");
                REQUIRE((cursor.ok() && next.ok()));
                const uint64_t have = std::stoull(cursor->value_or("0")), last = std::stoull(next->value_or("1")) - 1;
                pruned_under_away += have < last && !fx.remote.peek(sync::segment_name(fx.team, id, have + 1));
            }
        }
        const int d = static_cast<int>(rng() % kDevices);
        Workspace& ws = fx.ws(d);
        const std::string tag = "d" + std::to_string(d) + "r" + std::to_string(round);
        const int op = static_cast<int>(rng() % 100);
        if (op < 30) {
            const bool snapshot = rng() % 4 == 0;
            if (d == kAway && round >= kAwayFrom && round < kAwayTo) {
                ++away_skipped;
                continue;
            }
            ++syncs;
            auto r = sync::sync_once(ws, fx.remote, fx.team, snapshot ? eager : sync::SnapshotRule{}, prune);
            failed_syncs += !r.ok();
            snapshots += r.ok() && r->snapshot.parts_written > 0;
            caught_up += d == kAway && round >= kAwayTo && r.ok() && r->snapshot.parts_read > 0;
            if (!newcomers.empty() && rng() % 3 == 0) {
                ++newcomer_syncs;
                auto n = sync::sync_once(newcomers[0]->ws, fx.remote, fx.team, sync::SnapshotRule{}, prune);
                from_snapshot += n.ok() && n->snapshot.parts_read > 0;
            }
            continue;
        }
        const auto customers = live_ids(ws, "customers");
        Status s;
        if (op < 40 || customers.empty()) {
            if (customers.size() >= 25) continue;
            auto id = create_customer(ws, syncfx::person("客户" + tag), syncfx::mobile("13" + std::to_string(100000000 + round * 10 + d)));
            s = id ? Status{} : Status{id.error()};
        } else if (op < 65) {
            static const char* fields[] = {"notes", "needs", "city", "address", "budget"};
            const std::string f = fields[rng() % 5];
            s = update_customer(ws, pick(customers), {{f, f == "budget" ? std::to_string(round * 10 + d) : tag}});
        } else if (op < 78) {
            const auto contacts = live_ids(ws, "contacts");
            if (contacts.empty()) continue;
            static const char* fields[] = {"title", "notes", "mobile"};
            const std::string f = fields[rng() % 3];
            s = update_contact(ws, pick(contacts), {{f, f == "mobile" ? "15" + std::to_string(100000000 + round * 10 + d) : tag}});
        } else if (op < 86) {
            auto id = log_interaction(ws, pick(customers), {{"method", "phone"}, {"summary", "回访 " + tag}});
            s = id ? Status{} : Status{id.error()};
        } else if (op < 90) {
            const auto interactions = live_ids(ws, "interactions");
            if (interactions.empty()) continue;
            auto r = ws.apply({Edit::Update, "interactions", pick(interactions), {{"summary", "改 " + tag}}});
            s = r ? Status{} : Status{r.error()};
        } else if (op < 97) {
            const auto contacts = live_ids(ws, "contacts");
            if (contacts.empty()) continue;
            s = delete_contact(ws, pick(contacts));  // refused when it is the customer's last way to reach them
            deletes += s.ok();
        } else {
            s = delete_customer(ws, pick(customers));
            deletes += s.ok();
        }
        if (s.ok()) {
            ++acked;
            seen[d] = oracle.read(ws, d, seen[d]);
        } else {
            ++refused;
            CHECK(count(ws, "SELECT coalesce(max(seq), 0) FROM changes") == seen[d]);  // a refused edit wrote nothing
        }
    }

    // The remote heals. In the first clean round a device may still find another's head
    // damaged by a broken upload (only its owner rewrites it, in its own round); after
    // that, two clean rounds per device must complete and bring everything everywhere.
    fx.remote.set_random_faults(0, 0);
    for (int i = 0; i < kDevices; ++i) {
        auto r = sync::sync_once(fx.ws(i), fx.remote, fx.team);
        if (!r.ok()) {
            CHECK_MESSAGE(r.error().code == "err.sync.tampered", syncfx::msg(r.error()));
            CHECK_MESSAGE(r.error().detail.find("/heads/") != std::string::npos, syncfx::msg(r.error()));
        }
    }
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < kDevices; ++i) fx.sync(i);
        auto r = sync::sync_once(newcomers[0]->ws, fx.remote, fx.team);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : syncfx::msg(r.error())));
    }
    // A device joining now starts from the last snapshot (unless a broken upload left the
    // pointer damaged: then it says so and reads the segments).
    join(kDevices + 1, 0);
    auto late = sync::sync_once(newcomers[1]->ws, fx.remote, fx.team);
    from_snapshot += late.ok() && late->snapshot.parts_read > 0;
    if (late.ok()) CHECK(late->snapshot.parts_read > 0);
    else CHECK_MESSAGE(late.error().detail.find("/sn") != std::string::npos, syncfx::msg(late.error()));
    auto late2 = sync::sync_once(newcomers[1]->ws, fx.remote, fx.team);
    REQUIRE_MESSAGE(late2.ok(), (late2.ok() ? "" : syncfx::msg(late2.error())));

    const std::string expect = syncfx::domain_dump(fx.ws(0));
    for (int i = 1; i < kDevices + 2; ++i) {
        const std::string got = syncfx::domain_dump(i < kDevices ? fx.ws(i) : newcomers[i - kDevices]->ws);
        CHECK_MESSAGE(got == expect, "device " << i << " differs from device 0:\n" << first_difference(got, expect));
    }
    int lost = 0, conflicts = 0;
    for (const auto& [key, w] : oracle.newest) {
        conflicts += oracle.writers[key].size() > 1;
        const auto& [t, id, f] = key;
        for (int i = 0; i < kDevices; ++i) {
            auto row = fx.ws(i).read_row(t, id);
            REQUIRE(row.ok());
            const std::optional<std::string> have = *row ? (**row)[f] : std::nullopt;
            if (have != w.value && ++lost <= 5)
                FAIL_CHECK("device " << i << " has " << t << "." << f << " of " << id << " = "
                                     << have.value_or("NULL") << ", the newest acknowledged write ("
                                     << w.hlc << ") was " << w.value.value_or("NULL"));
        }
    }
    CHECK(lost == 0);
    for (int i = 0; i < kDevices; ++i)
        CHECK(count(fx.ws(i), "SELECT count(*) FROM changes WHERE device <> '" + fx.ws(i).device().device_id + "'") == 0);

    // The run exercised what it claims to.
    CHECK(acked >= 400);
    CHECK(syncs >= 200);
    CHECK(failed_syncs >= 5);
    CHECK(deletes >= 10);
    CHECK(conflicts >= 20);
    CHECK(count(fx.ws(0), "SELECT count(*) FROM history WHERE origin = 'sync' AND old IS NOT NULL") >= 10);
    CHECK(fx.remote.faults_met() >= 20);
    CHECK(snapshots >= 10);
    CHECK(newcomer_syncs >= 20);
    CHECK(from_snapshot >= 1);
    CHECK(away_skipped >= 10);
    CHECK(pruned_under_away >= 1);
    CHECK(fx.remote.removed() >= 100);
    MESSAGE("seed " << seed << ": " << acked << " edits acknowledged, " << refused << " refused, " << syncs
                    << " syncs (" << failed_syncs << " failed), " << conflicts << " fields written by several devices, "
                    << fx.remote.faults_met() << " remote faults, " << snapshots << " snapshots written, "
                    << from_snapshot << " newcomers joined from one, device 4 back to " << pruned_under_away
                    << " devices' segments pruned under it (" << caught_up << " complete rounds caught up from a snapshot), " << fx.remote.removed() << " files pruned, "
                    << fx.remote.file_count() << " files");
}
