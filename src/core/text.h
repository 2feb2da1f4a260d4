// UTF-8 helpers and the company-name normalization used by duplicate detection.
// Pure string functions; never validates fields (validate.h) or touches storage.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

// Decodes one code point at s[i], advancing i. Invalid bytes decode as U+FFFD (1 byte).
char32_t utf8_next(std::string_view s, size_t& i);
void utf8_append(std::string& out, char32_t cp);
std::vector<char32_t> utf8_decode(std::string_view s);
std::string utf8_encode(const std::vector<char32_t>& cps);
size_t utf8_length(std::string_view s);  // number of code points

// ASCII letters only; every other byte (Chinese included) is left as it is.
std::string ascii_lower(std::string_view);
std::string ascii_upper(std::string_view);

// See validate.h: full-width ASCII -> half-width, U+3000 -> space, trim, collapse runs.
std::string normalize_input(std::string_view);

// Key for duplicate detection: removes bracketed parts ((北京), （深圳）), leading region names,
// legal-form suffixes (有限公司, 集团, Co., Ltd. ...), punctuation and spaces; ASCII lower-cased.
// "北京某某科技有限公司", "某某科技(北京)有限公司" -> "某某科技".
std::string normalize_company_name(std::string_view);

// Dice coefficient of character bigrams of the normalized names, 0..1 (1 = same key).
double name_similarity(std::string_view a, std::string_view b);

}  // namespace crm
