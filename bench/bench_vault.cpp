// Encrypted persistence: the cost of saving one edit (SQLite commit -> sealed changed pages
// -> one store batch) with 1k and 100k customers in the database, against the approach
// sql.js-style apps take (serialize and encrypt the whole database on every save), and
// unlocking + opening a ~50 MB database including the key derivation. Native and wasm
// (node); the IndexedDB part is measured in Chromium by the browser benchmark.
#include <cstdio>
#include <memory>
#include <string>

#include "bench_util.h"
#include "core/customers.h"
#include "core/workspace.h"
#include "store/backup.h"
#include "store/vault.h"

using namespace crm;
using bench::must;
using namespace crm::store;

namespace {


Workspace open_ws(Vault& v) {
    return must(Workspace::open(must(v.open_db(), "open db"), {"00000000000000d1", "01", "张伟"},
                                std::make_shared<SystemClock>()),
                "workspace");
}

double image_mib(const MemoryPageStore& store) {
    double bytes = 0;
    for (const auto& [n, p] : store.pages) bytes += p.size();
    return bytes / 1048576.0;
}

// The browser benchmark (bench/browser) opens the same databases: written as backup files.
std::string g_backup_dir;
void save_backup(MemoryPageStore& store, const std::string& name) {
    if (g_backup_dir.empty()) return;
    const std::vector<uint8_t> file = must(write_backup(store, "2026-01-01T00:00:00Z"), "backup");
    const std::string path = g_backup_dir + "/" + name + ".crmbackup";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(file.data(), 1, file.size(), f) != file.size()) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(1);
    }
    std::fclose(f);
}

void measure(size_t customers, const std::string& label) {
    MemoryPageStore store;
    auto vault = must(Vault::create_demo(store), "create");
    Workspace ws = open_ws(*vault);
    const double t0 = bench::now_ms();
    bench::populate(ws, customers, 1, 500);
    std::fprintf(stderr, "  %s: %zu customers in %.1f s\n", label.c_str(), customers, (bench::now_ms() - t0) / 1000);
    save_backup(store, "vault-" + label);
    auto ids = must(query_rows(ws.db(), "SELECT id FROM customers ORDER BY rowid LIMIT 1000"), "ids");

    std::vector<double> save;
    for (int i = 0; i < 300; i++) {
        const std::string& id = value(ids[(i * 7919) % ids.size()], "id");
        const double t = bench::now_ms();
        must(update_customer(ws, id, {{"needs", "第 " + std::to_string(i) + " 次修改：需要报价单和交付时间"}}), "edit");
        save.push_back(bench::now_ms() - t);
    }
    bench::result("vault", "save_edit_" + label + "_p50", bench::percentile(save, 50), "ms");
    bench::result("vault", "save_edit_" + label + "_p99", bench::percentile(save, 99), "ms");

    // The whole-image approach: the database serialized, encrypted and written as one value.
    std::vector<double> whole;
    const Key key = random_key();
    for (int i = 0; i < 5; i++) {
        const double t = bench::now_ms();
        MemoryPageStore one;
        must(one.write_batch("{}", {{1, bench::whole_image_sealed(ws.db(), key.data())}}, 1), "whole write");
        whole.push_back(bench::now_ms() - t);
    }
    bench::result("vault", "whole_export_" + label + "_p50", bench::percentile(whole, 50), "ms");
    bench::result("vault", "db_size_" + label, image_mib(store), "MiB");
}

// A passphrase-protected database of about 50 MB: unlock (Argon2id) + check and decrypt
// every page + open SQLite on it.
void measure_unlock() {
    MemoryPageStore store;
    {
        auto vault = must(Vault::create(store, "bench passphrase", nullptr), "create");
        Workspace ws = open_ws(*vault);
        while (image_mib(store) < 50) bench::populate(ws, 4000, 1, 500);
    }
    save_backup(store, "vault-50mb");
    std::vector<double> ms;
    for (int i = 0; i < 3; i++) {
        const double t = bench::now_ms();
        auto vault = must(Vault::unlock(store, "bench passphrase"), "unlock");
        Db db = must(vault->open_db(), "open");
        must(db.query_int("SELECT count(*) FROM customers"), "read");
        ms.push_back(bench::now_ms() - t);
    }
    bench::result("vault", "unlock_open_db_size", image_mib(store), "MiB");
    bench::result("vault", "unlock_open_p50", bench::percentile(ms, 50), "ms");
}

}  // namespace

int main(int argc, char** argv) {
    // --quick: 10k instead of 100k customers; --backups DIR: also write the databases there.
    bool quick = false;
    for (int i = 1; i < argc; i++) {
        if (std::string(argv[i]) == "--quick") quick = true;
        if (std::string(argv[i]) == "--backups" && i + 1 < argc) g_backup_dir = argv[++i];
    }
    measure(1000, "1k");
    measure(quick ? 10000 : 100000, quick ? "10k" : "100k");
    measure_unlock();
    return 0;
}
