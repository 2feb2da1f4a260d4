// The customers list's query: a search text plus structured conditions combined freely
// (industry = C AND status = intent AND budget > 100000 ...), a sort, and named saved
// views. Answers with customer rowids in display order so a 100k-row list keeps only an
// index vector and reads the few rows on screen. Reads only; views are saved through the
// write path.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/customers.h"

namespace crm {

enum class FilterOp { Eq, Ne, In, Gt, Ge, Lt, Le, Contains, Empty, NotEmpty };

// field: a customers field (schema.cpp), or one of the derived fields
//   "tag"          In: has any of the tag ids in values
//   "completeness" the 0..100 score (numeric ops)
//   "completeness_state"  Eq/In: complete | to_be_completed | pending
// Money and Integer fields compare as numbers, everything else as text (dates are ISO,
// so text order is date order).
struct FilterCondition {
    std::string field;
    FilterOp op = FilterOp::Eq;
    std::vector<std::string> values;
};

struct CustomerFilter {
    std::string text;                        // what was typed in the search box
    std::vector<FilterCondition> conditions; // all must hold
    std::string sort = "updated_at";         // a customers field or "completeness"
    bool descending = true;
};

// Live customers matching the filter, in its order (ties by rowid). An unknown field,
// an operator that does not fit it or a bad number is err.filter.* naming the field.
Result<std::vector<int64_t>> query_customers(Workspace& ws, const CustomerFilter& filter);

// One customer by a rowid from query_customers (err.record.not_found when gone).
Result<Customer> customer_by_rowid(Workspace& ws, int64_t rowid);
// Number of live customers (the list's "N of M").
Result<int64_t> count_customers(Workspace& ws);
// The distinct non-empty values of a customers field among live customers, sorted: the
// choices a filter offers (industries, provinces, owners actually in use).
Result<std::vector<std::string>> customer_field_values(Workspace& ws, const std::string& field);

// Saved views: the filter as JSON (stable, documented in docs/ARCHITECTURE.md).
std::string filter_to_json(const CustomerFilter& filter);
Result<CustomerFilter> filter_from_json(std::string_view json);  // err.filter.bad_view

struct SavedView {
    std::string id, name;
    CustomerFilter filter;
};
// Creates a view (empty id) or replaces an existing one's name and filter.
Result<std::string> save_view(Workspace& ws, const std::string& id, const std::string& name,
                              const CustomerFilter& filter);
Status delete_view(Workspace& ws, const std::string& id);
Result<std::vector<SavedView>> list_views(Workspace& ws);  // by name

}  // namespace crm
