// The crm-mem VFS (see mem_vfs.h). Three kinds of file: the attached main database (pages
// in a PageImage, commits batched to the sink), anonymous temp files (a byte vector), and
// journals (refused).
#include "store/mem_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <map>
#include <memory>

namespace crm::store {

namespace {

constexpr const char* kVfsName = "crm-mem";

struct Attached {
    PageImage* image = nullptr;
    CommitSink sink;
};
std::map<std::string, Attached>& attached() {
    static std::map<std::string, Attached> m;
    return m;
}
int64_t g_journal_opens = 0;

// Every file starts with sqlite3_file, as SQLite requires; the rest is ours.
struct File {
    sqlite3_file base;
    bool main = false;
    Attached* db = nullptr;                    // main database
    std::vector<uint8_t>* temp = nullptr;      // temp file bytes (owned)
    // Main database: pages written since the last commit. In a batch they are staged here
    // and reach the image only when the sink accepted them.
    bool in_batch = false;
    std::map<uint32_t, std::vector<uint8_t>> staged;
    uint32_t staged_count = 0;                 // file length in pages after the staged writes
    bool dirty = false;                        // staged holds something not yet committed
};

File* file_of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

uint32_t image_pages(const File& f) { return static_cast<uint32_t>(f.db->image->pages.size()); }

// The current bytes of page n (1-based): staged first, then the image; nullptr past the end.
const std::vector<uint8_t>* page_at(const File& f, uint32_t n) {
    if (auto it = f.staged.find(n); it != f.staged.end()) return &it->second;
    if (n > f.staged_count) return nullptr;
    if (n <= image_pages(f)) return &f.db->image->pages[n - 1];
    return nullptr;
}

// ---- main database file --------------------------------------------------------------------

// Calls fn(page number, offset in the page, offset in the buffer, length) for each page a
// byte range touches; stops early (returning fn's non-zero result) when fn says so.
template <class Fn>
int for_each_span(sqlite3_int64 offset, int amount, Fn fn) {
    for (int done = 0; done < amount;) {
        const sqlite3_int64 at = offset + done;
        const uint32_t n = static_cast<uint32_t>(at / kPageSize) + 1;
        const int in_page = static_cast<int>(at % kPageSize);
        const int len = std::min(amount - done, static_cast<int>(kPageSize) - in_page);
        if (int rc = fn(n, in_page, done, len); rc != SQLITE_OK) return rc;
        done += len;
    }
    return SQLITE_OK;
}

int main_read(File& f, void* out, int amount, sqlite3_int64 offset) {
    auto* dst = static_cast<uint8_t*>(out);
    return for_each_span(offset, amount, [&](uint32_t n, int in_page, int done, int len) {
        const std::vector<uint8_t>* page = page_at(f, n);
        if (!page) {
            std::memset(dst + done, 0, amount - done);
            return SQLITE_IOERR_SHORT_READ;
        }
        std::memcpy(dst + done, page->data() + in_page, len);
        return SQLITE_OK;
    });
}

int main_write(File& f, const void* in, int amount, sqlite3_int64 offset) {
    const auto* src = static_cast<const uint8_t*>(in);
    f.dirty = true;
    return for_each_span(offset, amount, [&](uint32_t n, int in_page, int done, int len) {
        auto it = f.staged.find(n);
        if (it == f.staged.end()) {
            const std::vector<uint8_t>* old = page_at(f, n);
            it = f.staged.emplace(n, old ? *old : std::vector<uint8_t>(kPageSize, 0)).first;
        }
        std::memcpy(it->second.data() + in_page, src + done, len);
        f.staged_count = std::max(f.staged_count, n);
        return SQLITE_OK;
    });
}

void discard(File& f) {
    f.staged.clear();
    f.staged_count = image_pages(f);
    f.dirty = false;
}

// Hands the staged pages to the sink; on success they become the image.
int commit(File& f) {
    if (!f.dirty) return SQLITE_OK;
    // SQLite may grow the file past pages it never writes (free pages it skips): they
    // exist, as zeros, in the image and in the store like any other page.
    for (uint32_t n = image_pages(f) + 1; n <= f.staged_count; n++)
        if (!f.staged.count(n)) f.staged.emplace(n, std::vector<uint8_t>(kPageSize, 0));
    PageBatch batch;
    batch.page_count = f.staged_count;
    for (const auto& [n, bytes] : f.staged)
        if (n <= f.staged_count) batch.pages.emplace_back(n, &bytes);
    if (f.db->sink) {
        if (Status s = f.db->sink(batch); !s) return SQLITE_IOERR_WRITE;
    }
    auto& pages = f.db->image->pages;
    pages.resize(f.staged_count);
    for (auto& [n, bytes] : f.staged)
        if (n <= f.staged_count) pages[n - 1] = std::move(bytes);
    f.staged.clear();
    f.dirty = false;
    return SQLITE_OK;
}

// ---- io methods ----------------------------------------------------------------------------

int x_close(sqlite3_file* sf) {
    File* f = file_of(sf);
    delete f->temp;
    f->~File();
    return SQLITE_OK;
}

int x_read(sqlite3_file* sf, void* out, int amount, sqlite3_int64 offset) {
    File* f = file_of(sf);
    if (f->main) return main_read(*f, out, amount, offset);
    const auto& bytes = *f->temp;
    if (offset + amount > static_cast<sqlite3_int64>(bytes.size())) {
        std::memset(out, 0, amount);
        if (offset < static_cast<sqlite3_int64>(bytes.size()))
            std::memcpy(out, bytes.data() + offset, bytes.size() - offset);
        return SQLITE_IOERR_SHORT_READ;
    }
    std::memcpy(out, bytes.data() + offset, amount);
    return SQLITE_OK;
}

int x_write(sqlite3_file* sf, const void* in, int amount, sqlite3_int64 offset) {
    File* f = file_of(sf);
    if (f->main) return main_write(*f, in, amount, offset);
    auto& bytes = *f->temp;
    if (offset + amount > static_cast<sqlite3_int64>(bytes.size())) bytes.resize(offset + amount);
    std::memcpy(bytes.data() + offset, in, amount);
    return SQLITE_OK;
}

int x_truncate(sqlite3_file* sf, sqlite3_int64 size) {
    File* f = file_of(sf);
    if (!f->main) {
        f->temp->resize(size);
        return SQLITE_OK;
    }
    f->staged_count = static_cast<uint32_t>((size + kPageSize - 1) / kPageSize);
    f->dirty = true;
    return SQLITE_OK;
}

// Outside a batch (SQLite fell back to ordinary writes) the sync that ends a commit is
// where its pages go out; inside one, COMMIT_ATOMIC_WRITE does it.
int x_sync(sqlite3_file* sf, int) {
    File* f = file_of(sf);
    if (f->main && !f->in_batch) return commit(*f);
    return SQLITE_OK;
}

int x_file_size(sqlite3_file* sf, sqlite3_int64* size) {
    File* f = file_of(sf);
    *size = f->main ? static_cast<sqlite3_int64>(f->staged_count) * kPageSize
                    : static_cast<sqlite3_int64>(f->temp->size());
    return SQLITE_OK;
}

int x_lock(sqlite3_file*, int) { return SQLITE_OK; }  // one connection per database
int x_unlock(sqlite3_file*, int) { return SQLITE_OK; }
int x_check_reserved(sqlite3_file*, int* out) {
    *out = 0;
    return SQLITE_OK;
}

int x_file_control(sqlite3_file* sf, int op, void*) {
    File* f = file_of(sf);
    if (!f->main) return SQLITE_NOTFOUND;
    switch (op) {
        case SQLITE_FCNTL_BEGIN_ATOMIC_WRITE:
            f->in_batch = true;
            return SQLITE_OK;
        case SQLITE_FCNTL_COMMIT_ATOMIC_WRITE: {
            f->in_batch = false;
            int rc = commit(*f);
            if (rc != SQLITE_OK) discard(*f);
            return rc;
        }
        case SQLITE_FCNTL_ROLLBACK_ATOMIC_WRITE:
            f->in_batch = false;
            discard(*f);
            return SQLITE_OK;
        default:
            return SQLITE_NOTFOUND;
    }
}

int x_sector_size(sqlite3_file*) { return kPageSize; }
int x_device_characteristics(sqlite3_file*) {
    return SQLITE_IOCAP_BATCH_ATOMIC | SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_SAFE_APPEND;
}

const sqlite3_io_methods kMethods = [] {
    sqlite3_io_methods m{};  // version 1: no shared memory, no memory mapping
    m.iVersion = 1;
    m.xClose = x_close;
    m.xRead = x_read;
    m.xWrite = x_write;
    m.xTruncate = x_truncate;
    m.xSync = x_sync;
    m.xFileSize = x_file_size;
    m.xLock = x_lock;
    m.xUnlock = x_unlock;
    m.xCheckReservedLock = x_check_reserved;
    m.xFileControl = x_file_control;
    m.xSectorSize = x_sector_size;
    m.xDeviceCharacteristics = x_device_characteristics;
    return m;
}();

// ---- the vfs -------------------------------------------------------------------------------

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* sf, int flags, int* out_flags) {
    sf->pMethods = nullptr;  // SQLite must not call xClose on a failed open
    if (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL)) {
        ++g_journal_opens;
        return SQLITE_CANTOPEN;
    }
    File* f = new (sf) File();
    if (flags & SQLITE_OPEN_MAIN_DB) {
        auto it = name ? attached().find(name) : attached().end();
        if (it == attached().end()) {
            f->~File();
            return SQLITE_CANTOPEN;
        }
        f->main = true;
        f->db = &it->second;
        f->staged_count = image_pages(*f);
    } else {
        f->temp = new std::vector<uint8_t>();
    }
    f->base.pMethods = &kMethods;
    if (out_flags) *out_flags = flags;
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char*, int) { return SQLITE_OK; }
int x_access(sqlite3_vfs*, const char* name, int, int* out) {
    *out = name && attached().count(name) ? 1 : 0;
    return SQLITE_OK;
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    sqlite3_snprintf(n, out, "%s", name);
    return SQLITE_OK;
}
// Randomness, sleep and time come from the platform's default VFS.
sqlite3_vfs* fallback() { return sqlite3_vfs_find(nullptr); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return fallback()->xRandomness(fallback(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return fallback()->xSleep(fallback(), us); }
int x_current_time(sqlite3_vfs*, double* t) { return fallback()->xCurrentTime(fallback(), t); }
int x_last_error(sqlite3_vfs*, int, char*) { return 0; }

sqlite3_vfs* vfs() {
    static sqlite3_vfs v = [] {
        sqlite3_vfs x{};
        x.iVersion = 1;
        x.szOsFile = sizeof(File);
        x.mxPathname = 512;
        x.zName = kVfsName;
        x.xOpen = x_open;
        x.xDelete = x_delete;
        x.xAccess = x_access;
        x.xFullPathname = x_full_pathname;
        x.xRandomness = x_randomness;
        x.xSleep = x_sleep;
        x.xCurrentTime = x_current_time;
        x.xGetLastError = x_last_error;
        return x;
    }();
    static bool registered = (sqlite3_vfs_register(&v, 0), true);
    (void)registered;
    return &v;
}

}  // namespace

void mem_vfs_attach(const std::string& name, PageImage* image, CommitSink sink) {
    vfs();
    attached()[name] = Attached{image, std::move(sink)};
}

void mem_vfs_detach(const std::string& name) { attached().erase(name); }

namespace {
// SQLite skips the rollback journal only for a database that already has pages, so a new
// one starts from page 1 of an empty database (made by SQLite itself, in plain memory),
// stamped with our application id, and handed to the sink like any commit.
Status start_empty(Attached& a) {
    sqlite3* raw = nullptr;
    std::vector<uint8_t> bytes;
    if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) == SQLITE_OK &&
        sqlite3_exec(raw, "PRAGMA page_size = 4096; PRAGMA application_id = 1129467185", nullptr, nullptr,
                     nullptr) == SQLITE_OK) {
        sqlite3_int64 size = 0;
        if (unsigned char* data = sqlite3_serialize(raw, "main", &size, 0)) {
            bytes.assign(data, data + size);
            sqlite3_free(data);
        }
    }
    sqlite3_close(raw);
    if (bytes.size() != kPageSize) return make_error("err.db", {}, "cannot make an empty database");
    std::vector<std::vector<uint8_t>> pages = {bytes};
    PageBatch batch{1, {{1, &pages[0]}}};
    if (a.sink)
        if (auto s = a.sink(batch); !s) return s;
    a.image->pages = std::move(pages);
    return {};
}
}  // namespace

Result<Db> open_mem_db(const std::string& name) {
    auto it = attached().find(name);
    if (it == attached().end()) return make_error("err.db", {}, "not attached: " + name);
    if (it->second.image->pages.empty())
        if (auto s = start_empty(it->second); !s) return s.error();
    auto db = Db::open(name, vfs()->zName);
    if (!db) return db;
    // temp_store stays FILE: temp files are this VFS's in-memory byte vectors anyway, and
    // with MEMORY SQLite keeps a statement journal in 1 KiB chunks that every savepoint
    // release walks from the start: quadratic in a long transaction with many savepoints
    // (an import of 100k rows, each in its own savepoint). As a file it stays in memory
    // up to 64 KiB, then spills to a byte vector that truncates in O(1).
    // cache_spill off: a big transaction grows the cache rather than writing pages early
    // (which would need a journal). journal_mode DELETE: the mode batch writes apply to.
    if (auto s = db->exec("PRAGMA cache_spill = OFF; "
                          "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL");
        !s)
        return s.error();
    return db;
}

int64_t mem_vfs_journal_opens() { return g_journal_opens; }

}  // namespace crm::store
