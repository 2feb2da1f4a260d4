// How complete a customer's information is: a 0..100 score over the fields that matter
// for follow-up, the complete / to_be_completed state, the "information pending" flag, and
// the team's completeness rate. Pure reads; never writes.
#pragma once
#include <string>
#include <vector>

#include "core/customers.h"

namespace crm {

// Weights (each set sums to 100; a customer is complete only at 100):
//  enterprise: name 10, industry 10, credit_code 10, size_band 5, enterprise_type 5,
//              full address (province + city + address) 10, source 5, intent 10, needs 10,
//              budget 5, expected_close_date 5, a key contact (is_key) 5,
//              a contact with a mobile 10
//  personal:   name 10, occupation 10, age_band 10, full address 10, source 5, intent 10,
//              needs 15, budget 5, expected_close_date 5, first_contact_date 5,
//              a contact with a mobile 15
// "Information pending": still incomplete on or after the 3rd working day (Mon-Fri) after
// the day of created_at (UTC): created Friday -> pending from Wednesday.
struct Completeness {
    int score = 0;
    bool complete = false;
    bool pending = false;
    std::vector<std::string> missing;  // i18n label keys of the missing items, by weight
    const char* state() const { return complete ? "complete" : "to_be_completed"; }
};

Completeness completeness_of(const Customer& c, const std::vector<Contact>& contacts,
                             const std::string& today);
Result<Completeness> customer_completeness(Workspace& ws, const std::string& customer_id,
                                           const std::string& today);

// Stores the customer's score and the day it becomes "information pending" in
// customer_facts (derived data, like the search index: rebuilt from the records, never
// synced), so filters over 100k customers need no per-row scoring. Called by the write
// path for every customer an edit touched; `live` null = deleted (the row goes).
Status store_completeness(store::Db& db, int64_t customer_rowid, const Customer* live,
                          const std::vector<Contact>& contacts);

struct TeamCompleteness {
    int customers = 0, complete = 0, pending = 0;
    int rate_percent = 0;   // complete * 100 / customers, rounded down; 0 when no customers
    double average_score = 0;
};
// Over all live customers, or one owner's when owner is not empty.
Result<TeamCompleteness> team_completeness(Workspace& ws, const std::string& today,
                                           const std::string& owner = "");

}  // namespace crm
