// Follow-up records (interactions): logging with the HD number and the late flag,
// next actions and their completion, and the "due next actions" work list.
// Every write goes through Workspace::apply*; nothing here writes SQL.
#pragma once
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

struct Interaction {
    std::string id, number, customer_id, at, method, topic, summary, feedback, next_action,
        next_action_owner, next_action_due, followed_up_by, created_at;
    bool next_action_done = false;
    bool late = false;
};

// Logs a follow-up on a live customer. Assigns number HD+<customer digits>-<device code>
// <serial per customer per device>. Requires at (defaults to now), method and summary; a
// next action needs what + who + when together (err.interaction.next_action_incomplete).
// `at` more than 5 minutes in the future is refused (err.interaction.at_future); late is
// set when the record is created more than 24 h after `at`. followed_up_by defaults to
// the current user. Imports may pass created_at (origin "import").
Result<std::string> log_interaction(Workspace& ws, const std::string& customer_id,
                                    const std::vector<FieldValue>& fields,
                                    const std::string& origin = "local");
// Marks the next action done (err.interaction.no_next_action if there is none).
Status complete_next_action(Workspace& ws, const std::string& interaction_id);
Result<Interaction> get_interaction(Workspace& ws, const std::string& id);
Result<std::vector<Interaction>> list_interactions(Workspace& ws, const std::string& customer_id);  // newest first

struct DueAction {
    std::string interaction_id, customer_id, customer_number, customer_name;
    std::string next_action, owner, due;
    bool overdue = false;   // due before today
    bool mine = false;      // owner == the asked owner
};
// Open next actions due on or before today (overdue and due today): the given owner's
// first, then the team's; each group by due date, oldest first. At most `limit` are read
// (a big team can have thousands due; Today shows the first and the counts).
// The counts stop at kDueCounted ("1000+"): counting every one of tens of thousands joins
// each to its customer, and a number that large only says "too many" anyway.
inline constexpr size_t kDueCounted = 1000;
struct DueActions {
    std::vector<DueAction> first;   // up to limit
    size_t total = 0, overdue = 0;  // up to kDueCounted each
    bool more = false;              // more than kDueCounted are due
};
Result<DueActions> due_next_actions(Workspace& ws, const std::string& owner, const std::string& today,
                                    size_t limit);

// A customer still being won (potential or intent) whom nobody has contacted for a while.
struct StaleCustomer {
    std::string customer_id, customer_number, customer_name;
    std::string last_contact;  // the last interaction's time, or the customer's creation
};
// The owner's live potential and intent customers whose last interaction (or, with none,
// creation) is more than `days` days before today, the longest without contact first.
Result<std::vector<StaleCustomer>> stale_customers(Workspace& ws, const std::string& owner,
                                                   const std::string& today, int days, size_t limit);

Interaction interaction_from_row(const Row& row);

}  // namespace crm
