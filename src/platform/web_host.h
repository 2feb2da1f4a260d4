// The browser seam, C++ side: the functions web/crm.js calls (exported as crm_*), and the
// calls back into the page (src/platform/web_bridge.js). Turns DOM input into ImGui input,
// paces frames on demand (an idle app draws nothing) and publishes the test contract.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sync/job.h"

namespace crm::platform {

// What the app asks of the page; implemented in web_bridge.js.
void request_frame();
void set_text_input(bool active);
void clipboard_write(const std::string& text);
void push_route(const std::string& route, bool replace);
void open_url(const std::string& url);
void save_preference(const std::string& key, const std::string& value);  // localStorage
void download(const std::string& name, const std::vector<uint8_t>& bytes);  // a file download
// Opens the browser's file picker; the chosen file comes back to App::file_picked.
void pick_file(const std::string& accept);
// Performs one remote call of a sync job at `remote` (web/sync_remote.js); the answer comes
// back to App::remote_answered.
void remote_call(const std::string& remote, const sync::RemoteCall& call);
// What only the page can do for a sync place (HostServices::sync_place); the outcome comes
// back to App::sync_place_done.
void sync_place(const std::string& action, const std::string& remote);

}  // namespace crm::platform
