// Shared by the store tests: open a vault's database and a workspace on it, failing the
// test with the error's code when something does not open.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/customers.h"
#include "core/workspace.h"
#include "store/vault.h"

namespace crm::store::testing {

inline std::string msg(const Error& e) { return e.code + " " + e.detail; }

inline int64_t count(Db& db, const std::string& sql) {
    auto n = db.query_int(sql);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : msg(n.error())));
    return n->value_or(-1);
}

inline std::string integrity(Db& db) {
    auto r = db.integrity_check();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
    return *r;
}

inline Db open_vault_db(Vault& v) {
    auto db = v.open_db();
    REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : msg(db.error())));
    return std::move(*db);
}

inline std::unique_ptr<Vault> unlock(PageStore& store, std::string_view secret) {
    auto v = Vault::unlock(store, secret);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : msg(v.error())));
    return std::move(*v);
}

inline Workspace open_workspace(Db db) {
    auto ws = Workspace::open(std::move(db), {"00000000000000c1", "01", "张伟"},
                              std::make_shared<FixedClock>("2024-03-01T02:00:00Z"));
    REQUIRE_MESSAGE(ws.ok(), (ws.ok() ? "" : msg(ws.error())));
    return std::move(*ws);
}

inline std::string add_customer(Workspace& ws, const std::string& name, const std::string& mobile) {
    auto id = create_customer(ws, {{"kind", "enterprise"}, {"name", name}, {"industry", "C"},
                                   {"source", "website"}, {"status", "potential"}, {"owner", "张伟"}},
                              {{{"name", "李娜"}, {"mobile", mobile}}});
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : msg(id.error())));
    return *id;
}


}  // namespace crm::store::testing
