#include "app/app_main.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/demo_data.h"
#include "core/demo_seed.h"
#include "core/tags.h"
#include "platform/web_host.h"
#include "platform/web_page_store.h"
#include "store/backup.h"
#include "store/vault.h"

namespace crm::app {

namespace {
constexpr size_t kDemoCustomers = 200;
constexpr size_t kDemoInteractionsPerCustomer = 4;
constexpr uint64_t kDemoSeed = 20231001;
constexpr size_t kDemoChunk = 2000;

// The vault stays open for the page's life (the runtime never exits, so it is never
// destroyed while the workspace's connection still uses it).
std::unique_ptr<store::Vault>& vault() {
    static std::unique_ptr<store::Vault> v;
    return v;
}

// A vault being read a slice at a time (after an unlock, or before the app starts), until
// its workspace opens. A 100k-customer workspace takes seconds to decrypt and check: in
// slices, the page shows progress and stays responsive.
std::unique_ptr<store::Vault>& opening() {
    static std::unique_ptr<store::Vault> v;
    return v;
}

// Reads pages for about one frame's time.
Status read_slice(store::Vault& v) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
    do {
        if (Status s = v.read_pages(v.pages_read() + 64); !s) return s;
    } while (v.pages_read() < v.page_count() && std::chrono::steady_clock::now() < until);
    return {};
}

double fraction_read(const store::Vault& v) {
    return v.page_count() ? double(v.pages_read()) / v.page_count() : 1.0;
}

Status begin_opening(std::string_view secret) {
    opening().reset();
    auto v = store::Vault::unlock(platform::web_page_store(), secret);
    if (!v) return v.error();
    opening() = std::move(*v);
    return {};
}

// Keeps the vault and opens the workspace on its database.
Result<std::unique_ptr<Workspace>> open_vault(std::unique_ptr<store::Vault> v, std::shared_ptr<Clock> clock) {
    vault() = std::move(v);
    auto db = vault()->open_db();
    if (!db) return db.error();
    platform::web_page_store().vault_opened();  // the decrypted image is now the one copy
    auto ws = Workspace::open(std::move(*db), DeviceInfo{"", "01", "张伟"}, clock);
    if (!ws) return ws.error();
    // Every workspace has the preset tag library (fixed ids: seeding twice, or on two
    // devices, gives the same records; a workspace that has it writes nothing).
    if (Status s = seed_tag_library(*ws); !s) return s.error();
    return std::make_unique<Workspace>(std::move(*ws));
}

// Closes the open vault. On a lock its pages go back to the page store, sealed afresh, for
// the next unlock; a workspace that replaces it (created, restored) writes a whole new state.
void close_vault(bool for_unlock) {
    platform::web_page_store().vault_closed(for_unlock ? vault().get() : nullptr);
    vault().reset();
}

// Opens the device's workspace, or on the first visit creates the demo workspace (sample
// data, protected by a device key, marked as such). Errors block the app with a message;
// nothing stored is ever overwritten because it could not be read.
Result<std::unique_ptr<Workspace>> open_workspace(std::shared_ptr<Clock> clock, ui::StartInfo& start,
                                                  size_t demo_customers) {
    store::PageStore& device = platform::web_page_store();
    auto kind = store::Vault::kind(device);
    if (!kind) return kind.error();
    if (*kind == "passphrase") {
        start.locked = true;  // the unlock screen calls unlock() below
        return std::unique_ptr<Workspace>();
    }
    start.demo = true;
    start.created = kind->empty();
    std::unique_ptr<store::Vault> ahead = std::move(opening());  // see read_ahead()
    auto v = start.created ? store::Vault::create_demo(device)
             : ahead       ? Result<std::unique_ptr<store::Vault>>(std::move(ahead))
                           : store::Vault::unlock(device, "");
    if (!v) return v.error();
    auto ws = open_vault(std::move(*v), clock);
    if (!ws) return ws.error();
    if (start.created) {
        // A big demo (?demo=N) goes in chunks, one transaction each: one transaction of 100k
        // customers would hold all its pages twice until the commit.
        const size_t total = demo_customers ? demo_customers : kDemoCustomers;
        const std::string today = clock->today();
        for (size_t done = 0; done < total; done += kDemoChunk) {
            const size_t n = std::min(kDemoChunk, total - done);
            DemoSet demo = make_demo_set(kDemoSeed + done / kDemoChunk, n, kDemoInteractionsPerCustomer, today);
            if (Status s = seed_demo(**ws, demo); !s) return s.error();
        }
    }
    return std::move(*ws);
}

// Reads a backup file and, when `secret` opens it (a demo backup needs none), what it
// holds. A passphrase backup with no secret yet gives its kind and date only.
Result<ui::BackupPreview> preview_backup(const std::vector<uint8_t>& file, const std::string& secret) {
    auto backup = store::read_backup(file.data(), file.size());
    if (!backup) return backup.error();
    ui::BackupPreview preview{backup->kind, backup->created_at, std::nullopt};
    if (backup->kind == "passphrase" && secret.empty()) return preview;
    auto v = store::Vault::unlock(backup->pages, secret);
    if (!v) return v.error();
    auto db = (*v)->open_db();
    if (!db) return db.error();
    auto summary = summarize(*db);
    if (!summary) return summary.error();
    preview.summary = *summary;
    return preview;
}
}  // namespace

std::unique_ptr<ui::App> create_app(const std::string& lang, const std::string& route, size_t demo_customers) {
    auto clock = std::make_shared<SystemClock>();
    ui::StartInfo start;
    std::unique_ptr<Workspace> ws;
    if (auto opened = open_workspace(clock, start, demo_customers)) {
        ws = std::move(*opened);
    } else {
        std::fprintf(stderr, "workspace not opened: %s (%s)\n", opened.error().code.c_str(),
                     opened.error().detail.c_str());
        start.blocked = opened.error();
    }
    ui::HostServices host;
    host.push_route = [](const std::string& r, bool replace) { platform::push_route(r, replace); };
    host.save_preference = [](const std::string& k, const std::string& v) { platform::save_preference(k, v); };
    host.unlock = [](const std::string& secret) { return begin_opening(secret); };
    host.open_step = [clock]() -> Result<ui::OpenProgress> {
        if (!opening()) return make_error("err.vault.empty");
        store::Vault& v = *opening();
        if (Status s = read_slice(v); !s) {
            opening().reset();
            return s.error();
        }
        const bool demo = v.is_demo();
        if (v.pages_read() < v.page_count()) return ui::OpenProgress{fraction_read(v), nullptr, demo};
        auto ws = open_vault(std::move(opening()), clock);
        if (!ws) return ws.error();
        return ui::OpenProgress{1.0, std::move(*ws), demo};
    };
    host.create_encrypted = [clock](const std::string& passphrase,
                                    std::string* recovery) -> Result<std::unique_ptr<Workspace>> {
        close_vault(false);  // the app has closed the demo's connection
        auto v = store::Vault::create(platform::web_page_store(), passphrase, recovery);
        if (!v) return v.error();
        return open_vault(std::move(*v), clock);
    };
    host.lock = [] { close_vault(true); };
    host.change_passphrase = [](const std::string& passphrase) -> Status {
        if (!vault()) return make_error("err.vault.empty");
        return vault()->change_passphrase(passphrase);
    };
    host.save_status = [] {
        const platform::SaveStatus& s = platform::save_status();
        return ui::SaveState{s.state, s.error, s.saved_seq, vault() ? double(vault()->commit_seq()) : 0.0};
    };
    host.retry_save = [] { platform::retry_save(); };
    host.storage_info = [] {
        const platform::StorageEstimate& e = platform::storage_estimate();
        return ui::StorageInfo{e.usage, e.quota, e.persisted};
    };
    host.make_backup = [clock]() -> Result<std::vector<uint8_t>> {
        if (!vault()) return make_error("err.vault.empty");
        store::SealedView state = vault()->sealed_view();
        return store::write_backup(state, clock->now_iso());
    };
    host.preview_backup = preview_backup;
    host.restore_backup = [clock](const std::vector<uint8_t>& file, const std::string& secret,
                                  bool* demo) -> Result<std::unique_ptr<Workspace>> {
        auto backup = store::read_backup(file.data(), file.size());
        if (!backup) return backup.error();
        close_vault(false);  // the app has closed the current workspace's connection
        if (Status s = store::restore_backup(std::move(*backup), platform::web_page_store()); !s) return s.error();
        auto v = store::Vault::unlock(platform::web_page_store(), secret);
        if (!v) return v.error();
        *demo = (*v)->is_demo();
        return open_vault(std::move(*v), clock);
    };
    host.download = [](const std::string& name, const std::vector<uint8_t>& bytes) { platform::download(name, bytes); };
    host.pick_file = [](const std::string& accept) { platform::pick_file(accept); };
    host.remote_call = [](const std::string& remote, const sync::RemoteCall& call) { platform::remote_call(remote, call); };
    host.sync_place = [](const std::string& action, const std::string& remote) { platform::sync_place(action, remote); };
    return std::make_unique<ui::App>(std::move(ws), lang, route, std::move(host), std::move(start));
}

double read_ahead() {
    static bool done = false;
    if (done) return 1;
    if (!opening()) {
        // Only a workspace that opens without a secret (the demo's) can be read before the
        // app starts. An error here is met again, and shown, when the app starts.
        auto kind = store::Vault::kind(platform::web_page_store());
        if (!kind || *kind != "demo" || !begin_opening("")) {
            done = true;
            return 1;
        }
    }
    store::Vault& v = *opening();
    if (Status s = read_slice(v); !s) opening().reset();
    if (!opening() || v.pages_read() >= v.page_count()) {
        done = true;
        return 1;
    }
    return fraction_read(v);
}

}  // namespace crm::app
