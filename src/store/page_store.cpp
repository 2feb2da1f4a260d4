// MemoryPageStore: an atomic batch is a copy of the store, written into and swapped in.
#include "store/page_store.h"

namespace crm::store {

Status visit_map_range(const std::map<uint32_t, std::vector<uint8_t>>& pages, uint32_t first, uint32_t last,
                       const PageStore::PageVisitor& fn) {
    for (auto it = pages.lower_bound(first); it != pages.end() && it->first <= last; ++it)
        if (auto s = fn(it->first, it->second); !s) return s;
    return {};
}

Status MemoryPageStore::write_batch(const std::string& new_meta, const std::vector<SealedPage>& new_pages,
                                    uint32_t page_count) {
    int steps = 0;
    auto step = [&]() -> Status {
        if (fail_after >= 0 && steps++ >= fail_after) {
            fail_after = -1;
            return make_error("err.vault.store_write", {}, "injected failure");
        }
        return {};
    };
    // Stage on copies of what changes; the store itself is touched only when all succeeded.
    std::map<uint32_t, std::vector<uint8_t>> staged;
    for (const SealedPage& p : new_pages) {
        if (auto s = step(); !s) return s;
        staged[p.page_no] = p.bytes;
    }
    if (auto s = step(); !s) return s;
    meta = new_meta;
    for (auto& [n, bytes] : staged) pages[n] = std::move(bytes);
    pages.erase(pages.upper_bound(page_count), pages.end());
    ++batches;
    return {};
}

}  // namespace crm::store
