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
#include "core/summary.h"
#include "core/workspace.h"
#include "sync/job.h"
#include "ui/theme.h"

namespace crm::ui {

enum class Screen { Today, Customers, Customer, NewCustomer, EditCustomer, AddContact, EditContact, LogInteraction, LogPick, Merge, Import, Settings };

struct Route {
    Screen screen = Screen::Today;
    std::string customer_id;  // Customer, EditCustomer, AddContact, LogInteraction, Merge (the record kept)
    std::string other_id;     // Merge: the record merged into it; EditContact: the contact
};
Route parse_route(std::string_view hash);  // "#/customers/<id>", "#/settings", ...
std::string format_route(const Route& route);

// Whether the device's copy is up to date: "saved", "saving" or "error" (+ the storage's
// error name, e.g. QuotaExceededError). saved_seq: the last commit the storage confirmed;
// committed_seq: the last commit made (equal when nothing is waiting).
struct SaveState {
    std::string state = "saved", error;
    double saved_seq = 0, committed_seq = 0;
};

// The device's storage as the browser reports it; 0 = unknown.
struct StorageInfo {
    double usage = 0, quota = 0;
    bool persisted = false;
};

// What a backup file is and holds; `summary` once its secret opened it (a demo needs none).
struct BackupPreview {
    std::string kind, created_at;
    std::optional<WorkspaceSummary> summary;
};

// A workspace being opened a slice at a time (see HostServices::open_step).
struct OpenProgress {
    double fraction = 0;                   // of its pages read and checked
    std::unique_ptr<Workspace> workspace;  // once it is open
    bool demo = false;
};

// What the host (browser or native) provides to the app.
struct HostServices {
    std::function<void(const std::string& route, bool replace)> push_route;
    std::function<void(const std::string& key, const std::string& value)> save_preference;
    // Empty function: nothing is persisted.
    std::function<SaveState()> save_status;
    std::function<void()> retry_save;      // retry a failed save now rather than later
    std::function<StorageInfo()> storage_info;
    // The encrypted workspace on this device. The app drops its workspace before calling
    // create_encrypted or lock (the connection must close before its vault).
    // unlock checks the secret (err.vault.wrong_passphrase) and starts opening the workspace;
    // open_step then reads it about one frame's time per call, until it hands it over.
    std::function<Status(const std::string& secret)> unlock;
    std::function<Result<OpenProgress>()> open_step;
    // Replaces the demo with a new, empty workspace under this passphrase; gives the
    // recovery key to show once.
    std::function<Result<std::unique_ptr<Workspace>>(const std::string& passphrase, std::string* recovery_key)>
        create_encrypted;
    std::function<void()> lock;
    std::function<Status(const std::string& new_passphrase)> change_passphrase;
    // Backups. make_backup: the device's workspace as one file. restore_backup replaces the
    // device's workspace with a backup (the app has dropped its workspace first) and opens
    // it; *demo says whether it is a demo workspace.
    std::function<Result<std::vector<uint8_t>>()> make_backup;
    std::function<Result<BackupPreview>(const std::vector<uint8_t>& file, const std::string& secret)> preview_backup;
    std::function<Result<std::unique_ptr<Workspace>>(const std::vector<uint8_t>& file, const std::string& secret,
                                                     bool* demo)> restore_backup;
    // Files: offer bytes as a download; open the file picker (the chosen file arrives
    // through App::file_picked).
    std::function<void(const std::string& name, const std::vector<uint8_t>& bytes)> download;
    std::function<void(const std::string& accept)> pick_file;
    // Team sync: performs one remote call of a sync job at the location `remote` (the JSON
    // of the sync.remote setting); the answer comes back through App::remote_answered.
    std::function<void(const std::string& remote, const sync::RemoteCall& call)> remote_call;
    // What only the page can do for a sync place (web/crm.js): "pick_folder" (the browser's
    // folder picker), "allow_folder" (ask again for the folder's permission), "send_file"
    // (download the local sync file of `remote`). The outcome comes back through
    // App::sync_place_done.
    std::function<void(const std::string& action, const std::string& remote)> sync_place;
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
    // A form holds edits not saved yet (the page then asks before it is left).
    bool has_unsaved_edits() const;
    // The file the user chose in the picker the app opened (host.pick_file).
    void file_picked(const std::string& name, std::vector<uint8_t> bytes);
    // The answer to the sync job's remote call (host.remote_call).
    void remote_answered(sync::RemoteAnswer answer);
    // What the page did for host.sync_place, as JSON: {action, folder?, error?, detail?}; or
    // what it can do, once at start: {folder_picker: true|false}.
    void sync_place_done(std::string_view json);
    // Called by the host every minute and when the device is back online: syncs when a
    // team is set up and automatic sync is on: at once when back online or when local
    // changes wait, else every few minutes.
    void auto_sync(bool back_online);
    // Tests: PRAGMA integrity_check of the open workspace ("ok"), and one small edit (a
    // logged interaction, one commit) for bursts of saves.
    std::string integrity_check();
    Status test_edit();

private:
    std::unique_ptr<AppContext> ctx_;
};

}  // namespace crm::ui
