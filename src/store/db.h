// The one SQL access layer: a small RAII wrapper over the SQLite C API.
// Nothing outside src/store calls sqlite3_* directly; every SQLite failure becomes
// crm::Error{"err.db", detail = SQLite's message}. It knows nothing about the domain.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace crm::store {

// A prepared statement. Move-only; finalized on destruction unless it is owned by the
// Db's statement cache (then the cache finalizes it). Bind indexes start at 1, column
// indexes at 0 (SQLite's conventions).
class Stmt {
public:
    Stmt() = default;
    Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    Stmt(Stmt&& other) noexcept;
    Stmt& operator=(Stmt&& other) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt();

    Stmt& bind_text(int index, std::string_view value);
    Stmt& bind_int(int index, int64_t value);
    Stmt& bind_double(int index, double value);
    Stmt& bind_null(int index);
    Stmt& bind_opt(int index, const std::optional<std::string>& value);  // nullopt -> NULL

    // Advances one row: true when a row is available, false when done.
    Result<bool> step();
    // Runs to completion, ignoring rows (for INSERT/UPDATE/DELETE/DDL), then resets the
    // cursor (bindings stay) so the statement can be bound and run again.
    Status run();
    // Clears the row cursor and all bindings, ready to be bound again.
    void reset();

    int column_count() const;
    std::string column_name(int col) const;
    bool is_null(int col) const;
    std::string text(int col) const;                 // NULL -> ""
    std::optional<std::string> opt_text(int col) const;  // NULL -> nullopt
    int64_t int64(int col) const;
    double real(int col) const;

    bool valid() const { return stmt_ != nullptr; }

private:
    Error error_here() const;
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
};

class Db {
public:
    Db() = default;
    Db(Db&&) noexcept;
    Db& operator=(Db&&) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db();

    // vfs: a registered SQLite VFS name (store/mem_vfs), nullptr for the platform's own.
    static Result<Db> open(const std::string& path, const char* vfs = nullptr);
    static Result<Db> open_memory();

    // Runs one or more ';'-separated statements that return no rows of interest.
    Status exec(std::string_view sql);
    // A fresh statement owned by the caller.
    Result<Stmt> prepare(std::string_view sql);
    // A statement from the cache keyed by the exact SQL text, reset and unbound, owned by
    // the Db: valid until the Db closes. Do not hold it across a call that may reuse the
    // same SQL text (a nested user would reset it under you).
    Result<Stmt*> cached(std::string_view sql);

    // Runs fn inside a transaction: commits when fn returns ok, rolls back (and returns
    // fn's error) otherwise. Nests through SAVEPOINTs: an inner failure rolls back only the
    // inner part, and the outer fn decides what to do with the error.
    Status transaction(const std::function<Status()>& fn);
    bool in_transaction() const { return depth_ > 0; }

    // A transaction whose nested transaction() calls open no savepoints of their own, for
    // bulk writes that were validated beforehand (an import's step): a savepoint per record
    // copies every page the record touches into the statement journal. Any nested failure,
    // even one its caller ignores, fails the whole flat transaction with the first error
    // and rolls all of it back; the caller redoes the work with savepoints to find the
    // record at fault. Inside another flat transaction it is a plain nested one.
    Status flat_transaction(const std::function<Status()>& fn);

    // A transaction held open across calls, for long writes the UI drives step by step (an
    // import shows progress between frames). transaction() calls made meanwhile nest inside
    // it as savepoints. end_open(true) commits everything, end_open(false) rolls it back.
    // err.db when one is already open (begin) or none is (end).
    Status begin_open();
    Status end_open(bool commit);
    bool has_open() const { return open_; }

    int64_t changes() const;          // rows changed by the last statement
    int64_t total_changes() const;    // rows changed on this connection so far
    int64_t last_insert_rowid() const;
    Error last_error() const;         // err.db with SQLite's current message

    // Convenience: the first column of the first row as an integer (nullopt if no row).
    Result<std::optional<int64_t>> query_int(std::string_view sql);
    // PRAGMA integrity_check's first line: "ok" when the database is sound.
    Result<std::string> integrity_check();
    // The whole database as one image (sqlite3_serialize): what whole-file approaches save.
    Result<std::vector<uint8_t>> serialize();

private:
    explicit Db(sqlite3* db) : db_(db) {}
    void close();
    sqlite3* db_ = nullptr;
    int depth_ = 0;
    bool open_ = false;
    bool flat_ = false;                // inside flat_transaction: nested ones are plain calls
    std::optional<Error> flat_error_;  // the first nested failure inside it
    // Transparent hashing: looking up a cached statement allocates nothing.
    struct SqlHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::unique_ptr<Stmt>, SqlHash, std::equal_to<>> cache_;
};

}  // namespace crm::store
