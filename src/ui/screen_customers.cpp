// The customers list: a search box and a table of every matching customer. Only the rows
// on screen are drawn (ImGuiListClipper over the list's index vector).
#include <imgui.h>

#include <algorithm>

#include "core/customers.h"
#include "core/validate.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

std::string pick_label(const AppContext& c, const char* list, const std::string& code) {
    if (code.empty()) return "";
    return c.tr(std::string("pick.") + list + "." + code);
}

ImVec4 status_colour(const std::string& status) {
    const Palette& p = palette();
    if (status == "won") return p.success;
    if (status == "lost") return p.danger;
    if (status == "intent") return p.accent;
    return p.text_muted;
}

// A row's context actions: a long press on a touch screen, a right click with a mouse
// (input.cpp turns the long press into a right click). The phone is read when it opens.
void draw_row_menu(AppContext& c, const Customer& row) {
    if (ImGui::IsWindowAppearing()) {
        c.row_menu_phone.clear();
        if (auto contacts = list_contacts(*c.workspace, row.id))
            for (const Contact& ct : *contacts)
                if (c.row_menu_phone.empty()) c.row_menu_phone = !ct.mobile.empty() ? ct.mobile : ct.landline;
    }
    c.row_menu = row.id;
    muted_text(row.name.c_str());
    const float w = std::max(ImGui::CalcTextSize(row.name.c_str()).x, 240.0f);
    auto item = [&](const char* key) {
        ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
        const bool chosen = ImGui::Selectable(c.tr(key).c_str(), false, 0, ImVec2(w, kTouchTarget));
        ImGui::PopStyleVar();
        return chosen;
    };
    if (item("row_menu.open")) c.go(Route{Screen::Customer, row.id});
    if (item("row_menu.log")) c.go(Route{Screen::LogInteraction, row.id});
    if (item("row_menu.status")) {
        c.open_status_next = true;  // the customer page opens its status dialog
        c.go(Route{Screen::Customer, row.id});
    }
    if (!c.row_menu_phone.empty() && item("row_menu.copy_phone")) ImGui::SetClipboardText(c.row_menu_phone.c_str());
}

}  // namespace

void draw_customers(AppContext& c) {
    c.row_menu.clear();  // set again while a row's menu is open
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("customers.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    const std::string new_label = c.tr("customers.new");
    const std::string import_label = c.tr("import.open");
    const std::string export_label = c.tr("export.open");
    const float buttons = ImGui::CalcTextSize(new_label.c_str()).x + ImGui::CalcTextSize(import_label.c_str()).x +
                          ImGui::CalcTextSize(export_label.c_str()).x + 64;
    ImGui::SameLine(std::max(ImGui::GetContentRegionAvail().x - buttons - 24, ImGui::GetCursorPosX() + 16));
    if (ImGui::Button(export_label.c_str(), ImVec2(0, kTouchTarget))) open_export_dialog(c);
    draw_export_dialog(c);
    ImGui::SameLine();
    if (ImGui::Button(import_label.c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::Import, {}});
    ImGui::SameLine();
    if (primary_button(new_label.c_str())) c.go(Route{Screen::NewCustomer, {}});

    std::string query = c.customers.query();
    std::string hint = c.tr("customers.search_hint");
    if (text_field(c.tr("customers.search").c_str(), &query, "text", hint.c_str(),
                   std::min(ImGui::GetContentRegionAvail().x, 560.0f)))
        c.customers.set_query(query);
    draw_filter_chips(c);
    if (Status s = c.customers.refresh(); !s) {
        ImGui::TextColored(palette().danger, "%s", c.message(s.error()).c_str());
        return;
    }
    muted_text(c.trf("customers.count", {{"shown", std::to_string(c.customers.size())},
                                         {"total", std::to_string(c.customers.total())}}).c_str());
    if (c.customers.searching()) {
        ImGui::SameLine();
        muted_text(c.tr("customers.searching").c_str());
    }
    if (c.customers.size() == 0) {
        muted_text(c.tr("customers.none").c_str());
        return;
    }

    bool narrow = ImGui::GetContentRegionAvail().x < 700.0f;
    int columns = narrow ? 3 : 6;
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                            ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable("customers", columns, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(c.tr("customers.col.name").c_str(), 0, 3.0f);
    ImGui::TableSetupColumn(c.tr("customers.col.status").c_str(), 0, 1.0f);
    if (!narrow) {
        ImGui::TableSetupColumn(c.tr("customers.col.industry").c_str(), 0, 1.6f);
        ImGui::TableSetupColumn(c.tr("customers.col.region").c_str(), 0, 1.2f);
        ImGui::TableSetupColumn(c.tr("customers.col.number").c_str(), 0, 1.5f);
    }
    ImGui::TableSetupColumn(c.tr("customers.col.owner").c_str(), 0, 0.8f);
    ImGui::TableHeadersRow();

    float row_top = 0;
    auto middle = [&] { ImGui::SetCursorPosY(row_top + (kTouchTarget - ImGui::GetFontSize()) * 0.5f); };
    ImGuiListClipper clipper;
    clipper.Begin((int)c.customers.size(), kTouchTarget + 4);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Customer* row = c.customers.at((size_t)i);
            ImGui::TableNextRow(0, kTouchTarget + 4);
            ImGui::TableNextColumn();
            if (!row) continue;
            ImGui::PushID(i);
            // The whole row is one tap target; the name is its label for tests. Every cell's
            // text sits on the row's middle line.
            row_top = ImGui::GetCursorPosY();
            ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
            const bool open = ImGui::Selectable(row->name.c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns,
                                  ImVec2(0, kTouchTarget));
            ImGui::PopStyleVar();
            if (open) c.go(Route{Screen::Customer, row->id});
            if (ImGui::BeginPopupContextItem("row_menu")) {
                draw_row_menu(c, *row);
                ImGui::EndPopup();
            }
            ImGui::TableNextColumn();
            middle();
            ImGui::TextColored(status_colour(row->status), "%s", pick_label(c, "status", row->status).c_str());
            if (!narrow) {
                ImGui::TableNextColumn();
                middle();
                ImGui::TextUnformatted(pick_label(c, "industry", row->industry).c_str());
                ImGui::TableNextColumn();
                middle();
                ImGui::Text("%s %s", row->province.c_str(), row->city.c_str());
                ImGui::TableNextColumn();
                middle();
                ImGui::TextColored(palette().text_muted, "%s", row->number.c_str());
            }
            ImGui::TableNextColumn();
            middle();
            ImGui::TextUnformatted(row->owner.c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace crm::ui
