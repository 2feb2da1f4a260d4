// Filter chips over the customers list: one chip per dimension (status, intent, industry,
// region, owner, tags, completeness). A chip opens its choices to tick (a customer matches
// any ticked choice; chips combine with AND and with the search text); an active chip says
// what it holds. "Views" keeps the current combination under a name and brings it back.
#include <imgui.h>

#include <algorithm>

#include "core/customer_query.h"
#include "core/picklists.h"
#include "core/tags.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

struct Dimension {
    const char* field;      // a customers field, or the derived "tag" / "completeness_state"
    const char* label_key;
    const char* picklist;   // fixed choices from a picklist; nullptr: the values in use
};

const Dimension kDimensions[] = {
    {"status", "customers.col.status", "status"},
    {"intent", "customers.col.intent", "intent"},
    {"industry", "customers.col.industry", nullptr},
    {"province", "customers.col.region", nullptr},
    {"owner", "customers.col.owner", nullptr},
    {"tag", "customer.tags", nullptr},
    {"completeness_state", "filter.completeness", nullptr},
};

// The (value, label) choices of a dimension, read once and kept until its list is opened
// again (the values in use come from a scan of the customers: not something for every frame).
const std::vector<std::pair<std::string, std::string>>& choices(AppContext& c, const Dimension& d) {
    auto cached = c.filter_choices.find(d.field);
    if (cached != c.filter_choices.end()) return cached->second;
    std::vector<std::pair<std::string, std::string>>& out = c.filter_choices[d.field];
    const std::string field = d.field;
    if (d.picklist) {
        for (const PickOption& o : picklist(d.picklist)) out.emplace_back(o.code, c.tr(o.label_key));
    } else if (field == "tag") {
        if (auto tags = list_tags(*c.workspace, "approved"))
            for (const Tag& t : *tags) out.emplace_back(t.id, tag_name(c, t));
    } else if (field == "completeness_state") {
        for (const char* s : {"complete", "to_be_completed", "pending"})
            out.emplace_back(s, c.tr(std::string("filter.completeness.") + s));
    } else if (auto values = customer_field_values(*c.workspace, field)) {
        for (const std::string& v : *values)
            out.emplace_back(v, field == "industry" ? c.tr("pick.industry." + v) : v);
    }
    return out;
}

// The values ticked for a field (its In condition), empty when none.
std::vector<std::string> ticked(const CustomerFilter& f, const std::string& field) {
    for (const FilterCondition& cond : f.conditions)
        if (cond.field == field && cond.op == FilterOp::In) return cond.values;
    return {};
}

void set_ticked(AppContext& c, const std::string& field, std::vector<std::string> values) {
    CustomerFilter f = c.customers.filter();
    f.conditions.erase(std::remove_if(f.conditions.begin(), f.conditions.end(),
                                      [&](const FilterCondition& cond) { return cond.field == field; }),
                       f.conditions.end());
    if (!values.empty()) f.conditions.push_back({field, FilterOp::In, std::move(values)});
    c.customers.set_filter(std::move(f));
}

// A chip that flows onto the next line when the row is full.
bool chip(const char* label, bool active, float right, bool first) {
    const float w = ImGui::CalcTextSize(label).x + 32;
    if (!first) {
        ImGui::SameLine();
        if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
    }
    return active ? primary_button(label, ImVec2(w, 0)) : ImGui::Button(label, ImVec2(w, kTouchTarget));
}

void choices_popup(AppContext& c, const Dimension& d, const std::vector<std::pair<std::string, std::string>>& options) {
    const std::string id = std::string("##filter_") + d.field;
    ImGui::SetNextWindowSizeConstraints(ImVec2(260, 0), ImVec2(420, ImGui::GetIO().DisplaySize.y * 0.6f));
    if (!ImGui::BeginPopup(id.c_str())) return;
    std::vector<std::string> values = ticked(c.customers.filter(), d.field);
    for (const auto& [value, label] : options) {
        bool on = std::find(values.begin(), values.end(), value) != values.end();
        ImGui::PushID(value.c_str());
        if (ImGui::Checkbox(label.c_str(), &on)) {
            if (on) values.push_back(value);
            else values.erase(std::remove(values.begin(), values.end(), value), values.end());
            set_ticked(c, d.field, values);
        }
        ImGui::PopID();
    }
    if (options.empty()) muted_text(c.tr("filter.no_choices").c_str());
    if (ImGui::Button(c.tr("filter.clear").c_str(), ImVec2(0, kTouchTarget))) set_ticked(c, d.field, {});
    ImGui::SameLine();
    if (primary_button(c.tr("tags.close").c_str(), ImVec2(120, 0))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void views_popup(AppContext& c) {
    ViewsForm& v = c.views_form;
    ImGui::SetNextWindowSizeConstraints(ImVec2(320, 0), ImVec2(480, ImGui::GetIO().DisplaySize.y * 0.6f));
    if (!ImGui::BeginPopup("##views")) return;
    auto views = list_views(*c.workspace);
    if (views) {
        for (const SavedView& view : *views) {
            ImGui::PushID(view.id.c_str());
            if (ImGui::Button(view.name.c_str(), ImVec2(240, kTouchTarget))) {
                CustomerFilter f = view.filter;
                f.text = c.customers.query();  // a view holds conditions; the search box stays
                c.customers.set_filter(std::move(f));
                c.active_view = view.name;
                ImGui::CloseCurrentPopup();
            }
            ImGui::SameLine();
            const std::string remove = c.tr("filter.delete_view") + "##" + view.id;
            if (ImGui::Button(remove.c_str(), ImVec2(0, kTouchTarget))) {
                if (Status s = delete_view(*c.workspace, view.id); !s) v.error = c.message(s.error());
            }
            ImGui::PopID();
        }
        if (views->empty()) muted_text(c.tr("filter.no_views").c_str());
    }
    section_title(c.tr("filter.save_view_title").c_str());
    text_field(c.tr("filter.view_name").c_str(), &v.name, "text", nullptr, 300);
    ImGui::BeginDisabled(normalize_input(v.name).empty());
    if (primary_button(c.tr("filter.save_view").c_str(), ImVec2(300, 0))) {
        CustomerFilter f = c.customers.filter();
        f.text.clear();
        auto id = save_view(*c.workspace, "", v.name, f);
        if (id) {
            c.active_view = v.name;
            v = ViewsForm{};
            ImGui::CloseCurrentPopup();
        } else {
            v.error = c.message(id.error());
        }
    }
    ImGui::EndDisabled();
    if (!v.error.empty()) field_error(v.error.c_str());
    ImGui::EndPopup();
}

}  // namespace

void draw_filter_chips(AppContext& c) {
    const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    bool first = true;
    for (const Dimension& d : kDimensions) {
        ImGui::PushID(d.field);
        const std::string popup = std::string("##filter_") + d.field;
        const std::vector<std::string> values = ticked(c.customers.filter(), d.field);
        std::string label = c.tr(d.label_key);
        std::vector<std::pair<std::string, std::string>> options;
        if (!values.empty() || ImGui::IsPopupOpen(popup.c_str())) options = choices(c, d);
        if (!values.empty()) {
            // "Status: Won, Lost" — what the chip holds, in the chip.
            std::string held;
            for (const auto& [value, text] : options)
                if (std::find(values.begin(), values.end(), value) != values.end())
                    held += (held.empty() ? "" : c.tr("form.list_separator")) + text;
            label += c.tr("filter.holds") + held;
        }
        if (chip(label.c_str(), !values.empty(), right, first)) {
            c.filter_choices.erase(d.field);  // fresh values when the list opens
            ImGui::OpenPopup(popup.c_str());
        }
        first = false;
        choices_popup(c, d, options);
        ImGui::PopID();
    }
    const std::string views = c.active_view.empty() ? c.tr("filter.views") : c.tr("filter.views") + c.tr("filter.holds") + c.active_view;
    if (chip(views.c_str(), false, right, false)) {
        c.views_form = ViewsForm{};
        ImGui::OpenPopup("##views");
    }
    views_popup(c);
    if (!c.customers.filter().conditions.empty()) {
        if (chip(c.tr("filter.clear_all").c_str(), false, right, false)) {
            CustomerFilter f;
            f.text = c.customers.query();
            c.customers.set_filter(std::move(f));
            c.active_view.clear();
        }
    }
}

}  // namespace crm::ui
