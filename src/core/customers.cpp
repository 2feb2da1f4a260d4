// Customers and contacts on top of the write path.
#include "core/customers.h"

#include "core/ids.h"

namespace crm {

namespace {
// Domain operations offer only user-editable fields; system fields are set here.
Status refuse_read_only(std::string_view table, const std::vector<FieldValue>& fs) {
    const TableMeta* t = table_meta(table);
    for (const FieldValue& f : fs) {
        const FieldMeta* m = t->field(f.field);
        if (!m) return make_error("err.schema.unknown_field", {}, std::string(table) + "." + f.field);
        if (!m->editable) return make_error("err.field.read_only", m->label_key);
    }
    return {};
}

bool is_deleted(const Row& r) { return value(r, "deleted") == "1"; }
}  // namespace

Customer customer_from_row(const Row& r) {
    Customer c;
    c.id = value(r, "id"); c.number = value(r, "number"); c.kind = value(r, "kind");
    c.name = value(r, "name"); c.credit_code = value(r, "credit_code");
    c.industry = value(r, "industry"); c.size_band = value(r, "size_band");
    c.province = value(r, "province"); c.city = value(r, "city"); c.district = value(r, "district");
    c.address = value(r, "address"); c.enterprise_type = value(r, "enterprise_type");
    c.occupation = value(r, "occupation"); c.age_band = value(r, "age_band");
    c.source = value(r, "source"); c.first_contact_date = value(r, "first_contact_date");
    c.status = value(r, "status"); c.intent = value(r, "intent");
    c.expected_close_date = value(r, "expected_close_date"); c.needs = value(r, "needs");
    c.budget = value(r, "budget"); c.owner = value(r, "owner"); c.notes = value(r, "notes");
    c.created_at = value(r, "created_at"); c.updated_at = value(r, "updated_at");
    c.created_by = value(r, "created_by"); c.deleted = is_deleted(r);
    return c;
}

Contact contact_from_row(const Row& r) {
    Contact c;
    c.id = value(r, "id"); c.customer_id = value(r, "customer_id"); c.name = value(r, "name");
    c.title = value(r, "title"); c.mobile = value(r, "mobile"); c.landline = value(r, "landline");
    c.email = value(r, "email"); c.notes = value(r, "notes"); c.is_key = value(r, "is_key") == "1";
    return c;
}

Result<std::string> create_customer(Workspace& ws, const std::vector<FieldValue>& fields,
                                    const std::vector<std::vector<FieldValue>>& contacts,
                                    const std::string& origin) {
    // Imports may carry when and by whom a record was created; nothing else of the system's.
    std::vector<FieldValue> user_fields;
    for (const FieldValue& f : fields)
        if (f.field != "created_at" && f.field != "created_by") user_fields.push_back(f);
    if (auto s = refuse_read_only("customers", user_fields); !s) return s.error();
    for (const auto& cf : contacts)
        if (auto s = refuse_read_only("contacts", cf); !s) return s.error();
    std::string id;
    Status s = ws.transaction([&]() -> Status {
        // The number's month follows created_at when an import or demo supplies it.
        std::string created = field_value(fields, "created_at").value_or("");
        auto created_ms = parse_iso_ms(created);
        std::string stamp = created_ms ? format_iso(*created_ms) : ws.now_iso();
        std::string yyyymm = stamp.substr(0, 4) + stamp.substr(5, 2);
        auto serial = ws.next_counter(customer_serial_key(yyyymm, ws.device().device_code));
        if (!serial) return serial.error();
        auto nid = ws.new_id();
        if (!nid) return nid.error();
        id = *nid;

        std::vector<Edit> edits;
        Edit c{Edit::Create, "customers", id, fields, origin};
        c.fields.push_back({"number", customer_number(yyyymm, ws.device().device_code, *serial)});
        edits.push_back(std::move(c));
        for (const auto& cf : contacts) {
            Edit e{Edit::Create, "contacts", "", cf, origin};
            e.fields.push_back({"customer_id", id});
            auto name = field_value(cf, "name");
            if (!name || name->empty()) e.fields.push_back({"name", field_value(fields, "name")});
            edits.push_back(std::move(e));
        }
        edits.push_back({Edit::Create, "status_history", "",
                         {{"customer_id", id},
                          {"at", stamp},
                          {"actor", ws.device().user},
                          {"to_status", field_value(fields, "status")}},
                         origin});
        return ws.apply_all(edits);
    });
    if (!s) return s.error();
    return id;
}

Status update_customer(Workspace& ws, const std::string& id, const std::vector<FieldValue>& fields) {
    for (const FieldValue& f : fields)
        if (f.field == "status") return make_error("err.status.use_change_status", "field.customers.status");
    if (auto s = refuse_read_only("customers", fields); !s) return s;
    auto r = ws.apply({Edit::Update, "customers", id, fields});
    return r ? Status{} : Status{r.error()};
}

Status change_status(Workspace& ws, const std::string& id, const std::string& new_status,
                     const std::string& reason) {
    std::string why = normalize_input(reason);
    if (why.empty()) return make_error("err.status.reason_required", "field.status_history.reason");
    auto row = ws.read_row("customers", id);
    if (!row) return row.error();
    if (!*row || is_deleted(**row)) return make_error("err.record.not_found", {}, id);
    std::string from = value(**row, "status");
    if (from == new_status) return make_error("err.status.unchanged", "field.customers.status");
    return ws.apply_all({
        {Edit::Update, "customers", id, {{"status", new_status}}},
        {Edit::Create, "status_history", "",
         {{"customer_id", id}, {"at", ws.now_iso()}, {"actor", ws.device().user},
          {"from_status", from}, {"to_status", new_status}, {"reason", why}}},
    });
}

Status delete_customer(Workspace& ws, const std::string& id) {
    auto r = ws.apply({Edit::Delete, "customers", id, {}});
    return r ? Status{} : Status{r.error()};
}

Result<std::string> add_contact(Workspace& ws, const std::string& customer_id,
                                const std::vector<FieldValue>& fields) {
    if (auto s = refuse_read_only("contacts", fields); !s) return s.error();
    Edit e{Edit::Create, "contacts", "", fields};
    e.fields.push_back({"customer_id", customer_id});
    return ws.apply(e);
}

Status update_contact(Workspace& ws, const std::string& contact_id, const std::vector<FieldValue>& fields) {
    if (auto s = refuse_read_only("contacts", fields); !s) return s;
    auto r = ws.apply({Edit::Update, "contacts", contact_id, fields});
    return r ? Status{} : Status{r.error()};
}

Status delete_contact(Workspace& ws, const std::string& contact_id) {
    auto r = ws.apply({Edit::Delete, "contacts", contact_id, {}});
    return r ? Status{} : Status{r.error()};
}

Result<Customer> get_customer(Workspace& ws, const std::string& id) {
    auto row = ws.read_row("customers", id);
    if (!row) return row.error();
    if (!*row || is_deleted(**row)) return make_error("err.record.not_found", {}, id);
    return customer_from_row(**row);
}

Result<std::optional<Customer>> find_customer_by_number(Workspace& ws, const std::string& number) {
    auto rows = query_rows(ws.db(), "SELECT * FROM customers WHERE number = ? AND deleted = 0", {number});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<Customer>{};
    return std::optional<Customer>{customer_from_row(rows->front())};
}

Result<std::vector<Contact>> list_contacts(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(),
                           "SELECT * FROM contacts WHERE customer_id = ? AND deleted = 0 "
                           "ORDER BY is_key DESC, rowid",
                           {customer_id});
    if (!rows) return rows.error();
    std::vector<Contact> out;
    for (const Row& r : *rows) out.push_back(contact_from_row(r));
    return out;
}

namespace {
Result<std::vector<HistoryEntry>> history_rows(Workspace& ws, std::string_view sql, const std::vector<std::string>& args) {
    auto rows = query_rows(ws.db(), sql, args);
    if (!rows) return rows.error();
    std::vector<HistoryEntry> out;
    for (const Row& r : *rows) {
        HistoryEntry h;
        h.seq = std::stoll(value(r, "seq"));
        h.at = value(r, "at"); h.actor = value(r, "actor"); h.table = value(r, "tbl");
        h.record_id = value(r, "record_id"); h.field = value(r, "field");
        h.origin = value(r, "origin");
        h.old_value = r.at("old");
        h.new_value = r.at("new");
        out.push_back(std::move(h));
    }
    return out;
}
}  // namespace

Result<std::vector<HistoryEntry>> customer_history(Workspace& ws, const std::string& customer_id) {
    return history_rows(ws, "SELECT * FROM history WHERE customer_id = ? ORDER BY seq DESC", {customer_id});
}

Result<std::vector<HistoryEntry>> history_after(Workspace& ws, int64_t after_seq, const std::string& origin) {
    return history_rows(ws, "SELECT * FROM history WHERE seq > ? AND origin = ? ORDER BY seq DESC",
                        {std::to_string(after_seq), origin});
}

Result<int64_t> last_history_seq(Workspace& ws) {
    auto rows = query_rows(ws.db(), "SELECT coalesce(max(seq), 0) AS seq FROM history", {});
    if (!rows) return rows.error();
    return std::stoll(value(rows->front(), "seq"));
}

Result<std::vector<StatusChange>> status_history(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(),
                           "SELECT * FROM status_history WHERE customer_id = ? AND deleted = 0 "
                           "ORDER BY at DESC, rowid DESC",
                           {customer_id});
    if (!rows) return rows.error();
    std::vector<StatusChange> out;
    for (const Row& r : *rows)
        out.push_back({value(r, "id"), value(r, "at"), value(r, "actor"), value(r, "from_status"),
                       value(r, "to_status"), value(r, "reason")});
    return out;
}

}  // namespace crm
