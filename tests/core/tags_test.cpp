// core/tags: the preset library, proposal and approval, conflict groups.
#include "data_fixture.h"

#include "core/tags.h"

using namespace crm;
using testfx::count;
using testfx::msg;

TEST_CASE("tags: the preset library is seeded once with conflict groups") {
    testfx::Fx fx;
    REQUIRE(seed_tag_library(fx.ws).ok());
    REQUIRE(seed_tag_library(fx.ws).ok());
    auto tags = list_tags(fx.ws, "approved");
    REQUIRE(tags.ok());
    CHECK(tags->size() == 15);
    int value = 0, risk = 0;
    std::set<std::string> types;
    for (const Tag& t : *tags) {
        types.insert(t.type);
        value += t.conflict_group == "value";
        risk += t.conflict_group == "risk";
    }
    CHECK(value == 3);
    CHECK(risk == 3);
    CHECK(types == std::set<std::string>{"channel", "industry", "need", "risk", "value"});
}

TEST_CASE("tags: a proposed tag cannot be used until approved") {
    testfx::Fx fx;
    std::string c = testfx::make_customer(fx.ws);
    auto t = propose_tag(fx.ws, "need", "需要上门安装", "On-site installation");
    REQUIRE_MESSAGE(t.ok(), msg(t.error()));
    CHECK(list_tags(fx.ws, "proposed")->size() == 1);
    auto refused = add_tag_to_customer(fx.ws, c, *t, "客户提出");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "err.tag.not_approved");
    REQUIRE(approve_tag(fx.ws, *t).ok());
    CHECK(approve_tag(fx.ws, *t).error().code == "err.tag.not_proposed");
    auto added = add_tag_to_customer(fx.ws, c, *t, "客户提出");
    REQUIRE(added.ok());
    auto held = customer_tags(fx.ws, c);
    REQUIRE(held->size() == 1);
    CHECK(held->front().description == "客户提出");
    CHECK(held->front().added_by == "张伟");
    CHECK(held->front().added_at == "2023-10-09T02:00:00Z");
    CHECK(held->front().tag.name_en == "On-site installation");

    auto r = propose_tag(fx.ws, "risk", "拖欠货款", "Late payer", "risk");
    REQUIRE(r.ok());
    REQUIRE(reject_tag(fx.ws, *r).ok());
    CHECK(add_tag_to_customer(fx.ws, c, *r).error().code == "err.tag.not_approved");
    CHECK(propose_tag(fx.ws, "mood", "开心", "Happy").ok() == false);  // unknown type
}

TEST_CASE("tags: conflicting tags of one group are refused, naming the existing tag") {
    testfx::Fx fx;
    REQUIRE(seed_tag_library(fx.ws).ok());
    std::string c = testfx::make_customer(fx.ws);
    auto high = add_tag_to_customer(fx.ws, c, "preset.value.high", "年采购额超 500 万");
    REQUIRE_MESSAGE(high.ok(), msg(high.error()));
    auto low = add_tag_to_customer(fx.ws, c, "preset.value.low");
    REQUIRE_FALSE(low.ok());
    CHECK(low.error().code == "err.tag.conflict");
    REQUIRE(low.error().params.size() >= 1);
    CHECK(low.error().params[0].first == "tag");
    CHECK(low.error().params[0].second == "高价值");
    CHECK(add_tag_to_customer(fx.ws, c, "preset.value.high").error().code == "err.tag.duplicate");
    // Other groups and ungrouped tags live side by side.
    CHECK(add_tag_to_customer(fx.ws, c, "preset.risk.low").ok());
    CHECK(add_tag_to_customer(fx.ws, c, "preset.channel.direct").ok());
    CHECK(add_tag_to_customer(fx.ws, c, "preset.channel.online").ok());
    // After removing the value tag another one fits.
    REQUIRE(remove_tag_from_customer(fx.ws, *high).ok());
    CHECK(add_tag_to_customer(fx.ws, c, "preset.value.low").ok());
    CHECK(customer_tags(fx.ws, c)->size() == 4);
    CHECK(count(fx.ws, "SELECT count(*) FROM customer_tags") == 5);  // the removed one is a tombstone
}
