// [SECTION] Routes
// [SECTION] App: construction, preferences
// [SECTION] Frame: top bar, navigation, screen
#include "ui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/interactions.h"
#include "platform/embedded.h"
#include "ui/app_context.h"
#include "ui/input.h"
#include "ui/widgets.h"

namespace crm::ui {

// [SECTION] Routes ---------------------------------------------------------------------------
Route parse_route(std::string_view hash) {
    if (hash.rfind("#", 0) == 0) hash.remove_prefix(1);
    if (hash.rfind("/", 0) == 0) hash.remove_prefix(1);
    Route r;
    if (hash == "customers/new") {
        r.screen = Screen::NewCustomer;
    } else if (hash == "log") {
        r.screen = Screen::LogPick;
    } else if (hash == "import") {
        r.screen = Screen::Import;
    } else if (hash.rfind("customers/", 0) == 0 && hash.size() > 10) {
        std::string_view id = hash.substr(10);
        r.screen = Screen::Customer;
        if (id.size() > 4 && id.substr(id.size() - 4) == "/log") {
            r.screen = Screen::LogInteraction;
            id.remove_suffix(4);
        } else if (id.size() > 5 && id.substr(id.size() - 5) == "/edit") {
            r.screen = Screen::EditCustomer;
            id.remove_suffix(5);
        } else if (id.size() > 12 && id.substr(id.size() - 12) == "/contact/new") {
            r.screen = Screen::AddContact;
            id.remove_suffix(12);
        } else if (size_t m = id.find("/contact/"); m != std::string_view::npos && m + 9 < id.size()) {
            r.screen = Screen::EditContact;
            r.other_id = std::string(id.substr(m + 9));
            id = id.substr(0, m);
        } else if (size_t m = id.find("/merge/"); m != std::string_view::npos) {
            r.screen = Screen::Merge;
            r.other_id = std::string(id.substr(m + 7));
            id = id.substr(0, m);
        }
        r.customer_id = std::string(id);
    } else if (hash.rfind("customers", 0) == 0) {
        r.screen = Screen::Customers;
    } else if (hash.rfind("settings", 0) == 0) {
        r.screen = Screen::Settings;
    }
    return r;
}

std::string format_route(const Route& r) {
    switch (r.screen) {
        case Screen::Customers: return "#/customers";
        case Screen::Customer: return "#/customers/" + r.customer_id;
        case Screen::NewCustomer: return "#/customers/new";
        case Screen::LogInteraction: return "#/customers/" + r.customer_id + "/log";
        case Screen::EditCustomer: return "#/customers/" + r.customer_id + "/edit";
        case Screen::AddContact: return "#/customers/" + r.customer_id + "/contact/new";
        case Screen::EditContact: return "#/customers/" + r.customer_id + "/contact/" + r.other_id;
        case Screen::LogPick: return "#/log";
        case Screen::Import: return "#/import";
        case Screen::Merge: return "#/customers/" + r.customer_id + "/merge/" + r.other_id;
        case Screen::Settings: return "#/settings";
        default: return "#/today";
    }
}

std::string AppContext::trf(std::string_view key, std::initializer_list<std::pair<const char*, std::string>> params) const {
    return fill_placeholders(tr(key), {params.begin(), params.end()});
}

void AppContext::set_workspace(std::unique_ptr<Workspace> ws) {
    const bool folder_picker = sync.folder_picker;  // the browser's, not the workspace's
    sync = SyncForm{};           // a job in flight holds the old workspace: it goes first
    sync.folder_picker = folder_picker;
    customers = CustomerList{};  // a running query's statement goes before its connection
    workspace = std::move(ws);
    customer_page.forget();
    today_page.forget();
    new_customer = NewCustomerForm{};
    log_form = LogForm{};
    status_form = StatusForm{};
    tag_form = TagForm{};
    views_form = ViewsForm{};
    merge_form = MergeForm{};
    edit_form = EditForm{};
    contact_form = ContactForm{};
    import_form = ImportForm{};
    export_form = ExportForm{};
    active_view.clear();
    filter_choices.clear();
    backup = BackupForm{};
    if (!workspace) return;
    customers.attach(workspace.get());
    autolock_minutes = 15;
    if (auto v = workspace->setting("autolock_minutes"); v && *v) autolock_minutes = std::atoi((*v)->c_str());
    backup_remind_days = 7;
    if (auto v = workspace->setting("backup_remind_days"); v && *v) backup_remind_days = std::atoi((*v)->c_str());
    last_backup_at.clear();
    if (auto v = workspace->setting("last_backup_at"); v && *v) last_backup_at = **v;
}

void AppContext::lock() {
    set_workspace(nullptr);  // the connection closes before the vault goes
    security = SecurityForm{};
    if (host.lock) host.lock();
}

bool App::lock_if_idle(double idle_ms) {
    AppContext& c = *ctx_;
    if (!c.workspace || c.demo || c.autolock_minutes <= 0) return false;
    if (idle_ms < c.autolock_minutes * 60000.0) return false;
    c.lock();
    return true;
}

// Drafts stay in memory while the user moves around the app; only leaving the page (reload,
// closing the tab) would lose them, and the page asks first then (web/crm.js).
bool AppContext::has_unsaved_edits() const {
    const NewCustomerForm& n = new_customer;
    if (!(n.name + n.industry + n.source + n.contact_name + n.mobile + n.email).empty()) return true;
    if (!(log_form.summary + log_form.next_action + log_form.next_due).empty()) return true;
    if (contact_form.unsaved()) return true;
    return !edit_form.changed().empty();
}

bool App::has_unsaved_edits() const { return ctx_->has_unsaved_edits(); }

void AppContext::go(Route r) {
    route = std::move(r);
    if (host.push_route) host.push_route(format_route(route), false);
}

// [SECTION] App: construction, preferences -----------------------------------------------------
App::App(std::unique_ptr<Workspace> workspace, std::string lang, std::string_view initial_route,
         HostServices host, StartInfo start)
    : ctx_(std::make_unique<AppContext>()) {
    AppContext& c = *ctx_;
    c.lang = lang == "en" ? "en" : "zh-CN";
    c.host = std::move(host);
    c.demo = start.demo;
    c.start = std::move(start);
    std::vector<std::string> en, zh;
    for (int i = 0; i < platform::kTranslationFiles_count; ++i) {
        std::string_view name = platform::kTranslationFiles[i].name;
        if (name.rfind("en/", 0) == 0) en.emplace_back(platform::kTranslationFiles[i].text);
        if (name.rfind("zh-CN/", 0) == 0) zh.emplace_back(platform::kTranslationFiles[i].text);
    }
    (void)c.tr_en.load_from_strings("en", en);
    (void)c.tr_zh.load_from_strings("zh-CN", zh);
    c.route = parse_route(initial_route);
    if (c.host.push_route) c.host.push_route(format_route(c.route), true);
    theme_apply(c.theme);
    c.set_workspace(std::move(workspace));
}

App::~App() = default;

void App::file_picked(const std::string& name, std::vector<uint8_t> bytes) {
    AppContext& c = *ctx_;
    if (c.pick_purpose == "sync") {
        c.pick_purpose.clear();
        if (c.workspace) sync_file_picked(c, bytes);
        return;
    }
    if (c.pick_purpose == "import") {
        c.pick_purpose.clear();
        if (c.workspace) import_file_picked(c, name, bytes);
        return;
    }
    BackupForm& b = c.backup;
    b = BackupForm{};
    b.restoring = true;
    b.file_name = name;
    b.file = std::move(bytes);
    if (!c.host.preview_backup) return;
    auto preview = c.host.preview_backup(b.file, "");  // a demo backup opens without a secret
    if (preview) b.preview = std::move(*preview);
    else b.error = c.message(preview.error());
}

void App::remote_answered(sync::RemoteAnswer answer) { sync_answered(*ctx_, std::move(answer)); }
void App::auto_sync(bool back_online) { sync_auto(*ctx_, back_online); }
void App::sync_place_done(std::string_view json) { sync_place_answered(*ctx_, json); }

std::string App::integrity_check() {
    AppContext& c = *ctx_;
    if (!c.workspace) return "no workspace";
    auto r = c.workspace->db().integrity_check();
    return r ? *r : r.error().code;
}

Status App::test_edit() {
    AppContext& c = *ctx_;
    if (!c.workspace) return make_error("err.vault.empty");
    if (Status s = c.customers.refresh(1e9); !s) return s;  // the whole answer, now
    const Customer* first = c.customers.size() ? c.customers.at(0) : nullptr;
    if (!first) return make_error("err.record.not_found");
    auto id = log_interaction(*c.workspace, first->id, {{"method", "phone"}, {"summary", "test edit"}});
    if (!id) return id.error();
    c.customers.invalidate();
    return {};
}

void App::navigate(std::string_view route, bool) { ctx_->route = parse_route(route); }
// A running import steps once per frame, so does the derived data it queued (search
// catching up), and a search of the customers list runs a few ms per frame on the screens
// that show it: all ask for frames until they are done.
bool App::animating() const {
    const Screen on = ctx_->route.screen;
    const bool list_shown = on == Screen::Customers || on == Screen::Today || on == Screen::LogPick;
    const bool indexing = ctx_->workspace && ctx_->workspace->derived_queued() > 0 && ctx_->index_error.empty();
    return ctx_->import_form.step == ImportForm::Running || (list_shown && ctx_->customers.searching()) ||
           ctx_->security.opening || indexing;
}
float App::text_size() const { return ctx_->text_size; }
bool App::fonts_changed() {
    bool dirty = ctx_->fonts_dirty;
    ctx_->fonts_dirty = false;
    return dirty;
}

std::string App::state_json() const {
    const AppContext& c = *ctx_;
    const SaveState save = c.host.save_status ? c.host.save_status() : SaveState{};
    const StorageInfo storage = c.host.storage_info ? c.host.storage_info() : StorageInfo{};
    nlohmann::json j = {{"route", format_route(c.route)},
                        {"lang", c.lang},
                        {"theme", c.theme == ThemeKind::Dark ? "dark" : "light"},
                        {"textSize", c.text_size},
                        {"demo", c.demo},
                        {"created", c.start.created},
                        {"locked", !c.workspace && !c.start.blocked},
                        {"recoveryKey", c.security.recovery_key},
                        {"securityError", c.security.error},
                        {"securityDone", c.security.done},
                        {"autolock", c.autolock_minutes},
                        {"blocked", c.start.blocked ? c.start.blocked->code : ""},
                        {"blockedMessage", c.start.blocked ? c.message(*c.start.blocked) : ""},
                        {"save", save.state},
                        {"saveError", save.error},
                        {"savedSeq", save.saved_seq},
                        {"committedSeq", save.committed_seq},
                        {"storageUsage", storage.usage},
                        {"storageQuota", storage.quota},
                        {"persisted", storage.persisted},
                        {"storageWarning", near_quota_percent(storage)},
                        {"lastBackupAt", c.last_backup_at},
                        {"backupRemindDays", c.backup_remind_days},
                        {"backupFile", c.backup.file_name},
                        {"backupKind", c.backup.preview ? c.backup.preview->kind : ""},
                        {"backupCustomers", c.backup.preview && c.backup.preview->summary
                                                ? c.backup.preview->summary->customers : -1},
                        {"backupError", c.backup.error},
                        {"backupDone", c.backup.done},
                        {"search", c.customers.query()},
                        {"customersShown", c.customers.size()},
                        {"searching", c.customers.searching()},
                        {"customersTotal", c.customers.total()},
                        {"formErrors", c.form_errors},
                        {"filters", c.customers.filter().conditions.size()},
                        {"activeView", c.active_view},
                        {"unsaved", c.has_unsaved_edits()},
                        {"importStep", static_cast<int>(c.import_form.step)},
                        {"importError", c.import_form.error},
                        {"importCreate", c.import_form.plan ? c.import_form.plan->count(RowAction::Create) : 0},
                        {"importInvalid", c.import_form.plan ? c.import_form.plan->invalid() : 0},
                        {"importCreated", c.import_form.result ? c.import_form.result->created : 0},
                        {"importUndone", c.import_form.undo_done},
                        {"indexQueued", c.workspace ? c.workspace->derived_queued() : 0},
                        {"exportDone", c.export_form.done},
                        {"syncInvite", c.sync.team_invite},
                        {"syncRunning", c.sync.job.has_value()},
                        {"syncError", c.sync.error},
                        {"syncErrorCode", c.sync.error_code},
                        {"syncKind", c.sync.kind},
                        {"syncFolder", c.sync.folder},
                        {"syncFolderPicker", c.sync.folder_picker},
                        {"syncNotice", c.sync.notice},
                        {"syncFilesPicked", c.sync.files_picked},
                        {"syncQrSize", c.sync.qr ? c.sync.qr->size : 0},
                        {"syncLastOk", c.sync.last_ok_at},
                        {"syncUnsent", c.sync.unsent},
                        {"syncJobs", c.sync.jobs_done},
                        {"syncReceived", c.sync.last ? c.sync.last->report.messages_applied : 0},
                        {"syncOverwritten", c.sync.last ? c.sync.last->overwritten.size() : 0},
                        {"exportError", c.export_form.error},
                        {"detailStatus", c.detail_status},
                        {"detailDuplicates", c.detail_duplicates},
                        {"mergeFields", c.merge_fields},
                        {"detailTags", c.detail_tags},
                        {"detailInteractions", c.detail_interactions},
                        {"detailContacts", c.detail_contacts},
                        {"detailReads", c.customer_page.reads},
                        {"today", c.workspace ? c.workspace->today() : ""},
                        {"todayReads", c.today_page.reads},
                        {"todayStale", c.today_page.stale.size()},
                        {"todayDue", c.today_page.due.first.size()},
                        {"todayDueTotal", c.today_page.due.total},
                        {"detailKeyDates", c.customer_page.key_dates.size()},
                        {"detailConsents", c.customer_page.consents.size()},
                        {"detailHistory", c.customer_page.history.size()},
                        {"rowMenu", c.row_menu},
                        {"longPresses", touch_long_presses()},
                        {"detailSections", c.detail_sections},
                        {"detailContactList", [&] {
                             std::vector<std::string> out;
                             for (const Contact& ct : c.customer_page.contacts) out.push_back(ct.name + "|" + ct.title);
                             return out;
                         }()},
                        {"statusDialog", c.status_form.open},
                        {"contactError", c.contact_form.error},
                        {"tagHints", c.tag_hints},
                        {"proposedTags", c.proposed_tags},
                        {"statusError", c.status_form.error},
                        {"tagError", c.tag_form.error},
                        {"tagDone", c.tag_form.done},
                        {"formDuplicates", c.form_duplicates}};
    return j.dump();
}

// [SECTION] Frame: top bar, navigation, screen -------------------------------------------------
namespace {

constexpr float kTopBar = 60.0f;
constexpr float kRail = 200.0f;
constexpr float kBottomBar = 64.0f;

void draw_top_bar(AppContext& c, const ImVec2& size) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(size.x, kTopBar));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, palette().surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 8));
    ImGui::Begin("##topbar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(0, kTopBar - 1), ImVec2(size.x, kTopBar - 1), to_u32(palette().border));
    ImGui::SetCursorPosY((kTopBar - ImGui::GetFontSize() * 1.25f) * 0.5f);
    ImGui::SetWindowFontScale(1.25f);
    ImGui::TextColored(palette().accent, "%s", c.tr("app.name").c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (c.demo) {
        ImGui::SameLine(0, 16);
        ImGui::SetCursorPosY((kTopBar - ImGui::GetFrameHeight()) * 0.5f);
        badge(c.tr("demo.badge").c_str(), palette().warning);
    }
    std::string lang_label = c.tr("lang.switch");
    float w = ImGui::CalcTextSize(lang_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
    if (c.host.save_status) {
        // Unobtrusive: muted when saved, accent while saving, red with the reason on error.
        const SaveState save = c.host.save_status();
        const std::string& state = save.state;
        std::string text = c.tr("save." + state);
        ImVec4 colour = state == "error" ? palette().danger : state == "saving" ? palette().accent : palette().text_muted;
        float tw = ImGui::CalcTextSize(text.c_str()).x;
        ImGui::SameLine(size.x - w - 20 - tw - 24);
        ImGui::SetCursorPosY((kTopBar - ImGui::GetFontSize()) * 0.5f);
        ImGui::TextColored(colour, "%s", text.c_str());
        if (state == "error" && ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", c.trf("save.error_detail", {{"error", save.error}}).c_str());
    }
    ImGui::SameLine(size.x - w - 20);
    ImGui::SetCursorPosY((kTopBar - kTouchTarget) * 0.5f);
    if (ImGui::Button(lang_label.c_str(), ImVec2(0, kTouchTarget))) {
        c.lang = c.lang == "en" ? "zh-CN" : "en";
        if (c.host.save_preference) c.host.save_preference("crm.lang", c.lang);
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void draw_navigation(AppContext& c, const ImVec2& size) {
    struct Item { Screen screen; const char* key; };
    static const Item items[] = {{Screen::Today, "nav.today"}, {Screen::Customers, "nav.customers"},
                                 {Screen::Settings, "nav.settings"}};
    bool rail = c.wide;
    ImVec2 pos = rail ? ImVec2(0, kTopBar) : ImVec2(0, size.y - kBottomBar);
    ImVec2 dim = rail ? ImVec2(kRail, size.y - kTopBar) : ImVec2(size.x, kBottomBar);
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(dim);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, palette().surface);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, rail ? ImVec2(12, 16) : ImVec2(8, 8));
    ImGui::Begin("##nav", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (rail) dl->AddLine(ImVec2(kRail - 1, kTopBar), ImVec2(kRail - 1, size.y), to_u32(palette().border));
    else dl->AddLine(pos, ImVec2(size.x, pos.y), to_u32(palette().border));
    float item_w = rail ? ImGui::GetContentRegionAvail().x : (size.x - 16 - 2 * 8) / 3.0f;
    for (int i = 0; i < 3; ++i) {
        bool selected = c.route.screen == items[i].screen ||
                        (items[i].screen == Screen::Customers &&
                         (c.route.screen == Screen::Customer || c.route.screen == Screen::NewCustomer ||
                          c.route.screen == Screen::LogInteraction || c.route.screen == Screen::Merge ||
                          c.route.screen == Screen::EditCustomer || c.route.screen == Screen::Import ||
                          c.route.screen == Screen::AddContact || c.route.screen == Screen::EditContact)) ||
                        (items[i].screen == Screen::Today && c.route.screen == Screen::LogPick);
        if (!rail && i > 0) ImGui::SameLine(0, 8);
        if (nav_button(c.tr(items[i].key).c_str(), selected, ImVec2(item_w, rail ? 48.0f : kBottomBar - 16)))
            c.go(Route{items[i].screen, {}});
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

// The workspace could not be opened: say what is wrong and what to do, show no data.
void draw_blocked(AppContext& c, const ImVec2& size) {
    begin_full_screen("##blocked", kTopBar);
    const float w = std::min(size.x - 48, 640.0f);
    ImGui::SetCursorPos(ImVec2((size.x - w) * 0.5f, 48));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextColored(palette().danger, "%s", c.tr("blocked.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Spacing();
    ImGui::TextWrapped("%s", c.message(*c.start.blocked).c_str());
    ImGui::Spacing();
    ImGui::TextColored(palette().text_muted, "%s", c.tr("blocked.nothing_changed").c_str());
    ImGui::Spacing();
    if (c.backup.restoring) {
        draw_restore(c);
    } else if (c.host.pick_file && primary_button(c.tr("blocked.restore").c_str(), ImVec2(w, 0))) {
        c.backup = BackupForm{};
        c.backup.restoring = true;
        c.host.pick_file(".crmbackup");
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::End();
}

}  // namespace

void App::frame() {
    AppContext& c = *ctx_;
    ImVec2 size = ImGui::GetIO().DisplaySize;
    c.wide = size.x >= 900.0f;
    draw_top_bar(c, size);
    if (!c.workspace) {
        if (c.start.blocked) draw_blocked(c, size);
        else draw_unlock(c);
        return;
    }
    if (!c.security.recovery_key.empty()) {
        draw_recovery_key(c);
        return;
    }
    draw_navigation(c, size);
    index_catch_up(c);

    ImVec2 pos = c.wide ? ImVec2(kRail, kTopBar) : ImVec2(0, kTopBar);
    ImVec2 dim = c.wide ? ImVec2(size.x - kRail, size.y - kTopBar) : ImVec2(size.x, size.y - kTopBar - kBottomBar);
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(dim);
    ImGui::Begin("##screen", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    draw_storage_banner(c);
    draw_index_banner(c);
    switch (c.route.screen) {
        case Screen::Today: draw_today(c); break;
        case Screen::Customers: draw_customers(c); break;
        case Screen::Customer: draw_customer_detail(c, c.route.customer_id); break;
        case Screen::NewCustomer: draw_new_customer(c); break;
        case Screen::LogInteraction: draw_log_interaction(c, c.route.customer_id); break;
        case Screen::LogPick: draw_log_pick(c); break;
        case Screen::Import: draw_import(c); break;
        case Screen::EditCustomer: draw_edit_customer(c, c.route.customer_id); break;
        case Screen::AddContact: draw_add_contact(c, c.route.customer_id); break;
        case Screen::EditContact: draw_edit_contact(c, c.route.customer_id, c.route.other_id); break;
        case Screen::Merge: draw_merge(c, c.route.customer_id, c.route.other_id); break;
        case Screen::Settings: draw_settings(c); break;
    }
    ImGui::End();
}

}  // namespace crm::ui
