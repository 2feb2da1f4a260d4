// Device input -> ImGui input, for what ImGui does not do itself: touch gestures (tap,
// drag-to-scroll with inertia that never selects the row it started on, long press as a
// context click) and DOM key names. Platform-independent; the web host feeds it.
#pragma once
#include <imgui.h>

namespace crm::ui {

void touch_down(float x, float y, double time_ms);
void touch_move(float x, float y, double time_ms);
void touch_up(float x, float y, double time_ms);
void touch_cancel();
void touch_long_press(float x, float y);
int touch_long_presses();  // how many so far (tests: a slow machine can stretch a tap into one)
// Per frame, inside NewFrame/Render: applies drag and inertia scrolling.
void touch_update(float dt);
bool touch_animating();

ImGuiKey key_from_dom(const char* key);

}  // namespace crm::ui
