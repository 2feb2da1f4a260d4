// Today: the next actions due and overdue (mine first), the customers changed most recently,
// and a quick way to add a customer.
#include <imgui.h>

#include <algorithm>

#include "core/interactions.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {

void draw_today(AppContext& c) {
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("today.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    const std::string new_label = c.tr("today.new_customer");
    const std::string log_label = c.tr("today.log_interaction");
    const float buttons = ImGui::CalcTextSize(new_label.c_str()).x + ImGui::CalcTextSize(log_label.c_str()).x + 40;
    ImGui::SameLine(std::max(ImGui::GetContentRegionAvail().x - buttons - 24, ImGui::GetCursorPosX() + 16));
    if (primary_button(log_label.c_str())) c.go(Route{Screen::LogPick, {}});
    ImGui::SameLine();
    if (ImGui::Button(new_label.c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::NewCustomer, {}});

    std::string today = c.workspace->today();
    auto due = due_next_actions(*c.workspace, c.workspace->device().user, today);
    if (!due) {
        ImGui::TextColored(palette().danger, "%s", c.message(due.error()).c_str());
        return;
    }
    size_t overdue = 0;
    for (const DueAction& a : *due) overdue += a.overdue ? 1 : 0;
    if (Status s = c.customers.refresh(); !s) {
        ImGui::TextColored(palette().danger, "%s", c.message(s.error()).c_str());
        return;
    }
    muted_text(c.trf("today.summary", {{"customers", std::to_string(c.customers.total())},
                                       {"due", std::to_string(due->size())},
                                       {"overdue", std::to_string(overdue)}}).c_str());
    draw_backup_reminder(c);

    bool two_columns = ImGui::GetContentRegionAvail().x >= 900.0f;
    float column_w = two_columns ? (ImGui::GetContentRegionAvail().x - 16) * 0.58f : 0.0f;
    ImGui::BeginChild("due", ImVec2(column_w, two_columns ? 0.0f : ImGui::GetContentRegionAvail().y * 0.6f), true);
    section_title(c.tr("today.due").c_str());
    if (due->empty()) muted_text(c.tr("today.nothing_due").c_str());
    for (size_t i = 0; i < due->size(); ++i) {
        const DueAction& a = (*due)[i];
        ImGui::PushID((int)i);
        if (ImGui::Selectable(a.customer_name.c_str(), false, 0, ImVec2(0, kTouchTarget)))
            c.go(Route{Screen::Customer, a.customer_id});
        ImGui::PopID();
        ImGui::TextWrapped("%s", a.next_action.c_str());
        ImGui::TextColored(a.overdue ? palette().danger : palette().text_muted, "%s · %s%s",
                           c.trf("today.due_on", {{"date", a.due}}).c_str(), a.owner.c_str(),
                           a.overdue ? (" · " + c.tr("today.overdue")).c_str() : "");
        ImGui::Separator();
    }
    ImGui::EndChild();

    if (two_columns) ImGui::SameLine(0, 16);
    ImGui::BeginChild("recent", ImVec2(0, 0), true);
    section_title(c.tr("today.recent").c_str());  // the list's default order: latest change first
    for (size_t i = 0; i < std::min<size_t>(c.customers.size(), 12); ++i) {
        const Customer* cu = c.customers.at(i);
        if (!cu) continue;
        ImGui::PushID((int)i);
        if (ImGui::Selectable(cu->name.c_str(), false, 0, ImVec2(0, kTouchTarget)))
            c.go(Route{Screen::Customer, cu->id});
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace crm::ui
