// Identifier formatting.
#include "core/ids.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace crm {

std::string to_base36(uint64_t n) {
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out;
    do {
        out.insert(out.begin(), kDigits[n % 36]);
        n /= 36;
    } while (n);
    return out;
}

std::string new_device_id() {
    unsigned char bytes[8];
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing safe to do
    randombytes_buf(bytes, sizeof bytes);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

bool is_valid_device_id(std::string_view id) {
    if (id.size() != 16) return false;
    for (char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool is_valid_device_code(std::string_view c) {
    return c.size() == 2 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9';
}

std::string record_id(std::string_view device_id, uint64_t counter) {
    return std::string(device_id) + "-" + to_base36(counter);
}

static std::string padded(int64_t v, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
    return buf;
}

std::string customer_number(std::string_view yyyymm, std::string_view code, int64_t serial) {
    return "CX" + std::string(yyyymm) + std::string(code) + padded(serial, 4);
}

std::string interaction_number(std::string_view cx, std::string_view code, int64_t serial) {
    std::string digits = cx.size() > 2 && cx.substr(0, 2) == "CX" ? std::string(cx.substr(2)) : std::string(cx);
    return "HD" + digits + "-" + std::string(code) + padded(serial, 3);
}

std::string customer_serial_key(std::string_view yyyymm, std::string_view code) {
    return "serial.cx." + std::string(yyyymm) + "." + std::string(code);
}

std::string interaction_serial_key(std::string_view customer_id, std::string_view code) {
    return "serial.hd." + std::string(customer_id) + "." + std::string(code);
}

}  // namespace crm
