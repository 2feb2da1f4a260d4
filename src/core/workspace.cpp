// The one write path.
//
// Index of this file
//   [SECTION] open, settings, counters
//   [SECTION] apply: validate, write row, history, changes
//   [SECTION] finish: customer-level rule, updated_at of parents, derived data
#include "core/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/completeness.h"
#include "core/customers.h"
#include "core/duplicates.h"
#include "core/ids.h"
#include "core/search.h"

namespace crm {

// ---- [SECTION] open, settings, counters --------------------------------------------------

Result<Workspace> Workspace::open(store::Db db, DeviceInfo device, std::shared_ptr<Clock> clock) {
    Workspace ws;
    ws.db_ = std::make_unique<store::Db>(std::move(db));
    ws.clock_ = clock ? std::move(clock) : std::make_shared<SystemClock>();
    if (auto s = store::migrate(*ws.db_, migrations()); !s) return s.error();

    auto stored_id = ws.setting("device.id");
    if (!stored_id) return stored_id.error();
    if (device.device_id.empty())
        device.device_id = stored_id->has_value() ? **stored_id : new_device_id();
    if (!is_valid_device_id(device.device_id))
        return make_error("err.device.id_format", {}, device.device_id);
    if (*stored_id != device.device_id)
        if (auto s = ws.set_setting("device.id", device.device_id); !s) return s.error();

    auto stored_code = ws.setting("device.code");
    if (!stored_code) return stored_code.error();
    if (device.device_code.empty()) device.device_code = stored_code->value_or("01");
    if (!is_valid_device_code(device.device_code))
        return make_error("err.device.code_format", {}, device.device_code);
    if (*stored_code != device.device_code)
        if (auto s = ws.set_setting("device.code", device.device_code); !s) return s.error();
    ws.device_ = std::move(device);
    // Derived data an import queued before the last close: the app goes on writing it.
    auto queued = ws.db_->query_int("SELECT count(*) FROM derived_queue");
    if (!queued) return queued.error();
    ws.queued_ = static_cast<size_t>(queued->value_or(0));

    // Resume the HLC after the newest stamp in the log, even if the wall clock went back.
    // Every stamp is later than the one before it (the HLC resumes after the last), so the
    // newest is the last row's: one lookup instead of a scan of the whole log.
    ws.hlc_ = std::make_unique<Hlc>(ws.device_.device_id);
    auto st = ws.db_->prepare("SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1");
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    if (*row && !st->is_null(0))
        if (auto stamp = parse_hlc(st->text(0))) ws.hlc_->observe(*stamp);
    // ... and after the newest stamp received from other devices (apply_remote).
    auto seen = ws.setting(kHlcSeenKey);
    if (!seen) return seen.error();
    if (*seen)
        if (auto stamp = parse_hlc(**seen)) ws.hlc_->observe(*stamp);
    return ws;
}

Result<Workspace> Workspace::open_memory(DeviceInfo device, std::shared_ptr<Clock> clock) {
    auto db = store::Db::open_memory();
    if (!db) return db.error();
    return open(std::move(*db), std::move(device), std::move(clock));
}

Result<std::optional<std::string>> Workspace::setting(std::string_view key) {
    auto st = db_->cached("SELECT value FROM settings WHERE key = ?");
    if (!st) return st.error();
    (*st)->bind_text(1, key);
    auto row = (*st)->step();
    if (!row) return row.error();
    std::optional<std::string> v;
    if (*row) v = (*st)->opt_text(0);
    (*st)->reset();
    return v;
}

Status Workspace::set_setting(std::string_view key, std::string_view value) {
    auto st = db_->cached(
        "INSERT INTO settings(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    if (auto known = counters_.find(key); known != counters_.end()) counters_.erase(known);
    return (*st)->bind_text(1, key).bind_text(2, value).run();
}

// Inside a transaction a bump is only remembered (with the value before it, so a nested
// transaction that fails takes its bumps back) and the counter is written once, when the
// outermost transaction ends: an import bumps four counters per customer, and writing the
// settings row each time was a tenth of its row writes.
Result<int64_t> Workspace::next_counter(std::string_view key) {
    int64_t before = 0;
    if (auto known = counters_.find(key); known != counters_.end()) {
        before = known->second;
    } else {
        auto cur = setting(key);
        if (!cur) return cur.error();
        before = cur->has_value() ? std::stoll(**cur) : 0;
    }
    const int64_t n = before + 1;
    if (depth_ == 0) {
        if (auto s = set_setting(key, std::to_string(n)); !s) return s.error();
        counters_[std::string(key)] = n;
        return n;
    }
    auto it = unsaved_counters_.find(key);
    if (it == unsaved_counters_.end()) it = unsaved_counters_.emplace(std::string(key)).first;
    counter_log_.push_back({&*it, before});
    counters_[*it] = n;
    return n;
}

Status Workspace::save_counters() {
    for (const std::string& key : unsaved_counters_) {
        auto n = counters_.find(key);
        if (n == counters_.end()) continue;  // set_setting wrote it since
        auto st = db_->cached(
            "INSERT INTO settings(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        if (!st) return st.error();
        if (auto s = (*st)->bind_text(1, key).bind_text(2, std::to_string(n->second)).run(); !s) return s;
    }
    unsaved_counters_.clear();
    counter_log_.clear();
    return {};
}

void Workspace::forget_counters() {
    counters_.clear();
    unsaved_counters_.clear();
    counter_log_.clear();
}

void Workspace::take_back_counters(size_t mark) {
    while (counter_log_.size() > mark) {
        counters_[*counter_log_.back().first] = counter_log_.back().second;
        counter_log_.pop_back();
    }
}

Result<std::string> Workspace::new_id() {
    auto n = next_counter(kRecordCounterKey);
    if (!n) return n.error();
    return record_id(device_.device_id, static_cast<uint64_t>(*n));
}

Result<std::optional<Row>> Workspace::read_row(std::string_view table, std::string_view id,
                                               const std::function<bool(const std::string& column)>& keep) {
    if (!table_meta(table)) return make_error("err.schema.unknown_table", {}, std::string(table));
    auto st = db_->cached("SELECT * FROM " + std::string(table) + " WHERE id = ?");
    if (!st) return st.error();
    (*st)->bind_text(1, id);
    auto r = (*st)->step();
    if (!r) return r.error();
    if (!*r) return std::optional<Row>{};
    Row row;
    for (int c = 0; c < (*st)->column_count(); ++c) {
        std::string name = (*st)->column_name(c);
        if (!keep || keep(name)) row[std::move(name)] = (*st)->opt_text(c);
    }
    (*st)->reset();
    return std::optional<Row>{std::move(row)};
}

Status Workspace::move_history(std::string_view from, std::string_view to) {
    auto st = db_->cached("UPDATE history SET customer_id = ? WHERE customer_id = ?");
    if (!st) return st.error();
    return (*st)->bind_text(1, to).bind_text(2, from).run();
}

Status Workspace::note_history(std::string_view customer_id, std::string_view field,
                               const std::optional<std::string>& old_value,
                               const std::optional<std::string>& new_value, std::string_view origin) {
    auto h = db_->cached(
        "INSERT INTO history(at, actor, tbl, record_id, customer_id, field, old, new, origin) "
        "VALUES(?, ?, 'customers', ?, ?, ?, ?, ?, ?)");
    if (!h) return h.error();
    (*h)->bind_text(1, now_iso()).bind_text(2, device_.user).bind_text(3, customer_id);
    (*h)->bind_text(4, customer_id).bind_text(5, field).bind_opt(6, old_value).bind_opt(7, new_value);
    return (*h)->bind_text(8, origin).run();
}

Status Workspace::note_event(std::string_view subject, std::string_view record_id, std::string_view event,
                              const std::string& detail, std::string_view origin) {
    auto h = db_->cached(
        "INSERT INTO history(at, actor, tbl, record_id, customer_id, field, old, new, origin) "
        "VALUES(?, ?, ?, ?, NULL, ?, NULL, ?, ?)");
    if (!h) return h.error();
    (*h)->bind_text(1, now_iso()).bind_text(2, device_.user).bind_text(3, subject).bind_text(4, record_id);
    return (*h)->bind_text(5, event).bind_text(6, detail).bind_text(7, origin).run();
}

// The ids as a JSON array for json_each: one statement text whatever the number of ids (one
// per list size would fill the statement cache). Written by hand: building it with
// nlohmann::json was a tenth of an import's derived data.
static std::string json_ids(std::vector<std::string>::const_iterator from, std::vector<std::string>::const_iterator to) {
    std::string out = "[";
    for (auto it = from; it != to; ++it) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (unsigned char c : *it) {
            if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
            else if (c < 0x20) out += "\\u00", out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
            else out += static_cast<char>(c);
        }
        out += '"';
    }
    return out + "]";
}

Status Workspace::begin_batch() {
    if (depth_ != 0) return make_error("err.db", {}, "begin_batch inside a transaction");
    batch_reindex_.clear();
    return db_->begin_open();
}

Status Workspace::end_batch(bool commit) {
    std::vector<std::string> touched(batch_reindex_.begin(), batch_reindex_.end());
    batch_reindex_.clear();
    if (!commit) {
        forget_counters();
        return db_->end_open(false);
    }
    // Queued in the batch's own commit: the rows and the promise to index them land together.
    size_t added = 0;
    Status s = db_->transaction([&]() -> Status {
        auto st = db_->cached(
            "INSERT OR IGNORE INTO derived_queue(customer_rowid) "
            "SELECT rowid FROM customers WHERE id IN (SELECT value FROM json_each(?))");
        if (!st) return st.error();
        for (size_t at = 0; at < touched.size(); at += 4096) {
            const auto from = touched.cbegin() + at;
            const auto to = touched.cbegin() + std::min(touched.size(), at + 4096);
            if (auto r = (*st)->bind_text(1, json_ids(from, to)).run(); !r) return r;
            added += static_cast<size_t>(db_->changes());
        }
        return {};
    });
    if (s) s = db_->end_open(true);
    if (!s) {
        forget_counters();
        if (db_->has_open()) (void)db_->end_open(false);
        return s;
    }
    queued_ += added;
    return {};
}

Result<size_t> Workspace::refresh_queued(size_t max) {
    if (queued_ == 0 || db_->in_transaction() || depth_ != 0) return queued_;
    std::vector<std::string> ids;
    int64_t last = 0;
    auto st = db_->cached(
        "SELECT q.customer_rowid, c.id FROM derived_queue q LEFT JOIN customers c ON c.rowid = q.customer_rowid "
        "ORDER BY q.customer_rowid LIMIT ?");
    if (!st) return st.error();
    (*st)->bind_int(1, static_cast<int64_t>(max));
    for (;;) {
        auto r = (*st)->step();
        if (!r) return r.error();
        if (!*r) break;
        last = (*st)->int64(0);
        if (!(*st)->is_null(1)) ids.push_back((*st)->text(1));
    }
    (*st)->reset();
    if (last == 0) return queued_ = 0;  // the table is empty after all
    size_t done = 0;
    Status s = db_->transaction([&]() -> Status {
        if (auto r = refresh_sorted(ids); !r) return r;
        auto del = db_->cached("DELETE FROM derived_queue WHERE customer_rowid <= ?");
        if (!del) return del.error();
        if (auto r = (*del)->bind_int(1, last).run(); !r) return r;
        done = static_cast<size_t>(db_->changes());
        return {};
    });
    if (!s) return s.error();
    queued_ = done >= queued_ ? 0 : queued_ - done;
    return queued_;
}

Status Workspace::transaction(const std::function<Status()>& fn) { return run_transaction(false, fn); }
Status Workspace::bulk_transaction(const std::function<Status()>& fn) { return run_transaction(true, fn); }

Status Workspace::run_transaction(bool bulk, const std::function<Status()>& fn) {
    const size_t mark = counter_log_.size();
    auto body = [&]() -> Status {
        ++depth_;
        Status s = fn();
        --depth_;
        if (depth_ == 0) {
            Pending p = std::move(pending_);
            pending_ = {};
            if (s) s = finish(p);
            if (s) s = save_counters();
        }
        return s;
    };
    Status s = bulk ? db_->flat_transaction(body) : db_->transaction(body);
    if (!s) {
        if (depth_ == 0) {  // rolled back whole: the stored counters are right again
            forget_counters();
        } else {
            take_back_counters(mark);
        }
    }
    return s;
}

// ---- [SECTION] apply ---------------------------------------------------------------------

Result<std::string> Workspace::apply(const Edit& edit) {
    std::string id;
    Status s = transaction([&]() -> Status {
        auto r = apply_one(edit);
        if (!r) return r.error();
        id = std::move(*r);
        return {};
    });
    if (!s) return s.error();
    return id;
}

Status Workspace::apply_all(const std::vector<Edit>& edits) {
    return transaction([&]() -> Status {
        for (const Edit& e : edits)
            if (auto r = apply_one(e); !r) return r.error();
        return {};
    });
}

namespace {
bool is_blank(const std::optional<std::string>& v) { return !v || v->empty(); }
}  // namespace

// Normalizes one value in place (empty -> nullopt) and checks it against its metadata.
Status Workspace::validate_field(const FieldMeta& f, std::optional<std::string>& value) {
    if (value) {
        *value = normalize_input(*value);
        if (value->empty()) value.reset();
    }
    if (!value) return {};
    if (auto s = validate_value(f.kind, *value, f.label_key, f.picklist); !s) return s;
    // Store one form per value: 11-digit mobiles, plain-digit money, upper-case credit
    // codes, and times as 'YYYY-MM-DDTHH:MM:SSZ' whatever the accepted input form.
    if (f.kind == FieldKind::DateTime) {
        auto ms = parse_iso_ms(*value);
        if (!ms) return make_error("err.datetime.format", f.label_key, *value);
        *value = format_iso(*ms);
    } else {
        *value = canonical_value(f.kind, *value);
    }
    if (!f.ref_table.empty()) {
        auto st = db_->cached("SELECT 1 FROM " + f.ref_table + " WHERE id = ? AND deleted = 0");
        if (!st) return st.error();
        (*st)->bind_text(1, *value);
        auto r = (*st)->step();
        if (!r) return r.error();
        (*st)->reset();
        if (!*r) return make_error("err.record.ref_missing", f.label_key, *value);
    }
    return {};
}

Status Workspace::write_history(std::string_view origin, std::string_view actor, const TableMeta& t,
                                const std::string& id, const std::string& at,
                                const std::optional<std::string>& customer_id, const std::string& field,
                                const std::optional<std::string>& old_value,
                                const std::optional<std::string>& new_value) {
    auto h = db_->cached(
        "INSERT INTO history(at, actor, tbl, record_id, customer_id, field, old, new, origin) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!h) return h.error();
    (*h)->bind_text(1, at).bind_text(2, actor).bind_text(3, t.name).bind_text(4, id);
    (*h)->bind_opt(5, customer_id).bind_text(6, field).bind_opt(7, old_value).bind_opt(8, new_value);
    (*h)->bind_text(9, origin);
    return (*h)->run();
}

// The field's last-writer-wins clock. A local stamp is always the newest (the HLC has
// observed every remote stamp), a remote one only reaches here when it won.
Status Workspace::write_clock(const TableMeta& t, const std::string& id, const std::string& field,
                              const std::string& hlc) {
    auto c = db_->cached(
        "INSERT INTO field_clocks(tbl, record_id, field, hlc) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(tbl, record_id, field) DO UPDATE SET hlc = excluded.hlc");
    if (!c) return c.error();
    return (*c)->bind_text(1, t.name).bind_text(2, id).bind_text(3, field).bind_text(4, hlc).run();
}

Status Workspace::write_change(const TableMeta& t, const std::string& id, const std::string& hlc,
                               const std::string& field, const std::optional<std::string>& value) {
    auto c = db_->cached(
        "INSERT INTO changes(hlc, device, tbl, record_id, field, value) VALUES(?, ?, ?, ?, ?, ?)");
    if (!c) return c.error();
    (*c)->bind_text(1, hlc).bind_text(2, device_.device_id);
    (*c)->bind_text(3, t.name).bind_text(4, id).bind_text(5, field).bind_opt(6, value);
    if (auto s = (*c)->run(); !s) return s;
    return write_clock(t, id, field, hlc);
}

// Writes the row itself: INSERT for Create, UPDATE of the changed columns, or the tombstone.
Status Workspace::write_row(const Edit& e, const TableMeta& t, const std::string& id,
                            const std::vector<Change>& values, const std::string& now) {
    // The statement by its table, kind and columns: building and hashing its text for every
    // record was a twentieth of an import's row writing.
    RowStatementKey key{&t, e.kind, {}};
    key.columns.reserve(values.size());
    for (const Change& c : values) key.columns.push_back(c.field);
    store::Stmt* st = nullptr;
    if (auto known = row_statements_.find(key); known != row_statements_.end()) {
        st = known->second;
        st->reset();
    } else {
        std::string sql;
        if (e.kind == Edit::Create) {
            std::string cols = "id", qs = "?";
            for (const Change& c : values) cols += ", " + c.field->name, qs += ", ?";
            sql = "INSERT INTO " + t.name + "(" + cols + ") VALUES(" + qs + ")";
        } else if (e.kind == Edit::Update) {
            sql = "UPDATE " + t.name + " SET ";
            for (size_t i = 0; i < values.size(); ++i) sql += (i ? ", " : "") + values[i].field->name + " = ?";
            sql += " WHERE id = ?";
        } else {
            sql = "UPDATE " + t.name + " SET deleted = 1" + (t.has_updated_at ? ", updated_at = ?" : "") +
                  " WHERE id = ?";
        }
        auto cached = db_->cached(sql);  // few distinct column sets, so the cache stays small
        if (!cached) return cached.error();
        st = *cached;
        row_statements_.emplace(std::move(key), st);
    }
    int i = 1;
    if (e.kind == Edit::Create) st->bind_text(i++, id);
    if (e.kind == Edit::Delete && t.has_updated_at) st->bind_text(i++, now);
    for (const Change& c : values) st->bind_opt(i++, c.value);
    if (e.kind != Edit::Create) st->bind_text(i++, id);
    return st->run();
}

// Remembers which customers finish() must check, bump and reindex.
void Workspace::track(const Edit& e, const TableMeta& t, const std::optional<std::string>& customer_id,
                      const std::optional<Row>& old) {
    const bool searched = t.name == "customers" || t.name == "contacts" || t.name == "interactions";
    const bool contactish = t.name == "customers" || t.name == "contacts";
    auto note = [&](const std::string& cid) {
        if (searched) pending_.reindex.insert(cid);
        if (contactish && e.origin != "sync") pending_.check_contact.insert(cid);
        if (t.name == "customers") pending_.written.insert(cid);
        else pending_.bump.insert(cid);
    };
    if (customer_id) note(*customer_id);
    // A child record moved to another customer (merge) changes the old one too.
    if (old && t.customer_scoped) {
        auto it = old->find("customer_id");
        if (it != old->end() && it->second && it->second != customer_id) note(*it->second);
    }
}

Result<std::string> Workspace::apply_one(const Edit& e) {
    const TableMeta* t = table_meta(e.table);
    if (!t) return make_error("err.schema.unknown_table", {}, e.table);
    if (e.kind != Edit::Create && e.id.empty()) return make_error("err.record.not_found", {}, e.table);

    // Old row (Update/Delete), then normalized and validated new values.
    std::optional<Row> old;
    if (e.kind != Edit::Create) {
        auto r = read_row(t->name, e.id);
        if (!r) return r.error();
        if (!*r || value(**r, "deleted") == "1") return make_error("err.record.not_found", {}, e.table + " " + e.id);
        old = std::move(**r);
    }
    std::vector<Change> values;
    if (e.kind != Edit::Delete) {
        for (const FieldValue& fv : e.fields) {
            const FieldMeta* f = t->field(fv.field);
            if (!f) return make_error("err.schema.unknown_field", {}, e.table + "." + fv.field);
            std::optional<std::string> v = fv.value;
            if (auto s = validate_field(*f, v); !s) return s.error();
            std::erase_if(values, [&](const Change& c) { return c.field == f; });  // last one wins
            if (old && (*old)[f->name] == v) continue;  // unchanged: writes nothing
            values.push_back({f, std::move(v)});
        }
    }

    std::string id = e.id;
    const std::string now = now_iso();
    Row merged = old.value_or(Row{});
    for (const Change& c : values) merged[c.field->name] = c.value;

    if (e.kind == Edit::Create) {
        if (id.empty()) {
            auto nid = new_id();
            if (!nid) return nid.error();
            id = *nid;
        } else {
            auto st = db_->cached("SELECT 1 FROM " + t->name + " WHERE id = ?");
            if (!st) return st.error();
            auto r = (*st)->bind_text(1, id).step();
            if (!r) return r.error();
            (*st)->reset();
            if (*r) return make_error("err.record.exists", {}, e.table + " " + id);
        }
        // System columns the caller did not set (imports and demo data may set them).
        auto add_default = [&](bool has, const char* name, const std::string& v) {
            if (has && is_blank(merged[name])) {
                merged[name] = v;
                values.push_back({t->field(name), v});
            }
        };
        add_default(t->has_created_at, "created_at", now);
        add_default(t->has_updated_at, "updated_at", merged["created_at"].value_or(now));
        add_default(t->has_created_by, "created_by", device_.user);
        for (const FieldMeta& f : t->fields)
            if (f.required && is_blank(merged[f.name])) return make_error("err.required", f.label_key);
    } else if (e.kind == Edit::Update) {
        for (const Change& c : values)
            if (c.field->required && !c.value) return make_error("err.required", c.field->label_key);
        if (values.empty()) return id;  // nothing changed: no row, history or change written
        if (t->has_updated_at) {
            merged["updated_at"] = now;
            values.push_back({t->field("updated_at"), now});
        }
    }
    if (e.kind != Edit::Delete)
        if (auto s = check_record(*t, merged); !s) return s.error();

    if (auto s = write_row(e, *t, id, values, now); !s) return s.error();

    // History and change log. A record's creation is one history entry ("created", new =
    // its number) and one change with field kCreatedChange and no value: the sync layer
    // sends the row itself (see kCreatedChange). At 100k customers with 1M interactions a
    // row per field would multiply both logs by ~15, and a copy of the values double the
    // database. Updates and deletes: one entry per changed field (updated_at is bookkeeping).
    std::optional<std::string> customer_id;
    if (t->name == "customers") customer_id = id;
    else if (t->customer_scoped) customer_id = merged["customer_id"];
    // One HLC stamp per edit: its fields are one message, told apart by field name.
    const std::string hlc = hlc_->tick(clock_->now_ms());
    auto history = [&](const std::string& field, const std::optional<std::string>& before,
                       const std::optional<std::string>& after) {
        return write_history(e.origin, device_.user, *t, id, now, customer_id, field, before, after);
    };
    if (e.kind == Edit::Create) {
        if (auto s = history("created", std::nullopt, merged["number"]); !s) return s.error();
        if (auto s = write_change(*t, id, hlc, kCreatedChange, std::nullopt); !s) return s.error();
    } else if (e.kind == Edit::Delete) {
        if (auto s = history("deleted", "0", "1"); !s) return s.error();
        if (auto s = write_change(*t, id, hlc, "deleted", "1"); !s) return s.error();
    } else {
        for (const Change& c : values) {
            if (c.field->name == "updated_at") continue;
            if (auto s = history(c.field->name, (*old)[c.field->name], c.value); !s) return s.error();
            if (auto s = write_change(*t, id, hlc, c.field->name, c.value); !s) return s.error();
        }
    }
    track(e, *t, customer_id, old);
    return id;
}

Result<std::vector<Row>> query_rows(store::Db& db, std::string_view sql,
                                    const std::vector<std::string>& params) {
    auto st = db.cached(sql);
    if (!st) return st.error();
    for (size_t i = 0; i < params.size(); ++i) (*st)->bind_text(static_cast<int>(i + 1), params[i]);
    std::vector<Row> rows;
    // Columns by name, so each row's map is filled in order (a hint at its end, no search):
    // the derived data of an import reads 100k customers of 28 columns this way.
    std::vector<std::pair<std::string, int>> names;
    for (;;) {
        auto r = (*st)->step();
        if (!r) return r.error();
        if (!*r) break;
        if (names.empty()) {
            for (int c = 0; c < (*st)->column_count(); ++c) names.emplace_back((*st)->column_name(c), c);
            // A name twice: the last such column wins, as when assigned in column order.
            std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
                return a.first != b.first ? a.first < b.first : a.second > b.second;
            });
            names.erase(std::unique(names.begin(), names.end(),
                                    [](const auto& a, const auto& b) { return a.first == b.first; }),
                        names.end());
        }
        Row row;
        for (const auto& [name, c] : names) row.emplace_hint(row.end(), name, (*st)->opt_text(c));
        rows.push_back(std::move(row));
    }
    (*st)->reset();
    return rows;
}

std::string value(const Row& row, std::string_view column) {
    auto it = row.find(column);
    return it != row.end() && it->second ? *it->second : std::string();
}

// ---- [SECTION] finish --------------------------------------------------------------------

// Derived data of touched customers: each one's search document, completeness facts and
// duplicate-lookup keys, the last two from one read of the customers and one of their
// contacts per chunk of ids.
Status Workspace::refresh_derived(const std::vector<std::string>& unordered) {
    // In rowid order: FTS5 flushes its pending terms to a new segment (and merges) whenever
    // a document's rowid is below the previous one. Ids sort as text ("...-zz" after
    // "...-100"), so in id order an import of more than ~20k rows flushed many times per
    // chunk and the cost per customer grew with the index.
    std::vector<std::pair<int64_t, std::string>> by_rowid;
    by_rowid.reserve(unordered.size());
    for (size_t at = 0; at < unordered.size(); at += 4096) {
        const auto from = unordered.begin() + at, to = unordered.begin() + std::min(unordered.size(), at + 4096);
        auto st = db_->cached("SELECT rowid, id FROM customers WHERE id IN (SELECT value FROM json_each(?))");
        if (!st) return st.error();
        (*st)->bind_text(1, json_ids(from, to));
        for (;;) {
            auto r = (*st)->step();
            if (!r) return r.error();
            if (!*r) break;
            by_rowid.emplace_back((*st)->int64(0), (*st)->text(1));
        }
        (*st)->reset();
    }
    std::sort(by_rowid.begin(), by_rowid.end());
    std::vector<std::string> ids;
    ids.reserve(by_rowid.size());
    for (auto& [rowid, id] : by_rowid) ids.push_back(std::move(id));
    return refresh_sorted(ids);
}

Status Workspace::refresh_sorted(const std::vector<std::string>& ids) {
    constexpr size_t kChunk = 128;
    for (size_t at = 0; at < ids.size(); at += kChunk) {
        const size_t end = std::min(ids.size(), at + kChunk);
        const std::string json = json_ids(ids.begin() + at, ids.begin() + end);
        auto customers = query_rows(*db_,
            "SELECT rowid AS r, * FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid", {json});
        if (!customers) return customers.error();
        auto contact_rows = query_rows(*db_,
            "SELECT * FROM contacts WHERE customer_id IN (SELECT value FROM json_each(?)) AND deleted = 0 "
            "ORDER BY customer_id, is_key DESC, rowid", {json});
        if (!contact_rows) return contact_rows.error();
        std::map<std::string, std::vector<Contact>> contacts;  // by customer, in list_contacts order
        for (const Row& r : *contact_rows) {
            Contact k = contact_from_row(r);
            contacts[k.customer_id].push_back(std::move(k));
        }
        for (const Row& row : *customers) {
            const Customer customer = customer_from_row(row);
            if (auto s = search_reindex_customer(*db_, customer.id); !s) return s;
            const int64_t rowid = std::stoll(value(row, "r"));
            static const std::vector<Contact> kNone;
            auto it = contacts.find(customer.id);
            const std::vector<Contact>& mine = customer.deleted || it == contacts.end() ? kNone : it->second;
            const Customer* live = customer.deleted ? nullptr : &customer;
            if (auto s = store_completeness(*db_, rowid, live, mine); !s) return s;
            if (auto s = store_dedupe_keys(*db_, rowid, live, mine); !s) return s;
        }
    }
    return {};
}

Status Workspace::finish(Pending& p) {
    for (const std::string& cid : p.check_contact) {
        // One statement per customer: a live customer, and whether it can be reached.
        auto st = db_->cached(
            "SELECT c.name, EXISTS(SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND k.deleted = 0 AND "
            "(coalesce(k.mobile, '') <> '' OR coalesce(k.landline, '') <> '' OR coalesce(k.email, '') <> '')) "
            "FROM customers c WHERE c.id = ? AND c.deleted = 0");
        if (!st) return st.error();
        auto found = (*st)->bind_text(1, cid).step();
        if (!found) return found.error();
        if (!*found) continue;
        const bool reachable = (*st)->int64(1) != 0;
        std::string name = (*st)->text(0);
        (*st)->reset();
        if (!reachable) {
            Error e = make_error("err.customer.contact_method_required", "field.contacts.mobile", cid);
            e.with("name", name);
            return e;
        }
    }
    const std::string now = now_iso();
    for (const std::string& cid : p.bump) {
        if (p.written.count(cid)) continue;
        auto st = db_->cached("UPDATE customers SET updated_at = ? WHERE id = ? AND deleted = 0");
        if (!st) return st.error();
        if (auto s = (*st)->bind_text(1, now).bind_text(2, cid).run(); !s) return s;
    }
    // Inside a batch the derived data waits for end_batch: written once per customer, and
    // the search index gets one segment instead of one per step.
    if (db_->has_open()) {
        batch_reindex_.insert(p.reindex.begin(), p.reindex.end());
        return {};
    }
    return refresh_derived(std::vector<std::string>(p.reindex.begin(), p.reindex.end()));
}

}  // namespace crm
