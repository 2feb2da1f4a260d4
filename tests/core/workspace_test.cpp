// core/workspace: the one write path (validation, row, history, changes, tombstones,
// rollback on any error, the customer-level contact rule, persistence of device info).
#include "data_fixture.h"

#include "core/ids.h"
#include "core/picklists.h"

using namespace crm;
using testfx::count;
using testfx::msg;

TEST_CASE("workspace: create writes the row, one 'created' history row and one change holding every field") {
    testfx::Fx fx;
    int64_t h0 = count(fx.ws, "SELECT count(*) FROM history");
    auto id = create_customer(fx.ws, testfx::enterprise(), testfx::one_contact());
    REQUIRE_MESSAGE(id.ok(), msg(id.error()));
    auto c = get_customer(fx.ws, *id);
    REQUIRE(c.ok());
    CHECK(c->name == "杭州云帆科技有限公司");
    CHECK(c->created_at == "2023-10-09T02:00:00Z");
    CHECK(c->updated_at == "2023-10-09T02:00:00Z");
    CHECK(c->created_by == "张伟");
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE tbl = 'customers' AND record_id = '" + *id +
                           "' AND field = 'created' AND new = '" + c->number + "'") == 1);
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE tbl = 'customers' AND record_id = '" + *id + "'") == 1);
    // One change, without a value: sync sends the row itself.
    auto change = query_rows(fx.ws.db(), "SELECT field, value FROM changes WHERE tbl = 'customers' AND record_id = ?", {*id});
    REQUIRE(change.ok());
    REQUIRE(change->size() == 1);
    CHECK(value((*change)[0], "field") == kCreatedChange);
    CHECK_FALSE((*change)[0].at("value").has_value());
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE old IS NOT NULL") == 0);
    CHECK(count(fx.ws, "SELECT count(*) FROM history") > h0);
    // One HLC stamp per edit (customer, contact, status_history), stamps distinct per edit.
    CHECK(count(fx.ws, "SELECT count(DISTINCT hlc) FROM changes") == 3);
    CHECK(count(fx.ws, "SELECT count(DISTINCT hlc || tbl || record_id || field) FROM changes") ==
          count(fx.ws, "SELECT count(*) FROM changes"));
    CHECK(count(fx.ws, "SELECT count(*) FROM changes WHERE device <> '00000000000000a1'") == 0);
}

TEST_CASE("workspace: update writes only changed fields, old -> new, and bumps updated_at") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    fx.clock->advance_ms(60'000);
    int64_t h0 = count(fx.ws, "SELECT count(*) FROM history");
    int64_t c0 = count(fx.ws, "SELECT count(*) FROM changes");
    auto r = fx.ws.apply({Edit::Update, "customers", id,
                          {{"name", "杭州云帆科技有限公司"}, {"needs", "ERP 升级"}, {"owner", "张伟"}}});
    REQUIRE_MESSAGE(r.ok(), msg(r.error()));
    CHECK(count(fx.ws, "SELECT count(*) FROM history") == h0 + 1);
    CHECK(count(fx.ws, "SELECT count(*) FROM changes") == c0 + 1);
    auto h = customer_history(fx.ws, id);
    REQUIRE(h.ok());
    CHECK(h->front().field == "needs");
    CHECK_FALSE(h->front().old_value.has_value());
    CHECK(h->front().new_value == std::optional<std::string>("ERP 升级"));
    CHECK(h->front().at == "2023-10-09T02:01:00Z");
    CHECK(get_customer(fx.ws, id)->updated_at == "2023-10-09T02:01:00Z");

    // Nothing changed: nothing written, updated_at untouched.
    fx.clock->advance_ms(60'000);
    REQUIRE(fx.ws.apply({Edit::Update, "customers", id, {{"needs", "ERP 升级"}}}).ok());
    CHECK(count(fx.ws, "SELECT count(*) FROM history") == h0 + 1);
    CHECK(get_customer(fx.ws, id)->updated_at == "2023-10-09T02:01:00Z");

    // Clearing an optional field records old -> NULL.
    REQUIRE(fx.ws.apply({Edit::Update, "customers", id, {{"needs", ""}}}).ok());
    h = customer_history(fx.ws, id);
    CHECK(h->front().old_value == std::optional<std::string>("ERP 升级"));
    CHECK_FALSE(h->front().new_value.has_value());
}

TEST_CASE("workspace: invalid input is refused and nothing is written") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    int64_t h0 = count(fx.ws, "SELECT count(*) FROM history");
    int64_t c0 = count(fx.ws, "SELECT count(*) FROM changes");
    int64_t k0 = count(fx.ws, "SELECT count(*) FROM contacts");

    auto bad_mobile = fx.ws.apply({Edit::Create, "contacts", "", {{"customer_id", id}, {"name", "王强"}, {"mobile", "12345"}}});
    REQUIRE_FALSE(bad_mobile.ok());
    CHECK(bad_mobile.error().field == "field.contacts.mobile");

    auto bad_enum = fx.ws.apply({Edit::Update, "customers", id, {{"source", "carrier_pigeon"}}});
    REQUIRE_FALSE(bad_enum.ok());
    CHECK(bad_enum.error().field == "field.customers.source");

    auto unknown = fx.ws.apply({Edit::Update, "customers", id, {{"shoe_size", "42"}}});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "err.schema.unknown_field");
    CHECK(fx.ws.apply({Edit::Create, "nope", "", {}}).error().code == "err.schema.unknown_table");

    auto clear_required = fx.ws.apply({Edit::Update, "customers", id, {{"owner", "  "}}});
    REQUIRE_FALSE(clear_required.ok());
    CHECK(clear_required.error().code == "err.required");
    CHECK(clear_required.error().field == "field.customers.owner");

    auto dangling = fx.ws.apply({Edit::Create, "contacts", "", {{"customer_id", "no-such"}, {"name", "王强"}, {"mobile", "13912345678"}}});
    REQUIRE_FALSE(dangling.ok());
    CHECK(dangling.error().code == "err.record.ref_missing");

    CHECK(count(fx.ws, "SELECT count(*) FROM history") == h0);
    CHECK(count(fx.ws, "SELECT count(*) FROM changes") == c0);
    CHECK(count(fx.ws, "SELECT count(*) FROM contacts") == k0);
}

TEST_CASE("workspace: required fields on create, industry only for enterprises") {
    testfx::Fx fx;
    auto fields = testfx::enterprise();
    fields.erase(fields.begin() + 4);  // status
    auto no_status = create_customer(fx.ws, fields, testfx::one_contact());
    REQUIRE_FALSE(no_status.ok());
    CHECK(no_status.error().code == "err.required");
    CHECK(no_status.error().field == "field.customers.status");

    auto no_industry = create_customer(fx.ws,
        {{"kind", "enterprise"}, {"name", "宁波海川贸易有限公司"}, {"source", "referral"},
         {"status", "potential"}, {"owner", "张伟"}},
        testfx::one_contact());
    REQUIRE_FALSE(no_industry.ok());
    CHECK(no_industry.error().field == "field.customers.industry");

    auto person = create_customer(fx.ws,
        {{"kind", "personal"}, {"name", "陈晓明"}, {"source", "referral"}, {"status", "potential"}, {"owner", "张伟"}},
        {{{"mobile", "13712345678"}}});
    REQUIRE_MESSAGE(person.ok(), msg(person.error()));
    auto contacts = list_contacts(fx.ws, *person);
    REQUIRE(contacts->size() == 1);
    CHECK(contacts->front().name == "陈晓明");  // a person is their own contact
    CHECK(count(fx.ws, "SELECT count(*) FROM customers") == 1);  // failed creates left nothing
    CHECK(count(fx.ws, "SELECT count(*) FROM status_history") == 1);
}

TEST_CASE("workspace: a customer needs at least one contact method") {
    testfx::Fx fx;
    auto none = create_customer(fx.ws, testfx::enterprise(), {{{"name", "李娜"}, {"title", "经理"}}});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "err.customer.contact_method_required");
    auto no_contacts = create_customer(fx.ws, testfx::enterprise(), {});
    CHECK(no_contacts.error().code == "err.customer.contact_method_required");
    CHECK(count(fx.ws, "SELECT count(*) FROM customers") == 0);

    auto email_only = create_customer(fx.ws, testfx::enterprise(), {{{"name", "李娜"}, {"email", "lina@example.com"}}});
    REQUIRE_MESSAGE(email_only.ok(), msg(email_only.error()));
    // Removing the only contact method is refused; adding another first makes it fine.
    auto contacts = list_contacts(fx.ws, *email_only);
    std::string only = contacts->front().id;
    auto del = delete_contact(fx.ws, only);
    REQUIRE_FALSE(del.ok());
    CHECK(del.error().code == "err.customer.contact_method_required");
    REQUIRE(add_contact(fx.ws, *email_only, {{"name", "周杰"}, {"landline", "0571-88886666"}}).ok());
    CHECK(delete_contact(fx.ws, only).ok());
    CHECK(list_contacts(fx.ws, *email_only)->size() == 1);
}

TEST_CASE("workspace: delete is a tombstone recorded like any change") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    REQUIRE(delete_customer(fx.ws, id).ok());
    CHECK(count(fx.ws, "SELECT deleted FROM customers WHERE id = '" + id + "'") == 1);
    CHECK(get_customer(fx.ws, id).error().code == "err.record.not_found");
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE record_id = '" + id + "' AND field = 'deleted' AND old = '0' AND new = '1'") == 1);
    CHECK(count(fx.ws, "SELECT count(*) FROM changes WHERE record_id = '" + id + "' AND field = 'deleted' AND value = '1'") == 1);
    CHECK(delete_customer(fx.ws, id).error().code == "err.record.not_found");
    CHECK(fx.ws.apply({Edit::Update, "customers", id, {{"needs", "x"}}}).error().code == "err.record.not_found");
}

TEST_CASE("workspace: apply_all is all or nothing") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    int64_t h0 = count(fx.ws, "SELECT count(*) FROM history");
    auto s = fx.ws.apply_all({
        {Edit::Update, "customers", id, {{"needs", "CRM"}}},
        {Edit::Create, "contacts", "", {{"customer_id", id}, {"name", "王强"}, {"email", "not-an-email"}}},
    });
    REQUIRE_FALSE(s.ok());
    CHECK(get_customer(fx.ws, id)->needs.empty());
    CHECK(count(fx.ws, "SELECT count(*) FROM history") == h0);
}

TEST_CASE("workspace: input is normalized before validation and storage") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    // full-width digits and surrounding spaces, as typed with a Chinese IME
    auto k = add_contact(fx.ws, id, {{"name", "  王强 "}, {"mobile", "１３９１２３４５６７８"}});
    REQUIRE_MESSAGE(k.ok(), msg(k.error()));
    auto contacts = list_contacts(fx.ws, id);
    bool found = false;
    for (const Contact& c : *contacts)
        if (c.id == *k) {
            found = true;
            CHECK(c.name == "王强");
            CHECK(c.mobile == "13912345678");
        }
    CHECK(found);
}

TEST_CASE("workspace: child changes bump the customer's updated_at") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    fx.clock->set(*parse_iso_ms("2023-10-10T08:00:00Z"));
    REQUIRE(add_contact(fx.ws, id, {{"name", "王强"}, {"mobile", "13912345678"}}).ok());
    CHECK(get_customer(fx.ws, id)->updated_at == "2023-10-10T08:00:00Z");
}

TEST_CASE("workspace: device id, code and counters persist across opens") {
    const std::string uri = "file:/workspace_test_reopen?vfs=memdb";
    auto clock = std::make_shared<FixedClock>("2023-10-09T02:00:00Z");
    auto db1 = store::Db::open(uri);
    REQUIRE(db1.ok());
    auto ws1 = Workspace::open(std::move(*db1), {"00000000000000b2", "07", "张伟"}, clock);
    REQUIRE(ws1.ok());
    std::string first = testfx::make_customer(*ws1);
    auto db2 = store::Db::open(uri);
    REQUIRE(db2.ok());
    auto ws2 = Workspace::open(std::move(*db2), {"", "", "李娜"}, clock);
    REQUIRE(ws2.ok());
    CHECK(ws2->device().device_id == "00000000000000b2");
    CHECK(ws2->device().device_code == "07");
    std::string second = testfx::make_customer(*ws2, "宁波海川贸易有限公司", "13912345678");
    CHECK(first != second);
    CHECK(get_customer(*ws2, second)->number == "CX202310070002");
    // The HLC resumes after the last stamp even when the clock went back.
    std::string last_before;
    {
        auto st = ws2->db().prepare("SELECT max(hlc) FROM changes");
        REQUIRE(st->step().ok());
        last_before = st->text(0);
    }
    clock->set(*parse_iso_ms("2023-10-01T00:00:00Z"));
    auto db3 = store::Db::open(uri);
    auto ws3 = Workspace::open(std::move(*db3), {"", "", "李娜"}, clock);
    REQUIRE(ws3.ok());
    REQUIRE(update_customer(*ws3, second, {{"needs", "报价"}}).ok());
    auto st = ws3->db().prepare("SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1");
    REQUIRE(st->step().ok());
    CHECK(st->text(0) > last_before);
}

TEST_CASE("workspace: counters bumped in a transaction are written when it ends; a failed nested one takes its bumps back") {
    testfx::Fx fx;
    const std::string key = customer_serial_key("202310", "01");
    std::string first, third;
    REQUIRE(fx.ws.transaction([&]() -> Status {
        first = testfx::make_customer(fx.ws);
        // Written once, at the end: inside, the stored value has not moved yet.
        CHECK_FALSE(fx.ws.setting(key)->has_value());
        // A nested transaction that creates a customer (bumping its counters), then fails.
        Status failed = fx.ws.transaction([&]() -> Status {
            auto id = create_customer(fx.ws, testfx::enterprise("宁波海川贸易有限公司"), testfx::one_contact("13912345678"));
            REQUIRE(id.ok());
            return make_error("err.db", {}, "refused later");
        });
        CHECK_FALSE(failed.ok());
        third = testfx::make_customer(fx.ws, "温州瓯江电器有限公司", "13711112222");
        return {};
    }));
    // The failed customer's number and ids are given again: no gap, no reuse of a live one.
    CHECK(get_customer(fx.ws, first)->number == "CX202310010001");
    CHECK(get_customer(fx.ws, third)->number == "CX202310010002");
    CHECK(**fx.ws.setting(key) == "2");
    CHECK(count(fx.ws, "SELECT count(*) FROM customers") == 2);
    // A transaction that fails as a whole leaves the stored counters as they were.
    CHECK_FALSE(fx.ws.transaction([&]() -> Status {
        testfx::make_customer(fx.ws, "嘉兴南湖纺织有限公司", "13722223333");
        return make_error("err.db", {}, "refused");
    }).ok());
    CHECK(**fx.ws.setting(key) == "2");
    std::string fourth = testfx::make_customer(fx.ws, "嘉兴南湖纺织有限公司", "13722223333");
    CHECK(get_customer(fx.ws, fourth)->number == "CX202310010003");
}

TEST_CASE("workspace: a fresh workspace gets a random valid device id and code 01") {
    auto ws = Workspace::open_memory({}, std::make_shared<FixedClock>("2023-10-09T02:00:00Z"));
    REQUIRE(ws.ok());
    CHECK(is_valid_device_id(ws->device().device_id));
    CHECK(ws->device().device_code == "01");
    auto bad = Workspace::open_memory({"", "1", ""}, nullptr);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "err.device.code_format");
}

TEST_CASE("schema: metadata matches the tables, picklists and label keys") {
    testfx::Fx fx;
    for (const TableMeta& t : tables()) {
        auto cols = query_rows(fx.ws.db(), "SELECT name FROM pragma_table_info(?)", {t.name});
        REQUIRE(cols.ok());
        std::set<std::string> names;
        for (const Row& r : *cols) names.insert(value(r, "name"));
        CHECK_MESSAGE(names.count("id"), t.name);
        CHECK_MESSAGE(names.count("deleted"), t.name);
        for (const FieldMeta& f : t.fields) {
            CHECK_MESSAGE(names.count(f.name), (t.name + "." + f.name));
            CHECK(f.label_key == "field." + t.name + "." + f.name);
            if (f.kind == FieldKind::Enum) CHECK_MESSAGE(!picklist(f.picklist).empty(), f.picklist);
            if (f.kind == FieldKind::Ref) CHECK(table_meta(f.ref_table) != nullptr);
        }
    }
    const TableMeta* c = table_meta("customers");
    REQUIRE(c);
    std::set<std::string> required;
    for (const FieldMeta& f : c->fields)
        if (f.required) required.insert(f.name);
    CHECK(required == std::set<std::string>{"kind", "name", "source", "status", "owner"});
    CHECK_FALSE(c->field("number")->editable);
    CHECK(c->field("name")->editable);
    CHECK(c->field("industry")->picklist == "industry");
    CHECK(table_meta("history") == nullptr);  // the logs are not written through apply()
}
