// store/db and store/migrate: statements, the statement cache, nested transactions,
// error mapping, and versioned migrations.
#include <doctest/doctest.h>

#include <string>

#include "store/db.h"
#include "store/migrate.h"

using crm::store::Db;
using crm::store::Migration;

namespace {
Db memory_db() {
    auto db = Db::open_memory();
    REQUIRE(db.ok());
    return std::move(*db);
}
int64_t count(Db& db, const char* sql) {
    auto v = db.query_int(sql);
    REQUIRE(v.ok());
    return v->value_or(-1);
}
}  // namespace

TEST_CASE("db: bind, step and read every column type") {
    Db db = memory_db();
    REQUIRE(db.exec("CREATE TABLE t(a TEXT, b INTEGER, c REAL, d TEXT)").ok());
    auto ins = db.prepare("INSERT INTO t VALUES(?, ?, ?, ?)");
    REQUIRE(ins.ok());
    ins->bind_text(1, "客户 one").bind_int(2, 1234567890123).bind_double(3, 2.5).bind_opt(4, std::nullopt);
    REQUIRE(ins->run().ok());
    auto sel = db.prepare("SELECT a, b, c, d FROM t");
    REQUIRE(sel.ok());
    auto row = sel->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    CHECK(sel->text(0) == "客户 one");
    CHECK(sel->int64(1) == 1234567890123);
    CHECK(sel->real(2) == doctest::Approx(2.5));
    CHECK(sel->is_null(3));
    CHECK_FALSE(sel->opt_text(3).has_value());
    CHECK(sel->column_name(1) == "b");
    auto done = sel->step();
    REQUIRE(done.ok());
    CHECK_FALSE(*done);
}

TEST_CASE("db: SQL errors become err.db with SQLite's message") {
    Db db = memory_db();
    auto bad = db.prepare("SELEC nonsense");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "err.db");
    CHECK(bad.error().detail.find("syntax error") != std::string::npos);
    auto s = db.exec("INSERT INTO missing VALUES(1)");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().detail.find("no such table") != std::string::npos);

    REQUIRE(db.exec("CREATE TABLE u(k TEXT PRIMARY KEY)").ok());
    auto ins = db.prepare("INSERT INTO u VALUES(?)");
    REQUIRE(ins.ok());
    REQUIRE(ins->bind_text(1, "x").run().ok());
    ins->reset();
    auto dup = ins->bind_text(1, "x").run();
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().detail.find("UNIQUE") != std::string::npos);
}

TEST_CASE("db: statement cache returns the same prepared statement, reset") {
    Db db = memory_db();
    REQUIRE(db.exec("CREATE TABLE t(a INTEGER)").ok());
    auto a = db.cached("INSERT INTO t VALUES(?)");
    REQUIRE(a.ok());
    REQUIRE((*a)->bind_int(1, 1).run().ok());
    auto b = db.cached("INSERT INTO t VALUES(?)");
    REQUIRE(b.ok());
    CHECK(*a == *b);  // not prepared again
    REQUIRE((*b)->bind_int(1, 2).run().ok());
    auto other = db.cached("SELECT count(*) FROM t");
    REQUIRE(other.ok());
    CHECK(*other != *a);
    CHECK(count(db, "SELECT sum(a) FROM t") == 3);
}

TEST_CASE("db: transaction commits on ok and rolls back on error") {
    Db db = memory_db();
    REQUIRE(db.exec("CREATE TABLE t(a INTEGER)").ok());
    REQUIRE(db.transaction([&]() { return db.exec("INSERT INTO t VALUES(1)"); }).ok());
    CHECK(count(db, "SELECT count(*) FROM t") == 1);

    auto s = db.transaction([&]() -> crm::Status {
        if (auto r = db.exec("INSERT INTO t VALUES(2)"); !r) return r;
        return crm::make_error("err.test");
    });
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "err.test");
    CHECK(count(db, "SELECT count(*) FROM t") == 1);
    CHECK_FALSE(db.in_transaction());
}

TEST_CASE("db: nested transactions roll back only the failing inner part") {
    Db db = memory_db();
    REQUIRE(db.exec("CREATE TABLE t(a INTEGER)").ok());
    auto outer = db.transaction([&]() -> crm::Status {
        if (auto r = db.exec("INSERT INTO t VALUES(1)"); !r) return r;
        auto inner = db.transaction([&]() -> crm::Status {
            if (auto r = db.exec("INSERT INTO t VALUES(2)"); !r) return r;
            return crm::make_error("err.inner");
        });
        CHECK_FALSE(inner.ok());
        CHECK(db.in_transaction());
        return db.exec("INSERT INTO t VALUES(3)");
    });
    REQUIRE(outer.ok());
    CHECK(count(db, "SELECT count(*) FROM t") == 2);
    CHECK(count(db, "SELECT sum(a) FROM t") == 4);

    // An outer failure undoes a committed inner part too.
    auto failed = db.transaction([&]() -> crm::Status {
        auto inner = db.transaction([&]() { return db.exec("INSERT INTO t VALUES(10)"); });
        REQUIRE(inner.ok());
        return crm::make_error("err.outer");
    });
    CHECK_FALSE(failed.ok());
    CHECK(count(db, "SELECT sum(a) FROM t") == 4);
}

TEST_CASE("db: a flat transaction opens no savepoints, and any inner failure fails all of it") {
    Db db = memory_db();
    REQUIRE(db.exec("CREATE TABLE t(a INTEGER)").ok());
    // All ok: everything is written, nested transactions included.
    auto ok = db.flat_transaction([&]() -> crm::Status {
        for (int i = 1; i <= 3; ++i)
            if (auto r = db.transaction([&]() { return db.exec("INSERT INTO t VALUES(" + std::to_string(i) + ")"); }); !r)
                return r;
        return {};
    });
    REQUIRE(ok.ok());
    CHECK(count(db, "SELECT sum(a) FROM t") == 6);

    // An inner failure its caller ignores: without a savepoint its write cannot be undone
    // alone, so the whole flat transaction fails with that error and nothing stays.
    auto failed = db.flat_transaction([&]() -> crm::Status {
        if (auto r = db.exec("INSERT INTO t VALUES(100)"); !r) return r;
        auto inner = db.transaction([&]() -> crm::Status {
            if (auto r = db.exec("INSERT INTO t VALUES(1000)"); !r) return r;
            return crm::make_error("err.inner");
        });
        CHECK_FALSE(inner.ok());
        return db.exec("INSERT INTO t VALUES(10000)");
    });
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == "err.inner");
    CHECK(count(db, "SELECT sum(a) FROM t") == 6);
    CHECK_FALSE(db.in_transaction());

    // Afterwards nested transactions are savepoints again.
    auto outer = db.transaction([&]() -> crm::Status {
        if (auto r = db.exec("INSERT INTO t VALUES(1)"); !r) return r;
        auto inner = db.transaction([&]() -> crm::Status {
            if (auto r = db.exec("INSERT INTO t VALUES(2)"); !r) return r;
            return crm::make_error("err.inner");
        });
        CHECK_FALSE(inner.ok());
        return {};
    });
    REQUIRE(outer.ok());
    CHECK(count(db, "SELECT sum(a) FROM t") == 7);
}

TEST_CASE("migrate: applies in order, is idempotent, upgrades v1 to v2") {
    Db db = memory_db();
    int runs_v1 = 0;
    std::vector<Migration> v1 = {
        {1, [&](Db& d) { ++runs_v1; return d.exec("CREATE TABLE a(x INTEGER)"); }},
    };
    REQUIRE(crm::store::migrate(db, v1).ok());
    REQUIRE(crm::store::migrate(db, v1).ok());  // second open: nothing to do
    CHECK(runs_v1 == 1);
    CHECK(*crm::store::user_version(db) == 1);

    std::vector<Migration> v2 = v1;
    v2.push_back({2, [](Db& d) { return d.exec("ALTER TABLE a ADD COLUMN y TEXT"); }});
    REQUIRE(crm::store::migrate(db, v2).ok());
    CHECK(runs_v1 == 1);
    CHECK(*crm::store::user_version(db) == 2);
    CHECK(db.exec("INSERT INTO a(x, y) VALUES(1, 'ok')").ok());

    // Code older than the database refuses to touch it.
    auto old = crm::store::migrate(db, v1);
    REQUIRE_FALSE(old.ok());
    CHECK(old.error().code == "err.db.newer_schema");
}

TEST_CASE("migrate: a failing migration leaves the previous version intact") {
    Db db = memory_db();
    std::vector<Migration> ms = {
        {1, [](Db& d) { return d.exec("CREATE TABLE a(x INTEGER)"); }},
        {2, [](Db& d) -> crm::Status {
             if (auto s = d.exec("CREATE TABLE b(y INTEGER)"); !s) return s;
             return d.exec("THIS IS NOT SQL");
         }},
    };
    auto s = crm::store::migrate(db, ms);
    REQUIRE_FALSE(s.ok());
    CHECK(*crm::store::user_version(db) == 1);
    CHECK(count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'b'") == 0);
}

TEST_CASE("migrate: a database opened twice keeps its version and data") {
    // memdb VFS: a named in-memory database shared by connections of this process, so
    // the test needs no file system (it also runs as wasm under node).
    const std::string uri = "file:/db_test_twice?vfs=memdb";
    std::vector<Migration> ms = {{1, [](Db& d) { return d.exec("CREATE TABLE a(x INTEGER)"); }}};
    auto first = Db::open(uri);
    REQUIRE(first.ok());
    REQUIRE(crm::store::migrate(*first, ms).ok());
    REQUIRE(first->exec("INSERT INTO a VALUES(7)").ok());
    auto second = Db::open(uri);
    REQUIRE(second.ok());
    REQUIRE(crm::store::migrate(*second, ms).ok());
    CHECK(*crm::store::user_version(*second) == 1);
    CHECK(count(*second, "SELECT count(*) FROM a") == 1);
    CHECK(count(*second, "SELECT x FROM a") == 7);
}

TEST_CASE("db: a cached statement can be bound and run again in a loop") {
    auto db = Db::open_memory();
    REQUIRE(db.ok());
    REQUIRE(db->exec("CREATE TABLE t(v TEXT)").ok());
    for (const char* v : {"a", "b", "c"}) {
        auto st = db->cached("INSERT INTO t(v) VALUES (?)");
        REQUIRE(st.ok());
        REQUIRE((*st)->bind_text(1, v).run().ok());
    }
    auto st = db->cached("INSERT INTO t(v) VALUES (?)");
    REQUIRE(st.ok());
    REQUIRE((*st)->bind_text(1, "d").run().ok());
    REQUIRE((*st)->bind_text(1, "e").run().ok());  // the same statement, no reset in between
    auto n = db->query_int("SELECT count(DISTINCT v) FROM t");
    REQUIRE(n.ok());
    CHECK(n->value_or(0) == 5);
}
