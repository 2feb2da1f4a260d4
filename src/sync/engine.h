// One sync round between this workspace and its team's remote: push this device's new
// segments, publish its head, pull and apply the other devices' new segments.
//
// Remote layout (docs/SYNC_FORMAT.md): <team>/seg/<device>/<n> segments, created once and
// never rewritten; <team>/heads/<device> the device's pointer {last, skip}, written only by
// that device with If-Match. Readers read a device's segments up to its head, never
// beyond, so a segment whose upload broke half-way is never read.
//
// Failure rules: each received segment is applied with its cursor in one transaction, all
// or nothing; local changes are marked sent only once their segment is on the remote; a
// failed round returns the first error and the next round carries on from there.
#pragma once
#include <optional>

#include "sync/job.h"
#include "sync/prune.h"
#include "sync/remote.h"
#include "sync/snapshot.h"
#include "sync/team.h"

namespace crm::sync {

struct SyncReport {
    size_t segments_sent = 0, messages_sent = 0;
    size_t segments_received = 0, messages_applied = 0, messages_stale = 0;
    SnapshotStats snapshot;  // read to join or catch up (sync/snapshot.h), or written after the round
    PruneStats pruned;       // removed from the remote after the round (sync/prune.h)
    std::optional<Error> prune_error;  // a remove that failed (retried next round; the round still succeeded)
};

// Errors: the Remote's (kRemoteUnavailable, ...), err.sync.tampered, err.sync.bad_segment,
// err.sync.clock_ahead, err.sync.bad_message, err.sync.number_taken, err.sync.busy.
// A device that has received nothing yet joins from the team's snapshot if there is one,
// and one that finds a segment it needs pruned catches up from it; after a complete round
// a snapshot is written when `rule` says so (sync/snapshot.h), then what the snapshot this
// device wrote covers is pruned as `prune` says (sync/prune.h).
Task<Result<SyncReport>> sync_round(Workspace& ws, Team team, SnapshotRule rule = {}, PruneRule prune = {});
// The same round run to its end over a C++ Remote.
Result<SyncReport> sync_once(Workspace& ws, Remote& remote, const Team& team, const SnapshotRule& rule = {},
                             const PruneRule& prune = {});

}  // namespace crm::sync

namespace crm::sync {
// Local changes not yet on the remote (changes rows after the last one a segment carried).
Result<int64_t> unsent_changes(Workspace& ws);
}  // namespace crm::sync
