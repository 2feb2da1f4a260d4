// State shared by the screens of one App: the workspace, the translation table, the route,
// preferences. Screens receive it by reference; there are no globals.
#pragma once
#include <initializer_list>
#include <map>
#include <string>
#include <utility>

#include "ui/app.h"
#include "core/duplicates.h"
#include "core/export.h"
#include "core/import.h"
#include "core/merge.h"
#include "core/tags.h"
#include "sync/invite_qr.h"
#include "sync/session.h"
#include "ui/customer_list.h"
#include "ui/customer_page.h"
#include "ui/today_page.h"

namespace crm::ui {

// The new-customer form's draft (kept while the user moves around, cleared on save/cancel).
struct NewCustomerForm {
    std::string kind = "enterprise", name, industry, source, status = "potential", owner;
    bool owner_touched = false;
    std::string contact_name, mobile, email;
    std::string checked;  // what the duplicates below were looked up for
    std::vector<DuplicateCandidate> duplicates;
    std::string save_error;
};

// Logging an interaction (kept while the user looks something up elsewhere).
struct LogForm {
    std::string customer_id;
    std::string method = "phone", summary, feedback;
    std::string next_action, next_owner, next_due;
    bool owner_touched = false;
    std::string save_error;
};

// The change-status dialog: the new status and the reason it asks for.
struct StatusForm {
    bool open = false;
    std::string to, reason, error;
};

// Adding tags: the proposal of a missing tag, and what happened.
struct TagForm {
    std::string propose_type, propose_name;
    std::string error, done;  // translated
};

// Merging two records: which record's value to keep, per differing field.
struct MergeForm {
    std::string survivor, absorbed;
    std::map<std::string, MergeSide> choices;
    std::string error;
};

// The fields whose draft differs from the stored value: what Save writes.
inline std::vector<FieldValue> changed_fields(const Row& original, const Row& draft) {
    std::vector<FieldValue> out;
    for (const auto& [field, value] : draft) {
        auto it = original.find(field);
        if (value.value_or("") != (it == original.end() ? "" : it->second.value_or(""))) out.push_back({field, value});
    }
    return out;
}

// Editing a stored customer: its values when the form opened, and the draft.
struct EditForm {
    std::string id;
    Row original, draft;
    std::string error;
    std::vector<FieldValue> changed() const { return changed_fields(original, draft); }
};

// The import wizard: the file, its mapping, the plan, the running import, the result.
struct ImportForm {
    enum Step { Choose, Columns, Preview, Running, Done } step = Choose;
    ImportKind kind = ImportKind::Customers;
    std::string file_name, error, undo_done;
    csv::Table table;
    ColumnMapping mapping;
    std::vector<ColumnValues> values;
    std::unique_ptr<ImportPlan> plan;  // heap: the running import points into it
    std::unique_ptr<ImportRun> run;    // ImportRun moves but does not assign
    std::optional<ImportResult> result;
};

// Exporting from the customers list: what, which columns, whether phones show in full.
struct ExportForm {
    ExportTable table = ExportTable::Customers;
    std::vector<std::string> fields;
    bool show_phones = false;
    std::string done, error;  // translated
};

// A new contact of a customer, or a stored one being edited (contact_id set; original =
// its values when the form opened).
struct ContactForm {
    std::string customer_id, contact_id;
    Row original, draft;
    std::string error;
    bool unsaved() const {
        if (!contact_id.empty()) return !changed_fields(original, draft).empty();
        for (const auto& [field, value] : draft)
            if (!value.value_or("").empty() && value.value_or("") != "0") return true;
        return false;
    }
};

// Saving the list's current filter as a named view.
struct ViewsForm {
    std::string name, error;
};

// Passphrase screens: unlock, create an encrypted workspace, the recovery key shown once.
struct SecurityForm {
    std::string secret;            // unlock: passphrase or recovery key
    std::string passphrase, confirm;
    std::string error;             // translated, under the form
    std::string recovery_key;      // shown once after creating, until acknowledged
    bool replace_demo = false;     // the user ticked "replace the demo data"
    std::string done;              // translated confirmation ("passphrase changed")
    bool opening = false;          // unlocked: the workspace is being read, a slice per frame
    double progress = 0;           // of its pages read
};

// Backup and restore: the chosen file, its preview once opened, the user's confirmation.
struct BackupForm {
    bool restoring = false;         // the restore panel is open (waiting for or showing a file)
    std::string file_name;
    std::vector<uint8_t> file;
    std::optional<BackupPreview> preview;
    std::string secret;
    bool confirmed = false;         // ticked "replace the workspace on this device"
    std::string error, done;        // translated
};

// Team sync (screen_sync.cpp): the location being edited, the job in flight, what the
// last job of this session brought.
struct SyncForm {
    bool loaded = false;  // the fields below were read from the workspace's settings
    std::string kind = "http", url, token, user, password;  // the location (sync.remote)
    std::string folder;             // kind folder: the chosen folder's name (its handle stays on the page)
    bool folder_picker = false;     // the browser can pick a folder (showDirectoryPicker)
    std::optional<sync::Team> joining;  // kind file: the invite typed, waiting for the team's file
    bool send_after = false;        // kind file: download the sync file when the job ends
    std::string error_code;         // the last failure's code (err.sync.folder_permission: offer to allow)
    std::string notice;             // translated: what the last file action did
    int files_picked = 0;           // sync files chosen in this session (tests wait on it)
    std::string qr_for;             // the invite the QR matrix below was made for
    std::optional<sync::QrMatrix> qr;
    std::string invite;                                     // typed to join a team
    std::string team_invite;                                // this team's code, once in one
    bool auto_sync = true;
    bool edit_location = false;
    std::optional<sync::Job<sync::SyncOutcome>> job;
    std::string remote;                        // the location the job runs against (JSON)
    std::optional<sync::SyncOutcome> last;     // the last finished job of this session
    std::string last_ok_at;                    // the last completed round ever
    int64_t unsent = 0;
    int jobs_done = 0;                         // finished jobs of this session (tests wait on it)
    int64_t last_started_ms = 0;               // when the last job started (workspace clock)
    std::string error;                         // translated: the last job's failure
};

struct AppContext {
    std::unique_ptr<Workspace> workspace;
    Translations tr_en, tr_zh;
    std::string lang = "zh-CN";
    HostServices host;
    Route route;
    ThemeKind theme = ThemeKind::Light;
    float text_size = 16.0f;
    bool fonts_dirty = false;
    bool demo = false;
    StartInfo start;
    bool wide = true;      // list and detail side by side, navigation rail on the left
    CustomerList customers;
    CustomerPage customer_page;  // what the customer page shows, re-read when data changes
    TodayPage today_page;        // what Today shows, the same way
    bool open_status_next = false;  // the list's context menu asked for the status dialog
    std::string row_menu, row_menu_phone;  // the list row whose menu is open; its first phone
    std::vector<std::string> detail_sections;  // the customer page's section titles drawn (tests)
    NewCustomerForm new_customer;
    LogForm log_form;
    StatusForm status_form;
    TagForm tag_form;
    ViewsForm views_form;
    MergeForm merge_form;
    EditForm edit_form;
    ContactForm contact_form;
    ImportForm import_form;
    ExportForm export_form;
    SyncForm sync;
    std::string pick_purpose;  // "import" / "sync" while the file picker was opened for that
    size_t detail_duplicates = 0, merge_fields = 0;  // for tests
    std::string active_view;   // the saved view last applied to the list, '' = none
    // A filter chip's choices, read when its list is opened, not on every frame.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> filter_choices;
    // What the customer page shows, for tests: its status, tag names, conflict hints.
    std::string detail_status;
    std::vector<std::string> detail_tags, tag_hints;
    size_t detail_interactions = 0, detail_contacts = 0;
    size_t proposed_tags = 0;
    SecurityForm security;
    int autolock_minutes = 15;             // 0 = never; a workspace setting
    BackupForm backup;
    int backup_remind_days = 7;            // 0 = never; a workspace setting
    std::string last_backup_at;            // a workspace setting, '' = never
    std::string index_error;               // writing an import's queued derived data failed (translated)
    std::vector<std::string> form_errors;  // "code field" of the form on screen, for tests
    size_t form_duplicates = 0;

    const Translations& tr_table() const { return lang == "en" ? tr_en : tr_zh; }
    std::string tr(std::string_view key) const { return tr_table().tr(key); }
    // tr() with {name} placeholders filled.
    std::string trf(std::string_view key, std::initializer_list<std::pair<const char*, std::string>> params) const;
    std::string message(const Error& e) const { return tr_table().message(e); }
    void go(Route r);      // navigate from inside the app (pushes a browser history entry)
    bool has_unsaved_edits() const;  // a form holds a draft that is not saved
    // Switches to another open workspace (after unlock or create), or to none (locked).
    void set_workspace(std::unique_ptr<Workspace> ws);
    void lock();           // closes the workspace; the unlock screen follows
};

// Screens (one file each).
void draw_today(AppContext& ctx);
void draw_customers(AppContext& ctx);
void draw_customer_detail(AppContext& ctx, const std::string& id);
void draw_new_customer(AppContext& ctx);
void draw_log_interaction(AppContext& ctx, const std::string& customer_id);  // screen_log_interaction.cpp
void draw_log_pick(AppContext& ctx);            // which customer, from Today
void open_status_dialog(AppContext& ctx);       // customer_actions.cpp
void draw_status_dialog(AppContext& ctx, const Customer& customer);
void draw_customer_tags(AppContext& ctx, const std::string& customer_id);
void draw_tag_library(AppContext& ctx);
std::string tag_name(const AppContext& ctx, const Tag& tag);  // in the UI's language         // Settings: approve or reject proposed tags
void draw_filter_chips(AppContext& ctx);        // customer_filters.cpp
void draw_merge(AppContext& ctx, const std::string& survivor_id, const std::string& absorbed_id);
void draw_edit_customer(AppContext& ctx, const std::string& id);  // record_form.cpp
void draw_add_contact(AppContext& ctx, const std::string& customer_id);
void draw_edit_contact(AppContext& ctx, const std::string& customer_id, const std::string& contact_id);
void draw_import(AppContext& ctx);              // screen_import.cpp
void index_catch_up(AppContext& ctx);           // a slice of an import's queued derived data, per frame
void draw_index_banner(AppContext& ctx);        // above every screen while search catches up
void draw_sync_settings(AppContext& ctx);       // screen_sync.cpp: team sync in Settings
void sync_answered(AppContext& ctx, sync::RemoteAnswer answer);
void sync_auto(AppContext& ctx, bool back_online);
void sync_place_answered(AppContext& ctx, std::string_view json);
void sync_file_picked(AppContext& ctx, const std::vector<uint8_t>& bytes);  // "load changes", or joining by file
void open_export_dialog(AppContext& ctx);       // customer_export.cpp
void draw_export_dialog(AppContext& ctx);
void import_file_picked(AppContext& ctx, const std::string& name, const std::vector<uint8_t>& bytes);
// A record's editable fields from its metadata (record_form.cpp); draft_fields turns the
// draft into what draft_errors and the write path take.
void draw_record_fields(AppContext& ctx, const TableMeta& table, Row& draft, const std::vector<Error>& errors,
                        float width, std::initializer_list<const char*> skip);
std::vector<FieldValue> draft_fields(const Row& draft);
void draw_unlock(AppContext& ctx);              // screen_security.cpp
void draw_workspace_security(AppContext& ctx);  // the Settings section
void draw_recovery_key(AppContext& ctx);        // shown once, over everything
void draw_settings(AppContext& ctx);
// A row of choices for a number kept as a workspace setting (auto-lock minutes, backup
// reminder days): the chosen one is saved at once and mirrored in *value.
void number_setting(AppContext& ctx, const char* title_key, const char* setting, int* value,
                    std::initializer_list<std::pair<int, const char*>> options);
void draw_backup_settings(AppContext& ctx);     // screen_backup.cpp: the Settings section
void draw_restore(AppContext& ctx);             // the restore panel (Settings, blocked screen)
void draw_backup_reminder(AppContext& ctx);     // Today: no backup for too long
void draw_storage_banner(AppContext& ctx);      // above every screen: not saved, nearly full
int near_quota_percent(const StorageInfo& info);  // the banner's percentage, 0 = no warning

}  // namespace crm::ui
