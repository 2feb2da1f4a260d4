#include "ui/theme.h"

#include <imgui_internal.h>

namespace crm::ui {
namespace {

ImVec4 rgb(unsigned hex, float a = 1.0f) {
    return ImVec4(((hex >> 16) & 0xFF) / 255.0f, ((hex >> 8) & 0xFF) / 255.0f, (hex & 0xFF) / 255.0f, a);
}

Palette current;

const Palette kLight = {rgb(0xF4F6F9), rgb(0xFFFFFF), rgb(0xEEF2F7), rgb(0x1F2933), rgb(0x66727F),
                        rgb(0x2563EB), rgb(0xFFFFFF), rgb(0xD9DEE5), rgb(0xC62828), rgb(0xB26A00),
                        rgb(0x2E7D32)};
const Palette kDark = {rgb(0x15191E), rgb(0x1E242B), rgb(0x262D35), rgb(0xE6EAEF), rgb(0x9AA5B1),
                       rgb(0x5B8DEF), rgb(0xFFFFFF), rgb(0x333B44), rgb(0xEF6B6B), rgb(0xE0A040),
                       rgb(0x66BB6A)};

}  // namespace

const Palette& palette() { return current; }
ImU32 to_u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

void theme_apply(ThemeKind kind) {
    current = kind == ThemeKind::Dark ? kDark : kLight;
    const Palette& p = current;
    ImGuiStyle& s = ImGui::GetStyle();
    s = ImGuiStyle();
    s.WindowPadding = ImVec2(20, 16);
    s.FramePadding = ImVec2(12, 11);  // 16 px text + 2 x 11 + 2 border ~ 44 px hit targets
    s.ItemSpacing = ImVec2(12, 10);
    s.ItemInnerSpacing = ImVec2(10, 8);
    s.CellPadding = ImVec2(10, 12);
    s.ScrollbarSize = 14;
    s.GrabMinSize = 24;
    s.WindowRounding = 0;
    s.ChildRounding = 10;
    s.FrameRounding = 8;
    s.PopupRounding = 10;
    s.GrabRounding = 8;
    s.TabRounding = 8;
    s.ScrollbarRounding = 8;
    s.WindowBorderSize = 0;
    s.ChildBorderSize = 1;
    s.FrameBorderSize = 1;
    s.PopupBorderSize = 1;
    s.SelectableTextAlign = ImVec2(0.0f, 0.5f);
    s.TouchExtraPadding = ImVec2(0, 0);

    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = p.text;
    c[ImGuiCol_TextDisabled] = p.text_muted;
    c[ImGuiCol_WindowBg] = p.background;
    c[ImGuiCol_ChildBg] = p.surface;
    c[ImGuiCol_PopupBg] = p.surface;
    c[ImGuiCol_Border] = p.border;
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = p.surface;
    c[ImGuiCol_FrameBgHovered] = p.surface_alt;
    c[ImGuiCol_FrameBgActive] = p.surface_alt;
    c[ImGuiCol_TitleBg] = p.surface;
    c[ImGuiCol_TitleBgActive] = p.surface;
    c[ImGuiCol_MenuBarBg] = p.surface;
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = p.border;
    c[ImGuiCol_ScrollbarGrabHovered] = p.text_muted;
    c[ImGuiCol_ScrollbarGrabActive] = p.accent;
    c[ImGuiCol_CheckMark] = p.accent;
    c[ImGuiCol_SliderGrab] = p.accent;
    c[ImGuiCol_SliderGrabActive] = p.accent;
    c[ImGuiCol_Button] = p.surface_alt;
    c[ImGuiCol_ButtonHovered] = ImLerp(p.surface_alt, p.accent, 0.15f);
    c[ImGuiCol_ButtonActive] = ImLerp(p.surface_alt, p.accent, 0.3f);
    c[ImGuiCol_Header] = ImLerp(p.surface, p.accent, 0.12f);
    c[ImGuiCol_HeaderHovered] = ImLerp(p.surface, p.accent, 0.08f);
    c[ImGuiCol_HeaderActive] = ImLerp(p.surface, p.accent, 0.2f);
    c[ImGuiCol_Separator] = p.border;
    c[ImGuiCol_Tab] = p.surface_alt;
    c[ImGuiCol_TabHovered] = ImLerp(p.surface_alt, p.accent, 0.2f);
    c[ImGuiCol_TabActive] = p.surface;
    c[ImGuiCol_TableHeaderBg] = p.surface_alt;
    c[ImGuiCol_TableBorderStrong] = p.border;
    c[ImGuiCol_TableBorderLight] = p.border;
    c[ImGuiCol_TableRowBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(p.surface_alt.x, p.surface_alt.y, p.surface_alt.z, 0.45f);
    c[ImGuiCol_TextSelectedBg] = ImVec4(p.accent.x, p.accent.y, p.accent.z, 0.3f);
    c[ImGuiCol_NavHighlight] = p.accent;
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.35f);
}

}  // namespace crm::ui
