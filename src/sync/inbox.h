// The inbox: a received segment, checked and applied through the write path's sync entry
// point (Workspace::apply_remote) in one transaction, all of it or nothing.
#pragma once
#include "sync/segment.h"

namespace crm::sync {

// Stamps further ahead of this device's clock are refused, not clamped: clamping would
// make devices that receive at different times store different stamps (and disagree),
// while a refused segment stays on the remote and applies once the clocks agree.
inline constexpr int64_t kMaxAheadMs = 60LL * 60 * 1000;

// err.sync.clock_ahead (naming the device and how many minutes) when a stamp is more
// than kMaxAheadMs ahead of ws.clock(); Workspace::apply_remote's errors otherwise.
Result<RemoteApplied> apply_segment(Workspace& ws, const Segment& segment);

}  // namespace crm::sync
