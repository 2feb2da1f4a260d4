// Interactions on top of the write path.
#include "core/interactions.h"

#include <algorithm>

#include "core/ids.h"

namespace crm {

namespace {
constexpr int64_t kLateMs = 24LL * 3600 * 1000;
constexpr int64_t kFutureSlackMs = 5LL * 60 * 1000;

}  // namespace

Interaction interaction_from_row(const Row& r) {
    Interaction i;
    i.id = value(r, "id"); i.number = value(r, "number"); i.customer_id = value(r, "customer_id");
    i.at = value(r, "at"); i.method = value(r, "method"); i.topic = value(r, "topic");
    i.summary = value(r, "summary"); i.feedback = value(r, "feedback");
    i.next_action = value(r, "next_action"); i.next_action_owner = value(r, "next_action_owner");
    i.next_action_due = value(r, "next_action_due"); i.followed_up_by = value(r, "followed_up_by");
    i.created_at = value(r, "created_at");
    i.next_action_done = value(r, "next_action_done") == "1";
    i.late = value(r, "late") == "1";
    return i;
}

Result<std::string> log_interaction(Workspace& ws, const std::string& customer_id,
                                    const std::vector<FieldValue>& fields, const std::string& origin) {
    for (const FieldValue& f : fields) {
        const FieldMeta* m = table_meta("interactions")->field(f.field);
        if (!m) return make_error("err.schema.unknown_field", {}, "interactions." + f.field);
        if (!m->editable && f.field != "created_at")  // imports may carry created_at
            return make_error("err.field.read_only", m->label_key);
    }
    std::string id;
    Status s = ws.transaction([&]() -> Status {
        auto cust = ws.read_row("customers", customer_id);
        if (!cust) return cust.error();
        if (!*cust || value(**cust, "deleted") == "1")
            return make_error("err.record.not_found", "field.interactions.customer_id", customer_id);

        std::string created = field_value(fields, "created_at").value_or(ws.now_iso());
        std::string at = normalize_input(field_value(fields, "at").value_or(""));
        if (at.empty()) at = created;
        auto at_ms = parse_iso_ms(at);
        auto created_ms = parse_iso_ms(created);
        if (!at_ms) return make_error("err.datetime.format", "field.interactions.at");
        if (!created_ms) return make_error("err.datetime.format", "field.interactions.created_at");
        if (*at_ms > *created_ms + kFutureSlackMs)
            return make_error("err.interaction.at_future", "field.interactions.at");
        bool late = *created_ms - *at_ms > kLateMs;

        const std::string& code = ws.device().device_code;
        auto serial = ws.next_counter(interaction_serial_key(customer_id, code));
        if (!serial) return serial.error();
        Edit e{Edit::Create, "interactions", "", {}, origin};
        for (const FieldValue& f : fields)
            if (f.field != "at" && f.field != "created_at") e.fields.push_back(f);
        e.fields.push_back({"customer_id", customer_id});
        e.fields.push_back({"at", format_iso(*at_ms)});
        e.fields.push_back({"created_at", format_iso(*created_ms)});
        e.fields.push_back({"number", interaction_number(value(**cust, "number"), code, *serial)});
        e.fields.push_back({"late", late ? "1" : "0"});
        if (!field_value(fields, "next_action_done")) e.fields.push_back({"next_action_done", "0"});
        auto by = field_value(fields, "followed_up_by");
        if (!by || by->empty()) e.fields.push_back({"followed_up_by", ws.device().user});
        auto r = ws.apply(e);
        if (!r) return r.error();
        id = *r;
        return {};
    });
    if (!s) return s.error();
    return id;
}

Status complete_next_action(Workspace& ws, const std::string& interaction_id) {
    auto row = ws.read_row("interactions", interaction_id);
    if (!row) return row.error();
    if (!*row || value(**row, "deleted") == "1") return make_error("err.record.not_found", {}, interaction_id);
    if (value(**row, "next_action").empty())
        return make_error("err.interaction.no_next_action", "field.interactions.next_action");
    auto r = ws.apply({Edit::Update, "interactions", interaction_id, {{"next_action_done", "1"}}});
    return r ? Status{} : Status{r.error()};
}

Result<Interaction> get_interaction(Workspace& ws, const std::string& id) {
    auto row = ws.read_row("interactions", id);
    if (!row) return row.error();
    if (!*row || value(**row, "deleted") == "1") return make_error("err.record.not_found", {}, id);
    return interaction_from_row(**row);
}

Result<std::vector<Interaction>> list_interactions(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(),
                           "SELECT * FROM interactions WHERE customer_id = ? AND deleted = 0 "
                           "ORDER BY at DESC, created_at DESC, rowid DESC",
                           {customer_id});
    if (!rows) return rows.error();
    std::vector<Interaction> out;
    for (const Row& r : *rows) out.push_back(interaction_from_row(r));
    return out;
}

Result<DueActions> due_next_actions(Workspace& ws, const std::string& owner, const std::string& today,
                                    size_t limit) {
    // Both reads walk interactions_due (open actions by due date, oldest first), so neither
    // sorts and each stops early: after kDueCounted + 1 for the counts, `limit` for the list.
    const char* kOpen =
        "FROM interactions i JOIN customers c ON c.id = i.customer_id "
        "WHERE i.next_action_done = 0 AND i.deleted = 0 AND c.deleted = 0 "
        "AND i.next_action_due IS NOT NULL AND i.next_action_due <= ?1 ";
    DueActions out;
    auto counts = ws.db().cached(std::string("SELECT count(*), count(*) FILTER (WHERE due < ?1) FROM ("
                                             "SELECT i.next_action_due AS due ") + kOpen + "ORDER BY i.next_action_due LIMIT ?2)");
    if (!counts) return counts.error();
    (*counts)->bind_text(1, today).bind_int(2, static_cast<int64_t>(kDueCounted) + 1);
    auto row = (*counts)->step();
    if (!row) return row.error();
    out.total = static_cast<size_t>((*counts)->int64(0));
    out.overdue = static_cast<size_t>((*counts)->int64(1));
    (*counts)->reset();
    if (out.total > kDueCounted) {  // the one read past the cap is the latest of them
        out.more = true;
        out.overdue = std::min(out.overdue, kDueCounted);
        out.total = kDueCounted;
    }
    // The owner's, then the rest: `IS` keeps actions with no owner in the second group.
    for (const char* whose : {"AND i.next_action_owner IS ?2 ", "AND i.next_action_owner IS NOT ?2 "}) {
        if (out.first.size() >= limit) break;
        auto rows = query_rows(ws.db(),
            std::string("SELECT i.id, i.customer_id, c.number, c.name, i.next_action, i.next_action_owner, "
                        "i.next_action_due ") + kOpen + whose +
                "ORDER BY i.next_action_due, i.rowid LIMIT " + std::to_string(limit - out.first.size()),
            {today, owner});
        if (!rows) return rows.error();
        for (const Row& r : *rows) {
            DueAction d;
            d.interaction_id = value(r, "id"); d.customer_id = value(r, "customer_id");
            d.customer_number = value(r, "number"); d.customer_name = value(r, "name");
            d.next_action = value(r, "next_action"); d.owner = value(r, "next_action_owner");
            d.due = value(r, "next_action_due");
            d.overdue = d.due < today;
            d.mine = d.owner == owner;
            out.first.push_back(std::move(d));
        }
    }
    return out;
}

Result<std::vector<StaleCustomer>> stale_customers(Workspace& ws, const std::string& owner,
                                                   const std::string& today, int days, size_t limit) {
    auto day = parse_date(today);
    if (!day) return make_error("err.date.format", "today", today).with("value", today);
    const std::string cutoff = format_date(*day - days);  // contact on this day or later is recent
    // The owner's customers come from customers_owner; each one's last interaction from
    // interactions_live_at, so the cost grows with the owner's customers only.
    auto rows = query_rows(ws.db(),
        "SELECT id, number, name, last FROM (SELECT c.id, c.number, c.name, coalesce("
        "(SELECT max(i.at) FROM interactions i WHERE i.customer_id = c.id AND i.deleted = 0), c.created_at) AS last "
        "FROM customers c WHERE c.owner = ?1 AND c.status IN ('potential', 'intent') AND c.deleted = 0) "
        "WHERE last < ?2 ORDER BY last, id LIMIT " + std::to_string(limit),
        {owner, cutoff});
    if (!rows) return rows.error();
    std::vector<StaleCustomer> out;
    for (const Row& r : *rows)
        out.push_back({value(r, "id"), value(r, "number"), value(r, "name"), value(r, "last")});
    return out;
}

}  // namespace crm
