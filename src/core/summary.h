// What a workspace holds, in a few numbers: shown before a backup replaces the workspace
// on this device, so the user sees what they are about to get.
#pragma once
#include <cstdint>
#include <string>

#include "core/error.h"
#include "store/db.h"

namespace crm {

struct WorkspaceSummary {
    int64_t customers = 0;     // live (not deleted)
    int64_t contacts = 0;
    int64_t interactions = 0;
    std::string last_change;   // the newest updated_at of a customer, '' when none
};

// Reads a database that has the CRM schema (opened from a backup, or the current one).
Result<WorkspaceSummary> summarize(store::Db& db);

}  // namespace crm
