// core/interactions: HD numbers, the late flag, required fields, next actions and the
// due list.
#include "data_fixture.h"

#include "core/interactions.h"

using namespace crm;
using testfx::count;
using testfx::msg;

TEST_CASE("interactions: an entry made more than 24 h after the contact is marked late") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    fx.clock->set(*parse_iso_ms("2023-10-12T09:00:00Z"));
    auto late = log_interaction(fx.ws, id, {{"at", "2023-10-11T08:59:00Z"}, {"method", "phone"}, {"summary", "电话回访"}});
    REQUIRE_MESSAGE(late.ok(), msg(late.error()));
    CHECK(get_interaction(fx.ws, *late)->late);
    auto on_time = log_interaction(fx.ws, id, {{"at", "2023-10-11T09:00:00Z"}, {"method", "phone"}, {"summary", "确认报价"}});
    REQUIRE(on_time.ok());
    CHECK_FALSE(get_interaction(fx.ws, *on_time)->late);  // exactly 24 h is not late
    auto now = log_interaction(fx.ws, id, {{"method", "visit"}, {"summary", "上门演示"}});
    REQUIRE(now.ok());
    auto i = get_interaction(fx.ws, *now);
    CHECK(i->at == "2023-10-12T09:00:00Z");
    CHECK(i->created_at == "2023-10-12T09:00:00Z");
    CHECK(i->followed_up_by == "张伟");
    CHECK_FALSE(i->late);
}

TEST_CASE("interactions: method and summary are required, the future is refused") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    auto no_summary = log_interaction(fx.ws, id, {{"method", "phone"}});
    REQUIRE_FALSE(no_summary.ok());
    CHECK(no_summary.error().code == "err.required");
    CHECK(no_summary.error().field == "field.interactions.summary");
    auto no_method = log_interaction(fx.ws, id, {{"summary", "x"}});
    CHECK(no_method.error().field == "field.interactions.method");
    auto bad_method = log_interaction(fx.ws, id, {{"method", "telepathy"}, {"summary", "x"}});
    CHECK(bad_method.error().field == "field.interactions.method");
    auto future = log_interaction(fx.ws, id, {{"at", "2023-10-10T02:00:00Z"}, {"method", "phone"}, {"summary", "x"}});
    CHECK(future.error().code == "err.interaction.at_future");
    CHECK(log_interaction(fx.ws, "missing", {{"method", "phone"}, {"summary", "x"}}).error().code == "err.record.not_found");
    CHECK(log_interaction(fx.ws, id, {{"late", "0"}, {"method", "phone"}, {"summary", "x"}}).error().code == "err.field.read_only");
    CHECK(count(fx.ws, "SELECT count(*) FROM interactions") == 0);
    // A refused entry does not consume an HD serial.
    auto ok = log_interaction(fx.ws, id, {{"method", "phone"}, {"summary", "x"}});
    REQUIRE(ok.ok());
    CHECK(get_interaction(fx.ws, *ok)->number == "HD202310010001-01001");
}

TEST_CASE("interactions: a next action needs what, who and when together") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    auto partial = log_interaction(fx.ws, id, {{"method", "phone"}, {"summary", "沟通需求"},
                                               {"next_action", "发送方案"}, {"next_action_owner", "张伟"}});
    REQUIRE_FALSE(partial.ok());
    CHECK(partial.error().code == "err.interaction.next_action_incomplete");
    CHECK(partial.error().field == "field.interactions.next_action_due");
    auto full = log_interaction(fx.ws, id, {{"method", "phone"}, {"summary", "沟通需求"}, {"next_action", "发送方案"},
                                            {"next_action_owner", "张伟"}, {"next_action_due", "2023-10-11"}});
    REQUIRE_MESSAGE(full.ok(), msg(full.error()));
    REQUIRE(complete_next_action(fx.ws, *full).ok());
    CHECK(get_interaction(fx.ws, *full)->next_action_done);
    auto plain = log_interaction(fx.ws, id, {{"method", "email"}, {"summary", "发资料"}});
    REQUIRE(plain.ok());
    CHECK(complete_next_action(fx.ws, *plain).error().code == "err.interaction.no_next_action");
}

TEST_CASE("interactions: listed newest first") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws);
    fx.clock->set(*parse_iso_ms("2023-10-12T09:00:00Z"));
    REQUIRE(log_interaction(fx.ws, id, {{"at", "2023-10-10T09:00:00Z"}, {"method", "phone"}, {"summary", "B"}}).ok());
    REQUIRE(log_interaction(fx.ws, id, {{"at", "2023-10-12T08:00:00Z"}, {"method", "phone"}, {"summary", "C"}}).ok());
    REQUIRE(log_interaction(fx.ws, id, {{"at", "2023-10-09T09:00:00Z"}, {"method", "phone"}, {"summary", "A"}}).ok());
    auto list = list_interactions(fx.ws, id);
    REQUIRE(list->size() == 3);
    CHECK(list->at(0).summary == "C");
    CHECK(list->at(1).summary == "B");
    CHECK(list->at(2).summary == "A");
}

TEST_CASE("interactions: due next actions, overdue and today, mine first") {
    testfx::Fx fx;
    std::string a = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
    std::string b = testfx::make_customer(fx.ws, "宁波海川贸易有限公司", "13912345678");
    auto next = [&](const std::string& cust, const char* owner, const char* due) {
        auto r = log_interaction(fx.ws, cust, {{"method", "phone"}, {"summary", "跟进"}, {"next_action", "回电"},
                                               {"next_action_owner", owner}, {"next_action_due", due}});
        REQUIRE_MESSAGE(r.ok(), msg(r.error()));
        return *r;
    };
    next(a, "李娜", "2023-10-05");                 // team, overdue
    std::string mine_today = next(b, "张伟", "2023-10-09");
    next(a, "张伟", "2023-10-03");                 // mine, overdue
    next(a, "张伟", "2023-10-20");                 // future: not listed
    std::string done = next(b, "张伟", "2023-10-01");
    REQUIRE(complete_next_action(fx.ws, done).ok());

    auto due = due_next_actions(fx.ws, "张伟", "2023-10-09", 10);
    REQUIRE(due.ok());
    CHECK(due->total == 3);
    CHECK(due->overdue == 2);
    REQUIRE(due->first.size() == 3);
    CHECK(due->first.at(0).owner == "张伟");
    CHECK(due->first.at(0).due == "2023-10-03");
    CHECK(due->first.at(0).overdue);
    CHECK(due->first.at(0).mine);
    CHECK(due->first.at(1).interaction_id == mine_today);
    CHECK_FALSE(due->first.at(1).overdue);
    CHECK(due->first.at(1).customer_number == "CX202310010002");
    CHECK(due->first.at(2).owner == "李娜");
    CHECK_FALSE(due->first.at(2).mine);

    // A limit keeps the first in the same order and still counts them all.
    auto two = due_next_actions(fx.ws, "张伟", "2023-10-09", 2);
    REQUIRE(two.ok());
    CHECK(two->total == 3);
    CHECK(two->overdue == 2);
    REQUIRE(two->first.size() == 2);
    CHECK(two->first.at(1).interaction_id == mine_today);
    auto one = due_next_actions(fx.ws, "李娜", "2023-10-09", 1);
    REQUIRE(one.ok());
    REQUIRE(one->first.size() == 1);
    CHECK(one->first.at(0).owner == "李娜");  // hers first, though 张伟's is older
    CHECK(one->total == 3);
    CHECK_FALSE(one->more);
}

TEST_CASE("interactions: due counts stop at kDueCounted, the overdue ones counted first") {
    testfx::Fx fx;
    const std::string customer = testfx::make_customer(fx.ws);
    REQUIRE(fx.ws.begin_batch().ok());
    for (size_t i = 0; i < kDueCounted + 5; ++i) {
        const std::string due = i < 10 ? "2023-10-01" : "2023-10-09";  // 10 overdue, the rest due today
        REQUIRE(log_interaction(fx.ws, customer, {{"at", "2023-09-30T09:00:00Z"}, {"method", "phone"},
                                                   {"summary", "拜访"}, {"next_action", "回访"},
                                                   {"next_action_owner", "张伟"}, {"next_action_due", due}}).ok());
    }
    REQUIRE(fx.ws.end_batch(true).ok());
    auto due = due_next_actions(fx.ws, "张伟", "2023-10-09", 3);
    REQUIRE(due.ok());
    CHECK(due->more);
    CHECK(due->total == kDueCounted);
    CHECK(due->overdue == 10);
    CHECK(due->first.size() == 3);
}

TEST_CASE("interactions: the owner's customers being won with no contact for too long, longest first") {
    testfx::Fx fx;
    fx.clock->set(*parse_iso_ms("2023-09-01T02:00:00Z"));
    std::string never = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
    std::string long_ago = testfx::make_customer(fx.ws, "宁波海川贸易有限公司", "13912345678");
    std::string recent = testfx::make_customer(fx.ws, "温州瓯江机械有限公司", "13712345678");
    auto others = testfx::enterprise("嘉兴南湖电子有限公司");
    for (FieldValue& f : others) if (f.field == "owner") f.value = "李娜";
    REQUIRE(create_customer(fx.ws, others, testfx::one_contact("13612345678")).ok());
    auto won = testfx::enterprise("湖州太湖丝绸有限公司");
    for (FieldValue& f : won) if (f.field == "status") f.value = "won";
    REQUIRE(create_customer(fx.ws, won, testfx::one_contact("13512345678")).ok());
    auto call = [&](const std::string& cust, const char* when) {
        fx.clock->set(*parse_iso_ms(when));
        REQUIRE(log_interaction(fx.ws, cust, {{"method", "phone"}, {"summary", "跟进"}}).ok());
    };
    call(long_ago, "2023-09-20T03:00:00Z");
    call(recent, "2023-10-01T03:00:00Z");
    fx.clock->set(*parse_iso_ms("2023-10-09T02:00:00Z"));

    auto stale = stale_customers(fx.ws, "张伟", "2023-10-09", 14, 10);
    REQUIRE(stale.ok());
    REQUIRE(stale->size() == 2);  // not the recent one, not 李娜's, not the won one
    CHECK(stale->at(0).customer_id == never);
    CHECK(stale->at(0).last_contact.substr(0, 10) == "2023-09-01");  // created, never contacted
    CHECK(stale->at(1).customer_id == long_ago);
    CHECK(stale->at(1).last_contact.substr(0, 10) == "2023-09-20");
    CHECK(stale_customers(fx.ws, "张伟", "2023-10-09", 14, 1)->size() == 1);
    CHECK(stale_customers(fx.ws, "张伟", "2023-10-04", 14, 10)->size() == 1);  // 09-20 was recent then
    CHECK_FALSE(stale_customers(fx.ws, "张伟", "not a date", 14, 10).ok());
}
