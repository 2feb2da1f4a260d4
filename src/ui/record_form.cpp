// A record's editable fields drawn from the schema's metadata, each with the control its
// kind calls for: picklists as choices, phones and e-mail with the matching on-screen
// keyboard, money and dates with the numeric one. Problems show under their field once it
// has something in it. Used wherever a stored record is edited, so every form follows the
// one validation module (core/validate via draft_errors).
#include <imgui.h>

#include <algorithm>

#include "core/customers.h"
#include "core/picklists.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

const char* keyboard_for(FieldKind kind) {
    switch (kind) {
        case FieldKind::Mobile:
        case FieldKind::Landline:
        case FieldKind::Phone: return "tel";
        case FieldKind::Email: return "email";
        case FieldKind::Money:
        case FieldKind::Integer: return "decimal";
        case FieldKind::Date: return "numeric";
        default: return "text";
    }
}

}  // namespace

std::vector<FieldValue> draft_fields(const Row& draft) {
    std::vector<FieldValue> out;
    for (const auto& [name, value] : draft) out.push_back({name, value.value_or("")});
    return out;
}

void draw_record_fields(AppContext& c, const TableMeta& table, Row& draft, const std::vector<Error>& errors,
                        float width, std::initializer_list<const char*> skip) {
    for (const FieldMeta& f : table.fields) {
        if (!f.editable || std::find_if(skip.begin(), skip.end(), [&](const char* s) { return f.name == s; }) != skip.end())
            continue;
        std::string value = draft[f.name].value_or("");
        const std::string label = c.tr(f.label_key);
        if (f.kind == FieldKind::Enum) {
            std::vector<std::pair<std::string, std::string>> options = {{"", c.tr("merge.empty")}};
            for (const PickOption& o : picklist(f.picklist))
                if (o.parent.empty()) options.emplace_back(o.code, c.tr(o.label_key));
            if (!value.empty() && std::none_of(options.begin(), options.end(), [&](const auto& o) { return o.first == value; }))
                options.emplace_back(value, c.tr("pick." + f.picklist + "." + value));  // a sub-level code
            choice_field(label.c_str(), &value, options, width);
        } else if (f.kind == FieldKind::Flag) {
            bool on = value == "1";
            if (ImGui::Checkbox(label.c_str(), &on)) value = on ? "1" : "0";
        } else if (f.name == "needs" || f.name == "notes") {
            text_area(label.c_str(), &value, 3, width);
        } else {
            text_field(label.c_str(), &value, keyboard_for(f.kind), f.kind == FieldKind::Date ? "YYYY-MM-DD" : nullptr, width);
        }
        draft[f.name] = value;
        // A problem shows once the field has something in it (an empty required field keeps
        // Save disabled and is listed next to it), so typing never shifts the fields below.
        if (normalize_input(value).empty()) continue;
        for (const Error& e : errors)
            if (e.field == f.label_key) {
                field_error(c.message(e).c_str());
                break;
            }
    }
}

void draw_edit_customer(AppContext& c, const std::string& id) {
    EditForm& f = c.edit_form;
    const TableMeta& table = *table_meta("customers");
    if (f.id != id) {
        f = EditForm{};
        auto row = c.workspace->read_row("customers", id);
        if (!row || !*row) {
            field_error(c.message(row ? make_error("err.record.not_found") : row.error()).c_str());
            return;
        }
        f.id = id;
        for (const FieldMeta& m : table.fields)
            if (m.editable) f.original[m.name] = (**row).count(m.name) ? (**row).at(m.name) : std::nullopt;
        f.draft = f.original;  // status included, unchanged: it has its own dialog
    }
    const std::vector<Error> errors = draft_errors("customers", draft_fields(f.draft));

    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("edit.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    muted_text(f.draft["name"].value_or("").c_str());
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = std::min(avail, 560.0f);
    ImGui::BeginChild("edit_form", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 24), false);
    draw_record_fields(c, table, f.draft, errors, w, {"status"});
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::EndChild();

    c.form_errors.clear();
    for (const Error& e : errors) c.form_errors.push_back(e.code + " " + e.field);
    ImGui::BeginDisabled(!errors.empty());
    if (primary_button(c.tr("form.save").c_str(), ImVec2(200, kTouchTarget))) {
        const std::vector<FieldValue> changed = f.changed();
        Status s = changed.empty() ? Status{} : update_customer(*c.workspace, id, changed);
        if (s) {
            f = EditForm{};
            c.customers.invalidate();
            c.go(Route{Screen::Customer, id});
        } else {
            f.error = c.message(s.error());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = EditForm{};
        c.go(Route{Screen::Customer, id});
    }
}

namespace {

constexpr const char* kRemoveContactPopup = "##remove_contact";

// The contact form, new or stored: the contacts table's fields, the same controls and rules.
// A stored contact's Save writes only the changed fields; Remove asks first.
void draw_contact_form(AppContext& c, ContactForm& f) {
    const TableMeta& table = *table_meta("contacts");
    const std::vector<Error> errors = draft_errors("contacts", draft_fields(f.draft));
    const bool editing = !f.contact_id.empty();
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr(editing ? "contact.edit_title" : "contact.add_title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    const float w = std::min(ImGui::GetContentRegionAvail().x, 560.0f);
    ImGui::BeginChild("contact_form", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 24), false);
    draw_record_fields(c, table, f.draft, errors, w, {});
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::EndChild();

    c.form_errors.clear();
    for (const Error& e : errors) c.form_errors.push_back(e.code + " " + e.field);
    if (!errors.empty()) muted_text(c.trf("form.still_needed", {{"fields", c.tr(errors.front().field)}}).c_str());
    const std::string customer_id = f.customer_id;
    ImGui::BeginDisabled(!errors.empty());
    if (primary_button(c.tr("form.save").c_str(), ImVec2(200, kTouchTarget))) {
        Status saved;
        if (editing) {
            const std::vector<FieldValue> changed = changed_fields(f.original, f.draft);
            if (!changed.empty()) saved = update_contact(*c.workspace, f.contact_id, changed);
        } else {
            std::vector<FieldValue> fields;
            for (const auto& [name, value] : f.draft)
                if (!value.value_or("").empty()) fields.push_back({name, value});
            if (auto id = add_contact(*c.workspace, customer_id, fields); !id) saved = id.error();
        }
        if (saved) {
            f = ContactForm{};
            c.customers.invalidate();
            c.go(Route{Screen::Customer, customer_id});
            return;
        }
        f.error = c.message(saved.error());
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = ContactForm{};
        c.go(Route{Screen::Customer, customer_id});
        return;
    }
    if (!editing) return;
    ImGui::SameLine(0, 32);
    if (danger_button(c.tr("contact.remove").c_str(), ImVec2(0, kTouchTarget))) ImGui::OpenPopup(kRemoveContactPopup);
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(520.0f, size.x - 32), 0));
    if (ImGui::BeginPopupModal(kRemoveContactPopup, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                                                  ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(c.trf("contact.remove_confirm", {{"name", f.original["name"].value_or("")}}).c_str());
        ImGui::PopTextWrapPos();
        if (danger_button(c.tr("contact.remove_yes").c_str(), ImVec2(160, kTouchTarget))) {
            // Refused when it is the customer's last way to be reached: the reason shows on the form.
            Status s = delete_contact(*c.workspace, f.contact_id);
            ImGui::CloseCurrentPopup();
            if (s) {
                f = ContactForm{};
                c.customers.invalidate();
                c.go(Route{Screen::Customer, customer_id});
            } else {
                f.error = c.message(s.error());
            }
        }
        ImGui::SameLine();
        if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace

void draw_add_contact(AppContext& c, const std::string& customer_id) {
    ContactForm& f = c.contact_form;
    if (f.customer_id != customer_id || !f.contact_id.empty()) {
        f = ContactForm{};
        f.customer_id = customer_id;
    }
    draw_contact_form(c, f);
}

void draw_edit_contact(AppContext& c, const std::string& customer_id, const std::string& contact_id) {
    ContactForm& f = c.contact_form;
    if (f.customer_id != customer_id || f.contact_id != contact_id) {
        f = ContactForm{};
        auto row = c.workspace->read_row("contacts", contact_id);
        // Only a live contact of this customer opens (a stale link shows "not found").
        if (!row || !*row || value(**row, "customer_id") != customer_id || value(**row, "deleted") == "1") {
            field_error(c.message(row ? make_error("err.record.not_found") : row.error()).c_str());
            return;
        }
        f.customer_id = customer_id;
        f.contact_id = contact_id;
        for (const FieldMeta& m : table_meta("contacts")->fields)
            if (m.editable) f.original[m.name] = (**row).count(m.name) ? (**row).at(m.name) : std::nullopt;
        f.draft = f.original;
    }
    draw_contact_form(c, f);
}

}  // namespace crm::ui
