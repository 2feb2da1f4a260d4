// Exporting from the customers list: customers, contacts, interactions or tags of the
// customers the list shows (its search and filters), the columns the user ticks, as a CSV
// that Excel and WPS open correctly or as an Excel workbook (.xlsx). Phones stay masked unless the user asks otherwise;
// every export is noted in the history (core/export.h).
#include <imgui.h>

#include <algorithm>

#include "core/export.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

constexpr const char* kExportPopup = "##export";

ExportTable table_of(const std::string& name) {
    for (ExportTable t : {ExportTable::Customers, ExportTable::Contacts, ExportTable::Interactions, ExportTable::Tags})
        if (name == export_table_name(t)) return t;
    return ExportTable::Customers;
}

}  // namespace

void open_export_dialog(AppContext& c) {
    c.export_form = ExportForm{};
    c.export_form.fields = export_default_fields(ExportTable::Customers);
    ImGui::OpenPopup(kExportPopup);
}

void draw_export_dialog(AppContext& c) {
    ExportForm& f = c.export_form;
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, size.x - 32), std::min(size.y - 80, 720.0f)));
    if (!ImGui::BeginPopupModal(kExportPopup, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                                             ImGuiWindowFlags_NoResize)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted(c.tr("export.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    muted_text(c.trf("export.scope", {{"count", std::to_string(c.customers.size())}}).c_str());

    std::string table = export_table_name(f.table);
    if (chip_choice(c.tr("export.what").c_str(), &table,
                    {{"customers", c.tr("export.table.customers")}, {"contacts", c.tr("export.table.contacts")},
                     {"interactions", c.tr("export.table.interactions")}, {"tags", c.tr("export.table.tags")}})) {
        f.table = table_of(table);
        f.fields = export_default_fields(f.table);
    }
    section_title(c.tr("export.columns").c_str());
    ImGui::BeginChild("export_fields", ImVec2(0, ImGui::GetContentRegionAvail().y - 2 * kTouchTarget - 56), false);
    for (const std::string& field : export_fields(f.table)) {
        bool on = std::find(f.fields.begin(), f.fields.end(), field) != f.fields.end();
        if (ImGui::Checkbox(c.tr(export_field_label(f.table, field)).c_str(), &on)) {
            if (on) f.fields.push_back(field);
            else f.fields.erase(std::remove(f.fields.begin(), f.fields.end(), field), f.fields.end());
        }
    }
    ImGui::EndChild();
    ImGui::Checkbox(c.tr("export.show_phones").c_str(), &f.show_phones);
    if (!f.done.empty()) ImGui::TextColored(palette().success, "%s", f.done.c_str());
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::BeginDisabled(f.fields.empty() || !c.host.download);
    const bool as_csv = primary_button(c.tr("export.run").c_str(), ImVec2(200, 0));
    ImGui::SameLine();
    const bool as_xlsx = ImGui::Button(c.tr("export.run_xlsx").c_str(), ImVec2(0, kTouchTarget));
    if (as_csv || as_xlsx) {
        // Columns in the order the table offers them, whatever order they were ticked in.
        std::vector<std::string> ordered;
        for (const std::string& field : export_fields(f.table))
            if (std::find(f.fields.begin(), f.fields.end(), field) != f.fields.end()) ordered.push_back(field);
        ExportRequest request{f.table, ordered, c.customers.filter(), {}, f.show_phones, true};
        auto out = as_xlsx ? export_xlsx(*c.workspace, request, c.tr_table())
                           : export_csv(*c.workspace, request, c.tr_table());
        if (out) {
            const std::string name = std::string(export_table_name(f.table)) + "-" +
                                     c.workspace->today() + (as_xlsx ? ".xlsx" : ".csv");
            c.host.download(name, std::vector<uint8_t>(out->bytes.begin(), out->bytes.end()));
            f.done = c.trf("export.done", {{"rows", std::to_string(out->rows)}, {"name", name}});
            f.error.clear();
        } else {
            f.error = c.message(out.error());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("tags.close").c_str(), ImVec2(120, kTouchTarget))) ImGui::CloseCurrentPopup();
    ImGui::PopTextWrapPos();
    ImGui::EndPopup();
}

}  // namespace crm::ui
