#include "app/app_main.h"

#include <cstdio>

#include "core/demo_data.h"
#include "core/demo_seed.h"
#include "platform/web_host.h"

namespace crm::app {

namespace {
constexpr size_t kDemoCustomers = 200;
constexpr size_t kDemoInteractionsPerCustomer = 4;
constexpr uint64_t kDemoSeed = 20231001;
}  // namespace

std::unique_ptr<ui::App> create_app(const std::string& lang, const std::string& route) {
    auto clock = std::make_shared<SystemClock>();
    auto ws = Workspace::open_memory(DeviceInfo{"", "01", "张伟"}, clock);
    if (!ws) {
        std::fprintf(stderr, "could not open the workspace: %s (%s)\n", ws.error().code.c_str(), ws.error().detail.c_str());
        return nullptr;
    }
    DemoSet demo = make_demo_set(kDemoSeed, kDemoCustomers, kDemoInteractionsPerCustomer, clock->now_iso().substr(0, 10));
    if (Status s = seed_demo(*ws, demo); !s) {
        std::fprintf(stderr, "could not load the demo data: %s (%s)\n", s.error().code.c_str(), s.error().detail.c_str());
        return nullptr;
    }
    ui::HostServices host;
    host.push_route = [](const std::string& r, bool replace) { platform::push_route(r, replace); };
    host.save_preference = [](const std::string& k, const std::string& v) { platform::save_preference(k, v); };
    return std::make_unique<ui::App>(std::make_unique<Workspace>(std::move(*ws)), lang, route, std::move(host), true);
}

}  // namespace crm::app
