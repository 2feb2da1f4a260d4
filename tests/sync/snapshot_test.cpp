// Snapshots (sync/snapshot.h): a new device joins from one and reads fewer files, ends with
// the same data; damaged, truncated or foreign parts make it read segments instead; an old
// snapshot changes nothing; the rule writes one only when enough piled up, and costs no
// remote call until then.
#include "sync_fixture.h"

#include "sync/snapshot.h"

using namespace crm;
using namespace crm::sync;
using syncfx::count;
using syncfx::msg;

namespace {
constexpr SnapshotRule kNever{1000000, 0};
// These tests are about reading snapshots, and fall back to segments: nothing is pruned
// (tests/sync/prune_test.cpp).
constexpr PruneRule kNoPrune{false};

// Devices 0 and 1 work in many small rounds (a segment each): 10 customers created, then
// edits on them; every round syncs with `rule`.
void small_rounds(syncfx::TeamFx& fx, int rounds, const SnapshotRule& rule) {
    std::vector<std::string> ids;
    for (int r = 0; r < rounds; ++r) {
        const int d = r % 2;
        fx.devices[0]->clock->advance_ms(1000);
        fx.devices[1]->clock->advance_ms(1000);
        if (r < 10) {
            ids.push_back(syncfx::make_customer(fx.ws(d), "客户" + std::to_string(r), "1380000" + std::to_string(1000 + r)));
        } else {
            auto s = update_customer(fx.ws(d), ids[static_cast<size_t>(r) % ids.size()], {{"notes", "第" + std::to_string(r) + "轮"}});
            REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : msg(s.error())));
        }
        auto rep = sync_once(fx.ws(d), fx.remote, fx.team, rule);
        REQUIRE_MESSAGE(rep.ok(), (rep.ok() ? "" : msg(rep.error())));
    }
    // Both up to date with each other.
    for (int d = 0; d < 2; ++d) REQUIRE(sync_once(fx.ws(d), fx.remote, fx.team, kNever).ok());
}

// Device 2 (joined, never synced) syncs once: the report and the remote calls it made.
std::pair<SyncReport, uint64_t> join_round(syncfx::TeamFx& fx) {
    const uint64_t before = fx.remote.calls();
    auto r = sync_once(fx.ws(2), fx.remote, fx.team, kNever);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
    return {*r, fx.remote.calls() - before};
}

// A team whose device 0 wrote a snapshot of 600 customers with a contact and a status each (1,800
// records: two parts), then changed one more thing after it.
struct BigTeam {
    syncfx::TeamFx fx{3};
    SnapshotPointer pointer;
    BigTeam() {
        REQUIRE(fx.ws(0).transaction([&]() -> Status {
            for (int i = 0; i < 600; ++i) {
                auto id = create_customer(fx.ws(0), syncfx::person("客户" + std::to_string(i)),
                                          syncfx::mobile("139" + std::to_string(10000000 + i)));
                if (!id) return id.error();
            }
            return {};
        }).ok());
        auto r = sync_once(fx.ws(0), fx.remote, fx.team, SnapshotRule{1, 0}, kNoPrune);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
        REQUIRE(r->snapshot.parts_written == 2);
        CHECK(r->snapshot.records_written == 1800);  // customers, contacts, status history
        const Bytes* p = fx.remote.peek(snapshot_pointer_name(fx.team));
        REQUIRE(p);
        auto opened = open_snapshot_pointer(fx.team, *p);
        REQUIRE(opened.ok());
        pointer = *opened;
        fx.devices[0]->clock->advance_ms(1000);
        syncfx::make_customer(fx.ws(0), "后来的客户", "13900000001");
        REQUIRE(sync_once(fx.ws(0), fx.remote, fx.team, SnapshotRule{}, kNoPrune).ok());
    }
    std::string part(uint64_t p) const { return snapshot_part_name(fx.team, pointer.device, pointer.number, p); }
};
}  // namespace

TEST_CASE("snapshot: a new device joins from it, reads fewer files and ends with the same data") {
    // The same work twice: without snapshots, and with one written every 20 segments.
    syncfx::TeamFx plain(3), snap(3);
    small_rounds(plain, 70, kNever);
    small_rounds(snap, 70, SnapshotRule{20, 1});
    REQUIRE(snap.remote.peek(snapshot_pointer_name(snap.team)));
    CHECK_FALSE(plain.remote.peek(snapshot_pointer_name(plain.team)));

    auto [without, calls_without] = join_round(plain);
    auto [with, calls_with] = join_round(snap);
    MESSAGE("a new device's first round: " << calls_without << " remote calls reading every segment, " << calls_with
                                           << " from the snapshot");
    CHECK(without.snapshot.parts_read == 0);
    CHECK(without.segments_received == 70);
    CHECK(with.snapshot.parts_read == 1);
    CHECK(with.snapshot.records_read == 30);  // 10 customers, their contacts and status history
    CHECK(with.segments_received < 20);       // only those after the snapshot
    CHECK(with.snapshot.values_applied > 30 * 5);
    CHECK(with.messages_applied >= with.snapshot.values_applied);  // what the settings show as received
    CHECK(calls_with * 3 < calls_without);

    const std::string expect = syncfx::domain_dump(snap.ws(0));
    CHECK(syncfx::domain_dump(snap.ws(1)) == expect);
    CHECK(syncfx::domain_dump(snap.ws(2)) == expect);
    CHECK(syncfx::domain_dump(plain.ws(2)) == syncfx::domain_dump(plain.ws(0)));
    // Its cursors moved past the snapshot: the next round reads nothing again.
    auto again = join_round(snap);
    CHECK(again.first.segments_received == 0);
    CHECK(again.first.snapshot.parts_read == 0);
    // History: each record is "created" by the user of the device that created it.
    CHECK(count(snap.ws(2), "SELECT count(*) FROM history WHERE origin = 'sync' AND field = 'created' AND "
                            "tbl = 'customers' AND actor = '用户1'") == 5);
    CHECK(count(snap.ws(2), "SELECT count(*) FROM history WHERE origin = 'sync' AND field = 'created' AND "
                            "tbl = 'customers' AND actor = '用户0'") == 5);
    // Later edits keep converging, in both directions.
    snap.devices[2]->clock->advance_ms(100000);
    auto id = query_rows(snap.ws(2).db(), "SELECT id FROM customers ORDER BY id LIMIT 1");
    REQUIRE(update_customer(snap.ws(2), value(id->front(), "id"), {{"notes", "新设备"}}).ok());
    join_round(snap);
    snap.sync(0);
    CHECK(syncfx::domain_dump(snap.ws(0)) == syncfx::domain_dump(snap.ws(2)));
}

TEST_CASE("snapshot: a tampered, truncated or foreign part: the device reads segments instead and says so") {
    for (int damage = 0; damage < 4; ++damage) {
        CAPTURE(damage);
        BigTeam big;
        syncfx::TeamFx& fx = big.fx;
        const std::string name = damage == 3 ? snapshot_pointer_name(fx.team) : big.part(2);
        Bytes b = *fx.remote.peek(name);
        if (damage == 0) b[b.size() / 2] ^= 1;
        if (damage == 1) b.resize(b.size() - 100);
        if (damage == 2) b = *fx.remote.peek(big.part(1));  // a genuine part under another name
        if (damage == 3) b.resize(40);                      // the pointer itself
        fx.remote.set(name, b);

        auto r = sync_once(fx.ws(2), fx.remote, fx.team);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "err.sync.tampered");
        CHECK(r.error().params.front().second == name);
        // It fell back to the segments: everything is here, the cursors moved on.
        CHECK(syncfx::domain_dump(fx.ws(2)) == syncfx::domain_dump(fx.ws(0)));
        auto next = sync_once(fx.ws(2), fx.remote, fx.team);
        REQUIRE(next.ok());
        CHECK(next->snapshot.parts_read == 0);
        CHECK(next->segments_received == 0);
    }
}

TEST_CASE("snapshot: a part that is missing or a network failure half-way: no cursor moves until it completes") {
    BigTeam big;
    syncfx::TeamFx& fx = big.fx;
    const std::string cursor = "sync.cursor." + fx.ws(0).device().device_id;

    // The network fails on the second part: the round stops with that error, no cursor moved
    // and nothing applied (the first part waits in the stage), and the next round goes on
    // from the second part.
    fx.remote.inject(RemoteOp::Get, Fault::Fail, big.part(2));
    auto r = sync_once(fx.ws(2), fx.remote, fx.team);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == kRemoteUnavailable);
    CHECK_FALSE(fx.ws(2).setting(cursor)->has_value());
    CHECK(count(fx.ws(2), "SELECT count(*) FROM customers") == 0);
    auto ok = sync_once(fx.ws(2), fx.remote, fx.team);
    REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : msg(ok.error())));
    CHECK(ok->snapshot.parts_read == 1);
    CHECK(ok->segments_received == 1);  // the one after the snapshot
    CHECK(syncfx::domain_dump(fx.ws(2)) == syncfx::domain_dump(fx.ws(0)));

    // A pointer naming a part that is not there (a folder copied half-way): device 3 reads
    // the segments instead, and says which file was missing.
    SnapshotPointer longer = big.pointer;
    longer.parts = 3;
    fx.remote.set(snapshot_pointer_name(fx.team), seal_snapshot_pointer(fx.team, longer));
    auto d3 = syncfx::make_device(3, syncfx::t0());
    REQUIRE(join_team(d3->ws, fx.remote, fx.team).ok());
    auto missing = sync_once(d3->ws, fx.remote, fx.team);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == kRemoteMissing);
    CHECK(missing.error().params.front().second == big.part(3));
    CHECK(syncfx::domain_dump(d3->ws) == syncfx::domain_dump(fx.ws(0)));
    CHECK(d3->ws.setting(cursor)->value_or("") == fx.ws(2).setting(cursor)->value_or("-"));
}

TEST_CASE("snapshot: one older than what a device holds changes nothing") {
    BigTeam big;
    syncfx::TeamFx& fx = big.fx;
    fx.sync(1);
    // Device 1 edits records the snapshot holds, after it was written.
    auto ids = query_rows(fx.ws(1).db(), "SELECT id FROM customers ORDER BY id LIMIT 3");
    fx.devices[1]->clock->advance_ms(5000);
    for (const Row& r : *ids) REQUIRE(update_customer(fx.ws(1), value(r, "id"), {{"notes", "更新"}}).ok());
    const std::string before = syncfx::domain_dump(fx.ws(1));
    const int64_t history = count(fx.ws(1), "SELECT count(*) FROM history");
    // Applying the whole old snapshot to it: every field is stale.
    size_t stale = 0;
    for (uint64_t p = 1; p <= big.pointer.parts; ++p) {
        auto batches = open_snapshot_part(fx.team, big.pointer, p, *fx.remote.peek(big.part(p)));
        REQUIRE(batches.ok());
        for (const SnapshotBatch& b : *batches) {
            auto applied = fx.ws(1).apply_remote(b.messages, b.user);
            REQUIRE(applied.ok());
            CHECK(applied->applied == 0);
            stale += applied->stale;
        }
    }
    CHECK(stale > 1800 * 5);
    CHECK(syncfx::domain_dump(fx.ws(1)) == before);
    CHECK(count(fx.ws(1), "SELECT count(*) FROM history") == history);

    // A device never replaces a pointer that covers more than it holds for some device...
    const std::string pname = snapshot_pointer_name(fx.team);
    const std::string dev0 = fx.ws(0).device().device_id, dev1 = fx.ws(1).device().device_id;
    SnapshotPointer ahead = big.pointer;
    ahead.covers[dev0] = 99;
    fx.remote.set(pname, seal_snapshot_pointer(fx.team, ahead));
    const Bytes forged = *fx.remote.peek(pname);
    auto held = sync_once(fx.ws(1), fx.remote, fx.team, SnapshotRule{1, 0});
    REQUIRE(held.ok());
    CHECK(held->snapshot.parts_written == 0);
    CHECK(*fx.remote.peek(pname) == forged);
    // ...and replaces one it holds at least as much as (its own edits are newer).
    fx.remote.set(pname, seal_snapshot_pointer(fx.team, big.pointer));
    auto wrote = sync_once(fx.ws(1), fx.remote, fx.team, SnapshotRule{1, 0});
    REQUIRE(wrote.ok());
    CHECK(wrote->snapshot.parts_written == 2);
    auto now = open_snapshot_pointer(fx.team, *fx.remote.peek(pname));
    REQUIRE(now.ok());
    CHECK(now->device == dev1);
    CHECK(now->covers.at(dev0) == std::stoull(fx.ws(0).setting("sync.next_segment")->value_or("0")) - 1);
    CHECK(now->covers.at(dev1) == 1);
}

TEST_CASE("snapshot: the rule writes one only when enough piled up; until then no remote call") {
    syncfx::TeamFx fx(2);
    const SnapshotRule rule{5, 1};
    const std::string pname = snapshot_pointer_name(fx.team);
    for (int i = 0; i < 4; ++i) {
        fx.devices[0]->clock->advance_ms(1000);
        syncfx::make_customer(fx.ws(0), "客户" + std::to_string(i), "1380000100" + std::to_string(i));
        // The pointer is never read below the threshold: a fault planted on it stays unmet.
        fx.remote.inject(RemoteOp::Get, Fault::Fail, pname);
        const uint64_t faults = fx.remote.faults_met();
        auto r = sync_once(fx.ws(0), fx.remote, fx.team, rule);
        REQUIRE(r.ok());
        CHECK(fx.remote.faults_met() == faults);
        CHECK(r->snapshot.parts_written == 0);
        REQUIRE(sync_once(fx.ws(0), fx.remote, fx.team, rule).ok());  // nothing new: the fault still unmet
        CHECK(fx.remote.faults_met() == faults);
    }
    CHECK_FALSE(fx.remote.peek(pname));
    // The planted faults are still waiting: meet them, then the fifth segment crosses the line.
    for (int i = 0; i < 4; ++i) CHECK(fx.remote.get(pname).error().code == kRemoteUnavailable);
    fx.devices[0]->clock->advance_ms(1000);
    syncfx::make_customer(fx.ws(0), "客户4", "13800001004");
    auto r = sync_once(fx.ws(0), fx.remote, fx.team, rule);
    REQUIRE(r.ok());
    CHECK(r->snapshot.parts_written == 1);
    CHECK(r->snapshot.records_written == 15);
    auto p = open_snapshot_pointer(fx.team, *fx.remote.peek(pname));
    REQUIRE(p.ok());
    CHECK(p->covers.at(fx.ws(0).device().device_id) == 5);
    // The snapshot's own files: sealed, the remote sees no names or numbers inside.
    const Bytes* part = fx.remote.peek(snapshot_part_name(fx.team, fx.ws(0).device().device_id, 1, 1));
    REQUIRE(part);
    const std::string text(part->begin(), part->end());
    CHECK(text.find("客户") == std::string::npos);
    CHECK(text.find("customers") == std::string::npos);
    // Four more segments stay under the line again; a part count over the rule's share
    // holds it back too (segments_per_part: 10 parts' worth needed for a 1-part snapshot).
    for (int i = 5; i < 9; ++i) {
        fx.devices[0]->clock->advance_ms(1000);
        syncfx::make_customer(fx.ws(0), "客户" + std::to_string(i), "1380000100" + std::to_string(i));
        CHECK(sync_once(fx.ws(0), fx.remote, fx.team, rule)->snapshot.parts_written == 0);
    }
    fx.devices[0]->clock->advance_ms(1000);
    syncfx::make_customer(fx.ws(0), "客户9", "13800001009");
    CHECK(sync_once(fx.ws(0), fx.remote, fx.team, SnapshotRule{5, 10})->snapshot.parts_written == 0);
    // Another device's pointer arrived meanwhile (412): read again, still covers less, replaced.
    fx.remote.inject(RemoteOp::PutIfMatch, Fault::Conflict, pname);
    const uint64_t faults = fx.remote.faults_met();
    CHECK(sync_once(fx.ws(0), fx.remote, fx.team, rule)->snapshot.parts_written == 1);
    CHECK(fx.remote.faults_met() == faults + 1);
    CHECK(open_snapshot_pointer(fx.team, *fx.remote.peek(pname))->covers.at(fx.ws(0).device().device_id) == 10);

    // Device 1 publishes a head with nothing in it: device 0 still has received nothing, but
    // its own snapshot holds nothing from others, so it is not read (each round again).
    CHECK(fx.sync(1).snapshot.parts_read == 1);  // device 1 joins from it
    CHECK(fx.sync(0).snapshot.parts_read == 0);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
}
