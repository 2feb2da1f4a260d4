// One customer: header (number, name, status, owner), base information, contacts (each
// with Edit), key dates, consents, the interaction timeline (newest first, with feedback
// and next action) and the history of changes. Everything shown comes from the page's
// cache (customer_page.h), read again only when the workspace changed.
#include <imgui.h>

#include <algorithm>

#include "core/validate.h"
#include "ui/app_context.h"
#include "ui/test_registry.h"
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

// A history entry's field in words: a record created or removed, or the field's label.
std::string history_field(const AppContext& c, const HistoryEntry& h) {
    if (h.field == "created") return c.tr("history.created." + h.table);
    if (h.field == "deleted") return c.tr("history.deleted." + h.table);
    const std::string key = "field." + h.table + "." + h.field;
    const std::string label = c.tr(key);
    return label == key ? h.field : label;   // an event (merged, ...) has no field label
}

// A stored value in words: a picklist code as its label, nothing as "(empty)".
std::string history_value(const AppContext& c, const HistoryEntry& h, const std::optional<std::string>& v) {
    if (!v || v->empty()) return c.tr("merge.empty");
    const TableMeta* t = table_meta(h.table);
    const FieldMeta* f = t ? t->field(h.field) : nullptr;
    if (f && f->kind == FieldKind::Enum) return c.tr("pick." + f->picklist + "." + *v);
    if (f && f->kind == FieldKind::Money) return display_money(*v);
    return *v;
}

constexpr size_t kHistoryShown = 50;  // newest first; older entries are counted, not drawn

void draw_history(const AppContext& c, const CustomerPage& page) {
    const std::vector<HistoryEntry>& history = page.history;
    if (history.empty()) {
        muted_text(c.tr("history.none").c_str());
        return;
    }
    const size_t n = std::min(history.size(), kHistoryShown);
    for (size_t i = 0; i < n; ++i) {
        const HistoryEntry& h = history[i];
        // when · who · field: old → new, and where it came from when not typed here.
        const std::string& when = page.history_times[i];
        // One line each: when · who, where it came from (unless typed here), what changed.
        ImGui::TextColored(palette().text_muted, "%s · %s", when.c_str(), h.actor.c_str());
        if (h.origin != "local") {
            ImGui::SameLine();
            badge(c.tr("history.origin." + h.origin).c_str(), h.origin == "sync" ? palette().accent : palette().text_muted);
        }
        std::string line = history_field(c, h);
        if (h.field != "created" && h.field != "deleted")
            line += ": " + history_value(c, h, h.old_value) + " → " + history_value(c, h, h.new_value);
        ImGui::SameLine(0, 12);
        ImGui::TextWrapped("%s", line.c_str());
    }
    if (history.size() > n) muted_text(c.trf("history.more", {{"count", std::to_string(history.size() - n)}}).c_str());
}

}  // namespace

void draw_customer_detail(AppContext& c, const std::string& id) {
    if (ImGui::Button(c.tr("customers.back").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::Customers, {}});
    CustomerPage& page = c.customer_page;
    page.load(*c.workspace, id);
    if (page.error) {
        ImGui::TextColored(palette().danger, "%s", c.message(*page.error).c_str());
        return;
    }
    const Customer& cu = page.customer;
    c.detail_status = cu.status;
    // The two things a rep does most, at the top and in reach of a thumb.
    ImGui::SameLine();
    if (primary_button(c.tr("today.log_interaction").c_str())) c.go(Route{Screen::LogInteraction, id});
    ImGui::SameLine();
    if (ImGui::Button(c.tr("status.change").c_str(), ImVec2(0, kTouchTarget)) || c.open_status_next) {
        c.open_status_next = false;  // asked from the list's menu
        open_status_dialog(c);
    }
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
    c.detail_sections.clear();
    auto section = [&](const char* key) {
        section_title(c.tr(key).c_str());
        c.detail_sections.push_back(key);
    };
    // Records that look like this one: why, and a way to merge them into it.
    c.detail_duplicates = page.duplicates.size();
    if (!page.duplicates.empty()) {
        section("merge.possible_duplicates");
        for (const DuplicateCandidate& d : page.duplicates) {
            ImGui::PushID(d.customer_id.c_str());
            ImGui::TextColored(palette().warning, "%s  %s", d.name.c_str(), d.number.c_str());
            ImGui::SameLine();
            muted_text(explain_reasons(c.tr_table(), d.reasons).c_str());
            if (ImGui::Button(c.tr("merge.open").c_str(), ImVec2(0, kTouchTarget)))
                c.go(Route{Screen::Merge, id, d.customer_id});
            ImGui::PopID();
        }
    }
    section("customer.tags");
    draw_customer_tags(c, id);

    section("customer.base_info");
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
        info_row(c, "field.customers.budget", display_money(cu.budget));
        info_row(c, "field.customers.first_contact_date", cu.first_contact_date);
        ImGui::EndTable();
    }

    section("customer.contacts");
    if (ImGui::Button(c.tr("contact.add").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::AddContact, id});
    c.detail_contacts = page.contacts.size();
    for (const Contact& ct : page.contacts) {
        ImGui::PushID(ct.id.c_str());
        // Edit (and remove, from its form) each contact; the button names the contact for tests.
        // The rest of the line sits on the button's middle.
        const float top = ImGui::GetCursorPosY();
        const float middle = top + (kTouchTarget - ImGui::GetFrameHeight()) * 0.5f;
        if (ImGui::Button(c.tr("contact.edit").c_str(), ImVec2(0, kTouchTarget))) c.go(Route{Screen::EditContact, id, ct.id});
        set_last_item_label(c.tr("contact.edit") + " " + ct.name, "button");
        ImGui::SameLine();
        if (ct.is_key) {
            ImGui::SetCursorPosY(middle);
            badge(c.tr("customer.key_contact").c_str(), palette().accent);
            ImGui::SameLine();
        }
        ImGui::SetCursorPosY(middle);
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%s  %s", ct.name.c_str(), ct.title.c_str());
        ImGui::SameLine();
        ImGui::SetCursorPosY(middle);
        ImGui::AlignTextToFramePadding();
        std::string phone = !ct.mobile.empty() ? mask_phone(ct.mobile) : mask_phone(ct.landline);
        ImGui::TextColored(palette().text_muted, "%s  %s", phone.c_str(), ct.email.c_str());
        ImGui::PopID();
    }

    section("customer.key_dates");
    if (page.key_dates.empty()) muted_text(c.tr("customer.no_key_dates").c_str());
    for (const KeyDate& k : page.key_dates) {
        ImGui::Text("%s  %s", k.date.c_str(), c.tr("pick.key_date_kind." + k.kind).c_str());
        if (k.lead_days > 0) {
            ImGui::SameLine();
            muted_text(c.trf("customer.key_date_lead", {{"days", std::to_string(k.lead_days)}}).c_str());
        }
        if (!k.note.empty()) {
            ImGui::SameLine();
            muted_text(k.note.c_str());
        }
    }

    section("customer.consents");
    if (page.consents.empty()) muted_text(c.tr("customer.no_consents").c_str());
    for (const Consent& k : page.consents) {
        badge(c.tr(k.active() ? "consent.active" : "consent.withdrawn").c_str(),
              k.active() ? palette().success : palette().text_muted);
        ImGui::SameLine();
        ImGui::Text("%s · %s", k.purpose.c_str(), k.given_on.c_str());
        if (!k.channel.empty() || k.sensitive) {
            ImGui::SameLine();
            std::string more = k.channel;
            if (k.sensitive) more += (more.empty() ? "" : " · ") + c.tr("consent.sensitive");
            muted_text(more.c_str());
        }
        if (!k.active()) muted_text(c.trf("consent.withdrawn_on", {{"date", k.withdrawn_on}}).c_str());
    }

    section("customer.interactions");
    c.detail_interactions = page.interactions.size();
    if (page.interactions.empty()) muted_text(c.tr("customer.no_interactions").c_str());
    for (size_t i = 0; i < page.interactions.size(); ++i) {
        const Interaction& in = page.interactions[i];
        ImGui::Separator();
        ImGui::TextColored(palette().text_muted, "%s · %s · %s", page.interaction_times[i].c_str(),
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

    section("customer.history");
    draw_history(c, page);
    ImGui::EndChild();
}

}  // namespace crm::ui
