// Team sync in Settings: where the team's files are, starting or joining a team, syncing now
// or automatically, and what the last sync did (which fields other devices changed here).
//
// Kinds of place: serve.py (http), WebDAV, a shared folder (its handle stays on the page,
// which asks for permission again after a reload), and a file carried by hand ("send my
// changes" downloads the namespace this device keeps on the page; "load changes" merges a
// file someone sent into it, sync/sync_file.h, then syncs).
//
// The jobs are sync/session.h's. The page performs their remote calls one at a time
// (host.remote_call, web/sync_remote.js) and hands each answer back (sync_answered), so
// the app keeps drawing and editing while a sync waits on the network.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/schema.h"
#include "sync/sync_file.h"
#include "ui/test_registry.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {

namespace {
constexpr int64_t kPullEveryMs = 5 * 60 * 1000.0;  // automatic sync with nothing to send

std::string remote_json(const SyncForm& f) {
    if (f.kind == "folder") return nlohmann::json{{"kind", "folder"}, {"folder", f.folder}}.dump();
    if (f.kind == "file") return nlohmann::json{{"kind", "file"}}.dump();
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
            f.folder = j.value("folder", "");
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
    f.error_code = out.status ? "" : out.status.error().code;
    if (out.status && (out.loaded.added || out.loaded.replaced))
        f.notice = c.trf("sync.file_loaded", {{"added", std::to_string(out.loaded.added)},
                                              {"replaced", std::to_string(out.loaded.replaced)}});
    if (out.status && f.send_after && c.host.sync_place) {
        c.host.sync_place("send_file", f.remote);  // the page downloads what the round left in its namespace
        f.notice = c.tr("sync.file_sent");
    }
    f.send_after = false;
    f.last = std::move(out);
    c.customers.invalidate();  // records may have come in
    c.filter_choices.clear();
    refresh_status(c);
}

void start(AppContext& c, sync::Task<sync::SyncOutcome> task) {
    SyncForm& f = c.sync;
    f.error.clear();
    f.error_code.clear();
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
    if (f.kind == "folder" && f.folder.empty()) {
        f.error = c.tr("err.sync.folder_none");
        return false;
    }
    const bool needs_url = f.kind == "http" || f.kind == "webdav";
    if (needs_url && f.url.rfind("http://", 0) != 0 && f.url.rfind("https://", 0) != 0) {
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
    std::vector<std::pair<std::string, std::string>> kinds = {{"http", c.tr("sync.kind.http")},
                                                              {"webdav", c.tr("sync.kind.webdav")}};
    if (f.folder_picker || f.kind == "folder") kinds.push_back({"folder", c.tr("sync.kind.folder")});
    kinds.push_back({"file", c.tr("sync.kind.file")});
    chip_choice(c.tr("sync.kind").c_str(), &f.kind, kinds);
    if (f.kind == "folder") {
        muted_text(c.tr("sync.folder_hint").c_str());
        if (!f.folder.empty()) ImGui::TextUnformatted(c.trf("sync.folder_chosen", {{"name", f.folder}}).c_str());
        if (ImGui::Button(c.tr("sync.folder_choose").c_str(), ImVec2(0, kTouchTarget)) && c.host.sync_place)
            c.host.sync_place("pick_folder", "");
        if (!editable) ImGui::EndDisabled();
        return;
    }
    if (f.kind == "file") {
        muted_text(c.tr("sync.file_hint").c_str());
        if (!editable) ImGui::EndDisabled();
        return;
    }
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

// The invite as a QR code: dark modules on white with a 4-module quiet zone, in every
// theme (cameras want dark on light), modules whole pixels and at least 5 px.
void draw_invite_qr(AppContext& c) {
    SyncForm& f = c.sync;
    if (f.qr_for != f.team_invite) {
        f.qr_for = f.team_invite;
        auto qr = sync::qr_matrix(f.team_invite);
        if (qr) f.qr = std::move(*qr);
        else f.qr.reset();
    }
    if (!f.qr) {
        muted_text(c.tr("err.sync.qr_failed").c_str());
        return;
    }
    const int modules = f.qr->size + 8;
    const float dpr = ImGui::GetIO().DisplayFramebufferScale.x > 0 ? ImGui::GetIO().DisplayFramebufferScale.x : 1.0f;
    float px = std::floor(std::min(ImGui::GetContentRegionAvail().x, 320.0f) * dpr / modules);
    px = std::max(px, 5.0f) / dpr;  // whole device pixels per module
    muted_text(c.tr("sync.qr_hint").c_str());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float side = px * modules;
    ImGui::InvisibleButton("##invite_qr", ImVec2(side, side));
    set_last_item_label(c.tr("sync.invite_qr"), "image");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(at, ImVec2(at.x + side, at.y + side), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < f.qr->size; ++y)
        for (int x = 0; x < f.qr->size; ++x)
            if (f.qr->at(x, y)) {
                const ImVec2 p(at.x + (x + 4) * px, at.y + (y + 4) * px);
                dl->AddRectFilled(p, ImVec2(p.x + px, p.y + px), IM_COL32(0, 0, 0, 255));
            }
}

// A new message is brought into view: the buttons that start a job sit low on a tablet's
// screen, and the message drawn under them would stay out of sight.
void draw_error(SyncForm& f) {
    field_error(f.error.c_str());
    if (f.error == f.error_shown) return;
    f.error_shown = f.error;
    if (ImGui::GetItemRectMax().y > ImGui::GetWindowPos().y + ImGui::GetWindowHeight()) ImGui::SetScrollHereY(1.0f);
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

void sync_place_answered(AppContext& c, std::string_view json) {
    SyncForm& f = c.sync;
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return;
    if (j.contains("folder_picker")) {
        f.folder_picker = j.value("folder_picker", false);
        return;
    }
    const std::string action = j.value("action", "");
    if (j.contains("error")) {
        if (j.value("error", "") == "cancelled") return;  // the user closed the picker
        Error e = make_error(j.value("error", "err.sync.remote_settings"), {}, j.value("detail", ""));
        e.with("name", j.value("detail", ""));
        f.error = c.message(e);
        f.error_code = e.code;
        return;
    }
    f.error.clear();
    f.error_code.clear();
    if (action == "pick_folder") {
        f.folder = j.value("folder", "");
        // A team already syncing through a folder uses the new one at once.
        if (!f.team_invite.empty() && f.kind == "folder" && location_ready(c) && !f.job) f.edit_location = false;
    } else if (action == "allow_folder" && c.workspace && !f.job && location_ready(c)) {
        start(c, sync::sync_job(*c.workspace));
    }
}

void sync_file_picked(AppContext& c, const std::vector<uint8_t>& bytes) {
    SyncForm& f = c.sync;
    load(c);
    ++f.files_picked;
    if (f.job) return;
    auto entries = sync::parse_sync_file(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    if (!entries) {
        f.error = c.message(entries.error());
        f.error_code = entries.error().code;
        f.joining.reset();
        return;
    }
    f.notice.clear();
    if (f.joining) {
        sync::Team team = *f.joining;
        f.joining.reset();
        if (location_ready(c)) start(c, sync::join_from_file_job(*c.workspace, team, std::move(*entries)));
    } else if (location_ready(c)) {
        start(c, sync::load_file_job(*c.workspace, std::move(*entries)));
    }
}

void sync_answered(AppContext& c, sync::RemoteAnswer answer) {
    if (!c.sync.job || !c.sync.job->pending()) return;  // the job was dropped (locked) meanwhile
    if (answer.error && answer.error->params.empty()) {
        // The folder's errors are about the folder (the page names it), not one of its files.
        const std::string& code = answer.error->code;
        const bool about_folder = code == "err.sync.folder_none" || code == "err.sync.folder_permission" ||
                                  code == "err.sync.folder_gone";
        answer.error->with("name", about_folder ? answer.error->detail : c.sync.job->pending()->name);
    }
    c.sync.job->answer(std::move(answer));
    next_call(c);
}

void sync_auto(AppContext& c, bool back_online) {
    if (!c.workspace) return;
    load(c);
    SyncForm& f = c.sync;
    if (f.job || !f.auto_sync || f.team_invite.empty() || !c.host.remote_call) return;
    // A file goes out only when the user sends it; a folder waits for its permission.
    if (f.kind == "file" || ((f.kind == "http" || f.kind == "webdav") && f.url.empty())) return;
    if (f.kind == "folder" && (f.folder.empty() || f.error_code == "err.sync.folder_permission")) return;
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
    if (f.error.empty()) f.error_shown.clear();  // the same message again is news again

    if (f.team_invite.empty()) {
        muted_text(c.tr("sync.intro").c_str());
        draw_location(c, !running);
        if (running) ImGui::BeginDisabled();
        if (primary_button(c.tr("sync.start_team").c_str()) && location_ready(c))
            start(c, sync::start_team_job(*c.workspace, sync::new_team()));
        if (f.kind == "file") muted_text(c.tr("sync.file_join_hint").c_str());
        text_field(c.tr("sync.invite").c_str(), &f.invite, "text", "CRM1-…");
        if (ImGui::Button(c.tr("sync.join").c_str(), ImVec2(0, kTouchTarget))) {
            auto team = sync::parse_invite(f.invite);
            if (!team) {
                f.error = c.message(team.error());
            } else if (f.kind == "file" && location_ready(c)) {
                f.joining = *team;  // the team's file comes next (sync_file_picked)
                c.pick_purpose = "sync";
                if (c.host.pick_file) c.host.pick_file(".json,application/json");
            } else if (location_ready(c)) {
                start(c, sync::join_team_job(*c.workspace, *team));
            }
        }
        if (running) ImGui::EndDisabled();
    } else {
        muted_text(c.trf("sync.in_team", {{"code", c.workspace->device().device_code}}).c_str());
        muted_text(f.last_ok_at.empty() ? c.tr("sync.never").c_str()
                                        : c.trf("sync.last_ok", {{"at", c.workspace->clock().local_minute(f.last_ok_at)}}).c_str());
        muted_text(c.trf("sync.unsent", {{"n", std::to_string(f.unsent)}}).c_str());
        if (running) {
            ImGui::TextUnformatted(c.tr("sync.running").c_str());
        } else if (f.kind == "file") {
            if (primary_button(c.tr("sync.file_send").c_str()) && location_ready(c)) {
                f.notice.clear();
                f.send_after = true;
                start(c, sync::sync_job(*c.workspace));
            }
            ImGui::SameLine();
            if (ImGui::Button(c.tr("sync.file_load").c_str(), ImVec2(0, kTouchTarget)) && c.host.pick_file) {
                c.pick_purpose = "sync";
                c.host.pick_file(".json,application/json");
            }
        } else if (primary_button(c.tr("sync.now").c_str()) && location_ready(c)) {
            start(c, sync::sync_job(*c.workspace));
        }
        // What went wrong or what a file action did, next to the buttons, not under the QR code.
        if (!f.error.empty()) draw_error(f);
        if (!f.notice.empty()) muted_text(f.notice.c_str());
        if (!running && f.error_code == "err.sync.folder_permission" && c.host.sync_place &&
            ImGui::Button(c.tr("sync.folder_allow").c_str(), ImVec2(0, kTouchTarget)))
            c.host.sync_place("allow_folder", remote_json(f));
        const bool no_folder = f.error_code == "err.sync.folder_gone" || f.error_code == "err.sync.folder_none";
        if (!running && no_folder && c.host.sync_place &&
            ImGui::Button(c.tr("sync.folder_choose").c_str(), ImVec2(0, kTouchTarget)))
            c.host.sync_place("pick_folder", "");
        if (f.kind != "file" && ImGui::Checkbox(c.tr("sync.auto").c_str(), &f.auto_sync))
            (void)c.workspace->set_setting("sync.auto", f.auto_sync ? "1" : "0");
        ImGui::TextUnformatted(c.tr("sync.invite_code").c_str());
        ImGui::TextWrapped("%s", f.team_invite.c_str());
        if (ImGui::Button(c.tr("sync.copy_invite").c_str(), ImVec2(0, kTouchTarget)))
            ImGui::SetClipboardText(f.team_invite.c_str());
        draw_invite_qr(c);
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
    if (f.team_invite.empty()) {
        if (!f.error.empty()) draw_error(f);
        if (!f.notice.empty()) muted_text(f.notice.c_str());
    }
    draw_outcome(c);
}

}  // namespace crm::ui
