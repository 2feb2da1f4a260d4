// The import wizard over core/import.h, for a spreadsheet (CSV as Excel and WPS save it,
// any encoding) or a vCard file: 1. choose the file; 2. check which column goes to which
// field (guessed, editable, remembered for this header) and what picklist values mean;
// 3. a preview of what will happen to every row (invalid rows with their reason, likely
// duplicates with skip / update / import as new), nothing written yet; 4. the import, one
// transaction run a few hundred rows per frame under a progress bar; 5. the result, a
// report to download, and undo of the whole import.
#include <imgui.h>

#include <algorithm>

#include "core/import.h"
#include "core/picklists.h"
#include "core/vcard.h"
#include "ui/app_context.h"
#include "ui/widgets.h"

namespace crm::ui {
namespace {

constexpr size_t kRowsPerFrame = 200;  // ~30 ms natively: the UI stays alive
// Customers whose derived data (search, completeness, duplicate keys) one frame writes
// after an import: each slice is a commit of its own.
constexpr size_t kIndexPerFrame = 100;
constexpr size_t kRowsShown = 60;      // rows needing attention listed in the preview

ImportOptions options_for(AppContext& c, const ImportForm& f) {
    ImportOptions o;
    o.defaults = {{"kind", "enterprise"}, {"status", "potential"}, {"source", "other"},
                  {"owner", c.workspace->device().user}};
    o.on_duplicate = RowAction::Skip;
    o.source_name = f.file_name;
    return o;
}

void prepare(AppContext& c, ImportForm& f) {
    auto plan = prepare_import(*c.workspace, f.table, f.mapping, options_for(c, f));
    if (!plan) {
        f.error = c.message(plan.error());
        return;
    }
    f.error.clear();
    f.plan = std::make_unique<ImportPlan>(std::move(*plan));
    f.step = ImportForm::Preview;
}

void start_run(AppContext& c, ImportForm& f) {
    // The mapping is remembered for the next file with the same header row.
    (void)c.workspace->set_setting(mapping_key(f.mapping.header, f.mapping.kind), mapping_to_json(f.mapping));
    auto run = ImportRun::start(*c.workspace, *f.plan);
    if (!run) {
        f.error = c.message(run.error());
        return;
    }
    f.run = std::make_unique<ImportRun>(std::move(*run));
    f.step = ImportForm::Running;
}

void draw_progress(AppContext& c, ImportForm& f) {
    if (Status s = f.run->step(kRowsPerFrame); !s) {
        f.error = c.message(s.error());
        f.run.reset();
        f.step = ImportForm::Preview;
        return;
    }
    const float fraction = f.run->total() ? float(f.run->processed()) / float(f.run->total()) : 1.0f;
    ImGui::TextUnformatted(c.trf("import.progress", {{"done", std::to_string(f.run->processed())},
                                                     {"total", std::to_string(f.run->total())}}).c_str());
    ImGui::ProgressBar(fraction, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 560.0f), 24));
    if (!f.run->done()) return;
    auto result = f.run->commit();
    f.run.reset();
    if (!result) {
        f.error = c.message(result.error());
        f.step = ImportForm::Preview;
        return;
    }
    f.result = std::move(*result);
    f.step = ImportForm::Done;
    c.customers.invalidate();
}

void draw_columns(AppContext& c, ImportForm& f, float w) {
    muted_text(c.trf("import.file_info", {{"name", f.file_name},
                                          {"rows", std::to_string(f.table.rows.size() - 1)},
                                          {"encoding", csv::encoding_name(f.table.encoding)}}).c_str());
    for (const Error& warning : f.table.warnings) ImGui::TextColored(palette().warning, "%s", c.message(warning).c_str());
    section_title(c.tr("import.columns").c_str());
    std::vector<std::pair<std::string, std::string>> targets = {{"", c.tr("import.ignore")}};
    for (const std::string& t : import_targets(f.mapping.kind)) targets.emplace_back(t, c.tr(import_target_label(t)));
    bool changed = false;
    for (size_t col = 0; col < f.mapping.header.size(); ++col) {
        ImGui::PushID(static_cast<int>(col));
        const std::string sample = f.table.rows.size() > 1 && col < f.table.rows[1].cells.size() ? f.table.rows[1].cells[col] : "";
        changed |= choice_field((f.mapping.header[col] + "  ·  " + sample).c_str(), &f.mapping.targets[col], targets, w);
        ImGui::PopID();
    }
    if (changed) f.values.clear();
    if (f.values.empty()) {
        f.values = map_values(f.table, f.mapping, ValueGuesser({&c.tr_en, &c.tr_zh}));
    }
    // Values the guesser could not place: the user says what they mean.
    for (ColumnValues& column : f.values) {
        if (!column.unmapped()) continue;
        section_title(c.trf("import.values", {{"column", f.mapping.header[column.column]}}).c_str());
        std::vector<std::pair<std::string, std::string>> codes = {{"", c.tr("import.unmapped")}};
        for (const PickOption& o : picklist(column.picklist)) codes.emplace_back(o.code, c.tr(o.label_key));
        for (ValueChoice& v : column.values) {
            if (!v.code.empty() && f.mapping.values[column.target].count(v.value) == 0) continue;
            ImGui::PushID((column.target + v.value).c_str());
            std::string code = f.mapping.values[column.target][v.value];
            if (choice_field(v.value.c_str(), &code, codes, w)) f.mapping.values[column.target][v.value] = code;
            ImGui::PopID();
        }
    }
}

const char* action_key(RowAction a) {
    return a == RowAction::Create ? "import.action.create" : a == RowAction::Update ? "import.action.update" : "import.action.skip";
}

void draw_preview(AppContext& c, ImportForm& f) {
    ImportPlan& plan = *f.plan;
    ImGui::TextUnformatted(c.trf("import.plan", {{"create", std::to_string(plan.count(RowAction::Create))},
                                                 {"update", std::to_string(plan.count(RowAction::Update))},
                                                 {"skip", std::to_string(plan.count(RowAction::Skip))},
                                                 {"invalid", std::to_string(plan.invalid())}}).c_str());
    size_t shown = 0;
    for (size_t i = 0; i < plan.rows.size() && shown < kRowsShown; ++i) {
        ImportRow& row = plan.rows[i];
        if (row.valid() && row.matches.empty() && row.notes.empty()) continue;
        ++shown;
        ImGui::PushID(static_cast<int>(i));
        ImGui::Separator();
        std::string name;
        for (const FieldValue& v : plan.kind == ImportKind::Customers ? row.customer : row.interaction)
            if (v.field == "name" || v.field == "summary") name = v.value.value_or("");
        ImGui::TextUnformatted(c.trf("import.row", {{"line", std::to_string(row.line)}, {"name", name}}).c_str());
        for (const Error& e : row.errors) field_error(c.message(e).c_str());
        for (const Error& e : row.notes) muted_text(c.message(e).c_str());
        for (const RowMatch& m : row.matches) {
            const std::string reasons = explain_reasons(c.tr_table(), m.reasons);
            muted_text((m.row >= 0 ? c.trf("import.reason.repeats_line", {{"line", std::to_string(plan.rows[m.row].line)}, {"reasons", reasons}})
                                   : c.trf("import.reason.duplicate_of", {{"number", m.number}, {"name", m.name}, {"reasons", reasons}})).c_str());
        }
        if (row.valid()) {
            for (RowAction a : {RowAction::Skip, RowAction::Update, RowAction::Create}) {
                const std::string label = c.tr(action_key(a));
                if (a != RowAction::Skip) ImGui::SameLine();
                const bool chosen = row.action == a;
                if (chosen ? primary_button(label.c_str(), ImVec2(160, 0)) : ImGui::Button(label.c_str(), ImVec2(160, kTouchTarget))) {
                    if (Status s = set_action(plan, i, a); !s) f.error = c.message(s.error());
                }
            }
        }
        ImGui::PopID();
    }
}

}  // namespace

void import_file_picked(AppContext& c, const std::string& name, const std::vector<uint8_t>& bytes) {
    ImportForm& f = c.import_form;
    const ImportKind kind = f.kind;
    f = ImportForm{};
    f.kind = kind;
    f.file_name = name;
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const bool vcf = name.size() > 4 && (name.substr(name.size() - 4) == ".vcf" || name.substr(name.size() - 4) == ".VCF");
    if (vcf) {
        auto cards = parse_vcards(text);
        if (!cards) {
            f.error = c.message(cards.error());
            return;
        }
        f.table = vcard_table(cards->cards);
    } else {
        auto table = csv::read(text);
        if (!table) {
            f.error = c.message(table.error());
            return;
        }
        f.table = std::move(*table);
    }
    if (f.table.rows.size() < 2) {
        f.error = c.tr("import.empty_file");
        return;
    }
    const std::vector<std::string>& header = f.table.rows[0].cells;
    f.mapping = guess_mapping(header, f.kind);
    if (auto saved = c.workspace->setting(mapping_key(header, f.kind)); saved && *saved)
        if (auto remembered = mapping_from_json(**saved, header)) f.mapping = std::move(*remembered);
    f.step = ImportForm::Columns;
}

// One slice per frame of the derived data an import queued (also after a reload, the queue
// being a table), never while an import runs: its batch holds the transaction.
void index_catch_up(AppContext& c) {
    Workspace& ws = *c.workspace;
    if (ws.derived_queued() == 0 || ws.in_batch()) return;
    if (auto left = ws.refresh_queued(kIndexPerFrame); !left) {
        c.index_error = c.message(left.error());
        return;
    }
    c.index_error.clear();
    if (ws.derived_queued() == 0) c.customers.invalidate();  // a search shown may now find more
}

void draw_index_banner(AppContext& c) {
    const size_t left = c.workspace->derived_queued();
    if (left == 0) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(palette().warning, "%s", c.trf("import.indexing", {{"count", std::to_string(left)}}).c_str());
    if (!c.index_error.empty()) field_error(c.index_error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
}

void draw_import(AppContext& c) {
    ImportForm& f = c.import_form;
    ImGui::SetWindowFontScale(1.3f);
    ImGui::TextUnformatted(c.tr("import.title").c_str());
    ImGui::SetWindowFontScale(1.0f);
    const float w = std::min(ImGui::GetContentRegionAvail().x, 560.0f);
    ImGui::PushTextWrapPos(0.0f);
    if (f.step == ImportForm::Choose) {
        // What the file holds: customers (with a contact each) or follow-ups of customers
        // already in the workspace (matched by number or name).
        std::string kind = import_kind_name(f.kind);
        if (chip_choice(c.tr("import.kind").c_str(), &kind,
                        {{"customers", c.tr("import.kind.customers")}, {"interactions", c.tr("import.kind.interactions")}}))
            f.kind = kind == "interactions" ? ImportKind::Interactions : ImportKind::Customers;
        muted_text(c.tr("import.choose_hint").c_str());
        if (primary_button(c.tr("import.choose").c_str(), ImVec2(w, 0)) && c.host.pick_file) {
            c.pick_purpose = "import";
            c.host.pick_file(".csv,.txt,.vcf");
        }
        if (!f.error.empty()) field_error(f.error.c_str());
        ImGui::PopTextWrapPos();
        return;
    }
    if (f.step == ImportForm::Running) {
        draw_progress(c, f);
        ImGui::PopTextWrapPos();
        return;
    }

    ImGui::BeginChild("import_step", ImVec2(0, ImGui::GetContentRegionAvail().y - kTouchTarget - 24), false);
    if (f.step == ImportForm::Columns) draw_columns(c, f, w);
    if (f.step == ImportForm::Preview) draw_preview(c, f);
    if (f.step == ImportForm::Done) {
        const ImportResult& r = *f.result;
        ImGui::TextColored(palette().success, "%s",
                           c.trf("import.done", {{"created", std::to_string(r.created)}, {"updated", std::to_string(r.updated)},
                                                 {"skipped", std::to_string(r.skipped)}, {"failed", std::to_string(r.failed)}}).c_str());
        if (!f.undo_done.empty()) ImGui::TextUnformatted(f.undo_done.c_str());
    }
    if (!f.error.empty()) field_error(f.error.c_str());
    ImGui::EndChild();

    // The step's actions, always in view.
    if (f.step == ImportForm::Columns && primary_button(c.tr("import.next").c_str(), ImVec2(200, 0))) prepare(c, f);
    if (f.step == ImportForm::Preview) {
        const size_t n = f.plan->count(RowAction::Create) + f.plan->count(RowAction::Update);
        ImGui::BeginDisabled(n == 0);
        if (primary_button(c.trf("import.run", {{"count", std::to_string(n)}}).c_str(), ImVec2(0, kTouchTarget))) start_run(c, f);
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(c.tr("import.back").c_str(), ImVec2(160, kTouchTarget))) f.step = ImportForm::Columns;
    }
    if (f.step == ImportForm::Done) {
        if (ImGui::Button(c.tr("import.report").c_str(), ImVec2(0, kTouchTarget)) && c.host.download) {
            const std::string csv = import_report_csv(*f.plan, *f.result, c.tr_table());
            c.host.download("import-report.csv", std::vector<uint8_t>(csv.begin(), csv.end()));
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(!f.undo_done.empty());
        if (ImGui::Button(c.tr("import.undo").c_str(), ImVec2(0, kTouchTarget))) {
            auto undone = undo_import(*c.workspace, f.result->batch_id);
            f.undo_done = undone ? c.trf("import.undone", {{"count", std::to_string(undone->tombstoned)}})
                                 : c.message(undone.error());
            c.customers.invalidate();
        }
        ImGui::EndDisabled();
    }
    ImGui::SameLine();
    if (ImGui::Button(c.tr(f.step == ImportForm::Done ? "tags.close" : "form.cancel").c_str(), ImVec2(120, kTouchTarget))) {
        f = ImportForm{};
        c.go(Route{Screen::Customers, {}});
    }
    ImGui::PopTextWrapPos();
}

}  // namespace crm::ui
