// Compaction: a snapshot is the team's merged data at one moment (every field's value and
// stamp), so a new device reads a few parts instead of every segment ever written.
// Written by an up-to-date device when enough segments piled up since the last one; read
// by a device that has received nothing yet, and by one that finds a segment it needs
// removed (sync/prune.h: covered segments are deleted). Applied through the same per-field
// merge as segments (Workspace::apply_remote), so an old snapshot is harmless, and all or
// nothing: parts are staged locally one by one, then applied in one transaction.
// Format: docs/SYNC_FORMAT.md, "Snapshots".
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "sync/job.h"
#include "sync/prune.h"
#include "sync/team.h"

namespace crm::sync {

// Records per part (a record is never split): ~20,000 field values, applied in one
// transaction, about twice a full segment.
inline constexpr size_t kSnapshotRecords = 1000;

// When a round writes a snapshot (after a complete push and pull, nothing failed): the
// segments of all devices not covered by the current snapshot number at least
// min_segments and at least segments_per_part x the parts the snapshot would have. Below
// that, the check is one local settings read per round and no remote call.
struct SnapshotRule {
    uint64_t min_segments = 100;
    uint64_t segments_per_part = 2;
    bool enabled = true;  // off for the sync file (session.cpp): its loader takes segments only
};

// For every other device, the last of its segments applied here (its sync.cursor setting;
// devices at 0 left out): what a snapshot covers, and what a head acknowledges.
Result<Covers> applied_cursors(Workspace& ws);

struct SnapshotStats {
    size_t parts_read = 0, records_read = 0;        // this device joined (or caught up) from a snapshot
    size_t values_applied = 0, values_stale = 0;    // its field values, as apply_remote counts them
    size_t parts_written = 0, records_written = 0;  // this device wrote one (and its pointer)
};

struct SnapshotPointer {
    std::string device;  // the writer
    uint64_t number = 0, parts = 0, records = 0;
    Covers covers;
    std::map<std::string, std::string> users;  // device -> user name, the actor of history rows
};

// <team>/snapshot, and part p (1..parts) of the writer's snapshot n:
// <team>/snap/<device>/<n, 10 digits>.<p, 4 digits>.
std::string snapshot_pointer_name(const Team& team);
std::string snapshot_part_name(const Team& team, std::string_view device, uint64_t number, uint64_t part);

// Seals the pointer; opens it: err.sync.tampered / err.sync.bad_segment naming it.
Bytes seal_snapshot_pointer(const Team& team, const SnapshotPointer& pointer);
Result<SnapshotPointer> open_snapshot_pointer(const Team& team, const Bytes& sealed);
// Opens part p of the snapshot the pointer names into messages, one batch per device that
// created the records (its user is the actor): err.sync.tampered / err.sync.bad_segment.
struct SnapshotBatch {
    std::string device, user;
    std::vector<RemoteChange> messages;
};
Result<std::vector<SnapshotBatch>> open_snapshot_part(const Team& team, const SnapshotPointer& pointer, uint64_t part,
                                                      const Bytes& sealed, size_t* records = nullptr);

// A device that has applied nothing from anyone yet (every cursor 0) reads the snapshot,
// if there is one: each part fetched, opened, checked and kept in the local stage
// (sync_stage), then all of them applied in one transaction with the cursors set to
// `covers`. A transport error stops (returned; the next round goes on from the stage). A
// damaged, missing or unappliable part applies nothing, clears the stage and is handed
// back in `damaged`: the round then reads the segments. A part missing because a newer
// snapshot replaced this one mid-read (and pruning removed it): the pointer is read again.
Task<Status> join_from_snapshot(Workspace& ws, const Team& team, SnapshotStats& stats, Status& damaged);

// Segment `segment` of `device` is gone from the remote (pruned): when the current
// snapshot covers it, apply the snapshot the same way (its per-field values and stamps
// merge like the segments it covers) and move the cursors up to its covers. `used` says
// whether it did; a damaged snapshot is returned as the error.
Task<Status> catch_up_from_snapshot(Workspace& ws, const Team& team, const std::string& device, uint64_t segment,
                                    SnapshotStats& stats, bool& used);

// After a complete round: writes a snapshot when the rule says so (sealed parts first,
// create-only, then the pointer with If-Match; a pointer that covers as much or more for
// every device is kept).
Task<Status> snapshot_if_due(Workspace& ws, const Team& team, const SnapshotRule& rule, SnapshotStats& stats);

}  // namespace crm::sync
