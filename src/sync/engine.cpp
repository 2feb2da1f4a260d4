// The sync round: push, publish the head, pull.
//
// Index of this file
//   [SECTION] local sync state (settings)
//   [SECTION] heads
//   [SECTION] push
//   [SECTION] pull
#include "sync/engine.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "sync/inbox.h"
#include "sync/outbox.h"

namespace crm::sync {

namespace {
constexpr int kHeadTries = 5;
// A head that says as much is still rewritten once a day, so its time ("at") shows the
// device is alive even when nothing new reaches it (pruning takes heads older than its grace
// period for lost devices).
constexpr int64_t kHeadRefreshMs = 24LL * 60 * 60 * 1000;

// ---- [SECTION] local sync state (settings) ---------------------------------------------------
// sync.sent_seq       the last change seq carried by a segment on the remote
// sync.next_segment   the number the next segment gets
// sync.skipped        numbers of own segments that must never be read (JSON array)
// sync.cursor.<dev>   the last segment of that device applied here

Result<int64_t> int_setting(Workspace& ws, const std::string& key, int64_t fallback) {
    auto v = ws.setting(key);
    if (!v) return v.error();
    if (!*v) return fallback;
    auto j = nlohmann::json::parse(**v, nullptr, false);
    if (j.is_discarded() || !j.is_number_integer()) return make_error("err.db", {}, "setting " + key + " = " + **v);
    return j.get<int64_t>();
}

// A head: the device's last segment and the numbers never to read; what it has read of
// the others (its cursors, for pruning: prune.h) and when it last changed.
struct Head {
    uint64_t last = 0;
    std::set<uint64_t> skip;
    HeadAcks acks;
};

std::string head_json(std::string_view device, const Head& h) {
    return nlohmann::json{{"format", 1}, {"device", device}, {"last", h.last}, {"skip", h.skip},
                          {"acked", h.acks.acked}, {"at", h.acks.at_ms}}
        .dump();
}

std::optional<Head> parse_head(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("last") || !j["last"].is_number_unsigned() ||
        !j.contains("skip") || !j["skip"].is_array())
        return std::nullopt;
    Head h;
    h.last = j["last"].get<uint64_t>();
    for (const auto& n : j["skip"]) {
        if (!n.is_number_unsigned()) return std::nullopt;
        h.skip.insert(n.get<uint64_t>());
    }
    // (absent in heads written before pruning: nothing acknowledged, time unknown)
    if (j.contains("acked") && j["acked"].is_object())
        for (const auto& [device, n] : j["acked"].items())
            if (is_valid_device_id(device) && n.is_number_unsigned()) h.acks.acked[device] = n.get<uint64_t>();
    if (j.contains("at") && j["at"].is_number_integer()) h.acks.at_ms = j["at"].get<int64_t>();
    return h;
}

// Every device of `b` acknowledged as far or further in `a`.
bool acks_at_least(const Covers& a, const Covers& b) {
    for (const auto& [device, n] : b) {
        auto it = a.find(device);
        if (it == a.end() || it->second < n) return false;
    }
    return true;
}

Result<std::set<uint64_t>> skipped(Workspace& ws) {
    auto v = ws.setting("sync.skipped");
    if (!v) return v.error();
    std::set<uint64_t> out;
    if (!*v) return out;
    auto j = nlohmann::json::parse(**v, nullptr, false);
    if (!j.is_discarded() && j.is_array())
        for (const auto& n : j)
            if (n.is_number_unsigned()) out.insert(n.get<uint64_t>());
    return out;
}

// ---- [SECTION] heads -------------------------------------------------------------------------

// Reads a device's head: nullopt when it has none yet.
Task<Result<std::optional<Head>>> read_head(const Team& team, const std::string& device) {
    const std::string name = head_name(team, device);
    auto got = co_await remote_get(name);
    if (!got && got.error().code == kRemoteMissing) co_return std::optional<Head>{};
    if (!got) co_return got.error();
    auto plain = open(team, name, got->bytes);
    if (!plain) co_return plain.error();
    auto head = parse_head(*plain);
    if (!head) {
        Error e = make_error("err.sync.bad_segment", {}, name);
        e.with("name", name);
        co_return e;
    }
    co_return head;
}

// Makes this device's head say what the local state says. Only this device writes it;
// If-Match still guards against a second session of the same device (412: re-read, merge).
// A head the remote damaged is overwritten: the local state is the truth.
Task<Status> publish_head(Workspace& ws, const Team& team, const Head& mine) {
    const std::string device = ws.device().device_id, name = head_name(team, device);
    for (int attempt = 0; attempt < kHeadTries; ++attempt) {
        auto got = co_await remote_get(name);
        if (!got && got.error().code != kRemoteMissing) co_return got.error();
        Head want = mine;
        if (got) {
            auto plain = open(team, name, got->bytes);
            auto head = plain ? parse_head(*plain) : std::nullopt;
            if (head) {
                if (head->last >= want.last &&
                    std::includes(head->skip.begin(), head->skip.end(), want.skip.begin(), want.skip.end()) &&
                    acks_at_least(head->acks.acked, want.acks.acked) && head->acks.at_ms + kHeadRefreshMs > want.acks.at_ms)
                    co_return {};  // already says as much
                want.last = std::max(want.last, head->last);
                want.skip.insert(head->skip.begin(), head->skip.end());
                for (const auto& [device, n] : head->acks.acked)
                    want.acks.acked[device] = std::max(want.acks.acked[device], n);
            }
        }
        const Bytes sealed = seal(team, name, head_json(device, want));
        // (if/else, not ?:, around co_await: GCC 12 miscompiles co_await inside ?:)
        Result<std::string> put = make_error("");
        if (got) put = co_await remote_put_if_match(name, sealed, got->etag);
        else put = co_await remote_put_new(name, sealed);
        if (put) co_return {};
        if (put.error().code != kRemoteConflict && put.error().code != kRemoteExists) co_return put.error();
    }
    co_return make_error("err.sync.busy", {}, name);
}

// ---- [SECTION] push --------------------------------------------------------------------------

Task<Status> push(Workspace& ws, const Team& team, SyncReport& report) {
    auto sent = int_setting(ws, "sync.sent_seq", 0);
    if (!sent) co_return sent.error();
    auto next = int_setting(ws, "sync.next_segment", 1);
    if (!next) co_return next.error();
    auto skip = skipped(ws);
    if (!skip) co_return skip.error();
    for (;;) {
        auto seg = build_segment(ws, team, *sent, static_cast<uint64_t>(*next));
        if (!seg) co_return seg.error();
        if (!*seg) break;
        const std::string name = segment_name(team, (*seg)->device, (*seg)->number);
        int64_t through = (*seg)->through;
        auto put = co_await remote_put_new(name, seal_segment(team, **seg));
        if (!put && put.error().code != kRemoteExists) co_return put.error();
        if (!put) {
            // This number is taken: an earlier attempt whose reply was lost (then it holds
            // changes up to its own `through`: adopt it), or a broken upload (never to be
            // read: skip the number and send the changes in the next one).
            auto got = co_await remote_get(name);
            if (!got) co_return got.error();
            auto earlier = open_segment(team, (*seg)->device, (*seg)->number, got->bytes);
            if (earlier && earlier->through >= *sent) {
                through = earlier->through;
            } else {
                skip->insert((*seg)->number);
                through = *sent;
            }
        }
        if (!skip->count((*seg)->number)) {
            ++report.segments_sent;
            report.messages_sent += (*seg)->messages.size();
        }
        Status s = ws.transaction([&]() -> Status {
            if (auto r = ws.set_setting("sync.sent_seq", std::to_string(through)); !r) return r;
            if (auto r = ws.set_setting("sync.next_segment", std::to_string(*next + 1)); !r) return r;
            return ws.set_setting("sync.skipped", nlohmann::json(*skip).dump());
        });
        if (!s) co_return s;
        *sent = through;
        ++*next;
    }
    auto acked = applied_cursors(ws);  // what its head acknowledges
    if (!acked) co_return acked.error();
    const Head mine{static_cast<uint64_t>(*next - 1), *skip, {*acked, ws.clock().now_ms()}};
    co_return co_await publish_head(ws, team, mine);
}

// ---- [SECTION] pull --------------------------------------------------------------------------

// Segments are applied a few at a time, in one transaction with a savepoint per segment
// and its cursor: a segment that fails applies nothing and stops the pull while those
// before it stay, and the derived data (search, completeness, duplicate keys) of a
// customer several of them touch is written once per group instead of once per segment.
constexpr size_t kGroupMessages = 20000;

// `missing`: the number of a segment the head lists that is gone from the remote (pruned),
// 0 otherwise; the segments before it are applied.
Task<Status> pull_device(Workspace& ws, const Team& team, const std::string& device, SyncReport& report,
                         SeenHeads& heads, uint64_t& missing) {
    missing = 0;
    auto head = co_await read_head(team, device);
    if (!head) co_return head.error();
    if (!*head) co_return {};
    heads[device] = (*head)->acks;
    const std::string cursor_key = "sync.cursor." + device;
    auto cursor = int_setting(ws, cursor_key, 0);
    if (!cursor) co_return cursor.error();
    for (uint64_t n = static_cast<uint64_t>(*cursor) + 1; n <= (*head)->last;) {
        std::vector<std::pair<uint64_t, std::optional<Segment>>> group;
        size_t messages = 0;
        Status fetched;  // a segment that could not be read ends the pull after the group
        for (; n <= (*head)->last && messages < kGroupMessages; ++n) {
            std::optional<Segment> seg;
            if (!(*head)->skip.count(n)) {
                auto got = co_await remote_get(segment_name(team, device, n));
                auto opened = got ? open_segment(team, device, n, got->bytes) : Result<Segment>(got.error());
                if (!opened) {
                    if (!got && got.error().code == kRemoteMissing) missing = n;
                    fetched = opened.error();
                    break;
                }
                messages += opened->messages.size();
                seg = std::move(*opened);
            }
            group.emplace_back(n, std::move(seg));
        }
        Status failed;
        Status s = ws.transaction([&]() -> Status {
            for (const auto& entry : group) {
                const uint64_t number = entry.first;  // not a structured binding: the lambda
                const std::optional<Segment>& seg = entry.second;  // below captures them
                failed = ws.transaction([&]() -> Status {
                    if (seg) {
                        auto applied = apply_segment(ws, *seg);
                        if (!applied) return applied.error();
                        report.messages_applied += applied->applied;
                        report.messages_stale += applied->stale;
                    }
                    return ws.set_setting(cursor_key, std::to_string(number));
                });
                if (!failed) return {};
                report.segments_received += seg.has_value();
            }
            return {};
        });
        if (!s) co_return s;
        if (!failed) {
            missing = 0;  // a segment before it did not apply: that is the error
            co_return failed;
        }
        if (!fetched) co_return fetched;
    }
    co_return {};
}

Task<Status> pull(Workspace& ws, const Team& team, SyncReport& report, SeenHeads& seen, Status& damaged) {
    const std::string prefix = heads_prefix(team);
    auto heads = co_await remote_list(prefix);
    if (!heads) co_return heads.error();
    // A device that has received nothing yet starts from the team's snapshot, if any.
    bool others = false;
    for (const RemoteFile& f : *heads) {
        const std::string device = f.name.substr(prefix.size());
        others = others || (device != ws.device().device_id && is_valid_device_id(device));
    }
    if (others)
        if (auto s = co_await join_from_snapshot(ws, team, report.snapshot, damaged); !s) co_return s;
    // One device's damaged head or segment does not hold back the others' changes: the
    // round goes on and reports the first error at the end.
    Status first;
    for (const RemoteFile& f : *heads) {
        const std::string device = f.name.substr(prefix.size());
        if (device == ws.device().device_id || !is_valid_device_id(device)) continue;
        uint64_t missing = 0;
        Status s = co_await pull_device(ws, team, device, report, seen, missing);
        if (!s && missing > 0) {
            // Pruned while this device was away: the snapshot that covers it instead, then
            // the segments after it.
            bool used = false;
            Status caught = co_await catch_up_from_snapshot(ws, team, device, missing, report.snapshot, used);
            if (!caught) s = caught;
            else if (used) s = co_await pull_device(ws, team, device, report, seen, missing);
        }
        if (!s && first) first = s;
    }
    co_return first;
}
}  // namespace

Task<Result<SyncReport>> sync_round(Workspace& ws, Team team, SnapshotRule rule, PruneRule prune) {
    SyncReport report;
    if (auto s = co_await push(ws, team, report); !s) co_return s.error();
    Status damaged;  // a snapshot that could not be used: segments instead, reported at the end
    SeenHeads heads;
    if (auto s = co_await pull(ws, team, report, heads, damaged); !s) co_return s.error();
    report.messages_applied += report.snapshot.values_applied;  // what "received" shows
    report.messages_stale += report.snapshot.values_stale;
    if (!damaged) co_return damaged.error();
    if (auto s = co_await snapshot_if_due(ws, team, rule, report.snapshot); !s) co_return s.error();
    // Never changes the round's result: what could not be removed goes next round.
    if (auto s = co_await prune_after_round(ws, team, heads, prune, report.pruned); !s) report.prune_error = s.error();
    co_return report;
}

Result<SyncReport> sync_once(Workspace& ws, Remote& remote, const Team& team, const SnapshotRule& rule,
                             const PruneRule& prune) {
    return run(sync_round(ws, team, rule, prune), remote);
}

Result<int64_t> unsent_changes(Workspace& ws) {
    auto sent = int_setting(ws, "sync.sent_seq", 0);
    if (!sent) return sent.error();
    auto rows = query_rows(ws.db(), "SELECT count(*) AS n FROM changes WHERE seq > ?", {std::to_string(*sent)});
    if (!rows) return rows.error();
    return std::stoll(rows->front().at("n").value_or("0"));
}

}  // namespace crm::sync
