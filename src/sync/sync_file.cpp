#include "sync/sync_file.h"

#include <sodium.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace crm::sync {

namespace {
constexpr const char* kFormat = "crm-sync-file-1";  // web/sync_remote.js FILE_FORMAT

Error file_invalid(std::string why) {
    Error e = make_error("err.sync.file_invalid", {}, why);
    e.with("name", std::move(why));
    return e;
}

Error named(const char* code, const std::string& name) {
    Error e = make_error(code, {}, name);
    e.with("name", name);
    return e;
}

// What a name is within the team's namespace (team.h): the order entries are written in.
enum class Kind { Segment = 0, Head = 1, Registry = 2, Other = 3 };

Kind kind_of(const Team& team, const std::string& name) {
    if (name == registry_name(team)) return Kind::Registry;
    if (name.rfind(heads_prefix(team), 0) == 0) return Kind::Head;
    if (name.rfind(team.id + "/seg/", 0) == 0) return Kind::Segment;
    return Kind::Other;
}

// A head's "last" and how many numbers it skips; a device only ever raises both.
struct HeadOrder {
    uint64_t last = 0;
    size_t skips = 0;
    bool operator<(const HeadOrder& o) const { return last != o.last ? last < o.last : skips < o.skips; }
};

Result<HeadOrder> head_order(const std::string& name, const std::string& plain) {
    auto j = nlohmann::json::parse(plain, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("last") || !j["last"].is_number_unsigned() ||
        !j.contains("skip") || !j["skip"].is_array())
        return named("err.sync.bad_segment", name);
    return HeadOrder{j["last"].get<uint64_t>(), j["skip"].size()};
}

// The union of two registries (local order, then the loaded file's new devices), or
// err.sync.registry_clash. *same_as_local / *same_as_loaded: the union adds nothing.
Result<std::vector<Member>> registry_union(const std::string& name, const std::vector<Member>& local,
                                           const std::vector<Member>& loaded, bool* same_as_local,
                                           bool* same_as_loaded) {
    std::vector<Member> out = local;
    std::map<std::string, std::string> code_of, device_of;
    for (const Member& m : local) code_of[m.device] = m.code, device_of[m.code] = m.device;
    for (const Member& m : loaded) {
        auto c = code_of.find(m.device);
        auto d = device_of.find(m.code);
        if ((c != code_of.end() && c->second != m.code) || (d != device_of.end() && d->second != m.device)) {
            Error e = named("err.sync.registry_clash", name);
            e.with("code", m.code);
            return e;
        }
        if (c == code_of.end()) {
            out.push_back(m);
            code_of[m.device] = m.code, device_of[m.code] = m.device;
        }
    }
    *same_as_local = out.size() == local.size();
    *same_as_loaded = out.size() == loaded.size();
    return out;
}
}  // namespace

Result<std::vector<SyncFileEntry>> parse_sync_file(std::string_view text) {
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) return file_invalid("the file is not JSON");
    if (!doc.is_object() || !doc.contains("format") || doc["format"] != kFormat || !doc.contains("files") ||
        !doc["files"].is_object())
        return file_invalid("the file is not a sync file");
    std::vector<SyncFileEntry> out;
    for (const auto& [name, f] : doc["files"].items()) {
        if (!f.is_object() || !f.contains("data") || !f["data"].is_string() || name.empty())
            return file_invalid("bad entry " + name);
        const std::string& b64 = f["data"].get_ref<const std::string&>();
        SyncFileEntry e{name, Bytes(b64.size() / 4 * 3 + 3)};
        size_t len = 0;
        if (sodium_base642bin(e.bytes.data(), e.bytes.size(), b64.data(), b64.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return file_invalid("bad data for " + name);
        e.bytes.resize(len);
        out.push_back(std::move(e));
    }
    return out;
}

Task<Result<FileMerge>> merge_sync_file(Team team, std::vector<SyncFileEntry> entries) {
    FileMerge report;
    // 1. Everything in the file must be this team's and open with its key.
    std::vector<std::string> plain(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        const std::string& name = entries[i].name;
        if (name.rfind(team.id + "/", 0) != 0) co_return named("err.sync.file_other_team", name.substr(0, name.find('/')));
        if (kind_of(team, name) == Kind::Other) co_return file_invalid("bad entry " + name);
        auto p = open(team, name, entries[i].bytes);
        if (!p) co_return p.error();
        plain[i] = std::move(*p);
    }
    // 2. Compare with what this device holds; decide every write before making one.
    auto held = co_await remote_list(team.id + "/");
    if (!held) co_return held.error();
    std::map<std::string, std::string> etag_of;
    for (const RemoteFile& f : *held) etag_of[f.name] = f.etag;

    struct Write {
        Kind kind;
        std::string name, etag;  // etag empty: a new name
        Bytes bytes;
    };
    std::vector<Write> writes;
    for (size_t i = 0; i < entries.size(); ++i) {
        SyncFileEntry& e = entries[i];
        const Kind kind = kind_of(team, e.name);
        auto at = etag_of.find(e.name);
        if (at == etag_of.end()) {
            writes.push_back({kind, e.name, "", std::move(e.bytes)});
            ++report.added;
            continue;
        }
        auto mine = co_await remote_get(e.name);
        if (!mine) co_return mine.error();
        if (mine->bytes == e.bytes) {
            ++report.same;
            continue;
        }
        if (kind == Kind::Segment) co_return named("err.sync.tampered", e.name);  // written once, never changed
        auto mine_plain = open(team, e.name, mine->bytes);
        if (!mine_plain) co_return mine_plain.error();
        if (kind == Kind::Head) {
            auto theirs = head_order(e.name, plain[i]);
            if (!theirs) co_return theirs.error();
            auto ours = head_order(e.name, *mine_plain);
            if (!ours) co_return ours.error();
            if (*ours < *theirs) {
                writes.push_back({kind, e.name, mine->etag, std::move(e.bytes)});
                ++report.replaced;
            } else {
                ++report.same;
            }
            continue;
        }
        auto theirs = parse_registry(team, plain[i]);
        if (!theirs) co_return theirs.error();
        auto ours = parse_registry(team, *mine_plain);
        if (!ours) co_return ours.error();
        bool same_as_local = false, same_as_loaded = false;
        auto merged = registry_union(e.name, *ours, *theirs, &same_as_local, &same_as_loaded);
        if (!merged) co_return merged.error();
        if (same_as_local) {
            ++report.same;
        } else {
            // The loaded copy as it is when it already lists everyone, else the union sealed anew.
            Bytes bytes = same_as_loaded ? std::move(e.bytes) : seal(team, e.name, registry_json(team, *merged));
            writes.push_back({kind, e.name, mine->etag, std::move(bytes)});
            ++report.replaced;
        }
    }
    // 3. Segments before the heads that point at them, the registry last.
    std::stable_sort(writes.begin(), writes.end(), [](const Write& a, const Write& b) { return a.kind < b.kind; });
    for (Write& w : writes) {
        Result<std::string> put = std::string();
        // (if/else, not ?:, around co_await: GCC 12 miscompiles co_await inside ?:)
        if (w.etag.empty()) put = co_await remote_put_new(w.name, std::move(w.bytes));
        else put = co_await remote_put_if_match(w.name, std::move(w.bytes), w.etag);
        if (!put) co_return put.error();
    }
    co_return report;
}

}  // namespace crm::sync
