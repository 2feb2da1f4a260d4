// The widget registry behind window.crm.test.items(): every frame, ImGui's test-engine hooks
// report each visible widget (id, label, rectangle, status); tests tap and type by label.
// Always compiled in (cheap: one vector push per widget); never used for app logic.
#pragma once
#include <string>
#include <vector>

namespace crm::ui {

struct TestItem {
    unsigned id = 0;
    std::string label;  // as displayed (the part before "##")
    std::string path;   // window name / label, for disambiguation
    float x = 0, y = 0, w = 0, h = 0;  // CSS px
    const char* kind = "item";         // button, input, checkbox, tab, header, item
    std::string value;                 // the text of the text field being edited
};

// Frame bracket: begin starts a new list; end (after Render) publishes it, so readers
// always see exactly the last completed frame.
void test_registry_begin_frame();
void test_registry_end_frame();
// Items drawn in the last completed frame, as a JSON array.
std::string test_registry_json();
// Rectangles of text fields from the last completed frame (CSS px) and their input kind,
// so the browser can focus its hidden textarea synchronously inside a tap (iOS keyboards).
std::string test_registry_text_fields_json();
// Publishes the current text of the last drawn field (ImGui only knows the active one's).
void set_last_item_value(const std::string& value);
// Names the last drawn widget for tests when ImGui reports no label for it (combo boxes).
void set_last_item_label(const std::string& label, const char* kind);
// Marks the next text field's on-screen keyboard kind ("tel", "email", "decimal", "text").
void set_next_input_mode(const char* mode);

}  // namespace crm::ui
