// GB18030 -> UTF-8. One- and two-byte codes (GBK, what Excel/WPS write on Chinese Windows)
// go through iconv: glibc natively, musl in emscripten. Four-byte codes are decoded here,
// because emscripten 3.1.6's musl gets them wrong (every supplementary-plane character and
// ~6,000 BMP ones, some into surrogates), and they are pure arithmetic plus a range table.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/csv_gb18030.h"

namespace crm::csv {

namespace {

// Four-byte codes 81308130..8431A439 are the BMP code points that have no one- or two-byte
// code, in order. Each entry starts a run: {index of the four-byte code, its code point}.
// Derived from the GB18030 mapping (the standard's own table has these same 206 runs).
struct Run {
    unsigned index;
    char32_t code_point;
};
constexpr Run kBmpRuns[] = {
    {0, 0x0080}, {36, 0x00A5}, {38, 0x00A9}, {45, 0x00B2}, {50, 0x00B8}, {81, 0x00D8},
    {89, 0x00E2}, {95, 0x00EB}, {96, 0x00EE}, {100, 0x00F4}, {103, 0x00F8}, {104, 0x00FB},
    {105, 0x00FD}, {109, 0x0102}, {126, 0x0114}, {133, 0x011C}, {148, 0x012C}, {172, 0x0145},
    {175, 0x0149}, {179, 0x014E}, {208, 0x016C}, {306, 0x01CF}, {307, 0x01D1}, {308, 0x01D3},
    {309, 0x01D5}, {310, 0x01D7}, {311, 0x01D9}, {312, 0x01DB}, {313, 0x01DD}, {341, 0x01FA},
    {428, 0x0252}, {443, 0x0262}, {544, 0x02C8}, {545, 0x02CC}, {558, 0x02DA}, {741, 0x03A2},
    {742, 0x03AA}, {749, 0x03C2}, {750, 0x03CA}, {805, 0x0402}, {819, 0x0450}, {820, 0x0452},
    {7922, 0x2011}, {7924, 0x2017}, {7925, 0x201A}, {7927, 0x201E}, {7934, 0x2027}, {7943, 0x2031},
    {7944, 0x2034}, {7945, 0x2036}, {7950, 0x203C}, {8062, 0x20AD}, {8148, 0x2104}, {8149, 0x2106},
    {8152, 0x210A}, {8164, 0x2117}, {8174, 0x2122}, {8236, 0x216C}, {8240, 0x217A}, {8262, 0x2194},
    {8264, 0x219A}, {8374, 0x2209}, {8380, 0x2210}, {8381, 0x2212}, {8384, 0x2216}, {8388, 0x221B},
    {8390, 0x2221}, {8392, 0x2224}, {8393, 0x2226}, {8394, 0x222C}, {8396, 0x222F}, {8401, 0x2238},
    {8406, 0x223E}, {8416, 0x2249}, {8419, 0x224D}, {8424, 0x2253}, {8437, 0x2262}, {8439, 0x2268},
    {8445, 0x2270}, {8482, 0x2296}, {8485, 0x229A}, {8496, 0x22A6}, {8521, 0x22C0}, {8603, 0x2313},
    {8936, 0x246A}, {8946, 0x249C}, {9046, 0x254C}, {9050, 0x2574}, {9063, 0x2590}, {9066, 0x2596},
    {9076, 0x25A2}, {9092, 0x25B4}, {9100, 0x25BE}, {9108, 0x25C8}, {9111, 0x25CC}, {9113, 0x25D0},
    {9131, 0x25E6}, {9162, 0x2607}, {9164, 0x260A}, {9218, 0x2641}, {9219, 0x2643}, {11329, 0x2E82},
    {11331, 0x2E85}, {11334, 0x2E89}, {11336, 0x2E8D}, {11346, 0x2E98}, {11361, 0x2EA8}, {11363, 0x2EAB},
    {11366, 0x2EAF}, {11370, 0x2EB4}, {11372, 0x2EB8}, {11375, 0x2EBC}, {11389, 0x2ECB}, {11682, 0x2FFC},
    {11686, 0x3004}, {11687, 0x3018}, {11692, 0x301F}, {11694, 0x302A}, {11714, 0x303F}, {11716, 0x3094},
    {11723, 0x309F}, {11725, 0x30F7}, {11730, 0x30FF}, {11736, 0x312A}, {11982, 0x322A}, {11989, 0x3232},
    {12102, 0x32A4}, {12336, 0x3390}, {12348, 0x339F}, {12350, 0x33A2}, {12384, 0x33C5}, {12393, 0x33CF},
    {12395, 0x33D3}, {12397, 0x33D6}, {12510, 0x3448}, {12553, 0x3474}, {12851, 0x359F}, {12962, 0x360F},
    {12973, 0x361B}, {13738, 0x3919}, {13823, 0x396F}, {13919, 0x39D1}, {13933, 0x39E0}, {14080, 0x3A74},
    {14298, 0x3B4F}, {14585, 0x3C6F}, {14698, 0x3CE1}, {15583, 0x4057}, {15847, 0x4160}, {16318, 0x4338},
    {16434, 0x43AD}, {16438, 0x43B2}, {16481, 0x43DE}, {16729, 0x44D7}, {17102, 0x464D}, {17122, 0x4662},
    {17315, 0x4724}, {17320, 0x472A}, {17402, 0x477D}, {17418, 0x478E}, {17859, 0x4948}, {17909, 0x497B},
    {17911, 0x497E}, {17915, 0x4984}, {17916, 0x4987}, {17936, 0x499C}, {17939, 0x49A0}, {17961, 0x49B8},
    {18664, 0x4C78}, {18703, 0x4CA4}, {18814, 0x4D1A}, {18962, 0x4DAF}, {19043, 0x9FA6}, {33469, 0xE76C},
    {33470, 0xE7C8}, {33471, 0xE7E7}, {33484, 0xE815}, {33485, 0xE819}, {33490, 0xE81F}, {33497, 0xE827},
    {33501, 0xE82D}, {33505, 0xE833}, {33513, 0xE83C}, {33520, 0xE844}, {33536, 0xE856}, {33550, 0xE865},
    {37845, 0xF92D}, {37921, 0xF97A}, {37948, 0xF996}, {38029, 0xF9E8}, {38038, 0xF9F2}, {38064, 0xFA10},
    {38065, 0xFA12}, {38066, 0xFA15}, {38069, 0xFA19}, {38075, 0xFA22}, {38076, 0xFA25}, {38078, 0xFA2A},
    {39108, 0xFE32}, {39109, 0xFE45}, {39113, 0xFE53}, {39114, 0xFE58}, {39115, 0xFE67}, {39116, 0xFE6C},
    {39265, 0xFF5F}, {39394, 0xFFE6},
};
constexpr unsigned kBmpCodes = 39420;          // 81308130..8431A439
constexpr unsigned kSupplementaryFirst = 189000;  // index of 90308130 = U+10000

// The 25 two-byte codes that GB18030-2005 moved from private-use code points to real
// characters. glibc already decodes them so; musl gives the 2000 private-use ones. Mapping
// them here makes both builds agree, on the real characters.
struct TwoByte {
    unsigned code;
    char32_t code_point;
};
constexpr TwoByte k2005Codes[] = {
    {0xA6D9, 0xFE10},  {0xA6DA, 0xFE12},  {0xA6DB, 0xFE11}, {0xA6DC, 0xFE13},  {0xA6DD, 0xFE14},
    {0xA6DE, 0xFE15},  {0xA6DF, 0xFE16},  {0xA6EC, 0xFE17}, {0xA6ED, 0xFE18},  {0xA6F3, 0xFE19},
    {0xA8BC, 0x1E3F},  {0xFE51, 0x20087}, {0xFE52, 0x20089}, {0xFE53, 0x200CC}, {0xFE59, 0x9FB4},
    {0xFE61, 0x9FB5},  {0xFE66, 0x9FB6},  {0xFE67, 0x9FB7}, {0xFE6C, 0x215D7}, {0xFE6D, 0x9FB8},
    {0xFE76, 0x2298F}, {0xFE7E, 0x9FB9},  {0xFE90, 0x9FBA}, {0xFE91, 0x241FE}, {0xFEA0, 0x9FBB},
};

bool is_lead(unsigned char b) { return b >= 0x81 && b <= 0xFE; }
bool is_digit(unsigned char b) { return b >= 0x30 && b <= 0x39; }
bool is_trail(unsigned char b) { return (b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE); }

// The code point of a four-byte code, or 0 when it is unassigned.
char32_t four_byte(const unsigned char* p) {
    unsigned index = (p[0] - 0x81) * 12600 + (p[1] - 0x30) * 1260 + (p[2] - 0x81) * 10 + (p[3] - 0x30);
    if (index < kBmpCodes) {
        const Run* run = std::upper_bound(std::begin(kBmpRuns), std::end(kBmpRuns), index,
                                          [](unsigned i, const Run& r) { return i < r.index; }) - 1;
        return run->code_point + (index - run->index);
    }
    if (index >= kSupplementaryFirst && index - kSupplementaryFirst <= 0x10FFFF - 0x10000)
        return 0x10000 + (index - kSupplementaryFirst);
    return 0;
}

char32_t two_byte_2005(unsigned code) {
    unsigned lead = code >> 8;
    if (lead != 0xA6 && lead != 0xA8 && lead != 0xFE) return 0;  // the only leads concerned
    for (const TwoByte& t : k2005Codes)
        if (t.code == code) return t.code_point;
    return 0;
}

// Decodes a run of well-formed one- and two-byte codes with iconv.
Status iconv_run(iconv_t cd, std::string_view run, Decoded& out) {
    if (run.empty()) return {};
    size_t old_size = out.text.size();
    out.text.resize(old_size + run.size() + run.size() / 2 + 16);  // at most 2 bytes -> 3
    char* in = const_cast<char*>(run.data());
    size_t in_left = run.size();
    char* dst = out.text.data() + old_size;
    size_t dst_left = out.text.size() - old_size;
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &dst, &dst_left) != size_t(-1)) break;
        int err = errno;
        if (err != EILSEQ && err != EINVAL) {
            out.text.resize(dst - out.text.data());
            return make_error("err.csv.decode_failed", {}, std::string("iconv: ") + std::strerror(err));
        }
        // A code this iconv does not know: one U+FFFD for its two bytes (or the last byte).
        size_t skip = std::min<size_t>(in_left, static_cast<unsigned char>(*in) >= 0x80 ? 2 : 1);
        size_t at = dst - out.text.data();
        out.text.resize(at);
        note_invalid(out, skip);
        size_t remaining = in_left - skip;
        out.text.resize(out.text.size() + remaining + remaining / 2 + 16);
        dst = out.text.data() + at + 3;
        dst_left = out.text.size() - (at + 3);
        in += skip;
        in_left = remaining;
    }
    out.text.resize(dst - out.text.data());
    return {};
}

}  // namespace

Status gb18030_to_utf8(std::string_view bytes, Decoded& out) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1))
        return make_error("err.csv.decode_failed", {}, std::string("iconv_open GB18030: ") + std::strerror(errno));
    out.text.reserve(out.text.size() + bytes.size() + bytes.size() / 2);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    size_t run_start = 0, i = 0;
    Status status;
    auto flush = [&](size_t end) {
        if (status) status = iconv_run(cd, bytes.substr(run_start, end - run_start), out);
    };
    while (i < n && status) {
        unsigned char b = p[i];
        if (b < 0x80) { ++i; continue; }
        if (is_lead(b) && i + 1 < n && is_trail(p[i + 1])) {
            if (char32_t cp = two_byte_2005(b << 8 | p[i + 1])) {
                flush(i);
                append_utf8(out.text, cp);
                run_start = i += 2;
            } else {
                i += 2;
            }
            continue;
        }
        flush(i);
        if (b == 0x80) {  // code page 936 (what Windows writes) has the euro sign here
            append_utf8(out.text, 0x20AC);
            i += 1;
        } else if (is_lead(b) && i + 3 < n && is_digit(p[i + 1]) && is_lead(p[i + 2]) && is_digit(p[i + 3])) {
            if (char32_t cp = four_byte(p + i)) append_utf8(out.text, cp);
            else note_invalid(out, 4);
            i += 4;
        } else {
            note_invalid(out, 1);
            i += 1;
        }
        run_start = i;
    }
    flush(n);
    iconv_close(cd);
    return status;
}

}  // namespace crm::csv
