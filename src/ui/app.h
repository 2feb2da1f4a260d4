// The application's UI: the frame (top bar, navigation), routing between screens, language
// and theme. One screen per file (screen_*.cpp); they share the AppContext below.
// Never touches SQL or the browser: data comes from core, the browser through platform.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/workspace.h"
#include "ui/theme.h"

namespace crm::ui {

enum class Screen { Today, Customers, Customer, NewCustomer, Settings };

struct Route {
    Screen screen = Screen::Today;
    std::string customer_id;  // for Screen::Customer
};
Route parse_route(std::string_view hash);  // "#/customers/<id>", "#/settings", ...
std::string format_route(const Route& route);

// What the host (browser or native) provides to the app.
struct HostServices {
    std::function<void(const std::string& route, bool replace)> push_route;
    std::function<void(const std::string& key, const std::string& value)> save_preference;
    // Whether the device's copy is up to date: "saved", "saving" or "error" (+ the
    // storage's error name). Empty function: nothing is persisted.
    std::function<std::pair<std::string, std::string>()> save_status;
    // The encrypted workspace on this device. The app drops its workspace before calling
    // create_encrypted or lock (the connection must close before its vault).
    std::function<Result<std::unique_ptr<Workspace>>(const std::string& secret)> unlock;
    // Replaces the demo with a new, empty workspace under this passphrase; gives the
    // recovery key to show once.
    std::function<Result<std::unique_ptr<Workspace>>(const std::string& passphrase, std::string* recovery_key)>
        create_encrypted;
    std::function<void()> lock;
    std::function<Status(const std::string& new_passphrase)> change_passphrase;
};

// How the workspace came to be: opened from the device, or created (and, for the demo,
// filled with sample data) on this start. `blocked`: it could not be opened; the app shows
// why and what to do instead of any data.
struct StartInfo {
    bool demo = false;
    bool created = false;
    bool locked = false;  // a passphrase workspace waits for its passphrase
    std::optional<Error> blocked;
};

struct AppContext;  // shared by the screens: workspace, translations, route, list state

class App {
public:
    App(std::unique_ptr<Workspace> workspace, std::string lang, std::string_view initial_route,
        HostServices host, StartInfo start);
    ~App();

    void frame();                       // between ImGui::NewFrame() and ImGui::Render()
    void navigate(std::string_view route, bool from_browser);
    bool animating() const;             // wants frames without input (progress, toasts)
    bool fonts_changed();               // text size changed: the host rebuilds the atlas
    float text_size() const;
    std::string state_json() const;     // for window.crm.test.state()
    // Locks an encrypted workspace idle for longer than its auto-lock time; true if it did.
    bool lock_if_idle(double idle_ms);

private:
    std::unique_ptr<AppContext> ctx_;
};

}  // namespace crm::ui
