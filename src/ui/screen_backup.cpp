// Keeping the workspace safe beyond this device: downloading a backup, restoring one (the
// file, then its passphrase, then a preview of what it holds, then an explicit "replace"),
// the reminder when no backup was made for too long, and the device's storage: usage,
// quota, persistence, and a banner when saving fails or space runs out.
// The files themselves are the vault's (store/backup.h), reached through the host.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/clock.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {


std::string format_bytes(double bytes) {
    static const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
    return text;
}

// A stored time as the user reads it, in their time zone (the restore panel also shows on
// the blocked screen, where no workspace is open).
std::string format_when(const AppContext& c, const std::string& iso) {
    static const SystemClock device_clock;
    const Clock& clock = c.workspace ? c.workspace->clock() : static_cast<const Clock&>(device_clock);
    return clock.local_minute(iso);
}

// Whole days since the last backup; -1 when there never was one.
int64_t days_since_backup(const AppContext& c) {
    auto last = parse_iso_ms(c.last_backup_at);
    if (!last) return -1;
    return std::max<int64_t>(0, (c.workspace->clock().now_ms() - *last) / 86400000);
}

// The backup is made after noting its time, so the file records when it was made and a
// restored workspace knows its last backup.
void download_backup(AppContext& c) {
    BackupForm& b = c.backup;
    b.error.clear();
    b.done.clear();
    const std::string now = c.workspace->now_iso();
    if (Status s = c.workspace->set_setting("last_backup_at", now); !s) {
        b.error = c.message(s.error());
        return;
    }
    c.last_backup_at = now;
    auto file = c.host.make_backup();
    if (!file) {
        b.error = c.message(file.error());
        return;
    }
    const std::string name = "crm-backup-" + c.workspace->today() + ".crmbackup";
    c.host.download(name, *file);
    b.done = c.trf("backup.downloaded", {{"name", name}});
}

void replace_with_backup(AppContext& c) {
    BackupForm b = std::move(c.backup);  // closing the workspace below resets the form
    const std::string when = format_when(c, b.preview->created_at);
    bool demo = false;
    c.set_workspace(nullptr);  // the connection closes before its vault goes
    auto ws = c.host.restore_backup(b.file, b.secret, &demo);
    if (!ws) {
        // The backup opened in the preview, so this is the device's storage failing: the
        // app says so instead of showing a half-opened workspace.
        c.start.blocked = ws.error();
        return;
    }
    c.start.blocked.reset();
    c.demo = demo;
    c.security = SecurityForm{};
    c.set_workspace(std::move(*ws));
    c.backup.done = c.trf("backup.restored", {{"when", when}});
    c.go(Route{Screen::Today, {}});
}

}  // namespace

int near_quota_percent(const StorageInfo& info) {
    constexpr double kNearQuota = 0.8;  // warn from 80 % of the quota on
    if (info.quota <= 0 || info.usage / info.quota < kNearQuota) return 0;
    return static_cast<int>(info.usage / info.quota * 100);
}

void draw_backup_settings(AppContext& c) {
    BackupForm& b = c.backup;
    ImGui::PushTextWrapPos(0.0f);
    section_title(c.tr("backup.title").c_str());
    muted_text(c.tr(c.demo ? "backup.demo_hint" : "backup.hint").c_str());
    if (c.last_backup_at.empty()) ImGui::TextUnformatted(c.tr("backup.never").c_str());
    else ImGui::TextUnformatted(c.trf("backup.last", {{"when", format_when(c, c.last_backup_at)}}).c_str());
    const bool can_backup = c.host.make_backup && c.host.download;
    ImGui::BeginDisabled(!can_backup);
    if (primary_button(c.tr("backup.download").c_str(), ImVec2(240, 0))) download_backup(c);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!c.host.pick_file);
    if (ImGui::Button(c.tr("backup.restore").c_str(), ImVec2(240, kTouchTarget))) {
        b = BackupForm{};
        b.restoring = true;
        c.pick_purpose.clear();
        c.host.pick_file(".crmbackup");
    }
    ImGui::EndDisabled();
    if (!b.done.empty()) ImGui::TextColored(palette().success, "%s", b.done.c_str());
    if (!b.restoring && !b.error.empty()) field_error(b.error.c_str());
    if (b.restoring) draw_restore(c);

    if (!c.demo) {
        number_setting(c, "backup.remind_after", "backup_remind_days", &c.backup_remind_days,
                       {{7, "backup.remind.7"}, {30, "backup.remind.30"}, {0, "backup.remind.never"}});
    }

    if (c.host.storage_info) {
        const StorageInfo info = c.host.storage_info();
        section_title(c.tr("storage.title").c_str());
        if (info.quota > 0)
            ImGui::TextUnformatted(c.trf("storage.usage", {{"used", format_bytes(info.usage)},
                                                           {"quota", format_bytes(info.quota)}}).c_str());
        muted_text(c.tr(info.persisted ? "storage.persistent" : "storage.not_persistent").c_str());
    }
    ImGui::PopTextWrapPos();
}

void draw_restore(AppContext& c) {
    BackupForm& b = c.backup;
    const float w = std::min(ImGui::GetContentRegionAvail().x, 520.0f);
    section_title(c.tr("backup.restore_title").c_str());
    if (!b.file_name.empty() && b.preview) {
        const char* key = b.preview->kind == "demo" ? "backup.file_demo" : "backup.file";
        ImGui::TextUnformatted(c.trf(key, {{"name", b.file_name}, {"when", format_when(c, b.preview->created_at)}}).c_str());
        if (!b.preview->summary) {
            muted_text(c.tr("backup.secret_hint").c_str());
            const bool submit = password_field(c.tr("security.passphrase").c_str(), &b.secret, w);
            if (primary_button(c.tr("backup.open").c_str(), ImVec2(w, 0)) || submit) {
                auto opened = c.host.preview_backup(b.file, b.secret);
                if (opened) {
                    b.preview = std::move(*opened);
                    b.error.clear();
                } else {
                    b.error = c.message(opened.error());
                    b.secret.clear();
                }
            }
        } else {
            const WorkspaceSummary& s = *b.preview->summary;
            ImGui::TextUnformatted(c.trf("backup.preview", {{"customers", std::to_string(s.customers)},
                                                            {"contacts", std::to_string(s.contacts)},
                                                            {"interactions", std::to_string(s.interactions)},
                                                            {"last", format_when(c, s.last_change)}}).c_str());
            ImGui::TextColored(palette().warning, "%s", c.tr("backup.replace_warning").c_str());
            ImGui::Checkbox(c.tr("backup.confirm").c_str(), &b.confirmed);
            ImGui::BeginDisabled(!b.confirmed || !c.host.restore_backup);
            const bool replace = danger_button(c.tr("backup.replace").c_str(), ImVec2(w, 0));
            ImGui::EndDisabled();
            if (replace) {
                replace_with_backup(c);  // the form is gone after this
                return;
            }
        }
    } else if (ImGui::Button(c.tr("backup.restore").c_str(), ImVec2(240, kTouchTarget))) {
        c.host.pick_file(".crmbackup");
    }
    if (!b.error.empty()) field_error(b.error.c_str());
    if (ImGui::Button(c.tr("backup.cancel").c_str(), ImVec2(160, kTouchTarget))) b = BackupForm{};
}

void draw_backup_reminder(AppContext& c) {
    if (!c.backup.done.empty()) ImGui::TextColored(palette().success, "%s", c.backup.done.c_str());
    if (c.demo || c.backup_remind_days <= 0 || !c.host.make_backup) return;
    const int64_t days = days_since_backup(c);
    if (days >= 0 && days < c.backup_remind_days) return;
    const std::string text = days < 0 ? c.tr("backup.reminder_never")
                                      : c.trf("backup.reminder", {{"days", std::to_string(days)}});
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(palette().warning, "%s", text.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(c.tr("backup.reminder_action").c_str(), ImVec2(0, kTouchTarget))) download_backup(c);
}

void draw_storage_banner(AppContext& c) {
    if (!c.host.save_status) return;
    const SaveState s = c.host.save_status();
    ImGui::PushTextWrapPos(0.0f);
    if (s.state == "error") {
        const std::string text = s.error == "QuotaExceededError" ? c.tr("save.quota")
                                                                 : c.trf("save.failed", {{"error", s.error}});
        ImGui::TextColored(palette().danger, "%s", text.c_str());
        if (c.host.retry_save && ImGui::Button(c.tr("save.retry").c_str(), ImVec2(160, kTouchTarget)))
            c.host.retry_save();
        ImGui::Separator();
    } else if (c.host.storage_info) {
        if (const int percent = near_quota_percent(c.host.storage_info()); percent > 0) {
            ImGui::TextColored(palette().warning, "%s",
                               c.trf("storage.near_quota", {{"percent", std::to_string(percent)}}).c_str());
            ImGui::Separator();
        }
    }
    ImGui::PopTextWrapPos();
}

}  // namespace crm::ui
