// Schema v1 and the field metadata table.
//
// Index of this file
//   [SECTION] field metadata
//   [SECTION] cross-field rules
//   [SECTION] migrations (v1 DDL, v2 field clocks)
#include "core/schema.h"

#include <set>

#include "core/search.h"

namespace crm {

std::optional<std::string> field_value(const std::vector<FieldValue>& fields, std::string_view name) {
    for (const FieldValue& f : fields)
        if (f.field == name) return f.value;
    return std::nullopt;
}

std::string field_text(const std::vector<FieldValue>& fields, std::string_view name) {
    return field_value(fields, name).value_or("");
}

// ---- [SECTION] field metadata ------------------------------------------------------------

namespace {
using K = FieldKind;

struct F {  // terse builder for the table below
    const char* name;
    K kind;
    const char* picklist = "";
    bool required = false;
    bool editable = true;
    const char* ref = "";
};

TableMeta make(const char* table, std::initializer_list<F> fs, bool created_at, bool updated_at,
               bool created_by) {
    TableMeta t;
    t.name = table;
    t.has_created_at = created_at;
    t.has_updated_at = updated_at;
    t.has_created_by = created_by;
    for (const F& f : fs) {
        FieldMeta m{f.name, f.kind, f.picklist, f.required, f.editable,
                    std::string("field.") + table + "." + f.name, f.ref};
        if (m.name == "customer_id") t.customer_scoped = true;
        t.fields.push_back(std::move(m));
    }
    return t;
}

constexpr bool RO = false;  // not user-editable

std::vector<TableMeta> build_tables() {
    std::vector<TableMeta> ts;
    // Required customer fields: name, kind, source, status, owner; industry only for
    // enterprises (check_record); a contact method via a contact (write path).
    ts.push_back(make("customers",
        {{"number", K::Text, "", false, RO},
         {"kind", K::Enum, "customer_kind", true},
         {"name", K::Text, "", true},
         {"credit_code", K::CreditCode},
         {"industry", K::Enum, "industry"},
         {"size_band", K::Enum, "size_band"},
         {"province", K::Text},
         {"city", K::Text},
         {"district", K::Text},
         {"address", K::Text},
         {"enterprise_type", K::Enum, "enterprise_type"},
         {"occupation", K::Text},
         {"age_band", K::Enum, "age_band"},
         {"source", K::Enum, "source", true},
         {"first_contact_date", K::Date},
         {"status", K::Enum, "status", true},
         {"intent", K::Enum, "intent"},
         {"expected_close_date", K::Date},
         {"needs", K::Text},
         {"budget", K::Money},
         {"owner", K::Name, "", true},
         {"notes", K::Text},
         {"created_at", K::DateTime, "", false, RO},
         {"updated_at", K::DateTime, "", false, RO},
         {"created_by", K::Text, "", false, RO}},
        true, true, true));
    ts.push_back(make("contacts",
        {{"customer_id", K::Ref, "", true, RO, "customers"},
         {"name", K::Name, "", true},
         {"title", K::Text},
         {"mobile", K::Mobile},
         {"landline", K::Landline},
         {"email", K::Email},
         {"is_key", K::Flag},
         {"notes", K::Text}},
        false, false, false));
    ts.push_back(make("interactions",
        {{"number", K::Text, "", false, RO},
         {"customer_id", K::Ref, "", true, RO, "customers"},
         {"at", K::DateTime, "", true},
         {"method", K::Enum, "method", true},
         {"topic", K::Text},
         {"summary", K::Text, "", true},
         {"feedback", K::Enum, "feedback"},
         {"next_action", K::Text},
         {"next_action_owner", K::Name},
         {"next_action_due", K::Date},
         {"next_action_done", K::Flag},
         {"followed_up_by", K::Name},
         {"created_at", K::DateTime, "", false, RO},
         {"late", K::Flag, "", false, RO}},
        true, false, false));
    ts.push_back(make("tags",
        {{"type", K::Enum, "tag_type", true},
         {"name_zh", K::Text, "", true},
         {"name_en", K::Text},
         {"conflict_group", K::Text},
         {"state", K::Enum, "tag_state", true, RO},
         {"proposed_by", K::Text, "", false, RO}},
        false, false, false));
    ts.push_back(make("customer_tags",
        {{"customer_id", K::Ref, "", true, RO, "customers"},
         {"tag_id", K::Ref, "", true, RO, "tags"},
         {"description", K::Text},
         {"added_by", K::Text, "", false, RO},
         {"added_at", K::DateTime, "", false, RO}},
        false, false, false));
    ts.push_back(make("status_history",
        {{"customer_id", K::Ref, "", true, RO, "customers"},
         {"at", K::DateTime, "", true, RO},
         {"actor", K::Text, "", false, RO},
         {"from_status", K::Enum, "status", false, RO},
         {"to_status", K::Enum, "status", true, RO},
         {"reason", K::Text, "", false, RO}},
        false, false, false));
    ts.push_back(make("consents",
        {{"customer_id", K::Ref, "", true, RO, "customers"},
         {"purpose", K::Text, "", true},
         {"channel", K::Text},
         {"given_on", K::Date, "", true},
         {"scope", K::Text},
         {"sensitive", K::Flag},
         {"withdrawn_on", K::Date}},
        false, false, false));
    ts.push_back(make("key_dates",
        {{"customer_id", K::Ref, "", true, RO, "customers"},
         {"kind", K::Enum, "key_date_kind", true},
         {"date", K::Date, "", true},
         {"lead_days", K::Integer},
         {"note", K::Text}},
        false, false, false));
    ts.push_back(make("saved_views",
        {{"name", K::Text, "", true},
         {"filter_json", K::Text, "", true}},
        false, false, false));
    return ts;
}
}  // namespace

const FieldMeta* TableMeta::field(std::string_view n) const {
    for (const FieldMeta& f : fields)
        if (f.name == n) return &f;
    return nullptr;
}

const std::vector<TableMeta>& tables() {
    static const std::vector<TableMeta> ts = build_tables();
    return ts;
}

const TableMeta* table_meta(std::string_view name) {
    for (const TableMeta& t : tables())
        if (t.name == name) return &t;
    return nullptr;
}

// ---- [SECTION] cross-field rules ---------------------------------------------------------

namespace {
bool has(const Row& row, std::string_view f) {
    auto it = row.find(f);
    return it != row.end() && it->second && !it->second->empty();
}
std::string get(const Row& row, std::string_view f) {
    auto it = row.find(f);
    return it != row.end() && it->second ? *it->second : std::string();
}
}  // namespace

std::vector<Error> draft_errors(std::string_view table, const std::vector<FieldValue>& fields) {
    const TableMeta* t = table_meta(table);
    if (!t) return {make_error("err.schema.unknown_table", {}, std::string(table))};
    std::vector<Error> out;
    Row row;
    std::set<std::string> bad;  // fields that already have an error
    for (const FieldValue& fv : fields) {
        const FieldMeta* f = t->field(fv.field);
        if (!f) {
            out.push_back(make_error("err.schema.unknown_field", {}, fv.field));
            continue;
        }
        const std::string v = normalize_input(fv.value.value_or(""));
        if (v.empty()) continue;
        if (auto s = validate_value(f->kind, v, f->label_key, f->picklist); !s) {
            out.push_back(s.error());
            bad.insert(f->name);
        } else {
            row[f->name] = v;
        }
    }
    for (const FieldMeta& f : t->fields)
        if (f.required && f.editable && !row.count(f.name) && !bad.count(f.name)) {
            out.push_back(make_error("err.required", f.label_key));
            bad.insert(f.name);
        }
    if (auto s = check_record(*t, row); !s) {
        bool known = false;
        for (const Error& e : out) known = known || (e.code == s.error().code && e.field == s.error().field);
        if (!known) out.push_back(s.error());
    }
    return out;
}

Status check_record(const TableMeta& t, const Row& row) {
    if (t.name == "customers") {
        bool enterprise = get(row, "kind") == "enterprise";
        if (enterprise && !has(row, "industry"))
            return make_error("err.required", "field.customers.industry");
        if (has(row, "name")) {
            if (auto s = validate_value(enterprise ? K::CompanyName : K::Name, get(row, "name"),
                                        "field.customers.name");
                !s)
                return s;
        }
    }
    if (t.name == "interactions") {
        int n = has(row, "next_action") + has(row, "next_action_owner") + has(row, "next_action_due");
        if (n != 0 && n != 3) {
            const char* missing = !has(row, "next_action")         ? "field.interactions.next_action"
                                  : !has(row, "next_action_owner") ? "field.interactions.next_action_owner"
                                                                   : "field.interactions.next_action_due";
            return make_error("err.interaction.next_action_incomplete", missing);
        }
    }
    return {};
}

// ---- [SECTION] migrations (v1 DDL, v2 field clocks) -------------------------------------

namespace {
// Foreign keys are deliberately not declared: sync may deliver a contact before its
// customer; the write path checks references instead. history and changes are
// append-only (never deleted from), so a plain INTEGER PRIMARY KEY already gives an
// increasing seq without AUTOINCREMENT's extra sqlite_sequence write per row.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE customers (
  id TEXT PRIMARY KEY, number TEXT, kind TEXT, name TEXT, credit_code TEXT, industry TEXT,
  size_band TEXT, province TEXT, city TEXT, district TEXT, address TEXT, enterprise_type TEXT,
  occupation TEXT, age_band TEXT, source TEXT, first_contact_date TEXT, status TEXT,
  intent TEXT, expected_close_date TEXT, needs TEXT, budget INTEGER, owner TEXT, notes TEXT,
  created_at TEXT, updated_at TEXT, created_by TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX customers_number ON customers(number);
CREATE INDEX customers_name ON customers(name);
CREATE INDEX customers_owner ON customers(owner, status);
CREATE INDEX customers_status ON customers(status);
-- The default list order, answered from the index alone (partial: live rows only).
CREATE INDEX customers_updated ON customers(updated_at) WHERE deleted = 0;

CREATE TABLE contacts (
  id TEXT PRIMARY KEY, customer_id TEXT, name TEXT, title TEXT, mobile TEXT, landline TEXT,
  email TEXT, is_key INTEGER NOT NULL DEFAULT 0, notes TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX contacts_customer ON contacts(customer_id);
CREATE INDEX contacts_mobile ON contacts(mobile);

CREATE TABLE interactions (
  id TEXT PRIMARY KEY, number TEXT, customer_id TEXT, at TEXT, method TEXT, topic TEXT,
  summary TEXT, feedback TEXT, next_action TEXT, next_action_owner TEXT, next_action_due TEXT,
  next_action_done INTEGER NOT NULL DEFAULT 0, followed_up_by TEXT, created_at TEXT,
  late INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX interactions_number ON interactions(number);
CREATE INDEX interactions_customer_at ON interactions(customer_id, at);
CREATE INDEX interactions_due ON interactions(next_action_due)
  WHERE next_action_done = 0 AND deleted = 0 AND next_action_due IS NOT NULL;

CREATE TABLE tags (
  id TEXT PRIMARY KEY, type TEXT, name_zh TEXT, name_en TEXT, conflict_group TEXT,
  state TEXT, proposed_by TEXT, deleted INTEGER NOT NULL DEFAULT 0);

CREATE TABLE customer_tags (
  id TEXT PRIMARY KEY, customer_id TEXT, tag_id TEXT, description TEXT, added_by TEXT,
  added_at TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX customer_tags_customer ON customer_tags(customer_id);

CREATE TABLE status_history (
  id TEXT PRIMARY KEY, customer_id TEXT, at TEXT, actor TEXT, from_status TEXT,
  to_status TEXT, reason TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX status_history_customer ON status_history(customer_id, at);

CREATE TABLE consents (
  id TEXT PRIMARY KEY, customer_id TEXT, purpose TEXT, channel TEXT, given_on TEXT,
  scope TEXT, sensitive INTEGER NOT NULL DEFAULT 0, withdrawn_on TEXT,
  deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX consents_customer ON consents(customer_id);

CREATE TABLE key_dates (
  id TEXT PRIMARY KEY, customer_id TEXT, kind TEXT, date TEXT, lead_days INTEGER,
  note TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX key_dates_customer ON key_dates(customer_id);

CREATE TABLE history (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, tbl TEXT NOT NULL,
  record_id TEXT NOT NULL, customer_id TEXT, field TEXT NOT NULL, old TEXT, new TEXT,
  origin TEXT NOT NULL);
CREATE INDEX history_customer ON history(customer_id, seq);

CREATE TABLE changes (
  seq INTEGER PRIMARY KEY, hlc TEXT NOT NULL, device TEXT NOT NULL,
  tbl TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT);

-- Derived from the records by the write path (core/completeness.h); never synced.
CREATE TABLE customer_facts (
  customer_rowid INTEGER PRIMARY KEY, completeness INTEGER NOT NULL, pending_from TEXT);

-- Derived by the write path (core/duplicates.h): what duplicates are looked up by.
CREATE TABLE customer_keys (customer_rowid INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX customer_keys_lookup ON customer_keys(kind, key);
CREATE INDEX customer_keys_customer ON customer_keys(customer_rowid);

CREATE TABLE saved_views (
  id TEXT PRIMARY KEY, name TEXT, filter_json TEXT, deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
)SQL";

// The newest stamp that wrote each field of each record, for last-writer-wins. Stamps
// compare as text (clock.h). Device-local bookkeeping: never synced, never hashed.
constexpr const char* kSchemaV2 = R"SQL(
CREATE TABLE field_clocks (
  tbl TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
  PRIMARY KEY (tbl, record_id, field)) WITHOUT ROWID;
INSERT INTO field_clocks(tbl, record_id, field, hlc)
  SELECT tbl, record_id, field, max(hlc) FROM changes GROUP BY tbl, record_id, field;
)SQL";
}  // namespace

std::vector<store::Migration> migrations() {
    return {
        {1, [](store::Db& db) -> Status {
             if (auto s = db.exec(kSchemaV1); !s) return s;
             for (const std::string& sql : search_schema_sql())
                 if (auto s = db.exec(sql); !s) return s;
             return {};
         }},
        // v2: sync's per-field clocks (src/sync). The write path stamps every field it
        // changes; a creation stamps field '*' (every field). Filled from the change log
        // so a database that already has changes starts with the right clocks.
        {2, [](store::Db& db) -> Status { return db.exec(kSchemaV2); }},
        // v3: a digest of each customer's search document, so an edit that leaves the
        // document as it was does not rewrite the index (derived, never synced).
        {3, [](store::Db& db) -> Status {
             return db.exec("CREATE TABLE search_digest (customer_rowid INTEGER PRIMARY KEY, digest TEXT NOT NULL);");
         }},
        // v4: the search index keeps up to 8 MB of new terms in memory (FTS5 'hashsize',
        // stored in the index; default 1 MB) before writing them out as a segment. A sync
        // pull or an import step that rewrites a few thousand documents wrote a segment
        // per MB, and every one started merges of the whole index once the rewritten
        // documents passed FTS5's 'deletemerge' share: most of a pull's time.
        {4, [](store::Db& db) -> Status { return db.exec(search_tuning_sql()); }},
        // v5: each customer's last live interaction in one index seek (Today's "no
        // follow-up for 14 days"): interactions_customer_at also holds deleted ones, so
        // max(at) of live ones read table rows. 3-4x faster at 100k customers in wasm.
        {5, [](store::Db& db) -> Status {
             return db.exec("CREATE INDEX interactions_live_at ON interactions(customer_id, at) WHERE deleted = 0;");
         }},
        // v6: customers whose derived data (search document, completeness facts, duplicate
        // keys) waits to be written: an import commits its rows and queues its customers
        // here; Workspace::refresh_queued writes them a slice at a time afterwards. A table,
        // so a reload finishes the work. Derived, never synced.
        {6, [](store::Db& db) -> Status {
             return db.exec("CREATE TABLE derived_queue (customer_rowid INTEGER PRIMARY KEY);");
         }},
        // v7: sync's snapshot stage (src/sync/snapshot.cpp): a snapshot's parts are fetched,
        // checked and kept here one by one, then applied from here in one transaction, so
        // a damaged part applies nothing. Device-local, empty between rounds.
        {7, [](store::Db& db) -> Status {
             return db.exec(
                 "CREATE TABLE sync_stage (snapshot TEXT NOT NULL, part INTEGER NOT NULL, device TEXT NOT NULL,"
                 " user TEXT NOT NULL, tbl TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL,"
                 " value TEXT, hlc TEXT NOT NULL);");
         }},
        // v8+: opportunities, tickets, ... append here; never edit shipped migrations.
    };
}

}  // namespace crm
