// The browser's PageStore: what IndexedDB held when the page loaded (handed over by
// web/store.js before the app starts), and commits passed to web/store.js, which writes
// each in one IndexedDB transaction, in order, retrying on failure. write_batch returns at
// once: "saved" is known later, through the status the page reports (save_status()).
// The sealed pages stay in memory only while no vault is open: an open vault's decrypted
// image is the one copy (a 100k-customer workspace is ~1 GB), and closing it hands its
// pages back, sealed afresh, for the next unlock (no trip to the page).
#pragma once
#include <string>

#include "store/page_store.h"
#include "store/vault.h"

namespace crm::platform {

class WebPageStore : public store::PageStore {
public:
    Result<std::optional<std::string>> read_meta() override;
    Status visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) override;  // the current stored pages
    Status write_batch(const std::string& meta, const std::vector<store::SealedPage>& pages,
                       uint32_t page_count) override;

    // A vault has opened on these pages: they are dropped, and its commits are not kept.
    void vault_opened();
    // The open vault closes: with `keep` its pages (Vault::close_sealed) are what a later
    // unlock reads; without (creating or restoring a workspace), the next batch writes a
    // whole new state.
    Status vault_closed(store::Vault* keep);
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
