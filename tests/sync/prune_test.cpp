// Pruning (sync/prune.h): the rule (what may be removed, what never), the removes after a
// round, a device away for long catching up from the snapshot, superseded snapshots' parts,
// a joiner whose parts vanish mid-read; and snapshots applied all or nothing (the stage).
#include "sync_fixture.h"

#include "sync/prune.h"
#include "sync/snapshot.h"

using namespace crm;
using namespace crm::sync;
using syncfx::count;
using syncfx::msg;

namespace {
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr SnapshotRule kNever{1000000, 0};
constexpr PruneRule kNoPrune{false};

bool has(const MemoryRemote& r, const std::string& name) { return r.peek(name) != nullptr; }

size_t files_under(MemoryRemote& r, const std::string& prefix) { return r.list(prefix)->size(); }

// Device d edits one customer (creating it the first time) and syncs.
SyncReport edit_and_sync(syncfx::TeamFx& fx, int d, const std::string& text, const SnapshotRule& rule = kNever,
                         const PruneRule& prune = {}) {
    for (auto& dev : fx.devices) dev->clock->advance_ms(1000);
    auto ids = query_rows(fx.ws(d).db(), "SELECT id FROM customers ORDER BY id LIMIT 1");
    REQUIRE(ids.ok());
    if (ids->empty()) {
        syncfx::make_customer(fx.ws(d), "客户" + text, "1390000" + std::to_string(1000 + fx.ws(d).device().device_id.back()));
    } else {
        REQUIRE(update_customer(fx.ws(d), value(ids->front(), "id"), {{"notes", text}}).ok());
    }
    auto r = sync_once(fx.ws(d), fx.remote, fx.team, rule, prune);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
    return *r;
}

SnapshotPointer pointer_of(syncfx::TeamFx& fx) {
    const Bytes* b = fx.remote.peek(snapshot_pointer_name(fx.team));
    REQUIRE(b);
    auto p = open_snapshot_pointer(fx.team, *b);
    REQUIRE(p.ok());
    return *p;
}
}  // namespace

TEST_CASE("prune rule: covered and acknowledged by every other device seen lately; never beyond the snapshot") {
    const std::string a = "00000000000000a0", b = "00000000000000a1", c = "00000000000000a2", me = "00000000000000a3";
    const int64_t now = 100 * kDay, grace = 30 * kDay;
    const Covers covers{{a, 10}, {b, 5}};
    // Nobody else: everything the snapshot covers, and nothing of a device it does not cover.
    CHECK(removable_through(covers, {}, me, now, grace) == covers);
    // Every other device's acks lower it; a device's own head and the pruner's are not asked.
    SeenHeads heads;
    heads[a] = {{{b, 3}}, now};
    heads[b] = {{{a, 7}}, now};
    heads[me] = {{}, now};
    CHECK(removable_through(covers, heads, me, now, grace) == Covers{{a, 7}, {b, 3}});
    // Acks beyond the snapshot do not reach past it.
    heads[a].acked[b] = 50;
    heads[b].acked[a] = 50;
    CHECK(removable_through(covers, heads, me, now, grace) == covers);
    // A third device that has read nothing of a: a's segments stay; it read b's: those go.
    heads[c] = {{{b, 5}}, now - kDay};
    CHECK(removable_through(covers, heads, me, now, grace) == Covers{{a, 0}, {b, 5}});
    // Not heard of for longer than the grace period: it no longer holds anything back...
    heads[c].at_ms = now - grace - 1;
    CHECK(removable_through(covers, heads, me, now, grace) == covers);
    // ...but a head without a time (written before pruning existed) always does.
    heads[c].at_ms = 0;
    CHECK(removable_through(covers, heads, me, now, grace) == Covers{{a, 0}, {b, 5}});
    // The pruner's own head is asked like anyone else's when it is not `self`.
    CHECK(removable_through(covers, heads, "00000000000000ff", now, grace) == Covers{{a, 0}, {b, 0}});
}

TEST_CASE("prune: covered segments go once every device read past them; nothing else ever does") {
    syncfx::TeamFx fx(3);
    const std::string d0 = fx.ws(0).device().device_id, d1 = fx.ws(1).device().device_id,
                      d2 = fx.ws(2).device().device_id;
    // Device 2 syncs once (its head acknowledges nothing yet), then stays away for a while.
    edit_and_sync(fx, 0, "零");
    edit_and_sync(fx, 2, "二");
    for (int i = 0; i < 6; ++i) edit_and_sync(fx, i % 2, "第" + std::to_string(i) + "轮");
    edit_and_sync(fx, 1, "追上");  // device 1 read everything of device 0
    // Device 0 writes a snapshot, and prunes in the same round.
    const SyncReport wrote = edit_and_sync(fx, 0, "快照", SnapshotRule{1, 0});
    CHECK(wrote.snapshot.parts_written == 1);
    const SnapshotPointer p = pointer_of(fx);
    CHECK(p.covers.at(d0) == 5);
    CHECK(p.covers.at(d1) == 4);
    CHECK(p.covers.at(d2) == 1);
    // Device 2 has read nothing: no segment of 0 or 1 goes. Its own segment 1 was read by
    // device 1 (its head acknowledges it): that one went.
    CHECK(wrote.pruned.segments_removed == 1);
    CHECK_FALSE(has(fx.remote, segment_name(fx.team, d2, 1)));
    edit_and_sync(fx, 0, "之后");  // a segment after the snapshot
    for (uint64_t n = 1; n <= 4; ++n) {
        CHECK(has(fx.remote, segment_name(fx.team, d0, n)));
        CHECK(has(fx.remote, segment_name(fx.team, d1, n)));
    }
    // Nothing to remove: the round makes no remote call for pruning (a fault planted on a
    // remove stays unmet).
    fx.remote.inject(RemoteOp::Remove, Fault::Fail, "/seg/");
    const uint64_t faults = fx.remote.faults_met();
    REQUIRE(sync_once(fx.ws(0), fx.remote, fx.team, kNever).ok());
    CHECK(fx.remote.faults_met() == faults);

    // Device 2 comes back: it reads every segment (none of them pruned), and its next
    // round's head acknowledges them.
    const SyncReport back = edit_and_sync(fx, 2, "回来");
    CHECK(back.snapshot.parts_read == 0);
    CHECK(back.segments_received == 9);  // device 0's 2-6, device 1's 1-4
    REQUIRE(sync_once(fx.ws(2), fx.remote, fx.team, kNever).ok());
    // Device 1 reads device 0's segments 5 and 6; its next head acknowledges them.
    for (int i = 0; i < 2; ++i) REQUIRE(sync_once(fx.ws(1), fx.remote, fx.team, kNever).ok());
    // The planted fault meets the first remove: it fails, the round still succeeds and the
    // next round removes it.
    auto failed = sync_once(fx.ws(0), fx.remote, fx.team, kNever);
    REQUIRE(failed.ok());
    CHECK(failed->prune_error.has_value());
    CHECK(fx.remote.faults_met() == faults + 1);
    auto pruned = sync_once(fx.ws(0), fx.remote, fx.team, kNever);
    REQUIRE(pruned.ok());
    CHECK(pruned->pruned.segments_removed > 0);
    for (uint64_t n = 1; n <= 4; ++n) {
        CHECK_FALSE(has(fx.remote, segment_name(fx.team, d0, n)));
        CHECK_FALSE(has(fx.remote, segment_name(fx.team, d1, n)));
    }
    CHECK_FALSE(has(fx.remote, segment_name(fx.team, d0, 5)));
    // What is never removed: segments after the snapshot, heads, the registry, the pointer,
    // the current snapshot's parts.
    CHECK(has(fx.remote, segment_name(fx.team, d0, 6)));
    CHECK(has(fx.remote, segment_name(fx.team, d2, 2)));  // device 2's segment after the snapshot
    CHECK(files_under(fx.remote, heads_prefix(fx.team)) == 3);
    CHECK(has(fx.remote, registry_name(fx.team)));
    CHECK(has(fx.remote, snapshot_pointer_name(fx.team)));
    for (uint64_t part = 1; part <= p.parts; ++part)
        CHECK(has(fx.remote, snapshot_part_name(fx.team, p.device, p.number, part)));
    // Everyone still agrees, and a new device joins from the snapshot and the segments left.
    for (int d = 0; d < 3; ++d) REQUIRE(sync_once(fx.ws(d), fx.remote, fx.team, kNever).ok());
    auto d3 = syncfx::make_device(3, syncfx::t0() + 100000);
    REQUIRE(join_team(d3->ws, fx.remote, fx.team).ok());
    auto joined = sync_once(d3->ws, fx.remote, fx.team, kNever);
    REQUIRE_MESSAGE(joined.ok(), (joined.ok() ? "" : msg(joined.error())));
    CHECK(joined->snapshot.parts_read == p.parts);
    const std::string expect = syncfx::domain_dump(fx.ws(0));
    CHECK(syncfx::domain_dump(fx.ws(1)) == expect);
    CHECK(syncfx::domain_dump(fx.ws(2)) == expect);
    CHECK(syncfx::domain_dump(d3->ws) == expect);
}

TEST_CASE("prune: a device away past the grace period catches up from the snapshot, its own edits kept") {
    syncfx::TeamFx fx(3);
    edit_and_sync(fx, 2, "二");
    edit_and_sync(fx, 0, "零");
    edit_and_sync(fx, 2, "二读过");  // device 2 has read device 0's first segment
    // Device 2 goes away (a lost tablet). Its user goes on editing offline.
    auto away = query_rows(fx.ws(2).db(), "SELECT id FROM customers ORDER BY id DESC LIMIT 1");
    const std::string mine = value(away->front(), "id");
    // 31 days later the others work on; device 0 writes snapshots and prunes what they
    // cover, device 2 no longer holding it back.
    for (auto& dev : fx.devices) dev->clock->advance_ms(31 * kDay);
    for (int i = 0; i < 12; ++i) edit_and_sync(fx, i % 2, "新" + std::to_string(i), SnapshotRule{4, 0});
    edit_and_sync(fx, 1, "读完");
    edit_and_sync(fx, 0, "最后", SnapshotRule{1, 0});
    REQUIRE(sync_once(fx.ws(1), fx.remote, fx.team, kNever).ok());
    for (int i = 0; i < 3; ++i) REQUIRE(sync_once(fx.ws(0), fx.remote, fx.team, kNever).ok());
    const std::string d0 = fx.ws(0).device().device_id;
    CHECK_FALSE(has(fx.remote, segment_name(fx.team, d0, 2)));
    CHECK(fx.remote.removed() > 5);
    // Offline, device 2 changed a customer's notes (after everyone else's last edit of it).
    fx.devices[2]->clock->advance_ms(10000);
    REQUIRE(update_customer(fx.ws(2), mine, {{"needs", "离线时写的"}}).ok());
    // Back: its cursor for device 0 points at a segment that is gone; it catches up from
    // the snapshot and reads the segments after it.
    auto back = sync_once(fx.ws(2), fx.remote, fx.team, kNever);
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : msg(back.error())));
    CHECK(back->snapshot.parts_read > 0);
    for (int d = 0; d < 2; ++d) REQUIRE(sync_once(fx.ws(d), fx.remote, fx.team, kNever).ok());
    const std::string expect = syncfx::domain_dump(fx.ws(0));
    CHECK(syncfx::domain_dump(fx.ws(1)) == expect);
    CHECK(syncfx::domain_dump(fx.ws(2)) == expect);
    CHECK(get_customer(fx.ws(0), mine)->needs == "离线时写的");
    // Caught up: the next round reads nothing again.
    auto again = sync_once(fx.ws(2), fx.remote, fx.team, kNever);
    REQUIRE(again.ok());
    CHECK(again->snapshot.parts_read == 0);
    CHECK(again->segments_received == 0);
}

TEST_CASE("prune: a replaced snapshot's parts go; a joiner whose parts vanish mid-read reads the new one") {
    syncfx::TeamFx fx(4);
    for (int i = 0; i < 4; ++i) edit_and_sync(fx, i % 2, "第" + std::to_string(i) + "轮");
    edit_and_sync(fx, 0, "快照一", SnapshotRule{1, 0});
    const SnapshotPointer first = pointer_of(fx);
    REQUIRE(first.parts >= 1);
    CHECK(has(fx.remote, snapshot_part_name(fx.team, first.device, first.number, 1)));

    // Device 3 starts joining: it stops when it is about to read the first part; device 1
    // then writes a newer snapshot and removes the old one's parts.
    REQUIRE(sync_once(fx.ws(1), fx.remote, fx.team, kNever).ok());
    edit_and_sync(fx, 1, "快照二前");
    const std::string part1 = snapshot_part_name(fx.team, first.device, first.number, 1);
    Job<Result<SyncReport>> job(sync_round(fx.ws(3), fx.team, kNever));
    bool replaced = false;
    while (const RemoteCall* call = job.pending()) {
        if (!replaced && call->op == RemoteCall::Op::Get && call->name == part1) {
            replaced = true;
            edit_and_sync(fx, 1, "快照二", SnapshotRule{1, 0});
            CHECK(pointer_of(fx).device == fx.ws(1).device().device_id);
            CHECK_FALSE(has(fx.remote, part1));  // the replaced snapshot's parts are gone
        }
        job.answer(perform(fx.remote, *call));
    }
    CHECK(replaced);
    auto joined = job.take_result();
    REQUIRE_MESSAGE(joined.ok(), (joined.ok() ? "" : msg(joined.error())));
    CHECK(joined->snapshot.parts_read == pointer_of(fx).parts);  // the new one, read whole
    CHECK(files_under(fx.remote, fx.team.id + "/snap/" + first.device + "/") == 0);
    for (int d = 0; d < 2; ++d) REQUIRE(sync_once(fx.ws(d), fx.remote, fx.team, kNever).ok());
    REQUIRE(sync_once(fx.ws(3), fx.remote, fx.team, kNever).ok());
    CHECK(syncfx::domain_dump(fx.ws(3)) == syncfx::domain_dump(fx.ws(0)));
    CHECK(syncfx::domain_dump(fx.ws(1)) == syncfx::domain_dump(fx.ws(0)));
    CHECK(count(fx.ws(3), "SELECT count(*) FROM sync_stage") == 0);
}

TEST_CASE("snapshot stage: a bad last part applies nothing at all; a network failure resumes where it stopped") {
    syncfx::TeamFx fx(3);
    REQUIRE(fx.ws(0).transaction([&]() -> Status {
        for (int i = 0; i < 600; ++i) {
            auto id = create_customer(fx.ws(0), syncfx::person("客户" + std::to_string(i)),
                                      syncfx::mobile("139" + std::to_string(10000000 + i)));
            if (!id) return id.error();
        }
        return {};
    }).ok());
    auto w = sync_once(fx.ws(0), fx.remote, fx.team, SnapshotRule{1, 0}, kNoPrune);
    REQUIRE(w.ok());
    REQUIRE(w->snapshot.parts_written == 2);
    const SnapshotPointer p = pointer_of(fx);
    const std::string part2 = snapshot_part_name(fx.team, p.device, p.number, 2);
    const Bytes good = *fx.remote.peek(part2);
    const std::string cursor = "sync.cursor." + fx.ws(0).device().device_id;

    SUBCASE("tampered last part") {
        Bytes bad = good;
        bad[bad.size() / 3] ^= 1;
        fx.remote.set(part2, bad);
        SnapshotStats stats;
        Status damaged;
        auto s = run(join_from_snapshot(fx.ws(2), fx.team, stats, damaged), fx.remote);
        REQUIRE(s.ok());
        REQUIRE_FALSE(damaged.ok());
        CHECK(damaged.error().code == "err.sync.tampered");
        CHECK(damaged.error().params.front().second == part2);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM customers") == 0);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM contacts") == 0);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM history") == 0);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM sync_stage") == 0);
        CHECK_FALSE(fx.ws(2).setting(cursor)->has_value());
    }
    SUBCASE("a part that does not apply (stamps far ahead of this device's clock)") {
        fx.devices[2]->clock->set(syncfx::t0() - 3 * 60 * 60 * 1000);
        SnapshotStats stats;
        Status damaged;
        REQUIRE(run(join_from_snapshot(fx.ws(2), fx.team, stats, damaged), fx.remote).ok());
        REQUIRE_FALSE(damaged.ok());
        CHECK(damaged.error().code == "err.sync.clock_ahead");
        CHECK(damaged.error().detail.find(snapshot_part_name(fx.team, p.device, p.number, 1)) != std::string::npos);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM customers") == 0);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM sync_stage") == 0);
        CHECK_FALSE(fx.ws(2).setting(cursor)->has_value());
    }
    SUBCASE("network failure on the last part: nothing applied, the next round fetches only that part") {
        fx.remote.inject(RemoteOp::Get, Fault::Fail, part2);
        auto r = sync_once(fx.ws(2), fx.remote, fx.team, kNever);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == kRemoteUnavailable);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM customers") == 0);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM sync_stage") > 0);  // part 1, kept
        auto ok = sync_once(fx.ws(2), fx.remote, fx.team, kNever);
        REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : msg(ok.error())));
        CHECK(ok->snapshot.parts_read == 1);
        CHECK(count(fx.ws(2), "SELECT count(*) FROM sync_stage") == 0);
        CHECK(syncfx::domain_dump(fx.ws(2)) == syncfx::domain_dump(fx.ws(0)));
    }
}
