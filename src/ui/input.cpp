#include "ui/input.h"

#include <imgui_internal.h>

#include <cfloat>
#include <cmath>
#include <cstring>

namespace crm::ui {
namespace {

constexpr float kDragThreshold = 10.0f;  // CSS px a finger may wobble and still tap
constexpr float kInertiaDecay = 4.0f;    // 1/s: velocity halves in ~0.17 s
constexpr float kMinVelocity = 20.0f;    // px/s below which inertia stops

struct Touch {
    bool down = false, dragging = false, long_pressed = false;
    ImVec2 start, last;
    double last_time = 0;
    float velocity = 0;  // px/s, positive = content moves up
    ImGuiID scroll_window = 0;
};
Touch touch;
int long_presses = 0;

// The nearest window under the finger (or its parent) that can scroll vertically.
ImGuiWindow* scrollable_window_at(ImVec2 p) {
    ImGuiContext& g = *GImGui;
    for (int i = g.Windows.Size - 1; i >= 0; --i) {
        ImGuiWindow* w = g.Windows[i];
        if (!w->WasActive || w->Hidden || !w->OuterRectClipped.Contains(p)) continue;
        for (ImGuiWindow* s = w; s; s = s->ParentWindow)
            if (s->ScrollMax.y > 0.0f) return s;
        return nullptr;
    }
    return nullptr;
}

void release_away(ImGuiIO& io, int button) {
    // Moving away before releasing cancels the press: no button fires, nothing stays hovered.
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    io.AddMouseButtonEvent(button, false);
}

}  // namespace

void touch_down(float x, float y, double time_ms) {
    ImGuiIO& io = ImGui::GetIO();
    touch = Touch{};
    touch.down = true;
    touch.start = touch.last = ImVec2(x, y);
    touch.last_time = time_ms;
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, true);
}

void touch_move(float x, float y, double time_ms) {
    if (!touch.down || touch.long_pressed) return;
    ImGuiIO& io = ImGui::GetIO();
    ImVec2 p(x, y);
    if (!touch.dragging) {
        float dx = p.x - touch.start.x, dy = p.y - touch.start.y;
        if (dx * dx + dy * dy < kDragThreshold * kDragThreshold) return;
        ImGuiWindow* w = scrollable_window_at(touch.start);
        // A drag over a slider or a text selection stays a drag of that widget.
        if (!w || (GImGui->ActiveId != 0 && GImGui->ActiveIdWindow && GImGui->ActiveIdWindow->ScrollMax.y <= 0.0f)) {
            io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
            io.AddMousePosEvent(x, y);
            return;
        }
        touch.dragging = true;
        touch.scroll_window = w->ID;
        release_away(io, 0);
    }
    float dy = p.y - touch.last.y;
    if (ImGuiWindow* w = ImGui::FindWindowByID(touch.scroll_window))
        ImGui::SetScrollY(w, ImClamp(w->Scroll.y - dy, 0.0f, w->ScrollMax.y));
    double dt = (time_ms - touch.last_time) / 1000.0;
    if (dt > 0.0) touch.velocity = touch.velocity * 0.2f + 0.8f * (float)(-dy / dt);
    touch.last = p;
    touch.last_time = time_ms;
}

void touch_up(float x, float y, double) {
    if (!touch.down) return;
    ImGuiIO& io = ImGui::GetIO();
    touch.down = false;
    if (touch.long_pressed) return;
    if (touch.dragging) return;  // inertia continues in touch_update
    touch.velocity = 0;
    // A tap: release where it was pressed (the button fires), then move the pointer away so
    // nothing stays hovered. ImGui's input queue spreads these over frames (trickling).
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(0, false);
    io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
}

void touch_cancel() {
    if (touch.down && !touch.dragging && !touch.long_pressed) release_away(ImGui::GetIO(), 0);
    touch = Touch{};
}

void touch_long_press(float x, float y) {
    if (!touch.down || touch.dragging) return;
    ImGuiIO& io = ImGui::GetIO();
    touch.long_pressed = true;
    ++long_presses;
    release_away(io, 0);
    io.AddMousePosEvent(x, y);
    io.AddMouseButtonEvent(1, true);
    io.AddMouseButtonEvent(1, false);
}

void touch_update(float dt) {
    if (touch.down || touch.scroll_window == 0 || std::fabs(touch.velocity) < kMinVelocity) return;
    ImGuiWindow* w = ImGui::FindWindowByID(touch.scroll_window);
    if (!w) {
        touch.velocity = 0;
        return;
    }
    ImGui::SetScrollY(w, ImClamp(w->Scroll.y + touch.velocity * dt, 0.0f, w->ScrollMax.y));
    touch.velocity *= std::exp(-kInertiaDecay * dt);
    if (w->Scroll.y <= 0.0f || w->Scroll.y >= w->ScrollMax.y) touch.velocity = 0;
}

int touch_long_presses() { return long_presses; }

bool touch_animating() { return !touch.down && touch.scroll_window != 0 && std::fabs(touch.velocity) >= kMinVelocity; }

ImGuiKey key_from_dom(const char* key) {
    struct Named { const char* name; ImGuiKey key; };
    static const Named named[] = {
        {"Backspace", ImGuiKey_Backspace}, {"Delete", ImGuiKey_Delete}, {"Enter", ImGuiKey_Enter},
        {"Tab", ImGuiKey_Tab}, {"Escape", ImGuiKey_Escape}, {"ArrowLeft", ImGuiKey_LeftArrow},
        {"ArrowRight", ImGuiKey_RightArrow}, {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow},
        {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End}, {"PageUp", ImGuiKey_PageUp},
        {"PageDown", ImGuiKey_PageDown}, {" ", ImGuiKey_Space}, {"Insert", ImGuiKey_Insert}};
    for (const Named& n : named)
        if (std::strcmp(n.name, key) == 0) return n.key;
    // Letters for shortcuts (Ctrl+A/C/V/X/Y/Z); the text itself arrives through crm_text.
    if (key[0] && !key[1]) {
        char c = key[0];
        if (c >= 'a' && c <= 'z') return (ImGuiKey)(ImGuiKey_A + (c - 'a'));
        if (c >= 'A' && c <= 'Z') return (ImGuiKey)(ImGuiKey_A + (c - 'A'));
    }
    return ImGuiKey_None;
}

}  // namespace crm::ui
