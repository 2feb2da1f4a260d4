// Import step 1 and 2: which column of a spreadsheet goes to which field (guessed from
// Chinese and English header names, editable, remembered as JSON keyed by the header row),
// and which picklist code each cell value means ("制造" -> industry C), guessed from the
// picklists' labels in both languages. Also the value conversions a spreadsheet needs
// (Excel's 2024/3/5 dates). Pure functions: never validates (the write path's rules do
// that, see import.h) and never touches storage.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/i18n.h"

namespace crm {

enum class ImportKind { Customers, Interactions };
const char* import_kind_name(ImportKind);  // "customers" | "interactions"

// Targets are "<table>.<field>" of the schema plus a few that are split or matched:
//   customers.region   "广东省深圳市南山区" split into province, city, district
//   contacts.phone     a mobile goes to contacts.mobile, anything else to contacts.landline
//   customers.number   matches an existing customer (never written: numbers are ours)
//   customers.tags     "高价值、直销": names of library tags (import_tag_names splits them)
// An empty target ignores the column.
std::vector<std::string> import_targets(ImportKind kind);
// i18n key of a target's label ("field.contacts.mobile"; "import.target.region", ...).
std::string import_target_label(std::string_view target);

struct ColumnMapping {
    ImportKind kind = ImportKind::Customers;
    std::vector<std::string> header;   // the file's header cells, as read
    std::vector<std::string> targets;  // one per column; "" = ignored
    // Per target with a picklist: cell value (normalize_input'ed) -> picklist code.
    std::map<std::string, std::map<std::string, std::string>> values;
};

// The target a header cell most likely means ("手机号" -> contacts.mobile, "Company" ->
// customers.name); "" when nothing fits. Exact synonyms first, then the longest synonym the
// header ends with, then the longest it contains ("联系人手机" -> contacts.mobile).
std::string guess_target(std::string_view header_cell, ImportKind kind);
// A guess for every column; a target is given to its first column only.
ColumnMapping guess_mapping(const std::vector<std::string>& header, ImportKind kind);

// Remembering a mapping: the settings key for a header row (same header, same key, whatever
// the case, spaces or full-width characters), and the mapping as JSON and back.
// err.import.bad_mapping when the JSON is damaged or was made for another header.
std::string mapping_key(const std::vector<std::string>& header, ImportKind kind);
std::string mapping_to_json(const ColumnMapping& mapping);
Result<ColumnMapping> mapping_from_json(std::string_view json, const std::vector<std::string>& header);

// Picklist codes from labels in the given languages (load en and zh-CN): exact code or label,
// then the label with 业 appended ("制造" -> 制造业), a few common spreadsheet words
// ("转介绍", "成交客户"), then a label the value uniquely begins. Top-level codes win
// ("房地产业" -> K, not K70). Empty when nothing fits.
class ValueGuesser {
public:
    explicit ValueGuesser(const std::vector<const Translations*>& languages);
    std::string guess(std::string_view picklist, std::string_view value) const;
private:
    struct Label {
        std::string key, code;  // key: normalized label
        bool top = true;
    };
    std::map<std::string, std::vector<Label>, std::less<>> labels_;
};

// Step 2 of the wizard: every distinct value of every mapped picklist column, with the
// code it maps to ("" = unmapped: the user picks one). Fills mapping.values with guesses
// for values the user has not mapped yet; never overrides a user's choice.
struct ValueChoice {
    std::string value;   // normalized cell text
    size_t count = 0;    // rows with this value
    size_t first_line = 0;
    std::string code;    // "" when unmapped
};
struct ColumnValues {
    size_t column = 0;
    std::string target, picklist;
    std::vector<ValueChoice> values;  // in order of first appearance
    size_t unmapped() const;
};
std::vector<ColumnValues> map_values(const csv::Table& table, ColumnMapping& mapping,
                                     const ValueGuesser& guesser);

// Conversions of what spreadsheets write, applied before validation; anything not
// recognized is returned unchanged so validation names it. Dates: 2024/3/5, 2024-3-5,
// 2024.3.5, 2024年3月5日, 20240305 (a trailing " 0:00" is dropped) -> 2024-03-05.
// Times: a date plus H:MM[:SS] in local time at utc_offset_minutes -> 'YYYY-MM-DDTHH:MM:SSZ'.
std::string import_date(std::string_view value);
std::string import_datetime(std::string_view value, int utc_offset_minutes);
// "广东省深圳市南山区", "广东 深圳", "深圳市" -> province, city, district names as the
// region list spells them; parts not found stay empty, and nothing is found for text
// that does not start with a known region.
struct RegionParts {
    std::string province, city, district;
};
RegionParts split_region(std::string_view text);
// A tags cell cut into names: separated by 、 , ; ， ； or /, each trimmed, empty ones and
// repeats left out. Spaces are not cut here ("High value" is one English name): the
// import splits a part at its spaces only when the whole part is no tag.
std::vector<std::string> import_tag_names(std::string_view cell);

}  // namespace crm
