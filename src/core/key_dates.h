// Key dates of a customer (contract signed, renewal, birthday, anniversary) and the
// reminder list built from them. Every write goes through Workspace::apply*.
#pragma once
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

struct KeyDate {
    std::string id, customer_id, kind, date, note;
    int lead_days = 0;
};

struct UpcomingKeyDate {
    KeyDate key_date;
    std::string customer_name, customer_number;
    std::string occurs_on;   // the next occurrence on or after today
    int days_left = 0;       // occurs_on - today
};

// kind: contract_signed | renewal | birthday | anniversary; lead_days >= 0 (how many days
// ahead the reminder starts).
Result<std::string> add_key_date(Workspace& ws, const std::string& customer_id, const std::string& kind,
                                 const std::string& date, int lead_days, const std::string& note = "");
Status delete_key_date(Workspace& ws, const std::string& key_date_id);
Result<std::vector<KeyDate>> list_key_dates(Workspace& ws, const std::string& customer_id);

// Birthdays and anniversaries recur every year (29 Feb falls on 28 Feb in other years);
// contract_signed and renewal happen once. A key date is listed when its next occurrence
// D (>= today) lies within `days` of today, or when today is inside its reminder window
// (D - lead_days <= today). Sorted by D, then customer number.
Result<std::vector<UpcomingKeyDate>> upcoming_key_dates(Workspace& ws, const std::string& today, int days);

// The next occurrence of a key date on or after `today` (nullopt: a one-off date in the past).
std::optional<int64_t> next_occurrence(const std::string& kind, int64_t date, int64_t today);

}  // namespace crm
