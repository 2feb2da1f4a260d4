// UTF-8 helpers, input normalization and company-name keys.
//
// Index of this file
//   [SECTION] UTF-8
//   [SECTION] normalize_input
//   [SECTION] company names
#include "core/text.h"

#include <algorithm>
#include <unordered_set>

#include "core/picklists.h"

namespace crm {

// ---- [SECTION] UTF-8 ---------------------------------------------------------------------

char32_t utf8_next(std::string_view s, size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc >> 6) != 0x2) {  // truncated sequence: consume only the lead byte
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += len;
    return cp;
}

void utf8_append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::vector<char32_t> utf8_decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) out.push_back(utf8_next(s, i));
    return out;
}

std::string utf8_encode(const std::vector<char32_t>& cps) {
    std::string out;
    out.reserve(cps.size() * 3);
    for (char32_t c : cps) utf8_append(out, c);
    return out;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size();) {
        utf8_next(s, i);
        ++n;
    }
    return n;
}

// ---- [SECTION] normalize_input -----------------------------------------------------------

namespace {
bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0x3000 || c == 0xA0;
}
}  // namespace

// Whether normalize_input would return s unchanged: no space but single inner ' ', no
// full-width ASCII, no over-long UTF-8 (which it re-encodes). Most values already are
// (every value passes here several times on its way through an import), and checking is
// far cheaper than rebuilding the string character by character.
static bool already_normal(std::string_view s) {
    bool space = true;  // a space first is trimmed
    for (size_t i = 0; i < s.size();) {
        const unsigned char b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (b == ' ') {
                if (space) return false;
                space = true;
            } else if (b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v') {
                return false;
            } else {
                space = false;
            }
            ++i;
            continue;
        }
        const size_t start = i;
        const char32_t c = utf8_next(s, i);
        if (c == 0xFFFD) {  // kept byte for byte
            space = false;
            continue;
        }
        if ((c >= 0xFF01 && c <= 0xFF5E) || is_space(c)) return false;
        const size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (len != i - start) return false;
        space = false;
    }
    return !space || s.empty();
}

std::string normalize_input(std::string_view s) {
    if (already_normal(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (size_t i = 0; i < s.size();) {
        size_t start = i;
        char32_t c = utf8_next(s, i);
        if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII block
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        if (c == 0xFFFD) out.append(s.substr(start, i - start));  // keep bytes we do not understand
        else utf8_append(out, c);
    }
    return out;
}

// ---- [SECTION] company names -------------------------------------------------------------

namespace {
bool ends_with(const std::u32string& s, const std::u32string& suf) {
    return s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
bool starts_with(const std::u32string& s, const std::u32string& pre) {
    return s.size() > pre.size() && s.compare(0, pre.size(), pre) == 0;
}
std::u32string to_u32(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) out.push_back(utf8_next(s, i));
    return out;
}
std::string to_utf8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) utf8_append(out, c);
    return out;
}

bool is_open_bracket(char32_t c) {
    return c == '(' || c == '[' || c == '{' || c == 0x3010 /*【*/ || c == 0x3014 /*〔*/ ||
           c == 0x300C /*「*/ || c == 0x300E /*『*/ || c == 0x3008 /*〈*/ || c == 0x300A /*《*/;
}
bool is_close_bracket(char32_t c) {
    return c == ')' || c == ']' || c == '}' || c == 0x3011 || c == 0x3015 || c == 0x300D ||
           c == 0x300F || c == 0x3009 || c == 0x300B;
}
// Kept characters: ASCII letters and digits, and everything outside ASCII that is not
// CJK or general punctuation (so Chinese characters stay, "·、，。" go).
bool is_kept(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation
    if (c >= 0x3000 && c <= 0x303F) return false;  // CJK symbols and punctuation
    if (c == 0xFFFD || c == 0xB7 || c == 0x30FB) return false;
    return true;
}

// Legal-form and organisation suffixes, longest first (stripped repeatedly).
const std::vector<std::u32string>& cjk_suffixes() {
    static const std::vector<std::u32string> v = [] {
        std::vector<std::u32string> s;
        for (const char* x : {"集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司",
                              "有限合伙", "普通合伙", "合伙企业", "股份公司", "有限公司", "集团公司",
                              "控股集团", "分公司", "总公司", "个体工商户", "集团", "公司"})
            s.push_back(to_u32(x));
        std::sort(s.begin(), s.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
        return s;
    }();
    return v;
}
const std::unordered_set<std::string>& english_suffix_words() {
    static const std::unordered_set<std::string> w = {
        "co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company",
        "llc", "plc", "gmbh", "ag", "sa", "group", "holdings", "lp", "llp", "pte"};
    return w;
}
}  // namespace

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string normalize_company_name(std::string_view name) {
    std::u32string s = to_u32(normalize_input(name));
    // 1. drop bracketed parts: (北京), （深圳）, 【旗舰店】 (normalize_input made （ into ().
    std::u32string flat;
    int depth = 0;
    for (char32_t c : s) {
        if (is_open_bracket(c)) ++depth;
        else if (is_close_bracket(c)) depth = depth > 0 ? depth - 1 : 0;
        else if (depth == 0) flat.push_back(c);
    }
    // 2. ASCII to lower case; split ASCII words to drop English legal forms at the end.
    for (char32_t& c : flat)
        if (c >= 'A' && c <= 'Z') c += 32;
    std::vector<std::u32string> words;  // runs of kept characters
    std::u32string cur;
    for (char32_t c : flat) {
        if (is_kept(c)) {
            cur.push_back(c);
        } else if (!cur.empty()) {
            words.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) words.push_back(cur);
    while (words.size() > 1 && english_suffix_words().count(to_utf8(words.back()))) words.pop_back();
    std::u32string key;
    for (auto& w : words) key += w;
    // 3. CJK legal forms at the end, repeatedly ("集团" + "有限公司").
    for (bool cut = true; cut;) {
        cut = false;
        for (const auto& suf : cjk_suffixes())
            if (ends_with(key, suf)) {
                key.resize(key.size() - suf.size());
                cut = true;
                break;
            }
    }
    // 4. leading region names, repeatedly ("广东省" + "深圳市"), never the whole name.
    static const std::vector<std::u32string> regions = [] {
        std::vector<std::u32string> r;
        for (const std::string& p : region_name_prefixes()) r.push_back(to_u32(p));
        return r;
    }();
    for (bool cut = true; cut;) {
        cut = false;
        for (const auto& pre : regions)
            if (starts_with(key, pre) && key.size() - pre.size() >= 2) {
                key.erase(0, pre.size());
                cut = true;
                break;
            }
    }
    return to_utf8(key);
}

double name_similarity(std::string_view a, std::string_view b) {
    std::u32string x = to_u32(normalize_company_name(a));
    std::u32string y = to_u32(normalize_company_name(b));
    if (x.empty() || y.empty()) return 0.0;
    if (x == y) return 1.0;
    // Bigrams as 64-bit keys; single characters count as one "bigram" with themselves.
    auto grams = [](const std::u32string& s) {
        std::vector<uint64_t> g;
        if (s.size() == 1) g.push_back((uint64_t(s[0]) << 32) | s[0]);
        for (size_t i = 0; i + 1 < s.size(); ++i) g.push_back((uint64_t(s[i]) << 32) | s[i + 1]);
        std::sort(g.begin(), g.end());
        return g;
    };
    std::vector<uint64_t> gx = grams(x), gy = grams(y);
    size_t common = 0;  // multiset intersection of two sorted vectors
    for (size_t i = 0, j = 0; i < gx.size() && j < gy.size();) {
        if (gx[i] == gy[j]) ++common, ++i, ++j;
        else if (gx[i] < gy[j]) ++i;
        else ++j;
    }
    return 2.0 * double(common) / double(gx.size() + gy.size());
}

}  // namespace crm
