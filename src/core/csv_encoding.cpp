// CSV encodings: which one a file uses (BOM, then "is it valid UTF-8?", else GB18030) and
// decoding to UTF-8 (GB18030 in csv_gb18030.cpp). Never guesses anything beyond these four.
#include "core/csv.h"
#include "core/csv_gb18030.h"

namespace crm::csv {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
size_t utf8_sequence(const unsigned char* p, size_t n) {
    unsigned char b = p[0];
    if (b < 0x80) return 1;
    auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < n && p[i] >= lo && p[i] <= hi;
    };
    if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
    if (b == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if (b == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (b >= 0xE1 && b <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (b == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (b >= 0xF1 && b <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (b == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

struct Utf8Scan {
    size_t multibyte = 0;  // well-formed sequences of 2-4 bytes
    size_t invalid = 0;    // bytes that start no well-formed sequence
};

Utf8Scan scan_utf8(std::string_view s) {
    Utf8Scan scan;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size(), i = 0;
    while (i < n) {
        if (p[i] < 0x80) { ++i; continue; }
        size_t len = utf8_sequence(p + i, n - i);
        if (len == 0) { ++scan.invalid; ++i; }
        else { ++scan.multibyte; i += len; }
    }
    return scan;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

void note_invalid(Decoded& d, size_t bytes) {
    if (d.invalid_bytes == 0) d.first_invalid_at = d.text.size();
    d.invalid_bytes += bytes;
    d.text += kReplacement;
}

namespace {

Decoded decode_utf8(std::string_view s) {
    Decoded d;
    if (scan_utf8(s).invalid == 0) {
        d.text.assign(s);
        return d;
    }
    d.text.reserve(s.size() + 16);
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (size_t i = 0; i < s.size();) {
        size_t len = utf8_sequence(p + i, s.size() - i);
        if (len == 0) { note_invalid(d); ++i; continue; }
        d.text.append(s.data() + i, len);
        i += len;
    }
    return d;
}

// UTF-16 is decoded by hand: it is a few lines, and identical on every platform.
Decoded decode_utf16(std::string_view s, bool little_endian) {
    Decoded d;
    d.text.reserve(s.size() * 3 / 2 + 16);
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t units = s.size() / 2;
    auto unit = [&](size_t i) -> char32_t {
        return little_endian ? char32_t(p[2 * i] | p[2 * i + 1] << 8) : char32_t(p[2 * i] << 8 | p[2 * i + 1]);
    };
    for (size_t i = 0; i < units; ++i) {
        char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units && unit(i + 1) >= 0xDC00 && unit(i + 1) <= 0xDFFF) {
            append_utf8(d.text, 0x10000 + ((u - 0xD800) << 10) + (unit(i + 1) - 0xDC00));
            ++i;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            note_invalid(d, 2);  // a lone surrogate
        } else {
            append_utf8(d.text, u);
        }
    }
    if (s.size() % 2) note_invalid(d);
    return d;
}

}  // namespace

const char* encoding_name(Encoding e) {
    switch (e) {
        case Encoding::Utf8: return "UTF-8";
        case Encoding::Utf8Bom: return "UTF-8 BOM";
        case Encoding::Utf16Le: return "UTF-16LE";
        case Encoding::Utf16Be: return "UTF-16BE";
        case Encoding::Gb18030: return "GB18030";
    }
    return "?";
}

Encoding detect_encoding(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return Encoding::Utf8Bom;
    if (bytes.substr(0, 2) == "\xFF\xFE") return Encoding::Utf16Le;
    if (bytes.substr(0, 2) == "\xFE\xFF") return Encoding::Utf16Be;
    Utf8Scan scan = scan_utf8(bytes);
    // GBK text that happens to be valid UTF-8 throughout is limited to a few characters; in a
    // real GBK file about half the hanzi are invalid UTF-8. A UTF-8 file with a few damaged
    // bytes stays UTF-8 (the bytes become U+FFFD and a warning) rather than turning into
    // mojibake: it needs ten good multibyte sequences for each bad byte.
    if (scan.invalid == 0 || scan.multibyte >= 10 * scan.invalid) return Encoding::Utf8;
    return Encoding::Gb18030;
}

Result<Decoded> decode(std::string_view bytes, Encoding e) {
    switch (e) {
        case Encoding::Utf8: return decode_utf8(bytes);
        case Encoding::Utf8Bom:
            if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
            return decode_utf8(bytes);
        case Encoding::Utf16Le:
        case Encoding::Utf16Be: {
            bool le = e == Encoding::Utf16Le;
            if (bytes.substr(0, 2) == (le ? "\xFF\xFE" : "\xFE\xFF")) bytes.remove_prefix(2);
            return decode_utf16(bytes, le);
        }
        case Encoding::Gb18030: {
            Decoded d;
            Status s = gb18030_to_utf8(bytes, d);
            if (!s) return s.error();
            return d;
        }
    }
    return make_error("err.csv.decode_failed", {}, "unknown encoding");
}

}  // namespace crm::csv
