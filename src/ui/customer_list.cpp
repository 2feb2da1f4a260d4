#include "ui/customer_list.h"

namespace crm::ui {

void CustomerList::set_query(std::string query) {
    if (query == query_) return;
    query_ = std::move(query);
    dirty_ = true;
}

Status CustomerList::refresh() {
    if (!dirty_ || !ws_) return {};
    dirty_ = false;
    ids_.clear();
    CustomerQuery q;
    q.limit = 1000000;
    auto all = list_customers(*ws_, q);
    if (!all) return all.error();
    total_ = all->size();
    for (Customer& c : *all) {
        if (!query_.empty() && c.name.find(query_) == std::string::npos && c.number.find(query_) == std::string::npos)
            continue;
        ids_.push_back(c.id);
        rows_[c.id] = std::move(c);
    }
    return {};
}

const Customer* CustomerList::at(size_t index) {
    if (index >= ids_.size() || !ws_) return nullptr;
    auto it = rows_.find(ids_[index]);
    if (it != rows_.end()) return &it->second;
    auto c = get_customer(*ws_, ids_[index]);
    if (!c) return nullptr;
    return &rows_.emplace(ids_[index], std::move(*c)).first->second;
}

}  // namespace crm::ui
