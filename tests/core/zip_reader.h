// Test helper: the entries of a .zip (an .xlsx) by name, read with zlib from the central
// directory, so the export's XLSX can be checked as a spreadsheet program would open it.
// Returns an empty map when the bytes are not a zip it can read.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <map>
#include <string>

namespace testfx {

inline std::map<std::string, std::string> unzip(const std::string& z) {
    auto u16 = [&](size_t at) -> uint32_t { return uint8_t(z[at]) | uint8_t(z[at + 1]) << 8; };
    auto u32 = [&](size_t at) -> uint32_t { return u16(at) | u16(at + 2) << 16; };
    std::map<std::string, std::string> out;
    if (z.size() < 22) return out;
    size_t eocd = z.size() - 22;  // the end record, found from the back (a comment may follow)
    while (eocd > 0 && u32(eocd) != 0x06054b50) --eocd;
    if (u32(eocd) != 0x06054b50) return out;
    size_t at = u32(eocd + 16);
    for (uint32_t i = 0, n = u16(eocd + 10); i < n; ++i) {
        if (at + 46 > z.size() || u32(at) != 0x02014b50) return {};
        const uint32_t method = u16(at + 10), packed = u32(at + 20), size = u32(at + 24);
        const uint32_t name_len = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32);
        const size_t local = u32(at + 42);
        std::string name = z.substr(at + 46, name_len);
        at += 46 + name_len + extra + comment;
        if (local + 30 > z.size() || u32(local) != 0x04034b50) return {};
        const size_t data = local + 30 + u16(local + 26) + u16(local + 28);
        if (data + packed > z.size()) return {};
        std::string body(size, '\0');
        if (method == 0) {
            body = z.substr(data, packed);
        } else if (method == 8) {  // raw deflate
            z_stream s{};
            if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return {};
            s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
            s.avail_in = packed;
            s.next_out = reinterpret_cast<Bytef*>(body.data());
            s.avail_out = size;
            const int rc = inflate(&s, Z_FINISH);
            inflateEnd(&s);
            if (rc != Z_STREAM_END || s.total_out != size) return {};
        } else {
            return {};
        }
        out[name] = std::move(body);
    }
    return out;
}

}  // namespace testfx
