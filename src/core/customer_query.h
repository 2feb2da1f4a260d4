// The customers list's query: a search text plus structured conditions combined freely
// (industry = C AND status = intent AND budget > 100000 ...), a sort, and named saved
// views. Answers with customer rowids in display order so a 100k-row list keeps only an
// index vector and reads the few rows on screen. Reads only; views are saved through the
// write path.
#pragma once
#include <cstdint>
#include <memory>
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

// The same query answered a slice at a time, so that a search over 100k customers never
// holds a frame for long: step(n) reads up to n more matches (a search streams them from
// the search index; SQLite would sort them all before giving the first), and once all are
// read puts them in the filter's order (the same order as SQL's ORDER BY key NULLS LAST,
// rowid). The statement stays open between steps: drop the run before its workspace.
class CustomerQueryRun {
public:
    // ordered = false: the matches in no particular order (the caller orders them, e.g. by
    // their place in the unfiltered list of the same sort), without sorting them here.
    static Result<CustomerQueryRun> start(Workspace& ws, const CustomerFilter& filter, bool ordered = true);
    Result<bool> step(size_t rows);  // true once finished: rowids() is the answer
    bool done() const { return done_; }
    size_t matched() const { return done_ ? rowids_.size() : matches_.size(); }
    std::vector<int64_t>& rowids() { return rowids_; }

private:
    // A sort key as SQLite compares it: numbers before text, NULL last either way.
    struct Match {
        int64_t rowid = 0;
        int kind = 0;  // 0 number, 1 text, 2 NULL
        double number = 0;
        std::string text;
    };
    void finish();
    std::unique_ptr<store::Stmt> stmt_;
    bool sorted_by_sql_ = false, ordered_ = true, descending_ = true, done_ = false;
    std::vector<Match> matches_;
    std::vector<int64_t> rowids_;
};

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
