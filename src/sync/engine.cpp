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

struct Head {
    uint64_t last = 0;
    std::set<uint64_t> skip;
};

std::string head_json(std::string_view device, const Head& h) {
    return nlohmann::json{{"format", 1}, {"device", device}, {"last", h.last}, {"skip", h.skip}}.dump();
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
    return h;
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
                if (head->last >= want.last && std::includes(head->skip.begin(), head->skip.end(), want.skip.begin(),
                                                             want.skip.end()))
                    co_return {};  // already says as much
                want.last = std::max(want.last, head->last);
                want.skip.insert(head->skip.begin(), head->skip.end());
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
    const Head mine{static_cast<uint64_t>(*next - 1), *skip};
    co_return co_await publish_head(ws, team, mine);
}

// ---- [SECTION] pull --------------------------------------------------------------------------

// Segments are applied a few at a time, in one transaction with a savepoint per segment
// and its cursor: a segment that fails applies nothing and stops the pull while those
// before it stay, and the derived data (search, completeness, duplicate keys) of a
// customer several of them touch is written once per group instead of once per segment.
constexpr size_t kGroupMessages = 20000;

Task<Status> pull_device(Workspace& ws, const Team& team, const std::string& device, SyncReport& report) {
    auto head = co_await read_head(team, device);
    if (!head) co_return head.error();
    if (!*head) co_return {};
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
        if (!failed) co_return failed;
        if (!fetched) co_return fetched;
    }
    co_return {};
}

Task<Status> pull(Workspace& ws, const Team& team, SyncReport& report, Status& damaged) {
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
        if (auto s = co_await pull_device(ws, team, device, report); !s && first) first = s;
    }
    co_return first;
}
}  // namespace

Task<Result<SyncReport>> sync_round(Workspace& ws, Team team, SnapshotRule rule) {
    SyncReport report;
    if (auto s = co_await push(ws, team, report); !s) co_return s.error();
    Status damaged;  // a snapshot that could not be used: segments instead, reported at the end
    if (auto s = co_await pull(ws, team, report, damaged); !s) co_return s.error();
    report.messages_applied += report.snapshot.values_applied;  // what "received" shows
    report.messages_stale += report.snapshot.values_stale;
    if (!damaged) co_return damaged.error();
    if (auto s = co_await snapshot_if_due(ws, team, rule, report.snapshot); !s) co_return s.error();
    co_return report;
}

Result<SyncReport> sync_once(Workspace& ws, Remote& remote, const Team& team, const SnapshotRule& rule) {
    return run(sync_round(ws, team, rule), remote);
}

Result<int64_t> unsent_changes(Workspace& ws) {
    auto sent = int_setting(ws, "sync.sent_seq", 0);
    if (!sent) return sent.error();
    auto rows = query_rows(ws.db(), "SELECT count(*) AS n FROM changes WHERE seq > ?", {std::to_string(*sent)});
    if (!rows) return rows.error();
    return std::stoll(rows->front().at("n").value_or("0"));
}

}  // namespace crm::sync
