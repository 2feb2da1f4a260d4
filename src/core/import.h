// Importing customers (with a contact each) and interactions from a spreadsheet, in the
// steps an import wizard shows: map columns and values (import_mapping.h), prepare a plan
// (every row validated by the write path's own rules, duplicates found against existing
// customers and within the file, a default decision per row), let the user change
// decisions, then run the plan as one transaction driven step by step (progress between
// frames), get a report, and undo the whole batch later.
// Nothing is written before ImportRun::commit(); every write goes through Workspace.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/import_mapping.h"
#include "core/workspace.h"

namespace crm {

enum class RowAction { Create, Update, Skip };

struct ImportOptions {
    // Values for customer fields the file lacks or leaves empty (kind, source, status,
    // owner, ...). Used when a customer is created, never written by an update.
    std::vector<FieldValue> defaults;
    RowAction on_duplicate = RowAction::Skip;  // default for rows matching an existing record
    int utc_offset_minutes = 480;              // times in the file are local time (China: +8)
    std::string source_name;                   // file name, kept with the batch
};

// A likely duplicate of a row: an existing customer (interaction) or an earlier row.
struct RowMatch {
    std::string record_id, number, name;  // existing record; empty for an earlier row
    int row = -1;                         // index into ImportPlan::rows of an earlier row, or -1
    int score = 0;
    std::vector<std::string> reasons;     // dup.reason.* / import.reason.* keys
};

struct ImportRow {
    size_t line = 0;                       // line in the file where the row starts
    std::vector<FieldValue> customer;      // customers import: mapped customer fields
    std::vector<FieldValue> contact;       // ... and the row's contact (may be empty)
    std::vector<FieldValue> interaction;   // interactions import: mapped fields
    std::string customer_id;               // interactions import: the matched customer
    std::vector<Error> errors;             // why it cannot be imported; empty = valid
    std::vector<std::string> tags;         // library tags (ids) the customer gets
    std::vector<Error> notes;              // imported all the same, but: tags left out (import.tag.*)
    std::vector<RowMatch> matches;         // likely duplicates, existing records first
    RowAction action = RowAction::Create;
    std::string update_id;                 // Update: the existing customer to update, or
    int update_row = -1;                   // the earlier row whose new customer is updated
    bool valid() const { return errors.empty(); }
};

struct ImportPlan {
    ImportKind kind = ImportKind::Customers;
    ImportOptions options;
    std::vector<ImportRow> rows;  // blank lines of the file are left out
    size_t count(RowAction a) const;
    size_t invalid() const;
    size_t with_matches() const;
};

// Reads every row through the mapping, converts dates and picklist values, validates the
// record the row would create with the write path's rules (draft_errors of each table, the
// contact-method rule), finds duplicates (duplicates.h: the same keys and scores as the
// new-customer form) and sets the default action: Skip for invalid rows and for rows
// repeating an earlier row, options.on_duplicate for rows matching an existing customer
// (Update targets the best match), Create otherwise. Reads only, except that derived data
// still queued by an earlier import is written first (Workspace::refresh_queued): the
// duplicate lookups need it.
// Interactions: a row is matched to a customer by customers.number, else by exact name,
// else by the normalized company name (err.import.customer_not_found / _ambiguous); the
// same customer, time and summary already stored or earlier in the file is a duplicate.
// Tags (a customers.tags column): each name is looked up in the tag library by its Chinese
// or English name; approved tags are given to the customer, the others are left out with a
// note in plain words (import.tag.unknown: not in the library, never created here;
// import.tag.not_approved; import.tag.conflict: a second tag of one conflict group).
// err.import.no_key_column when no column gives a customer's name (or number).
Result<ImportPlan> prepare_import(Workspace& ws, const csv::Table& table, const ColumnMapping& mapping,
                                  const ImportOptions& options);

// The fields a new customer of this row gets: the row's, then options.defaults for the
// fields it lacks (an industry default is not given to a personal customer).
std::vector<FieldValue> new_customer_fields(const ImportRow& row, const ImportOptions& options);

// The user's decision for one row. Invalid rows can only be skipped; Update needs a
// target: an existing customer from the row's matches (target_id) or, empty, the best one
// (an earlier row's customer when that is the best match). err.import.bad_action otherwise.
Status set_action(ImportPlan& plan, size_t row, RowAction action, const std::string& target_id = "");

enum class RowOutcome { Created, Updated, Skipped, Failed };
struct RowResult {
    RowOutcome outcome = RowOutcome::Skipped;
    std::string record_id, number;  // the customer (interaction) created or updated
    std::vector<Error> errors;      // Failed: why
    std::vector<Error> notes;       // the plan's notes, and tags the customer could not take
};
struct ImportResult {
    std::string batch_id;
    std::vector<RowResult> rows;    // one per plan row
    size_t created = 0, updated = 0, skipped = 0, failed = 0;
};

// Runs a plan as one transaction (Workspace batch) a few rows per call, so the UI stays
// alive and shows a bar. A row the write path refuses fails alone, with its reason (see
// step() in import_run.cpp); done() is true once every row is through. commit() records
// the batch (for undo and the history) and commits everything, with the imported customers
// queued for their derived data (search documents, completeness, duplicate keys), which
// Workspace::refresh_queued writes after the commit, a slice at a time. cancel() or
// destroying an uncommitted run leaves no trace. The plan must outlive the run.
class ImportRun {
public:
    static Result<ImportRun> start(Workspace& ws, const ImportPlan& plan);
    ImportRun(ImportRun&& other) noexcept;
    ImportRun& operator=(ImportRun&&) = delete;
    ~ImportRun();

    // Processes up to max_rows more rows. An error here is a storage failure: the whole
    // batch is rolled back and the run is over.
    Status step(size_t max_rows);
    bool done() const { return next_ >= plan_->rows.size(); }
    size_t processed() const { return next_; }
    size_t total() const { return plan_->rows.size(); }
    Result<ImportResult> commit();  // runs the remaining rows first
    void cancel();

private:
    ImportRun() = default;
    Status run_row(size_t i);
    Workspace* ws_ = nullptr;
    const ImportPlan* plan_ = nullptr;
    ImportResult result_;
    std::vector<std::string> row_ids_;      // per row, the customer it created or updated
    int64_t first_seq_ = 0;                 // first history seq the batch may write
    size_t next_ = 0;
    bool open_ = false;
    bool strict_ = false;  // a row the write path refuses fails the step (the bulk attempt)
};

// start + step until done + commit, calling progress(done, total) between steps.
Result<ImportResult> run_import(Workspace& ws, const ImportPlan& plan,
                                const std::function<void(size_t, size_t)>& progress = {},
                                size_t rows_per_step = 500);

// The end-of-import report as CSV for Excel (csv::write): line, name, outcome, number,
// reasons in the translation's language, one row per plan row.
std::string import_report_csv(const ImportPlan& plan, const ImportResult& result, const Translations& tr);

// Import batches, newest first, from the history (tbl "import").
struct ImportBatch {
    std::string id, at, actor, kind, source;
    int64_t first_seq = 0, last_seq = 0;
    size_t created = 0, updated = 0, skipped = 0, failed = 0;
    bool undone = false;
};
Result<std::vector<ImportBatch>> list_import_batches(Workspace& ws);

// Undoes a batch in one transaction: tombstones every record it created and puts back the
// previous value of every field it updated, read from the history entries the batch wrote.
// A field changed again since the import keeps its newer value (counted in kept_fields).
// err.import.batch_not_found, err.import.already_undone.
struct UndoResult {
    size_t tombstoned = 0, restored_fields = 0, kept_fields = 0;
};
Result<UndoResult> undo_import(Workspace& ws, const std::string& batch_id);

// vCard contacts as an import table: header = targets (customers.name from ORG, else the
// person's name with customers.kind personal; contacts.name, title, mobile, landline, email,
// notes with the numbers and addresses that did not fit), one row per card. Import it with
// guess_mapping(table.rows[0].cells, ImportKind::Customers) and on_duplicate = Update, so a
// card of a known company adds or updates a contact of that customer.
struct VCard;
csv::Table vcard_table(const std::vector<VCard>& cards);

}  // namespace crm
