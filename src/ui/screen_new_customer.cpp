// New customer: the fields a first contact gives (kind, legal name, industry, source,
// status, owner, one contact), each problem shown under its field in plain words, Save
// enabled only when the draft is valid (a line says what is still needed), and likely
// duplicates shown with their reasons before anything is saved: the button then reads
// "Save anyway", so creating a second record is a choice made with the warning in view.
#include <imgui.h>

#include "core/duplicates.h"
#include "core/picklists.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

std::vector<std::pair<std::string, std::string>> options(const AppContext& c, const char* list,
                                                         bool top_level_only = false) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const PickOption& o : picklist(list))
        if (!top_level_only || o.parent.empty()) out.emplace_back(o.code, c.tr(o.label_key));
    return out;
}

// The message of the first error about this field, "" if none.
std::string error_for(const AppContext& c, const std::vector<Error>& errors, const std::string& field_key) {
    for (const Error& e : errors)
        if (e.field == field_key) return c.message(e);
    return {};
}

void show_error(const AppContext& c, const std::vector<Error>& errors, const char* field_key, bool show) {
    if (!show) return;
    std::string text = error_for(c, errors, field_key);
    if (!text.empty()) field_error(text.c_str());
}

}  // namespace

void draw_new_customer(AppContext& c) {
    NewCustomerForm& f = c.new_customer;
    if (f.owner.empty() && !f.owner_touched) f.owner = c.workspace->device().user;

    std::vector<FieldValue> customer = {{"kind", f.kind}, {"name", f.name}, {"source", f.source},
                                        {"status", f.status}, {"owner", f.owner}};
    if (f.kind == "enterprise") customer.push_back({"industry", f.industry});
    std::vector<FieldValue> contact = {{"name", f.contact_name}, {"mobile", f.mobile}, {"email", f.email}};
    std::vector<Error> errors = draft_errors("customers", customer);
    for (Error& e : draft_errors("contacts", contact))
        if (e.field != "field.contacts.name") errors.push_back(std::move(e));  // defaults to the customer's name
    if (normalize_input(f.mobile).empty() && normalize_input(f.email).empty())
        errors.push_back(make_error("err.customer.contact_method_required", "field.contacts.mobile")
                             .with("name", f.name.empty() ? c.tr("form.this_customer") : f.name));

    // Duplicates are looked for whenever what identifies a customer changes.
    const std::string identity = f.kind + "|" + f.name + "|" + f.mobile + "|" + f.email;
    if (identity != f.checked) {
        f.checked = identity;
        auto d = find_duplicates(*c.workspace, customer, {contact});
        f.duplicates = d ? std::move(*d) : std::vector<DuplicateCandidate>{};
    }

    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("form.new_customer").c_str());
    ImGui::SetWindowFontScale(1.0f);
    // Two columns when there is room (tablet landscape and up): the customer on the left,
    // the contact and any duplicate warning on the right, so nothing hides below the fold.
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool two = avail >= 720.0f;
    const float w = two ? std::min((avail - 32) * 0.5f, 480.0f) : std::min(avail, 560.0f);
    ImGui::BeginChild("form", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 24), false);

    // A field's problem shows once it has something in it; what is still empty is listed
    // next to the Save button.
    auto shown = [](const std::string& value) { return !normalize_input(value).empty(); };
    ImGui::BeginGroup();
    choice_field(c.tr("field.customers.kind").c_str(), &f.kind, options(c, "customer_kind"), w);
    text_field(c.tr("field.customers.name").c_str(), &f.name, "text",
               c.tr(f.kind == "enterprise" ? "form.name_hint_enterprise" : "form.name_hint_person").c_str(), w);
    show_error(c, errors, "field.customers.name", shown(f.name));
    if (f.kind == "enterprise") {
        choice_field(c.tr("field.customers.industry").c_str(), &f.industry, options(c, "industry", true), w);
        show_error(c, errors, "field.customers.industry", !f.industry.empty());
    }
    choice_field(c.tr("field.customers.source").c_str(), &f.source, options(c, "source"), w);
    choice_field(c.tr("field.customers.status").c_str(), &f.status, options(c, "status"), w);
    if (text_field(c.tr("field.customers.owner").c_str(), &f.owner, "text", nullptr, w)) f.owner_touched = true;
    show_error(c, errors, "field.customers.owner", shown(f.owner));
    ImGui::EndGroup();

    if (two) ImGui::SameLine(0, 32);
    ImGui::BeginGroup();
    if (!two) section_title(c.tr("form.contact").c_str());
    text_field(c.tr("form.contact_name").c_str(), &f.contact_name, "text", nullptr, w);
    text_field(c.tr("field.contacts.mobile").c_str(), &f.mobile, "tel", "13812345678", w);
    show_error(c, errors, "field.contacts.mobile", shown(f.mobile));
    text_field(c.tr("field.contacts.email").c_str(), &f.email, "email", "name@example.com", w);
    show_error(c, errors, "field.contacts.email", shown(f.email));

    if (!f.duplicates.empty()) {
        section_title(c.tr("form.duplicates").c_str());
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
        for (const DuplicateCandidate& d : f.duplicates) {
            ImGui::PushID(d.customer_id.c_str());
            ImGui::TextColored(palette().warning, "%s  %s", d.name.c_str(), d.number.c_str());
            muted_text(explain_reasons(c.tr_table(), d.reasons).c_str());
            if (ImGui::Button(c.tr("form.open_existing").c_str(), ImVec2(0, kTouchTarget)))
                c.go(Route{Screen::Customer, d.customer_id});
            ImGui::PopID();
        }
        ImGui::PopTextWrapPos();
    }
    ImGui::EndGroup();
    if (!f.save_error.empty()) field_error(f.save_error.c_str());
    ImGui::EndChild();

    // Save: disabled while something is wrong, and says what is still missing.
    c.form_errors.clear();
    for (const Error& e : errors) c.form_errors.push_back(e.code + " " + e.field);
    c.form_duplicates = f.duplicates.size();
    const bool valid = errors.empty();
    if (!valid) {
        std::string missing;
        for (const Error& e : errors) {
            std::string label = e.field.empty() ? c.message(e) : c.tr(e.field);
            if (missing.find(label) == std::string::npos) missing += (missing.empty() ? "" : c.tr("form.list_separator")) + label;
        }
        muted_text(c.trf("form.still_needed", {{"fields", missing}}).c_str());
    }
    ImGui::BeginDisabled(!valid);
    const std::string save_label = c.tr(f.duplicates.empty() ? "form.save" : "form.save_anyway");
    if (primary_button(save_label.c_str(), ImVec2(200, kTouchTarget))) {
        contact[0].value = normalize_input(f.contact_name).empty() ? std::optional<std::string>() : f.contact_name;
        auto id = create_customer(*c.workspace, customer, {contact});
        if (id) {
            c.customers.invalidate();
            f = NewCustomerForm{};
            c.go(Route{Screen::Customer, *id});
        } else {
            f.save_error = c.message(id.error());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = NewCustomerForm{};
        c.go(Route{Screen::Customers, {}});
    }
}

}  // namespace crm::ui
