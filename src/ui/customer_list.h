// The customers list's model: the rowids of the matching customers in display order (an
// index vector rebuilt only when the search, filter or sort changes, by core's
// CustomerQueryRun) and a cache of the rows on screen, so a 100k-customer list scrolls by
// drawing only its visible rows (ImGuiListClipper). A new search runs a few milliseconds
// per frame (the list shows the previous answer meanwhile, and asks for frames until it is
// done): typing never holds a frame for the whole search.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/customer_query.h"

namespace crm::ui {

class CustomerList {
public:
    void attach(Workspace* ws) { ws_ = ws; dirty_ = true; }
    void set_query(std::string query);
    const std::string& query() const { return filter_.text; }
    void set_filter(CustomerFilter filter);
    const CustomerFilter& filter() const { return filter_; }
    void invalidate() { dirty_ = true; }   // after any write
    // Starts a new query if needed and runs it for at most `budget_ms` (a small list is
    // answered at once). The answer replaces the index vector when complete.
    Status refresh(double budget_ms = 4.0);
    bool searching() const { return run_.has_value(); }  // a query is still running
    size_t size() const { return rowids_.size(); }
    size_t total() const { return total_; }
    // The customer at a display position (read on first use, then cached).
    const Customer* at(size_t index);

private:
    Workspace* ws_ = nullptr;
    CustomerFilter filter_;
    bool dirty_ = true;
    bool filtered() const { return !filter_.text.empty() || !filter_.conditions.empty(); }
    Status step_order(double until);
    void compose();
    // A search or conditions: the matches come unordered (run_), and take their places in
    // the whole list of the same sort (order_, read a slice at a time too, kept until the
    // next write): no sort of 20k matches in one frame.
    std::optional<CustomerQueryRun> run_, order_run_;
    std::vector<int64_t> order_;       // every live customer, in the sort's order
    std::vector<uint32_t> rank_;       // rank_[rowid] = 1 + position in order_; 0 = not there
    std::unordered_map<int64_t, uint32_t> rank_map_;  // the same when rowids are sparse
    int64_t order_changes_ = -1;       // the change count order_ was read at
    std::string order_sort_;           // ... and its sort ("-" prefix: descending)
    int64_t run_changes_ = -1;    // the workspace's change count the running query started at
    int64_t total_changes_ = -1;  // ... and the one total_ was counted at
    std::vector<int64_t> rowids_;
    size_t total_ = 0;
    std::unordered_map<int64_t, Customer> rows_;
};

}  // namespace crm::ui
