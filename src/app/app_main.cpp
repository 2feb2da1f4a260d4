#include "app/app_main.h"

#include <cstdio>

#include "core/demo_data.h"
#include "core/demo_seed.h"
#include "platform/web_host.h"
#include "platform/web_page_store.h"
#include "store/vault.h"

namespace crm::app {

namespace {
constexpr size_t kDemoCustomers = 200;
constexpr size_t kDemoInteractionsPerCustomer = 4;
constexpr uint64_t kDemoSeed = 20231001;

// The vault stays open for the page's life (the runtime never exits, so it is never
// destroyed while the workspace's connection still uses it).
std::unique_ptr<store::Vault>& vault() {
    static std::unique_ptr<store::Vault> v;
    return v;
}

// Opens the device's workspace, or on the first visit creates the demo workspace (sample
// data, protected by a device key, marked as such). Errors block the app with a message;
// nothing stored is ever overwritten because it could not be read.
Result<std::unique_ptr<Workspace>> open_workspace(std::shared_ptr<Clock> clock, ui::StartInfo& start) {
    store::PageStore& device = platform::web_page_store();
    auto kind = store::Vault::kind(device);
    if (!kind) return kind.error();
    if (*kind == "passphrase") return make_error("err.vault.locked_unsupported");
    start.demo = true;
    start.created = kind->empty();
    auto v = start.created ? store::Vault::create_demo(device) : store::Vault::unlock(device, "");
    if (!v) return v.error();
    vault() = std::move(*v);
    auto db = vault()->open_db();
    if (!db) return db.error();
    auto ws = Workspace::open(std::move(*db), DeviceInfo{"", "01", "张伟"}, clock);
    if (!ws) return ws.error();
    if (start.created) {
        DemoSet demo = make_demo_set(kDemoSeed, kDemoCustomers, kDemoInteractionsPerCustomer,
                                     clock->now_iso().substr(0, 10));
        if (Status s = seed_demo(*ws, demo); !s) return s.error();
    }
    return std::make_unique<Workspace>(std::move(*ws));
}
}  // namespace

std::unique_ptr<ui::App> create_app(const std::string& lang, const std::string& route) {
    auto clock = std::make_shared<SystemClock>();
    ui::StartInfo start;
    std::unique_ptr<Workspace> ws;
    if (auto opened = open_workspace(clock, start)) {
        ws = std::move(*opened);
    } else {
        std::fprintf(stderr, "workspace not opened: %s (%s)\n", opened.error().code.c_str(),
                     opened.error().detail.c_str());
        start.blocked = opened.error();
    }
    ui::HostServices host;
    host.push_route = [](const std::string& r, bool replace) { platform::push_route(r, replace); };
    host.save_preference = [](const std::string& k, const std::string& v) { platform::save_preference(k, v); };
    host.save_status = [] {
        const platform::SaveStatus& s = platform::save_status();
        return std::make_pair(s.state, s.error);
    };
    return std::make_unique<ui::App>(std::move(ws), lang, route, std::move(host), std::move(start));
}

}  // namespace crm::app
