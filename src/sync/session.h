// What the user asks of sync, as jobs the app drives (job.h): start a team, join one with an
// invite code, sync once. Each ends in a SyncOutcome that the sync settings show: what
// went out and came in, the error if any, and which fields other devices changed here.
//
// Also the workspace's sync settings: where the team's files are (sync.remote, a JSON
// object the page's web/sync_remote.js understands: kind, url, token, ...; kept inside the
// encrypted store like everything else) and when the last round completed.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/customers.h"
#include "sync/engine.h"
#include "sync/sync_file.h"
#include "sync/team.h"

namespace crm::sync {

struct SyncOutcome {
    Status status;
    SyncReport report;
    std::vector<HistoryEntry> overwritten;  // fields this job changed on records that existed here
    std::string device_code;                // after joining: the code this device got
    FileMerge loaded;                       // kind 'file': what a loaded sync file added
};

Task<SyncOutcome> start_team_job(Workspace& ws, Team team);  // create the team, then a round
Task<SyncOutcome> join_team_job(Workspace& ws, Team team);   // join with an invite, then a round
Task<SyncOutcome> sync_job(Workspace& ws);                   // a round (err.sync.no_team before joining)
// Kind 'file': merge a loaded sync file into the namespace this device keeps (sync_file.h),
// then a round; or, not in the team yet, merge it and join the team from it.
Task<SyncOutcome> load_file_job(Workspace& ws, std::vector<SyncFileEntry> entries);
Task<SyncOutcome> join_from_file_job(Workspace& ws, Team team, std::vector<SyncFileEntry> entries);

Result<std::string> remote_config(Workspace& ws);  // "" when none was set
Status save_remote_config(Workspace& ws, const std::string& json);
Result<std::string> last_sync_at(Workspace& ws);   // "" when never

}  // namespace crm::sync
