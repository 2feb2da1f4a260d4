// core/customers, consent and key dates: creation with number and initial status,
// status changes that need a reason, the history timeline, lists, consents, key dates.
#include "data_fixture.h"

#include <algorithm>

#include "core/consent.h"
#include "core/key_dates.h"

using namespace crm;
using testfx::count;
using testfx::msg;

TEST_CASE("customers: create assigns the number and records the initial status") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    auto c = get_customer(fx.ws, id);
    REQUIRE(c.ok());
    CHECK(c->number == "CX202310010001");
    CHECK(c->status == "potential");
    auto sh = status_history(fx.ws, id);
    REQUIRE(sh->size() == 1);
    CHECK(sh->front().from_status.empty());
    CHECK(sh->front().to_status == "potential");
    CHECK(sh->front().actor == "张伟");
    auto contacts = list_contacts(fx.ws, id);
    REQUIRE(contacts->size() == 1);
    CHECK(contacts->front().mobile == "13812345678");
    CHECK(contacts->front().is_key);
    auto found = find_customer_by_number(fx.ws, "CX202310010001");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->id == id);
}

TEST_CASE("customers: an imported created_at decides the number's month") {
    testfx::Fx fx;
    auto f = testfx::enterprise();
    f.push_back({"created_at", "2022-03-15T10:00:00Z"});
    auto id = create_customer(fx.ws, f, testfx::one_contact(), "import");
    REQUIRE_MESSAGE(id.ok(), msg(id.error()));
    CHECK(get_customer(fx.ws, *id)->number == "CX202203010001");
    CHECK(get_customer(fx.ws, *id)->created_at == "2022-03-15T10:00:00Z");
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE origin = 'import'") > 0);
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE origin <> 'import'") == 0);
}

TEST_CASE("customers: a status change without a reason is refused") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    int64_t h0 = count(fx.ws, "SELECT count(*) FROM history");
    auto s = change_status(fx.ws, id, "intent", "");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "err.status.reason_required");
    CHECK(change_status(fx.ws, id, "intent", "　 ").error().code == "err.status.reason_required");  // ideographic space
    CHECK(get_customer(fx.ws, id)->status == "potential");
    CHECK(count(fx.ws, "SELECT count(*) FROM history") == h0);
    CHECK(status_history(fx.ws, id)->size() == 1);
    // Not through update_customer either.
    CHECK(update_customer(fx.ws, id, {{"status", "won"}}).error().code == "err.status.use_change_status");
}

TEST_CASE("customers: a status change with a reason is recorded in both histories") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    fx.clock->advance_ms(3'600'000);
    REQUIRE(change_status(fx.ws, id, "intent", "客户确认采购预算").ok());
    fx.clock->advance_ms(3'600'000);
    REQUIRE(change_status(fx.ws, id, "won", "合同已签").ok());
    CHECK(get_customer(fx.ws, id)->status == "won");
    auto sh = status_history(fx.ws, id);
    REQUIRE(sh->size() == 3);
    CHECK(sh->at(0).from_status == "intent");
    CHECK(sh->at(0).to_status == "won");
    CHECK(sh->at(0).reason == "合同已签");
    CHECK(sh->at(0).at == "2023-10-09T04:00:00Z");
    CHECK(sh->at(1).reason == "客户确认采购预算");
    auto h = customer_history(fx.ws, id);
    bool status_logged = false;
    for (const HistoryEntry& e : *h)
        if (e.table == "customers" && e.field == "status" && e.old_value == std::optional<std::string>("intent"))
            status_logged = e.new_value == std::optional<std::string>("won");
    CHECK(status_logged);
    CHECK(change_status(fx.ws, id, "won", "again").error().code == "err.status.unchanged");
    CHECK(change_status(fx.ws, id, "bogus", "x").ok() == false);
}

TEST_CASE("customers: update refuses system fields and keeps a newest-first timeline") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    CHECK(update_customer(fx.ws, id, {{"number", "CX999"}}).error().code == "err.field.read_only");
    CHECK(update_customer(fx.ws, id, {{"created_at", "2020-01-01T00:00:00Z"}}).error().code == "err.field.read_only");
    fx.clock->advance_ms(1000);
    REQUIRE(update_customer(fx.ws, id, {{"city", "杭州"}}).ok());
    fx.clock->advance_ms(1000);
    auto k = add_contact(fx.ws, id, {{"name", "王强"}, {"email", "wq@example.com"}});
    REQUIRE(k.ok());
    auto h = customer_history(fx.ws, id);
    REQUIRE(h.ok());
    REQUIRE(h->size() > 3);
    CHECK(h->front().table == "contacts");  // newest first
    CHECK(h->front().at == "2023-10-09T02:00:02Z");
    for (size_t i = 1; i < h->size(); ++i) CHECK(h->at(i - 1).seq > h->at(i).seq);
    bool city = false;
    for (const HistoryEntry& e : *h) city = city || (e.field == "city" && e.new_value == std::optional<std::string>("杭州"));
    CHECK(city);
}

TEST_CASE("consent: record, check and withdraw (PIPL)") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    auto c = record_consent(fx.ws, id, {"marketing", "online", "2023-10-09", "短信与邮件营销", false});
    REQUIRE_MESSAGE(c.ok(), msg(c.error()));
    auto s = record_consent(fx.ws, id, {"service", "paper", "2023-10-09", "身份证件信息", true});
    REQUIRE(s.ok());
    CHECK(*has_consent(fx.ws, id, "marketing"));
    CHECK_FALSE(*has_consent(fx.ws, id, "marketing", true));
    CHECK(*has_consent(fx.ws, id, "service", true));
    CHECK(withdraw_consent(fx.ws, *c, "2023-10-01").error().code == "err.consent.withdraw_before_given");
    REQUIRE(withdraw_consent(fx.ws, *c, "2023-10-20").ok());
    CHECK_FALSE(*has_consent(fx.ws, id, "marketing"));
    CHECK(withdraw_consent(fx.ws, *c, "2023-10-21").error().code == "err.consent.already_withdrawn");
    auto all = list_consents(fx.ws, id);
    REQUIRE(all->size() == 2);  // withdrawal is recorded, never erased
    CHECK(record_consent(fx.ws, id, {"", "online", "2023-10-09", "", false}).error().code == "err.required");
}

TEST_CASE("key dates: yearly and one-off dates, lead days, upcoming list") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    REQUIRE(add_key_date(fx.ws, id, "birthday", "1980-10-20", 3, "董事长生日").ok());
    REQUIRE(add_key_date(fx.ws, id, "renewal", "2023-12-01", 45, "年度续约").ok());
    REQUIRE(add_key_date(fx.ws, id, "contract_signed", "2023-01-05", 0).ok());  // past, one-off
    REQUIRE(add_key_date(fx.ws, id, "anniversary", "2016-02-29", 0).ok());
    CHECK(add_key_date(fx.ws, id, "holiday", "2023-12-01", 0).ok() == false);
    CHECK(add_key_date(fx.ws, id, "renewal", "2023-12-01", -1).error().code == "err.number.negative");

    auto up = upcoming_key_dates(fx.ws, "2023-10-09", 14);
    REQUIRE(up.ok());
    REQUIRE(up->size() == 1);
    CHECK(up->front().key_date.kind == "birthday");
    CHECK(up->front().occurs_on == "2023-10-20");
    CHECK(up->front().days_left == 11);
    CHECK(up->front().customer_number == "CX202310010001");

    // The renewal's 45-day reminder window opens on 2023-10-17.
    up = upcoming_key_dates(fx.ws, "2023-10-17", 7);
    REQUIRE(up->size() == 2);
    CHECK(up->at(0).occurs_on == "2023-10-20");
    CHECK(up->at(1).occurs_on == "2023-12-01");

    // After this year's birthday the next one is next year.
    up = upcoming_key_dates(fx.ws, "2023-10-21", 365);
    bool next_year = false;
    for (const auto& u : *up) next_year = next_year || u.occurs_on == "2024-10-20";
    CHECK(next_year);
    CHECK(format_date(*next_occurrence("anniversary", *parse_date("2016-02-29"), *parse_date("2023-01-01"))) == "2023-02-28");
    CHECK(format_date(*next_occurrence("anniversary", *parse_date("2016-02-29"), *parse_date("2024-01-01"))) == "2024-02-29");
    CHECK_FALSE(next_occurrence("contract_signed", *parse_date("2023-01-05"), *parse_date("2023-10-09")).has_value());
}

TEST_CASE("customers: a draft's problems all at once, before saving") {
    auto codes = [](const std::vector<Error>& errors) {
        std::vector<std::string> out;
        for (const Error& e : errors) out.push_back(e.code + " " + e.field);
        return out;
    };
    // Empty draft: every required field named.
    auto empty = codes(draft_errors("customers", {{"kind", "enterprise"}}));
    CHECK(std::find(empty.begin(), empty.end(), "err.required field.customers.name") != empty.end());
    CHECK(std::find(empty.begin(), empty.end(), "err.required field.customers.source") != empty.end());
    CHECK(std::find(empty.begin(), empty.end(), "err.required field.customers.industry") != empty.end());
    // Format errors and required ones together; a bad value is not also "required".
    auto mixed = codes(draft_errors("customers", {{"kind", "enterprise"}, {"name", "某某科技有限公司"},
                                                  {"source", "carrier pigeon"}, {"status", "potential"},
                                                  {"owner", "张伟"}, {"industry", "C"}, {"credit_code", "91350100M000100Y44"}}));
    CHECK(mixed == std::vector<std::string>{"err.enum.unknown field.customers.source",
                                            "err.credit_code.checksum field.customers.credit_code"});
    CHECK(draft_errors("customers", {{"kind", "enterprise"}, {"name", "某某科技有限公司"}, {"source", "website"},
                                     {"status", "potential"}, {"owner", "张伟"}, {"industry", "C"}})
              .empty());
    auto contact = codes(draft_errors("contacts", {{"name", "李娜"}, {"mobile", "1381234567"}}));
    CHECK(std::find(contact.begin(), contact.end(), "err.mobile.format field.contacts.mobile") != contact.end());
}

TEST_CASE("contacts: an edit writes the changed fields with history; bad values and the last method are refused") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    const std::string contact = list_contacts(fx.ws, id)->front().id;
    const int64_t before = fx.ws.change_count();

    REQUIRE(update_contact(fx.ws, contact, {{"title", "销售总监"}, {"email", "buyer@example.com"}}).ok());
    CHECK(fx.ws.change_count() > before);  // readers' caches see the write
    Contact c = list_contacts(fx.ws, id)->front();
    CHECK(c.title == "销售总监");
    CHECK(c.email == "buyer@example.com");
    auto history = customer_history(fx.ws, id);
    REQUIRE(history.ok());
    CHECK(history->front().table == "contacts");  // newest first
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE tbl = 'contacts' AND field IN ('title', 'email')") == 2);

    // Reads change nothing that a cache would have to notice.
    const int64_t after = fx.ws.change_count();
    REQUIRE(list_contacts(fx.ws, id).ok());
    REQUIRE(customer_history(fx.ws, id).ok());
    CHECK(fx.ws.change_count() == after);

    auto bad = update_contact(fx.ws, contact, {{"mobile", "12345"}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().field == "field.contacts.mobile");
    auto moved = update_contact(fx.ws, contact, {{"customer_id", testfx::make_customer(fx.ws, "宁波精工机械制造有限公司", "13912345678")}});
    CHECK_FALSE(moved.ok());  // a contact stays with its customer

    // Clearing both its mobile and e-mail would leave the customer unreachable.
    auto unreachable = update_contact(fx.ws, contact, {{"mobile", ""}, {"email", ""}});
    REQUIRE_FALSE(unreachable.ok());
    CHECK(unreachable.error().code == "err.customer.contact_method_required");
    CHECK(list_contacts(fx.ws, id)->front().mobile == "13812345678");  // nothing written
}
