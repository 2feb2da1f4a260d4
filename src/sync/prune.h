// Pruning: deleting from the remote what a snapshot made unnecessary, so the team's folder
// stops growing. Format and reasoning: docs/SYNC_FORMAT.md, "Pruning".
//
//   A segment may go once the current snapshot covers it AND every other device whose head
//   is younger than the grace period has read past it (its head's "acked"). A device that
//   finds a segment gone later catches up from the snapshot instead (sync/snapshot.h), so
//   the acks only spare active devices that cost; they are never needed for correctness.
//   Parts of a snapshot the current pointer no longer names go as soon as it is replaced.
//
// Only the device that stored the current pointer prunes (it remembers what it covers, so
// a round with nothing to remove makes no remote call), at the end of a complete round,
// a bounded number of removes per round; a failed remove is retried next round and never
// changes the round's result.
#pragma once
#include <map>
#include <string>

#include "core/workspace.h"
#include "sync/job.h"
#include "sync/team.h"

namespace crm::sync {

// {device: its last segment} (a snapshot's covers, a head's acked).
using Covers = std::map<std::string, uint64_t>;

// What a device's head says it has read: its cursors, and when it was written (its clock;
// 0 when the head has no time, written by an older version: never taken for lost).
struct HeadAcks {
    Covers acked;
    int64_t at_ms = 0;
};
using SeenHeads = std::map<std::string, HeadAcks>;  // device -> its head, as the pull read it

struct PruneRule {
    bool enabled = true;                              // off for the sync file (session.cpp)
    int64_t grace_ms = 30LL * 24 * 60 * 60 * 1000;    // a head this old does not hold pruning back
    size_t max_removes = 64;                          // remote removes per round
};

struct PruneStats {
    size_t segments_removed = 0, parts_removed = 0;  // remove calls that succeeded (gone already counts)
};

// The rule: for each device of `covers`, the last of its segments that may be removed:
// what the snapshot covers, lowered to what each other device's head acknowledges (the
// segment's own device and `self`, whose cursors are the covers, excepted), unless that
// head was written more than grace_ms before now_ms.
Covers removable_through(const Covers& covers, const SeenHeads& heads, const std::string& self, int64_t now_ms,
                         int64_t grace_ms);

// Called by snapshot.cpp: this device stored pointer `number` with these covers (it prunes
// them from now on, and that snapshot's parts are no longer unused); the parts of a snapshot no pointer names any more (parts = 0: not known,
// as many as the remote lists).
Status prune_after_pointer(Workspace& ws, const Covers& covers, uint64_t number);
Status prune_parts_later(Workspace& ws, const std::string& device, uint64_t number, uint64_t parts);

// At the end of a complete round (engine.cpp). Errors are the caller's to ignore: what
// could not be removed stays in the plan for the next round.
Task<Status> prune_after_round(Workspace& ws, const Team& team, const SeenHeads& heads, const PruneRule& rule,
                               PruneStats& stats);

}  // namespace crm::sync
