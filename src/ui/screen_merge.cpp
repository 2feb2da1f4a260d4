// Merging two records of one customer: every field where they differ, side by side, the
// value to keep chosen with one tap (the record being kept wins by default, unless its
// value is empty); Merge moves contacts, interactions, tags and history to the kept record
// and retires the other (core/merge.h). Nothing differing is dropped unseen.
#include <imgui.h>

#include <algorithm>

#include "core/customers.h"
#include "core/merge.h"
#include "core/schema.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

// A field value as the user reads it: picklist codes translated, empty said so.
std::string shown(const AppContext& c, const std::string& field, const std::string& value) {
    if (value.empty()) return c.tr("merge.empty");
    const FieldMeta* meta = table_meta("customers")->field(field);
    if (meta && !meta->picklist.empty()) return c.tr("pick." + meta->picklist + "." + value);
    return value;
}

}  // namespace

void draw_merge(AppContext& c, const std::string& survivor_id, const std::string& absorbed_id) {
    MergeForm& f = c.merge_form;
    if (f.survivor != survivor_id || f.absorbed != absorbed_id) {
        f = MergeForm{};
        f.survivor = survivor_id;
        f.absorbed = absorbed_id;
    }
    auto survivor = get_customer(*c.workspace, survivor_id);
    auto absorbed = get_customer(*c.workspace, absorbed_id);
    auto diffs = merge_preview(*c.workspace, survivor_id, absorbed_id);
    if (!survivor || !absorbed || !diffs) {
        field_error(c.message(!survivor ? survivor.error() : !absorbed ? absorbed.error() : diffs.error()).c_str());
        if (ImGui::Button(c.tr("customers.back").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::Customers, {}});
        return;
    }
    c.merge_fields = diffs->size();

    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("merge.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PushTextWrapPos(0.0f);
    muted_text(c.trf("merge.hint", {{"kept", survivor->name + " " + survivor->number},
                                    {"retired", absorbed->name + " " + absorbed->number}}).c_str());
    ImGui::PopTextWrapPos();

    ImGui::BeginChild("merge_fields", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 24), false);
    const float avail = ImGui::GetContentRegionAvail().x;
    const float label_w = std::min(180.0f, avail * 0.28f);
    const float value_w = (avail - label_w - 24) * 0.5f;
    if (diffs->empty()) muted_text(c.tr("merge.no_differences").c_str());
    ImGui::TextColored(palette().text_muted, "%s", "");
    ImGui::SameLine(label_w);
    ImGui::TextColored(palette().text_muted, "%s", c.tr("merge.kept_record").c_str());
    ImGui::SameLine(label_w + value_w + 12);
    ImGui::TextColored(palette().text_muted, "%s", c.tr("merge.retired_record").c_str());
    for (const MergeDiff& d : *diffs) {
        ImGui::PushID(d.field.c_str());
        auto it = f.choices.find(d.field);
        const MergeSide side = it != f.choices.end() ? it->second
                               : d.survivor_value.empty() ? MergeSide::Absorbed : MergeSide::Survivor;
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(c.tr(d.label_key).c_str());
        ImGui::SameLine(label_w);
        const std::string left = shown(c, d.field, d.survivor_value) + "##kept";
        const std::string right = shown(c, d.field, d.absorbed_value) + "##retired";
        if (side == MergeSide::Survivor ? primary_button(left.c_str(), ImVec2(value_w, 0))
                                        : ImGui::Button(left.c_str(), ImVec2(value_w, kTouchTarget)))
            f.choices[d.field] = MergeSide::Survivor;
        ImGui::SameLine(label_w + value_w + 12);
        if (side == MergeSide::Absorbed ? primary_button(right.c_str(), ImVec2(value_w, 0))
                                        : ImGui::Button(right.c_str(), ImVec2(value_w, kTouchTarget)))
            f.choices[d.field] = MergeSide::Absorbed;
        ImGui::PopID();
    }
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::EndChild();

    if (danger_button(c.trf("merge.confirm", {{"name", survivor->name}}).c_str(), ImVec2(0, kTouchTarget))) {
        MergePlan plan{survivor_id, absorbed_id, {}};
        for (const MergeDiff& d : *diffs) {
            auto it = f.choices.find(d.field);
            plan.choices[d.field] = it != f.choices.end() ? it->second
                                    : d.survivor_value.empty() ? MergeSide::Absorbed : MergeSide::Survivor;
        }
        if (Status s = merge_customers(*c.workspace, plan); s) {
            f = MergeForm{};
            c.customers.invalidate();
            c.go(Route{Screen::Customer, survivor_id});
        } else {
            f.error = c.message(s.error());
        }
    }
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = MergeForm{};
        c.go(Route{Screen::Customer, survivor_id});
    }
}

}  // namespace crm::ui
