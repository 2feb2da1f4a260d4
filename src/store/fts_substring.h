// The "crm_substring" FTS5 tokenizer: substring search of any length, for Chinese text
// (no spaces between words) and partial phone numbers. Registered on every connection.
// Knows nothing about customers; src/core/search.* decides what is indexed.
//
// Documents are cut at every character into trigrams (like FTS5's own trigram tokenizer),
// plus the one- and two-character tails before each '\n' and at the end, so that every
// character and every pair of adjacent characters begins some token. A query of three or
// more characters is a phrase of its trigrams. A query of one or two characters is a
// prefix query ("科" *), which the tokenizer passes through whole: with the table's
// prefix='1 2' indexes FTS5 answers it from one prefix posting list instead of a scan.
// ASCII letters are folded to lower case; '\n' separates fields (no token spans it).
#pragma once

namespace crm::store {

constexpr const char* kSubstringTokenizer = "crm_substring";

// Makes every SQLite connection opened afterwards know the tokenizer (idempotent).
void register_substring_tokenizer();

}  // namespace crm::store
