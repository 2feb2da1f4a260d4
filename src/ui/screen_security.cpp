// The workspace's protection: the unlock screen (passphrase or recovery key), creating an
// encrypted workspace in place of the demo (passphrase twice, a strength hint, then the
// recovery key shown once), and locking. The cryptography is the vault's (store/vault.h),
// reached through the host's services.
#include <imgui.h>

#include <algorithm>

#include "core/validate.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

// A new passphrase typed twice, with the strength hint and the mismatch message.
void passphrase_pair(const AppContext& c, SecurityForm& f, float w) {
    password_field(c.tr("security.new_passphrase").c_str(), &f.passphrase, w);
    if (!f.passphrase.empty()) {
        static const char* kStrength[] = {"security.strength.weak", "security.strength.fair", "security.strength.strong"};
        const int s = passphrase_strength(f.passphrase);
        const ImVec4 colour = s == 0 ? palette().danger : s == 1 ? palette().warning : palette().success;
        ImGui::TextColored(colour, "%s", c.tr(kStrength[s]).c_str());
    }
    password_field(c.tr("security.confirm_passphrase").c_str(), &f.confirm, w);
    if (!f.confirm.empty() && f.passphrase != f.confirm) field_error(c.tr("security.mismatch").c_str());
}

// Centers a column of the given width in the current window.
void begin_column(float width, float top) {
    const float avail = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPos(ImVec2(std::max((avail - width) * 0.5f, 0.0f), top));
    ImGui::BeginGroup();
}

// After the unlock: one slice of the workspace's pages per frame, under a progress bar (a
// big workspace takes seconds to decrypt and check).
void continue_opening(AppContext& c, float w) {
    SecurityForm& f = c.security;
    auto step = c.host.open_step ? c.host.open_step() : Result<OpenProgress>(make_error("err.vault.empty"));
    if (!step) {
        f.opening = false;
        f.error = c.message(step.error());
        f.secret.clear();
        return;
    }
    if (step->workspace) {
        const std::string error = f.error;  // a failed create says why after the reopen
        f = SecurityForm{};
        f.error = error;
        c.demo = step->demo;
        c.set_workspace(std::move(step->workspace));
        return;
    }
    f.progress = step->fraction;
    ImGui::ProgressBar(static_cast<float>(f.progress), ImVec2(w, 0), "");
    muted_text(c.trf("security.opening", {{"percent", std::to_string(int(f.progress * 100))}}).c_str());
}

}  // namespace

void draw_unlock(AppContext& c) {
    SecurityForm& f = c.security;
    begin_full_screen("##unlock", 60);
    const float w = std::min(ImGui::GetIO().DisplaySize.x - 48, 420.0f);
    begin_column(w, 64);
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("security.unlock_title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    muted_text(c.tr("security.unlock_hint").c_str());
    ImGui::Spacing();
    if (f.opening) {
        continue_opening(c, w);
        ImGui::PopTextWrapPos();
        ImGui::EndGroup();
        ImGui::End();
        return;
    }
    bool submit = password_field(c.tr("security.passphrase").c_str(), &f.secret, w);
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::Spacing();
    if (primary_button(c.tr("security.unlock").c_str(), ImVec2(w, 0)) || submit) {
        // Argon2id takes a fraction of a second: the button's frame simply waits for it.
        Status s = c.host.unlock ? c.host.unlock(f.secret) : Status(make_error("err.vault.empty"));
        f.error = s ? "" : c.message(s.error());
        f.opening = bool(s);
        if (!s) f.secret.clear();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::End();
}

void draw_workspace_security(AppContext& c) {
    SecurityForm& f = c.security;
    const float w = std::min(ImGui::GetContentRegionAvail().x, 420.0f);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(w, 560.0f));
    if (!c.demo) {
        muted_text(c.tr("security.encrypted_notice").c_str());
        if (ImGui::Button(c.tr("security.lock_now").c_str(), ImVec2(200, kTouchTarget))) {
            c.lock();
            ImGui::PopTextWrapPos();
            return;
        }
        // Auto-lock after this long without a tap or a key (a workspace setting).
        number_setting(c, "security.autolock", "autolock_minutes", &c.autolock_minutes,
                       {{5, "security.autolock.5"}, {15, "security.autolock.15"}, {60, "security.autolock.60"},
                        {0, "security.autolock.never"}});
        // Changing the passphrase re-wraps the key; the data is not re-encrypted.
        section_title(c.tr("security.change_title").c_str());
        passphrase_pair(c, f, w);
        const bool matches = !f.passphrase.empty() && f.passphrase == f.confirm;
        if (!f.error.empty()) field_error(f.error.c_str());
        if (!f.done.empty()) ImGui::TextColored(palette().success, "%s", f.done.c_str());
        ImGui::BeginDisabled(!matches || !c.host.change_passphrase);
        if (primary_button(c.tr("security.change").c_str(), ImVec2(w, 0))) {
            Status s = c.host.change_passphrase(f.passphrase);
            f = SecurityForm{};
            if (s) f.done = c.tr("security.changed");
            else f.error = c.message(s.error());
        }
        ImGui::EndDisabled();
        ImGui::PopTextWrapPos();
        return;
    }
    muted_text(c.tr("settings.demo_notice").c_str());
    section_title(c.tr("security.create_title").c_str());
    muted_text(c.tr("security.create_hint").c_str());
    passphrase_pair(c, f, w);
    const bool matches = !f.passphrase.empty() && f.passphrase == f.confirm;
    ImGui::Checkbox(c.tr("security.replace_demo").c_str(), &f.replace_demo);
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::BeginDisabled(!matches || !f.replace_demo || !c.host.create_encrypted);
    if (primary_button(c.tr("security.create").c_str(), ImVec2(w, 0))) {
        std::string recovery;
        c.set_workspace(nullptr);  // the demo's connection closes before its vault is replaced
        auto ws = c.host.create_encrypted(f.passphrase, &recovery);
        if (ws) {
            f = SecurityForm{};
            f.recovery_key = recovery;
            c.demo = false;
            c.set_workspace(std::move(*ws));
        } else {
            f.error = c.message(ws.error());
            // Reopen whatever the device still holds (the unlock screen shows its progress).
            if (c.host.unlock && c.host.unlock("")) f.opening = true;
        }
    }
    ImGui::EndDisabled();
    ImGui::PopTextWrapPos();
}

void draw_recovery_key(AppContext& c) {
    begin_full_screen("##recovery", 60);
    const float w = std::min(ImGui::GetIO().DisplaySize.x - 48, 560.0f);
    begin_column(w, 64);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("security.recovery_title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::TextWrapped("%s", c.tr("security.recovery_hint").c_str());
    ImGui::Spacing();
    ImGui::SetWindowFontScale(1.4f);
    ImGui::TextColored(palette().accent, "%s", c.security.recovery_key.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Spacing();
    if (ImGui::Button(c.tr("security.copy").c_str(), ImVec2(160, kTouchTarget)))
        ImGui::SetClipboardText(c.security.recovery_key.c_str());
    ImGui::SameLine();
    if (primary_button(c.tr("security.written_down").c_str(), ImVec2(w - 176, 0))) c.security.recovery_key.clear();
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::End();
}

}  // namespace crm::ui
