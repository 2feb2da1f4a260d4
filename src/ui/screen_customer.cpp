// One customer: header (number, name, status, owner), base information, contacts and the
// interaction timeline (newest first, with feedback and next action).
#include <imgui.h>

#include "core/duplicates.h"
#include "core/interactions.h"
#include "core/validate.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

void info_row(const AppContext& c, const char* label_key, const std::string& value) {
    if (value.empty()) return;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(palette().text_muted, "%s", c.tr(label_key).c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", value.c_str());
}

}  // namespace

void draw_customer_detail(AppContext& c, const std::string& id) {
    if (ImGui::Button(c.tr("customers.back").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::Customers, {}});
    auto customer = get_customer(*c.workspace, id);
    if (!customer) {
        ImGui::TextColored(palette().danger, "%s", c.message(customer.error()).c_str());
        return;
    }
    const Customer& cu = *customer;
    c.detail_status = cu.status;
    // The two things a rep does most, at the top and in reach of a thumb.
    ImGui::SameLine();
    if (primary_button(c.tr("today.log_interaction").c_str())) c.go(Route{Screen::LogInteraction, id});
    ImGui::SameLine();
    if (ImGui::Button(c.tr("status.change").c_str(), ImVec2(0, kTouchTarget))) open_status_dialog(c);
    ImGui::SameLine();
    if (ImGui::Button(c.tr("edit.open").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::EditCustomer, id});
    draw_status_dialog(c, cu);
    ImGui::TextColored(palette().text_muted, "%s", cu.number.c_str());
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextWrapped("%s", cu.name.c_str());
    ImGui::SetWindowFontScale(1.0f);
    badge(c.tr("pick.status." + cu.status).c_str(), palette().accent);
    if (!cu.intent.empty()) {
        ImGui::SameLine();
        badge(c.tr("pick.intent." + cu.intent).c_str(), palette().warning);
    }
    ImGui::SameLine();
    ImGui::TextColored(palette().text_muted, "%s", cu.owner.c_str());

    ImGui::BeginChild("detail", ImVec2(0, 0), false);
    // Records that look like this one: why, and a way to merge them into it.
    auto duplicates = duplicates_of(*c.workspace, id);
    c.detail_duplicates = duplicates ? duplicates->size() : 0;
    if (duplicates && !duplicates->empty()) {
        section_title(c.tr("merge.possible_duplicates").c_str());
        for (const DuplicateCandidate& d : *duplicates) {
            ImGui::PushID(d.customer_id.c_str());
            ImGui::TextColored(palette().warning, "%s  %s", d.name.c_str(), d.number.c_str());
            ImGui::SameLine();
            muted_text(explain_reasons(c.tr_table(), d.reasons).c_str());
            if (ImGui::Button(c.tr("merge.open").c_str(), ImVec2(0, kTouchTarget)))
                c.go(Route{Screen::Merge, id, d.customer_id});
            ImGui::PopID();
        }
    }
    section_title(c.tr("customer.tags").c_str());
    draw_customer_tags(c, id);

    section_title(c.tr("customer.base_info").c_str());
    if (ImGui::BeginTable("info", 2, ImGuiTableFlags_SizingStretchProp)) {
        // Labels in a narrow column, values right next to them.
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, 160.0f);
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
        info_row(c, "field.customers.industry", cu.industry.empty() ? "" : c.tr("pick.industry." + cu.industry));
        info_row(c, "field.customers.source", cu.source.empty() ? "" : c.tr("pick.source." + cu.source));
        std::string region = cu.province;
        for (const std::string* part : {&cu.city, &cu.district})
            if (!part->empty()) region += (region.empty() ? "" : " ") + *part;
        info_row(c, "field.customers.province", region);
        info_row(c, "field.customers.address", cu.address);
        info_row(c, "field.customers.credit_code", cu.credit_code);
        info_row(c, "field.customers.needs", cu.needs);
        info_row(c, "field.customers.budget", cu.budget);
        info_row(c, "field.customers.first_contact_date", cu.first_contact_date);
        ImGui::EndTable();
    }

    section_title(c.tr("customer.contacts").c_str());
    if (ImGui::Button(c.tr("contact.add").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::AddContact, id});
    if (auto contacts = list_contacts(*c.workspace, id)) {
        c.detail_contacts = contacts->size();
        for (const Contact& ct : *contacts) {
            if (ct.is_key) {
                badge(c.tr("customer.key_contact").c_str(), palette().accent);
                ImGui::SameLine();
            }
            ImGui::Text("%s  %s", ct.name.c_str(), ct.title.c_str());
            ImGui::SameLine();
            std::string phone = !ct.mobile.empty() ? mask_phone(ct.mobile) : mask_phone(ct.landline);
            ImGui::TextColored(palette().text_muted, "%s  %s", phone.c_str(), ct.email.c_str());
        }
    }

    section_title(c.tr("customer.interactions").c_str());
    auto interactions = list_interactions(*c.workspace, id);
    c.detail_interactions = interactions ? interactions->size() : 0;
    if (interactions && interactions->empty()) muted_text(c.tr("customer.no_interactions").c_str());
    if (interactions) {
        for (const Interaction& in : *interactions) {
            ImGui::Separator();
            ImGui::TextColored(palette().text_muted, "%s · %s · %s", in.at.substr(0, 10).c_str(),
                               c.tr("pick.method." + in.method).c_str(), in.followed_up_by.c_str());
            if (!in.topic.empty()) ImGui::TextWrapped("%s", in.topic.c_str());
            ImGui::TextWrapped("%s", in.summary.c_str());
            if (!in.feedback.empty()) badge(c.tr("pick.feedback." + in.feedback).c_str(), palette().accent);
            if (!in.next_action.empty())
                ImGui::TextColored(in.next_action_done ? palette().text_muted : palette().warning, "%s",
                                   c.trf("customer.next_action", {{"what", in.next_action},
                                                                  {"who", in.next_action_owner},
                                                                  {"date", in.next_action_due}}).c_str());
        }
    }
    ImGui::EndChild();
}

}  // namespace crm::ui
