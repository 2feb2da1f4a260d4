// Applying received segments.
#include "sync/inbox.h"

#include <algorithm>

namespace crm::sync {

Result<RemoteApplied> apply_segment(Workspace& ws, const Segment& segment) {
    const int64_t limit = ws.clock().now_ms() + kMaxAheadMs;
    int64_t ahead = 0;
    for (const RemoteChange& m : segment.messages) {
        auto stamp = parse_hlc(m.hlc);
        if (stamp && stamp->ms > limit) ahead = std::max(ahead, stamp->ms - ws.clock().now_ms());
    }
    if (ahead > 0) {
        Error e = make_error("err.sync.clock_ahead", {}, segment.device + " segment " + std::to_string(segment.number));
        e.with("device", segment.device).with("minutes", std::to_string(ahead / 60000));
        return e;
    }
    return ws.apply_remote(segment.messages, segment.user);
}

}  // namespace crm::sync
