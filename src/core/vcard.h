// vCard files (3.0 and 4.0, and the 2.1 that phones still export) -> plain contact
// records: folded lines, QUOTED-PRINTABLE with soft line breaks, UTF-8 or GB18030 text
// (CHARSET=GBK from older Chinese phones), escaped commas and semicolons, several TEL and
// EMAIL each. Pure parsing: never validates numbers or touches storage; import.h turns the
// cards into import rows.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace crm {

struct VCardValue {
    std::string value;
    std::vector<std::string> types;  // lower case: "cell", "work", "home", "voice", ...
    bool preferred = false;          // TYPE=PREF (3.0) or PREF=1 (4.0)
};

struct VCard {
    std::string version;          // "2.1", "3.0", "4.0" (as written)
    std::string formatted_name;   // FN
    std::string family, given;    // N (first two components)
    std::string org, title, note; // ORG (first component), TITLE, NOTE
    std::vector<VCardValue> tels, emails;  // in file order
    size_t line = 0;              // line of BEGIN:VCARD
    // FN, else the N parts: "张伟" (CJK: family then given, no space), "Wei Zhang".
    std::string display_name() const;
};

struct VCardFile {
    std::vector<VCard> cards;
    std::vector<Error> warnings;  // err.vcard.unterminated (a card without END:VCARD, kept)
};

// err.vcard.no_cards when the text holds no BEGIN:VCARD; err.csv.decode_failed when the
// bytes cannot be read as text.
Result<VCardFile> parse_vcards(std::string_view bytes);

}  // namespace crm
