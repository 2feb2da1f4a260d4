// WebPageStore: the C++ half of web/store.js.
#include "platform/web_page_store.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <map>

extern "C" {
// One commit for web/store.js: `pages` is [u32 page number][u32 length][bytes] repeated.
void crm_js_store_write(const char* meta, const uint8_t* pages, int size, int page_count);
void crm_js_store_retry();
}

namespace crm::platform {

namespace {
// What IndexedDB holds (or will, once the queued batches land), while no vault is open:
// the meta record always, the sealed pages only until a vault opens on them.
struct Loaded {
    std::optional<std::string> meta;
    std::map<uint32_t, std::vector<uint8_t>> pages;
    bool vault_open = false;
};
Loaded& loaded() {
    static Loaded l;
    return l;
}
SaveStatus& status() {
    static SaveStatus s;
    return s;
}
StorageEstimate& estimate() {
    static StorageEstimate e;
    return e;
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; i++) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
}  // namespace

WebPageStore& web_page_store() {
    static WebPageStore s;
    return s;
}

const SaveStatus& save_status() { return status(); }
const StorageEstimate& storage_estimate() { return estimate(); }
void retry_save() { crm_js_store_retry(); }

Result<std::optional<std::string>> WebPageStore::read_meta() { return loaded().meta; }

// Only an opening vault reads the pages, each once: a page is freed as soon as it took it,
// so a big workspace is not held sealed and decrypted at once. (A page it refused stays:
// trying again meets the same error.)
Status WebPageStore::visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) {
    auto& pages = loaded().pages;
    for (auto it = pages.lower_bound(first); it != pages.end() && it->first <= last;) {
        if (Status s = fn(it->first, it->second); !s) return s;
        it = pages.erase(it);
    }
    return {};
}

Status WebPageStore::write_batch(const std::string& meta, const std::vector<store::SealedPage>& pages,
                                 uint32_t page_count) {
    std::vector<uint8_t> buf;
    size_t total = 0;
    for (const store::SealedPage& p : pages) total += 8 + p.bytes.size();
    buf.reserve(total);
    for (const store::SealedPage& p : pages) {
        put_u32(buf, p.page_no);
        put_u32(buf, static_cast<uint32_t>(p.bytes.size()));
        buf.insert(buf.end(), p.bytes.begin(), p.bytes.end());
    }
    status().state = "saving";
    crm_js_store_write(meta.c_str(), buf.data(), static_cast<int>(buf.size()), static_cast<int>(page_count));
    loaded().meta = meta;
    if (loaded().vault_open) return {};
    // No vault open (a workspace being created or restored): what the next unlock reads.
    for (const store::SealedPage& p : pages) loaded().pages[p.page_no] = p.bytes;
    loaded().pages.erase(loaded().pages.upper_bound(page_count), loaded().pages.end());
    return {};
}

void WebPageStore::vault_opened() {
    loaded().pages = {};  // frees them
    loaded().vault_open = true;
}

Status WebPageStore::vault_closed(store::Vault* keep) {
    loaded().vault_open = false;
    loaded().pages = {};
    if (!keep) return {};
    return keep->close_sealed([](uint32_t n, const std::vector<uint8_t>& bytes) -> Status {
        loaded().pages[n] = bytes;
        return {};
    });
}

}  // namespace crm::platform

extern "C" {

// Before crm_start: what IndexedDB holds. Takes ownership of `data` (malloc'ed by the page).
EMSCRIPTEN_KEEPALIVE void crm_store_preload_meta(const char* meta) {
    crm::platform::loaded().meta = std::string(meta);
}
EMSCRIPTEN_KEEPALIVE void crm_store_preload_page(int page_no, uint8_t* data, int size) {
    crm::platform::loaded().pages[static_cast<uint32_t>(page_no)] = std::vector<uint8_t>(data, data + size);
    std::free(data);
}

// web/store.js reports: state 0 saved, 1 saving, 2 error (error = the exception's name),
// and the sequence number of the last commit IndexedDB confirmed.
EMSCRIPTEN_KEEPALIVE void crm_store_status(int state, const char* error, double saved_seq) {
    auto& s = crm::platform::status();
    s.state = state == 0 ? "saved" : state == 1 ? "saving" : "error";
    s.error = error ? error : "";
    s.saved_seq = saved_seq;
}

// navigator.storage.estimate() and persisted(), as the page last read them.
EMSCRIPTEN_KEEPALIVE void crm_store_estimate(double usage, double quota, int persisted) {
    crm::platform::estimate() = {usage, quota, persisted != 0};
}

}  // extern "C"
