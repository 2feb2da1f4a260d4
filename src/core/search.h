// Full-text search over customers: names, contacts, phones, addresses, needs and interaction
// summaries, for Chinese substrings of any length and partial phone numbers.
// One FTS5 document per customer (crm_substring tokenizer, see store/fts_substring.h), kept
// current by the write path (Workspace::finish calls search_reindex_customer); never
// written from anywhere else.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"

namespace crm {

// DDL of the search table, created by migration v1. Its rowid is the customer's rowid.
std::vector<std::string> search_schema_sql();
// How many bytes of new terms FTS5 holds in memory before it writes a segment (and
// merges): set by migration v4, kept in the index's own config table.
inline constexpr int kSearchHashBytes = 8 * 1024 * 1024;
std::string search_tuning_sql();

// The FTS5 MATCH expression for what a user typed: input normalization (full-width to
// half-width), one term per space-separated word, all terms required. A term of three or
// more characters is a phrase; a shorter one a prefix query. "" when there is nothing to
// search for (the caller then shows everything).
std::string search_match_expression(std::string_view query);

// Rowids of the live customers matching the query, ascending. Empty query -> empty list.
Result<std::vector<int64_t>> search_customer_rowids(store::Db& db, std::string_view query);

// Rebuilds the customer's search document from its current rows (removes it when the
// customer is deleted or gone). Runs inside the caller's transaction.
Status search_reindex_customer(store::Db& db, std::string_view customer_id);
// Rebuilds every document: after a bulk load without reindexing or a VACUUM (which may
// renumber rowids).
Status search_rebuild(store::Db& db);

}  // namespace crm
