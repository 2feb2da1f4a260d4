// Segment JSON and sealing.
#include "sync/segment.h"

#include <nlohmann/json.hpp>

namespace crm::sync {

namespace {
constexpr int kFormat = 1;

Error bad_segment(std::string_view name, const std::string& why) {
    Error e = make_error("err.sync.bad_segment", {}, std::string(name) + ": " + why);
    e.with("name", std::string(name));
    return e;
}

bool is_string(const nlohmann::json& j, const char* key) { return j.contains(key) && j[key].is_string(); }
bool is_count(const nlohmann::json& j, const char* key) { return j.contains(key) && j[key].is_number_unsigned(); }
}  // namespace

// Messages are arrays [table, record id, field, value or null, stamp]: a segment of an
// import holds millions of them, and keys repeated in each would double its size.
std::string encode_segment(const Segment& s) {
    nlohmann::json messages = nlohmann::json::array();
    for (const RemoteChange& m : s.messages) {
        nlohmann::json value = m.value ? nlohmann::json(*m.value) : nlohmann::json(nullptr);
        messages.push_back(nlohmann::json::array({m.table, m.id, m.field, std::move(value), m.hlc}));
    }
    nlohmann::json j = {{"format", kFormat}, {"team", s.team},       {"device", s.device}, {"user", s.user},
                        {"segment", s.number}, {"through", s.through}, {"messages", std::move(messages)}};
    // Invalid UTF-8 is replaced rather than thrown on (no exceptions in wasm).
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Segment> decode_segment(std::string_view text, std::string_view name) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad_segment(name, "not JSON");
    if (!j.contains("format") || !j["format"].is_number_integer() || j["format"].get<int>() != kFormat)
        return bad_segment(name, "unknown format");
    if (!is_string(j, "team") || !is_string(j, "device") || !is_string(j, "user") || !is_count(j, "segment") ||
        !is_count(j, "through") || !j.contains("messages") || !j["messages"].is_array())
        return bad_segment(name, "header");
    Segment s;
    s.team = j["team"].get<std::string>();
    s.device = j["device"].get<std::string>();
    s.user = j["user"].get<std::string>();
    s.number = j["segment"].get<uint64_t>();
    s.through = static_cast<int64_t>(j["through"].get<uint64_t>());
    s.messages.reserve(j["messages"].size());
    for (const auto& m : j["messages"]) {
        if (!m.is_array() || m.size() != 5 || !m[0].is_string() || !m[1].is_string() || !m[2].is_string() ||
            !(m[3].is_string() || m[3].is_null()) || !m[4].is_string())
            return bad_segment(name, "message " + std::to_string(s.messages.size()));
        RemoteChange c{m[0].get<std::string>(), m[1].get<std::string>(), m[2].get<std::string>(), std::nullopt,
                       m[4].get<std::string>()};
        if (m[3].is_string()) c.value = m[3].get<std::string>();
        s.messages.push_back(std::move(c));
    }
    return s;
}

Bytes seal_segment(const Team& team, const Segment& s) {
    return seal(team, segment_name(team, s.device, s.number), encode_segment(s));
}

Result<Segment> open_segment(const Team& team, std::string_view device, uint64_t number, const Bytes& sealed) {
    const std::string name = segment_name(team, device, number);
    auto plain = open(team, name, sealed);
    if (!plain) return plain.error();
    auto s = decode_segment(*plain, name);
    if (!s) return s.error();
    if (s->team != team.id || s->device != device || s->number != number) return bad_segment(name, "header names another file");
    // Stamps end with their device: a device only ever sends its own writes.
    for (const RemoteChange& m : s->messages)
        if (m.hlc.size() <= device.size() || m.hlc.compare(m.hlc.size() - device.size(), device.size(), device) != 0)
            return bad_segment(name, "stamp of another device: " + m.hlc);
    return s;
}

}  // namespace crm::sync
