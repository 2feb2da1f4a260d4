// The sync entry point of the one write path (Workspace::apply_remote): changes received
// from other devices, merged per field, last writer wins. Kept apart from workspace.cpp
// because none of the local rules (validation, required fields, contact method) apply.
#include "core/workspace.h"

#include "core/ids.h"

namespace crm {

namespace {
// The stored clock of a field: the newer of its own and its record's creation stamp.
const std::string& field_floor(const std::map<std::string, std::string>& clocks, const std::string& field) {
    static const std::string none;
    auto own = clocks.find(field), star = clocks.find(kCreatedChange);
    const std::string& a = own == clocks.end() ? none : own->second;
    const std::string& b = star == clocks.end() ? none : star->second;
    return a < b ? b : a;
}

Error bad_message(const RemoteChange& c, const char* why) {
    Error e = make_error("err.sync.bad_message", {}, std::string(why) + ": " + c.table + "." + c.field + " " + c.id + " @" + c.hlc);
    e.with("table", c.table).with("field", c.field).with("record", c.id);
    return e;
}
}  // namespace

Status Workspace::set_device_code(std::string_view code) {
    if (!is_valid_device_code(code)) return make_error("err.device.code_format", {}, std::string(code));
    if (auto s = set_setting("device.code", code); !s) return s;
    device_.device_code = std::string(code);
    return {};
}

Result<RemoteApplied> Workspace::apply_remote(const std::vector<RemoteChange>& changes, std::string_view actor) {
    // Check every message first, and keep the newest per field of each record: the order
    // the messages came in never matters.
    using RecordKey = std::pair<std::string, std::string>;  // table, id
    std::map<RecordKey, std::map<std::string, const RemoteChange*>> records;
    std::string newest;
    RemoteApplied out;
    for (const RemoteChange& c : changes) {
        const TableMeta* t = table_meta(c.table);
        if (!t) return bad_message(c, "unknown table");
        if (c.field != "deleted" && (c.field == "id" || !t->field(c.field))) return bad_message(c, "unknown field");
        if (c.id.empty()) return bad_message(c, "no record id");
        if (!parse_hlc(c.hlc)) return bad_message(c, "malformed stamp");
        const RemoteChange*& slot = records[{c.table, c.id}][c.field];
        if (slot) ++out.stale;  // two messages for one field: only the newer can count
        if (!slot || slot->hlc < c.hlc) slot = &c;
        if (newest < c.hlc) newest = c.hlc;
    }
    Status s = transaction([&]() -> Status {
        for (const auto& [key, fields] : records)
            if (auto r = apply_remote_record(*table_meta(key.first), key.second, fields, actor, out); !r) return r;
        // Later local edits must be stamped after everything seen here.
        auto seen = setting(kHlcSeenKey);
        if (!seen) return seen.error();
        if (newest.empty() || (*seen && **seen >= newest)) return {};
        if (auto stamp = parse_hlc(newest)) hlc_->observe(*stamp);
        return set_setting(kHlcSeenKey, newest);
    });
    if (!s) return s.error();
    return out;
}

Status Workspace::apply_remote_record(const TableMeta& t, const std::string& id,
                                      const std::map<std::string, const RemoteChange*>& newest,
                                      std::string_view actor, RemoteApplied& out) {
    std::map<std::string, std::string> clocks;
    auto cl = db_->cached("SELECT field, hlc FROM field_clocks WHERE tbl = ? AND record_id = ?");
    if (!cl) return cl.error();
    (*cl)->bind_text(1, t.name).bind_text(2, id);
    for (;;) {
        auto r = (*cl)->step();
        if (!r) return r.error();
        if (!*r) break;
        clocks[(*cl)->text(0)] = (*cl)->text(1);
    }
    (*cl)->reset();

    std::vector<const RemoteChange*> winners;
    std::string latest;  // the newest winning stamp
    for (const auto& [field, c] : newest) {
        if (c->hlc <= field_floor(clocks, field)) {
            ++out.stale;
            continue;
        }
        winners.push_back(c);
        if (latest < c->hlc) latest = c->hlc;
    }
    if (winners.empty()) return {};
    out.applied += winners.size();

    // Only the columns the received fields need, and the parent customer's id: a whole Row
    // per record was a tenth of applying updates.
    auto found = read_row(t.name, id, [&](const std::string& column) {
        return newest.count(column) > 0 || column == "customer_id";
    });
    if (!found) return found.error();
    const std::optional<Row>& old = *found;
    Row merged = old.value_or(Row{});
    std::vector<const RemoteChange*> changed;
    for (const RemoteChange* c : winners) {
        if (!old || merged[c->field] != c->value) changed.push_back(c);
        merged[c->field] = c->value;
    }

    // Human numbers carry the device code, unique in a team (sync/team.h); a clash means
    // two devices shared a code, and silently keeping either record would hide the other.
    for (const RemoteChange* c : changed) {
        if (c->field != "number" || !c->value) continue;
        auto other = db_->cached("SELECT id FROM " + t.name + " WHERE number = ? AND id <> ?");
        if (!other) return other.error();
        auto r = (*other)->bind_text(1, *c->value).bind_text(2, id).step();
        if (!r) return r.error();
        std::string holder = *r ? (*other)->text(0) : std::string();
        (*other)->reset();
        if (!holder.empty()) {
            Error e = make_error("err.sync.number_taken", {}, t.name + " " + id + " vs " + holder);
            e.with("number", *c->value);
            return e;
        }
    }

    // The row: a new record is inserted whole (absent fields NULL; flags, NOT NULL in the
    // schema, 0), an existing one updated field by field (few fields change at a time).
    if (!old) {
        std::string cols = "id, deleted", qs = "?, ?";
        for (const FieldMeta& f : t.fields) cols += ", " + f.name, qs += ", ?";
        auto ins = db_->cached("INSERT INTO " + t.name + "(" + cols + ") VALUES(" + qs + ")");
        if (!ins) return ins.error();
        (*ins)->bind_text(1, id).bind_text(2, value(merged, "deleted") == "1" ? "1" : "0");
        int i = 3;
        for (const FieldMeta& f : t.fields) {
            std::optional<std::string> v = merged[f.name];
            if (f.kind == FieldKind::Flag && !v) v = "0";
            (*ins)->bind_opt(i++, v);
        }
        if (auto r = (*ins)->run(); !r) return r;
    } else {
        for (const RemoteChange* c : changed) {
            auto up = db_->cached("UPDATE " + t.name + " SET " + c->field + " = ? WHERE id = ?");
            if (!up) return up.error();
            if (auto r = (*up)->bind_opt(1, c->value).bind_text(2, id).run(); !r) return r;
        }
    }

    // Clocks. A new record written whole by one stamp (a creation sent as its row) needs
    // only the record's clock: the same answer for every field, one row instead of ~25.
    // (updated_at is never sent; 'deleted' is not in the field metadata.)
    size_t covered = 0;
    bool one_stamp = true;
    for (const RemoteChange* c : winners) {
        covered += c->field != "updated_at";
        one_stamp = one_stamp && c->hlc == latest;
    }
    const bool whole = !old && one_stamp && covered == t.fields.size() - (t.has_updated_at ? 1 : 0) + 1;
    if (whole) {
        if (auto r = write_clock(t, id, kCreatedChange, latest); !r) return r;
    } else {
        for (const RemoteChange* c : winners)
            if (auto r = write_clock(t, id, c->field, c->hlc); !r) return r;
    }

    // History, so what another device changed under a user's edit stays visible.
    std::optional<std::string> customer_id;
    if (t.name == "customers") customer_id = id;
    else if (t.customer_scoped) customer_id = merged["customer_id"];
    auto at = [](const std::string& hlc) { return format_iso(parse_hlc(hlc)->ms); };
    if (!old) {
        if (auto r = write_history("sync", actor, t, id, at(latest), customer_id, "created", std::nullopt,
                                   merged["number"]);
            !r)
            return r;
    }
    for (const RemoteChange* c : old ? changed : std::vector<const RemoteChange*>{}) {
        if (auto r = write_history("sync", actor, t, id, at(c->hlc), customer_id, c->field, (*old).at(c->field),
                                   c->value);
            !r)
            return r;
    }
    if (changed.empty()) return {};

    // updated_at: the time of the newest change seen, never moved back. Derived data of
    // the customer concerned (and of the one a child record left) is rebuilt in finish().
    auto touch = [&](const std::string& table, const std::string& rid) -> Status {
        auto st = db_->cached("UPDATE " + table + " SET updated_at = ? WHERE id = ? AND "
                              "(updated_at IS NULL OR updated_at < ?)");
        if (!st) return st.error();
        const std::string when = at(latest);
        return (*st)->bind_text(1, when).bind_text(2, rid).bind_text(3, when).run();
    };
    if (t.has_updated_at)
        if (auto r = touch(t.name, id); !r) return r;
    const bool searched = t.name == "customers" || t.name == "contacts" || t.name == "interactions";
    if (customer_id && t.name != "customers")
        if (auto r = touch("customers", *customer_id); !r) return r;
    if (customer_id && searched) pending_.reindex.insert(*customer_id);
    if (old && t.customer_scoped) {
        auto before = old->find("customer_id");
        if (before != old->end() && before->second && before->second != customer_id && searched)
            pending_.reindex.insert(*before->second);
    }
    return {};
}

}  // namespace crm
