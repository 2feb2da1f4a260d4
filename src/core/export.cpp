// Export of customers and their child records: the rows (here), written by a sink as CSV
// (here) or XLSX (export_xlsx.cpp).
//
// Index of this file
//   [SECTION] fields and labels
//   [SECTION] reading in chunks
//   [SECTION] cells
//   [SECTION] the rows, the history event
//   [SECTION] export_csv
#include "core/export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "core/csv.h"
#include "core/export_sink.h"
#include "core/picklists.h"
#include "core/schema.h"
#include "core/validate.h"

namespace crm {

// ---- [SECTION] fields and labels ---------------------------------------------------------

const char* export_table_name(ExportTable t) {
    switch (t) {
        case ExportTable::Customers: return "customers";
        case ExportTable::Contacts: return "contacts";
        case ExportTable::Interactions: return "interactions";
        case ExportTable::Tags: return "tags";
    }
    return "";
}

namespace {
const char* record_table(ExportTable t) { return t == ExportTable::Tags ? "customer_tags" : export_table_name(t); }

bool internal_field(const std::string& f) { return f == "customer_id" || f == "tag_id"; }
}  // namespace

std::vector<std::string> export_fields(ExportTable table) {
    std::vector<std::string> out;
    if (table != ExportTable::Customers) out = {"customer.number", "customer.name"};
    if (table == ExportTable::Tags) out.insert(out.end(), {"tag.type", "tag.name"});
    for (const FieldMeta& f : table_meta(record_table(table))->fields)
        if (!internal_field(f.name)) out.push_back(f.name);
    if (table == ExportTable::Customers)
        out.insert(out.end(), {"key_contact.name", "key_contact.mobile", "key_contact.landline", "key_contact.email"});
    return out;
}

std::vector<std::string> export_default_fields(ExportTable table) {
    switch (table) {
        case ExportTable::Customers:
            return {"number", "name", "kind", "industry", "province", "city", "source", "status", "owner",
                    "key_contact.name", "key_contact.mobile", "key_contact.email"};
        case ExportTable::Contacts:
            return {"customer.number", "customer.name", "name", "title", "mobile", "landline", "email", "is_key"};
        case ExportTable::Interactions:
            return {"customer.number", "customer.name", "number", "at", "method", "topic", "summary", "feedback",
                    "next_action", "next_action_owner", "next_action_due", "followed_up_by"};
        case ExportTable::Tags:
            return {"customer.number", "customer.name", "tag.type", "tag.name", "description", "added_by", "added_at"};
    }
    return {};
}

std::string export_field_label(ExportTable table, const std::string& field) {
    if (field == "customer.number") return "field.customers.number";
    if (field == "customer.name") return "export.col.customer_name";
    if (field == "tag.type") return "field.tags.type";
    if (field == "tag.name") return "field.customer_tags.tag_id";
    if (field == "key_contact.name") return "export.col.contact_name";
    if (field.rfind("key_contact.", 0) == 0) return "field.contacts." + field.substr(12);
    return "field." + std::string(record_table(table)) + "." + field;
}

// ---- [SECTION] reading in chunks ---------------------------------------------------------

namespace {

constexpr size_t kChunk = 256;

// Runs `sql_head` + " IN (?, ...)" + sql_tail for keys in chunks of kChunk. A short last
// chunk repeats its last key, so every chunk uses the same SQL text (one cached statement).
Status in_chunks(Workspace& ws, const std::vector<std::string>& keys, const std::string& sql_head,
                 const std::string& sql_tail, const std::function<Status(std::vector<Row>&)>& fn) {
    std::string marks;
    for (size_t i = 0; i < kChunk; ++i) marks += i ? ", ?" : "?";
    const std::string sql = sql_head + " IN (" + marks + ")" + sql_tail;
    for (size_t at = 0; at < keys.size(); at += kChunk) {
        std::vector<std::string> params(keys.begin() + at, keys.begin() + std::min(keys.size(), at + kChunk));
        params.resize(kChunk, params.back());
        auto rows = query_rows(ws.db(), sql, params);
        if (!rows) return rows.error();
        if (auto s = fn(*rows); !s) return s;
    }
    return {};
}

// The customers in scope, in order: the selection as given (deleted and unknown ids left
// out), or the filter's order.
Result<std::vector<Row>> customers_in_scope(Workspace& ws, const ExportRequest& req) {
    std::vector<std::string> keys;
    std::string column;
    if (!req.customer_ids.empty()) {
        keys = req.customer_ids;
        column = "id";
    } else {
        auto rowids = query_customers(ws, req.filter);
        if (!rowids) return rowids.error();
        for (int64_t r : *rowids) keys.push_back(std::to_string(r));
        column = "rowid";
    }
    // Chunk by chunk, each looked up by key so the output keeps the scope's order.
    const std::string key_column = column == "id" ? "id" : "_key";
    std::vector<Row> out;
    out.reserve(keys.size());
    for (size_t at = 0; at < keys.size(); at += kChunk) {
        std::vector<std::string> chunk(keys.begin() + at, keys.begin() + std::min(keys.size(), at + kChunk));
        std::map<std::string, Row> by_key;
        Status c = in_chunks(ws, chunk, "SELECT rowid AS _key, * FROM customers WHERE deleted = 0 AND " + column, "",
                             [&](std::vector<Row>& rows) -> Status {
                                 for (Row& r : rows) by_key[value(r, key_column)] = std::move(r);
                                 return {};
                             });
        if (!c) return c.error();
        for (const std::string& k : chunk)
            if (auto it = by_key.find(k); it != by_key.end()) out.push_back(std::move(it->second)), by_key.erase(it);
    }
    return out;
}

// ---- [SECTION] cells ---------------------------------------------------------------------

struct CellWriter {
    const Translations& tr;
    bool show_phones, labels;

    std::string cell(const FieldMeta* f, const std::string& v) const {
        if (!f || v.empty()) return v;
        if (f->kind == FieldKind::Mobile || f->kind == FieldKind::Landline || f->kind == FieldKind::Phone)
            return show_phones ? v : mask_phone(v);
        if (labels && !f->picklist.empty()) {
            const PickOption* o = find_option(f->picklist, v);
            return o ? tr.tr(o->label_key) : v;
        }
        if (f->kind == FieldKind::Flag) return tr.tr(v == "1" ? "export.flag.yes" : "export.flag.no");
        return v;
    }
};

}  // namespace

// ---- [SECTION] the rows, the history event -----------------------------------------------

Result<ExportResult> export_rows(Workspace& ws, const ExportRequest& req, const Translations& tr, ExportSink& sink) {
    const std::vector<std::string> allowed = export_fields(req.table);
    const std::vector<std::string> fields = req.fields.empty() ? export_default_fields(req.table) : req.fields;
    for (const std::string& f : fields)
        if (std::find(allowed.begin(), allowed.end(), f) == allowed.end())
            return make_error("err.export.unknown_field", {}, f).with("name", f);

    auto customers = customers_in_scope(ws, req);
    if (!customers) return customers.error();

    const TableMeta* records = table_meta(record_table(req.table));
    const TableMeta* contacts_meta = table_meta("contacts");
    const TableMeta* tags_meta = table_meta("tags");
    const CellWriter cw{tr, req.show_phones, req.picklist_labels};

    ExportResult result;
    result.customers = customers->size();
    std::vector<std::string> cells;
    for (const std::string& f : fields) cells.push_back(tr.tr(export_field_label(req.table, f)));
    sink.row(cells);

    // One row of output from the customer, the record (child table row) and its tag.
    auto emit = [&](const Row& customer, const Row* record, const Row* tag_or_contact) {
        cells.clear();
        for (const std::string& f : fields) {
            std::string v;
            if (f == "customer.number") v = value(customer, "number");
            else if (f == "customer.name") v = value(customer, "name");
            else if (f.rfind("tag.", 0) == 0) {
                const std::string col = f == "tag.type" ? "type" : (tr.lang() == "en" ? "name_en" : "name_zh");
                v = tag_or_contact ? value(*tag_or_contact, col) : "";
                if (col == "name_en" && v.empty() && tag_or_contact) v = value(*tag_or_contact, "name_zh");
                v = cw.cell(f == "tag.type" ? tags_meta->field("type") : nullptr, v);
            } else if (f.rfind("key_contact.", 0) == 0) {
                const std::string col = f.substr(12);
                v = tag_or_contact ? cw.cell(contacts_meta->field(col), value(*tag_or_contact, col)) : "";
            } else {
                const Row& r = record ? *record : customer;
                v = cw.cell(records->field(f), value(r, f));
            }
            cells.push_back(std::move(v));
        }
        sink.row(cells);
        result.rows++;
    };

    std::vector<std::string> ids;
    for (const Row& c : *customers) ids.push_back(value(c, "id"));
    std::map<std::string, std::vector<Row>> children;  // by customer id, per chunk
    std::map<std::string, Row> tags;                   // tag library by id (Tags only)
    if (req.table == ExportTable::Tags) {
        auto all = query_rows(ws.db(), "SELECT * FROM tags");
        if (!all) return all.error();
        for (Row& t : *all) tags[value(t, "id")] = std::move(t);
    }
    std::string child_sql;
    switch (req.table) {
        case ExportTable::Customers:  // the key contact: key first, then the oldest
        case ExportTable::Contacts:
            child_sql = "SELECT * FROM contacts WHERE deleted = 0 AND customer_id"; break;
        case ExportTable::Interactions:
            child_sql = "SELECT * FROM interactions WHERE deleted = 0 AND customer_id"; break;
        case ExportTable::Tags:
            child_sql = "SELECT * FROM customer_tags WHERE deleted = 0 AND customer_id"; break;
    }
    const std::string order = req.table == ExportTable::Interactions ? " ORDER BY at, rowid"
                              : req.table == ExportTable::Tags       ? " ORDER BY added_at, rowid"
                                                                     : " ORDER BY is_key DESC, rowid";
    for (size_t at = 0; at < ids.size(); at += kChunk) {
        const size_t end = std::min(ids.size(), at + kChunk);
        std::vector<std::string> chunk(ids.begin() + at, ids.begin() + end);
        children.clear();
        Status s = in_chunks(ws, chunk, child_sql, order, [&](std::vector<Row>& rows) -> Status {
            for (Row& r : rows) children[value(r, "customer_id")].push_back(std::move(r));
            return {};
        });
        if (!s) return s.error();
        for (size_t i = at; i < end; ++i) {
            const Row& c = (*customers)[i];
            auto it = children.find(ids[i]);
            const std::vector<Row>* kids = it == children.end() ? nullptr : &it->second;
            if (req.table == ExportTable::Customers) {
                emit(c, nullptr, kids && !kids->empty() ? &kids->front() : nullptr);
                continue;
            }
            if (!kids) continue;
            for (const Row& k : *kids) {
                const Row* tag = nullptr;
                if (req.table == ExportTable::Tags)
                    if (auto t = tags.find(value(k, "tag_id")); t != tags.end()) tag = &t->second;
                emit(c, &k, tag);
            }
        }
    }

    // The file is finished before the export is noted: a failed file is not an export.
    auto bytes = sink.finish();
    if (!bytes) return bytes.error();
    std::string id;
    nlohmann::json j = {{"table", export_table_name(req.table)}, {"format", sink.format()}, {"rows", result.rows},
                        {"customers", result.customers}, {"fields", fields},
                        {"phones", req.show_phones ? "shown" : "masked"},
                        {"scope", req.customer_ids.empty() ? "filter" : "selection"}};
    if (req.customer_ids.empty()) j["filter"] = filter_to_json(req.filter);
    Status noted = ws.transaction([&]() -> Status {
        auto nid = ws.new_id();
        if (!nid) return nid.error();
        id = *nid;
        const std::string detail = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return ws.note_event("export", id, "exported", detail, "local");
    });
    if (!noted) return noted.error();
    result.export_id = id;
    result.bytes = std::move(*bytes);
    return result;
}

// ---- [SECTION] export_csv ----------------------------------------------------------------

namespace {
struct CsvSink : ExportSink {
    std::string out{csv::kUtf8Bom};  // Excel reads UTF-8 only with the BOM
    const char* format() const override { return "csv"; }
    void row(const std::vector<std::string>& cells) override { csv::append_row(out, cells); }
    Result<std::string> finish() override { return std::move(out); }
};
}  // namespace

Result<ExportResult> export_csv(Workspace& ws, const ExportRequest& req, const Translations& tr) {
    CsvSink sink;
    return export_rows(ws, req, tr, sink);
}

}  // namespace crm
