#include "ui/customer_page.h"

namespace crm::ui {
namespace {

// A list that failed to read shows empty; the customer's own read error is what the page says.
template <class T>
std::vector<T> or_empty(Result<std::vector<T>> r) {
    return r ? std::move(*r) : std::vector<T>{};
}

}  // namespace

void CustomerPage::load(Workspace& ws, const std::string& customer_id) {
    if (customer_id == id && ws.change_count() == seen_changes_) return;
    const size_t n = reads;
    forget();
    reads = n + 1;
    id = customer_id;
    seen_changes_ = ws.change_count();
    auto cu = get_customer(ws, customer_id);
    if (!cu) {
        error = cu.error();
        return;
    }
    customer = std::move(*cu);
    duplicates = or_empty(duplicates_of(ws, customer_id));
    tags = or_empty(customer_tags(ws, customer_id));
    contacts = or_empty(list_contacts(ws, customer_id));
    interactions = or_empty(list_interactions(ws, customer_id));
    key_dates = or_empty(list_key_dates(ws, customer_id));
    consents = or_empty(list_consents(ws, customer_id));
    history = or_empty(customer_history(ws, customer_id));
    for (const Interaction& in : interactions) interaction_times.push_back(ws.clock().local_minute(in.at));
    for (const HistoryEntry& h : history) history_times.push_back(ws.clock().local_minute(h.at));
}

}  // namespace crm::ui
