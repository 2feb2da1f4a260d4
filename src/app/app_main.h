// Wires the parts together for the browser: opens the device's encrypted workspace from
// IndexedDB (on the first visit: the demo workspace with sample data) and creates the UI
// with the host's services.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "ui/app.h"

namespace crm::app {

// demo_customers: how many sample customers a new demo workspace gets (0 = the default
// 200); the page's ?demo=N start option, used by the frame benchmark (bench/browser).
std::unique_ptr<ui::App> create_app(const std::string& lang, const std::string& route, size_t demo_customers = 0);

// Before create_app, called by the page until it answers 1: reads the device's workspace
// about one frame's time per call, answering the fraction read, so the page can show
// progress while a big workspace opens. create_app carries on from where it got.
double read_ahead();

}  // namespace crm::app
