// Workspace::apply_remote: per-field last-writer-wins, tombstones, idempotence, records
// created from fields in any order, history of what sync changed, derived data kept
// current, no outgoing changes, all-or-nothing on a bad message.
#include "sync_fixture.h"

#include <algorithm>
#include <random>

#include "core/search.h"
#include "store/migrate.h"

using namespace crm;
using syncfx::count;
using syncfx::msg;

namespace {
const char* kB = "00000000000000b0";
const char* kC = "00000000000000c0";

std::string stamp(int64_t ms_after_t0, const char* device, uint32_t counter = 0) {
    return HlcStamp{syncfx::t0() + ms_after_t0, counter, device}.str();
}

RemoteApplied apply_ok(Workspace& ws, const std::vector<RemoteChange>& cs, std::string actor = "王芳") {
    auto r = ws.apply_remote(cs, actor);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
    return *r;
}

std::string field_of(Workspace& ws, const std::string& table, const std::string& id, const std::string& field) {
    auto row = ws.read_row(table, id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return value(**row, field);
}

// A customer as another device's creation would send it: every field, one stamp.
std::vector<RemoteChange> remote_customer(const std::string& id, const std::string& number, const std::string& name,
                                          const std::string& hlc) {
    std::vector<RemoteChange> out;
    Row values = {{"number", number}, {"kind", "personal"}, {"name", name}, {"source", "website"},
                  {"status", "potential"}, {"owner", "王芳"}, {"created_at", "2024-03-01T08:00:00Z"},
                  {"created_by", "王芳"}};
    for (const FieldMeta& f : table_meta("customers")->fields) {
        if (f.name == "updated_at") continue;
        auto it = values.find(f.name);
        out.push_back({"customers", id, f.name, it == values.end() ? std::nullopt : it->second, hlc});
    }
    out.push_back({"customers", id, "deleted", "0", hlc});
    return out;
}

std::vector<RemoteChange> remote_contact(const std::string& id, const std::string& customer, const std::string& mobile,
                                         const std::string& hlc) {
    return {{"contacts", id, "customer_id", customer, hlc}, {"contacts", id, "name", "赵六", hlc},
            {"contacts", id, "mobile", mobile, hlc},        {"contacts", id, "is_key", "1", hlc},
            {"contacts", id, "deleted", "0", hlc}};
}
}  // namespace

TEST_CASE("apply_remote: the newer stamp wins per field, older ones are ignored, ties go to the higher device") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    const std::string created = value(query_rows(a->ws.db(), "SELECT hlc FROM changes WHERE record_id = ?", {id})->front(), "hlc");

    auto r = apply_ok(a->ws, {{"customers", id, "notes", "from b", stamp(1000, kB)}});
    CHECK(r.applied == 1);
    CHECK(field_of(a->ws, "customers", id, "notes") == "from b");
    r = apply_ok(a->ws, {{"customers", id, "notes", "older from c", stamp(500, kC)}});
    CHECK(r.stale == 1);
    CHECK(field_of(a->ws, "customers", id, "notes") == "from b");
    // Older than the record's creation: loses to the creation's stamp on every field.
    r = apply_ok(a->ws, {{"customers", id, "needs", "before creation", stamp(-1000, kC)}});
    CHECK(r.stale == 1);
    CHECK(field_of(a->ws, "customers", id, "needs") == "");
    CHECK(stamp(-1000, kC) < created);

    // The same millisecond and counter from two devices: the higher device id wins, in
    // either order of arrival.
    for (int order = 0; order < 2; ++order) {
        auto w = syncfx::make_device(1, syncfx::t0());
        std::string cid = syncfx::make_customer(w->ws, "李四", "13800000002");
        std::vector<RemoteChange> both = {{"customers", cid, "notes", "b wrote", stamp(5000, kB)},
                                          {"customers", cid, "notes", "c wrote", stamp(5000, kC)}};
        if (order) std::swap(both[0], both[1]);
        apply_ok(w->ws, {both[0]});
        apply_ok(w->ws, {both[1]});
        CHECK(field_of(w->ws, "customers", cid, "notes") == "c wrote");
    }
}

TEST_CASE("apply_remote: a local edit after seeing a remote value wins over it, even with a slower clock") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    // Another device's clock is 30 minutes ahead.
    apply_ok(a->ws, {{"customers", id, "notes", "from b", stamp(30 * 60000, kB)}});
    a->clock->advance_ms(1000);
    REQUIRE(update_customer(a->ws, id, {{"notes", "mine"}}).ok());
    auto mine = query_rows(a->ws.db(), "SELECT hlc FROM changes WHERE field = 'notes'");
    REQUIRE(mine->size() == 1);
    CHECK(value(mine->front(), "hlc") > stamp(30 * 60000, kB));
    CHECK(*a->ws.setting(kHlcSeenKey) == std::optional<std::string>(stamp(30 * 60000, kB)));
    // The remote value arriving again changes nothing.
    CHECK(apply_ok(a->ws, {{"customers", id, "notes", "from b", stamp(30 * 60000, kB)}}).stale == 1);
    CHECK(field_of(a->ws, "customers", id, "notes") == "mine");
}

TEST_CASE("apply_remote: what a remote write changed under a local edit stays in the history") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    a->clock->advance_ms(1000);
    REQUIRE(update_customer(a->ws, id, {{"notes", "mine"}}).ok());
    const int64_t changes = count(a->ws, "SELECT count(*) FROM changes");
    apply_ok(a->ws, {{"customers", id, "notes", "theirs", stamp(60000, kB)}}, "王芳");
    auto h = customer_history(a->ws, id);
    REQUIRE(h.ok());
    REQUIRE(!h->empty());
    const HistoryEntry& last = h->front();
    CHECK(last.origin == "sync");
    CHECK(last.field == "notes");
    CHECK(last.old_value == std::optional<std::string>("mine"));
    CHECK(last.new_value == std::optional<std::string>("theirs"));
    CHECK(last.actor == "王芳");
    CHECK(last.at == "2024-03-01T09:01:00Z");  // when it was written, on the writer's clock
    // Sync writes nothing this device would send on.
    CHECK(count(a->ws, "SELECT count(*) FROM changes") == changes);
    // updated_at follows the newest change seen.
    CHECK(field_of(a->ws, "customers", id, "updated_at") == "2024-03-01T09:01:00Z");
}

TEST_CASE("apply_remote: a record not seen yet is created from fields in any order; derived data follows") {
    auto a = syncfx::make_device(0, syncfx::t0());
    const std::string cust = std::string(kB) + "-1", contact = std::string(kB) + "-2";
    std::vector<RemoteChange> all = remote_customer(cust, "CX202403020001", "王五", stamp(0, kB));
    for (auto& c : remote_contact(contact, cust, "13912345678", stamp(0, kB))) all.push_back(c);
    all.push_back({"customers", cust, "notes", "later note", stamp(2000, kB)});
    std::mt19937 rng(7);
    std::shuffle(all.begin(), all.end(), rng);
    // The contact's fields first, in two batches: it exists before its customer does,
    // which local validation (references, contact method) would refuse.
    std::vector<RemoteChange> contact_first, rest;
    for (auto& c : all) (c.table == "contacts" ? contact_first : rest).push_back(c);
    apply_ok(a->ws, contact_first);
    CHECK(field_of(a->ws, "contacts", contact, "mobile") == "13912345678");
    apply_ok(a->ws, rest);

    auto c = get_customer(a->ws, cust);
    REQUIRE(c.ok());
    CHECK(c->name == "王五");
    CHECK(c->number == "CX202403020001");
    CHECK(c->notes == "later note");
    CHECK(c->updated_at == "2024-03-01T09:00:02Z");
    auto contacts = list_contacts(a->ws, cust);
    REQUIRE(contacts->size() == 1);
    CHECK(contacts->front().is_key);
    // Search, completeness and duplicate keys were refreshed in the same transaction.
    CHECK(search_customer_rowids(a->ws.db(), "王五")->size() == 1);
    CHECK(search_customer_rowids(a->ws.db(), "13912345678")->size() == 1);
    CHECK(count(a->ws, "SELECT count(*) FROM customer_facts f JOIN customers c ON c.rowid = f.customer_rowid "
                       "WHERE c.id = '" + cust + "'") == 1);
    // One "created" history row per record, no per-field rows for the creation.
    CHECK(count(a->ws, "SELECT count(*) FROM history WHERE record_id = '" + cust + "' AND field = 'created' "
                       "AND origin = 'sync' AND new = 'CX202403020001'") == 1);
    CHECK(count(a->ws, "SELECT count(*) FROM history WHERE record_id = '" + cust + "' AND field <> 'created'") == 0);
    CHECK(count(a->ws, "SELECT count(*) FROM changes") == 0);
    // Clocks: per field for a record that arrived in parts; a creation written whole by
    // one stamp needs one row for the record ('*').
    CHECK(count(a->ws, "SELECT count(*) FROM field_clocks WHERE record_id = '" + contact + "'") == 5);
    const std::string whole = std::string(kB) + "-3";
    apply_ok(a->ws, remote_customer(whole, "CX202403020002", "钱七", stamp(0, kB)));
    CHECK(count(a->ws, "SELECT count(*) FROM field_clocks WHERE record_id = '" + whole + "' AND field = '*'") == 1);
    CHECK(count(a->ws, "SELECT count(*) FROM field_clocks WHERE record_id = '" + whole + "'") == 1);
    CHECK(apply_ok(a->ws, {{"customers", whole, "name", "钱八", stamp(-1, kB)}}).stale == 1);
}

TEST_CASE("apply_remote: idempotent and independent of order") {
    const std::string cust = std::string(kB) + "-1", contact = std::string(kC) + "-5";
    std::vector<RemoteChange> all = remote_customer(cust, "CX202403020001", "王五", stamp(0, kB));
    for (auto& c : remote_contact(contact, cust, "13912345678", stamp(100, kC))) all.push_back(c);
    all.push_back({"customers", cust, "notes", "n1", stamp(2000, kB)});
    all.push_back({"customers", cust, "notes", "n2", stamp(2000, kC)});
    all.push_back({"customers", cust, "city", "杭州", stamp(1500, kC)});
    all.push_back({"contacts", contact, "mobile", "13900000000", stamp(900, kB)});
    all.push_back({"contacts", contact, "deleted", "1", stamp(3000, kB)});

    auto first = syncfx::make_device(0, syncfx::t0());
    apply_ok(first->ws, all);
    const std::string expect = syncfx::domain_dump(first->ws);
    const int64_t history = count(first->ws, "SELECT count(*) FROM history");
    CHECK(apply_ok(first->ws, all).applied == 0);  // twice: nothing new
    CHECK(count(first->ws, "SELECT count(*) FROM history") == history);
    CHECK(syncfx::domain_dump(first->ws) == expect);

    std::mt19937 rng(11);
    for (int trial = 0; trial < 8; ++trial) {
        auto other = syncfx::make_device(1 + trial, syncfx::t0());
        std::vector<RemoteChange> shuffled = all;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        // One at a time, in the shuffled order.
        for (const RemoteChange& c : shuffled) apply_ok(other->ws, {c});
        CHECK(syncfx::domain_dump(other->ws) == expect);
    }
    auto c = get_customer(first->ws, cust);
    CHECK(c->notes == "n2");
    CHECK(c->city == "杭州");
    CHECK(field_of(first->ws, "contacts", contact, "deleted") == "1");
    CHECK(field_of(first->ws, "contacts", contact, "mobile") == "13900000000");  // 900 ms beats the creation's 100
}

TEST_CASE("apply_remote: tombstones delete, an older undelete does not bring the record back") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    REQUIRE(search_customer_rowids(a->ws.db(), "张三")->size() == 1);
    apply_ok(a->ws, {{"customers", id, "deleted", "1", stamp(1000, kB)}});
    CHECK_FALSE(get_customer(a->ws, id).ok());
    CHECK(search_customer_rowids(a->ws.db(), "张三")->empty());
    apply_ok(a->ws, {{"customers", id, "deleted", "0", stamp(900, kC)}});
    CHECK_FALSE(get_customer(a->ws, id).ok());
    // A local edit of the deleted record is refused, as for any deleted record.
    CHECK_FALSE(update_customer(a->ws, id, {{"notes", "x"}}).ok());
}

TEST_CASE("apply_remote: one bad message and nothing of the batch is applied") {
    auto a = syncfx::make_device(0, syncfx::t0());
    const std::string cust = std::string(kB) + "-1";
    std::vector<RemoteChange> batch = remote_customer(cust, "CX202403020001", "王五", stamp(0, kB));
    for (auto [table, field, hlc] : {std::tuple{"customers", "no_such_field", stamp(0, kB)},
                                     std::tuple{"no_such_table", "name", stamp(0, kB)},
                                     std::tuple{"customers", "name", std::string("yesterday")},
                                     std::tuple{"customers", "id", stamp(0, kB)}}) {
        std::vector<RemoteChange> bad = batch;
        bad.push_back({table, cust, field, "x", hlc});
        auto r = a->ws.apply_remote(bad, "王芳");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "err.sync.bad_message");
        CHECK(r.error().detail.find(field) != std::string::npos);
        CHECK(count(a->ws, "SELECT count(*) FROM customers") == 0);
        CHECK(count(a->ws, "SELECT count(*) FROM field_clocks") == 0);
    }
}

TEST_CASE("apply_remote: a number another record holds is refused, naming it") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    const std::string number = get_customer(a->ws, id)->number;
    auto r = a->ws.apply_remote(remote_customer(std::string(kB) + "-1", number, "王五", stamp(0, kB)), "王芳");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.sync.number_taken");
    CHECK(r.error().params.front().second == number);
    CHECK(count(a->ws, "SELECT count(*) FROM customers") == 1);
}

TEST_CASE("field clocks: the write path stamps what it changes; migration v2 fills them from the change log") {
    auto a = syncfx::make_device(0, syncfx::t0());
    std::string id = syncfx::make_customer(a->ws, "张三", "13800000001");
    a->clock->advance_ms(1000);
    REQUIRE(update_customer(a->ws, id, {{"notes", "n"}}).ok());
    REQUIRE(delete_customer(a->ws, id).ok());
    CHECK(count(a->ws, "SELECT count(*) FROM field_clocks WHERE record_id = '" + id + "'") == 3);  // *, notes, deleted
    CHECK(count(a->ws, "SELECT count(*) FROM field_clocks c JOIN changes g ON g.tbl = c.tbl AND "
                       "g.record_id = c.record_id AND g.field = c.field AND g.hlc = c.hlc") ==
          count(a->ws, "SELECT count(*) FROM field_clocks"));

    auto db = store::Db::open_memory();
    REQUIRE(db.ok());
    REQUIRE(store::migrate(*db, {migrations()[0]}).ok());
    REQUIRE(db->exec("INSERT INTO changes(hlc, device, tbl, record_id, field, value) VALUES "
                     "('2024-01-01T00:00:00.000Z-0000-00000000000000a0', '00000000000000a0', 'customers', 'x', '*', NULL),"
                     "('2024-01-02T00:00:00.000Z-0000-00000000000000a0', '00000000000000a0', 'customers', 'x', 'notes', 'a'),"
                     "('2024-01-03T00:00:00.000Z-0000-00000000000000a0', '00000000000000a0', 'customers', 'x', 'notes', 'b')")
              .ok());
    REQUIRE(store::migrate(*db, migrations()).ok());
    CHECK(*store::user_version(*db) == static_cast<int>(migrations().size()));  // every later migration ran too
    CHECK(db->query_int("SELECT count(*) FROM field_clocks")->value_or(-1) == 2);
    auto st = db->prepare("SELECT hlc FROM field_clocks WHERE field = 'notes'");
    REQUIRE(st->step().value());
    CHECK(st->text(0).substr(0, 10) == "2024-01-03");
}
