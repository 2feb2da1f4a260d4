// GB18030 (and so GBK, GB 2312, Windows code page 936) -> UTF-8 for the CSV reader.
// Internal to csv_*.cpp; callers use csv::decode(). Never guesses the encoding.
#pragma once
#include <string_view>

#include "core/csv.h"

namespace crm::csv {

// Appends the UTF-8 of bytes to out.text; undecodable bytes become U+FFFD (counted in out).
Status gb18030_to_utf8(std::string_view bytes, Decoded& out);

// Shared with csv_encoding.cpp.
void append_utf8(std::string& out, char32_t cp);
void note_invalid(Decoded& d, size_t bytes = 1);  // one U+FFFD for that many bytes

}  // namespace crm::csv
