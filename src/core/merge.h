// Merging two customer records that turned out to be the same customer: a preview of
// every differing field (so no value is lost unseen), per-field choices, and one
// transaction that moves everything to the survivor and tombstones the absorbed record.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/workspace.h"

namespace crm {

enum class MergeSide { Survivor, Absorbed };

struct MergeDiff {
    std::string field;           // customers column
    std::string label_key;       // field.customers.<field>
    std::string survivor_value, absorbed_value;
};

struct MergePlan {
    std::string survivor_id, absorbed_id;
    // Which record's value wins, per differing field. A field not listed keeps the
    // survivor's value, or takes the absorbed one when the survivor's is empty.
    std::map<std::string, MergeSide> choices;
};

// Every user-editable customers field where the two records differ (status included).
Result<std::vector<MergeDiff>> merge_preview(Workspace& ws, const std::string& survivor_id,
                                             const std::string& absorbed_id);

// In one transaction (origin "merge"): applies the chosen values to the survivor (a status
// change goes to status_history with reason "merge"), moves contacts, interactions, tags
// (a tag the survivor already has, or one conflicting with a survivor tag of the same
// conflict group, is tombstoned instead), key dates, consents, status history and history
// to the survivor, tombstones the absorbed record and writes a history entry
// "merged <absorbed number> into <survivor number>".
Status merge_customers(Workspace& ws, const MergePlan& plan);

}  // namespace crm
