// A Workspace is one open CRM database plus who is writing (device, user) and when (Clock).
// It holds THE one write path: every change to domain data goes through apply()/apply_all(),
// which validates, writes the row, its history, its sync change log and the search index in
// one transaction. No other code may run SQL that modifies data (reads are fine via db()).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/schema.h"
#include "store/db.h"

namespace crm {

struct DeviceInfo {
    std::string device_id;    // 16 hex; empty = the stored one, or a new random one
    std::string device_code;  // two digits; empty = the stored one, or "01"
    std::string user;         // current user's name: the actor of history entries
};


// The change-log field of a record's creation. It carries no value: the sync layer sends
// the record's row as it is when the change goes out, every field stamped with this
// change's HLC. That converges under per-field last-writer-wins: a field changed later
// has its own, newer change; a field overwritten by a newer remote write travels with
// the value that write already gave everyone.
constexpr const char* kCreatedChange = "*";

// Settings key of the newest stamp received from another device: the HLC resumes after it,
// so a local edit made after seeing a remote value always wins over that value.
inline constexpr std::string_view kHlcSeenKey = "sync.hlc_seen";

struct Edit {
    enum Kind { Create, Update, Delete } kind = Create;
    std::string table, id;             // Create: empty id = generate a new global id
    std::vector<FieldValue> fields;
    std::string origin = "local";      // local | sync | merge | import
};

// One field of one record as another device wrote it, received by sync. The stamp's
// device part names the writer; value is the stored (canonical) text, nullopt for NULL.
struct RemoteChange {
    std::string table, id, field;
    std::optional<std::string> value;
    std::string hlc;
};

struct RemoteApplied {
    size_t applied = 0;  // fields whose stamp was newer than the one stored: written
    size_t stale = 0;    // fields already written by a newer (or the same) stamp: ignored
};

class Workspace {
public:
    // Opens a workspace on an open database: applies migrations, loads (or creates and
    // persists) the device id and code, and resumes the HLC after the last local change.
    static Result<Workspace> open(store::Db db, DeviceInfo device, std::shared_ptr<Clock> clock);
    static Result<Workspace> open_memory(DeviceInfo device, std::shared_ptr<Clock> clock);

    // THE write path. In one transaction: normalizes (normalize_input) and validates each
    // field by its metadata (validate_value, picklists, references to live records),
    // stores the canonical form (canonical_value; times as 'YYYY-MM-DDTHH:MM:SSZ'; an
    // empty value is NULL), checks required fields on create and the record rules (check_record), writes the
    // row, one history row and one changes row per changed field (old -> new; unchanged
    // fields write nothing; a creation is one "created" history row and one kCreatedChange
    // row; all rows of one edit share one HLC stamp),
    // bumps updated_at (also the parent customer's when a child record changes), reindexes
    // search for the customer concerned. Delete sets deleted = 1 (a tombstone) the same
    // way. On any error nothing is written. Returns the record id.
    //
    // Customer-level rule, checked when the outermost transaction ends for every live
    // customer touched by a non-sync edit: at least one live contact with a mobile,
    // landline or email (err.customer.contact_method_required). Creating a customer and
    // its contacts therefore belongs in one apply_all() or one transaction().
    Result<std::string> apply(const Edit& edit);
    Status apply_all(const std::vector<Edit>& edits);

    // Groups several apply() calls (and counter bumps) into one transaction; the
    // customer-level checks and search reindexing run once, at the outermost end.
    Status transaction(const std::function<Status()>& fn);
    // The same for many records already validated (an import's step): the nested
    // transactions of fn open no savepoints (store::Db::flat_transaction), and any failure
    // inside fails and rolls back the whole of it. The caller redoes the work with
    // transaction() to find the record at fault.
    Status bulk_transaction(const std::function<Status()>& fn);

    // THE sync entry point of the write path: applies changes received from other devices
    // in one transaction, per field last-writer-wins against the stored field clocks (a
    // field takes a value only when its stamp is newer than the field's own and the
    // record's creation stamp). A record not seen yet is created from whatever fields
    // arrive, in any order. Local validation and record rules are not checked: another
    // device already accepted the data, and nothing remote is dropped. Each changed field
    // of an existing record writes a history row (origin "sync", actor, old -> new); a
    // record created here writes one "created" row. Derived data (search, completeness,
    // duplicate keys) is refreshed; updated_at becomes the newest applied stamp's time when
    // that is later. No `changes` row is written: this device does not send it on. The
    // local clock observes the newest stamp so later local edits win over what was seen.
    // Errors (nothing applied): err.sync.bad_message for an unknown table or field or a
    // malformed stamp, err.sync.number_taken when a human number belongs to another record.
    Result<RemoteApplied> apply_remote(const std::vector<RemoteChange>& changes, std::string_view actor);

    // A device code handed out by the team (sync): stored, and used for new numbers.
    Status set_device_code(std::string_view code);

    // A batch: one SQLite transaction held open across calls, so the UI can drive a long
    // write (an import) a few rows per frame and show progress. Every apply()/transaction()
    // until end_batch runs inside it and is validated and finished (contact rule,
    // updated_at of parents) on its own. The derived data (search documents, completeness
    // facts, duplicate keys) of the customers the batch touched is not written inside it:
    // end_batch(true) queues them (the derived_queue table, in the same commit) and
    // refresh_queued() writes them afterwards. end_batch(false) leaves the database as it was.
    Status begin_batch();
    Status end_batch(bool commit);
    // Writes the derived data of up to `max` queued customers, in rowid order, in one
    // transaction of its own (a slice: the app runs one per frame until none is left; a
    // reload resumes, the queue being a table). Returns how many stay queued. Until the
    // queue is empty, search, duplicate lookups and completeness do not see the queued
    // customers: the UI says so. Does nothing inside a batch or transaction.
    Result<size_t> refresh_queued(size_t max);
    size_t derived_queued() const { return queued_; }
    bool in_batch() const { return db_->has_open(); }

    // Grows with every row written on this connection (the write path, settings, sync,
    // rolled-back attempts too): what a reader compares to know that a copy it keeps of
    // some records may be stale.
    int64_t change_count() const { return db_->total_changes(); }

    // Reads: domain modules query through db(), SELECT only.
    store::Db& db() { return *db_; }
    const DeviceInfo& device() const { return device_; }
    Clock& clock() const { return *clock_; }
    std::string now_iso() const { return clock_->now_iso(); }
    std::string today() const { return clock_->today(); }   // the user's date

    // A new global record id ('<device>-<base36>'); the counter is persisted in settings.
    Result<std::string> new_id();
    // Increments and returns a persisted per-device counter (settings key), starting at 1.
    Result<int64_t> next_counter(std::string_view key);
    Result<std::optional<std::string>> setting(std::string_view key);
    Status set_setting(std::string_view key, std::string_view value);

    // One record as text by column, nullopt when no row has that id (deleted rows included).
    // `keep`, when given, chooses the columns to read (sync reads only those it needs).
    Result<std::optional<Row>> read_row(std::string_view table, std::string_view id,
                                        const std::function<bool(const std::string& column)>& keep = {});

    // Merge only: re-points every history entry of `from` to customer `to` so the
    // survivor's timeline keeps the absorbed record's past.
    Status move_history(std::string_view from_customer, std::string_view to_customer);
    // A history entry that is an event rather than a field change (e.g. field "merged"
    // with new = "merged CX... into CX..."). Not part of the sync change log.
    Status note_history(std::string_view customer_id, std::string_view field,
                        const std::optional<std::string>& old_value,
                        const std::optional<std::string>& new_value, std::string_view origin);
    // A history entry about the workspace rather than one customer (an import batch, an
    // export): tbl = subject ("import", "export"), record_id = the event's own id, no
    // customer, field = what happened, new = detail (JSON). Not part of the sync change log.
    Status note_event(std::string_view subject, std::string_view record_id, std::string_view event,
                      const std::string& detail, std::string_view origin);

private:
    struct Pending {
        std::set<std::string> reindex;        // customers whose search entry is stale
        std::set<std::string> check_contact;  // customers to check for a contact method
        std::set<std::string> bump;           // customers whose child rows changed
        std::set<std::string> written;        // customers whose own row was written
    };
    struct Change {
        const FieldMeta* field;
        std::optional<std::string> value;
    };
    Workspace() = default;
    Result<std::string> apply_one(const Edit& edit);
    Status write_row(const Edit& e, const TableMeta& t, const std::string& id,
                     const std::vector<Change>& values, const std::string& now);
    void track(const Edit& e, const TableMeta& t, const std::optional<std::string>& customer_id,
               const std::optional<Row>& old);
    Status validate_field(const FieldMeta& f, std::optional<std::string>& value);
    Status write_history(std::string_view origin, std::string_view actor, const TableMeta& t,
                         const std::string& id, const std::string& at,
                         const std::optional<std::string>& customer_id, const std::string& field,
                         const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value);
    Status write_clock(const TableMeta& t, const std::string& id, const std::string& field,
                       const std::string& hlc);
    Status apply_remote_record(const TableMeta& t, const std::string& id,
                               const std::map<std::string, const RemoteChange*>& newest,
                               std::string_view actor, RemoteApplied& out);
    Status write_change(const TableMeta& t, const std::string& id, const std::string& hlc,
                        const std::string& field, const std::optional<std::string>& value);
    Status finish(Pending& p);
    Status run_transaction(bool bulk, const std::function<Status()>& fn);
    Status refresh_derived(const std::vector<std::string>& customer_ids);
    Status refresh_sorted(const std::vector<std::string>& ids_in_rowid_order);

    std::unique_ptr<store::Db> db_;  // heap-held so cached Stmt pointers survive moves
    // write_row's statements (owned by db_'s cache) by table, edit kind and columns.
    struct RowStatementKey {
        const TableMeta* table;
        int kind;
        std::vector<const FieldMeta*> columns;
        bool operator<(const RowStatementKey& o) const {
            return std::tie(table, kind, columns) < std::tie(o.table, o.kind, o.columns);
        }
    };
    std::map<RowStatementKey, store::Stmt*> row_statements_;
    DeviceInfo device_;
    std::shared_ptr<Clock> clock_;
    std::unique_ptr<Hlc> hlc_;
    int depth_ = 0;
    Pending pending_;
    std::set<std::string> batch_reindex_;  // customers whose derived data end_batch queues
    size_t queued_ = 0;                    // rows of derived_queue
    // Counter values as last written, so a bump reads no settings row (an import bumps four
    // per customer). Dropped whenever a transaction fails: its rollback may undo a bump.
    std::map<std::string, int64_t, std::less<>> counters_;
    // Bumps inside the current transaction, written by save_counters() when it ends; the
    // log holds each bump's previous value for take_back_counters (a nested failure).
    std::set<std::string, std::less<>> unsaved_counters_;
    std::vector<std::pair<const std::string*, int64_t>> counter_log_;
    Status save_counters();
    void take_back_counters(size_t mark);
    void forget_counters();
};

// Read helpers for domain modules: run a SELECT with text parameters (bound in order)
// and return every row by column name; value() reads a column as text ("" for NULL).
Result<std::vector<Row>> query_rows(store::Db& db, std::string_view sql,
                                    const std::vector<std::string>& params = {});
std::string value(const Row& row, std::string_view column);

}  // namespace crm
