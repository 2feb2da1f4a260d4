// The browser half of the IndexedDB benchmark (bench/browser/run.mjs drives it): the real
// web page store (src/platform/web_page_store.cpp) and web/store.js underneath, so a save
// is timed from the edit to IndexedDB's "complete" event, as the app's "Saved" means.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "../bench_util.h"
#include "core/customers.h"
#include "platform/web_page_store.h"
#include "store/backup.h"
#include "store/vault.h"

using namespace crm;

namespace {
std::unique_ptr<Workspace> g_ws;           // declared before the vault: closed first
std::unique_ptr<store::Vault> g_vault;
std::vector<std::string> g_ids;
std::vector<uint8_t> g_whole;
store::Key g_key = store::random_key();

int fail(const Error& e) {
    std::fprintf(stderr, "bench: %s %s\n", e.code.c_str(), e.detail.c_str());
    return 1;
}
}  // namespace

extern "C" {

// Replaces what IndexedDB holds with a backup file (one batch). Frees `data`.
EMSCRIPTEN_KEEPALIVE int bench_restore(uint8_t* data, int size) {
    g_ws.reset();
    g_vault.reset();
    auto backup = store::read_backup(data, static_cast<size_t>(size));
    std::free(data);
    if (!backup) return fail(backup.error());
    Status s = store::restore_backup(std::move(*backup), platform::web_page_store());
    return s ? 0 : fail(s.error());
}

// Unlocks what was preloaded (crm_store_preload_*), checks and decrypts every page, opens
// SQLite and the workspace.
EMSCRIPTEN_KEEPALIVE int bench_open(const char* secret) {
    g_ws.reset();
    g_vault.reset();
    auto v = store::Vault::unlock(platform::web_page_store(), secret);
    if (!v) return fail(v.error());
    g_vault = std::move(*v);
    auto db = g_vault->open_db();
    if (!db) return fail(db.error());
    auto ws = Workspace::open(std::move(*db), {"00000000000000b1", "01", "张伟"}, std::make_shared<SystemClock>());
    if (!ws) return fail(ws.error());
    g_ws = std::make_unique<Workspace>(std::move(*ws));
    auto rows = query_rows(g_ws->db(), "SELECT id FROM customers ORDER BY rowid LIMIT 1000");
    if (!rows) return fail(rows.error());
    g_ids.clear();
    for (const Row& r : *rows) g_ids.push_back(value(r, "id"));
    return 0;
}

// One edit of one customer: one commit, handed to web/store.js.
EMSCRIPTEN_KEEPALIVE int bench_edit(int i) {
    if (!g_ws || g_ids.empty()) return 1;
    Status s = update_customer(*g_ws, g_ids[(i * 7919) % g_ids.size()],
                               {{"needs", "第 " + std::to_string(i) + " 次修改：需要报价单和交付时间"}});
    return s ? 0 : fail(s.error());
}

// The whole-database approach: serialize and encrypt; the page writes bench_whole_data().
EMSCRIPTEN_KEEPALIVE int bench_whole_export() {
    if (!g_ws) return 0;
    g_whole = bench::whole_image_sealed(g_ws->db(), g_key.data());
    return static_cast<int>(g_whole.size());
}
EMSCRIPTEN_KEEPALIVE uint8_t* bench_whole_data() { return g_whole.data(); }

}  // extern "C"
