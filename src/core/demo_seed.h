// Loads a generated DemoSet (core/demo_data.h) into a workspace through the one write path:
// the same validation, history, change log and numbering as typed-in records.
// Never bypasses Workspace::apply; never generates data itself.
#pragma once
#include "core/demo_data.h"
#include "core/workspace.h"

namespace crm {

struct SeedCounts {
    size_t customers = 0, contacts = 0, interactions = 0, key_dates = 0, consents = 0;
};

// All or nothing, in one transaction, with origin "import". Contacts and interactions name
// their customer by "customer_ref" (index into set.customers). An interaction without
// created_at is taken as entered at its `at` time (not late). Fails with the first invalid
// record's error, detail prefixed by "<table>[<index>]".
Result<SeedCounts> seed_demo_counted(Workspace& ws, const DemoSet& set);
Status seed_demo(Workspace& ws, const DemoSet& set);

}  // namespace crm
