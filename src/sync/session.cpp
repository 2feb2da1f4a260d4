#include "sync/session.h"

#include <nlohmann/json.hpp>

#include "core/workspace.h"

namespace crm::sync {

namespace {
// The sync file neither snapshots nor prunes: a loaded file only adds segments and the
// registry (sync_file.h), so a snapshot in it would be refused by the devices loading it,
// and a removed segment would come back with the next file.
bool syncs_by_file(Workspace& ws) {
    auto config = ws.setting("sync.remote");
    if (!config || !*config) return false;
    auto j = nlohmann::json::parse(**config, nullptr, false);
    return j.is_object() && j.value("kind", "") == "file";
}

// Runs a round and fills in what it changed here; remembers when a round completed.
Task<SyncOutcome> round_into(Workspace& ws, const Team& team, SyncOutcome& out) {
    auto mark = last_history_seq(ws);
    if (!mark) {
        out.status = mark.error();
        co_return out;
    }
    SnapshotRule snapshots;
    PruneRule prune;
    snapshots.enabled = prune.enabled = !syncs_by_file(ws);
    auto report = co_await sync_round(ws, team, snapshots, prune);
    if (report) {
        out.report = *report;
        if (auto s = ws.set_setting("sync.last_ok", ws.now_iso()); !s) out.status = s;
    } else {
        out.status = report.error();
    }
    // Also after a failed round: the segments applied before the failure stay applied.
    if (auto changed = history_after(ws, *mark, "sync")) {
        for (HistoryEntry& h : *changed)
            if (h.field != "created") out.overwritten.push_back(std::move(h));
    }
    co_return out;
}

// Joins the team (a device code from its registry), then a first round.
Task<SyncOutcome> join_into(Workspace& ws, const Team& team, SyncOutcome& out) {
    auto code = co_await join_team(ws, team);
    if (!code) {
        out.status = code.error();
        co_return out;
    }
    out.device_code = *code;
    co_return co_await round_into(ws, team, out);
}

// The team this workspace syncs with, or err.sync.no_team.
Result<Team> current_team(Workspace& ws) {
    auto team = load_team(ws);
    if (!team) return team.error();
    if (!*team) return make_error("err.sync.no_team");
    return **team;
}
}  // namespace

Task<SyncOutcome> start_team_job(Workspace& ws, Team team) {
    SyncOutcome out;
    if (auto s = co_await create_team(ws, team); !s) {
        out.status = s;
        co_return out;
    }
    out.device_code = ws.device().device_code;
    co_return co_await round_into(ws, team, out);
}

Task<SyncOutcome> join_team_job(Workspace& ws, Team team) {
    SyncOutcome out;
    co_return co_await join_into(ws, team, out);
}

Task<SyncOutcome> sync_job(Workspace& ws) {
    SyncOutcome out;
    auto team = current_team(ws);
    if (!team) {
        out.status = team.error();
        co_return out;
    }
    const Team t = *team;
    co_return co_await round_into(ws, t, out);
}

Task<SyncOutcome> load_file_job(Workspace& ws, std::vector<SyncFileEntry> entries) {
    SyncOutcome out;
    auto team = current_team(ws);
    if (!team) {
        out.status = team.error();
        co_return out;
    }
    const Team t = *team;
    auto merged = co_await merge_sync_file(t, std::move(entries));
    if (!merged) {
        out.status = merged.error();
        co_return out;
    }
    out.loaded = *merged;
    co_return co_await round_into(ws, t, out);
}

Task<SyncOutcome> join_from_file_job(Workspace& ws, Team team, std::vector<SyncFileEntry> entries) {
    SyncOutcome out;
    auto merged = co_await merge_sync_file(team, std::move(entries));
    if (!merged) {
        out.status = merged.error();
        co_return out;
    }
    out.loaded = *merged;
    co_return co_await join_into(ws, team, out);
}

Result<std::string> remote_config(Workspace& ws) {
    auto v = ws.setting("sync.remote");
    if (!v) return v.error();
    return v->value_or("");
}

Status save_remote_config(Workspace& ws, const std::string& json) { return ws.set_setting("sync.remote", json); }

Result<std::string> last_sync_at(Workspace& ws) {
    auto v = ws.setting("sync.last_ok");
    if (!v) return v.error();
    return v->value_or("");
}

}  // namespace crm::sync
