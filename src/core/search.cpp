// Customer search: the per-customer FTS5 document and the query expression.
#include "core/search.h"

#include <sodium.h>

#include "core/text.h"
#include "store/fts_substring.h"

namespace crm {

std::vector<std::string> search_schema_sql() {
    // contentless: the text lives in the records already; prefix='1 2' answers one- and
    // two-character queries (see store/fts_substring.h). card = who the customer is,
    // log = what was said, so callers can weigh or filter by column.
    return {std::string("CREATE VIRTUAL TABLE search USING fts5(card, log, tokenize='") +
            store::kSubstringTokenizer +
            "', prefix='1 2', content='', contentless_delete=1, detail=full)"};
}

std::string search_tuning_sql() {
    return "INSERT INTO search(search, rank) VALUES('hashsize', " + std::to_string(kSearchHashBytes) + ")";
}

namespace {

// A term as an FTS5 string literal ("" doubles a quote inside).
std::string quoted(std::string_view term) {
    std::string out = "\"";
    for (char c : term) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string search_match_expression(std::string_view query) {
    const std::string text = normalize_input(query);  // also trims and collapses spaces
    std::string expr;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        std::string_view term(text.data() + start, end - start);
        start = end + 1;
        if (term.empty()) continue;
        if (!expr.empty()) expr += " AND ";
        expr += quoted(term);
        if (utf8_length(term) < 3) expr += " *";
    }
    return expr;
}

Result<std::vector<int64_t>> search_customer_rowids(store::Db& db, std::string_view query) {
    std::vector<int64_t> rowids;
    const std::string expr = search_match_expression(query);
    if (expr.empty()) return rowids;
    auto st = db.cached("SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid");
    if (!st) return st.error();
    (*st)->bind_text(1, expr);
    for (;;) {
        auto r = (*st)->step();
        if (!r) return r.error();
        if (!*r) break;
        rowids.push_back((*st)->int64(0));
    }
    (*st)->reset();
    return rowids;
}

Status search_reindex_customer(store::Db& db, std::string_view customer_id) {
    // Fields are joined by '\n', which no token spans.
    auto doc = db.cached(R"SQL(
SELECT c.rowid, c.deleted,
  concat_ws(char(10), c.number, c.name, c.credit_code, concat(c.province, c.city, c.district),
    c.address, c.occupation, c.needs, c.notes,
    (SELECT group_concat(concat_ws(char(10), name, title, mobile, landline, email), char(10))
       FROM contacts WHERE customer_id = c.id AND deleted = 0)),
  (SELECT group_concat(concat_ws(char(10), topic, summary, next_action), char(10))
     FROM interactions WHERE customer_id = c.id AND deleted = 0)
FROM customers c WHERE c.id = ?)SQL");
    if (!doc) return doc.error();
    (*doc)->bind_text(1, customer_id);
    auto found = (*doc)->step();
    if (!found) return found.error();
    if (!*found) {
        (*doc)->reset();
        return {};
    }
    const int64_t rowid = (*doc)->int64(0);
    const bool live = (*doc)->int64(1) == 0;
    const std::string card = (*doc)->text(2), log = (*doc)->text(3);
    (*doc)->reset();

    // Unchanged document (most edits outside the searched fields): nothing to rewrite.
    uint8_t digest[16];
    crypto_generichash_state h;
    crypto_generichash_init(&h, nullptr, 0, sizeof digest);
    const uint8_t sep = live ? 1 : 0;
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>(card.data()), card.size());
    crypto_generichash_update(&h, &sep, 1);
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>(log.data()), log.size());
    crypto_generichash_final(&h, digest, sizeof digest);
    auto have = db.cached("SELECT digest FROM search_digest WHERE customer_rowid = ?");
    if (!have) return have.error();
    auto row = (*have)->bind_int(1, rowid).step();
    if (!row) return row.error();
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    const bool indexed = *row;  // no digest: the customer has no document (written together)
    const bool same = indexed && (*have)->text(0) == hex;
    (*have)->reset();
    if (same) return {};

    // Only a document that exists is deleted: a contentless-delete table flushes its
    // pending inserts to a new segment on every DELETE, so deleting the never-indexed
    // document of each new customer made one segment (and merges) per customer.
    if (indexed) {
        auto del = db.cached("DELETE FROM search WHERE rowid = ?");
        if (!del) return del.error();
        if (auto s = (*del)->bind_int(1, rowid).run(); !s) return s;
    }
    auto put = db.cached("INSERT OR REPLACE INTO search_digest(customer_rowid, digest) VALUES (?, ?)");
    if (!put) return put.error();
    if (auto s = (*put)->bind_int(1, rowid).bind_text(2, hex).run(); !s) return s;
    if (!live) return {};
    auto ins = db.cached("INSERT INTO search(rowid, card, log) VALUES (?, ?, ?)");
    if (!ins) return ins.error();
    return (*ins)->bind_int(1, rowid).bind_text(2, card).bind_text(3, log).run();
}

Status search_rebuild(store::Db& db) {
    return db.transaction([&]() -> Status {
        if (auto s = db.exec("DELETE FROM search; DELETE FROM search_digest;"); !s) return s;
        auto ids = db.prepare("SELECT id FROM customers WHERE deleted = 0");
        if (!ids) return ids.error();
        for (;;) {
            auto r = ids->step();
            if (!r) return r.error();
            if (!*r) return {};
            if (auto s = search_reindex_customer(db, ids->text(0)); !s) return s;
        }
    });
}

}  // namespace crm
