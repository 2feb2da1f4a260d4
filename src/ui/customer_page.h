// What the customer page shows, read once per customer and kept until the workspace
// changes (Workspace::change_count), not on every frame: the record, likely duplicates,
// tags, contacts, interactions, key dates, consents and the history of changes.
// Reads through core only; never writes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/consent.h"
#include "core/customers.h"
#include "core/duplicates.h"
#include "core/interactions.h"
#include "core/key_dates.h"
#include "core/tags.h"

namespace crm::ui {

struct CustomerPage {
    std::string id;
    std::optional<Error> error;  // the customer could not be read (or is gone)
    Customer customer;
    std::vector<DuplicateCandidate> duplicates;
    std::vector<CustomerTag> tags;
    std::vector<Contact> contacts;
    std::vector<Interaction> interactions;
    std::vector<KeyDate> key_dates;
    std::vector<Consent> consents;
    std::vector<HistoryEntry> history;  // newest first
    // The interactions' and history's times as the user reads them (local time), formatted
    // with the read rather than on every frame.
    std::vector<std::string> interaction_times, history_times;
    size_t reads = 0;                   // how often it was (re)read, for tests

    // Re-reads everything when `customer_id` is another customer or the workspace has
    // changed since the last read; otherwise does nothing.
    void load(Workspace& ws, const std::string& customer_id);
    void forget() { *this = CustomerPage{}; }

private:
    int64_t seen_changes_ = -1;
};

}  // namespace crm::ui
