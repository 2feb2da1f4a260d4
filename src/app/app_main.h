// Wires the parts together for the browser: opens the device's encrypted workspace from
// IndexedDB (on the first visit: the demo workspace with sample data) and creates the UI
// with the host's services.
#pragma once
#include <memory>
#include <string>

#include "ui/app.h"

namespace crm::app {

std::unique_ptr<ui::App> create_app(const std::string& lang, const std::string& route);

}  // namespace crm::app
