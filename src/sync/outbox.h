// The outbox: this device's changes (the `changes` log) that no segment carried yet,
// packed into the next segment. A creation ('*') goes out as every field of the row as it
// is now, stamped with the creation's HLC (see kCreatedChange). Reads only.
#pragma once
#include <optional>

#include "sync/segment.h"

namespace crm::sync {

// About this many messages per segment (a creation is never split): ~1 MB of JSON.
inline constexpr size_t kSegmentMessages = 10000;

// The segment `number` holding this device's changes after seq `after`, nullopt when
// there are none. `through` is the last seq it holds.
Result<std::optional<Segment>> build_segment(Workspace& ws, const Team& team, int64_t after, uint64_t number,
                                             size_t max_messages = kSegmentMessages);

}  // namespace crm::sync
