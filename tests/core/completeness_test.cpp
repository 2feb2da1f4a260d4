// core/completeness: weighted score, complete / to_be_completed, the "information pending"
// flag after 3 working days, and the team rate — with concrete dates.
#include "data_fixture.h"

#include "core/completeness.h"

using namespace crm;
using testfx::msg;

namespace {
Customer minimal_enterprise() {
    Customer c;
    c.kind = "enterprise";
    c.name = "杭州云帆科技有限公司";
    c.industry = "I";
    c.source = "website";
    c.status = "potential";
    c.owner = "张伟";
    c.created_at = "2023-10-06T09:00:00Z";  // a Friday
    return c;
}
Customer full_enterprise() {
    Customer c = minimal_enterprise();
    c.credit_code = "91350100M000100Y43";
    c.size_band = "medium";
    c.enterprise_type = "private";
    c.province = "浙江省";
    c.city = "杭州市";
    c.address = "西湖区文三路 100 号";
    c.intent = "high";
    c.needs = "ERP";
    c.budget = "500000";
    c.expected_close_date = "2023-12-31";
    return c;
}
Contact key_contact() {
    Contact k;
    k.name = "李娜";
    k.mobile = "13812345678";
    k.is_key = true;
    return k;
}
}  // namespace

TEST_CASE("completeness: weighted score and missing items") {
    Completeness none = completeness_of(minimal_enterprise(), {}, "2023-10-06");
    CHECK(none.score == 25);  // name 10 + industry 10 + source 5
    Completeness with_contact = completeness_of(minimal_enterprise(), {key_contact()}, "2023-10-06");
    CHECK(with_contact.score == 40);  // + key contact 5 + mobile 10
    CHECK_FALSE(with_contact.complete);
    CHECK(std::string(with_contact.state()) == "to_be_completed");
    CHECK(std::find(with_contact.missing.begin(), with_contact.missing.end(), "field.customers.credit_code") !=
          with_contact.missing.end());
    Completeness full = completeness_of(full_enterprise(), {key_contact()}, "2023-10-06");
    CHECK(full.score == 100);
    CHECK(full.complete);
    CHECK(full.missing.empty());
    CHECK(std::string(full.state()) == "complete");
    // A contact without is_key costs the key-contact item only.
    Contact plain = key_contact();
    plain.is_key = false;
    CHECK(completeness_of(full_enterprise(), {plain}, "2023-10-06").score == 95);
    // Address counts only when province, city and street are all there.
    Customer partial = full_enterprise();
    partial.address.clear();
    CHECK(completeness_of(partial, {key_contact()}, "2023-10-06").score == 90);
}

TEST_CASE("completeness: personal customers use their own weights") {
    Customer p;
    p.kind = "personal";
    p.name = "陈晓明";
    p.source = "referral";
    p.created_at = "2023-10-09T09:00:00Z";
    CHECK(completeness_of(p, {key_contact()}, "2023-10-09").score == 30);  // 10 + 5 + 15
    p.occupation = "教师";
    p.age_band = "35_44";
    p.province = "浙江省";
    p.city = "杭州市";
    p.address = "拱墅区";
    p.intent = "medium";
    p.needs = "家庭保险";
    p.budget = "20000";
    p.expected_close_date = "2023-11-30";
    p.first_contact_date = "2023-10-08";
    CHECK(completeness_of(p, {key_contact()}, "2023-10-09").score == 100);
}

TEST_CASE("completeness: information pending after 3 working days") {
    Customer c = minimal_enterprise();  // created Friday 2023-10-06
    CHECK_FALSE(completeness_of(c, {}, "2023-10-06").pending);
    CHECK_FALSE(completeness_of(c, {}, "2023-10-09").pending);  // Mon: 1 working day
    CHECK_FALSE(completeness_of(c, {}, "2023-10-10").pending);  // Tue: 2
    CHECK(completeness_of(c, {}, "2023-10-11").pending);        // Wed: 3
    CHECK(completeness_of(c, {}, "2023-10-20").pending);
    // Created Monday: pending from Thursday; a complete record is never pending.
    c.created_at = "2023-10-09T23:30:00Z";
    CHECK_FALSE(completeness_of(c, {}, "2023-10-11").pending);
    CHECK(completeness_of(c, {}, "2023-10-12").pending);
    Customer f = full_enterprise();
    CHECK_FALSE(completeness_of(f, {key_contact()}, "2023-12-01").pending);
}

TEST_CASE("completeness: per customer from the database and the team rate") {
    testfx::Fx fx;
    std::string a = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
    std::string b = testfx::make_customer(fx.ws, "宁波海川贸易有限公司", "13912345678");
    auto k = customer_completeness(fx.ws, a, "2023-10-09");
    REQUIRE_MESSAGE(k.ok(), msg(k.error()));
    CHECK(k->score == 40);
    REQUIRE(update_customer(fx.ws, a, {{"credit_code", "91350100M000100Y43"}, {"size_band", "medium"},
                                       {"enterprise_type", "private"}, {"province", "浙江省"}, {"city", "杭州市"},
                                       {"address", "西湖区文三路 100 号"}, {"intent", "high"}, {"needs", "ERP"},
                                       {"budget", "500000"}, {"expected_close_date", "2023-12-31"}})
                .ok());
    CHECK(customer_completeness(fx.ws, a, "2023-10-09")->complete);
    auto team = team_completeness(fx.ws, "2023-10-12");  // created Mon 10-09: b pending from Thu
    REQUIRE(team.ok());
    CHECK(team->customers == 2);
    CHECK(team->complete == 1);
    CHECK(team->pending == 1);
    CHECK(team->rate_percent == 50);
    CHECK(team->average_score == doctest::Approx(70.0));
    CHECK(team_completeness(fx.ws, "2023-10-12", "李娜")->customers == 0);
}
