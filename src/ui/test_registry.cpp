// Implements ImGui's test-engine hooks (declared in imgui_internal.h) to fill the registry.
#include "ui/test_registry.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace crm::ui {
namespace {

struct Registry {
    std::vector<TestItem> building, last;
    const char* next_input_mode = nullptr;
    std::vector<std::pair<unsigned, const char*>> input_modes_building, input_modes_last;
};
Registry& registry() {
    static Registry r;
    return r;
}

const char* kind_of(ImGuiItemStatusFlags flags, const ImGuiLastItemData* data) {
    if (flags & ImGuiItemStatusFlags_Inputable) return "input";
    if (flags & ImGuiItemStatusFlags_Checkable) return "checkbox";
    if (flags & ImGuiItemStatusFlags_Openable) return "header";
    return "button";
}

// "Name##id" is shown as "Name"; a hidden label "##Name" (the field's caption is drawn
// elsewhere) is still published as "Name" so tests can find the field.
std::string visible_label(const char* label) {
    if (!label) return {};
    if (label[0] == '#' && label[1] == '#') {
        std::string_view rest(label + 2);
        return std::string(rest.substr(0, rest.find("##")));
    }
    const char* end = ImGui::FindRenderedTextEnd(label);
    return std::string(label, end);
}

}  // namespace

void test_registry_begin_frame() {
    Registry& r = registry();
    r.building.clear();
    r.input_modes_building.clear();
    GImGui->TestEngineHookItems = true;
}

// Publishes this frame's items: what tests read is exactly what the last frame drew.
void test_registry_end_frame() {
    Registry& r = registry();
    r.last.swap(r.building);
    r.input_modes_last.swap(r.input_modes_building);
}

void set_next_input_mode(const char* mode) { registry().next_input_mode = mode; }

void set_last_item_value(const std::string& value) {
    ImGuiID id = ImGui::GetItemID();
    auto& items = registry().building;
    for (auto it = items.rbegin(); it != items.rend(); ++it)
        if (it->id == id) {
            it->value = value;
            return;
        }
}

void set_last_item_label(const std::string& label, const char* kind) {
    ImGuiID id = ImGui::GetItemID();
    auto& items = registry().building;
    for (auto it = items.rbegin(); it != items.rend(); ++it)
        if (it->id == id) {
            it->label = label;
            it->path += "/" + label;
            it->kind = kind;
            return;
        }
}

std::string test_registry_json() {
    nlohmann::json items = nlohmann::json::array();
    // "active": the widget ImGui is editing (a text field with the caret in it).
    const ImGuiID active = GImGui ? GImGui->ActiveId : 0;
    for (const TestItem& it : registry().last)
        items.push_back({{"id", it.id}, {"label", it.label}, {"path", it.path}, {"x", it.x},
                         {"y", it.y}, {"w", it.w}, {"h", it.h}, {"kind", it.kind}, {"value", it.value},
                         {"active", active != 0 && it.id == active}});
    return items.dump();
}

std::string test_registry_text_fields_json() {
    nlohmann::json fields = nlohmann::json::array();
    Registry& r = registry();
    for (const TestItem& it : r.last) {
        if (std::string_view(it.kind) != "input") continue;
        const char* mode = "text";
        for (auto& [id, m] : r.input_modes_last)
            if (id == it.id) mode = m;
        fields.push_back({{"x", it.x}, {"y", it.y}, {"w", it.w}, {"h", it.h}, {"mode", mode}});
    }
    return fields.dump();
}

}  // namespace crm::ui

using crm::ui::registry;

// Called for every item with a bounding box; the label arrives later through ItemInfo.
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
    ImGuiWindow* window = ctx->CurrentWindow;
    // Only what a person can see: clipped-away rows are not published.
    ImRect visible = bb;
    if (window) visible.ClipWithFull(window->ClipRect);
    if (visible.GetWidth() <= 0 || visible.GetHeight() <= 0 || id == 0) return;
    crm::ui::TestItem item;
    item.id = id;
    item.path = window ? window->Name : "";
    item.x = visible.Min.x;
    item.y = visible.Min.y;
    item.w = visible.GetWidth();
    item.h = visible.GetHeight();
    registry().building.push_back(std::move(item));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    auto& items = registry().building;
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        if (it->id != id) continue;
        it->label = crm::ui::visible_label(label);
        it->path += "/" + it->label;
        it->kind = crm::ui::kind_of(flags, nullptr);
        ImGuiContext& g = *GImGui;
        if ((flags & ImGuiItemStatusFlags_Inputable) && g.InputTextState.ID == id)
            it->value = g.InputTextState.TextA.Data ? g.InputTextState.TextA.Data : "";
        if (std::string_view(it->kind) == "input" && registry().next_input_mode) {
            registry().input_modes_building.emplace_back(id, registry().next_input_mode);
            registry().next_input_mode = nullptr;
        }
        return;
    }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
