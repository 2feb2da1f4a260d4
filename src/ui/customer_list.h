// The customers list's model: the ids of the matching customers in display order (an index
// vector rebuilt only when the search or sort changes) and a cache of the rows on screen,
// so a 100k-customer list scrolls by drawing only its visible rows (ImGuiListClipper).
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "core/customers.h"

namespace crm::ui {

class CustomerList {
public:
    void attach(Workspace* ws) { ws_ = ws; dirty_ = true; }
    void set_query(std::string query);
    const std::string& query() const { return query_; }
    void invalidate() { dirty_ = true; rows_.clear(); }   // after any write
    // Rebuilds the index vector if needed. Returns an error message key on failure.
    Status refresh();
    size_t size() const { return ids_.size(); }
    size_t total() const { return total_; }
    // The customer at a display position (read on first use, then cached).
    const Customer* at(size_t index);

private:
    Workspace* ws_ = nullptr;
    std::string query_;
    bool dirty_ = true;
    std::vector<std::string> ids_;
    size_t total_ = 0;
    std::unordered_map<std::string, Customer> rows_;
};

}  // namespace crm::ui
