// Field validation, phone normalization and masking.
//
// Index of this file
//   [SECTION] small helpers
//   [SECTION] phones
//   [SECTION] email, dates, credit code, money
//   [SECTION] validate_value / canonical_value
#include "core/validate.h"

#include <cctype>
#include <cstring>

#include "core/picklists.h"
#include "core/text.h"

namespace crm {

// ---- [SECTION] small helpers -------------------------------------------------------------

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}
int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Error error_with_value(const char* code, const std::string& field, std::string_view value) {
    Error e = make_error(code, field);
    e.with("value", std::string(value));
    return e;
}

// Maximum length (characters) of free text and names; longer input is a paste accident.
constexpr size_t kMaxText = 4000;
constexpr size_t kMaxName = 50;
constexpr size_t kMaxCompanyName = 100;
}  // namespace

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// ---- [SECTION] phones --------------------------------------------------------------------

namespace {
// Mobile: the 11 digits, or "" when `s` is not a mainland mobile. Accepts +86 / 0086 / 86
// before the number, and spaces, dashes and dots between digits.
std::string mobile_digits(std::string_view s) {
    std::string d;
    size_t i = 0;
    if (!s.empty() && s[0] == '+') i = 1;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (is_digit(c)) d.push_back(c);
        else if (c != ' ' && c != '-' && c != '.') return {};
    }
    bool plus = !s.empty() && s[0] == '+';
    if (plus && !starts_with(d, "86")) return {};
    if (plus) d.erase(0, 2);
    else if (d.size() == 15 && starts_with(d, "0086")) d.erase(0, 4);
    else if (d.size() == 13 && starts_with(d, "86")) d.erase(0, 2);
    if (d.size() != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9') return {};
    return d;
}

struct Landline {
    std::string area, number, ext;
};

// Landline: area code 0 + 2-3 digits (optionally in parentheses, or after +86 without its
// 0), a 7-8 digit number not starting with 0, an optional extension after -, 转, ext, x or #.
// Without any separator the area code length follows the numbering plan: 010 and 02x are
// three digits, all others four.
std::optional<Landline> parse_landline(std::string_view in) {
    std::string s = normalize_input(in);
    // Split off the extension first.
    std::string ext;
    for (const char* mark : {"转", "ext.", "ext", "EXT", "x", "X", "#"}) {
        size_t p = s.find(mark);
        if (p != std::string::npos && p > 0) {
            std::string tail = s.substr(p + std::strlen(mark));
            std::string t;
            for (char c : tail)
                if (c != ' ' && c != '.' && c != ':') t.push_back(c);
            if (!all_digits(t) || t.size() > 6) return std::nullopt;
            ext = t;
            s = s.substr(0, p);
            break;
        }
    }
    // Tokens of digits; "(" ")" " " "-" separate them.
    std::vector<std::string> tok;
    bool paren = false, plus = false;
    std::string cur;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (is_digit(c)) { cur.push_back(c); continue; }
        if (!cur.empty()) tok.push_back(cur), cur.clear();
        if (c == '(' || c == ')') paren = true;
        else if (c == '+' && i == 0) plus = true;
        else if (c != ' ' && c != '-') return std::nullopt;
    }
    if (!cur.empty()) tok.push_back(cur);
    if (plus) {  // +86 10 12345678 -> 010 12345678
        if (tok.empty() || tok[0] != "86" || tok.size() < 3) return std::nullopt;
        tok.erase(tok.begin());
        tok[0] = "0" + tok[0];
    }
    (void)paren;
    Landline l;
    l.ext = ext;
    if (tok.size() == 1) {  // 01012345678 / 075512345678
        const std::string& d = tok[0];
        if (d.size() < 10 || d[0] != '0') return std::nullopt;
        size_t alen = (d[1] == '1' && d[2] == '0') || d[1] == '2' ? 3 : 4;
        l.area = d.substr(0, alen);
        l.number = d.substr(alen);
    } else if (tok.size() == 2 || tok.size() == 3) {
        l.area = tok[0];
        l.number = tok[1];
        if (tok.size() == 3) {  // 0755-1234567-123
            if (!l.ext.empty() || tok[2].size() > 6) return std::nullopt;
            l.ext = tok[2];
        }
    } else {
        return std::nullopt;
    }
    if (l.area.size() < 3 || l.area.size() > 4 || l.area[0] != '0' || l.area[1] == '0') return std::nullopt;
    if (l.number.size() < 7 || l.number.size() > 8 || l.number[0] == '0') return std::nullopt;
    return l;
}
}  // namespace

bool is_valid_mobile(std::string_view s) { return !mobile_digits(normalize_input(s)).empty(); }
bool is_valid_landline(std::string_view s) { return parse_landline(s).has_value(); }
bool is_valid_phone(std::string_view s) { return is_valid_mobile(s) || is_valid_landline(s); }

std::string normalize_phone(std::string_view s) {
    std::string m = mobile_digits(normalize_input(s));
    if (!m.empty()) return m;
    if (auto l = parse_landline(s)) return l->area + "-" + l->number + (l->ext.empty() ? "" : "-" + l->ext);
    return std::string(s);
}

std::string mask_phone(std::string_view s) {
    std::string m = mobile_digits(normalize_input(s));
    if (!m.empty()) return m.substr(0, 3) + "****" + m.substr(7);
    if (auto l = parse_landline(s))
        return l->area + "-" + std::string(l->number.size() - 4, '*') + l->number.substr(l->number.size() - 4);
    std::string all(s);
    if (all.empty()) return all;
    size_t n = utf8_length(all);
    if (n <= 4) return std::string(n, '*');
    // Keep the last 4 code points.
    std::vector<char32_t> cps = utf8_decode(all);
    std::string out(n - 4, '*');
    for (size_t i = n - 4; i < n; ++i) utf8_append(out, cps[i]);
    return out;
}

// ---- [SECTION] email, dates, credit code, money -----------------------------------------

bool is_valid_email(std::string_view s) {
    if (s.size() > 254) return false;
    size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
    std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return false;
    for (char c : local)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._%+-'", c))) return false;
    // Domain: at least two labels; labels of letters, digits, inner hyphens; TLD letters.
    size_t start = 0;
    int labels = 0;
    while (true) {
        size_t dot = domain.find('.', start);
        std::string_view label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
        ++labels;
        if (dot == std::string_view::npos) {
            if (label.size() < 2) return false;
            for (char c : label)
                if (!std::isalpha(static_cast<unsigned char>(c))) return false;
            break;
        }
        start = dot + 1;
    }
    return labels >= 2;
}

bool is_valid_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2))) return false;
    int y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2)), d = to_int(s.substr(8, 2));
    return y >= 1900 && y <= 2200 && d >= 1 && d <= days_in_month(y, m);
}

bool is_valid_datetime(std::string_view s) {
    if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return false;
    if (!is_valid_date(s.substr(0, 10))) return false;
    auto two = [&](size_t p) { return all_digits(s.substr(p, 2)) ? to_int(s.substr(p, 2)) : 99; };
    return two(11) <= 23 && two(14) <= 59 && two(17) <= 59;
}

namespace {
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // 31 chars, no I O S V Z
int credit_value(char c) {
    size_t p = kCreditAlphabet.find(c);
    return p == std::string_view::npos ? -1 : static_cast<int>(p);
}
}  // namespace

std::optional<char> credit_code_check_char(std::string_view first17) {
    if (first17.size() != 17) return std::nullopt;
    std::string u = ascii_upper(first17);
    int sum = 0, weight = 1;  // weights 3^(i-1) mod 31
    for (char c : u) {
        int v = credit_value(c);
        if (v < 0) return std::nullopt;
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    return kCreditAlphabet[(31 - sum % 31) % 31];
}

namespace {
// The error a credit code gets, or nullopt when valid. Checks length, alphabet, the
// registration-authority code (position 1) and the check character (position 18).
std::optional<Error> credit_code_error(std::string_view raw, const std::string& field) {
    std::string u = ascii_upper(raw);
    if (utf8_length(u) != 18) {
        Error e = error_with_value("err.credit_code.length", field, raw);
        e.with("length", std::to_string(utf8_length(u)));
        return e;
    }
    for (char c : u)
        if (credit_value(c) < 0) {
            Error e = error_with_value("err.credit_code.chars", field, raw);
            e.with("char", std::string(1, c));
            return e;
        }
    if (!std::strchr("123456789ANY", u[0])) return error_with_value("err.credit_code.authority", field, raw);
    char check = *credit_code_check_char(std::string_view(u).substr(0, 17));
    if (u[17] != check) {
        Error e = error_with_value("err.credit_code.checksum", field, raw);
        e.with("expected", std::string(1, check));
        return e;
    }
    return std::nullopt;
}
}  // namespace

bool is_valid_credit_code(std::string_view s) { return !credit_code_error(s, {}).has_value(); }

std::string display_money(std::string_view stored) {
    if (stored.empty() || stored.find_first_not_of("0123456789") != std::string_view::npos) return std::string(stored);
    std::string out;
    for (size_t i = 0; i < stored.size(); ++i) {
        if (i > 0 && (stored.size() - i) % 3 == 0) out += ',';
        out += stored[i];
    }
    return out;
}

std::optional<int64_t> parse_money(std::string_view in) {
    std::string s = normalize_input(in);
    // Currency marks: ¥ / ￥ before, 元 after.
    for (const char* p : {"¥", "￥"})
        if (starts_with(s, p)) s.erase(0, std::strlen(p));
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "元") == 0) s.resize(s.size() - 3);
    int64_t unit = 1;
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "万") == 0) unit = 10000, s.resize(s.size() - 3);
    else if (s.size() >= 3 && s.compare(s.size() - 3, 3, "亿") == 0) unit = 100000000, s.resize(s.size() - 3);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    if (s.empty()) return std::nullopt;
    // Digits with optional thousands commas (groups of three), optional decimals.
    std::string digits, frac;
    size_t dot = s.find('.');
    std::string whole = s.substr(0, dot);
    if (dot != std::string::npos) {
        frac = s.substr(dot + 1);
        if (!all_digits(frac)) return std::nullopt;
    }
    if (whole.find(',') != std::string::npos) {
        size_t first = whole.find(',');
        if (first == 0 || first > 3) return std::nullopt;
        for (size_t p = first; p < whole.size(); p += 4)
            if (whole[p] != ',' || p + 4 > whole.size() || !all_digits(whole.substr(p + 1, 3))) return std::nullopt;
        for (char c : whole)
            if (c != ',') digits.push_back(c);
    } else {
        digits = whole;
    }
    if (!all_digits(digits) || digits.size() > 15) return std::nullopt;
    // Whole yuan only: the fraction must vanish once multiplied by the unit.
    int64_t value = std::stoll(digits) * unit;
    int64_t f = 0, scale = 1;
    for (char c : frac) {
        if (scale > 100000000) return std::nullopt;
        f = f * 10 + (c - '0');
        scale *= 10;
    }
    if ((f * unit) % scale != 0) return std::nullopt;
    return value + f * unit / scale;
}

// ---- [SECTION] validate_value / canonical_value ------------------------------------------

namespace {
bool is_flag(std::string_view v) {
    for (const char* f : {"0", "1", "true", "false", "yes", "no", "是", "否"})
        if (v == f) return true;
    return false;
}
bool has_control_chars(std::string_view v) {
    for (char c : v)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') return true;
    return false;
}
}  // namespace

Status validate_required(std::string_view value, const std::string& field_key) {
    if (normalize_input(value).empty()) return make_error("err.required", field_key);
    return {};
}

Status validate_value(FieldKind kind, std::string_view v, const std::string& field, std::string_view picklist) {
    if (v.empty()) return {};
    auto fail = [&](const char* code) -> Status { return error_with_value(code, field, v); };
    switch (kind) {
    case FieldKind::Text:
        if (utf8_length(v) > kMaxText) {
            Error e = make_error("err.text.too_long", field);
            e.with("max", std::to_string(kMaxText));
            return e;
        }
        if (has_control_chars(v)) return fail("err.text.control_chars");
        return {};
    case FieldKind::Name:
    case FieldKind::CompanyName: {
        size_t n = utf8_length(v);
        size_t max = kind == FieldKind::Name ? kMaxName : kMaxCompanyName;
        if (n > max) {
            Error e = error_with_value("err.name.too_long", field, v);
            e.with("max", std::to_string(max));
            return e;
        }
        if (has_control_chars(v) || v.find('\n') != std::string_view::npos) return fail("err.name.format");
        // A name made of digits and punctuation only is a phone number or a typo.
        bool letter = false;
        for (size_t i = 0; i < v.size();) {
            char32_t c = utf8_next(v, i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) letter = true;
        }
        if (!letter) return fail("err.name.format");
        if (kind == FieldKind::CompanyName && n < 2) return fail("err.company_name.too_short");
        return {};
    }
    case FieldKind::Mobile: return is_valid_mobile(v) ? Status{} : fail("err.mobile.format");
    case FieldKind::Landline: return is_valid_landline(v) ? Status{} : fail("err.landline.format");
    case FieldKind::Phone: return is_valid_phone(v) ? Status{} : fail("err.phone.format");
    case FieldKind::Email: return is_valid_email(v) ? Status{} : fail("err.email.format");
    case FieldKind::Date:
        if (is_valid_date(v)) return {};
        // Right shape, impossible day (2023-02-29): say so instead of "wrong format".
        if (v.size() == 10 && v[4] == '-' && v[7] == '-' && all_digits(v.substr(0, 4)) &&
            all_digits(v.substr(5, 2)) && all_digits(v.substr(8, 2)))
            return fail("err.date.invalid");
        return fail("err.date.format");
    case FieldKind::DateTime: return is_valid_datetime(v) ? Status{} : fail("err.datetime.format");
    case FieldKind::CreditCode:
        if (auto e = credit_code_error(v, field)) return *e;
        return {};
    case FieldKind::Enum:
        if (in_picklist(picklist, v)) return {};
        {
            Error e = error_with_value("err.enum.unknown", field, v);
            e.with("list", std::string(picklist));
            return e;
        }
    case FieldKind::Money:
        if (parse_money(v)) return {};
        return fail(v.find('-') != std::string_view::npos ? "err.money.negative" : "err.money.format");
    case FieldKind::Integer: {
        std::string_view d = v.substr(v[0] == '-' ? 1 : 0);
        return all_digits(d) && d.size() <= 18 ? Status{} : fail("err.integer.format");
    }
    case FieldKind::Flag: return is_flag(v) ? Status{} : fail("err.flag.format");
    case FieldKind::Ref:
        for (char c : v)
            if (static_cast<unsigned char>(c) <= ' ') return fail("err.ref.format");
        return {};
    }
    return {};
}

std::string canonical_value(FieldKind kind, std::string_view v) {
    switch (kind) {
    case FieldKind::Mobile:
    case FieldKind::Landline:
    case FieldKind::Phone: return normalize_phone(v);
    case FieldKind::Money:
        if (auto m = parse_money(v)) return std::to_string(*m);
        break;
    case FieldKind::CreditCode: return ascii_upper(v);
    case FieldKind::Email: {
        size_t at = v.find('@');
        if (at == std::string_view::npos) return std::string(v);
        return std::string(v.substr(0, at)) + ascii_lower(v.substr(at));
    }
    case FieldKind::Flag:
        if (is_flag(v)) return v == "1" || v == "true" || v == "yes" || v == "是" ? "1" : "0";
        break;
    default: break;
    }
    return std::string(v);
}

}  // namespace crm

namespace crm {

int passphrase_strength(std::string_view p) {
    const size_t length = utf8_length(p);
    bool letter = false, digit = false, symbol = false, wide = false;
    for (unsigned char ch : p) {
        if (ch >= 0x80) wide = true;  // Chinese and other non-ASCII characters
        else if (std::isalpha(ch)) letter = true;
        else if (std::isdigit(ch)) digit = true;
        else symbol = true;
    }
    const int kinds = letter + digit + symbol + wide;
    if (length < 10 || kinds < 2) return length >= 16 ? 1 : 0;
    if (length >= 16 || (length >= 12 && kinds >= 3)) return 2;
    return 1;
}

}  // namespace crm
