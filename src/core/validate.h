// Field validation and input normalization: the one place that decides whether a value typed
// by a user (or imported) is acceptable for a field kind, and how phone numbers are shown.
// Pure functions; never touches storage or UI. Failures are crm::Error values whose code is
// an i18n key (err.*) and whose params let the message name the fix.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace crm {

enum class FieldKind { Text, Name, CompanyName, Mobile, Landline, Phone, Email, Date,
                       DateTime, CreditCode, Enum, Money, Integer, Flag, Ref };

// Full-width ASCII (U+FF01..FF5E) -> half-width, U+3000 -> space, other whitespace -> space,
// trim both ends, collapse inner runs of spaces to one. Invalid UTF-8 bytes are kept as is.
std::string normalize_input(std::string_view);

// Validates an already normalized value. Empty values pass (requiredness is checked by the
// caller with validate_required). `picklist` names the list for FieldKind::Enum.
Status validate_value(FieldKind kind, std::string_view value, const std::string& field_key,
                      std::string_view picklist = {});

// err.required when value (after trimming) is empty.
Status validate_required(std::string_view value, const std::string& field_key);

bool is_valid_mobile(std::string_view);      // accepts +86/0086/86 prefix, spaces, dashes
bool is_valid_landline(std::string_view);    // 010-12345678, 0755-1234567-123, (010)12345678 转 8
bool is_valid_phone(std::string_view);       // mobile or landline
bool is_valid_email(std::string_view);
bool is_valid_date(std::string_view);        // YYYY-MM-DD, a real calendar date
bool is_valid_datetime(std::string_view);    // exactly YYYY-MM-DDTHH:MM:SSZ (UTC), a real date
bool is_valid_credit_code(std::string_view); // GB 32100-2015, lower case accepted

// The check character (position 18) for the first 17 characters of a unified social credit
// code; nullopt when `first17` is not 17 characters of the code alphabet.
std::optional<char> credit_code_check_char(std::string_view first17);

// Mobile -> 11 digits (prefix, spaces and dashes removed); landline -> "0AAA-NNNNNNN[-EXT]".
// Returns the input unchanged when it is neither.
std::string normalize_phone(std::string_view);

// A passphrase's strength for the hint under the field: 0 weak (under 10 characters or
// one kind of character), 1 fair, 2 strong (16+ characters, or 12+ mixing three kinds:
// letters, digits, symbols, Chinese). Guidance only; any non-empty passphrase is accepted.
int passphrase_strength(std::string_view passphrase);

// "100,000" / "10万" / "1.5万" / "100000" -> 100000. nullopt for negative, fractional yuan,
// or anything else.
std::optional<int64_t> parse_money(std::string_view);

// A stored amount for reading: digits grouped by thousands ("7500000" -> "7,500,000", as
// Excel and Chinese invoices show yuan). Anything that is not plain digits is returned as it is.
std::string display_money(std::string_view stored);

// The form a valid value is stored in: Mobile/Landline/Phone -> normalize_phone, Money ->
// plain digits ("10万" -> "100000"), CreditCode -> upper case, Email -> domain lower-cased,
// Flag "true"/"yes"/"是" -> "1". Call after validate_value succeeded; otherwise returns `value`.
std::string canonical_value(FieldKind kind, std::string_view value);

// 13812345678 -> 138****5678; landline keeps the area code and the last 4 digits
// (010-****5678). Anything else: all but the last 4 characters masked.
std::string mask_phone(std::string_view);

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace crm
