// Logging a follow-up, built for a rep between two visits: from a customer's page it is one
// tap to open, the text, and Save; from Today one more tap picks the customer. The method is
// a row of chips with the most common one (phone) already chosen; a next action is optional
// but, once started, needs what, who and when (quick dates: tomorrow, in 3 days, next week).
#include <imgui.h>

#include <algorithm>

#include "core/clock.h"
#include "core/customers.h"
#include "core/interactions.h"
#include "core/picklists.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

std::vector<std::pair<std::string, std::string>> pick_options(const AppContext& c, const char* list) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const PickOption& o : picklist(list)) out.emplace_back(o.code, c.tr(o.label_key));
    return out;
}

std::vector<FieldValue> fields_of(const LogForm& f, const std::string& now) {
    std::vector<FieldValue> out = {{"at", now}, {"method", f.method}, {"summary", f.summary}};
    if (!f.feedback.empty()) out.push_back({"feedback", f.feedback});
    if (!f.next_action.empty() || !f.next_due.empty()) {
        out.push_back({"next_action", f.next_action});
        out.push_back({"next_action_owner", f.next_owner});
        out.push_back({"next_action_due", f.next_due});
    }
    return out;
}

}  // namespace

void draw_log_interaction(AppContext& c, const std::string& customer_id) {
    LogForm& f = c.log_form;
    if (f.customer_id != customer_id) {
        f = LogForm{};
        f.customer_id = customer_id;
    }
    if (f.next_owner.empty() && !f.owner_touched) f.next_owner = c.workspace->device().user;
    auto customer = get_customer(*c.workspace, customer_id);
    if (!customer) {
        field_error(c.message(customer.error()).c_str());
        return;
    }

    const std::vector<FieldValue> fields = fields_of(f, c.workspace->now_iso());
    std::vector<Error> errors = draft_errors("interactions", fields);

    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("log.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    muted_text((customer->number + "  " + customer->name).c_str());
    const float w = std::min(ImGui::GetContentRegionAvail().x, 640.0f);
    ImGui::BeginChild("log_form", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 48), false);
    chip_choice(c.tr("field.interactions.method").c_str(), &f.method, pick_options(c, "method"));
    text_area(c.tr("field.interactions.summary").c_str(), &f.summary, 3, w);
    chip_choice(c.tr("field.interactions.feedback").c_str(), &f.feedback, pick_options(c, "feedback"), true);

    section_title(c.tr("log.next_title").c_str());
    text_field(c.tr("field.interactions.next_action").c_str(), &f.next_action, "text", c.tr("log.next_hint").c_str(), w);
    if (text_field(c.tr("field.interactions.next_action_owner").c_str(), &f.next_owner, "text", nullptr, w))
        f.owner_touched = true;
    ImGui::TextUnformatted(c.tr("field.interactions.next_action_due").c_str());
    const int64_t today = *parse_date(c.workspace->today());
    const std::pair<const char*, int64_t> quick[] = {{"log.due_tomorrow", 1}, {"log.due_3_days", 3}, {"log.due_next_week", 7}};
    for (const auto& [key, days] : quick) {
        const std::string date = format_date(today + days);
        const std::string label = c.tr(key);
        const bool chosen = f.next_due == date;
        if (chosen ? primary_button(label.c_str(), ImVec2(140, 0)) : ImGui::Button(label.c_str(), ImVec2(140, kTouchTarget)))
            f.next_due = date;
        ImGui::SameLine();
    }
    ImGui::NewLine();
    text_field(c.tr("log.due_date").c_str(), &f.next_due, "numeric", "YYYY-MM-DD", std::min(w, 240.0f));
    for (const Error& e : errors)
        if (e.field != "field.interactions.summary" || !f.summary.empty()) field_error(c.message(e).c_str());
    if (!f.save_error.empty()) field_error(f.save_error.c_str());
    ImGui::EndChild();

    c.form_errors.clear();
    for (const Error& e : errors) c.form_errors.push_back(e.code + " " + e.field);
    const bool valid = errors.empty();
    ImGui::BeginDisabled(!valid);
    if (primary_button(c.tr("form.save").c_str(), ImVec2(200, kTouchTarget))) {
        auto id = log_interaction(*c.workspace, customer_id, fields);
        if (id) {
            f = LogForm{};
            c.customers.invalidate();
            c.go(Route{Screen::Customer, customer_id});
        } else {
            f.save_error = c.message(id.error());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = LogForm{};
        c.go(Route{Screen::Customer, customer_id});
    }
}

// Today's "Log interaction": which customer? Search, or one of the recently changed.
void draw_log_pick(AppContext& c) {
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("log.pick_title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    std::string query = c.customers.query();
    if (text_field(c.tr("customers.search").c_str(), &query, "text", c.tr("customers.search_hint").c_str(),
                   std::min(ImGui::GetContentRegionAvail().x, 560.0f)))
        c.customers.set_query(query);
    if (Status s = c.customers.refresh(); !s) {
        field_error(c.message(s.error()).c_str());
        return;
    }
    ImGui::BeginChild("log_pick", ImVec2(0, 0), false);
    for (size_t i = 0; i < std::min<size_t>(c.customers.size(), 30); ++i) {
        const Customer* cu = c.customers.at(i);
        if (!cu) continue;
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(cu->name.c_str(), false, 0, ImVec2(0, kTouchTarget)))
            c.go(Route{Screen::LogInteraction, cu->id});
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace crm::ui
