// The jobs the sync settings start: a team created, joined and synced, the outcome listing
// what other devices changed here, the unsent count and the last completed round.
#include "sync_fixture.h"

#include "sync/session.h"

using namespace crm;
using namespace crm::sync;

TEST_CASE("sync session: start a team, join it, sync; the outcome names what was overwritten") {
    MemoryRemote remote;
    Team team = new_team();
    auto a = syncfx::make_device(0, syncfx::t0());
    auto b = syncfx::make_device(1, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    CHECK(*unsent_changes(a->ws) > 0);
    CHECK(*last_sync_at(a->ws) == "");

    SyncOutcome started = run(start_team_job(a->ws, team), remote);
    REQUIRE(started.status.ok());
    CHECK(started.report.segments_sent == 1);
    CHECK(*unsent_changes(a->ws) == 0);
    CHECK(*last_sync_at(a->ws) != "");

    SyncOutcome joined = run(join_team_job(b->ws, team), remote);
    REQUIRE(joined.status.ok());
    CHECK(joined.device_code == "02");
    CHECK(joined.report.messages_applied > 0);
    CHECK(joined.overwritten.empty());  // a record first seen is not an overwrite
    CHECK(get_customer(b->ws, id)->name == "张三");

    b->clock->advance_ms(5000);
    REQUIRE(update_customer(b->ws, id, {{"notes", "来自平板"}}).ok());
    REQUIRE(run(sync_job(b->ws), remote).status.ok());
    SyncOutcome got = run(sync_job(a->ws), remote);
    REQUIRE(got.status.ok());
    REQUIRE(got.overwritten.size() == 1);
    CHECK(got.overwritten[0].field == "notes");
    CHECK(got.overwritten[0].new_value == "来自平板");
    CHECK(got.overwritten[0].actor == "用户1");
}

TEST_CASE("sync session: syncing before a team exists says so; a failed round keeps the last good time") {
    MemoryRemote remote;
    auto a = syncfx::make_device(0, syncfx::t0());
    CHECK(run(sync_job(a->ws), remote).status.error().code == "err.sync.no_team");
    REQUIRE(run(start_team_job(a->ws, new_team()), remote).status.ok());
    const std::string at = *last_sync_at(a->ws);
    a->clock->advance_ms(60000);
    remote.inject(RemoteOp::List, Fault::Fail, "");
    SyncOutcome failed = run(sync_job(a->ws), remote);
    CHECK(failed.status.error().code == kRemoteUnavailable);
    CHECK(*last_sync_at(a->ws) == at);
    CHECK(save_remote_config(a->ws, R"({"kind":"http","url":"http://127.0.0.1:8000/sync/"})").ok());
    CHECK(remote_config(a->ws)->find("\"http\"") != std::string::npos);
}

TEST_CASE("sync session: a team that syncs by file never writes a snapshot; over a remote, one is written") {
    // A sync file's loader takes segments and the registry only (sync_file.h): a snapshot in
    // the file would make every other device refuse it.
    for (const char* kind : {"file", "http"}) {
        CAPTURE(kind);
        MemoryRemote remote;
        Team team = new_team();
        auto a = syncfx::make_device(0, syncfx::t0());
        std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
        REQUIRE(save_remote_config(a->ws, std::string(R"({"kind":")") + kind + R"(","url":"http://127.0.0.1:8000/sync/"})").ok());
        REQUIRE(run(start_team_job(a->ws, team), remote).status.ok());
        for (int round = 0; round < 110; ++round) {  // past the default rule's 100 segments
            a->clock->advance_ms(1000);
            REQUIRE(update_customer(a->ws, id, {{"notes", "第" + std::to_string(round) + "次"}}).ok());
            REQUIRE(run(sync_job(a->ws), remote).status.ok());
        }
        auto snapshots = remote.list(team.id + "/snap");
        REQUIRE(snapshots.ok());
        if (std::string(kind) == "file") CHECK(snapshots->empty());
        else CHECK_FALSE(snapshots->empty());
    }
}
