#include "ui/customer_list.h"

namespace crm::ui {

void CustomerList::set_query(std::string query) {
    if (query == filter_.text) return;
    filter_.text = std::move(query);
    dirty_ = true;
}

void CustomerList::set_filter(CustomerFilter filter) {
    filter_ = std::move(filter);
    dirty_ = true;
}

Status CustomerList::refresh() {
    if (!dirty_ || !ws_) return {};
    dirty_ = false;
    rows_.clear();
    auto ids = query_customers(*ws_, filter_);
    if (!ids) return ids.error();
    rowids_ = std::move(*ids);
    auto total = count_customers(*ws_);
    if (!total) return total.error();
    total_ = static_cast<size_t>(*total);
    return {};
}

const Customer* CustomerList::at(size_t index) {
    if (index >= rowids_.size() || !ws_) return nullptr;
    auto it = rows_.find(rowids_[index]);
    if (it != rows_.end()) return &it->second;
    if (rows_.size() > 2000) rows_.clear();  // only the rows near the screen are needed
    auto c = customer_by_rowid(*ws_, rowids_[index]);
    if (!c) return nullptr;
    return &rows_.emplace(rowids_[index], std::move(*c)).first->second;
}

}  // namespace crm::ui
