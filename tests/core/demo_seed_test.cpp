// core/demo_seed: a DemoSet goes in through the write path, all or nothing.
#include "data_fixture.h"

#include "core/demo_seed.h"
#include "core/interactions.h"

using namespace crm;
using testfx::count;
using testfx::msg;

namespace {
DemoRecord rec(const char* table, std::vector<std::pair<std::string, std::string>> f) {
    return DemoRecord{table, std::move(f)};
}
DemoSet small_set() {
    DemoSet s;
    s.customers.push_back(rec("customers", {{"kind", "enterprise"}, {"name", "杭州云帆科技有限公司"}, {"industry", "I"},
                                            {"source", "website"}, {"status", "intent"}, {"owner", "张伟"},
                                            {"created_at", "2023-08-14T03:00:00Z"}}));
    s.customers.push_back(rec("customers", {{"kind", "personal"}, {"name", "陈晓明"}, {"source", "referral"},
                                            {"status", "potential"}, {"owner", "李娜"},
                                            {"created_at", "2023-09-02T03:00:00Z"}}));
    s.contacts.push_back(rec("contacts", {{"customer_ref", "0"}, {"name", "李娜"}, {"mobile", "13812345678"}, {"is_key", "1"}}));
    s.contacts.push_back(rec("contacts", {{"customer_ref", "0"}, {"name", "王强"}, {"email", "wq@example.com"}}));
    s.contacts.push_back(rec("contacts", {{"customer_ref", "1"}, {"mobile", "13912345678"}}));
    s.interactions.push_back(rec("interactions", {{"customer_ref", "0"}, {"at", "2023-08-15T02:00:00Z"},
                                                  {"method", "phone"}, {"summary", "初次沟通"}}));
    s.interactions.push_back(rec("interactions", {{"customer_ref", "0"}, {"at", "2023-09-01T02:00:00Z"},
                                                  {"method", "visit"}, {"summary", "上门拜访"}, {"next_action", "发报价"},
                                                  {"next_action_owner", "张伟"}, {"next_action_due", "2023-10-09"}}));
    return s;
}
}  // namespace

TEST_CASE("demo seed: records, numbers and history arrive through the write path") {
    testfx::Fx fx;
    auto counts = seed_demo_counted(fx.ws, small_set());
    REQUIRE_MESSAGE(counts.ok(), msg(counts.error()));
    CHECK(counts->customers == 2);
    CHECK(counts->contacts == 3);
    CHECK(counts->interactions == 2);
    auto a = find_customer_by_number(fx.ws, "CX202308010001");
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    CHECK((*a)->name == "杭州云帆科技有限公司");
    CHECK(list_contacts(fx.ws, (*a)->id)->size() == 2);
    auto b = find_customer_by_number(fx.ws, "CX202309010001");
    REQUIRE(b->has_value());
    CHECK(list_contacts(fx.ws, (**b).id)->front().name == "陈晓明");
    auto list = list_interactions(fx.ws, (*a)->id);
    REQUIRE(list->size() == 2);
    CHECK(list->at(0).number == "HD202308010001-01002");
    CHECK_FALSE(list->at(0).late);  // demo entries count as entered on time
    CHECK(due_next_actions(fx.ws, "张伟", "2023-10-09", 10)->total == 1);
    CHECK(count(fx.ws, "SELECT count(*) FROM history WHERE origin <> 'import'") == 0);
    CHECK(count(fx.ws, "SELECT count(*) FROM changes") == count(fx.ws, "SELECT count(*) FROM history"));
}

TEST_CASE("demo seed: one bad record leaves nothing behind") {
    testfx::Fx fx;
    DemoSet s = small_set();
    s.interactions.push_back(rec("interactions", {{"customer_ref", "1"}, {"method", "phone"}}));  // no summary
    auto r = seed_demo_counted(fx.ws, s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "field.interactions.summary");
    CHECK(r.error().detail.find("interactions[2]") == 0);
    CHECK(count(fx.ws, "SELECT count(*) FROM customers") == 0);
    CHECK(count(fx.ws, "SELECT count(*) FROM history") == 0);

    DemoSet dangling = small_set();
    dangling.contacts.push_back(rec("contacts", {{"customer_ref", "7"}, {"mobile", "13712345678"}}));
    CHECK(seed_demo(fx.ws, dangling).error().code == "err.record.ref_missing");
}

TEST_CASE("demo seed: the generated demo set loads completely") {
    testfx::Fx fx;
    DemoSet set = make_demo_set(42, 60, 3, "2023-10-09");
    auto r = seed_demo_counted(fx.ws, set);
    REQUIRE_MESSAGE(r.ok(), msg(r.error()));
    CHECK(r->customers == set.customers.size());
    CHECK(r->interactions == set.interactions.size());
    CHECK(count(fx.ws, "SELECT count(*) FROM customers WHERE deleted = 0") == static_cast<int64_t>(set.customers.size()));
    CHECK(count(fx.ws, "SELECT count(*) FROM contacts") == static_cast<int64_t>(set.contacts.size()));
    // Key dates and consents of a few customers, through the write path too.
    CHECK(set.key_dates.size() >= 12);  // every 5th of 60 customers, some with a renewal
    CHECK(set.consents.size() == 12);   // every 5th
    CHECK(r->key_dates == set.key_dates.size());
    CHECK(r->consents == set.consents.size());
    CHECK(count(fx.ws, "SELECT count(*) FROM key_dates") == static_cast<int64_t>(set.key_dates.size()));
    CHECK(count(fx.ws, "SELECT count(*) FROM consents WHERE withdrawn_on IS NOT NULL") == 4);  // every 15th
    CHECK(count(fx.ws, "SELECT count(*) FROM consents WHERE sensitive = 1") == 6);              // every 10th
    CHECK(count(fx.ws, "SELECT count(*) FROM key_dates k JOIN customers c ON c.id = k.customer_id "
                       "WHERE (k.kind = 'birthday') <> (c.kind = 'personal')") == 0);
}

TEST_CASE("demo: key dates and consents are the same for the same seed, on every 5th customer") {
    DemoSet set = make_demo_set(42, 60, 3, "2023-10-09");
    DemoSet again = make_demo_set(42, 60, 3, "2023-10-09");
    CHECK(again.key_dates.size() == set.key_dates.size());
    for (size_t i = 0; i < set.key_dates.size(); ++i) CHECK(again.key_dates[i].get("date") == set.key_dates[i].get("date"));
    for (const DemoRecord& k : set.key_dates) CHECK(std::stoul(k.get("customer_ref")) % 5 == 0);
    for (const DemoRecord& k : set.consents) CHECK(std::stoul(k.get("customer_ref")) % 5 == 0);
}
