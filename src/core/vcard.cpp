// vCard parsing: decode, unfold, split properties, decode values.
#include "core/vcard.h"

#include "core/csv.h"
#include "core/text.h"

namespace crm {

namespace {

struct Property {
    std::string name;                 // upper case, group removed
    std::vector<std::string> params;  // upper case "TYPE=CELL", "CELL", "ENCODING=QUOTED-PRINTABLE"
    std::string value;                // raw, still escaped / encoded
};

bool is_cjk(char32_t c) { return c >= 0x2E80 && c <= 0x9FFF; }

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t at = i;
        if (utf8_next(s, i) == 0xFFFD && !(s.substr(at, 3) == "\xEF\xBF\xBD")) return false;
    }
    return true;
}

// Splits at `sep` outside double quotes.
std::vector<std::string> split_unquoted(std::string_view s, char sep) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (char c : s) {
        if (c == '"') quoted = !quoted;
        if (c == sep && !quoted) out.emplace_back();
        else out.back() += c;
    }
    return out;
}

// Splits a structured value (N, ADR, ORG) at ';' that are not escaped.
std::vector<std::string> split_components(std::string_view s) {
    std::vector<std::string> out(1);
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            out.back() += s[i];
            out.back() += s[++i];
        } else if (s[i] == ';') {
            out.emplace_back();
        } else {
            out.back() += s[i];
        }
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char c = s[++i];
        out += (c == 'n' || c == 'N') ? '\n' : c;
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string decode_quoted_printable(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size()) {
            int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

bool has_param(const Property& p, std::string_view want) {
    for (const std::string& x : p.params) {
        if (x == want) return true;
        size_t eq = x.find('=');
        if (eq == std::string::npos) continue;
        for (const std::string& v : split_unquoted(std::string_view(x).substr(eq + 1), ','))
            if (v == want || v == "\"" + std::string(want) + "\"") return true;
    }
    return false;
}

std::string param_value(const Property& p, std::string_view name) {
    for (const std::string& x : p.params)
        if (x.size() > name.size() && x.compare(0, name.size(), name) == 0 && x[name.size()] == '=')
            return x.substr(name.size() + 1);
    return {};
}

// The property's value as UTF-8 text, still escaped.
std::string decoded_value(const Property& p) {
    std::string v = p.value;
    if (has_param(p, "QUOTED-PRINTABLE")) v = decode_quoted_printable(v);
    std::string charset = param_value(p, "CHARSET");
    bool gb = charset.find("GB") != std::string::npos;
    if (gb || !valid_utf8(v)) {
        auto d = csv::decode(v, csv::Encoding::Gb18030);
        if (d) v = d->text;
    }
    return v;
}

Property parse_line(std::string_view line) {
    Property p;
    size_t colon = std::string_view::npos;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"') quoted = !quoted;
        if (line[i] == ':' && !quoted) {
            colon = i;
            break;
        }
    }
    if (colon == std::string_view::npos) return p;
    std::vector<std::string> head = split_unquoted(line.substr(0, colon), ';');
    std::string name = ascii_upper(head[0]);
    if (size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);  // item1.TEL
    p.name = name;
    for (size_t i = 1; i < head.size(); ++i) p.params.push_back(ascii_upper(head[i]));
    p.value = std::string(line.substr(colon + 1));
    return p;
}

std::vector<std::string> types_of(const Property& p) {
    std::vector<std::string> out;
    for (const std::string& x : p.params) {
        size_t eq = x.find('=');
        if (eq == std::string::npos) {  // 2.1: bare CELL, WORK, PREF
            if (x != "QUOTED-PRINTABLE" && x.rfind("CHARSET", 0) != 0) out.push_back(ascii_lower(x));
            continue;
        }
        if (x.compare(0, eq, "TYPE") != 0) continue;
        std::string list;  // 4.0 may quote the whole list: TYPE="cell,voice"
        for (char c : std::string_view(x).substr(eq + 1))
            if (c != '"') list += c;
        for (const std::string& v : split_unquoted(list, ','))
            if (!v.empty()) out.push_back(ascii_lower(v));
    }
    return out;
}

VCardValue multi_value(const Property& p, std::string v) {
    VCardValue out;
    out.value = normalize_input(v);
    if (ascii_lower(out.value.substr(0, 4)) == "tel:") out.value = out.value.substr(4);     // 4.0 VALUE=uri
    if (ascii_lower(out.value.substr(0, 7)) == "mailto:") out.value = out.value.substr(7);
    out.types = types_of(p);
    for (const std::string& t : out.types) out.preferred = out.preferred || t == "pref";
    out.preferred = out.preferred || param_value(p, "PREF") == "1";
    return out;
}

void apply(VCard& card, const Property& p) {
    if (p.name == "VERSION") {
        card.version = normalize_input(p.value);
        return;
    }
    const std::string v = decoded_value(p);
    if (p.name == "FN") card.formatted_name = normalize_input(unescape(v));
    else if (p.name == "N") {
        std::vector<std::string> parts = split_components(v);
        card.family = normalize_input(unescape(parts[0]));
        if (parts.size() > 1) card.given = normalize_input(unescape(parts[1]));
    } else if (p.name == "ORG") card.org = normalize_input(unescape(split_components(v)[0]));
    else if (p.name == "TITLE") card.title = normalize_input(unescape(v));
    else if (p.name == "NOTE") card.note = unescape(v);
    else if (p.name == "TEL") card.tels.push_back(multi_value(p, unescape(v)));
    else if (p.name == "EMAIL") card.emails.push_back(multi_value(p, unescape(v)));
}

}  // namespace

std::string VCard::display_name() const {
    if (!formatted_name.empty()) return formatted_name;
    if (family.empty() || given.empty()) return family + given;
    std::vector<char32_t> f = utf8_decode(family);
    bool cjk = !f.empty() && is_cjk(f[0]);
    return cjk ? family + given : given + " " + family;
}

Result<VCardFile> parse_vcards(std::string_view bytes) {
    auto decoded = csv::decode(bytes, csv::detect_encoding(bytes));
    if (!decoded) return decoded.error();
    const std::string& text = decoded->text;

    // Physical lines, then logical ones: a line starting with a space or tab continues the
    // previous one (folding), and so does the line after a QUOTED-PRINTABLE value ending in
    // '=' (2.1's soft line break, which is not folded with whitespace).
    std::vector<std::pair<std::string, size_t>> lines;  // logical line, its first line number
    size_t line_no = 0;
    bool soft_break = false;
    for (size_t pos = 0; pos <= text.size();) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view raw(text.data() + pos, end - pos);
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        ++line_no;
        pos = end + 1;
        if (soft_break && !lines.empty()) {
            lines.back().first += raw;
        } else if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t') && !lines.empty()) {
            lines.back().first += raw.substr(1);
        } else if (!raw.empty()) {
            lines.push_back({std::string(raw), line_no});
        }
        soft_break = false;
        if (!lines.empty()) {
            std::string& last = lines.back().first;
            std::string upper_head = ascii_upper(last.substr(0, last.find(':')));
            if (!last.empty() && last.back() == '=' && upper_head.find("QUOTED-PRINTABLE") != std::string::npos) {
                last.pop_back();
                soft_break = true;
            }
        }
        if (end == text.size()) break;
    }

    VCardFile out;
    bool in_card = false;
    VCard card;
    for (const auto& [line, number] : lines) {
        Property p = parse_line(line);
        std::string value = ascii_upper(normalize_input(p.value));
        if (p.name == "BEGIN" && value == "VCARD") {
            if (in_card) {  // a card without END: keep what it had
                out.warnings.push_back(make_error("err.vcard.unterminated").with("line", std::to_string(card.line)));
                out.cards.push_back(std::move(card));
            }
            card = VCard{};
            card.line = number;
            in_card = true;
        } else if (p.name == "END" && value == "VCARD" && in_card) {
            out.cards.push_back(std::move(card));
            card = VCard{};
            in_card = false;
        } else if (in_card) {
            apply(card, p);
        }
    }
    if (in_card) {
        out.warnings.push_back(make_error("err.vcard.unterminated").with("line", std::to_string(card.line)));
        out.cards.push_back(std::move(card));
    }
    if (out.cards.empty()) return make_error("err.vcard.no_cards");
    return out;
}

}  // namespace crm
