// Compaction: a snapshot is the team's merged data at one moment (every field's value and
// stamp), so a new device reads a few parts instead of every segment ever written.
// Written by an up-to-date device when enough segments piled up since the last one; read
// only by a device that has received nothing yet. Applied through the same per-field merge
// as segments (Workspace::apply_remote), so an old snapshot is harmless. Never deletes
// segments (the Remote has no remove). Format: docs/SYNC_FORMAT.md, "Snapshots".
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "sync/job.h"
#include "sync/team.h"

namespace crm::sync {

// Records per part (a record is never split): ~20,000 field values, applied in one
// transaction, about twice a full segment.
inline constexpr size_t kSnapshotRecords = 1000;

// {device: its last segment the snapshot holds}.
using Covers = std::map<std::string, uint64_t>;

// When a round writes a snapshot (after a complete push and pull, nothing failed): the
// segments of all devices not covered by the current snapshot number at least
// min_segments and at least segments_per_part x the parts the snapshot would have. Below
// that, the check is one local settings read per round and no remote call.
struct SnapshotRule {
    uint64_t min_segments = 100;
    uint64_t segments_per_part = 2;
};

struct SnapshotStats {
    size_t parts_read = 0, records_read = 0;        // this device joined from a snapshot
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
// if there is one: each part opened, checked and applied in its own transaction, the last
// one with the cursors set to `covers`. A transport error stops (returned; the next round
// starts again). A damaged, missing or unappliable part leaves the cursors at 0 and is
// handed back in `damaged`: the round then reads the segments, which converges all the
// same (parts already applied hold genuine, merged values).
Task<Status> join_from_snapshot(Workspace& ws, const Team& team, SnapshotStats& stats, Status& damaged);

// After a complete round: writes a snapshot when the rule says so (sealed parts first,
// create-only, then the pointer with If-Match; a pointer that covers as much or more for
// every device is kept).
Task<Status> snapshot_if_due(Workspace& ws, const Team& team, const SnapshotRule& rule, SnapshotStats& stats);

}  // namespace crm::sync
