// Duplicate detection: keys, pair scores, and indexed candidate lookup.
#include "core/duplicates.h"

#include <algorithm>
#include <map>

#include "core/text.h"
#include "core/validate.h"

namespace crm {

namespace {

std::string field_of(const std::vector<FieldValue>& fields, std::string_view name) {
    for (const FieldValue& f : fields)
        if (f.field == name && f.value) return normalize_input(*f.value);
    return {};
}

void add_contact(DedupeKeys& k, const std::string& mobile, const std::string& landline,
                 const std::string& email) {
    // The stored (canonical) forms, so a draft compares like a saved record; emails
    // ignore case entirely (the canonical form keeps the local part's case).
    for (const std::string& p : {mobile, landline})
        if (!p.empty()) k.phones.insert(canonical_value(FieldKind::Phone, normalize_input(p)));
    if (!email.empty()) k.emails.insert(ascii_lower(normalize_input(email)));
}

DedupeKeys base_keys(const std::string& kind, const std::string& name, const std::string& credit) {
    DedupeKeys k;
    k.kind = kind.empty() ? "enterprise" : kind;
    k.name = name;
    k.name_key = normalize_company_name(name);
    k.credit_code = canonical_value(FieldKind::CreditCode, credit);
    return k;
}

bool shares(const std::set<std::string>& a, const std::set<std::string>& b) {
    for (const std::string& x : a)
        if (b.count(x)) return true;
    return false;
}

}  // namespace

DedupeKeys dedupe_keys(const std::vector<FieldValue>& customer,
                       const std::vector<std::vector<FieldValue>>& contacts) {
    DedupeKeys k = base_keys(field_of(customer, "kind"), field_of(customer, "name"),
                             field_of(customer, "credit_code"));
    for (const auto& c : contacts)
        add_contact(k, field_of(c, "mobile"), field_of(c, "landline"), field_of(c, "email"));
    return k;
}

DedupeKeys dedupe_keys(const Customer& customer, const std::vector<Contact>& contacts) {
    DedupeKeys k = base_keys(customer.kind, customer.name, customer.credit_code);
    for (const Contact& c : contacts) add_contact(k, c.mobile, c.landline, c.email);
    return k;
}

DuplicateScore score_pair(const DedupeKeys& a, const DedupeKeys& b) {
    DuplicateScore s;
    auto add = [&](int points, const char* reason) {
        s.score += points;
        s.reasons.push_back(reason);
    };
    if (!a.credit_code.empty() && a.credit_code == b.credit_code) add(100, "dup.reason.same_credit_code");
    if (shares(a.phones, b.phones)) add(60, "dup.reason.same_phone");
    if (shares(a.emails, b.emails)) add(50, "dup.reason.same_email");
    if (a.kind == b.kind && !a.name_key.empty()) {
        if (a.name_key == b.name_key) {
            add(60, "dup.reason.same_name");
        } else if (double sim = name_similarity(a.name, b.name); sim >= 0.5) {
            add(static_cast<int>(40 * sim), "dup.reason.similar_name");
        }
    }
    s.score = std::min(s.score, 100);
    return s;
}

// ---- the key table -------------------------------------------------------------------------

Status store_dedupe_keys(store::Db& db, int64_t rowid, const Customer* live,
                         const std::vector<Contact>& contacts) {
    // The keys this customer should have, sorted like the stored ones.
    std::vector<std::pair<std::string, std::string>> want;
    if (live) {
        const DedupeKeys k = dedupe_keys(*live, contacts);
        auto add = [&](std::string kind, const std::string& key) {
            if (!key.empty()) want.emplace_back(std::move(kind), key);
        };
        add("name." + k.kind, k.name_key);
        add("credit", k.credit_code);
        for (const std::string& p : k.phones) add("phone", p);
        for (const std::string& e : k.emails) add("email", e);
        std::sort(want.begin(), want.end());
        want.erase(std::unique(want.begin(), want.end()), want.end());
    }
    // Most edits leave the keys as they were: then nothing is written (fewer pages per save).
    auto have = db.cached("SELECT kind, key FROM customer_keys WHERE customer_rowid = ? ORDER BY kind, key");
    if (!have) return have.error();
    (*have)->bind_int(1, rowid);
    std::vector<std::pair<std::string, std::string>> stored;
    for (;;) {
        auto row = (*have)->step();
        if (!row) return row.error();
        if (!*row) break;
        stored.emplace_back((*have)->text(0), (*have)->text(1));
    }
    (*have)->reset();
    if (stored == want) return {};

    auto del = db.cached("DELETE FROM customer_keys WHERE customer_rowid = ?");
    if (!del) return del.error();
    if (auto s = (*del)->bind_int(1, rowid).run(); !s) return s;
    auto ins = db.cached("INSERT INTO customer_keys(customer_rowid, kind, key) VALUES (?, ?, ?)");
    if (!ins) return ins.error();
    for (const auto& [kind, key] : want)
        if (auto s = (*ins)->bind_int(1, rowid).bind_text(2, kind).bind_text(3, key).run(); !s) return s;
    return {};
}

// ---- finding candidates ----------------------------------------------------------------------

namespace {

Status rowids_with_key(Workspace& ws, const std::string& kind, const std::string& key,
                       std::set<int64_t>& out) {
    if (key.empty()) return {};
    auto st = ws.db().cached("SELECT customer_rowid FROM customer_keys WHERE kind = ? AND key = ?");
    if (!st) return st.error();
    (*st)->bind_text(1, kind).bind_text(2, key);
    for (;;) {
        auto r = (*st)->step();
        if (!r) return r.error();
        if (!*r) break;
        out.insert((*st)->int64(0));
    }
    (*st)->reset();
    return {};
}

}  // namespace

namespace {
// Live customers whose keys score against `mine` at the threshold or above, best first.
Result<std::vector<DuplicateCandidate>> find_by_keys(Workspace& ws, const DedupeKeys& mine,
                                                     const std::string& exclude_customer_id) {
    // A similar name alone scores below the threshold, so every likely duplicate shares at
    // least one exact key: the key index finds them all.
    std::set<int64_t> rowids;
    Status s = rowids_with_key(ws, "credit", mine.credit_code, rowids);
    if (s) s = rowids_with_key(ws, "name." + mine.kind, mine.name_key, rowids);
    for (const std::string& p : mine.phones)
        if (s) s = rowids_with_key(ws, "phone", p, rowids);
    for (const std::string& e : mine.emails)
        if (s) s = rowids_with_key(ws, "email", e, rowids);
    if (!s) return s.error();

    std::vector<DuplicateCandidate> out;
    for (int64_t rowid : rowids) {
        auto rows = query_rows(ws.db(), "SELECT * FROM customers WHERE rowid = ? AND deleted = 0",
                               {std::to_string(rowid)});
        if (!rows) return rows.error();
        if (rows->empty()) continue;
        Customer c = customer_from_row(rows->front());
        if (c.id == exclude_customer_id) continue;
        auto theirs = list_contacts(ws, c.id);
        if (!theirs) return theirs.error();
        DuplicateScore score = score_pair(mine, dedupe_keys(c, *theirs));
        if (score.score < kDuplicateThreshold) continue;
        out.push_back({c.id, c.number, c.name, score.score, std::move(score.reasons)});
    }
    std::stable_sort(out.begin(), out.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
        return a.score > b.score;
    });
    return out;
}
}  // namespace

Result<std::vector<DuplicateCandidate>> find_duplicates(
    Workspace& ws, const std::vector<FieldValue>& customer,
    const std::vector<std::vector<FieldValue>>& contacts, const std::string& exclude_customer_id) {
    return find_by_keys(ws, dedupe_keys(customer, contacts), exclude_customer_id);
}

Result<std::vector<DuplicateCandidate>> duplicates_of(Workspace& ws, const std::string& customer_id) {
    auto customer = get_customer(ws, customer_id);
    if (!customer) return customer.error();
    auto contacts = list_contacts(ws, customer_id);
    if (!contacts) return contacts.error();
    return find_by_keys(ws, dedupe_keys(*customer, *contacts), customer_id);
}

std::string explain_reasons(const Translations& tr, const std::vector<std::string>& reasons) {
    std::string out;
    for (const std::string& r : reasons) {
        if (!out.empty()) out += tr.tr("dup.reason.separator");
        out += tr.tr(r);
    }
    return out;
}

}  // namespace crm
