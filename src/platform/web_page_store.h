// The browser's PageStore: what IndexedDB held when the page loaded (handed over by
// web/store.js before the app starts), kept as a sealed mirror that follows every commit
// (so a lock and unlock need no trip to the page), and commits passed to web/store.js, which writes
// each in one IndexedDB transaction, in order, retrying on failure. write_batch returns at
// once: "saved" is known later, through the status the page reports (save_status()).
#pragma once
#include <string>

#include "store/page_store.h"

namespace crm::platform {

class WebPageStore : public store::PageStore {
public:
    Result<std::optional<std::string>> read_meta() override;
    Status visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) override;  // the current stored pages
    Status write_batch(const std::string& meta, const std::vector<store::SealedPage>& pages,
                       uint32_t page_count) override;
};

WebPageStore& web_page_store();

struct SaveStatus {
    std::string state = "saved";  // saved | saving | error
    std::string error;            // the DOM exception's name, e.g. QuotaExceededError
    double saved_seq = 0;         // the last commit IndexedDB confirmed
};
const SaveStatus& save_status();
void retry_save();  // a failed batch is retried now instead of after its back-off

// What navigator.storage reports (usage and quota in bytes, 0 = unknown).
struct StorageEstimate {
    double usage = 0, quota = 0;
    bool persisted = false;
};
const StorageEstimate& storage_estimate();

}  // namespace crm::platform
