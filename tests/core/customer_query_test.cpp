// core/customer_query: conditions combined freely with search and sort, derived fields
// (tags, completeness), clear errors for bad filters, and saved views that round-trip.
#include "data_fixture.h"

#include "core/completeness.h"
#include "core/customer_query.h"
#include "core/tags.h"

using namespace crm;
using testfx::msg;

namespace {

struct Four {
    testfx::Fx fx;
    std::string m1, m2, t1, p1;  // ids
    Four() {
        Workspace& ws = fx.ws;
        REQUIRE(seed_tag_library(ws).ok());
        m1 = testfx::make_customer(ws, "宁波精工机械制造有限公司", "13812345678");
        fx.clock->advance_ms(1000);
        m2 = testfx::make_customer(ws, "苏州恒达精密制造有限公司", "13912345678");
        fx.clock->advance_ms(1000);
        t1 = testfx::make_customer(ws, "上海速联贸易有限公司", "13712345678");
        fx.clock->advance_ms(1000);
        auto p = create_customer(ws, {{"kind", "personal"}, {"name", "王芳"}, {"source", "referral"},
                                      {"status", "potential"}, {"owner", "李雷"}},
                                 {{{"mobile", "15812345678"}}});
        REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : msg(p.error())));
        p1 = *p;
        REQUIRE(update_customer(ws, m1, {{"industry", "C"}, {"budget", "500000"}, {"province", "浙江省"}}).ok());
        REQUIRE(update_customer(ws, m2, {{"industry", "C"}, {"budget", "80000"}, {"province", "江苏省"}}).ok());
        fx.clock->advance_ms(1000);
        REQUIRE(update_customer(ws, t1, {{"industry", "F"}, {"budget", "10万"}}).ok());
        fx.clock->advance_ms(1000);
        REQUIRE(change_status(ws, m1, "intent", "报价已发").ok());
        REQUIRE(change_status(ws, m2, "intent", "约了参观").ok());
        fx.clock->advance_ms(1000);
        REQUIRE(add_tag_to_customer(ws, m2, "preset.value.high").ok());
    }
    std::vector<std::string> ids(const CustomerFilter& f) {
        auto rows = query_customers(fx.ws, f);
        REQUIRE_MESSAGE(rows.ok(), (rows.ok() ? "" : msg(rows.error())));
        std::vector<std::string> out;
        for (int64_t r : *rows) {
            auto s = customer_by_rowid(fx.ws, r);
            REQUIRE(s.ok());
            out.push_back(s->id);
        }
        return out;
    }
};

FilterCondition cond(std::string field, FilterOp op, std::vector<std::string> values = {}) {
    return {std::move(field), op, std::move(values)};
}

}  // namespace

TEST_CASE("customer query: no filter lists every live customer, newest change first") {
    Four f;
    CHECK(f.ids({}) == std::vector<std::string>{f.m2, f.m1, f.t1, f.p1});  // tag, status, budget, created
    CHECK(count_customers(f.fx.ws).value() == 4);
    REQUIRE(delete_customer(f.fx.ws, f.p1).ok());
    CHECK(f.ids({}).size() == 3);
    CHECK(count_customers(f.fx.ws).value() == 3);
    CHECK(f.ids({"", {cond("owner", FilterOp::Eq, {"李雷"})}}).empty());
    CHECK(f.ids({"", {}, "updated_at", false}).front() == f.t1);
}

TEST_CASE("customer query: the issue's example, industry = manufacturing AND status = intent AND budget > 100k") {
    Four f;
    CustomerFilter q;
    q.conditions = {cond("industry", FilterOp::Eq, {"C"}), cond("status", FilterOp::Eq, {"intent"}),
                    cond("budget", FilterOp::Gt, {"100000"})};
    CHECK(f.ids(q) == std::vector<std::string>{f.m1});
    q.conditions[2] = cond("budget", FilterOp::Gt, {"5万"});  // amounts as people type them
    CHECK(f.ids(q).size() == 2);
    // Numbers compare as numbers: 80000 < 100000 although "80000" > "100000" as text.
    CHECK(f.ids({"", {cond("budget", FilterOp::Lt, {"100000"})}}) == std::vector<std::string>{f.m2});
    CHECK(f.ids({"", {cond("budget", FilterOp::Ge, {"100000"})}, "budget", false}) ==
          std::vector<std::string>{f.t1, f.m1});
}

TEST_CASE("customer query: every operator") {
    Four f;
    CHECK(f.ids({"", {cond("industry", FilterOp::In, {"C", "F"})}}).size() == 3);
    CHECK(f.ids({"", {cond("status", FilterOp::Ne, {"intent"})}}).size() == 2);
    CHECK(f.ids({"", {cond("name", FilterOp::Contains, {"制造"})}}).size() == 2);
    CHECK(f.ids({"", {cond("province", FilterOp::Empty)}}).size() == 2);
    CHECK(f.ids({"", {cond("province", FilterOp::NotEmpty)}}).size() == 2);
    CHECK(f.ids({"", {cond("budget", FilterOp::Le, {"80000"})}}) == std::vector<std::string>{f.m2});
    CHECK(f.ids({"", {cond("kind", FilterOp::Eq, {"personal"})}}) == std::vector<std::string>{f.p1});
}

TEST_CASE("customer query: tags and completeness") {
    Four f;
    CHECK(f.ids({"", {cond("tag", FilterOp::In, {"preset.value.high", "preset.value.low"})}}) ==
          std::vector<std::string>{f.m2});
    // Nobody is complete; pending starts on the third working day after creation.
    CHECK(f.ids({"", {cond("completeness_state", FilterOp::Eq, {"complete"})}}).empty());
    CHECK(f.ids({"", {cond("completeness_state", FilterOp::Eq, {"to_be_completed"})}}).size() == 4);
    CHECK(f.ids({"", {cond("completeness_state", FilterOp::Eq, {"pending"})}}).empty());
    f.fx.clock->advance_ms(3 * 86400000LL);  // Monday 9th + 3 working days
    CHECK(f.ids({"", {cond("completeness_state", FilterOp::Eq, {"pending"})}}).size() == 4);
    // The stored score follows the record.
    auto sorted = f.ids({"", {}, "completeness", true});
    auto score = [&](const std::string& id) {
        auto c = customer_completeness(f.fx.ws, id, "2023-10-12");
        REQUIRE(c.ok());
        return c->score;
    };
    for (size_t i = 1; i < sorted.size(); i++) CHECK(score(sorted[i - 1]) >= score(sorted[i]));
    CHECK(f.ids({"", {cond("completeness", FilterOp::Ge, {std::to_string(score(f.m1))})}}).size() >= 1);
}

TEST_CASE("customer query: search text and conditions together") {
    Four f;
    CHECK(f.ids({"制造", {cond("province", FilterOp::Eq, {"浙江省"})}}) == std::vector<std::string>{f.m1});
    CHECK(f.ids({"5678"}).size() == 4);
    CHECK(f.ids({"王", {}}) == std::vector<std::string>{f.p1});
    CHECK(f.ids({"制造 精工"}) == std::vector<std::string>{f.m1});
}

TEST_CASE("customer query: sort by any field, either way, empty values last") {
    Four f;
    CHECK(f.ids({"", {}, "name", false}).front() == f.t1);  // 上 < 宁 < 王 < 苏 in code point order
    auto by_budget = f.ids({"", {}, "budget", true});
    CHECK(by_budget == std::vector<std::string>{f.m1, f.t1, f.m2, f.p1});
    auto by_budget_up = f.ids({"", {}, "budget", false});
    CHECK(by_budget_up.back() == f.p1);  // no budget: last either way
}

TEST_CASE("customer query: bad filters are errors that name the field") {
    Four f;
    auto r = query_customers(f.fx.ws, {"", {cond("salary", FilterOp::Eq, {"1"})}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.filter.unknown_field");
    r = query_customers(f.fx.ws, {"", {cond("budget", FilterOp::Gt, {"lots"})}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.filter.bad_number");
    CHECK(r.error().field == "field.customers.budget");
    r = query_customers(f.fx.ws, {"", {cond("status", FilterOp::Eq)}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.filter.no_value");
    r = query_customers(f.fx.ws, {"", {cond("tag", FilterOp::Gt, {"x"})}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.filter.bad_operator");
    r = query_customers(f.fx.ws, {"", {}, "'; DROP TABLE customers; --"});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "err.filter.unknown_field");
    // Values are bound, never spliced into SQL.
    CHECK(f.ids({"", {cond("name", FilterOp::Eq, {"x' OR '1'='1"})}}).empty());
}

TEST_CASE("saved views: save, list, rename, delete; the filter round-trips through JSON") {
    Four f;
    CustomerFilter q{"制造", {cond("industry", FilterOp::In, {"C"}), cond("budget", FilterOp::Gt, {"100000"}),
                             cond("province", FilterOp::Empty)},
                     "budget", false};
    auto back = filter_from_json(filter_to_json(q));
    REQUIRE(back.ok());
    CHECK(filter_to_json(*back) == filter_to_json(q));
    CHECK(back->conditions.size() == 3);
    CHECK(back->conditions[1].op == FilterOp::Gt);

    auto id = save_view(f.fx.ws, "", "浙江大单", q);
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : msg(id.error())));
    REQUIRE(save_view(f.fx.ws, "", "A 意向客户", {"", {cond("status", FilterOp::Eq, {"intent"})}}).ok());
    auto views = list_views(f.fx.ws);
    REQUIRE(views.ok());
    REQUIRE(views->size() == 2);
    CHECK((*views)[0].name == "A 意向客户");
    CHECK(f.ids((*views)[0].filter).size() == 2);
    REQUIRE(save_view(f.fx.ws, *id, "制造大单", q).ok());
    views = list_views(f.fx.ws);
    REQUIRE(views.ok());
    CHECK((*views)[1].name == "制造大单");
    REQUIRE(delete_view(f.fx.ws, *id).ok());
    views = list_views(f.fx.ws);
    REQUIRE(views.ok());
    CHECK(views->size() == 1);
    // A view without a name is refused by the write path.
    CHECK_FALSE(save_view(f.fx.ws, "", "", q).ok());
}

TEST_CASE("saved views: damaged JSON is a clear error, not a crash") {
    for (const char* bad : {"", "{", "[]", "{\"conditions\": [{\"op\": \"eq\"}]}",
                            "{\"conditions\": [{\"field\": \"x\", \"op\": \"nope\"}]}",
                            "{\"conditions\": 5}", "{\"text\": 7}", "{\"sort\": 5}", "{\"descending\": \"yes\"}",
                            "{\"conditions\": [{\"field\": \"name\", \"op\": \"eq\", \"values\": [1]}]}"}) {
        auto f = filter_from_json(bad);
        CHECK_MESSAGE(!f.ok(), bad);
        if (!f.ok()) CHECK(f.error().code == "err.filter.bad_view");
    }
}

TEST_CASE("customer query: the values a filter offers are those in use, distinct and sorted") {
    Four f;
    CHECK(customer_field_values(f.fx.ws, "industry").value() == std::vector<std::string>{"C", "F"});
    CHECK(customer_field_values(f.fx.ws, "province").value() == std::vector<std::string>{"江苏省", "浙江省"});
    REQUIRE(delete_customer(f.fx.ws, f.m2).ok());
    CHECK(customer_field_values(f.fx.ws, "province").value() == std::vector<std::string>{"浙江省"});
    CHECK(customer_field_values(f.fx.ws, "name; DROP TABLE customers").error().code == "err.filter.unknown_field");
}

TEST_CASE("customer query run: a slice at a time gives the same answer as the whole query") {
    Four f;
    const std::vector<CustomerFilter> filters = {
        {},                                                          // index order, no sort here
        {"", {}, "budget", true},                                    // NULL budgets last
        {"", {}, "budget", false},
        {"有限公司", {}, "name", false},                             // search: sorted once read
        {"5678", {}, "budget", true},
        {"5678", {cond("industry", FilterOp::Eq, {"C"})}, "updated_at", true},
        {"", {cond("status", FilterOp::Eq, {"intent"})}, "completeness", false},
    };
    for (const CustomerFilter& filter : filters) {
        auto whole = query_customers(f.fx.ws, filter);
        REQUIRE(whole.ok());
        auto run = CustomerQueryRun::start(f.fx.ws, filter);
        REQUIRE(run.ok());
        size_t steps = 0;
        for (;;) {
            auto done = run->step(1);
            REQUIRE(done.ok());
            if (*done) break;
            ++steps;
        }
        CHECK(steps == whole->size());  // one match per step, then the end
        CHECK(run->rowids() == *whole);
    }
    // Ties keep rowid order in the sort's direction, with or without a search.
    CHECK(f.ids({"5678", {}, "kind", false}) == f.ids({"", {}, "kind", false}));
    CHECK(f.ids({"5678", {}, "kind", true}) == f.ids({"", {}, "kind", true}));
}
