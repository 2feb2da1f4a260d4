// sync/team and sync/segment: invite codes, sealed files (tamper, wrong key, truncation,
// a file passed off as another), segment decoding, the device-code registry.
#include "sync_fixture.h"

#include "sync/segment.h"

using namespace crm;
using namespace crm::sync;
using syncfx::msg;

TEST_CASE("team: invite codes round-trip and refuse typos") {
    Team t = new_team();
    CHECK(t.id.size() == 32);
    const std::string code = invite_code(t);
    CHECK(code.substr(0, 5) == "CRM1-");
    auto back = parse_invite(code);
    REQUIRE(back.ok());
    CHECK(back->id == t.id);
    CHECK(back->key == t.key);
    // Lower case, spaces instead of dashes, a line break: still the same team.
    std::string loose;
    for (char c : code) loose += c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    loose.insert(40, "\n");
    REQUIRE(parse_invite(loose).ok());
    CHECK(parse_invite(loose)->key == t.key);
    // Each single changed character is caught (the key part by the check bytes).
    int caught = 0, tried = 0;
    for (size_t i = 5; i < code.size(); i += 3) {
        if (code[i] == '-') continue;
        std::string typo = code;
        typo[i] = code[i] == 'A' ? 'B' : 'A';
        ++tried;
        caught += !parse_invite(typo).ok();
    }
    CHECK(caught >= tried - 1);  // 16 check bits: a miss is possible, but not a habit
    CHECK(parse_invite("CRM1-ABCD").error().code == "err.sync.invite_invalid");
    CHECK_FALSE(parse_invite("XRM1" + code.substr(4)).ok());
    CHECK_FALSE(parse_invite(code.substr(0, code.size() - 1) + "1").ok());  // '1' is not base32
}

TEST_CASE("team: sealed files open only with the key, unchanged, under their own name") {
    Team t = new_team(), other = new_team();
    const std::string name = segment_name(t, "00000000000000a0", 1);
    Bytes sealed = seal(t, name, "{\"hello\": \"世界\"}");
    auto opened = open(t, name, sealed);
    REQUIRE(opened.ok());
    CHECK(*opened == "{\"hello\": \"世界\"}");
    // The plain text is not visible in the sealed bytes.
    CHECK(std::string(sealed.begin(), sealed.end()).find("hello") == std::string::npos);

    auto wrong_key = t;
    wrong_key.key = other.key;
    CHECK(open(wrong_key, name, sealed).error().code == "err.sync.tampered");
    for (size_t i = 0; i < sealed.size(); i += 7) {
        Bytes flipped = sealed;
        flipped[i] ^= 0x20;
        CHECK_FALSE(open(t, name, flipped).ok());
    }
    Bytes truncated(sealed.begin(), sealed.end() - 1);
    CHECK_FALSE(open(t, name, truncated).ok());
    CHECK_FALSE(open(t, name, Bytes{}).ok());
    // Segment 1 stored as segment 2, or as another device's: refused.
    CHECK_FALSE(open(t, segment_name(t, "00000000000000a0", 2), sealed).ok());
    CHECK_FALSE(open(t, segment_name(t, "00000000000000b0", 1), sealed).ok());
    Error e = open(t, segment_name(t, "00000000000000a0", 2), sealed).error();
    CHECK(e.params.front().second == segment_name(t, "00000000000000a0", 2));
}

TEST_CASE("segment: encode, decode, and what open_segment refuses") {
    Team t = new_team();
    const std::string dev = "00000000000000a0";
    Segment s{t.id, dev, "张伟", 3, 42,
              {{"customers", dev + "-1", "name", "张三", HlcStamp{syncfx::t0(), 0, dev}.str()},
               {"customers", dev + "-1", "notes", std::nullopt, HlcStamp{syncfx::t0(), 1, dev}.str()}}};
    auto back = open_segment(t, dev, 3, seal_segment(t, s));
    REQUIRE_MESSAGE(back.ok(), msg(back.error()));
    CHECK(back->user == "张伟");
    CHECK(back->through == 42);
    REQUIRE(back->messages.size() == 2);
    CHECK(back->messages[0].value == std::optional<std::string>("张三"));
    CHECK_FALSE(back->messages[1].value.has_value());

    // A message stamped by another device.
    Segment forged = s;
    forged.messages[1].hlc = HlcStamp{syncfx::t0(), 1, "00000000000000b0"}.str();
    CHECK(open_segment(t, dev, 3, seal_segment(t, forged)).error().code == "err.sync.bad_segment");
    // A header naming another segment number, sealed under this file's name.
    Segment renumbered = s;
    renumbered.number = 4;
    Bytes b = seal(t, segment_name(t, dev, 3), encode_segment(renumbered));
    CHECK(open_segment(t, dev, 3, b).error().code == "err.sync.bad_segment");
    // Not a segment at all.
    for (const char* text : {"", "[]", "{\"format\": 2}", "{\"format\": 1, \"team\": 5}",
                             "{\"format\":1,\"team\":\"t\",\"device\":\"d\",\"user\":\"u\",\"segment\":1,\"through\":1,"
                             "\"messages\":[[\"customers\",\"x\",\"name\",7,\"s\"]]}"}) {
        auto d = decode_segment(text, "x");
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().code == "err.sync.bad_segment");
    }
}

TEST_CASE("team: joining hands out unique device codes, also when two join at once") {
    syncfx::TeamFx fx(3);
    CHECK(fx.ws(0).device().device_code == "01");
    CHECK(fx.ws(1).device().device_code == "02");
    CHECK(fx.ws(2).device().device_code == "03");
    CHECK(*fx.ws(1).setting("device.code") == std::optional<std::string>("02"));
    // Joining again keeps the code.
    CHECK(*join_team(fx.ws(1), fx.remote, fx.team) == "02");
    // A concurrent join: the registry moves under this one (412), it re-reads and takes the next code.
    auto d = syncfx::make_device(7, syncfx::t0());
    fx.remote.inject(RemoteOp::PutIfMatch, Fault::Conflict, "/team");
    auto code = join_team(d->ws, fx.remote, fx.team);
    REQUIRE_MESSAGE(code.ok(), msg(code.error()));
    CHECK(*code == "04");
    CHECK(fx.remote.faults_met() == 1);
    auto saved = load_team(d->ws);
    REQUIRE(saved.ok());
    REQUIRE(saved->has_value());
    CHECK((*saved)->key == fx.team.key);

    // A workspace that already numbered records with a code the team uses cannot join.
    auto busy = syncfx::make_device(8, syncfx::t0());
    syncfx::make_customer(busy->ws, "张三", "13800000001");
    auto refused = join_team(busy->ws, fx.remote, fx.team);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "err.sync.code_taken");
    CHECK(busy->ws.device().device_code == "01");
    // ... one whose code is free keeps it, records and all.
    auto free_code = crm::Workspace::open_memory({"00000000000000f0", "42", "x"}, std::make_shared<FixedClock>(syncfx::t0()));
    REQUIRE(free_code.ok());
    syncfx::make_customer(*free_code, "李四", "13800000002");
    CHECK(*join_team(*free_code, fx.remote, fx.team) == "42");

    // An invite with the team's id but another key: refused as such, nothing saved or written.
    auto stranger = syncfx::make_device(11, syncfx::t0());
    Team other_key = fx.team;
    other_key.key = new_team().key;
    auto registry_before = fx.remote.list(registry_name(fx.team));
    REQUIRE(registry_before.ok());
    auto wrong = join_team(stranger->ws, fx.remote, other_key);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "err.sync.wrong_key");
    auto not_saved = load_team(stranger->ws);
    REQUIRE(not_saved.ok());
    CHECK_FALSE(not_saved->has_value());
    CHECK(fx.remote.list(registry_name(fx.team))->front().etag == registry_before->front().etag);
    CHECK(*join_team(stranger->ws, fx.remote, fx.team) == "05");  // the right invite then joins

    // No such team; a team that exists already.
    auto lone = syncfx::make_device(9, syncfx::t0());
    CHECK(join_team(lone->ws, fx.remote, new_team()).error().code == "err.sync.team_missing");
    CHECK(create_team(lone->ws, fx.remote, fx.team).error().code == "err.sync.team_exists");
    // Creating again after a lost reply is fine: the registry is ours.
    auto creator = syncfx::make_device(10, syncfx::t0());
    Team t2 = new_team();
    fx.remote.inject(RemoteOp::PutNew, Fault::LostReply, t2.id);
    CHECK_FALSE(create_team(creator->ws, fx.remote, t2).ok());
    CHECK(create_team(creator->ws, fx.remote, t2).ok());
}
