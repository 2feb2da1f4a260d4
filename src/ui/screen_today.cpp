// Today: the next actions due and overdue (mine first), the customers changed most recently,
// and a quick way to add a customer.
#include <imgui.h>

#include <algorithm>

#include "core/interactions.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {

namespace {
// "1000+" once the count stopped at the cap (see DueActions).
std::string due_count(const DueActions& due, size_t n) {
    return std::to_string(n) + (due.more && n == kDueCounted ? "+" : "");
}
}  // namespace

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

    TodayPage& page = c.today_page;
    page.load(*c.workspace);  // read when data changed, not every frame
    if (page.error) {
        ImGui::TextColored(palette().danger, "%s", c.message(*page.error).c_str());
        return;
    }
    if (Status s = c.customers.refresh(); !s) {
        ImGui::TextColored(palette().danger, "%s", c.message(s.error()).c_str());
        return;
    }
    muted_text(c.trf("today.summary", {{"customers", std::to_string(c.customers.total())},
                                       {"due", due_count(page.due, page.due.total)},
                                       {"overdue", due_count(page.due, page.due.overdue)}}).c_str());
    draw_backup_reminder(c);

    // Wide: next actions on the left; on the right, who to call next above the recent ones.
    // Narrow: the three stacked.
    const bool two_columns = ImGui::GetContentRegionAvail().x >= 900.0f;
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float column_w = two_columns ? (ImGui::GetContentRegionAvail().x - 16) * 0.58f : 0.0f;
    const bool stale_shown = !page.stale.empty();
    ImGui::BeginChild("due", ImVec2(column_w, two_columns ? 0.0f : avail_h * (stale_shown ? 0.45f : 0.6f)), true);
    section_title(c.tr("today.due").c_str());
    if (page.due.first.empty()) muted_text(c.tr("today.nothing_due").c_str());
    for (size_t i = 0; i < page.due.first.size(); ++i) {
        const DueAction& a = page.due.first[i];
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
    if (page.due.total > page.due.first.size())
        muted_text(c.trf("today.due_more", {{"shown", std::to_string(page.due.first.size())},
                                            {"total", due_count(page.due, page.due.total)}}).c_str());
    ImGui::EndChild();

    if (two_columns) {
        ImGui::SameLine(0, 16);
        ImGui::BeginGroup();
    }
    // The user's customers being won that nobody has contacted for kStaleDays: who to call next.
    if (stale_shown) {
        ImGui::BeginChild("stale", ImVec2(0, two_columns ? avail_h * 0.5f : avail_h * 0.28f), true);
        section_title(c.trf("today.stale", {{"days", std::to_string(kStaleDays)}}).c_str());
        for (size_t i = 0; i < page.stale.size(); ++i) {
            const StaleCustomer& s = page.stale[i];
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(s.customer_name.c_str(), false, 0, ImVec2(0, kTouchTarget)))
                c.go(Route{Screen::Customer, s.customer_id});
            ImGui::PopID();
            muted_text(c.trf("today.last_contact", {{"date", page.stale_dates[i]}}).c_str());
        }
        ImGui::EndChild();
    }
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
    if (two_columns) ImGui::EndGroup();
}

}  // namespace crm::ui
