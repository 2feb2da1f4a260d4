// Import step 4: running a plan inside one Workspace batch, row by row, and the report.
//
// Index of this file
//   [SECTION] one row: create or update through the domain operations
//   [SECTION] the run: batch, steps, commit
//   [SECTION] report
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/customers.h"
#include "core/import.h"
#include "core/interactions.h"
#include "core/tags.h"
#include "core/text.h"
#include "core/validate.h"

namespace crm {

// ---- [SECTION] one row -------------------------------------------------------------------

namespace {

Result<std::string> number_of(Workspace& ws, const char* table, const std::string& id) {
    auto st = ws.db().cached(std::string("SELECT number FROM ") + table + " WHERE id = ?");
    if (!st) return st.error();
    auto r = (*st)->bind_text(1, id).step();
    if (!r) return r.error();
    std::string number = *r ? (*st)->text(0) : std::string();
    (*st)->reset();
    return number;
}

// The contact of `customer_id` the row's contact is: the same mobile, landline or email,
// else the same name; "" when it is a new person.
Result<std::string> same_contact(Workspace& ws, const std::string& customer_id, const std::vector<FieldValue>& c) {
    auto list = list_contacts(ws, customer_id);
    if (!list) return list.error();
    auto canon = [](FieldKind k, const std::string& v) { return v.empty() ? v : canonical_value(k, normalize_input(v)); };
    const std::string mobile = canon(FieldKind::Mobile, field_text(c, "mobile"));
    const std::string landline = canon(FieldKind::Landline, field_text(c, "landline"));
    const std::string email = ascii_lower(normalize_input(field_text(c, "email")));
    const std::string name = normalize_input(field_text(c, "name"));
    for (const Contact& x : *list)
        if ((!mobile.empty() && x.mobile == mobile) || (!landline.empty() && x.landline == landline) ||
            (!email.empty() && ascii_lower(x.email) == email))
            return x.id;
    for (const Contact& x : *list)
        if (!name.empty() && x.name == name) return x.id;
    return std::string();
}

// Writes the row's non-empty values over an existing customer (an empty cell never clears
// a field), a changed status with its status_history entry, and its contact.
Status update_from_row(Workspace& ws, const std::string& id, const ImportRow& r) {
    auto old = ws.read_row("customers", id);
    if (!old) return old.error();
    if (!*old || value(**old, "deleted") == "1") return make_error("err.record.not_found", {}, id);
    std::vector<FieldValue> fields;
    std::string status;
    for (const FieldValue& f : r.customer) {
        if (f.field == "status") status = f.value.value_or("");
        else if (f.field != "created_at") fields.push_back(f);
    }
    std::vector<Edit> edits;
    edits.push_back({Edit::Update, "customers", id, fields, "import"});
    const std::string from = value(**old, "status");
    if (!status.empty() && status != from) {
        edits.push_back({Edit::Update, "customers", id, {{"status", status}}, "import"});
        edits.push_back({Edit::Create, "status_history", "",
                         {{"customer_id", id}, {"at", ws.now_iso()}, {"actor", ws.device().user},
                          {"from_status", from}, {"to_status", status}, {"reason", "import"}},
                         "import"});
    }
    if (!r.contact.empty()) {
        auto contact_id = same_contact(ws, id, r.contact);
        if (!contact_id) return contact_id.error();
        if (!contact_id->empty()) {
            edits.push_back({Edit::Update, "contacts", *contact_id, r.contact, "import"});
        } else {
            Edit e{Edit::Create, "contacts", "", r.contact, "import"};
            e.fields.push_back({"customer_id", id});
            if (field_text(r.contact, "name").empty()) e.fields.push_back({"name", value(**old, "name")});
            edits.push_back(std::move(e));
        }
    }
    return ws.apply_all(edits);
}

// Gives the customer the row's library tags. One it holds already is skipped; one the
// library's rules refuse (a conflicting tag it holds, see tags.h) is left out with a note.
Status add_tags(Workspace& ws, const std::string& customer_id, const std::vector<std::string>& tag_ids,
                std::vector<Error>& notes) {
    auto held = customer_tags(ws, customer_id);
    if (!held) return held.error();
    for (const std::string& tag_id : tag_ids) {
        if (std::any_of(held->begin(), held->end(), [&](const CustomerTag& ct) { return ct.tag_id == tag_id; })) continue;
        auto added = add_tag_to_customer(ws, customer_id, tag_id, "", "import");
        if (added) continue;
        const Error& e = added.error();
        if (e.code == "err.tag.conflict") {
            auto tag = ws.read_row("tags", tag_id);
            if (!tag) return tag.error();
            Error note = make_error("import.tag.conflict").with("tag", *tag ? value(**tag, "name_zh") : tag_id);
            for (const auto& [k, v] : e.params)
                if (k == "tag" || k == "tag_en") note.with(k == "tag" ? "other" : "other_en", v);
            notes.push_back(std::move(note));
        } else if (e.code == "err.tag.not_approved" || e.code == "err.tag.duplicate") {
            notes.push_back(e);  // in its own words ("waits for approval")
        } else {
            return e;
        }
    }
    return {};
}

}  // namespace

Status ImportRun::run_row(size_t i) {
    const ImportRow& r = plan_->rows[i];
    RowResult& out = result_.rows[i];
    if (!r.valid()) {
        out.outcome = RowOutcome::Failed;
        out.errors = r.errors;
        result_.failed++;
        return {};
    }
    if (r.action == RowAction::Skip) {
        result_.skipped++;
        return {};
    }
    Workspace& ws = *ws_;
    std::string id;
    const char* table = plan_->kind == ImportKind::Customers ? "customers" : "interactions";
    // Each domain operation below is one transaction of its own (a savepoint inside the
    // step's), so a refused row leaves nothing behind and needs no savepoint of ours.
    auto write = [&]() -> Status {
        if (plan_->kind == ImportKind::Interactions) {
            std::vector<FieldValue> fields = r.interaction;
            // A logged past interaction is not "late": it was recorded when it happened.
            if (field_text(fields, "created_at").empty()) fields.push_back({"created_at", field_text(fields, "at")});
            auto created = log_interaction(ws, r.customer_id, fields, "import");
            if (!created) return created.error();
            id = *created;
            return {};
        }
        if (r.action == RowAction::Create) {
            std::vector<std::vector<FieldValue>> contacts;
            if (!r.contact.empty()) {
                contacts.push_back(r.contact);
                if (field_text(r.contact, "is_key").empty()) contacts.back().push_back({"is_key", "1"});
            }
            auto created = create_customer(ws, new_customer_fields(r, plan_->options), contacts, "import");
            if (!created) return created.error();
            id = *created;
            return {};
        }
        id = r.update_row >= 0 ? row_ids_[r.update_row] : r.update_id;
        if (id.empty()) {  // the earlier row it repeats was skipped or failed
            const size_t line = r.update_row >= 0 ? plan_->rows[r.update_row].line : r.line;
            return make_error("err.import.target_not_imported").with("line", std::to_string(line));
        }
        return update_from_row(ws, id, r);
    };
    Status s = write();
    if (!s) {
        if (s.error().code == "err.db" || strict_) return s.error();  // storage failure: stop the batch
        out.outcome = RowOutcome::Failed;
        out.errors = {s.error()};
        result_.failed++;
        return {};
    }
    out.notes = r.notes;
    if (!r.tags.empty())
        if (auto t = add_tags(ws, id, r.tags, out.notes); !t) {
            if (t.error().code == "err.db" || strict_) return t.error();
            out.outcome = RowOutcome::Failed;
            out.errors = {t.error()};
            result_.failed++;
            return {};
        }
    auto number = number_of(ws, table, id);
    if (!number) return number.error();
    out.record_id = id;
    out.number = *number;
    row_ids_[i] = id;  // a later repeat of this row updates the same customer
    if (r.action == RowAction::Create) {
        out.outcome = RowOutcome::Created;
        result_.created++;
    } else {
        out.outcome = RowOutcome::Updated;
        result_.updated++;
    }
    return {};
}

// ---- [SECTION] the run -------------------------------------------------------------------

Result<ImportRun> ImportRun::start(Workspace& ws, const ImportPlan& plan) {
    auto seq = ws.db().query_int("SELECT coalesce(max(seq), 0) FROM history");
    if (!seq) return seq.error();
    if (auto s = ws.begin_batch(); !s) return s.error();
    ImportRun run;
    run.ws_ = &ws;
    run.plan_ = &plan;
    run.result_.rows.resize(plan.rows.size());
    run.row_ids_.resize(plan.rows.size());
    run.first_seq_ = seq->value_or(0) + 1;
    run.open_ = true;
    return run;
}

ImportRun::ImportRun(ImportRun&& o) noexcept
    : ws_(o.ws_), plan_(o.plan_), result_(std::move(o.result_)), row_ids_(std::move(o.row_ids_)),
      first_seq_(o.first_seq_), next_(o.next_), open_(o.open_) {
    o.open_ = false;
}

ImportRun::~ImportRun() { cancel(); }

void ImportRun::cancel() {
    if (!open_) return;
    open_ = false;
    (void)ws_->end_batch(false);
}

// A step's rows share one Workspace transaction, written as a bulk transaction: no
// savepoint per row (each would copy every page the row touches into the statement
// journal); the derived data (search documents, completeness, duplicate keys) is queued by
// the commit and written after it (Workspace::refresh_queued). The plan validated every row, so the bulk attempt nearly always
// succeeds. When the write path refuses a row, or a rule checked at the end of the
// transaction fails (a customer left without a contact method), the step is rolled back
// and redone with a savepoint per row, so a refused row fails alone; if the end rule fails
// again, each row runs in a transaction of its own and only the row at fault fails.
Status ImportRun::step(size_t max_rows) {
    if (!open_) return make_error("err.import.not_running");
    if (next_ >= total()) return {};
    const size_t from = next_, to = std::min(total(), next_ + max_rows);
    const ImportResult before{{}, {}, result_.created, result_.updated, result_.skipped, result_.failed};
    auto reset = [&]() {
        result_.created = before.created, result_.updated = before.updated;
        result_.skipped = before.skipped, result_.failed = before.failed;
        for (size_t i = from; i < to; ++i) result_.rows[i] = {}, row_ids_[i].clear();
    };
    auto rows = [&]() -> Status {
        for (size_t i = from; i < to; ++i)
            if (auto r = run_row(i); !r) return r;
        return {};
    };
    strict_ = true;
    Status s = ws_->bulk_transaction(rows);
    strict_ = false;
    if (!s && s.error().code != "err.db") {
        reset();
        s = ws_->transaction(rows);
    }
    if (!s && s.error().code != "err.db") {
        reset();
        s = {};
        for (size_t i = from; i < to && s; ++i) s = run_row(i);
    }
    if (!s) {
        cancel();
        return s;
    }
    next_ = to;
    return {};
}

Result<ImportResult> ImportRun::commit() {
    while (!done())
        if (auto s = step(1000); !s) return s.error();
    if (!open_) return make_error("err.import.not_running");
    auto last = ws_->db().query_int("SELECT coalesce(max(seq), 0) FROM history");
    if (!last) return last.error();
    auto id = ws_->new_id();
    if (!id) return id.error();
    nlohmann::json j = {{"kind", import_kind_name(plan_->kind)}, {"source", plan_->options.source_name},
                        {"first_seq", first_seq_}, {"last_seq", last->value_or(0)},
                        {"created", result_.created}, {"updated", result_.updated},
                        {"skipped", result_.skipped}, {"failed", result_.failed}};
    // replace: a file name with broken UTF-8 must not abort (no exceptions in wasm).
    const std::string detail = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (auto s = ws_->note_event("import", *id, "imported", detail, "import"); !s) return s.error();
    open_ = false;
    if (auto s = ws_->end_batch(true); !s) return s.error();
    result_.batch_id = *id;
    return std::move(result_);
}

Result<ImportResult> run_import(Workspace& ws, const ImportPlan& plan,
                                const std::function<void(size_t, size_t)>& progress, size_t rows_per_step) {
    auto run = ImportRun::start(ws, plan);
    if (!run) return run.error();
    while (!run->done()) {
        const size_t before = run->processed();
        if (auto s = run->step(rows_per_step); !s) return s.error();
        if (progress && run->processed() != before) progress(run->processed(), run->total());
    }
    return run->commit();
}

// ---- [SECTION] report --------------------------------------------------------------------

std::string import_report_csv(const ImportPlan& plan, const ImportResult& result, const Translations& tr) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({tr.tr("import.report.line"), tr.tr("import.report.name"), tr.tr("import.report.outcome"),
                    tr.tr("import.report.number"), tr.tr("import.report.reason")});
    static const char* kOutcome[] = {"import.outcome.created", "import.outcome.updated", "import.outcome.skipped",
                                     "import.outcome.failed"};
    for (size_t i = 0; i < plan.rows.size() && i < result.rows.size(); ++i) {
        const ImportRow& r = plan.rows[i];
        const RowResult& out = result.rows[i];
        std::string name = plan.kind == ImportKind::Customers ? field_text(r.customer, "name")
                                                              : field_text(r.interaction, "summary");
        std::string reason;
        for (const Error& e : out.errors) reason += (reason.empty() ? "" : "\n") + tr.message(e);
        if (out.outcome == RowOutcome::Skipped && !r.matches.empty()) {
            const RowMatch& m = r.matches[0];
            std::string why;
            for (const std::string& k : m.reasons) why += (why.empty() ? "" : tr.tr("dup.reason.separator")) + tr.tr(k);
            if (m.row >= 0)
                reason = fill_placeholders(tr.tr("import.reason.repeats_line"),
                                           {{"line", std::to_string(plan.rows[m.row].line)}, {"reasons", why}});
            else
                reason = fill_placeholders(tr.tr("import.reason.duplicate_of"),
                                           {{"number", m.number}, {"name", m.name}, {"reasons", why}});
        } else if (out.outcome == RowOutcome::Skipped) {
            reason = tr.tr("import.reason.skipped_by_user");
        }
        for (const Error& e : out.notes) reason += (reason.empty() ? "" : "\n") + tr.message(e);
        rows.push_back({std::to_string(r.line), name, tr.tr(kOutcome[static_cast<int>(out.outcome)]), out.number,
                        reason});
    }
    return csv::write(rows);
}

}  // namespace crm
