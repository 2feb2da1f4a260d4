#include "core/summary.h"

namespace crm {

Result<WorkspaceSummary> summarize(store::Db& db) {
    auto st = db.prepare(
        "SELECT (SELECT count(*) FROM customers WHERE deleted = 0),"
        "       (SELECT count(*) FROM contacts WHERE deleted = 0),"
        "       (SELECT count(*) FROM interactions WHERE deleted = 0),"
        "       (SELECT max(updated_at) FROM customers)");
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    WorkspaceSummary s;
    s.customers = st->int64(0);
    s.contacts = st->int64(1);
    s.interactions = st->int64(2);
    s.last_change = st->text(3);
    return s;
}

}  // namespace crm
