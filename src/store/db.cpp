// SQLite wrapper: statements, the statement cache and (nested) transactions.
#include "store/db.h"

#include <sqlite3.h>

#include "store/fts_substring.h"

namespace crm::store {

namespace {
Error db_error(sqlite3* db, std::string_view what = {}) {
    std::string msg = db ? sqlite3_errmsg(db) : "no database";
    if (!what.empty()) msg = std::string(what) + ": " + msg;
    return make_error("err.db", {}, msg);
}
}  // namespace

// ---- Stmt --------------------------------------------------------------------------------

Stmt::Stmt(Stmt&& o) noexcept : stmt_(o.stmt_), db_(o.db_) { o.stmt_ = nullptr; }

Stmt& Stmt::operator=(Stmt&& o) noexcept {
    if (this != &o) {
        if (stmt_) sqlite3_finalize(stmt_);
        stmt_ = o.stmt_;
        db_ = o.db_;
        o.stmt_ = nullptr;
    }
    return *this;
}

Stmt::~Stmt() {
    if (stmt_) sqlite3_finalize(stmt_);
}

// Bind failures (bad index, out of memory) surface at step() through sqlite3_errmsg, so
// the binders stay chainable.
Stmt& Stmt::bind_text(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind_int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
Stmt& Stmt::bind_double(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}
Stmt& Stmt::bind_opt(int i, const std::optional<std::string>& v) {
    return v ? bind_text(i, *v) : bind_null(i);
}

Error Stmt::error_here() const {
    std::string msg = sqlite3_errmsg(db_);
    const char* sql = stmt_ ? sqlite3_sql(stmt_) : nullptr;
    if (sql) msg += " [" + std::string(sql) + "]";
    return make_error("err.db", {}, msg);
}

Result<bool> Stmt::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error e = error_here();
    sqlite3_reset(stmt_);  // leave the statement reusable
    return e;
}

// Resets when done, so a statement can be bound and run again in a loop (binding a
// stepped statement that was not reset fails silently, and the next step would replay
// the old values).
Status Stmt::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) {
            sqlite3_reset(stmt_);
            return {};
        }
    }
}

void Stmt::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Stmt::column_count() const { return sqlite3_column_count(stmt_); }
std::string Stmt::column_name(int c) const { return sqlite3_column_name(stmt_, c); }
bool Stmt::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

std::string Stmt::text(int c) const {
    const unsigned char* p = sqlite3_column_text(stmt_, c);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c));
}

std::optional<std::string> Stmt::opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
}

int64_t Stmt::int64(int c) const { return sqlite3_column_int64(stmt_, c); }
double Stmt::real(int c) const { return sqlite3_column_double(stmt_, c); }

// ---- Db ----------------------------------------------------------------------------------

Db::Db(Db&& o) noexcept : db_(o.db_), depth_(o.depth_), open_(o.open_), cache_(std::move(o.cache_)) {
    o.db_ = nullptr;
    o.depth_ = 0;
    o.open_ = false;
}

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        close();
        db_ = o.db_;
        depth_ = o.depth_;
        open_ = o.open_;
        cache_ = std::move(o.cache_);
        o.db_ = nullptr;
        o.depth_ = 0;
        o.open_ = false;
    }
    return *this;
}

Db::~Db() { close(); }

void Db::close() {
    cache_.clear();  // finalize cached statements before the connection goes
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
}

Result<Db> Db::open(const std::string& path, const char* vfs) {
    register_substring_tokenizer();  // before the open: it applies to new connections
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, vfs);
    if (rc != SQLITE_OK) {
        Error e = db_error(raw, "open " + path);
        sqlite3_close_v2(raw);
        return e;
    }
    Db db(raw);
    if (auto s = db.exec("PRAGMA foreign_keys=ON"); !s) return s.error();
    return db;
}

Result<Db> Db::open_memory() { return open(":memory:"); }

Status Db::exec(std::string_view sql) {
    std::string s(sql);
    char* msg = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
        std::string detail = msg ? msg : sqlite3_errmsg(db_);
        sqlite3_free(msg);
        return make_error("err.db", {}, detail + " [" + s.substr(0, 200) + "]");
    }
    return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr);
    if (rc != SQLITE_OK) return db_error(db_, "prepare [" + std::string(sql.substr(0, 200)) + "]");
    return Stmt(st, db_);
}

Result<Stmt*> Db::cached(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
        it->second->reset();
        return it->second.get();
    }
    auto st = prepare(sql);
    if (!st) return st.error();
    auto owned = std::make_unique<Stmt>(std::move(*st));
    Stmt* p = owned.get();
    cache_.emplace(std::string(sql), std::move(owned));
    return p;
}

Status Db::transaction(const std::function<Status()>& fn) {
    if (flat_) {  // no savepoint: a failure fails the enclosing flat transaction
        ++depth_;
        Status r = fn();
        --depth_;
        if (!r && !flat_error_) flat_error_ = r.error();
        return r;
    }
    // SAVEPOINT and RELEASE as cached statements: every write opens a few nested
    // transactions, and parsing the two statements each time was a tenth of a bulk import.
    std::string name = "sp" + std::to_string(depth_);
    auto begin = cached("SAVEPOINT " + name);
    if (!begin) return begin.error();
    if (auto s = (*begin)->run(); !s) return s;
    ++depth_;
    // If fn throws, still undo its writes before the exception travels on.
    struct Guard {
        Db* db;
        std::string name;
        bool done = false;
        ~Guard() {
            if (!done) {
                --db->depth_;
                (void)db->exec("ROLLBACK TO " + name + "; RELEASE " + name);
            }
        }
    } guard{this, name};

    Status result = fn();
    guard.done = true;
    --depth_;
    if (result) {
        auto release = cached("RELEASE " + name);
        if (!release) {
            (void)exec("ROLLBACK TO " + name + "; RELEASE " + name);
            return release.error();
        }
        if (auto s = (*release)->run(); !s) {
            (void)exec("ROLLBACK TO " + name + "; RELEASE " + name);
            return s;
        }
        return {};
    }
    (void)exec("ROLLBACK TO " + name + "; RELEASE " + name);
    return result;
}

Status Db::flat_transaction(const std::function<Status()>& fn) {
    if (flat_) return transaction(fn);
    return transaction([&]() -> Status {
        struct Reset {
            Db* db;
            ~Reset() { db->flat_ = false, db->flat_error_.reset(); }
        } reset{this};
        flat_ = true;
        flat_error_.reset();
        Status r = fn();
        if (r && flat_error_) return *flat_error_;
        return r;
    });
}

Status Db::begin_open() {
    if (open_ || depth_ > 0) return make_error("err.db", {}, "begin_open inside a transaction");
    if (auto s = exec("SAVEPOINT open_batch"); !s) return s;
    open_ = true;
    ++depth_;
    return {};
}

Status Db::end_open(bool commit) {
    if (!open_ || depth_ != 1) return make_error("err.db", {}, "end_open without an open transaction");
    open_ = false;
    --depth_;
    if (commit) {
        if (auto s = exec("RELEASE open_batch"); !s) {
            (void)exec("ROLLBACK TO open_batch; RELEASE open_batch");
            return s;
        }
        return {};
    }
    return exec("ROLLBACK TO open_batch; RELEASE open_batch");
}

int64_t Db::changes() const { return sqlite3_changes64(db_); }
int64_t Db::total_changes() const { return sqlite3_total_changes64(db_); }
int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
Error Db::last_error() const { return db_error(db_); }

Result<std::optional<int64_t>> Db::query_int(std::string_view sql) {
    auto st = prepare(sql);
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    if (!*row || st->is_null(0)) return std::optional<int64_t>{};
    return std::optional<int64_t>{st->int64(0)};
}

Result<std::vector<uint8_t>> Db::serialize() {
    sqlite3_int64 size = 0;
    unsigned char* image = sqlite3_serialize(db_, "main", &size, 0);
    if (!image) return last_error();
    std::vector<uint8_t> out(image, image + size);
    sqlite3_free(image);
    return out;
}

Result<std::string> Db::integrity_check() {
    auto st = prepare("PRAGMA integrity_check");
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    return st->text(0);
}

}  // namespace crm::store
