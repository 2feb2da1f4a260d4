// The look: a calm light theme (default) and a dark one, one accent colour, generous spacing
// and 44 CSS px touch targets. Screens use these colours instead of literals.
#pragma once
#include <imgui.h>

namespace crm::ui {

enum class ThemeKind { Light, Dark };

struct Palette {
    ImVec4 background, surface, surface_alt, text, text_muted, accent, accent_text, border,
        danger, warning, success;
};

constexpr float kTouchTarget = 44.0f;  // CSS px (WCAG 2.5.5)

void theme_apply(ThemeKind kind);
const Palette& palette();
ImU32 to_u32(const ImVec4& c);

}  // namespace crm::ui
