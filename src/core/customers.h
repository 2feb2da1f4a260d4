// Customer records and their contacts: create (assigning the CX number), update, status
// changes with a mandatory reason, and plain-struct reads including the history timeline.
// Every write goes through Workspace::apply*; nothing here writes SQL.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

struct Contact {
    std::string id, customer_id, name, title, mobile, landline, email, notes;
    bool is_key = false;
};

// All text fields as stored ("" = empty); see schema.cpp for kinds and picklists.
struct Customer {
    std::string id, number, kind, name, credit_code, industry, size_band, province, city,
        district, address, enterprise_type, occupation, age_band, source, first_contact_date,
        status, intent, expected_close_date, needs, budget, owner, notes, created_at,
        updated_at, created_by;
    bool deleted = false;
};

struct HistoryEntry {
    int64_t seq = 0;
    std::string at, actor, table, record_id, field, origin;
    std::optional<std::string> old_value, new_value;
};

struct StatusChange {
    std::string id, at, actor, from_status, to_status, reason;
};

// Creates a customer with its contacts in one transaction. Assigns the number
// CX+YYYYMM+device code+serial (month of created_at when given, else now), records the
// initial status in status_history. Required: name, kind, source, status, owner,
// industry for enterprises, and at least one contact with a mobile, landline or email.
// A contact without a name takes the customer's name (a person is their own contact).
Result<std::string> create_customer(Workspace& ws, const std::vector<FieldValue>& fields,
                                    const std::vector<std::vector<FieldValue>>& contacts,
                                    const std::string& origin = "local");
// Updates fields; the status field is refused here (err.status.use_change_status).
Status update_customer(Workspace& ws, const std::string& id, const std::vector<FieldValue>& fields);
// Moves to new_status. reason must be non-empty (err.status.reason_required); the same
// status is refused (err.status.unchanged). Writes status_history and history.
Status change_status(Workspace& ws, const std::string& id, const std::string& new_status,
                     const std::string& reason);
Status delete_customer(Workspace& ws, const std::string& id);

Result<std::string> add_contact(Workspace& ws, const std::string& customer_id,
                                const std::vector<FieldValue>& fields);
Status update_contact(Workspace& ws, const std::string& contact_id, const std::vector<FieldValue>& fields);
Status delete_contact(Workspace& ws, const std::string& contact_id);

Result<Customer> get_customer(Workspace& ws, const std::string& id);  // err.record.not_found
Result<std::optional<Customer>> find_customer_by_number(Workspace& ws, const std::string& number);
Result<std::vector<Contact>> list_contacts(Workspace& ws, const std::string& customer_id);  // key first
// Every field change of the customer and its child records, newest first.
Result<std::vector<HistoryEntry>> customer_history(Workspace& ws, const std::string& customer_id);
// Every history entry after `after_seq` with that origin ("sync": what other devices
// changed here), newest first; and the seq to pass as after_seq later.
Result<std::vector<HistoryEntry>> history_after(Workspace& ws, int64_t after_seq, const std::string& origin);
Result<int64_t> last_history_seq(Workspace& ws);
Result<std::vector<StatusChange>> status_history(Workspace& ws, const std::string& customer_id);  // newest first

Customer customer_from_row(const Row& row);
Contact contact_from_row(const Row& row);

}  // namespace crm
