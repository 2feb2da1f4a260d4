// Small widgets shared by the screens, sized for fingers (44 CSS px) and styled by the theme.
#pragma once
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

namespace crm::ui {

// A coloured pill with text (status, demo marker). Not interactive.
void badge(const char* text, const ImVec4& colour);
// A navigation entry: full-width, highlighted when selected. Returns true when tapped.
bool nav_button(const char* label, bool selected, const ImVec2& size);
// The accent-coloured main action of a screen.
bool primary_button(const char* label, const ImVec2& size = ImVec2(0, 0));
// The same, red: for what cannot be undone (replacing a workspace).
bool danger_button(const char* label, const ImVec2& size = ImVec2(0, 0));
// A section heading with some air above it.
void section_title(const char* text);
// A labelled single-line text field. `mode` picks the on-screen keyboard: "text", "tel",
// "email", "decimal". The label is drawn above the field and is the field's test label.
bool text_field(const char* label, std::string* value, const char* mode = "text", const char* hint = nullptr,
                float width = -1.0f);
// A labelled field whose characters show as dots (passphrases). Returns true when Enter
// was pressed in it.
bool password_field(const char* label, std::string* value, float width = -1.0f);
// A labelled choice from a list of (code, label) options, drawn like text_field. The
// options are published to tests by their labels. Returns true when the choice changed.
bool choice_field(const char* label, std::string* code,
                  const std::vector<std::pair<std::string, std::string>>& options, float width = -1.0f);
// A labelled row of one-tap choices (chips; wraps onto more lines), the chosen one in the
// accent colour. With allow_none, tapping the chosen chip again clears the choice.
// Returns true when the choice changed.
bool chip_choice(const char* label, std::string* code,
                 const std::vector<std::pair<std::string, std::string>>& options, bool allow_none = false);
// A labelled multi-line text field (notes, summaries), `lines` high.
bool text_area(const char* label, std::string* value, int lines = 3, float width = -1.0f);
// A field's problem, under the field, in the danger colour.
void field_error(const char* text);
// A full-width panel from `top` down (unlock, recovery key, blocked); end with ImGui::End().
void begin_full_screen(const char* name, float top);
// Muted secondary text.
void muted_text(const char* text);

}  // namespace crm::ui
