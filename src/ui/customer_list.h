// The customers list's model: the rowids of the matching customers in display order (an
// index vector rebuilt only when the search, filter or sort changes, by core's
// query_customers) and a cache of the rows on screen, so a 100k-customer list scrolls by
// drawing only its visible rows (ImGuiListClipper).
#pragma once
#include <cstdint>
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
    // Rebuilds the index vector if needed.
    Status refresh();
    size_t size() const { return rowids_.size(); }
    size_t total() const { return total_; }
    // The customer at a display position (read on first use, then cached).
    const Customer* at(size_t index);

private:
    Workspace* ws_ = nullptr;
    CustomerFilter filter_;
    bool dirty_ = true;
    std::vector<int64_t> rowids_;
    size_t total_ = 0;
    std::unordered_map<int64_t, Customer> rows_;
};

}  // namespace crm::ui
