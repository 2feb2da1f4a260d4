// Team sync in Settings: where the team's files are, starting or joining a team, syncing now
// or automatically, and what the last sync did (which fields other devices changed here).
//
// The jobs are sync/session.h's. The page performs their remote calls one at a time
// (host.remote_call, web/sync_remote.js) and hands each answer back (sync_answered), so
// the app keeps drawing and editing while a sync waits on the network.
#include <imgui.h>

#include <nlohmann/json.hpp>

#include "core/schema.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {

namespace {
constexpr int64_t kPullEveryMs = 5 * 60 * 1000.0;  // automatic sync with nothing to send

std::string remote_json(const SyncForm& f) {
    nlohmann::json j = {{"kind", f.kind}, {"url", f.url}};
    if (f.kind == "http") j["token"] = f.token;
    if (f.kind == "webdav") {
        j["user"] = f.user;
        j["password"] = f.password;
    }
    return j.dump();
}

void refresh_status(AppContext& c) {
    SyncForm& f = c.sync;
    if (auto at = sync::last_sync_at(*c.workspace)) f.last_ok_at = *at;
    if (auto n = sync::unsent_changes(*c.workspace)) f.unsent = *n;
    if (auto team = sync::load_team(*c.workspace); team && *team) f.team_invite = sync::invite_code(**team);
}

// Reads the location and the automatic-sync choice once per workspace.
void load(AppContext& c) {
    SyncForm& f = c.sync;
    if (f.loaded || !c.workspace) return;
    f.loaded = true;
    if (auto r = sync::remote_config(*c.workspace); r && !r->empty()) {
        auto j = nlohmann::json::parse(*r, nullptr, false);
        if (j.is_object()) {
            f.kind = j.value("kind", "http");
            f.url = j.value("url", "");
            f.token = j.value("token", "");
            f.user = j.value("user", "");
            f.password = j.value("password", "");
        }
    }
    auto a = c.workspace->setting("sync.auto");
    f.auto_sync = !(a && *a && **a == "0");
    refresh_status(c);
}

// Hands the job's next remote call to the page, or, when the job has ended, keeps its outcome.
void next_call(AppContext& c) {
    SyncForm& f = c.sync;
    if (const sync::RemoteCall* call = f.job->pending()) {
        c.host.remote_call(f.remote, *call);
        return;
    }
    sync::SyncOutcome out = f.job->take_result();
    f.job.reset();
    ++f.jobs_done;
    f.error = out.status ? "" : c.message(out.status.error());
    f.last = std::move(out);
    c.customers.invalidate();  // records may have come in
    c.filter_choices.clear();
    refresh_status(c);
}

void start(AppContext& c, sync::Task<sync::SyncOutcome> task) {
    SyncForm& f = c.sync;
    f.error.clear();
    f.remote = remote_json(f);
    f.last_started_ms = c.workspace->clock().now_ms();
    f.job.emplace(std::move(task));
    next_call(c);
}

// The location must be complete before anything is tried; says what is missing.
bool location_ready(AppContext& c) {
    SyncForm& f = c.sync;
    if (!c.host.remote_call) {
        f.error = c.tr("sync.unavailable");
        return false;
    }
    if (f.url.rfind("http://", 0) != 0 && f.url.rfind("https://", 0) != 0) {
        f.error = c.tr("sync.url_needed");
        return false;
    }
    const std::string wanted = remote_json(f);
    auto stored = sync::remote_config(*c.workspace);
    if (stored && *stored == wanted) return true;  // no commit for a location that did not change
    if (auto s = sync::save_remote_config(*c.workspace, wanted); !s) {
        f.error = c.message(s.error());
        return false;
    }
    return true;
}

void draw_location(AppContext& c, bool editable) {
    SyncForm& f = c.sync;
    if (!editable) ImGui::BeginDisabled();
    chip_choice(c.tr("sync.kind").c_str(), &f.kind,
                {{"http", c.tr("sync.kind.http")}, {"webdav", c.tr("sync.kind.webdav")}});
    text_field(c.tr("sync.url").c_str(), &f.url, "url",
               f.kind == "http" ? "http://192.168.1.10:8000/sync/" : "https://nas.example.com/dav/crm/");
    if (f.kind == "http") {
        password_field(c.tr("sync.token").c_str(), &f.token);
    } else {
        text_field(c.tr("sync.user").c_str(), &f.user);
        password_field(c.tr("sync.password").c_str(), &f.password);
    }
    if (!editable) ImGui::EndDisabled();
}

std::string show_value(const std::optional<std::string>& v) { return v && !v->empty() ? *v : "—"; }

// What the last job did: counts, and the fields other devices changed here.
void draw_outcome(AppContext& c) {
    const SyncForm& f = c.sync;
    if (!f.last || !f.last->status) return;
    const sync::SyncReport& r = f.last->report;
    muted_text(c.trf("sync.report", {{"sent", std::to_string(r.messages_sent)},
                                     {"received", std::to_string(r.messages_applied)}}).c_str());
    if (f.last->overwritten.empty()) return;
    ImGui::TextUnformatted(c.trf("sync.overwritten", {{"n", std::to_string(f.last->overwritten.size())}}).c_str());
    size_t shown = 0;
    for (const HistoryEntry& h : f.last->overwritten) {
        if (++shown > 8) {
            muted_text(c.trf("sync.overwritten_more", {{"n", std::to_string(f.last->overwritten.size() - 8)}}).c_str());
            break;
        }
        const TableMeta* t = table_meta(h.table);
        const FieldMeta* fm = t ? t->field(h.field) : nullptr;
        const std::string field = fm ? c.tr(fm->label_key) : h.field;
        ImGui::BulletText("%s", c.trf("sync.overwritten_row", {{"field", field},
                                                               {"old", show_value(h.old_value)},
                                                               {"new", show_value(h.new_value)},
                                                               {"user", h.actor}})
                                     .c_str());
    }
}
}  // namespace

void sync_answered(AppContext& c, sync::RemoteAnswer answer) {
    if (!c.sync.job || !c.sync.job->pending()) return;  // the job was dropped (locked) meanwhile
    if (answer.error && answer.error->params.empty()) answer.error->with("name", c.sync.job->pending()->name);
    c.sync.job->answer(std::move(answer));
    next_call(c);
}

void sync_auto(AppContext& c, bool back_online) {
    if (!c.workspace) return;
    load(c);
    SyncForm& f = c.sync;
    if (f.job || !f.auto_sync || f.team_invite.empty() || f.url.empty() || !c.host.remote_call) return;
    refresh_status(c);
    const int64_t now_ms = c.workspace->clock().now_ms();
    if (!back_online && f.unsent == 0 && f.last_started_ms > 0 && now_ms - f.last_started_ms < kPullEveryMs) return;
    start(c, sync::sync_job(*c.workspace));
}

void draw_sync_settings(AppContext& c) {
    load(c);
    SyncForm& f = c.sync;
    section_title(c.tr("sync.title").c_str());
    const bool running = f.job.has_value();

    if (f.team_invite.empty()) {
        muted_text(c.tr("sync.intro").c_str());
        draw_location(c, !running);
        if (running) ImGui::BeginDisabled();
        if (primary_button(c.tr("sync.start_team").c_str()) && location_ready(c))
            start(c, sync::start_team_job(*c.workspace, sync::new_team()));
        text_field(c.tr("sync.invite").c_str(), &f.invite, "text", "CRM1-…");
        if (ImGui::Button(c.tr("sync.join").c_str(), ImVec2(0, kTouchTarget))) {
            auto team = sync::parse_invite(f.invite);
            if (!team) f.error = c.message(team.error());
            else if (location_ready(c)) start(c, sync::join_team_job(*c.workspace, *team));
        }
        if (running) ImGui::EndDisabled();
    } else {
        muted_text(c.trf("sync.in_team", {{"code", c.workspace->device().device_code}}).c_str());
        muted_text(f.last_ok_at.empty() ? c.tr("sync.never").c_str()
                                        : c.trf("sync.last_ok", {{"at", c.workspace->clock().local_minute(f.last_ok_at)}}).c_str());
        muted_text(c.trf("sync.unsent", {{"n", std::to_string(f.unsent)}}).c_str());
        if (running) {
            ImGui::TextUnformatted(c.tr("sync.running").c_str());
        } else if (primary_button(c.tr("sync.now").c_str()) && location_ready(c)) {
            start(c, sync::sync_job(*c.workspace));
        }
        if (ImGui::Checkbox(c.tr("sync.auto").c_str(), &f.auto_sync))
            (void)c.workspace->set_setting("sync.auto", f.auto_sync ? "1" : "0");
        ImGui::TextUnformatted(c.tr("sync.invite_code").c_str());
        ImGui::TextWrapped("%s", f.team_invite.c_str());
        if (ImGui::Button(c.tr("sync.copy_invite").c_str(), ImVec2(0, kTouchTarget)))
            ImGui::SetClipboardText(f.team_invite.c_str());
        if (!f.edit_location && ImGui::Button(c.tr("sync.change_location").c_str(), ImVec2(0, kTouchTarget)))
            f.edit_location = true;
        if (f.edit_location) {
            draw_location(c, !running);
            if (!running && ImGui::Button(c.tr("sync.save_location").c_str(), ImVec2(0, kTouchTarget)) &&
                location_ready(c)) {
                f.error.clear();
                f.edit_location = false;
            }
        }
    }
    if (!f.error.empty()) field_error(f.error.c_str());
    draw_outcome(c);
}

}  // namespace crm::ui
