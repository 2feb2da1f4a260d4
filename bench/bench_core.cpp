// The data core at the benchmark size (default 100k customers, ~1M interactions):
// search p50/p95 for 1-, 2- and 4-character Chinese queries and partial phone numbers,
// filter queries, and inserting one interaction with its history, search document and
// change log. The same program runs natively and as wasm under node (scripts/bench.sh),
// on the same database file, which the native run creates once and caches.
//
// usage: bench_core [--customers N] [--per-customer K] [--db PATH] [--queries Q]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "bench_util.h"
#include "core/customer_query.h"
#include "core/duplicates.h"
#include "core/interactions.h"
#include "core/search.h"
#include "core/text.h"

using namespace crm;
using bench::must;

namespace {


// Query texts drawn from the data itself, so each one has real matches (or plausibly
// none): substrings of names, addresses and summaries, and of mobile numbers.
struct Queries {
    std::map<std::string, std::vector<std::string>> by_kind;
};

Queries pick_queries(Workspace& ws, size_t per_kind) {
    auto texts = must(query_rows(ws.db(),
        "SELECT c.name AS t FROM customers c WHERE c.deleted = 0 ORDER BY c.rowid LIMIT 5000"), "names");
    auto sums = must(query_rows(ws.db(), "SELECT summary AS t FROM interactions ORDER BY rowid LIMIT 5000"),
                     "summaries");
    auto phones = must(query_rows(ws.db(),
        "SELECT mobile AS t FROM contacts WHERE coalesce(mobile, '') <> '' ORDER BY rowid LIMIT 5000"), "phones");
    texts.insert(texts.end(), sums.begin(), sums.end());
    std::mt19937_64 rng(42);
    auto substring = [&](const std::vector<Row>& rows, size_t len, bool hanzi_only) {
        for (int tries = 0; tries < 1000; tries++) {
            std::vector<char32_t> cps = utf8_decode(value(rows[rng() % rows.size()], "t"));
            if (cps.size() < len) continue;
            size_t at = rng() % (cps.size() - len + 1);
            std::vector<char32_t> part(cps.begin() + at, cps.begin() + at + len);
            bool ok = true;
            for (char32_t c : part) ok = ok && (!hanzi_only || (c >= 0x4E00 && c <= 0x9FFF));
            if (ok) return utf8_encode(part);
        }
        return std::string("科");
    };
    Queries q;
    for (size_t i = 0; i < per_kind; i++) {
        q.by_kind["search_1char"].push_back(substring(texts, 1, true));
        q.by_kind["search_2char"].push_back(substring(texts, 2, true));
        q.by_kind["search_4char"].push_back(substring(texts, 4, true));
        q.by_kind["search_phone4"].push_back(substring(phones, 4, false));
    }
    return q;
}

void measure_search(Workspace& ws, const Queries& queries) {
    for (const auto& [kind, list] : queries.by_kind) {
        for (const std::string& q : list) must(search_customer_rowids(ws.db(), q), "warm-up");
        std::vector<double> ms;
        double hits = 0;
        for (const std::string& q : list) {
            const double t = bench::now_ms();
            auto rows = must(search_customer_rowids(ws.db(), q), "search");
            ms.push_back(bench::now_ms() - t);
            hits += rows.size();
        }
        bench::result("core", kind + "_p50", bench::percentile(ms, 50), "ms");
        bench::result("core", kind + "_p95", bench::percentile(ms, 95), "ms");
        bench::result("core", kind + "_hits_avg", hits / list.size(), "rows");
    }
}

void measure_filters(Workspace& ws) {
    using Op = FilterOp;
    const std::vector<CustomerFilter> filters = {
        {"", {{"industry", Op::Eq, {"C"}}, {"status", Op::Eq, {"intent"}}, {"budget", Op::Gt, {"100000"}}}},
        {"", {{"status", Op::In, {"potential", "intent"}}, {"intent", Op::Eq, {"high"}}}, "name", false},
        {"", {{"owner", Op::Eq, {"张伟"}}, {"completeness_state", Op::Eq, {"pending"}}}},
        {"", {{"province", Op::Eq, {"广东省"}}, {"size_band", Op::Eq, {"large"}}}, "budget", true},
        {"科技", {{"status", Op::Eq, {"intent"}}}},
        {"", {}, "updated_at", true},
    };
    std::vector<double> ms;
    std::vector<std::vector<double>> per_filter(filters.size());
    double hits = 0;
    for (int round = 0; round < 6; round++) {
        for (size_t i = 0; i < filters.size(); i++) {
            const double t = bench::now_ms();
            auto rows = must(query_customers(ws, filters[i]), "filter");
            if (round == 0) continue;  // warms up
            ms.push_back(bench::now_ms() - t);
            per_filter[i].push_back(ms.back());
            hits += rows.size();
        }
    }
    for (size_t i = 0; i < filters.size(); i++)  // which filter costs what, for whoever tunes it
        std::fprintf(stderr, "  filter %zu: median %.1f ms\n", i, bench::percentile(per_filter[i], 50));
    bench::result("core", "filter_p50", bench::percentile(ms, 50), "ms");
    bench::result("core", "filter_p95", bench::percentile(ms, 95), "ms");
    bench::result("core", "filter_hits_avg", hits / ms.size(), "rows");
}

// Checking a new record against every customer, as the create form and import do.
void measure_duplicates(Workspace& ws, size_t samples) {
    auto rows = must(query_rows(ws.db(),
        "SELECT c.name, k.mobile FROM customers c JOIN contacts k ON k.customer_id = c.id "
        "WHERE c.deleted = 0 AND coalesce(k.mobile, '') <> '' ORDER BY c.rowid LIMIT 20000"), "sample");
    std::vector<double> ms;
    double found = 0;
    for (size_t i = 0; i < samples; i++) {
        const Row& r = rows[(i * 7919) % rows.size()];
        const double t = bench::now_ms();
        auto d = must(find_duplicates(ws, {{"kind", "enterprise"}, {"name", value(r, "name")}},
                                      {{{"mobile", value(r, "mobile")}}}),
                      "duplicates");
        ms.push_back(bench::now_ms() - t);
        found += d.size();
    }
    bench::result("core", "duplicate_check_p50", bench::percentile(ms, 50), "ms");
    bench::result("core", "duplicate_check_p95", bench::percentile(ms, 95), "ms");
    bench::result("core", "duplicate_check_found_avg", found / samples, "rows");
}

void measure_insert(Workspace& ws, size_t samples) {
    auto ids = must(query_rows(ws.db(), "SELECT id FROM customers WHERE deleted = 0 ORDER BY rowid LIMIT 2000"),
                    "ids");
    std::vector<double> ms;
    for (size_t i = 0; i < samples; i++) {
        const std::string& id = value(ids[(i * 7919) % ids.size()], "id");
        const double t = bench::now_ms();
        must(log_interaction(ws, id, {{"method", "phone"}, {"topic", "回访"},
                                      {"summary", "电话回访，客户确认下周安排技术交流，需要报价单"},
                                      {"feedback", "interested"}}),
             "insert");
        ms.push_back(bench::now_ms() - t);
    }
    bench::result("core", "insert_interaction_p50", bench::percentile(ms, 50), "ms");
    bench::result("core", "insert_interaction_p95", bench::percentile(ms, 95), "ms");
}

}  // namespace

int main(int argc, char** argv) {
    size_t customers = 100000, per_customer = 10, queries = 40;
    std::string path = std::string(CRM_SOURCE_DIR) + "/build/bench-data/core.db";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--customers") customers = std::stoul(argv[i + 1]);
        else if (a == "--per-customer") per_customer = std::stoul(argv[i + 1]);
        else if (a == "--db") path = argv[i + 1];
        else if (a == "--queries") queries = std::stoul(argv[i + 1]);
    }
    path += "." + std::to_string(customers) + "x" + std::to_string(per_customer);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    const bool existed = std::filesystem::exists(path);

    store::Db db = must(store::Db::open(path), "open");
    // The app keeps its database in memory; here a large page cache and no syncing come
    // closest while sharing one file between the native and the wasm run.
    must(db.exec("PRAGMA cache_size = -1500000; PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY"),
         "pragmas");
    Workspace ws = must(Workspace::open(std::move(db), {"00000000000000b1", "01", "张伟"},
                                        std::make_shared<SystemClock>()),
                        "workspace");
    auto have = must(ws.db().query_int("SELECT count(*) FROM customers"), "count");
    if (!existed || have.value_or(0) < static_cast<int64_t>(customers)) bench::populate(ws, customers, per_customer, 1000);
    // Touch every page once so both runs measure a warm cache, as in the app.
    must(ws.db().query_int("SELECT count(*) FROM interactions WHERE summary LIKE '%x%'"), "warm");
    auto n_customers = must(ws.db().query_int("SELECT count(*) FROM customers WHERE deleted = 0"), "count");
    auto n_interactions = must(ws.db().query_int("SELECT count(*) FROM interactions"), "count");
    bench::result("core", "customers", static_cast<double>(n_customers.value_or(0)), "rows");
    bench::result("core", "interactions", static_cast<double>(n_interactions.value_or(0)), "rows");
    bench::result("core", "db_size", std::filesystem::file_size(path) / 1048576.0, "MiB");

    measure_search(ws, pick_queries(ws, queries));
    measure_filters(ws);
    measure_duplicates(ws, 100);
    measure_insert(ws, 200);
    return 0;
}
