// Settings: language, theme, text size, and what this workspace is.
#include <imgui.h>

#include <cstdlib>

#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

// A row of mutually exclusive choices drawn as buttons, the chosen one in the accent colour.
template <class T>
bool choice(const AppContext& c, const char* title_key, T* value,
            std::initializer_list<std::pair<T, const char*>> options) {
    section_title(c.tr(title_key).c_str());
    bool changed = false;
    bool first = true;
    for (const auto& [v, key] : options) {
        if (!first) ImGui::SameLine();
        first = false;
        std::string label = c.tr(key);
        bool selected = *value == v;
        if (selected ? primary_button(label.c_str(), ImVec2(140, 0)) : ImGui::Button(label.c_str(), ImVec2(140, kTouchTarget))) {
            changed = *value != v;
            *value = v;
        }
    }
    return changed;
}

}  // namespace

void number_setting(AppContext& c, const char* title_key, const char* setting, int* value,
                    std::initializer_list<std::pair<int, const char*>> options) {
    std::vector<std::pair<std::string, std::string>> chips;
    for (const auto& [n, key] : options) chips.emplace_back(std::to_string(n), c.tr(key));
    std::string code = std::to_string(*value);
    if (chip_choice(c.tr(title_key).c_str(), &code, chips) && c.workspace->set_setting(setting, code))
        *value = std::atoi(code.c_str());
}

void draw_settings(AppContext& c) {
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("settings.title").c_str());
    ImGui::SetWindowFontScale(1.0f);

    std::string lang = c.lang;
    if (choice<std::string>(c, "settings.language", &lang, {{"zh-CN", "lang.zh-CN"}, {"en", "lang.en"}})) {
        c.lang = lang;
        if (c.host.save_preference) c.host.save_preference("crm.lang", c.lang);
    }
    if (choice<ThemeKind>(c, "settings.theme", &c.theme,
                          {{ThemeKind::Light, "settings.theme.light"}, {ThemeKind::Dark, "settings.theme.dark"}}))
        theme_apply(c.theme);
    if (choice<float>(c, "settings.text_size", &c.text_size,
                      {{16.0f, "settings.text_size.normal"}, {19.0f, "settings.text_size.large"}}))
        c.fonts_dirty = true;

    // Wide screens: the workspace's protection and its backups side by side, both in view.
    // The columns take their content's height, so the whole screen scrolls as one.
    const bool two_columns = ImGui::GetContentRegionAvail().x >= 1000.0f;
    const float column_w = (ImGui::GetContentRegionAvail().x - 24) * 0.5f;
    if (two_columns) ImGui::BeginChild("settings_workspace", ImVec2(column_w, 0), ImGuiChildFlags_AutoResizeY);
    section_title(c.tr("settings.workspace").c_str());
    muted_text(c.trf("settings.device", {{"code", c.workspace->device().device_code},
                                         {"user", c.workspace->device().user}}).c_str());
    draw_workspace_security(c);
    if (two_columns) {
        ImGui::EndChild();
        ImGui::SameLine(0, 24);
        ImGui::BeginChild("settings_backup", ImVec2(column_w, 0), ImGuiChildFlags_AutoResizeY);
    }
    draw_backup_settings(c);
    draw_tag_library(c);
    if (two_columns) ImGui::EndChild();
    draw_sync_settings(c);
}

}  // namespace crm::ui
