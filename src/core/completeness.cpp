// Completeness scoring.
#include "core/completeness.h"

#include <map>

namespace crm {

namespace {
struct Item {
    const char* key;   // label key shown in "missing"
    int weight;
    bool present;
};
}  // namespace

Completeness completeness_of(const Customer& c, const std::vector<Contact>& contacts,
                             const std::string& today) {
    bool mobile = false, key_contact = false;
    for (const Contact& k : contacts) {
        mobile = mobile || !k.mobile.empty();
        key_contact = key_contact || (k.is_key && !k.name.empty());
    }
    bool address = !c.province.empty() && !c.city.empty() && !c.address.empty();
    std::vector<Item> items;
    if (c.kind == "enterprise") {
        items = {{"field.customers.name", 10, !c.name.empty()},
                 {"field.customers.industry", 10, !c.industry.empty()},
                 {"field.customers.credit_code", 10, !c.credit_code.empty()},
                 {"field.customers.size_band", 5, !c.size_band.empty()},
                 {"field.customers.enterprise_type", 5, !c.enterprise_type.empty()},
                 {"field.customers.address", 10, address},
                 {"field.customers.source", 5, !c.source.empty()},
                 {"field.customers.intent", 10, !c.intent.empty()},
                 {"field.customers.needs", 10, !c.needs.empty()},
                 {"field.customers.budget", 5, !c.budget.empty()},
                 {"field.customers.expected_close_date", 5, !c.expected_close_date.empty()},
                 {"field.contacts.is_key", 5, key_contact},
                 {"field.contacts.mobile", 10, mobile}};
    } else {
        items = {{"field.customers.name", 10, !c.name.empty()},
                 {"field.customers.occupation", 10, !c.occupation.empty()},
                 {"field.customers.age_band", 10, !c.age_band.empty()},
                 {"field.customers.address", 10, address},
                 {"field.customers.source", 5, !c.source.empty()},
                 {"field.customers.intent", 10, !c.intent.empty()},
                 {"field.customers.needs", 15, !c.needs.empty()},
                 {"field.customers.budget", 5, !c.budget.empty()},
                 {"field.customers.expected_close_date", 5, !c.expected_close_date.empty()},
                 {"field.customers.first_contact_date", 5, !c.first_contact_date.empty()},
                 {"field.contacts.mobile", 15, mobile}};
    }
    Completeness out;
    for (const Item& i : items) {
        if (i.present) out.score += i.weight;
        else out.missing.push_back(i.key);
    }
    out.complete = out.score == 100;
    auto created = parse_date(c.created_at.substr(0, 10));
    auto now = parse_date(today);
    if (!out.complete && created && now) out.pending = *now >= add_working_days(*created, 3);
    return out;
}

Result<Completeness> customer_completeness(Workspace& ws, const std::string& id, const std::string& today) {
    auto c = get_customer(ws, id);
    if (!c) return c.error();
    auto contacts = list_contacts(ws, id);
    if (!contacts) return contacts.error();
    return completeness_of(*c, *contacts, today);
}

Status store_completeness(store::Db& db, int64_t rowid, const Customer* live,
                          const std::vector<Contact>& contacts) {
    if (!live) {
        auto del = db.cached("DELETE FROM customer_facts WHERE customer_rowid = ?");
        if (!del) return del.error();
        return (*del)->bind_int(1, rowid).run();
    }
    Completeness k = completeness_of(*live, contacts, "");
    auto created = parse_date(live->created_at.substr(0, 10));
    std::optional<std::string> pending_from;
    if (!k.complete && created) pending_from = format_date(add_working_days(*created, 3));
    // Unchanged facts are not written again (fewer pages per save).
    auto have = db.cached("SELECT completeness, pending_from FROM customer_facts WHERE customer_rowid = ?");
    if (!have) return have.error();
    auto row = (*have)->bind_int(1, rowid).step();
    if (!row) return row.error();
    const bool same = *row && (*have)->int64(0) == k.score && (*have)->opt_text(1) == pending_from;
    (*have)->reset();
    if (same) return {};
    auto put = db.cached("INSERT OR REPLACE INTO customer_facts(customer_rowid, completeness, pending_from) VALUES (?, ?, ?)");
    if (!put) return put.error();
    return (*put)->bind_int(1, rowid).bind_int(2, k.score).bind_opt(3, pending_from).run();
}

Result<TeamCompleteness> team_completeness(Workspace& ws, const std::string& today, const std::string& owner) {
    // Two scans instead of one query per customer: all live contacts, then all customers.
    auto contact_rows = query_rows(ws.db(),
        "SELECT k.* FROM contacts k JOIN customers c ON c.id = k.customer_id "
        "WHERE k.deleted = 0 AND c.deleted = 0 AND (?1 = '' OR c.owner = ?1)", {owner});
    if (!contact_rows) return contact_rows.error();
    std::map<std::string, std::vector<Contact>> by_customer;
    for (const Row& r : *contact_rows) {
        Contact k = contact_from_row(r);
        by_customer[k.customer_id].push_back(std::move(k));
    }
    auto rows = query_rows(ws.db(), "SELECT * FROM customers WHERE deleted = 0 AND (?1 = '' OR owner = ?1)",
                           {owner});
    if (!rows) return rows.error();
    TeamCompleteness t;
    long total = 0;
    for (const Row& r : *rows) {
        Customer c = customer_from_row(r);
        Completeness k = completeness_of(c, by_customer[c.id], today);
        ++t.customers;
        t.complete += k.complete;
        t.pending += k.pending;
        total += k.score;
    }
    if (t.customers) {
        t.rate_percent = t.complete * 100 / t.customers;
        t.average_score = static_cast<double>(total) / t.customers;
    }
    return t;
}

}  // namespace crm
