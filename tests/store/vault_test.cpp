// store/mem_vfs, page_crypto, vault: SQLite in memory with every commit handed over as
// one batch (and never a journal), pages sealed and checked, keys wrapped, and a store
// that fails at every step of a commit always reopening before or after it.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <unordered_set>

#include "core/customers.h"
#include "core/workspace.h"
#include "store/mem_vfs.h"
#include "store/vault.h"
#include "vault_fixture.h"

using namespace crm;
using namespace crm::store;
using namespace crm::store::testing;


TEST_CASE("mem vfs: each commit reaches the sink as one batch; a failing sink fails the commit") {
    PageImage image;
    int batches = 0;
    bool fail = false;
    mem_vfs_attach("t-basic", &image, [&](const PageBatch& b) -> Status {
        if (fail) return make_error("err.test.sink");
        ++batches;
        CHECK(b.page_count >= 1);
        for (const auto& [n, bytes] : b.pages) {
            CHECK(n >= 1);
            CHECK(n <= b.page_count);
            CHECK(bytes->size() == kPageSize);
        }
        return {};
    });
    {
        auto db = open_mem_db("t-basic");
        REQUIRE(db.ok());
        REQUIRE(db->exec("CREATE TABLE t(v TEXT)").ok());
        const int after_create = batches;
        CHECK(after_create >= 1);
        REQUIRE(db->exec("INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('b')").ok());  // two commits
        CHECK(batches == after_create + 2);
        REQUIRE(db->transaction([&]() -> Status {
                      for (int i = 0; i < 100; i++)
                          if (auto s = db->exec("INSERT INTO t VALUES ('x')"); !s) return s;
                      return {};
                  }).ok());
        CHECK(batches == after_create + 3);  // one transaction, one batch
        const size_t pages_before = image.pages.size();

        fail = true;
        CHECK_FALSE(db->exec("INSERT INTO t VALUES ('lost')").ok());
        fail = false;
        CHECK(count(*db, "SELECT count(*) FROM t") == 102);  // rolled back, still usable
        CHECK(image.pages.size() == pages_before);
        REQUIRE(db->exec("INSERT INTO t VALUES ('c')").ok());
        CHECK(count(*db, "SELECT count(*) FROM t") == 103);
        CHECK(integrity(*db) == "ok");
    }
    // A second connection on the same image sees what was committed.
    auto again = open_mem_db("t-basic");
    REQUIRE(again.ok());
    CHECK(count(*again, "SELECT count(*) FROM t") == 103);
    mem_vfs_detach("t-basic");
}

TEST_CASE("mem vfs: no journal file is ever opened, even for a transaction far bigger than the cache") {
    PageImage image;
    mem_vfs_attach("t-big", &image, [](const PageBatch&) -> Status { return {}; });
    const int64_t journals = mem_vfs_journal_opens();
    {
        auto db = open_mem_db("t-big");
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA cache_size = 100").ok());  // 100 pages; the transaction writes ~5,000
        REQUIRE(db->exec("CREATE TABLE t(v BLOB)").ok());
        REQUIRE(db->transaction([&]() -> Status {
                      for (int i = 0; i < 2000; i++)
                          if (auto s = db->exec("INSERT INTO t VALUES (randomblob(8000))"); !s) return s;
                      return {};
                  }).ok());
        REQUIRE(db->exec("DELETE FROM t WHERE rowid % 2 = 0; VACUUM").ok());  // shrinks the file
        CHECK(count(*db, "SELECT count(*) FROM t") == 1000);
        CHECK(integrity(*db) == "ok");
    }
    CHECK(mem_vfs_journal_opens() == journals);
    mem_vfs_detach("t-big");
}

TEST_CASE("vault: pages SQLite never writes (freed within a commit) are still stored") {
    MemoryPageStore store;
    {
        auto v = Vault::create_demo(store);
        REQUIRE(v.ok());
        Db db = open_vault_db(**v);
        // Grow and free pages in one transaction, then edit again many times.
        REQUIRE(db.transaction([&]() -> Status {
                      if (auto s = db.exec("CREATE TABLE big(v BLOB); CREATE TABLE t(v)"); !s) return s;
                      for (int i = 0; i < 300; i++)
                          if (auto s = db.exec("INSERT INTO big VALUES (randomblob(3000))"); !s) return s;
                      return db.exec("DELETE FROM big; INSERT INTO t VALUES (1)");
                  }).ok());
        for (int i = 0; i < 50; i++) REQUIRE(db.exec("INSERT INTO t VALUES (1); INSERT INTO big VALUES (randomblob(5000))").ok());
        CHECK(integrity(db) == "ok");
    }
    auto v = unlock(store, "");
    Db db = open_vault_db(*v);
    CHECK(integrity(db) == "ok");
    CHECK(count(db, "SELECT count(*) FROM t") == 51);
}

TEST_CASE("vault: an encrypted workspace survives closing and reopening") {
    MemoryPageStore store;
    std::string recovery;
    std::string id;
    {
        auto v = Vault::create(store, "correct horse 电池", &recovery);
        REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : msg(v.error())));
        Workspace ws = open_workspace(open_vault_db(**v));
        id = add_customer(ws, "杭州云帆科技有限公司", "13812345678");
    }
    CHECK(store.batches >= 2);
    // Nothing readable is stored: no page holds the name or the phone in clear.
    for (const auto& [n, bytes] : store.pages) {
        std::string raw(bytes.begin(), bytes.end());
        CHECK(raw.find("13812345678") == std::string::npos);
        CHECK(raw.find("SQLite format") == std::string::npos);
    }
    auto v = unlock(store, "correct horse 电池");
    Workspace ws = open_workspace(open_vault_db(*v));
    auto c = get_customer(ws, id);
    REQUIRE(c.ok());
    CHECK(c->name == "杭州云帆科技有限公司");
    CHECK(integrity(ws.db()) == "ok");
}

TEST_CASE("vault: a wrong passphrase says so and changes nothing; the recovery key unlocks") {
    MemoryPageStore store;
    std::string recovery;
    {
        auto v = Vault::create(store, "secret one", &recovery);
        REQUIRE(v.ok());
        Db db = open_vault_db(**v);
        REQUIRE(db.exec("CREATE TABLE t(v); INSERT INTO t VALUES (42)").ok());
    }
    const auto meta = store.meta;
    const auto pages = store.pages;
    auto wrong = Vault::unlock(store, "secret two");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "err.vault.wrong_passphrase");
    CHECK(store.meta == meta);
    CHECK(store.pages == pages);

    CHECK(recovery.size() == 39);  // 32 characters in 8 groups of four
    std::string sloppy;
    for (char ch : recovery)
        if (ch != '-') sloppy += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto v = unlock(store, sloppy);
    Db db = open_vault_db(*v);
    CHECK(count(db, "SELECT v FROM t") == 42);
    CHECK_FALSE(Vault::unlock(store, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA").ok());
}

TEST_CASE("vault: changing the passphrase re-wraps the key only") {
    MemoryPageStore store;
    std::string recovery;
    {
        auto v = Vault::create(store, "old pass", &recovery);
        REQUIRE(v.ok());
        Db db = open_vault_db(**v);
        REQUIRE(db.exec("CREATE TABLE t(v); INSERT INTO t VALUES (7)").ok());
        const auto pages = store.pages;
        REQUIRE((*v)->change_passphrase("new pass").ok());
        CHECK(store.pages == pages);
        REQUIRE(db.exec("INSERT INTO t VALUES (8)").ok());  // still saving after the change
    }
    CHECK(Vault::unlock(store, "old pass").error().code == "err.vault.wrong_passphrase");
    auto v = unlock(store, "new pass");
    Db db = open_vault_db(*v);
    CHECK(count(db, "SELECT sum(v) FROM t") == 15);
    CHECK(Vault::unlock(store, recovery).ok());  // the recovery key still works
}

TEST_CASE("vault: the demo workspace is marked as such and opens without a passphrase") {
    MemoryPageStore store;
    CHECK(Vault::kind(store).value() == "");
    {
        auto v = Vault::create_demo(store);
        REQUIRE(v.ok());
        CHECK((*v)->is_demo());
        Db db = open_vault_db(**v);
        REQUIRE(db.exec("CREATE TABLE t(v); INSERT INTO t VALUES (1)").ok());
        CHECK_FALSE((*v)->change_passphrase("x").ok());
    }
    CHECK(Vault::kind(store).value() == "demo");
    auto v = unlock(store, "");
    Db db = open_vault_db(*v);
    CHECK(count(db, "SELECT v FROM t") == 1);

    // Pages whose key record is gone: damaged, never an empty device to create a workspace on.
    MemoryPageStore headless = store;
    headless.meta.reset();
    CHECK(Vault::kind(headless).error().code == "err.vault.corrupt_meta");
}

TEST_CASE("vault: a changed, missing or foreign page and a page rolled back are detected") {
    MemoryPageStore store;
    std::map<uint32_t, std::vector<uint8_t>> early;
    {
        auto v = Vault::create(store, "pw", nullptr);
        REQUIRE(v.ok());
        Db db = open_vault_db(**v);
        REQUIRE(db.exec("CREATE TABLE t(v); INSERT INTO t VALUES (1)").ok());
        early = store.pages;
        REQUIRE(db.exec("INSERT INTO t VALUES (2)").ok());  // rewrites page 1 and the table's page
    }
    const MemoryPageStore good = store;
    auto open_error = [&](MemoryPageStore& s) {
        auto v = Vault::unlock(s, "pw");
        REQUIRE(v.ok());
        auto db = (*v)->open_db();
        REQUIRE_FALSE(db.ok());
        return db.error();
    };

    store.pages[2][60] ^= 1;  // one bit of one page
    Error e = open_error(store);
    CHECK(e.code == "err.vault.tampered");
    CHECK(e.detail == "page 2");

    store = good;
    store.pages.erase(2);
    e = open_error(store);
    CHECK(e.code == "err.vault.tampered");
    CHECK(e.detail.find("missing") != std::string::npos);

    store = good;
    std::swap(store.pages[1], store.pages[2]);  // a real page under another number
    CHECK(open_error(store).code == "err.vault.tampered");

    store = good;
    REQUIRE(early.count(1));
    REQUIRE(early[1] != good.pages.at(1));
    store.pages[1] = early[1];  // an older, genuine version of page 1
    CHECK(open_error(store).code == "err.vault.rolled_back");

    store = good;
    auto v = unlock(store, "pw");
    Db db = open_vault_db(*v);
    CHECK(count(db, "SELECT sum(v) FROM t") == 3);
}

TEST_CASE("page cipher: nonces never repeat, within or across sessions") {
    const Key key = random_key();
    const DbId id = random_db_id();
    std::unordered_set<std::string> seen;
    const std::vector<uint8_t> plain(16, 7);
    size_t total = 0;
    for (int session = 0; session < 4; session++) {
        PageCipher cipher(key, id);
        for (int i = 0; i < 250000; i++) {
            std::vector<uint8_t> sealed = cipher.seal(1 + i % 50, 1, plain);
            seen.insert(std::string(sealed.begin() + 8, sealed.begin() + 32));  // the 24-byte nonce
            ++total;
        }
        CHECK(cipher.nonces_used() == 250000);
    }
    CHECK(seen.size() == total);
}

TEST_CASE("vault: a store failing at every step of a commit reopens before or after it, never between") {
    MemoryPageStore store;
    {
        auto v = Vault::create(store, "pw", nullptr);
        REQUIRE(v.ok());
        Workspace ws = open_workspace(open_vault_db(**v));
        for (int i = 0; i < 5; i++) add_customer(ws, "宁波海川贸易有限公司" + std::to_string(i), "1381234560" + std::to_string(i));
    }
    int failures = 0, successes = 0;
    for (int step = 0; step < 60 && successes == 0; step++) {
        const MemoryPageStore before = store;
        bool reported_saved = false;
        {
            auto v = unlock(store, "pw");
            Workspace ws = open_workspace(open_vault_db(*v));
            const int64_t n = count(ws.db(), "SELECT count(*) FROM customers");
            store.fail_after = step;
            auto id = create_customer(ws, {{"kind", "enterprise"}, {"name", "故障注入测试有限公司"}, {"industry", "C"},
                                           {"source", "website"}, {"status", "potential"}, {"owner", "张伟"}},
                                      {{{"name", "王强"}, {"mobile", "13900001111"}}});
            store.fail_after = -1;
            reported_saved = id.ok();
            // The open workspace stays consistent either way.
            CHECK(count(ws.db(), "SELECT count(*) FROM customers") == n + (reported_saved ? 1 : 0));
            CHECK(integrity(ws.db()) == "ok");
        }
        auto v = unlock(store, "pw");
        Db db = open_vault_db(*v);
        CHECK(integrity(db) == "ok");
        const int64_t customers = count(db, "SELECT count(*) FROM customers");
        if (reported_saved) {
            ++successes;
            CHECK(customers == 6);
        } else {
            ++failures;
            CHECK(customers == 5);
            CHECK(store.meta == before.meta);
            CHECK(store.pages == before.pages);
        }
    }
    CHECK(failures >= 3);  // the commit has several steps, each failed once
    CHECK(successes == 1);
}

TEST_CASE("vault: opening a slice of pages at a time gives the same database; a bad page stops it for good") {
    MemoryPageStore store;
    {
        auto v = Vault::create(store, "pw", nullptr);
        REQUIRE(v.ok());
        Db db = open_vault_db(**v);
        REQUIRE(db.exec("CREATE TABLE t(v); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 200) INSERT INTO t SELECT randomblob(100) || i FROM n").ok());
    }
    const MemoryPageStore good = store;
    const uint32_t pages = static_cast<uint32_t>(good.pages.size());
    REQUIRE(pages > 6);

    auto v = unlock(store, "pw");
    CHECK(v->page_count() == pages);
    CHECK(v->pages_read() == 0);
    REQUIRE(v->read_pages(2).ok());
    CHECK(v->pages_read() == 2);
    REQUIRE(v->read_pages(2).ok());  // nothing new to read
    REQUIRE(v->read_pages(5).ok());
    CHECK(v->pages_read() == 5);
    Db db = open_vault_db(*v);  // reads the rest
    CHECK(v->pages_read() == pages);
    CHECK(count(db, "SELECT count(*) FROM t") == 200);
    CHECK(integrity(db) == "ok");

    store = good;
    store.pages[pages][60] ^= 1;  // the last page
    auto bad = unlock(store, "pw");
    REQUIRE(bad->read_pages(3).ok());
    Status s = bad->read_pages(pages);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().detail == "page " + std::to_string(pages));
    auto again = bad->open_db();  // the same error, never a half-read database
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "err.vault.tampered");
    CHECK(again.error().detail == "page " + std::to_string(pages));

    store = good;
    store.pages[pages + 1] = good.pages.at(1);  // a page beyond the count
    auto stray = unlock(store, "pw")->open_db();
    REQUIRE_FALSE(stray.ok());
    CHECK(stray.error().detail.find("should not exist") != std::string::npos);
}
