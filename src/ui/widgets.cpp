#include "ui/widgets.h"

#include <imgui_internal.h>
#include <misc/cpp/imgui_stdlib.h>

#include "ui/test_registry.h"
#include "ui/theme.h"

namespace crm::ui {

void badge(const char* text, const ImVec4& colour) {
    ImVec2 pad(10, 4);
    ImVec2 size = ImGui::CalcTextSize(text);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float h = size.y + pad.y * 2;
    ImVec2 max(pos.x + size.x + pad.x * 2, pos.y + h);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, max, to_u32(ImVec4(colour.x, colour.y, colour.z, 0.14f)), h * 0.5f);
    dl->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), to_u32(colour), text);
    ImGui::Dummy(ImVec2(max.x - pos.x, h));
}

bool nav_button(const char* label, bool selected, const ImVec2& size) {
    const Palette& p = palette();
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.5f, 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
    ImGui::PushStyleColor(ImGuiCol_Button, selected ? ImLerp(p.surface, p.accent, 0.14f) : p.surface);
    ImGui::PushStyleColor(ImGuiCol_Text, selected ? p.accent : p.text);
    bool pressed = ImGui::Button(label, size);
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar(2);
    return pressed;
}

namespace {
bool filled_button(const char* label, const ImVec4& fill, const ImVec2& size) {
    ImGui::PushStyleColor(ImGuiCol_Button, fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImLerp(fill, ImVec4(0, 0, 0, 1), 0.1f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImLerp(fill, ImVec4(0, 0, 0, 1), 0.2f));
    ImGui::PushStyleColor(ImGuiCol_Text, palette().accent_text);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
    bool pressed = ImGui::Button(label, ImVec2(size.x, size.y > 0 ? size.y : kTouchTarget));
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    return pressed;
}
}  // namespace

bool primary_button(const char* label, const ImVec2& size) { return filled_button(label, palette().accent, size); }
bool danger_button(const char* label, const ImVec2& size) { return filled_button(label, palette().danger, size); }

void section_title(const char* text) {
    ImGui::Dummy(ImVec2(0, 6));
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
}

bool text_field(const char* label, std::string* value, const char* mode, const char* hint, float width) {
    ImGui::PushID(label);
    ImGui::TextUnformatted(label);
    ImGui::SetNextItemWidth(width);
    set_next_input_mode(mode);
    // The visible label sits above; the field is published to tests under the same label.
    std::string id = std::string("##") + label;
    bool changed = hint ? ImGui::InputTextWithHint(id.c_str(), hint, value) : ImGui::InputText(id.c_str(), value);
    set_last_item_value(*value);
    ImGui::PopID();
    return changed;
}

bool password_field(const char* label, std::string* value, float width) {
    ImGui::PushID(label);
    ImGui::TextUnformatted(label);
    ImGui::SetNextItemWidth(width);
    set_next_input_mode("password");
    std::string id = std::string("##") + label;
    bool enter = ImGui::InputText(id.c_str(), value, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopID();
    return enter;
}

bool choice_field(const char* label, std::string* code,
                  const std::vector<std::pair<std::string, std::string>>& options, float width) {
    ImGui::PushID(label);
    ImGui::TextUnformatted(label);
    ImGui::SetNextItemWidth(width);
    std::string preview;
    for (const auto& [c, text] : options)
        if (c == *code) preview = text;
    bool changed = false;
    const std::string id = std::string("##") + label;
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, (kTouchTarget - ImGui::GetFontSize()) * 0.5f));
    const bool open = ImGui::BeginCombo(id.c_str(), preview.c_str(), ImGuiComboFlags_HeightLarge);
    if (!open) set_last_item_label(label, "combo");  // ImGui 1.90 reports no label for combos
    if (open) {
        for (const auto& [c, text] : options) {
            if (ImGui::Selectable(text.c_str(), c == *code, 0, ImVec2(0, kTouchTarget))) {
                changed = c != *code;
                *code = c;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::PopStyleVar();
    ImGui::PopID();
    return changed;
}

bool chip_choice(const char* label, std::string* code,
                 const std::vector<std::pair<std::string, std::string>>& options, bool allow_none) {
    ImGui::PushID(label);
    if (label[0]) ImGui::TextUnformatted(label);
    bool changed = false;
    const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    bool first = true;
    for (const auto& [c, text] : options) {
        const float w = std::max(ImGui::CalcTextSize(text.c_str()).x + 32.0f, 88.0f);
        if (!first) {
            ImGui::SameLine();
            if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
        }
        first = false;
        const bool chosen = c == *code;
        if (chosen ? primary_button(text.c_str(), ImVec2(w, 0)) : ImGui::Button(text.c_str(), ImVec2(w, kTouchTarget))) {
            const std::string next = chosen && allow_none ? std::string() : c;
            changed = next != *code;
            *code = next;
        }
    }
    ImGui::PopID();
    return changed;
}

bool text_area(const char* label, std::string* value, int lines, float width) {
    ImGui::PushID(label);
    ImGui::TextUnformatted(label);
    set_next_input_mode("text");
    const std::string id = std::string("##") + label;
    const float h = ImGui::GetTextLineHeight() * lines + ImGui::GetStyle().FramePadding.y * 2;
    bool changed = ImGui::InputTextMultiline(id.c_str(), value, ImVec2(width, h));
    set_last_item_value(*value);
    ImGui::PopID();
    return changed;
}

void field_error(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().danger);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

void begin_full_screen(const char* name, float top) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(size.x, size.y - top));
    ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
}

void muted_text(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_muted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

}  // namespace crm::ui
