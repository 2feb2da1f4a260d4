// The sync file (kind 'file'): reading one, and loading it into the namespace a device keeps
// (merge_sync_file): it adds, never replaces; heads keep the higher number; registries
// unite; anything tampered, of another team or clashing is refused before anything is written.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "sync_fixture.h"

#include "sync/session.h"
#include "sync/sync_file.h"

using namespace crm;
using namespace crm::sync;

namespace {
// "Send my changes": everything a device's namespace holds, as the loaded file gives it.
std::vector<SyncFileEntry> everything(MemoryRemote& r) {
    std::vector<SyncFileEntry> out;
    auto files = r.list("");
    REQUIRE(files.ok());
    for (const RemoteFile& f : *files) out.push_back({f.name, r.get(f.name)->bytes});
    return out;
}

std::string file_text(const std::vector<SyncFileEntry>& entries) {
    nlohmann::json files = nlohmann::json::object();
    for (const SyncFileEntry& e : entries) {
        std::string b64(sodium_base64_ENCODED_LEN(e.bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
        sodium_bin2base64(b64.data(), b64.size(), e.bytes.data(), e.bytes.size(), sodium_base64_VARIANT_ORIGINAL);
        b64.pop_back();
        files[e.name] = {{"etag", "\"x\""}, {"data", b64}};
    }
    return nlohmann::json{{"format", "crm-sync-file-1"}, {"files", files}}.dump();
}

Result<FileMerge> load(MemoryRemote& into, const Team& team, std::vector<SyncFileEntry> entries) {
    return run(merge_sync_file(team, std::move(entries)), into);
}

std::vector<Member> members(MemoryRemote& r, const Team& team) {
    auto plain = open(team, registry_name(team), *r.peek(registry_name(team)));
    REQUIRE(plain.ok());
    return *parse_registry(team, *plain);
}
}  // namespace

TEST_CASE("sync file: the text is read back; what is not a sync file is refused") {
    const std::vector<SyncFileEntry> entries = {{"t/seg/d/0000000001", {1, 2, 3, 250}}, {"t/team", {}}};
    auto back = parse_sync_file(file_text(entries));
    REQUIRE(back.ok());
    REQUIRE(back->size() == 2);
    CHECK(back->at(0).name == "t/seg/d/0000000001");
    CHECK(back->at(0).bytes == Bytes{1, 2, 3, 250});
    CHECK(back->at(1).bytes.empty());
    for (const char* bad : {"", "not json", "[]", R"({"format":"other","files":{}})", R"({"format":"crm-sync-file-1"})",
                            R"({"format":"crm-sync-file-1","files":{"a":{"etag":"x","data":"***"}}})",
                            R"({"format":"crm-sync-file-1","files":{"a":1}})"}) {
        auto r = parse_sync_file(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "err.sync.file_invalid");
    }
}

TEST_CASE("sync file: two devices exchange edits only through files, both ways") {
    auto a = syncfx::make_device(0, syncfx::t0());
    auto b = syncfx::make_device(1, syncfx::t0());
    MemoryRemote at_a, at_b;  // what each device keeps (the page's local namespace)
    const Team team = new_team();
    const std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    REQUIRE(run(start_team_job(a->ws, team), at_a).status.ok());

    // B joins from A's file; A loads B's answer and learns B's device and code.
    SyncOutcome joined = run(join_from_file_job(b->ws, team, *parse_sync_file(file_text(everything(at_a)))), at_b);
    REQUIRE_MESSAGE(joined.status.ok(), (joined.status.ok() ? "" : syncfx::msg(joined.status.error())));
    CHECK(joined.device_code == "02");
    CHECK(joined.loaded.added == at_a.file_count());
    CHECK(get_customer(b->ws, id)->name == "张三");
    SyncOutcome back = run(load_file_job(a->ws, everything(at_b)), at_a);
    REQUIRE(back.status.ok());
    CHECK(back.loaded.replaced == 1);  // the registry: B is in it now
    CHECK(members(at_a, team).size() == 2);

    // An edit on B reaches A; one on A reaches B.
    b->clock->advance_ms(5000);
    REQUIRE(update_customer(b->ws, id, {{"notes", "平板写的"}}).ok());
    REQUIRE(run(sync_job(b->ws), at_b).status.ok());
    const auto from_b = everything(at_b);
    SyncOutcome got = run(load_file_job(a->ws, from_b), at_a);
    REQUIRE(got.status.ok());
    CHECK(got.report.messages_applied > 0);
    CHECK(get_customer(a->ws, id)->notes == "平板写的");
    a->clock->advance_ms(10000);
    REQUIRE(update_customer(a->ws, id, {{"notes", "桌面写的"}}).ok());
    REQUIRE(run(sync_job(a->ws), at_a).status.ok());
    REQUIRE(run(load_file_job(b->ws, everything(at_a)), at_b).status.ok());
    CHECK(get_customer(b->ws, id)->notes == "桌面写的");
    CHECK(syncfx::domain_dump(a->ws) == syncfx::domain_dump(b->ws));

    // An old file of B's loaded again adds nothing and does not move A's copy of B's head back.
    const Bytes head_before = *at_a.peek(head_name(team, b->ws.device().device_id));
    const size_t files_before = at_a.file_count();
    SyncOutcome old = run(load_file_job(a->ws, *parse_sync_file(file_text(from_b))), at_a);
    REQUIRE(old.status.ok());
    CHECK(old.loaded.added == 0);
    CHECK(old.loaded.replaced == 0);
    CHECK(at_a.file_count() == files_before);
    CHECK(*at_a.peek(head_name(team, b->ws.device().device_id)) == head_before);
}

TEST_CASE("sync file: a newer head replaces an older one, an older one never does") {
    MemoryRemote mine;
    const Team team = new_team();
    const std::string name = head_name(team, "00000000000000a1");
    auto head = [&](int last) {
        return seal(team, name, R"({"format":1,"device":"00000000000000a1","last":)" + std::to_string(last) + R"(,"skip":[]})");
    };
    REQUIRE(mine.put_new(name, head(3)).ok());
    auto older = load(mine, team, {{name, head(2)}});
    REQUIRE(older.ok());
    CHECK(older->replaced == 0);
    CHECK(*open(team, name, *mine.peek(name)) == *open(team, name, head(3)));
    auto newer = load(mine, team, {{name, head(5)}});
    REQUIRE(newer.ok());
    CHECK(newer->replaced == 1);
    CHECK(open(team, name, *mine.peek(name))->find("\"last\":5") != std::string::npos);
}

TEST_CASE("sync file: registries unite; one code for two devices is refused") {
    MemoryRemote mine;
    const Team team = new_team();
    const std::string name = registry_name(team);
    auto registry = [&](std::vector<Member> m) { return seal(team, name, registry_json(team, m)); };
    REQUIRE(mine.put_new(name, registry({{"d1", "01", "甲"}, {"d2", "02", "乙"}})).ok());
    // Each copy knows a device the other does not: the union, sealed anew.
    auto united = load(mine, team, {{name, registry({{"d1", "01", "甲"}, {"d3", "03", "丙"}})}});
    REQUIRE(united.ok());
    CHECK(united->replaced == 1);
    const auto all = members(mine, team);
    REQUIRE(all.size() == 3);
    CHECK(all[2].device == "d3");
    CHECK(all[2].code == "03");
    // Code 02 given to another device: refused, nothing changed.
    const Bytes before = *mine.peek(name);
    auto clash = load(mine, team, {{name, registry({{"d1", "01", "甲"}, {"d9", "02", "丁"}})}});
    REQUIRE_FALSE(clash.ok());
    CHECK(clash.error().code == "err.sync.registry_clash");
    // And one device with two codes.
    auto two_codes = load(mine, team, {{name, registry({{"d1", "07", "甲"}})}});
    REQUIRE_FALSE(two_codes.ok());
    CHECK(two_codes.error().code == "err.sync.registry_clash");
    CHECK(*mine.peek(name) == before);
}

TEST_CASE("sync file: tampered, changed or foreign files are refused whole, nothing written") {
    MemoryRemote mine;
    const Team team = new_team();
    const std::string seg1 = segment_name(team, "d1", 1), seg2 = segment_name(team, "d1", 2);
    REQUIRE(mine.put_new(seg1, seal(team, seg1, "one")).ok());
    const size_t files = mine.file_count();

    // A flipped byte in a new segment, even after a good entry: nothing is added.
    Bytes flipped = seal(team, seg2, "two");
    flipped[30] ^= 1;
    auto tampered = load(mine, team, {{segment_name(team, "d1", 3), seal(team, segment_name(team, "d1", 3), "three")},
                                      {seg2, flipped}});
    REQUIRE_FALSE(tampered.ok());
    CHECK(tampered.error().code == "err.sync.tampered");
    CHECK(mine.file_count() == files);
    // A segment held already, with other (validly sealed) bytes: segments are written once.
    auto changed = load(mine, team, {{seg1, seal(team, seg1, "not one")}});
    REQUIRE_FALSE(changed.ok());
    CHECK(changed.error().code == "err.sync.tampered");
    // Another team's file, and a file sealed with another key under this team's names.
    const Team other = new_team();
    auto foreign = load(mine, team, {{registry_name(other), seal(other, registry_name(other), "{}")}});
    REQUIRE_FALSE(foreign.ok());
    CHECK(foreign.error().code == "err.sync.file_other_team");
    auto wrong_key = load(mine, team, {{seg2, seal(other, seg2, "two")}});
    REQUIRE_FALSE(wrong_key.ok());
    CHECK(wrong_key.error().code == "err.sync.tampered");
    CHECK(mine.file_count() == files);
    // The same segment again: nothing to do.
    auto same = load(mine, team, {{seg1, *mine.peek(seg1)}});
    REQUIRE(same.ok());
    CHECK(same->same == 1);
}
