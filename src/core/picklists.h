// The fixed choice lists of the domain (GB/T 4754-2017 industries, GB/T 2260 regions, status,
// source, ...). Codes are stable lowercase English (or standard) codes stored in the database;
// labels are i18n keys "pick.<list>.<code>". Never stores or translates anything itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace crm {

struct PickOption {
    std::string code;       // stored value: "won", "C39", "110000"
    std::string label_key;  // i18n key: "pick.status.won", "pick.industry.C39", "pick.region.110000"
    std::string parent;     // parent code ("C" for "C39", "440000" for "440300"), "" at top
};

// Lists: industry, region, customer_kind (alias kind), status, intent, source, size_band,
// enterprise_type, age_band, method, feedback, tag_type, tag_state, key_date_kind.
// Unknown name -> an empty list.
const std::vector<PickOption>& picklist(std::string_view name);
bool in_picklist(std::string_view name, std::string_view code);
const PickOption* find_option(std::string_view name, std::string_view code);

// Names of all lists, for tests and settings screens.
const std::vector<std::string>& picklist_names();

// Regions (GB/T 2260): the official Chinese name of a region code ("440300" -> "深圳市")
// and the region codes whose Chinese name matches ("深圳市" or "深圳"). Empty if unknown.
std::string region_name_zh(std::string_view code);
std::string region_code_by_name(std::string_view name_zh);
// Chinese names of provinces and cities, longest first, with the short forms ("北京", "广东")
// — used to strip region prefixes from company names.
const std::vector<std::string>& region_name_prefixes();

}  // namespace crm
