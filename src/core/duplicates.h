// Likely duplicates of a customer, found on create and on import: the same credit code,
// phone or email, or a company name that is the same after normalization (width, brackets,
// region prefixes, legal forms) or close to it. Scored and explained, never merged here
// (merging is core/merge, on the user's decision).
//
// Lookups go through customer_keys, a derived table the write path keeps current (like the
// search index), so checking one record against 100k customers reads a few index entries.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/customers.h"
#include "core/i18n.h"

namespace crm {

// What a record is compared by, normalized. Built from unsaved fields or a stored record.
struct DedupeKeys {
    std::string kind;         // enterprise | personal: names compare only within a kind
    std::string name;         // as entered (for similarity)
    std::string name_key;     // normalize_company_name(name)
    std::string credit_code;  // upper case
    std::set<std::string> phones, emails;  // canonical phones, lower-case emails
};
DedupeKeys dedupe_keys(const std::vector<FieldValue>& customer,
                       const std::vector<std::vector<FieldValue>>& contacts);
DedupeKeys dedupe_keys(const Customer& customer, const std::vector<Contact>& contacts);

// Scores (0..100) and reasons, strongest first. Points: same credit code 100, same phone
// 60, same email 50, same name after normalization 60, similar name (bigram similarity
// >= 0.5) 40 x similarity; capped at 100. kDuplicateThreshold and above is a likely
// duplicate: any one exact match alone, a similar name only with something else.
constexpr int kDuplicateThreshold = 50;
struct DuplicateScore {
    int score = 0;
    std::vector<std::string> reasons;  // dup.reason.* keys
};
DuplicateScore score_pair(const DedupeKeys& a, const DedupeKeys& b);

struct DuplicateCandidate {
    std::string customer_id, number, name;
    int score = 0;
    std::vector<std::string> reasons;
};
// Live customers that look like the given (unsaved) record, best first, score >=
// kDuplicateThreshold. exclude_customer_id: the record itself when checking an edit.
Result<std::vector<DuplicateCandidate>> find_duplicates(
    Workspace& ws, const std::vector<FieldValue>& customer,
    const std::vector<std::vector<FieldValue>>& contacts, const std::string& exclude_customer_id = "");

// Other live customers that look like a stored one (what a merge starts from).
Result<std::vector<DuplicateCandidate>> duplicates_of(Workspace& ws, const std::string& customer_id);

// "same phone, similar name" in the translation's language.
std::string explain_reasons(const Translations& tr, const std::vector<std::string>& reasons);

// Rebuilds the customer's rows in customer_keys (none when `live` is null: deleted).
// Called by the write path for every customer an edit touched, inside its transaction.
Status store_dedupe_keys(store::Db& db, int64_t customer_rowid, const Customer* live,
                         const std::vector<Contact>& contacts);

}  // namespace crm
