// Where the vault keeps a database on the device: one meta record (JSON text) and one
// sealed record per page, changed together in one atomic batch. In the browser this is
// IndexedDB (one readwrite transaction per batch); MemoryPageStore stands in for it in
// native tests and benchmarks, with fault injection. Knows nothing about what the bytes mean.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace crm::store {

struct SealedPage {
    uint32_t page_no = 0;        // 1-based
    std::vector<uint8_t> bytes;  // opaque to the store (see page_crypto.h)
};

class PageStore {
public:
    virtual ~PageStore() = default;
    virtual Result<std::optional<std::string>> read_meta() = 0;  // nullopt: nothing stored yet
    // Calls fn with every stored page numbered first..last, in page order, without copying
    // them; stops at fn's first error and returns it. (In ranges: a big workspace opens a
    // slice at a time, with progress.)
    using PageVisitor = std::function<Status(uint32_t page_no, const std::vector<uint8_t>& bytes)>;
    virtual Status visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) = 0;
    Status visit_pages(const PageVisitor& fn) { return visit_page_range(0, UINT32_MAX, fn); }
    // All or nothing: puts the meta record and the pages, and deletes pages numbered
    // above page_count.
    virtual Status write_batch(const std::string& meta, const std::vector<SealedPage>& pages,
                               uint32_t page_count) = 0;
};

// visit_page_range for a store that keeps its pages in a map.
Status visit_map_range(const std::map<uint32_t, std::vector<uint8_t>>& pages, uint32_t first, uint32_t last,
                       const PageStore::PageVisitor& fn);

// The store in memory. Its fields are public so tests can tamper with what is "on disk".
class MemoryPageStore : public PageStore {
public:
    Result<std::optional<std::string>> read_meta() override { return meta; }
    Status visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) override {
        return visit_map_range(pages, first, last, fn);
    }
    Status write_batch(const std::string& meta, const std::vector<SealedPage>& pages,
                       uint32_t page_count) override;

    std::optional<std::string> meta;
    std::map<uint32_t, std::vector<uint8_t>> pages;
    // Fault injection: the next batch fails after this many record writes (the meta
    // record counts as one), and, like an aborted IndexedDB transaction, leaves the store
    // as it was. -1: never fails.
    int fail_after = -1;
    int64_t batches = 0;  // batches written
};

}  // namespace crm::store
