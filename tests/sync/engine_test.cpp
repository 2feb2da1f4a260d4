// sync_once over a MemoryRemote: exchange between devices, what the remote can see, clocks
// too far ahead, tampered and damaged files, and every fault of every remote call: a
// failed round applies nothing partial, loses nothing, and the next round completes.
#include "sync_fixture.h"

#include "core/search.h"
#include "sync/segment.h"

using namespace crm;
using namespace crm::sync;
using syncfx::count;
using syncfx::msg;

TEST_CASE("sync: two devices exchange creations, edits and deletes") {
    syncfx::TeamFx fx(2);
    std::string id = syncfx::make_customer(fx.ws(0), "张三", "13800000001");
    auto sent = fx.sync(0);
    CHECK(sent.segments_sent == 1);
    CHECK(sent.messages_sent > 20);
    auto got = fx.sync(1);
    CHECK(got.segments_received == 1);
    CHECK(got.messages_applied == sent.messages_sent);
    CHECK(get_customer(fx.ws(1), id)->name == "张三");
    CHECK(get_customer(fx.ws(1), id)->number == get_customer(fx.ws(0), id)->number);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));

    // Edits on both sides, one of them to the same field; a delete of a contact.
    fx.devices[1]->clock->advance_ms(2000);
    REQUIRE(update_customer(fx.ws(1), id, {{"notes", "from 1"}, {"city", "杭州"}}).ok());
    fx.devices[0]->clock->advance_ms(1000);
    REQUIRE(update_customer(fx.ws(0), id, {{"notes", "from 0"}}).ok());
    REQUIRE(add_contact(fx.ws(0), id, {{"name", "李娜"}, {"email", "lina@example.com"}}).ok());
    auto first_contact = list_contacts(fx.ws(0), id)->front().id;
    REQUIRE(delete_contact(fx.ws(0), first_contact).ok());
    fx.sync(0);
    fx.sync(1);
    fx.sync(0);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
    CHECK(get_customer(fx.ws(0), id)->notes == "from 1");  // the later write, on either device
    CHECK(get_customer(fx.ws(0), id)->city == "杭州");
    CHECK(list_contacts(fx.ws(1), id)->size() == 1);
    // Device 0 sees in its history that sync replaced its note.
    CHECK(count(fx.ws(0), "SELECT count(*) FROM history WHERE origin = 'sync' AND field = 'notes' AND "
                          "old = 'from 0' AND new = 'from 1'") == 1);
    // Nothing received was sent on: every change row is the device's own.
    for (int i = 0; i < 2; ++i)
        CHECK(count(fx.ws(i), "SELECT count(*) FROM changes WHERE device <> '" + fx.ws(i).device().device_id + "'") == 0);
    // A round with nothing new sends and applies nothing.
    auto idle = fx.sync(1);
    CHECK(idle.segments_sent == 0);
    CHECK(idle.segments_received == 0);
}

TEST_CASE("sync: the remote sees only ciphertext, device ids and segment numbers") {
    syncfx::TeamFx fx(2);
    syncfx::make_customer(fx.ws(0), "欧阳娜娜", "13987654321");
    fx.sync(0);
    auto files = fx.remote.list("");
    REQUIRE(files.ok());
    CHECK(files->size() == 3);  // registry, device 0's head, its first segment
    for (const RemoteFile& f : *files) {
        const Bytes* b = fx.remote.peek(f.name);
        const std::string text(b->begin(), b->end());
        for (const char* secret : {"13987654321", "欧阳", "customers", "用户0", "\"messages\""})
            CHECK_MESSAGE(text.find(secret) == std::string::npos, f.name << " shows " << secret);
    }
    CHECK(fx.remote.peek(segment_name(fx.team, fx.ws(0).device().device_id, 1)) != nullptr);
    // Another key for the same team id opens nothing.
    Team wrong = fx.team;
    wrong.key = new_team().key;
    auto r = sync_once(fx.ws(1), fx.remote, wrong);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.sync.tampered");
    CHECK(count(fx.ws(1), "SELECT count(*) FROM customers") == 0);
}

TEST_CASE("sync: changes stamped more than an hour ahead wait until the clocks agree") {
    syncfx::TeamFx fx(2);
    fx.devices[1]->clock->advance_ms(2 * 3600 * 1000);  // device 1's clock is 2 h fast
    std::string id = syncfx::make_customer(fx.ws(1), "张三", "13800000001");
    fx.sync(1);
    auto r = sync_once(fx.ws(0), fx.remote, fx.team);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.sync.clock_ahead");
    CHECK(r.error().params[0].second == fx.ws(1).device().device_id);
    CHECK(r.error().params[1].second == "120");
    CHECK(count(fx.ws(0), "SELECT count(*) FROM customers") == 0);
    CHECK_FALSE(fx.ws(0).setting("sync.cursor." + fx.ws(1).device().device_id)->has_value());
    // 59 minutes ahead is accepted.
    fx.devices[0]->clock->advance_ms(61 * 60 * 1000);
    fx.sync(0);
    CHECK(get_customer(fx.ws(0), id).ok());
}

TEST_CASE("sync: segments pulled together: one that fails applies nothing, those before it stay, searchable") {
    syncfx::TeamFx fx(2);
    const std::string first = syncfx::make_customer(fx.ws(1), "张三", "13800000001");
    fx.sync(1);  // segment 1
    REQUIRE(update_customer(fx.ws(1), first, {{"notes", "续约意向强"}}).ok());
    fx.sync(1);  // segment 2
    fx.devices[1]->clock->advance_ms(2 * 3600 * 1000);
    const std::string late = syncfx::make_customer(fx.ws(1), "李四", "13800000002");
    fx.sync(1);  // segment 3: two hours ahead of device 0

    auto r = sync_once(fx.ws(0), fx.remote, fx.team);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.sync.clock_ahead");
    CHECK(*fx.ws(0).setting("sync.cursor." + fx.ws(1).device().device_id) == std::optional<std::string>("2"));
    CHECK(get_customer(fx.ws(0), first)->notes == "续约意向强");
    CHECK_FALSE(get_customer(fx.ws(0), late).ok());
    // The derived data of what did apply is written: search finds the synced note.
    const int64_t rowid = count(fx.ws(0), "SELECT rowid FROM customers WHERE id = '" + first + "'");
    CHECK(*search_customer_rowids(fx.ws(0).db(), "续约意向") == std::vector<int64_t>{rowid});
    CHECK(search_customer_rowids(fx.ws(0).db(), "李四")->empty());

    fx.devices[0]->clock->advance_ms(2 * 3600 * 1000);
    fx.sync(0);
    CHECK(get_customer(fx.ws(0), late)->name == "李四");
    CHECK(search_customer_rowids(fx.ws(0).db(), "李四")->size() == 1);
}

TEST_CASE("sync: a tampered or damaged segment is refused whole; the next round completes") {
    syncfx::TeamFx fx(2);
    syncfx::make_customer(fx.ws(0), "张三", "13800000001");
    fx.sync(0);
    const std::string name = segment_name(fx.team, fx.ws(0).device().device_id, 1);
    const Bytes genuine = *fx.remote.peek(name);
    const std::string before = syncfx::domain_dump(fx.ws(1));
    for (int damage = 0; damage < 3; ++damage) {
        Bytes b = genuine;
        if (damage == 0) b[b.size() / 2] ^= 1;
        if (damage == 1) b.resize(b.size() - 10);
        if (damage == 2) b = *fx.remote.peek(registry_name(fx.team));  // another genuine file
        fx.remote.set(name, b);
        auto r = sync_once(fx.ws(1), fx.remote, fx.team);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "err.sync.tampered");
        CHECK(r.error().params.front().second == name);
        CHECK(syncfx::domain_dump(fx.ws(1)) == before);
    }
    fx.remote.set(name, genuine);
    fx.sync(1);
    CHECK(syncfx::domain_dump(fx.ws(1)) == syncfx::domain_dump(fx.ws(0)));
}

TEST_CASE("sync: every fault of every remote call, then a clean round: same data, nothing lost") {
    const RemoteOp ops[] = {RemoteOp::List, RemoteOp::Get, RemoteOp::PutNew, RemoteOp::PutIfMatch};
    const Fault faults[] = {Fault::Fail, Fault::LostReply, Fault::Garbage, Fault::Truncate, Fault::Conflict};
    int failed_rounds = 0, injected = 0;
    for (RemoteOp op : ops) {
        for (Fault fault : faults) {
            for (const char* where : {"/seg/", "/heads/"}) {
                CAPTURE(static_cast<int>(op));
                CAPTURE(static_cast<int>(fault));
                CAPTURE(where);
                syncfx::TeamFx fx(2);
                std::string a = syncfx::make_customer(fx.ws(0), "张三", "13800000001");
                fx.sync(0);
                fx.sync(1);
                fx.devices[0]->clock->advance_ms(1000);
                REQUIRE(update_customer(fx.ws(0), a, {{"notes", "n0"}}).ok());
                std::string b = syncfx::make_customer(fx.ws(0), "李四", "13800000002");
                fx.devices[1]->clock->advance_ms(1500);
                REQUIRE(update_customer(fx.ws(1), a, {{"needs", "n1"}}).ok());
                const std::string before1 = syncfx::domain_dump(fx.ws(1));

                fx.remote.inject(op, fault, op == RemoteOp::List ? "" : where);
                auto r0 = sync_once(fx.ws(0), fx.remote, fx.team);
                auto r1 = sync_once(fx.ws(1), fx.remote, fx.team);
                injected += static_cast<int>(fx.remote.faults_met());
                failed_rounds += !r0.ok() + !r1.ok();
                if (!r1.ok()) {
                    // Device 1's failed round applied nothing partial: either its data is
                    // as before, or whole segments (all of device 0's changes) went in.
                    const std::string now = syncfx::domain_dump(fx.ws(1));
                    CHECK((now == before1 || get_customer(fx.ws(1), b).ok()));
                }
                // Clean rounds: everything arrives everywhere.
                for (int round = 0; round < 2; ++round) {
                    fx.sync(0);
                    fx.sync(1);
                }
                CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
                CHECK(get_customer(fx.ws(1), a)->notes == "n0");
                CHECK(get_customer(fx.ws(0), a)->needs == "n1");
                CHECK(get_customer(fx.ws(1), b).ok());
            }
        }
    }
    CHECK(injected >= 25);     // most injections met a call (some calls never happen, e.g. no head conflict)
    CHECK(failed_rounds >= 15);
}

TEST_CASE("sync: a lost reply after a segment was stored is adopted; a broken upload is skipped") {
    syncfx::TeamFx fx(2);
    const std::string dev = fx.ws(0).device().device_id;
    syncfx::make_customer(fx.ws(0), "张三", "13800000001");
    fx.remote.inject(RemoteOp::PutNew, Fault::LostReply, "/seg/");
    CHECK_FALSE(sync_once(fx.ws(0), fx.remote, fx.team).ok());
    syncfx::make_customer(fx.ws(0), "李四", "13800000002");
    auto r = fx.sync(0);
    CHECK(r.segments_sent == 2);  // the stored one adopted, the second customer in segment 2
    CHECK(fx.remote.peek(segment_name(fx.team, dev, 2)) != nullptr);

    fx.remote.inject(RemoteOp::PutNew, Fault::Truncate, "/seg/");
    syncfx::make_customer(fx.ws(0), "王五", "13800000003");
    CHECK_FALSE(sync_once(fx.ws(0), fx.remote, fx.team).ok());
    fx.sync(0);  // segment 3 is broken on the remote: skipped, its changes go out as 4
    CHECK(fx.ws(0).setting("sync.skipped")->value_or("") == "[3]");
    CHECK(fx.remote.peek(segment_name(fx.team, dev, 4)) != nullptr);
    auto got = fx.sync(1);
    CHECK(got.segments_received == 3);
    CHECK(count(fx.ws(1), "SELECT count(*) FROM customers") == 3);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
}

TEST_CASE("sync: a large batch goes out in several segments and applies in order") {
    syncfx::TeamFx fx(2);
    std::vector<std::string> ids;
    REQUIRE(fx.ws(0).transaction([&]() -> Status {
        for (int i = 0; i < 450; ++i) {  // ~35 messages per customer with its contact and status
            auto id = create_customer(fx.ws(0), syncfx::person("客户" + std::to_string(i)),
                                      syncfx::mobile("139" + std::to_string(10000000 + i)));
            if (!id) return id.error();
            ids.push_back(*id);
        }
        return {};
    }).ok());
    auto sent = fx.sync(0);
    CHECK(sent.segments_sent >= 2);
    auto got = fx.sync(1);
    CHECK(got.segments_received == sent.segments_sent);
    CHECK(count(fx.ws(1), "SELECT count(*) FROM customers") == 450);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
}

TEST_CASE("sync: a round driven one remote call at a time, with the user editing between calls") {
    // The browser drives a Job this way: each call is a fetch() and frames (and edits) run
    // while it is in flight. An edit made mid-round goes out in the next round, not lost.
    syncfx::TeamFx fx(2);
    std::string a = syncfx::make_customer(fx.ws(0), "张三", "13800000001");
    Job<Result<SyncReport>> job(sync_round(fx.ws(0), fx.team));
    int calls = 0;
    std::string b;
    while (const RemoteCall* call = job.pending()) {
        if (++calls == 2) b = syncfx::make_customer(fx.ws(0), "李四", "13800000002");
        job.answer(perform(fx.remote, *call));
    }
    auto first = job.take_result();
    REQUIRE(first.ok());
    CHECK(calls >= 3);  // segment, head (get, put), heads list, ...
    fx.sync(0);         // carries 李四
    fx.sync(1);
    CHECK(get_customer(fx.ws(1), a)->name == "张三");
    CHECK(get_customer(fx.ws(1), b)->name == "李四");
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
}

TEST_CASE("sync: a job dropped half-way (the tab closed) leaves a state the next round completes") {
    syncfx::TeamFx fx(2);
    syncfx::make_customer(fx.ws(0), "张三", "13800000001");
    {
        Job<Result<SyncReport>> job(sync_round(fx.ws(0), fx.team));
        REQUIRE(job.pending());
        job.answer(perform(fx.remote, *job.pending()));  // the segment is stored, then the job is gone
    }
    fx.sync(0);
    fx.sync(1);
    CHECK(count(fx.ws(1), "SELECT count(*) FROM customers") == 1);
    CHECK(syncfx::domain_dump(fx.ws(0)) == syncfx::domain_dump(fx.ws(1)));
}
