// core/merge: the preview shows every difference; merging moves everything to the
// survivor, drops only exact duplicate (or conflicting) tags, tombstones the absorbed
// record and loses nothing.
#include "data_fixture.h"

#include "core/consent.h"
#include "core/interactions.h"
#include "core/key_dates.h"
#include "core/merge.h"
#include "core/tags.h"

using namespace crm;
using testfx::count;
using testfx::msg;

namespace {
struct Pair {
    testfx::Fx fx;
    std::string s, a;
    Pair() {
        REQUIRE(seed_tag_library(fx.ws).ok());
        s = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
        fx.clock->advance_ms(1000);
        a = testfx::make_customer(fx.ws, "杭州云帆科技公司", "13912345678");
        REQUIRE(update_customer(fx.ws, s, {{"city", "杭州"}}).ok());
        REQUIRE(update_customer(fx.ws, a, {{"needs", "仓储管理系统"}, {"city", "宁波"}, {"budget", "200000"}}).ok());
        REQUIRE(add_contact(fx.ws, a, {{"name", "王强"}, {"email", "wq@example.com"}}).ok());
        REQUIRE(log_interaction(fx.ws, s, {{"method", "phone"}, {"summary", "S1"}}).ok());
        REQUIRE(log_interaction(fx.ws, a, {{"method", "visit"}, {"summary", "A1"}}).ok());
        REQUIRE(log_interaction(fx.ws, a, {{"method", "email"}, {"summary", "A2"}}).ok());
        REQUIRE(add_tag_to_customer(fx.ws, s, "preset.channel.direct").ok());
        REQUIRE(add_tag_to_customer(fx.ws, s, "preset.value.high").ok());
        REQUIRE(add_tag_to_customer(fx.ws, a, "preset.channel.direct").ok());  // exact duplicate
        REQUIRE(add_tag_to_customer(fx.ws, a, "preset.value.low").ok());       // conflicts with high
        REQUIRE(add_tag_to_customer(fx.ws, a, "preset.need.fast_delivery").ok());
        REQUIRE(add_key_date(fx.ws, a, "birthday", "1975-05-01", 7).ok());
        REQUIRE(record_consent(fx.ws, a, {"marketing", "online", "2023-10-09", "", false}).ok());
        REQUIRE(change_status(fx.ws, a, "intent", "预算已批").ok());
    }
};
}  // namespace

TEST_CASE("merge: the preview lists every field where the records differ") {
    Pair p;
    auto d = merge_preview(p.fx.ws, p.s, p.a);
    REQUIRE_MESSAGE(d.ok(), msg(d.error()));
    std::map<std::string, MergeDiff> by;
    for (const MergeDiff& x : *d) by[x.field] = x;
    CHECK(by.size() == 5);
    CHECK(by.count("name"));
    CHECK(by["city"].survivor_value == "杭州");
    CHECK(by["city"].absorbed_value == "宁波");
    CHECK(by["needs"].survivor_value.empty());
    CHECK(by["budget"].absorbed_value == "200000");
    CHECK(by["status"].absorbed_value == "intent");
    CHECK(by["city"].label_key == "field.customers.city");
    CHECK(by.count("number") == 0);  // system fields are not choices
    CHECK(merge_preview(p.fx.ws, p.s, p.s).error().code == "err.merge.same_record");
}

TEST_CASE("merge: moves everything to the survivor and loses nothing") {
    Pair p;
    auto& ws = p.fx.ws;
    int64_t contacts = count(ws, "SELECT count(*) FROM contacts WHERE deleted = 0");
    int64_t interactions = count(ws, "SELECT count(*) FROM interactions WHERE deleted = 0");
    int64_t history_a = count(ws, "SELECT count(*) FROM history WHERE customer_id = '" + p.a + "'");
    int64_t history_s = count(ws, "SELECT count(*) FROM history WHERE customer_id = '" + p.s + "'");
    std::string sn = get_customer(ws, p.s)->number, an = get_customer(ws, p.a)->number;

    MergePlan plan{p.s, p.a, {{"city", MergeSide::Absorbed}, {"status", MergeSide::Absorbed}}};
    auto m = merge_customers(ws, plan);
    REQUIRE_MESSAGE(m.ok(), msg(m.error()));

    auto s = get_customer(ws, p.s);
    REQUIRE(s.ok());
    CHECK(s->name == "杭州云帆科技有限公司");  // not chosen: survivor keeps its value
    CHECK(s->city == "宁波");                  // chosen
    CHECK(s->needs == "仓储管理系统");          // survivor empty: filled from absorbed
    CHECK(s->budget == "200000");
    CHECK(s->status == "intent");
    CHECK(get_customer(ws, p.a).error().code == "err.record.not_found");
    CHECK(count(ws, "SELECT deleted FROM customers WHERE id = '" + p.a + "'") == 1);

    CHECK(list_contacts(ws, p.s)->size() == static_cast<size_t>(contacts));
    CHECK(list_interactions(ws, p.s)->size() == static_cast<size_t>(interactions));
    CHECK(list_key_dates(ws, p.s)->size() == 1);
    CHECK(list_consents(ws, p.s)->size() == 1);
    CHECK(status_history(ws, p.s)->size() == 4);  // 2 creations, a's change, the merge's
    CHECK(status_history(ws, p.s)->front().reason == "merge");

    auto tags = customer_tags(ws, p.s);
    std::set<std::string> tag_ids;
    for (const CustomerTag& t : *tags) tag_ids.insert(t.tag_id);
    CHECK(tags->size() == 3);
    CHECK(tag_ids == std::set<std::string>{"preset.channel.direct", "preset.value.high", "preset.need.fast_delivery"});

    // Nothing is left on the absorbed record, and its whole past is on the survivor.
    for (const char* t : {"contacts", "interactions", "customer_tags", "key_dates", "consents", "status_history"})
        CHECK(count(ws, std::string("SELECT count(*) FROM ") + t + " WHERE customer_id = '" + p.a + "' AND deleted = 0") == 0);
    CHECK(count(ws, "SELECT count(*) FROM history WHERE customer_id = '" + p.a + "'") == 0);
    CHECK(count(ws, "SELECT count(*) FROM history WHERE customer_id = '" + p.s + "'") > history_a + history_s);
    auto h = customer_history(ws, p.s);
    REQUIRE(h.ok());
    CHECK(h->front().field == "merged");
    CHECK(h->front().origin == "merge");
    CHECK(h->front().new_value == std::optional<std::string>("merged " + an + " into " + sn));
    // The absorbed record's losing values stay in history: its name -> the name kept.
    bool old_name = false;
    for (const HistoryEntry& e : *h)
        old_name = old_name || (e.field == "name" && e.origin == "merge" &&
                                e.old_value == std::optional<std::string>("杭州云帆科技公司") &&
                                e.new_value == std::optional<std::string>("杭州云帆科技有限公司"));
    CHECK(old_name);
}

TEST_CASE("merge: a failing merge writes nothing") {
    Pair p;
    auto& ws = p.fx.ws;
    auto person = create_customer(ws, {{"kind", "personal"}, {"name", "陈晓明"}, {"source", "referral"},
                                       {"status", "potential"}, {"owner", "张伟"}},
                                  {{{"mobile", "13712345678"}}});
    REQUIRE_MESSAGE(person.ok(), msg(person.error()));
    int64_t h0 = count(ws, "SELECT count(*) FROM history");
    int64_t c0 = count(ws, "SELECT count(*) FROM changes");
    // Taking the person's empty industry would leave the enterprise survivor invalid.
    MergePlan plan{p.s, *person, {{"industry", MergeSide::Absorbed}}};
    auto m = merge_customers(ws, plan);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code == "err.required");
    CHECK(m.error().field == "field.customers.industry");
    CHECK(count(ws, "SELECT count(*) FROM history") == h0);
    CHECK(count(ws, "SELECT count(*) FROM changes") == c0);
    CHECK(get_customer(ws, *person).ok());
    CHECK(list_contacts(ws, *person)->size() == 1);

    // After a successful merge the absorbed record is gone: merging it again is refused.
    REQUIRE(merge_customers(ws, {p.s, p.a, {}}).ok());
    h0 = count(ws, "SELECT count(*) FROM history");
    CHECK(merge_customers(ws, {p.s, p.a, {}}).error().code == "err.record.not_found");
    CHECK(count(ws, "SELECT count(*) FROM history") == h0);
}
