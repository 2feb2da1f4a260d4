// The "crm-mem" SQLite VFS: a database whose pages live in memory (a PageImage) and whose
// every commit is handed, as one batch of changed pages, to a CommitSink (the vault, which
// encrypts it for IndexedDB). SQLite runs fully synchronously on it; durability is the
// sink's business. Knows nothing about encryption or the domain.
//
// The VFS reports SQLITE_IOCAP_BATCH_ATOMIC, so SQLite (built with
// SQLITE_ENABLE_BATCH_ATOMIC_WRITE) writes each commit between BEGIN_ and
// COMMIT_ATOMIC_WRITE and never creates a rollback journal. Journal files are refused
// (and counted, for tests); temp files and statement journals stay in memory.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/db.h"

namespace crm::store {

constexpr uint32_t kPageSize = 4096;

// A database file as pages; page n (1-based) is pages[n - 1], each kPageSize bytes.
struct PageImage {
    std::vector<std::vector<uint8_t>> pages;
};

// One commit: the pages it changed (1-based numbers, ascending) and the file's new length
// in pages (pages past it were truncated away).
struct PageBatch {
    uint32_t page_count = 0;
    std::vector<std::pair<uint32_t, const std::vector<uint8_t>*>> pages;
};
// Returns an error to fail the commit: SQLite then rolls the transaction back and the
// image stays as it was before it.
using CommitSink = std::function<Status(const PageBatch&)>;

// Serves `image` under the file name `name` until mem_vfs_detach(name). The image and
// the sink must outlive every connection opened on the name.
void mem_vfs_attach(const std::string& name, PageImage* image, CommitSink sink);
void mem_vfs_detach(const std::string& name);

// Opens a connection on an attached name with the pragmas the VFS relies on
// (temp files in memory, no cache spill, rollback-journal mode for batch writes).
Result<Db> open_mem_db(const std::string& name);

// How many times SQLite asked to open a rollback or master journal (always refused).
int64_t mem_vfs_journal_opens();

}  // namespace crm::store
