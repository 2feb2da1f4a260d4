// The crm_substring FTS5 tokenizer (see fts_substring.h for what it emits and why).
#include "store/fts_substring.h"

#include <sqlite3.h>

#include <mutex>
#include <vector>

namespace crm::store {

namespace {

// Byte length of the UTF-8 sequence starting with c; stray continuation bytes count as one
// character so that malformed text still tokenizes (it never reaches here from the core).
int utf8_len(unsigned char c) {
    if (c < 0xC0) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    return 4;
}

// Emits text[begin, end) folded to ASCII lower case.
int emit(void* ctx, int (*token)(void*, int, const char*, int, int, int), const char* text,
         int begin, int end) {
    char buf[32];
    int n = end - begin;
    if (n > static_cast<int>(sizeof buf)) n = sizeof buf;  // cannot happen: at most 3 chars
    for (int i = 0; i < n; i++) {
        char c = text[begin + i];
        buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return token(ctx, 0, buf, n, begin, end);
}

int tokenize_segment(void* ctx, int flags, const char* text, const std::vector<int>& starts,
                     int (*token)(void*, int, const char*, int, int, int)) {
    const int chars = static_cast<int>(starts.size()) - 1;  // starts ends with the end offset
    if (chars <= 0) return SQLITE_OK;
    const bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    if (query && (flags & FTS5_TOKENIZE_PREFIX) && chars < 3)
        return emit(ctx, token, text, starts[0], starts[chars]);  // "科" * -> prefix index
    // Queries: trigrams only (a phrase). Documents: trigrams plus the two tails.
    const int last = query ? chars - 3 : chars - 1;
    for (int i = 0; i <= last; i++) {
        int end = starts[i + 3 <= chars ? i + 3 : chars];
        if (int rc = emit(ctx, token, text, starts[i], end); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

int tokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int size,
             int (*token)(void*, int, const char*, int, int, int)) {
    std::vector<int> starts;
    int i = 0;
    while (i <= size) {
        if (i == size || text[i] == '\n') {
            starts.push_back(i);
            if (int rc = tokenize_segment(ctx, flags, text, starts, token); rc != SQLITE_OK) return rc;
            starts.clear();
            i++;
            continue;
        }
        starts.push_back(i);
        i += utf8_len(static_cast<unsigned char>(text[i]));
        if (i > size) i = size;
    }
    return SQLITE_OK;
}

// The tokenizer keeps no state; FTS5 still wants a distinct non-null handle.
int create(void*, const char**, int, Fts5Tokenizer** out) {
    static int handle;
    *out = reinterpret_cast<Fts5Tokenizer*>(&handle);
    return SQLITE_OK;
}
void destroy(Fts5Tokenizer*) {}

int register_on(sqlite3* db, char** error, const sqlite3_api_routines*) {
    fts5_api* api = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api) {
        *error = sqlite3_mprintf("FTS5 is not compiled in");
        return SQLITE_ERROR;
    }
    static fts5_tokenizer methods = {create, destroy, tokenize};
    return api->xCreateTokenizer(api, kSubstringTokenizer, nullptr, &methods, nullptr);
}

}  // namespace

void register_substring_tokenizer() {
    static std::once_flag once;
    std::call_once(once, [] {
        sqlite3_auto_extension(reinterpret_cast<void (*)()>(register_on));
    });
}

}  // namespace crm::store
