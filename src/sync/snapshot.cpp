// Snapshots: the merged state in parts, the pointer, joining from one, writing one.
//
// Index of this file
//   [SECTION] names, local state
//   [SECTION] the pointer
//   [SECTION] parts: building from the database, opening
//   [SECTION] joining from a snapshot
//   [SECTION] writing a snapshot
#include "sync/snapshot.h"

#include <charconv>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "sync/inbox.h"
#include "sync/segment.h"

namespace crm::sync {

namespace {
constexpr int kFormat = 1;
constexpr int kPointerTries = 5;
constexpr std::string_view kCursorPrefix = "sync.cursor.";
// What this device last knew of the pointer's covers: the rule needs no remote call
// until enough segments piled up past it.
constexpr const char* kKnownCovers = "sync.snapshot_covers";
constexpr const char* kNextSnapshot = "sync.next_snapshot";

using json = nlohmann::json;

Error bad(std::string_view name, const std::string& why) {
    Error e = make_error("err.sync.bad_segment", {}, std::string(name) + ": " + why);
    e.with("name", std::string(name));
    return e;
}

std::optional<uint64_t> parse_count(std::string_view s) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return n;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// ---- [SECTION] names, local state ------------------------------------------------------------

std::optional<Covers> parse_covers(const json& j) {
    if (!j.is_object()) return std::nullopt;
    Covers out;
    for (const auto& [device, n] : j.items()) {
        if (!is_valid_device_id(device) || !n.is_number_unsigned()) return std::nullopt;
        out[device] = n.get<uint64_t>();
    }
    return out;
}

// What this device holds: for every other device the last segment applied here, for
// itself its last segment on the remote.
Result<Covers> local_covers(Workspace& ws) {
    auto applied = applied_cursors(ws);
    if (!applied) return applied.error();
    Covers out = std::move(*applied);
    auto next = ws.setting("sync.next_segment");
    if (!next) return next.error();
    if (auto n = *next ? parse_count(**next) : std::nullopt; n && *n > 1) out[ws.device().device_id] = *n - 1;
    return out;
}

Result<Covers> known_covers(Workspace& ws) {
    auto v = ws.setting(kKnownCovers);
    if (!v) return v.error();
    if (!*v) return Covers{};
    return parse_covers(json::parse(**v, nullptr, false)).value_or(Covers{});
}

Status save_known_covers(Workspace& ws, const Covers& covers) { return ws.set_setting(kKnownCovers, json(covers).dump()); }

// Segments `have` holds beyond `base`.
uint64_t beyond(const Covers& have, const Covers& base) {
    uint64_t n = 0;
    for (const auto& [device, last] : have) {
        auto it = base.find(device);
        const uint64_t from = it == base.end() ? 0 : it->second;
        if (last > from) n += last - from;
    }
    return n;
}

bool covers_all(const Covers& a, const Covers& b) { return beyond(b, a) == 0; }

// Only a damaged or incomplete snapshot makes a device read segments instead; any other
// remote error (network, authorization, ...) ends the round and the next one tries again.
bool is_damage(const Error& e) {
    return e.code == "err.sync.tampered" || e.code == "err.sync.bad_segment" || e.code == kRemoteMissing;
}

// ---- [SECTION] the pointer -------------------------------------------------------------------

std::string pointer_json(const Team& team, const SnapshotPointer& p) {
    return dump({{"format", kFormat}, {"team", team.id}, {"device", p.device}, {"snapshot", p.number},
                 {"parts", p.parts}, {"records", p.records}, {"covers", p.covers}, {"users", p.users}});
}
}  // namespace

Result<Covers> applied_cursors(Workspace& ws) {
    auto rows = query_rows(ws.db(), "SELECT key, value FROM settings WHERE key LIKE 'sync.cursor.%'");
    if (!rows) return rows.error();
    Covers out;
    for (const Row& r : *rows) {
        const std::string device = value(r, "key").substr(std::string_view("sync.cursor.").size());
        auto n = parse_count(value(r, "value"));
        if (is_valid_device_id(device) && n && *n) out[device] = *n;
    }
    return out;
}

std::string snapshot_pointer_name(const Team& team) { return team.id + "/snapshot"; }

std::string snapshot_part_name(const Team& team, std::string_view device, uint64_t number, uint64_t part) {
    char n[48];
    std::snprintf(n, sizeof n, "%010llu.%04llu", static_cast<unsigned long long>(number),
                  static_cast<unsigned long long>(part));
    return team.id + "/snap/" + std::string(device) + "/" + n;
}

Bytes seal_snapshot_pointer(const Team& team, const SnapshotPointer& pointer) {
    return seal(team, snapshot_pointer_name(team), pointer_json(team, pointer));
}

Result<SnapshotPointer> open_snapshot_pointer(const Team& team, const Bytes& sealed) {
    const std::string name = snapshot_pointer_name(team);
    auto plain = open(team, name, sealed);
    if (!plain) return plain.error();
    auto j = json::parse(*plain, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad(name, "not JSON");
    if (!j.contains("format") || j["format"] != kFormat) return bad(name, "unknown format");
    auto count = [&](const char* k) { return j.contains(k) && j[k].is_number_unsigned(); };
    if (!j.contains("team") || j["team"] != team.id || !j.contains("device") || !j["device"].is_string() ||
        !is_valid_device_id(j["device"].get<std::string>()) || !count("snapshot") || !count("parts") ||
        !count("records") || !j.contains("covers") || !j.contains("users") || !j["users"].is_object())
        return bad(name, "header");
    SnapshotPointer p;
    p.device = j["device"].get<std::string>();
    p.number = j["snapshot"].get<uint64_t>();
    p.parts = j["parts"].get<uint64_t>();
    p.records = j["records"].get<uint64_t>();
    auto covers = parse_covers(j["covers"]);
    if (!covers) return bad(name, "covers");
    p.covers = std::move(*covers);
    for (const auto& [device, user] : j["users"].items())
        if (user.is_string()) p.users[device] = user.get<std::string>();
    return p;
}

// ---- [SECTION] parts: building from the database, opening ------------------------------------
//
// A record is [table, id, base stamp or null, {field: value} written by the base stamp,
// [[field, value, stamp], ...] written later]. The base stamp is the record's creation
// ('*' in field_clocks); every field (and "deleted") goes out with the newer of its own
// and the base stamp, as Workspace::apply_remote compares them. A field never stamped here
// (an edit received before its record's creation) is left out, as it is NULL.

namespace {
struct PartCursor {
    size_t table = 0;   // index in tables()
    std::string after;  // the last id taken from it
};

// Up to `max` records from `at` on, in table order, then id order.
Result<json> build_records(Workspace& ws, PartCursor& at, size_t max) {
    json out = json::array();
    const std::vector<TableMeta>& all = tables();
    while (out.size() < max && at.table < all.size()) {
        const TableMeta& t = all[at.table];
        std::string cols = "id, deleted";
        for (const FieldMeta& f : t.fields)
            if (f.name != "updated_at") cols += ", " + f.name;
        auto rows = query_rows(ws.db(), "SELECT " + cols + " FROM " + t.name + " WHERE id > ? ORDER BY id LIMIT ?",
                               {at.after, std::to_string(max - out.size())});
        if (!rows) return rows.error();
        if (rows->empty()) {
            ++at.table;
            at.after.clear();
            continue;
        }
        const std::string last = value(rows->back(), "id");
        auto stamps = query_rows(ws.db(),
                                 "SELECT record_id, field, hlc FROM field_clocks "
                                 "WHERE tbl = ? AND record_id > ? AND record_id <= ?",
                                 {t.name, at.after, last});
        if (!stamps) return stamps.error();
        std::map<std::string, std::map<std::string, std::string>> clocks;
        for (const Row& c : *stamps) clocks[value(c, "record_id")][value(c, "field")] = value(c, "hlc");
        for (const Row& r : *rows) {
            const std::string id = value(r, "id");
            const std::map<std::string, std::string>& own = clocks[id];
            auto star = own.find(kCreatedChange);
            const std::string base = star == own.end() ? std::string() : star->second;
            json fields = json::object(), later = json::array();
            auto emit = [&](const std::string& f) {
                auto it = own.find(f);
                const std::string stamp = it != own.end() && it->second > base ? it->second : base;
                if (stamp.empty()) return;
                const std::optional<std::string>& v = r.at(f);
                json val = v ? json(*v) : json(nullptr);
                if (stamp == base) fields[f] = std::move(val);
                else later.push_back(json::array({f, std::move(val), stamp}));
            };
            for (const FieldMeta& f : t.fields)
                if (f.name != "updated_at") emit(f.name);
            emit("deleted");
            if (fields.empty() && later.empty()) continue;  // never stamped: nothing to merge
            out.push_back(json::array({t.name, id, base.empty() ? json(nullptr) : json(base), std::move(fields),
                                       std::move(later)}));
        }
        at.after = last;
    }
    return out;
}

std::string part_json(const Team& team, const std::string& device, uint64_t number, uint64_t part, json records) {
    return dump({{"format", kFormat}, {"team", team.id}, {"device", device}, {"snapshot", number}, {"part", part},
                 {"records", std::move(records)}});
}

bool is_value(const json& v) { return v.is_string() || v.is_null(); }
std::optional<std::string> value_of(const json& v) {
    return v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt;
}
}  // namespace

Result<std::vector<SnapshotBatch>> open_snapshot_part(const Team& team, const SnapshotPointer& pointer, uint64_t part,
                                                      const Bytes& sealed, size_t* records) {
    const std::string name = snapshot_part_name(team, pointer.device, pointer.number, part);
    auto plain = open(team, name, sealed);
    if (!plain) return plain.error();
    auto j = json::parse(*plain, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad(name, "not JSON");
    if (!j.contains("format") || j["format"] != kFormat) return bad(name, "unknown format");
    if (!j.contains("team") || j["team"] != team.id || !j.contains("device") || j["device"] != pointer.device ||
        !j.contains("snapshot") || j["snapshot"] != pointer.number || !j.contains("part") || j["part"] != part ||
        !j.contains("records") || !j["records"].is_array())
        return bad(name, "header names another file");
    // One batch per device that created the records: its user is the actor of their
    // history rows, as when the records come in that device's segments.
    std::map<std::string, SnapshotBatch> batches;
    size_t n = 0;
    for (const json& r : j["records"]) {
        const std::string at = "record " + std::to_string(n++);
        if (!r.is_array() || r.size() != 5 || !r[0].is_string() || !r[1].is_string() ||
            !(r[2].is_string() || r[2].is_null()) || !r[3].is_object() || !r[4].is_array())
            return bad(name, at);
        const std::string table = r[0].get<std::string>(), id = r[1].get<std::string>();
        const std::string base = r[2].is_string() ? r[2].get<std::string>() : std::string();
        if (base.empty() && !r[3].empty()) return bad(name, at);
        std::string creator = base;
        std::vector<RemoteChange> messages;
        for (const auto& [field, v] : r[3].items()) {
            if (!is_value(v)) return bad(name, at);
            messages.push_back({table, id, field, value_of(v), base});
        }
        for (const json& l : r[4]) {
            if (!l.is_array() || l.size() != 3 || !l[0].is_string() || !is_value(l[1]) || !l[2].is_string())
                return bad(name, at);
            messages.push_back({table, id, l[0].get<std::string>(), value_of(l[1]), l[2].get<std::string>()});
            if (creator.empty()) creator = messages.back().hlc;
        }
        // (a malformed stamp is refused by apply_remote with err.sync.bad_message)
        auto stamp = parse_hlc(creator);
        const std::string device = stamp ? stamp->device : std::string();
        SnapshotBatch& b = batches[device];
        b.device = device;
        b.messages.insert(b.messages.end(), std::make_move_iterator(messages.begin()),
                          std::make_move_iterator(messages.end()));
    }
    if (records) *records = n;
    std::vector<SnapshotBatch> out;
    for (auto& [device, b] : batches) {
        auto user = pointer.users.find(device);
        if (user != pointer.users.end()) b.user = user->second;
        out.push_back(std::move(b));
    }
    return out;
}

// ---- [SECTION] reading a snapshot: stage, then apply ------------------------------------------
//
// Parts are fetched one at a time; each, once opened and checked, is kept in the table
// sync_stage (one small transaction per part; a round cut short resumes at the next part of
// the same snapshot). When every part is there, the stage is applied in ONE transaction
// with the cursors, a part at a time in rowid order: a damaged part, or one that does not
// apply, leaves the domain tables as they were. No transaction is open while a part is
// fetched, and one part (or a chunk of the stage) is in memory at a time.

namespace {
constexpr int kPointerRereads = 3;      // parts gone mid-read: a newer snapshot replaced this one
constexpr int64_t kStageChunk = 20000;  // stage rows read back at a time

std::string snapshot_id(const SnapshotPointer& p) { return p.device + "/" + std::to_string(p.number); }

Status clear_stage(Workspace& ws) { return ws.db().exec("DELETE FROM sync_stage"); }

// The next part of snapshot `id` to fetch; a stage another snapshot left is cleared.
Result<uint64_t> next_unstaged(Workspace& ws, const std::string& id) {
    auto rows = query_rows(ws.db(), "SELECT snapshot, max(part) AS part FROM sync_stage GROUP BY snapshot");
    if (!rows) return rows.error();
    if (rows->size() == 1 && value(rows->front(), "snapshot") == id)
        return parse_count(value(rows->front(), "part")).value_or(0) + 1;
    if (!rows->empty())
        if (auto s = clear_stage(ws); !s) return s.error();
    return uint64_t{1};
}

Status stage_part(Workspace& ws, const std::string& id, uint64_t part, const std::vector<SnapshotBatch>& batches) {
    return ws.db().transaction([&]() -> Status {
        auto st = ws.db().cached(
            "INSERT INTO sync_stage(snapshot, part, device, user, tbl, record_id, field, value, hlc) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!st) return st.error();
        for (const SnapshotBatch& b : batches) {
            for (const RemoteChange& m : b.messages) {
                (*st)->bind_text(1, id).bind_int(2, static_cast<int64_t>(part)).bind_text(3, b.device);
                (*st)->bind_text(4, b.user).bind_text(5, m.table).bind_text(6, m.id).bind_text(7, m.field);
                (*st)->bind_opt(8, m.value).bind_text(9, m.hlc);
                if (auto s = (*st)->run(); !s) return s;
            }
        }
        return {};
    });
}

// The cursors jump to what the snapshot covers (never back), in the caller's transaction.
Status take_covers(Workspace& ws, const SnapshotPointer& pointer) {
    for (const auto& [device, n] : pointer.covers) {
        if (device == ws.device().device_id) continue;
        const std::string key = std::string(kCursorPrefix) + device;
        auto have = ws.setting(key);
        if (!have) return have.error();
        auto cur = *have ? parse_count(**have) : std::nullopt;
        if (cur && *cur >= n) continue;
        if (auto s = ws.set_setting(key, std::to_string(n)); !s) return s;
    }
    return save_known_covers(ws, pointer.covers);
}

// Every staged part, with the same checks as a segment (clock ahead, apply_remote), then
// the cursors and the stage cleared: one transaction. An error names the part.
Status apply_stage(Workspace& ws, const Team& team, const SnapshotPointer& pointer, SnapshotStats& stats) {
    RemoteApplied counted;
    Status s = ws.transaction([&]() -> Status {
        int64_t after = 0;
        for (;;) {
            auto st = ws.db().prepare(
                "SELECT rowid, part, device, user, tbl, record_id, field, value, hlc FROM sync_stage "
                "WHERE rowid > ? ORDER BY rowid LIMIT ?");
            if (!st) return st.error();
            st->bind_int(1, after).bind_int(2, kStageChunk);
            // Consecutive rows of one part and one device are one batch (its user the actor).
            std::vector<std::pair<uint64_t, Segment>> batches;
            for (;;) {
                auto row = st->step();
                if (!row) return row.error();
                if (!*row) break;
                after = st->int64(0);
                const uint64_t part = static_cast<uint64_t>(st->int64(1));
                const std::string device = st->text(2);
                if (batches.empty() || batches.back().first != part || batches.back().second.device != device)
                    batches.push_back({part, Segment{team.id, device, st->text(3), 0, 0, {}}});
                batches.back().second.messages.push_back(
                    {st->text(4), st->text(5), st->text(6), st->opt_text(7), st->text(8)});
            }
            if (batches.empty()) break;
            for (const auto& [part, seg] : batches) {
                auto r = apply_segment(ws, seg);
                if (!r) {
                    const std::string name = snapshot_part_name(team, pointer.device, pointer.number, part);
                    Error e = r.error();
                    e.detail = name + ": " + e.detail;
                    e.with("name", name);
                    return e;
                }
                counted.applied += r->applied;
                counted.stale += r->stale;
            }
        }
        if (auto t = take_covers(ws, pointer); !t) return t;
        return clear_stage(ws);
    });
    if (s) {  // counted once committed
        stats.values_applied += counted.applied;
        stats.values_stale += counted.stale;
    }
    return s;
}

// Reads the current snapshot into the stage and applies it, when it is of use: for a new
// device (need_device empty) when it holds another device's segments; to catch up, when
// it covers segment need_segment of need_device. Returns a transport error (the round
// ends; the stage is kept and the next round goes on from it). A snapshot that cannot be
// used (damaged, a part missing, a part that does not apply) is handed back in `damaged`,
// with nothing applied and the stage cleared. `used`: it was applied.
Task<Status> read_snapshot(Workspace& ws, const Team& team, const std::string& need_device, uint64_t need_segment,
                           SnapshotStats& stats, Status& damaged, bool& used) {
    const std::string pname = snapshot_pointer_name(team);
    for (int attempt = 0;; ++attempt) {
        auto got = co_await remote_get(pname);
        if (!got && got.error().code == kRemoteMissing) co_return Status{};
        if (!got) co_return got.error();
        auto pointer = open_snapshot_pointer(team, got->bytes);
        if (!pointer) {
            damaged = pointer.error();
            co_return Status{};
        }
        const SnapshotPointer p = *pointer;
        if (need_device.empty()) {
            // Nothing to gain when it holds no other device's segments (this device's own
            // snapshot, or a team where only this device wrote): no cursor would move, so
            // every round would read it again.
            Covers others = p.covers;
            others.erase(ws.device().device_id);
            if (beyond(others, {}) == 0) co_return Status{};
        } else {
            auto it = p.covers.find(need_device);
            if (it == p.covers.end() || it->second < need_segment) co_return Status{};
        }
        const std::string id = snapshot_id(p);
        auto first = next_unstaged(ws, id);
        if (!first) co_return first.error();
        bool vanished = false;
        for (uint64_t part = *first; part <= p.parts; ++part) {
            const std::string name = snapshot_part_name(team, p.device, p.number, part);
            auto bytes = co_await remote_get(name);
            if (!bytes && bytes.error().code == kRemoteMissing && attempt < kPointerRereads) {
                vanished = true;  // pruned after a newer pointer was stored: read that one
                break;
            }
            if (!bytes && !is_damage(bytes.error())) co_return bytes.error();
            size_t records = 0;
            auto batches = bytes ? open_snapshot_part(team, p, part, bytes->bytes, &records)
                                 : Result<std::vector<SnapshotBatch>>(bytes.error());
            if (!batches) {
                damaged = batches.error();
                co_return clear_stage(ws);
            }
            if (auto s = stage_part(ws, id, part, *batches); !s) co_return s;
            ++stats.parts_read;
            stats.records_read += records;
        }
        if (vanished) continue;
        if (auto s = apply_stage(ws, team, p, stats); !s) {
            damaged = s;
            co_return clear_stage(ws);
        }
        used = true;
        co_return Status{};
    }
}
}  // namespace

Task<Status> join_from_snapshot(Workspace& ws, const Team& team, SnapshotStats& stats, Status& damaged) {
    auto mine = local_covers(ws);
    if (!mine) co_return mine.error();
    for (const auto& [device, n] : *mine)
        if (device != ws.device().device_id && n > 0) co_return Status{};  // not new: segments from its cursors
    const std::string none;
    bool used = false;
    co_return co_await read_snapshot(ws, team, none, 0, stats, damaged, used);
}

Task<Status> catch_up_from_snapshot(Workspace& ws, const Team& team, const std::string& device, uint64_t segment,
                                    SnapshotStats& stats, bool& used) {
    Status damaged;
    auto s = co_await read_snapshot(ws, team, device, segment, stats, damaged, used);
    if (!s) co_return s;
    co_return damaged;
}

// ---- [SECTION] writing a snapshot ------------------------------------------------------------

namespace {
Result<uint64_t> count_records(Workspace& ws) {
    uint64_t n = 0;
    for (const TableMeta& t : tables()) {
        auto c = ws.db().query_int("SELECT count(*) FROM " + t.name);
        if (!c) return c.error();
        n += static_cast<uint64_t>(c->value_or(0));
    }
    return n;
}

// Parts first (create-only; a number is taken before use and never reused, so an attempt
// cut short leaves only unreferenced parts), then the pointer.
Task<Status> write_snapshot(Workspace& ws, const Team& team, const Covers& covers, const std::string& pointer_etag,
                            const std::optional<SnapshotPointer>& current, SnapshotStats& stats) {
    std::optional<SnapshotPointer> replaced = current;  // the pointer ours takes the place of
    const std::string device = ws.device().device_id;
    auto next = ws.setting(kNextSnapshot);
    if (!next) co_return next.error();
    const uint64_t number = (*next ? parse_count(**next) : std::nullopt).value_or(1);
    if (auto s = ws.set_setting(kNextSnapshot, std::to_string(number + 1)); !s) co_return s;

    // Until its pointer is stored, this attempt's parts are unused: an attempt cut short
    // leaves them for pruning (prune.h), which never removes the current pointer's parts.
    if (auto s = prune_parts_later(ws, device, number, 0); !s) co_return s;
    SnapshotPointer p{device, number, 0, 0, covers, {}};
    const std::string registry = registry_name(team);
    auto reg = co_await remote_get(registry);
    if (!reg) co_return reg.error();
    auto plain = open(team, registry, reg->bytes);
    if (!plain) co_return plain.error();
    auto members = parse_registry(team, *plain);
    if (!members) co_return members.error();
    for (const Member& m : *members) p.users[m.device] = m.user;

    PartCursor at;
    for (;;) {
        auto records = build_records(ws, at, kSnapshotRecords);
        if (!records) co_return records.error();
        if (records->empty()) break;
        const uint64_t part = ++p.parts;
        p.records += records->size();
        const std::string name = snapshot_part_name(team, device, number, part);
        const Bytes sealed = seal(team, name, part_json(team, device, number, part, std::move(*records)));
        auto put = co_await remote_put_new(name, sealed);
        if (!put) co_return put.error();
    }

    const std::string pname = snapshot_pointer_name(team);
    const Bytes sealed = seal_snapshot_pointer(team, p);
    std::string etag = pointer_etag;
    for (int attempt = 0; attempt < kPointerTries; ++attempt) {
        // (if/else, not ?:, around co_await: GCC 12 miscompiles co_await inside ?:)
        Result<std::string> put = make_error("");
        if (!etag.empty()) put = co_await remote_put_if_match(pname, sealed, etag);
        else put = co_await remote_put_new(pname, sealed);
        if (put) {
            stats.parts_written += p.parts;
            stats.records_written += p.records;
            if (replaced)
                if (auto s = prune_parts_later(ws, replaced->device, replaced->number, replaced->parts); !s) co_return s;
            if (auto s = prune_after_pointer(ws, covers, number); !s) co_return s;
            co_return save_known_covers(ws, covers);
        }
        if (put.error().code != kRemoteConflict && put.error().code != kRemoteExists) co_return put.error();
        // Another device wrote one meanwhile: keep it if it covers as much for every device
        // (or if neither covers the other), else replace it.
        auto got = co_await remote_get(pname);
        if (!got && got.error().code != kRemoteMissing) co_return got.error();
        etag = got ? got->etag : std::string();
        auto theirs = got ? open_snapshot_pointer(team, got->bytes) : Result<SnapshotPointer>(got.error());
        replaced.reset();
        if (!theirs) continue;  // gone or damaged: ours goes in its place
        if (covers_all(theirs->covers, covers)) co_return save_known_covers(ws, theirs->covers);
        if (!covers_all(covers, theirs->covers)) co_return {};
        replaced = *theirs;
    }
    co_return make_error("err.sync.busy", {}, pname);
}
}  // namespace

Task<Status> snapshot_if_due(Workspace& ws, const Team& team, const SnapshotRule& rule, SnapshotStats& stats) {
    if (!rule.enabled) co_return {};
    auto mine = local_covers(ws);
    if (!mine) co_return mine.error();
    auto known = known_covers(ws);
    if (!known) co_return known.error();
    if (beyond(*mine, *known) < std::max<uint64_t>(rule.min_segments, 1)) co_return {};

    const std::string pname = snapshot_pointer_name(team);
    auto got = co_await remote_get(pname);
    if (!got && got.error().code != kRemoteMissing) co_return got.error();
    std::string etag;
    Covers current;
    std::optional<SnapshotPointer> pointer;
    if (got) {
        etag = got->etag;
        // A good pointer is what this device now knows. A damaged one is replaced, but only
        // by a device holding what it last knew of it: segments it covered may be pruned.
        if (auto p = open_snapshot_pointer(team, got->bytes)) {
            current = p->covers;
            pointer = *p;
            if (auto s = save_known_covers(ws, current); !s) co_return s;
        } else {
            current = *known;
        }
    }
    // Only a device that holds at least what the current snapshot holds replaces it.
    if (!covers_all(*mine, current)) co_return {};
    auto records = count_records(ws);
    if (!records) co_return records.error();
    const uint64_t parts = (*records + kSnapshotRecords - 1) / kSnapshotRecords;
    const uint64_t pending = beyond(*mine, current);
    if (*records == 0 || pending < std::max<uint64_t>(rule.min_segments, 1) || pending < rule.segments_per_part * parts)
        co_return {};
    const Covers covers = *mine;
    co_return co_await write_snapshot(ws, team, covers, etag, pointer, stats);
}

}  // namespace crm::sync
