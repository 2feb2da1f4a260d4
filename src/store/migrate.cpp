// Migration runner: one transaction per version, version bumped inside it.
#include "store/migrate.h"

#include <string>

namespace crm::store {

Result<int> user_version(Db& db) {
    auto v = db.query_int("PRAGMA user_version");
    if (!v) return v.error();
    return static_cast<int>(v->value_or(0));
}

Status migrate(Db& db, const std::vector<Migration>& migrations) {
    auto current = user_version(db);
    if (!current) return current.error();
    int latest = migrations.empty() ? 0 : migrations.back().version;
    if (*current > latest)
        return make_error("err.db.newer_schema", {},
                          "database at version " + std::to_string(*current) +
                              ", code knows " + std::to_string(latest));
    int prev = 0;
    for (const Migration& m : migrations) {
        if (m.version <= prev)
            return make_error("err.db", {}, "migrations out of order at " + std::to_string(m.version));
        prev = m.version;
        if (m.version <= *current) continue;
        Status s = db.transaction([&]() -> Status {
            if (auto r = m.apply(db); !r) return r;
            return db.exec("PRAGMA user_version = " + std::to_string(m.version));
        });
        if (!s) return s;
    }
    return {};
}

}  // namespace crm::store
