// A segment: one sealed file of one device's changes, the unit of exchange. The JSON
// inside is described in docs/SYNC_FORMAT.md. Encoding, decoding and sealing only; what
// goes in is outbox.h's business, applying it inbox.h's.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "sync/remote.h"
#include "sync/team.h"

namespace crm::sync {

struct Segment {
    std::string team, device, user;  // user: the writer's name, the actor of history rows
    uint64_t number = 0;             // 1, 2, ... per device
    int64_t through = 0;             // the sender's last change seq it holds
    std::vector<RemoteChange> messages;
};

std::string encode_segment(const Segment& s);
// err.sync.bad_segment (naming `name`) when the text is not a segment of this format.
Result<Segment> decode_segment(std::string_view json, std::string_view name);

Bytes seal_segment(const Team& team, const Segment& s);
// Opens the segment stored as `number` of `device`: err.sync.tampered when it does not
// open with the team key under that name; err.sync.bad_segment when its header names
// another team, device or number, or a message is stamped by another device.
Result<Segment> open_segment(const Team& team, std::string_view device, uint64_t number, const Bytes& sealed);

}  // namespace crm::sync
