// Identifiers: global record ids ('<device16hex>-<base36 counter>'), device ids, and the
// human numbers of the brief (CX customers, HD interactions). Pure formatting: the
// per-device counters behind them are persisted by Workspace::next_counter.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace crm {

std::string to_base36(uint64_t n);
std::string new_device_id();                      // 16 lowercase hex chars, random
bool is_valid_device_id(std::string_view id);     // exactly 16 lowercase hex chars
bool is_valid_device_code(std::string_view code); // exactly two digits
std::string record_id(std::string_view device_id, uint64_t counter);

// 'CX' + YYYYMM + device code + serial, serial zero-padded to 4 digits
// (customer_number("202310", "01", 1) == "CX202310010001"). A serial above 9999 widens
// rather than wraps, so numbers stay unique.
std::string customer_number(std::string_view yyyymm, std::string_view device_code, int64_t serial);
// 'HD' + customer number digits + '-' + device code + serial padded to 3 digits
// (interaction_number("CX202310010001", "01", 3) == "HD202310010001-01003").
std::string interaction_number(std::string_view customer_number, std::string_view device_code,
                               int64_t serial);
// Settings keys of the per-device counters.
std::string customer_serial_key(std::string_view yyyymm, std::string_view device_code);
std::string interaction_serial_key(std::string_view customer_id, std::string_view device_code);
inline constexpr std::string_view kRecordCounterKey = "counter.record_id";

}  // namespace crm
