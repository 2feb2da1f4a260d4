// Versioned schema migrations keyed on PRAGMA user_version.
// Each migration runs in its own transaction together with the version bump, so a
// database is always at exactly one version. Migrations never touch domain rules.
#pragma once
#include <functional>
#include <vector>

#include "store/db.h"

namespace crm::store {

struct Migration {
    int version;                          // strictly increasing, starting at 1
    std::function<Status(Db&)> apply;     // brings the schema from version-1 to version
};

Result<int> user_version(Db& db);

// Applies, in order, every migration whose version is above the database's user_version.
// Idempotent: running it again on an up-to-date database does nothing. A failing
// migration is rolled back and its error returned; earlier ones stay applied.
// Returns err.db.newer_schema when the database is newer than the code knows.
Status migrate(Db& db, const std::vector<Migration>& migrations);

}  // namespace crm::store
