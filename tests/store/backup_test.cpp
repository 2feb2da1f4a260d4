// store/backup: a backup file holds the sealed workspace; it opens only with the secret
// that was current when it was made; a damaged or foreign file is refused before anything
// is replaced; restoring replaces the device's workspace in one batch.
#include <doctest/doctest.h>

#include "core/summary.h"
#include "store/backup.h"
#include "vault_fixture.h"

using namespace crm;
using namespace crm::store;
using namespace crm::store::testing;

namespace {

// A passphrase workspace with the given customers, its vault closed.
MemoryPageStore workspace_with(const std::vector<std::pair<std::string, std::string>>& customers,
                               std::string* recovery) {
    MemoryPageStore store;
    auto v = Vault::create(store, "correct horse 电池", recovery);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : msg(v.error())));
    Workspace ws = open_workspace(open_vault_db(**v));
    for (const auto& [name, mobile] : customers) add_customer(ws, name, mobile);
    return store;
}

Backup read(const std::vector<uint8_t>& file) {
    auto b = read_backup(file.data(), file.size());
    REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : msg(b.error())));
    return std::move(*b);
}

}  // namespace

TEST_CASE("backup: round trip; the file is sealed and opens with the passphrase or the recovery key") {
    std::string recovery;
    MemoryPageStore store = workspace_with({{"杭州云帆科技有限公司", "13812345678"},
                                            {"宁波海曙贸易有限公司", "13912345678"}}, &recovery);
    auto file = write_backup(store, "2026-11-23T08:00:00Z");
    REQUIRE(file.ok());
    const std::string raw(file->begin(), file->end());
    CHECK(raw.find("13812345678") == std::string::npos);
    CHECK(raw.find("云帆") == std::string::npos);

    Backup b = read(*file);
    CHECK(b.kind == "passphrase");
    CHECK(b.created_at == "2026-11-23T08:00:00Z");
    CHECK(b.pages.pages == store.pages);
    CHECK(Vault::unlock(b.pages, "wrong").error().code == "err.vault.wrong_passphrase");
    for (const std::string secret : {std::string("correct horse 电池"), recovery}) {
        auto v = unlock(b.pages, secret);
        Db db = open_vault_db(*v);
        auto s = summarize(db);
        REQUIRE(s.ok());
        CHECK(s->customers == 2);
        CHECK(s->contacts == 2);
        CHECK(s->last_change == "2024-03-01T02:00:00Z");
        CHECK(integrity(db) == "ok");
    }
}

TEST_CASE("backup: restoring replaces the device's workspace in one batch, and a failed restore changes nothing") {
    std::string recovery;
    MemoryPageStore old_state = workspace_with({{"杭州云帆科技有限公司", "13812345678"}}, &recovery);
    const std::vector<uint8_t> file = *write_backup(old_state, "2026-11-23T08:00:00Z");

    // The device has moved on since (more customers, more pages), under another passphrase.
    MemoryPageStore device = workspace_with({{"宁波海曙贸易有限公司", "13912345678"},
                                             {"温州鹿城电器有限公司", "13712345678"},
                                             {"台州椒江机械有限公司", "13612345678"}}, &recovery);
    const MemoryPageStore before = device;
    device.fail_after = 3;
    CHECK(restore_backup(read(file), device).error().code == "err.vault.store_write");
    CHECK(device.meta == before.meta);
    CHECK(device.pages == before.pages);

    const int64_t batches = device.batches;
    REQUIRE(restore_backup(read(file), device).ok());
    CHECK(device.batches == batches + 1);
    CHECK(device.pages == old_state.pages);  // pages the backup lacks are gone too
    auto v = unlock(device, "correct horse 电池");
    Db db = open_vault_db(*v);
    CHECK(count(db, "SELECT count(*) FROM customers WHERE name = '杭州云帆科技有限公司'") == 1);
    CHECK(count(db, "SELECT count(*) FROM customers") == 1);
    CHECK(integrity(db) == "ok");
}

TEST_CASE("backup: another file, a cut-off file, a changed byte and a newer format are refused") {
    std::string recovery;
    MemoryPageStore store = workspace_with({{"杭州云帆科技有限公司", "13812345678"}}, &recovery);
    const std::vector<uint8_t> file = *write_backup(store, "2026-11-23T08:00:00Z");
    auto code = [](const std::vector<uint8_t>& f) {
        auto b = read_backup(f.data(), f.size());
        return b.ok() ? std::string("ok") : b.error().code;
    };
    CHECK(code(file) == "ok");
    const std::string csv = "客户名称,手机\n杭州云帆,13812345678\n";
    CHECK(code(std::vector<uint8_t>(csv.begin(), csv.end())) == "err.backup.not_a_backup");
    CHECK(code({}) == "err.backup.not_a_backup");
    for (size_t cut : {size_t(14), size_t(40), file.size() / 2, file.size() - 1})
        CHECK(code(std::vector<uint8_t>(file.begin(), file.begin() + cut)) == "err.backup.damaged");
    for (size_t at : {file.size() / 3, file.size() - 5}) {
        std::vector<uint8_t> changed = file;
        changed[at] ^= 0x40;
        CHECK(code(changed) == "err.backup.damaged");
    }
    std::string text(file.begin(), file.end());
    const size_t f = text.find("\"format\":1");
    REQUIRE(f != std::string::npos);
    text[f + 9] = '9';
    CHECK(code(std::vector<uint8_t>(text.begin(), text.end())) == "err.backup.newer_format");

    MemoryPageStore empty;
    CHECK(write_backup(empty, "2026-11-23T08:00:00Z").error().code == "err.vault.empty");
}

TEST_CASE("backup: a demo workspace's backup opens without a secret and says it is the demo") {
    MemoryPageStore store;
    auto v = Vault::create_demo(store);
    REQUIRE(v.ok());
    { Workspace ws = open_workspace(open_vault_db(**v)); add_customer(ws, "杭州云帆科技有限公司", "13812345678"); }
    Backup b = read(*write_backup(store, "2026-11-23T08:00:00Z"));
    CHECK(b.kind == "demo");
    auto opened = unlock(b.pages, "");
    Db db = open_vault_db(*opened);
    CHECK(count(db, "SELECT count(*) FROM customers") == 1);
}

TEST_CASE("sealed view: an open vault's state sealed afresh unlocks as its store does, and backs up") {
    std::string recovery;
    MemoryPageStore store;
    auto created = Vault::create(store, "correct horse 电池", &recovery);
    REQUIRE(created.ok());
    std::unique_ptr<Vault> v = std::move(*created);
    SealedView early = v->sealed_view();
    CHECK(early.read_meta().error().code == "err.vault.empty");  // nothing to seal before it opens
    Workspace ws = open_workspace(open_vault_db(*v));
    add_customer(ws, "杭州云帆科技有限公司", "13812345678");
    add_customer(ws, "宁波海曙贸易有限公司", "13912345678");

    // Into another store, as the browser's page store takes the pages back at a lock.
    SealedView view = v->sealed_view();
    MemoryPageStore copy;
    copy.meta = *view.read_meta().value();
    CHECK(copy.meta == store.meta);
    REQUIRE(view.visit_pages([&](uint32_t n, const std::vector<uint8_t>& bytes) -> Status {
        copy.pages[n] = bytes;
        return {};
    }).ok());
    REQUIRE(copy.pages.size() == store.pages.size());
    for (const auto& [n, bytes] : copy.pages) {
        CHECK(bytes.size() == store.pages[n].size());
        CHECK(bytes != store.pages[n]);  // new nonces: never the same ciphertext twice
        CHECK(PageCipher::seq_of(bytes) == PageCipher::seq_of(store.pages[n]));
    }
    CHECK(view.write_batch(*copy.meta, {}, 0).error().code == "err.vault.store_write");
    CHECK(Vault::unlock(copy, "wrong").error().code == "err.vault.wrong_passphrase");
    {
        auto again = unlock(copy, "correct horse 电池");
        Db db = open_vault_db(*again);
        CHECK(count(db, "SELECT count(*) FROM customers") == 2);
        CHECK(integrity(db) == "ok");
    }

    // A backup made from it restores the same workspace.
    auto file = write_backup(view, "2026-11-23T08:00:00Z");
    REQUIRE(file.ok());
    Backup b = read(*file);
    auto restored = unlock(b.pages, recovery);
    Db db = open_vault_db(*restored);
    CHECK(count(db, "SELECT count(*) FROM customers") == 2);
}

TEST_CASE("closing sealed: a closed vault's pages, sealed afresh and freed one by one, unlock again") {
    MemoryPageStore store;
    auto created = Vault::create(store, "correct horse 电池", nullptr);
    REQUIRE(created.ok());
    std::unique_ptr<Vault> v = std::move(*created);
    {
        Workspace ws = open_workspace(open_vault_db(*v));
        add_customer(ws, "杭州云帆科技有限公司", "13812345678");
    }  // the connection closes first, as the app closes it before locking

    MemoryPageStore handed;
    handed.meta = store.meta;
    REQUIRE(v->close_sealed([&](uint32_t n, const std::vector<uint8_t>& bytes) -> Status {
        handed.pages[n] = bytes;
        return {};
    }).ok());
    CHECK(handed.pages.size() == store.pages.size());
    CHECK(v->close_sealed([](uint32_t, const std::vector<uint8_t>&) -> Status { return {}; }).error().code ==
          "err.vault.empty");  // once
    CHECK(v->open_db().error().code == "err.vault.empty");
    auto again = unlock(handed, "correct horse 电池");
    Db db = open_vault_db(*again);
    CHECK(count(db, "SELECT count(*) FROM customers") == 1);
    CHECK(integrity(db) == "ok");
}
