// What a rep does to a customer from its page, besides logging a follow-up: change its
// status (a dialog that will not save without a reason, kept in the history), and tag it
// from the controlled library (a tag that conflicts with one the customer has is shown
// disabled with the reason; a missing tag can be proposed and waits for approval).
#include <imgui.h>

#include <algorithm>

#include "core/customers.h"
#include "core/picklists.h"
#include "core/tags.h"
#include "ui/app_context.h"
#include "ui/test_registry.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

constexpr const char* kStatusPopup = "##change_status";
constexpr const char* kTagsPopup = "##add_tag";


// Centered, sized for touch, and never wider than the screen.
bool begin_dialog(const char* id, float width) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(width, size.x - 32), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(24, 20));
    const bool open = ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                                              ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PopStyleVar();
    return open;
}

}  // namespace

std::string tag_name(const AppContext& c, const Tag& t) {
    return c.lang == "en" && !t.name_en.empty() ? t.name_en : t.name_zh;
}

void open_status_dialog(AppContext& c) {
    c.status_form = StatusForm{};
    c.status_form.open = true;
    ImGui::OpenPopup(kStatusPopup);
}

void draw_status_dialog(AppContext& c, const Customer& cu) {
    StatusForm& f = c.status_form;
    if (!begin_dialog(kStatusPopup, 560)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted(c.tr("status.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    muted_text(c.trf("status.current", {{"status", c.tr("pick.status." + cu.status)}}).c_str());
    std::vector<std::pair<std::string, std::string>> options;
    for (const PickOption& o : picklist("status"))
        if (o.code != cu.status) options.emplace_back(o.code, c.tr(o.label_key));
    chip_choice(c.tr("status.new").c_str(), &f.to, options);
    text_area(c.tr("status.reason").c_str(), &f.reason, 3, -1.0f);
    const bool has_reason = !normalize_input(f.reason).empty();
    if (!f.to.empty() && !has_reason) muted_text(c.tr("status.reason_hint").c_str());
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::BeginDisabled(f.to.empty() || !has_reason);
    if (primary_button(c.tr("status.save").c_str(), ImVec2(200, 0))) {
        Status s = change_status(*c.workspace, cu.id, f.to, f.reason);
        if (s) {
            f = StatusForm{};
            c.customers.invalidate();
            ImGui::CloseCurrentPopup();
        } else {
            f.error = c.message(s.error());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(c.tr("form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = StatusForm{};
        ImGui::CloseCurrentPopup();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndPopup();
}

void draw_customer_tags(AppContext& c, const std::string& customer_id) {
    TagForm& f = c.tag_form;
    c.customer_page.load(*c.workspace, customer_id);  // read once, not every frame
    const std::vector<CustomerTag>* held = &c.customer_page.tags;
    // The customer's tags as chips; tapping one's "×" removes it.
    c.detail_tags.clear();
    for (const CustomerTag& ct : *held) {
        c.detail_tags.push_back(tag_name(c, ct.tag));
        ImGui::PushID(ct.id.c_str());
        badge(tag_name(c, ct.tag).c_str(), palette().accent);
        ImGui::SameLine(0, 4);
        const std::string remove = "×##" + ct.id;
        if (ImGui::Button(remove.c_str(), ImVec2(kTouchTarget, kTouchTarget))) {
            if (Status s = remove_tag_from_customer(*c.workspace, ct.id); !s) f.error = c.message(s.error());
            c.customers.invalidate();
        }
        set_last_item_label((c.tr("tags.remove") + " " + tag_name(c, ct.tag)).c_str(), "button");
        ImGui::SameLine(0, 16);
        ImGui::PopID();
    }
    if (ImGui::Button(c.tr("tags.add").c_str(), ImVec2(0, kTouchTarget))) {
        f = TagForm{};
        ImGui::OpenPopup(kTagsPopup);
    }
    if (!f.error.empty() && !ImGui::IsPopupOpen(kTagsPopup)) field_error(f.error.c_str());

    if (!begin_dialog(kTagsPopup, 720)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted(c.tr("tags.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    auto library = list_tags(*c.workspace);
    if (library) {
        auto holds = [&](const Tag& t) {
            return std::any_of(held->begin(), held->end(), [&](const CustomerTag& ct) { return ct.tag_id == t.id; });
        };
        // The customer's tag that excludes t (same conflict group), if any.
        auto blocker_of = [&](const Tag& t) -> const CustomerTag* {
            if (t.conflict_group.empty() || holds(t)) return nullptr;
            for (const CustomerTag& ct : *held)
                if (ct.tag.conflict_group == t.conflict_group) return &ct;
            return nullptr;
        };
        c.tag_hints.clear();
        ImGui::BeginChild("library", ImVec2(0, std::min(ImGui::GetIO().DisplaySize.y * 0.5f, 420.0f)), false);
        ImGui::PushTextWrapPos(0.0f);  // the child has its own wrap position
        for (const PickOption& type : picklist("tag_type")) {
            section_title(c.tr(type.label_key).c_str());
            bool first = true;
            const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
            for (const Tag& t : *library) {
                if (t.type != type.code) continue;
                const bool has = holds(t);
                const CustomerTag* blocker = blocker_of(t);
                std::string label = tag_name(c, t);
                if (t.state == "proposed") label += " · " + c.tr("tags.waiting");
                const float w = ImGui::CalcTextSize(label.c_str()).x + 32;
                if (!first) {
                    ImGui::SameLine();
                    if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
                }
                first = false;
                ImGui::BeginDisabled(has || blocker || t.state != "approved");
                if (ImGui::Button((label + "##" + t.id).c_str(), ImVec2(w, kTouchTarget))) {
                    auto added = add_tag_to_customer(*c.workspace, customer_id, t.id);
                    f.error = added ? std::string() : c.message(added.error());
                    c.customers.invalidate();
                    if (added) ImGui::CloseCurrentPopup();
                }
                set_last_item_label(label.c_str(), "button");
                ImGui::EndDisabled();
            }
            // Why some tags of this type cannot be chosen, in view without a tap.
            std::string blocked, held_name;
            for (const Tag& t : *library) {
                if (t.type != type.code) continue;
                const CustomerTag* b = blocker_of(t);
                if (!b) continue;
                blocked += (blocked.empty() ? "" : c.tr("form.list_separator")) + tag_name(c, t);
                held_name = tag_name(c, b->tag);
            }
            if (!blocked.empty()) {
                c.tag_hints.push_back(c.trf("tags.conflict_hint", {{"tags", blocked}, {"held", held_name}}));
                ImGui::TextColored(palette().warning, "%s", c.tag_hints.back().c_str());
            }
        }
        ImGui::PopTextWrapPos();
        ImGui::EndChild();
    }
    // A tag the library lacks: proposed here, usable once a manager approves it.
    section_title(c.tr("tags.propose_title").c_str());
    std::vector<std::pair<std::string, std::string>> types;
    for (const PickOption& o : picklist("tag_type")) types.emplace_back(o.code, c.tr(o.label_key));
    chip_choice("", &f.propose_type, types);
    text_field(c.tr("tags.propose_name").c_str(), &f.propose_name, "text", nullptr, 320);
    ImGui::BeginDisabled(f.propose_type.empty() || normalize_input(f.propose_name).empty());
    if (ImGui::Button(c.tr("tags.propose").c_str(), ImVec2(0, kTouchTarget))) {
        auto id = propose_tag(*c.workspace, f.propose_type, f.propose_name, "");
        if (id) {
            f.done = c.trf("tags.proposed", {{"tag", f.propose_name}});
            f.propose_name.clear();
        } else {
            f.error = c.message(id.error());
        }
    }
    ImGui::EndDisabled();
    if (!f.done.empty()) ImGui::TextColored(palette().success, "%s", f.done.c_str());
    if (!f.error.empty()) field_error(f.error.c_str());
    if (ImGui::Button(c.tr("tags.close").c_str(), ImVec2(160, kTouchTarget))) {
        f = TagForm{};
        ImGui::CloseCurrentPopup();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndPopup();
}

// Settings → tag library: proposed tags wait here for approval (a manager's task once
// roles exist); approved ones become usable on customers at once.
void draw_tag_library(AppContext& c) {
    section_title(c.tr("tags.library").c_str());
    auto proposed = list_tags(*c.workspace, "proposed");
    if (!proposed) {
        field_error(c.message(proposed.error()).c_str());
        return;
    }
    c.proposed_tags = proposed->size();
    if (proposed->empty()) muted_text(c.tr("tags.none_proposed").c_str());
    for (const Tag& t : *proposed) {
        ImGui::PushID(t.id.c_str());
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%s  ·  %s", tag_name(c, t).c_str(), c.tr("pick.tag_type." + t.type).c_str());
        ImGui::SameLine();
        if (ImGui::Button((c.tr("tags.approve") + "##" + t.id).c_str(), ImVec2(0, kTouchTarget))) {
            if (Status s = approve_tag(*c.workspace, t.id); !s) c.tag_form.error = c.message(s.error());
        }
        set_last_item_label((c.tr("tags.approve") + " " + tag_name(c, t)).c_str(), "button");
        ImGui::SameLine();
        if (ImGui::Button((c.tr("tags.reject") + "##" + t.id).c_str(), ImVec2(0, kTouchTarget))) {
            if (Status s = reject_tag(*c.workspace, t.id); !s) c.tag_form.error = c.message(s.error());
        }
        set_last_item_label((c.tr("tags.reject") + " " + tag_name(c, t)).c_str(), "button");
        ImGui::PopID();
    }
}

}  // namespace crm::ui
