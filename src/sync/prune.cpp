// Pruning: the rule, the plan kept in settings, the removes.
#include "sync/prune.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "sync/snapshot.h"

namespace crm::sync {

namespace {
using json = nlohmann::json;

// sync.prune: what this device still has to remove.
//   covers  what the pointer this device stored last covers (its segments may go)
//   floor   per device, the segments up to here are removed (or were never there)
//   listed  floor was read from the remote's listing since covers last changed
//   parts   [[device, number, parts left or null = not known yet], ...] unused snapshots
constexpr const char* kPlan = "sync.prune";

struct UnusedParts {
    std::string device;
    uint64_t number = 0;
    std::optional<uint64_t> left;
};

struct Plan {
    Covers covers, floor;
    bool listed = false;
    std::vector<UnusedParts> parts;
};

Covers covers_of(const json& j) {
    Covers out;
    if (!j.is_object()) return out;
    for (const auto& [device, n] : j.items())
        if (is_valid_device_id(device) && n.is_number_unsigned()) out[device] = n.get<uint64_t>();
    return out;
}

Result<Plan> load_plan(Workspace& ws) {
    auto v = ws.setting(kPlan);
    if (!v) return v.error();
    Plan p;
    if (!*v) return p;
    auto j = json::parse(**v, nullptr, false);
    if (!j.is_object()) return p;  // unreadable: start over (removing again is harmless)
    p.covers = covers_of(j.value("covers", json()));
    p.floor = covers_of(j.value("floor", json()));
    p.listed = j.value("listed", false);
    for (const json& e : j.value("parts", json::array())) {
        if (!e.is_array() || e.size() != 3 || !e[0].is_string() || !e[1].is_number_unsigned()) continue;
        UnusedParts u{e[0].get<std::string>(), e[1].get<uint64_t>(), std::nullopt};
        if (e[2].is_number_unsigned()) u.left = e[2].get<uint64_t>();
        p.parts.push_back(std::move(u));
    }
    return p;
}

Status save_plan(Workspace& ws, const Plan& p) {
    json parts = json::array();
    for (const UnusedParts& u : p.parts)
        parts.push_back(json::array({u.device, u.number, u.left ? json(*u.left) : json(nullptr)}));
    return ws.set_setting(kPlan, json{{"covers", p.covers}, {"floor", p.floor}, {"listed", p.listed}, {"parts", parts}}.dump());
}

// "<team>/seg/<device>/<n>" -> (device, n)
std::optional<std::pair<std::string, uint64_t>> segment_of(const Team& team, const std::string& name) {
    const std::string prefix = team.id + "/seg/";
    if (name.rfind(prefix, 0) != 0) return std::nullopt;
    const size_t slash = name.find('/', prefix.size());
    if (slash == std::string::npos) return std::nullopt;
    const std::string device = name.substr(prefix.size(), slash - prefix.size());
    const std::string digits = name.substr(slash + 1);
    if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::make_pair(device, std::stoull(digits));
}

// "<...>.<part>" -> part
std::optional<uint64_t> part_of(const std::string& name) {
    const size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 >= name.size()) return std::nullopt;
    const std::string digits = name.substr(dot + 1);
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(digits);
}

bool has_segments_to_remove(const Plan& p, const Covers& upto) {
    for (const auto& [device, last] : upto) {
        auto f = p.floor.find(device);
        if (last > (f == p.floor.end() ? 0 : f->second)) return true;
    }
    return false;
}
}  // namespace

Covers removable_through(const Covers& covers, const SeenHeads& heads, const std::string& self, int64_t now_ms,
                         int64_t grace_ms) {
    Covers out = covers;
    for (auto& [device, last] : out) {
        for (const auto& [reader, head] : heads) {
            if (reader == device || reader == self) continue;
            if (head.at_ms > 0 && now_ms - head.at_ms > grace_ms) continue;  // not seen for long: lost?
            auto a = head.acked.find(device);
            last = std::min(last, a == head.acked.end() ? uint64_t{0} : a->second);
        }
    }
    return out;
}

Status prune_after_pointer(Workspace& ws, const Covers& covers, uint64_t number) {
    auto p = load_plan(ws);
    if (!p) return p.error();
    const std::string me = ws.device().device_id;
    std::erase_if(p->parts, [&](const UnusedParts& u) { return u.device == me && u.number == number; });
    p->covers = covers;
    p->listed = false;  // another device may have left covered segments behind: list once
    return save_plan(ws, *p);
}

Status prune_parts_later(Workspace& ws, const std::string& device, uint64_t number, uint64_t parts) {
    auto p = load_plan(ws);
    if (!p) return p.error();
    for (const UnusedParts& u : p->parts)
        if (u.device == device && u.number == number) return {};
    p->parts.push_back({device, number, parts ? std::optional<uint64_t>(parts) : std::nullopt});
    return save_plan(ws, *p);
}

Task<Status> prune_after_round(Workspace& ws, const Team& team, const SeenHeads& heads, const PruneRule& rule,
                               PruneStats& stats) {
    if (!rule.enabled) co_return Status{};
    auto loaded = load_plan(ws);
    if (!loaded) co_return loaded.error();
    Plan plan = std::move(*loaded);
    const std::string me = ws.device().device_id;
    const Covers upto = removable_through(plan.covers, heads, me, ws.clock().now_ms(), rule.grace_ms);
    bool segments = has_segments_to_remove(plan, upto);
    if (!segments && plan.parts.empty()) co_return Status{};  // the usual round: no remote call

    size_t budget = rule.max_removes;
    Status status;  // the first failure: the removes stop, the plan keeps the rest
    if (segments && !plan.listed) {
        // Where each device's segments start on the remote now (the first snapshot this
        // device prunes, or one that replaced another device's, which may have left some).
        auto files = co_await remote_list(team.id + "/seg/");
        if (!files) co_return files.error();
        Covers lowest;
        for (const RemoteFile& f : *files) {
            auto seg = segment_of(team, f.name);
            if (!seg || !plan.covers.count(seg->first)) continue;
            auto it = lowest.find(seg->first);
            if (it == lowest.end() || seg->second < it->second) lowest[seg->first] = seg->second;
        }
        for (const auto& [device, last] : plan.covers) {
            auto it = lowest.find(device);
            const uint64_t below = it == lowest.end() ? last : std::min(last, it->second - 1);
            plan.floor[device] = std::max(plan.floor[device], below);
        }
        plan.listed = true;
        segments = has_segments_to_remove(plan, upto);
    }
    for (const auto& [device, last] : upto) {
        uint64_t& floor = plan.floor[device];
        while (status && budget > 0 && floor < last) {
            const std::string name = segment_name(team, device, floor + 1);
            auto r = co_await remote_remove(name);
            if (!r) {
                status = r.error();
                break;
            }
            ++floor;
            --budget;
            ++stats.segments_removed;
        }
    }

    if (status && budget > 0 && !plan.parts.empty()) {
        // Never the parts the current pointer names (a plan entry may be for a snapshot whose
        // pointer was stored after all, its reply lost).
        const std::string pname = snapshot_pointer_name(team);
        auto got = co_await remote_get(pname);
        std::optional<SnapshotPointer> current;
        if (got) {
            auto p = open_snapshot_pointer(team, got->bytes);
            if (p) current = *p;
        }
        if (!got && got.error().code != kRemoteMissing) {
            status = got.error();
        } else if (got && !current) {
            // A damaged pointer: which parts it names is unknown, keep them all for now.
        } else {
            std::vector<UnusedParts> left;
            for (UnusedParts& u : plan.parts) {
                if (current && current->device == u.device && current->number == u.number) continue;
                if (status && !u.left) {  // how many there are: the remote's listing
                    const std::string first = snapshot_part_name(team, u.device, u.number, 1);
                    const std::string prefix = first.substr(0, first.rfind('.') + 1);
                    auto files = co_await remote_list(prefix);
                    if (!files) {
                        status = files.error();
                    } else {
                        uint64_t most = 0;
                        for (const RemoteFile& f : *files) most = std::max(most, part_of(f.name).value_or(0));
                        u.left = most;
                    }
                }
                while (status && budget > 0 && u.left && *u.left > 0) {
                    const std::string name = snapshot_part_name(team, u.device, u.number, *u.left);
                    auto r = co_await remote_remove(name);
                    if (!r) {
                        status = r.error();
                        break;
                    }
                    --*u.left;
                    --budget;
                    ++stats.parts_removed;
                }
                if (!u.left || *u.left > 0) left.push_back(std::move(u));
            }
            plan.parts = std::move(left);
        }
    }
    if (auto s = save_plan(ws, plan); !s) co_return s;
    co_return status;
}

}  // namespace crm::sync
