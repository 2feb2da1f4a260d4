// Import step 3: the plan. Rows through the mapping, validated with the write path's own
// rules (draft_errors), duplicates found with duplicates.h, a default action per row.
//
// Index of this file
//   [SECTION] a row through the mapping
//   [SECTION] customers
//   [SECTION] interactions
//   [SECTION] plan and decisions
#include "core/import.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/customers.h"
#include "core/duplicates.h"
#include "core/schema.h"
#include "core/tags.h"
#include "core/text.h"
#include "core/validate.h"

namespace crm {

namespace {

// ---- [SECTION] a row through the mapping -------------------------------------------------

bool has_field(const std::vector<FieldValue>& fs, std::string_view name) { return !field_text(fs, name).empty(); }

// One row's values by target, converted: picklist values through the mapping, dates and
// times to the stored forms, regions split, a "phone" sorted into mobile or landline.
struct MappedRow {
    std::map<std::string, std::vector<FieldValue>> by_table;  // "customers", "contacts", ...
    std::string number;                                       // customers.number (matching only)
    std::string tags;                                         // customers.tags, as written
};

// What each column's target is, worked out once per file rather than once per cell.
struct ColumnTarget {
    enum Special { None, Region, Phone, Number, Tags } special = None;
    std::string table, field;
    const FieldMeta* meta = nullptr;                            // null: no such field
    const std::map<std::string, std::string>* values = nullptr;  // the picklist's value mapping
};

std::vector<ColumnTarget> column_targets(const ColumnMapping& m) {
    std::vector<ColumnTarget> out(m.targets.size());
    for (size_t col = 0; col < m.targets.size(); ++col) {
        const std::string& target = m.targets[col];
        ColumnTarget& c = out[col];
        if (target == "customers.region") c.special = ColumnTarget::Region;
        else if (target == "contacts.phone") c.special = ColumnTarget::Phone;
        else if (target == "customers.number") c.special = ColumnTarget::Number;
        else if (target == "customers.tags") c.special = ColumnTarget::Tags;
        if (target.empty() || c.special != ColumnTarget::None) continue;
        const size_t dot = target.find('.');
        c.table = target.substr(0, dot);
        c.field = dot == std::string::npos ? std::string() : target.substr(dot + 1);
        const TableMeta* t = table_meta(c.table);
        c.meta = t ? t->field(c.field) : nullptr;
        if (c.meta && !c.meta->picklist.empty())
            if (auto values = m.values.find(target); values != m.values.end()) c.values = &values->second;
    }
    return out;
}

MappedRow map_row(const csv::Row& row, const ColumnMapping& m, const std::vector<ColumnTarget>& targets,
                  const ImportOptions& opt) {
    MappedRow out;
    std::string region, phone;
    for (size_t col = 0; col < targets.size() && col < row.cells.size(); ++col) {
        const ColumnTarget& target = targets[col];
        if (!target.meta && target.special == ColumnTarget::None) continue;
        std::string v = normalize_input(row.cells[col]);
        if (v.empty()) continue;
        switch (target.special) {
        case ColumnTarget::Region: region = std::move(v); continue;
        case ColumnTarget::Phone: phone = std::move(v); continue;
        case ColumnTarget::Number: out.number = std::move(v); continue;
        case ColumnTarget::Tags: out.tags = std::move(v); continue;
        case ColumnTarget::None: break;
        }
        const FieldMeta* f = target.meta;
        if (!f->picklist.empty()) {
            if (target.values)
                if (auto code = target.values->find(v); code != target.values->end()) v = code->second;
        } else if (f->kind == FieldKind::Date) {
            v = import_date(v);
        } else if (f->kind == FieldKind::DateTime) {
            v = import_datetime(v, opt.utc_offset_minutes);
        } else if (f->kind == FieldKind::Flag) {
            v = ascii_lower(v);  // "Yes" as our own export writes it
        }
        // In an interactions file the customer columns only find the customer.
        if (m.kind == ImportKind::Interactions && target.table == "customers") {
            if (target.field == "name") out.by_table["match"].push_back({"name", v});
            continue;
        }
        out.by_table[target.table].push_back({target.field, std::move(v)});
    }
    auto& customer = out.by_table["customers"];
    if (!region.empty()) {  // explicit province / city / district columns win
        RegionParts parts = split_region(region);
        if (!has_field(customer, "province") && !parts.province.empty()) customer.push_back({"province", parts.province});
        if (!has_field(customer, "city") && !parts.city.empty()) customer.push_back({"city", parts.city});
        if (!has_field(customer, "district") && !parts.district.empty()) customer.push_back({"district", parts.district});
    }
    if (!phone.empty()) {
        auto& contact = out.by_table["contacts"];
        const char* to = is_valid_mobile(phone) ? "mobile" : "landline";
        if (!has_field(contact, to)) contact.push_back({to, phone});
        else if (!has_field(contact, "landline")) contact.push_back({"landline", phone});
    }
    return out;
}

bool blank(const csv::Row& row) {
    for (const std::string& c : row.cells)
        if (!normalize_input(c).empty()) return false;
    return true;
}

std::vector<FieldValue> with_defaults(const std::vector<FieldValue>& fields, const ImportOptions& opt) {
    std::vector<FieldValue> out = fields;
    std::string kind = field_text(fields, "kind");
    for (const FieldValue& d : opt.defaults) {
        if (has_field(out, d.field)) continue;
        if (d.field == "kind") kind = d.value.value_or("");
        out.push_back(d);
    }
    // An industry default is for companies; a person keeps none.
    if (kind == "personal" && !has_field(fields, "industry"))
        std::erase_if(out, [](const FieldValue& f) { return f.field == "industry"; });
    return out;
}

void add_errors(std::vector<Error>& out, std::vector<Error> more) {
    for (Error& e : more) out.push_back(std::move(e));
}

// ---- [SECTION] customers -----------------------------------------------------------------

// What earlier rows of the file are compared by: their keys, indexed like customer_keys.
struct FileKeys {
    std::vector<DedupeKeys> keys;  // per plan row (empty name_key etc. for skipped rows)
    std::unordered_map<std::string, std::vector<int>> index;

    std::vector<int> candidates(const DedupeKeys& k) const {
        std::set<int> rows;
        auto add = [&](const std::string& key) {
            if (auto it = index.find(key); it != index.end()) rows.insert(it->second.begin(), it->second.end());
        };
        if (!k.credit_code.empty()) add("credit\x1f" + k.credit_code);
        if (!k.name_key.empty()) add("name." + k.kind + "\x1f" + k.name_key);
        for (const std::string& p : k.phones) add("phone\x1f" + p);
        for (const std::string& e : k.emails) add("email\x1f" + e);
        return {rows.begin(), rows.end()};
    }
    void add(int row, const DedupeKeys& k) {
        if (!k.credit_code.empty()) index["credit\x1f" + k.credit_code].push_back(row);
        if (!k.name_key.empty()) index["name." + k.kind + "\x1f" + k.name_key].push_back(row);
        for (const std::string& p : k.phones) index["phone\x1f" + p].push_back(row);
        for (const std::string& e : k.emails) index["email\x1f" + e].push_back(row);
    }
};

// The keys of the customers already stored (customer_keys) as sorted 64-bit hashes.
// find_duplicates finds its candidates by these exact keys, so a row none of whose keys is
// among them has no existing duplicate: only the few rows with a hit pay for its lookups
// (three indexed queries and the keys built again, a third of the plan's time). Loaded when
// the file is large next to the table; otherwise every row asks find_duplicates, as before.
struct StoredKeys {
    bool loaded = false;
    std::vector<uint64_t> hashes;

    static uint64_t hash(std::string_view kind, std::string_view key) {
        uint64_t h = 14695981039346656037ull;  // FNV-1a
        auto add = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
        for (char c : kind) add(static_cast<unsigned char>(c));
        add(0x1f);
        for (char c : key) add(static_cast<unsigned char>(c));
        return h;
    }
    Status load(Workspace& ws, size_t rows) {
        auto n = ws.db().query_int("SELECT count(*) FROM customer_keys");
        if (!n) return n.error();
        if (static_cast<size_t>(n->value_or(0)) > 8 * rows) return {};
        auto st = ws.db().prepare("SELECT kind, key FROM customer_keys");
        if (!st) return st.error();
        for (;;) {
            auto r = st->step();
            if (!r) return r.error();
            if (!*r) break;
            hashes.push_back(hash(st->text(0), st->text(1)));
        }
        std::sort(hashes.begin(), hashes.end());
        loaded = true;
        return {};
    }
    bool has(std::string_view kind, const std::string& key) const {
        return !key.empty() && std::binary_search(hashes.begin(), hashes.end(), hash(kind, key));
    }
    // Whether find_duplicates may find something for these keys (the kinds it looks up).
    bool may_match(const DedupeKeys& k) const {
        if (!loaded) return true;
        if (has("credit", k.credit_code) || has("name." + k.kind, k.name_key)) return true;
        for (const std::string& p : k.phones)
            if (has("phone", p)) return true;
        for (const std::string& e : k.emails)
            if (has("email", e)) return true;
        return false;
    }
};

// The tag library by name, either language (English names without regard to case).
struct TagLookup {
    std::map<std::string, Tag> by_name;
    Status load(Workspace& ws) {
        auto tags = list_tags(ws);
        if (!tags) return tags.error();
        for (const Tag& t : *tags) {
            by_name.emplace(normalize_input(t.name_zh), t);
            if (!t.name_en.empty()) by_name.emplace(ascii_lower(normalize_input(t.name_en)), t);
        }
        return {};
    }
    const Tag* find(const std::string& name) const {
        auto it = by_name.find(name);
        if (it == by_name.end()) it = by_name.find(ascii_lower(name));
        return it == by_name.end() ? nullptr : &it->second;
    }
    // The row's tags: approved ones kept (the first of a conflict group), the rest noted.
    void resolve(const std::string& cell, ImportRow& r) const {
        // A part that is no tag but has spaces is several names ("低风险 信息技术").
        std::vector<std::string> names;
        for (const std::string& part : import_tag_names(cell)) {
            if (find(part) || part.find(' ') == std::string::npos) {
                names.push_back(part);
                continue;
            }
            for (size_t at = 0; at <= part.size();) {
                size_t end = part.find(' ', at);
                if (end == std::string::npos) end = part.size();
                if (end > at) names.push_back(part.substr(at, end - at));
                at = end + 1;
            }
        }
        std::vector<const Tag*> kept;
        for (const std::string& name : names) {
            const Tag* t = find(name);
            if (!t) {
                r.notes.push_back(make_error("import.tag.unknown").with("tag", name));
                continue;
            }
            if (std::find(kept.begin(), kept.end(), t) != kept.end()) continue;
            if (t->state != "approved") {
                r.notes.push_back(make_error("import.tag.not_approved").with("tag", name));
                continue;
            }
            const Tag* rival = nullptr;
            for (const Tag* k : kept)
                if (!t->conflict_group.empty() && k->conflict_group == t->conflict_group) rival = k;
            if (rival) {
                r.notes.push_back(make_error("import.tag.conflict").with("tag", name).with("other", rival->name_zh)
                                      .with("other_en", rival->name_en));
                continue;
            }
            kept.push_back(t);
            r.tags.push_back(t->id);
        }
    }
};

Status prepare_customer_row(Workspace& ws, ImportPlan& plan, ImportRow& r, const MappedRow& mapped, FileKeys& file,
                            const StoredKeys& stored, const TagLookup& tags) {
    auto get = [&](const char* t) {
        auto it = mapped.by_table.find(t);
        return it == mapped.by_table.end() ? std::vector<FieldValue>{} : it->second;
    };
    r.customer = get("customers");
    r.contact = get("contacts");
    if (!mapped.tags.empty()) tags.resolve(mapped.tags, r);
    const std::vector<FieldValue> draft = with_defaults(r.customer, plan.options);

    // Existing customers: by our number, then the duplicate keys.
    if (!mapped.number.empty()) {
        auto found = find_customer_by_number(ws, mapped.number);
        if (!found) return found.error();
        if (*found) r.matches.push_back({(*found)->id, (*found)->number, (*found)->name, -1, 100,
                                         {"dup.reason.same_number"}});
    }
    std::vector<std::vector<FieldValue>> contacts;
    if (!r.contact.empty()) contacts.push_back(r.contact);
    DedupeKeys mine = dedupe_keys(draft, contacts);
    if (stored.may_match(mine)) {
        auto dups = find_duplicates(ws, draft, contacts);
        if (!dups) return dups.error();
        for (DuplicateCandidate& d : *dups) {
            if (!r.matches.empty() && r.matches[0].record_id == d.customer_id) continue;
            r.matches.push_back({d.customer_id, d.number, d.name, -1, d.score, std::move(d.reasons)});
        }
    }

    // The record the row would create, checked by the validation module's draft check.
    add_errors(r.errors, draft_errors("customers", draft));
    if (!r.contact.empty()) {
        std::vector<FieldValue> contact = r.contact;
        if (!has_field(contact, "name")) contact.push_back({"name", field_text(draft, "name")});
        for (Error& e : draft_errors("contacts", contact))
            if (!(e.code == "err.required" && e.field == "field.contacts.name")) r.errors.push_back(std::move(e));
    }
    // The write path's customer-level rule, for a row that would create a customer.
    const bool reachable = has_field(r.contact, "mobile") || has_field(r.contact, "landline") ||
                           has_field(r.contact, "email");
    if (!reachable && r.matches.empty())
        r.errors.push_back(make_error("err.customer.contact_method_required", "field.contacts.mobile")
                               .with("name", field_text(draft, "name")));

    // Earlier rows of the file (valid ones only: the others are never imported).
    const int index = static_cast<int>(&r - plan.rows.data());
    if (r.valid()) {
        for (int earlier : file.candidates(mine)) {
            DuplicateScore s = score_pair(mine, file.keys[earlier]);
            if (s.score < kDuplicateThreshold) continue;
            const ImportRow& e = plan.rows[earlier];
            r.matches.push_back({"", "", field_text(e.customer, "name"), earlier, s.score, std::move(s.reasons)});
            break;  // the first earlier row is the one to merge into
        }
        file.add(index, mine);
    }
    file.keys.push_back(std::move(mine));

    if (!r.valid()) r.action = RowAction::Skip;
    else if (!r.matches.empty() && r.matches[0].row < 0) {
        r.action = plan.options.on_duplicate;
        if (r.action == RowAction::Update) r.update_id = r.matches[0].record_id;
    } else if (!r.matches.empty()) {  // repeats an earlier row: skip it, or add to that one
        r.action = plan.options.on_duplicate == RowAction::Update ? RowAction::Update : RowAction::Skip;
        if (r.action == RowAction::Update) r.update_row = r.matches[0].row;
    }
    return {};
}

// ---- [SECTION] interactions --------------------------------------------------------------

Result<std::vector<Row>> live_customers_named(Workspace& ws, const std::string& name) {
    return query_rows(ws.db(), "SELECT id, number, name, kind FROM customers WHERE name = ? AND deleted = 0 LIMIT 2",
                      {name});
}

// The customer an interaction row belongs to: by number, by exact name, by company-name key.
Status match_customer(Workspace& ws, ImportRow& r, const MappedRow& mapped) {
    if (!mapped.number.empty()) {
        auto found = find_customer_by_number(ws, mapped.number);
        if (!found) return found.error();
        if (*found) {
            r.customer_id = (*found)->id;
            return {};
        }
    }
    std::string name;
    if (auto it = mapped.by_table.find("match"); it != mapped.by_table.end()) name = field_text(it->second, "name");
    if (name.empty()) {
        Error e = make_error("err.import.customer_not_found", "field.interactions.customer_id");
        r.errors.push_back(e.with("name", mapped.number));
        return {};
    }
    auto rows = live_customers_named(ws, name);
    if (!rows) return rows.error();
    if (rows->empty()) {  // 某某科技 for 北京某某科技有限公司: one customer with that name key
        std::string key = normalize_company_name(name);
        if (!key.empty()) {
            rows = query_rows(ws.db(),
                "SELECT c.id FROM customer_keys k JOIN customers c ON c.rowid = k.customer_rowid "
                "WHERE k.kind IN ('name.enterprise', 'name.personal') AND k.key = ? AND c.deleted = 0 LIMIT 2",
                {key});
            if (!rows) return rows.error();
        }
    }
    if (rows->size() == 1) {
        r.customer_id = value(rows->front(), "id");
        return {};
    }
    const char* code = rows->empty() ? "err.import.customer_not_found" : "err.import.customer_ambiguous";
    Error e = make_error(code, "field.interactions.customer_id");
    r.errors.push_back(e.with("name", name.empty() ? mapped.number : name));
    return {};
}

Status prepare_interaction_row(Workspace& ws, ImportPlan& plan, ImportRow& r, const MappedRow& mapped,
                               std::map<std::string, int>& seen) {
    if (auto it = mapped.by_table.find("interactions"); it != mapped.by_table.end()) r.interaction = it->second;
    if (auto s = match_customer(ws, r, mapped); !s) return s;
    add_errors(r.errors, draft_errors("interactions", r.interaction));
    if (!r.valid()) {
        r.action = RowAction::Skip;
        return {};
    }
    const std::string at = field_text(r.interaction, "at"), summary = field_text(r.interaction, "summary");
    auto same = query_rows(ws.db(),
        "SELECT id, number FROM interactions WHERE customer_id = ? AND at = ? AND summary = ? AND deleted = 0 LIMIT 1",
        {r.customer_id, at, summary});
    if (!same) return same.error();
    if (!same->empty())
        r.matches.push_back({value(same->front(), "id"), value(same->front(), "number"), summary, -1, 100,
                             {"import.reason.same_interaction"}});
    auto [pos, added] = seen.emplace(r.customer_id + '\x1f' + at + '\x1f' + summary,
                                     static_cast<int>(&r - plan.rows.data()));
    if (!added) r.matches.push_back({"", "", summary, pos->second, 100, {"import.reason.same_interaction"}});
    if (!r.matches.empty()) r.action = RowAction::Skip;  // updating a logged interaction is not offered
    return {};
}

}  // namespace

// ---- [SECTION] plan and decisions --------------------------------------------------------

std::vector<FieldValue> new_customer_fields(const ImportRow& row, const ImportOptions& options) {
    return with_defaults(row.customer, options);
}

size_t ImportPlan::count(RowAction a) const {
    size_t n = 0;
    for (const ImportRow& r : rows) n += r.action == a;
    return n;
}

size_t ImportPlan::invalid() const {
    size_t n = 0;
    for (const ImportRow& r : rows) n += !r.valid();
    return n;
}

size_t ImportPlan::with_matches() const {
    size_t n = 0;
    for (const ImportRow& r : rows) n += r.valid() && !r.matches.empty();
    return n;
}

Result<ImportPlan> prepare_import(Workspace& ws, const csv::Table& table, const ColumnMapping& mapping,
                                  const ImportOptions& options) {
    bool key_column = false;
    std::set<std::string> seen;
    for (const std::string& t : mapping.targets) {
        key_column = key_column || t == "customers.name" || t == "customers.number";
        if (!t.empty() && !seen.insert(t).second)  // which column would win is not obvious
            return make_error("err.import.target_twice", import_target_label(t), t);
    }
    if (!key_column) return make_error("err.import.no_key_column", "field.customers.name");
    // The duplicate lookups read the derived keys: an earlier import's queue is written first.
    for (size_t before = ws.derived_queued(); before > 0;) {
        auto left = ws.refresh_queued(2000);
        if (!left) return left.error();
        if (*left == before) break;  // inside a transaction: nothing can be written now
        before = *left;
    }

    ImportPlan plan;
    plan.kind = mapping.kind;
    plan.options = options;
    plan.rows.reserve(table.rows.size());
    FileKeys file;
    const std::vector<ColumnTarget> targets = column_targets(mapping);
    StoredKeys stored;
    if (mapping.kind == ImportKind::Customers)
        if (auto s = stored.load(ws, table.rows.size()); !s) return s.error();
    std::map<std::string, int> seen_interactions;
    TagLookup tags;
    if (std::find(mapping.targets.begin(), mapping.targets.end(), "customers.tags") != mapping.targets.end())
        if (auto s = tags.load(ws); !s) return s.error();
    for (size_t i = 1; i < table.rows.size(); ++i) {
        const csv::Row& row = table.rows[i];
        if (blank(row)) continue;
        plan.rows.emplace_back();
        ImportRow& r = plan.rows.back();
        r.line = row.line;
        MappedRow mapped = map_row(row, mapping, targets, options);
        Status s = mapping.kind == ImportKind::Customers
                       ? prepare_customer_row(ws, plan, r, mapped, file, stored, tags)
                       : prepare_interaction_row(ws, plan, r, mapped, seen_interactions);
        if (!s) return s.error();
    }
    return plan;
}

Status set_action(ImportPlan& plan, size_t index, RowAction action, const std::string& target_id) {
    if (index >= plan.rows.size()) return make_error("err.import.bad_action", {}, "row out of range");
    ImportRow& r = plan.rows[index];
    if (action != RowAction::Skip && !r.valid()) return make_error("err.import.bad_action", {}, "invalid row");
    if (action == RowAction::Update && plan.kind != ImportKind::Customers)
        return make_error("err.import.bad_action", {}, "interactions are not updated");
    r.update_id.clear();
    r.update_row = -1;
    if (action == RowAction::Update) {
        const RowMatch* m = nullptr;
        for (const RowMatch& x : r.matches)
            if ((target_id.empty() && !m) || (!target_id.empty() && x.record_id == target_id)) m = &x;
        if (!m) return make_error("err.import.bad_action", {}, "no such match");
        r.update_id = m->record_id;
        r.update_row = m->row;
    }
    r.action = action;
    return {};
}

}  // namespace crm
