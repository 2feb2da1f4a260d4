// core/search: Chinese substrings of every length, partial phones, every indexed field,
// kept current by the write path (edits, deletes, merges), and queries as typed.
#include "data_fixture.h"

#include <algorithm>

#include "core/interactions.h"
#include "core/merge.h"
#include "core/search.h"

using namespace crm;
using testfx::msg;

namespace {

// Customer numbers matching a query, sorted, for readable assertions.
std::vector<std::string> numbers(Workspace& ws, std::string_view query) {
    auto rowids = search_customer_rowids(ws.db(), query);
    REQUIRE_MESSAGE(rowids.ok(), (rowids.ok() ? "" : msg(rowids.error())));
    std::vector<std::string> out;
    for (int64_t r : *rowids) {
        auto rows = query_rows(ws.db(), "SELECT number FROM customers WHERE rowid = ?", {std::to_string(r)});
        REQUIRE(rows.ok());
        REQUIRE(rows->size() == 1);
        out.push_back(value((*rows)[0], "number"));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string number_of(Workspace& ws, const std::string& id) {
    auto c = get_customer(ws, id);
    REQUIRE(c.ok());
    return c->number;
}

struct Three {
    testfx::Fx fx;
    std::string a, b, c;  // numbers
    std::string a_id, b_id, c_id;
    Three() {
        a_id = testfx::make_customer(fx.ws, "深圳市腾跃科技有限公司", "13812345678");
        b_id = testfx::make_customer(fx.ws, "北京张三贸易有限公司", "13900001111");
        c_id = testfx::make_customer(fx.ws, "Acme Trading Co., Ltd.", "15012348888");
        REQUIRE(update_customer(fx.ws, a_id, {{"address", "南山区科技园南区"}, {"needs", "仓储管理系统"}}).ok());
        REQUIRE(add_contact(fx.ws, b_id, {{"name", "欧阳娜"}, {"email", "Ouyang.Na@Example.com"}}).ok());
        REQUIRE(log_interaction(fx.ws, c_id, {{"method", "phone"}, {"summary", "客户说价格太高，下周再谈"}}).ok());
        a = number_of(fx.ws, a_id);
        b = number_of(fx.ws, b_id);
        c = number_of(fx.ws, c_id);
    }
};

}  // namespace

TEST_CASE("search: the match expression: phrases of 3+ characters, prefixes below, all terms required") {
    CHECK(search_match_expression("") == "");
    CHECK(search_match_expression("   ") == "");
    CHECK(search_match_expression("科") == "\"科\" *");
    CHECK(search_match_expression("科技") == "\"科技\" *");
    CHECK(search_match_expression("科技园") == "\"科技园\"");
    CHECK(search_match_expression(" 张  科技园 ") == "\"张\" * AND \"科技园\"");
    CHECK(search_match_expression("ＡＢＣ１２３") == "\"ABC123\"");       // full-width typed
    CHECK(search_match_expression("a\"b") == "\"a\"\"b\"");                // quotes cannot escape
}

TEST_CASE("search: Chinese substrings of one, two and more characters") {
    Three t;
    CHECK(numbers(t.fx.ws, "腾") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "腾跃") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "腾跃科技") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "有限公司") == std::vector<std::string>{t.a, t.b});
    CHECK(numbers(t.fx.ws, "张三").size() == 1);
    // The last characters of a field (two-character and one-character tails).
    CHECK(numbers(t.fx.ws, "公司") == std::vector<std::string>{t.a, t.b});
    CHECK(numbers(t.fx.ws, "司") == std::vector<std::string>{t.a, t.b});
    CHECK(numbers(t.fx.ws, "南区") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "鑫").empty());
    CHECK(numbers(t.fx.ws, "科技贸易").empty());
}

TEST_CASE("search: no match across field boundaries") {
    Three t;
    // b's name ends with 公司 and its contact 李娜 follows; "司李" spans two fields.
    CHECK(numbers(t.fx.ws, "司李").empty());
    CHECK(numbers(t.fx.ws, "公司李娜").empty());
}

TEST_CASE("search: partial phone numbers, emails and Latin names ignore case") {
    Three t;
    CHECK(numbers(t.fx.ws, "5678") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "138") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "1234").size() == 2);  // 138-1234-5678 and 150-1234-8888
    CHECK(numbers(t.fx.ws, "13900001111") == std::vector<std::string>{t.b});
    CHECK(numbers(t.fx.ws, "ouyang.na@example") == std::vector<std::string>{t.b});
    CHECK(numbers(t.fx.ws, "ACME") == std::vector<std::string>{t.c});
    CHECK(numbers(t.fx.ws, "acme trading") == std::vector<std::string>{t.c});
    CHECK(numbers(t.fx.ws, "ａｃｍｅ") == std::vector<std::string>{t.c});
}

TEST_CASE("search: every indexed field: contacts, address, needs, interaction summaries") {
    Three t;
    CHECK(numbers(t.fx.ws, "欧阳") == std::vector<std::string>{t.b});        // contact name
    CHECK(numbers(t.fx.ws, "科技园") == std::vector<std::string>{t.a});      // address
    CHECK(numbers(t.fx.ws, "仓储") == std::vector<std::string>{t.a});        // needs
    CHECK(numbers(t.fx.ws, "价格太高") == std::vector<std::string>{t.c});    // interaction summary
    CHECK(numbers(t.fx.ws, t.a) == std::vector<std::string>{t.a});           // customer number
    // Several terms: all required.
    CHECK(numbers(t.fx.ws, "科技 5678") == std::vector<std::string>{t.a});
    CHECK(numbers(t.fx.ws, "科技 1111").empty());
}

TEST_CASE("search: the write path keeps the index current") {
    Three t;
    Workspace& ws = t.fx.ws;
    REQUIRE(update_customer(ws, t.a_id, {{"name", "深圳市星河电子有限公司"}}).ok());
    CHECK(numbers(ws, "腾跃").empty());
    CHECK(numbers(ws, "星河") == std::vector<std::string>{t.a});

    auto iid = log_interaction(ws, t.b_id, {{"method", "visit"}, {"summary", "参观工厂，演示样机"}});
    REQUIRE(iid.ok());
    CHECK(numbers(ws, "样机") == std::vector<std::string>{t.b});
    REQUIRE(ws.apply({Edit::Delete, "interactions", *iid}).ok());
    CHECK(numbers(ws, "样机").empty());

    REQUIRE(delete_customer(ws, t.c_id).ok());
    CHECK(numbers(ws, "价格").empty());
    CHECK(numbers(ws, "acme").empty());
}

TEST_CASE("search: after a merge the survivor is found by the absorbed record's text") {
    Three t;
    Workspace& ws = t.fx.ws;
    REQUIRE(merge_customers(ws, {t.a_id, t.c_id, {}}).ok());
    CHECK(numbers(ws, "价格太高") == std::vector<std::string>{t.a});
    CHECK(numbers(ws, "15012348888") == std::vector<std::string>{t.a});  // moved contact
}

TEST_CASE("search: a failed edit leaves the index as it was") {
    Three t;
    Workspace& ws = t.fx.ws;
    Status s = ws.transaction([&]() -> Status {
        if (auto r = update_customer(ws, t.a_id, {{"name", "临时名称有限公司"}}); !r) return r;
        return make_error("err.test.abort");
    });
    CHECK_FALSE(s.ok());
    CHECK(numbers(ws, "临时").empty());
    CHECK(numbers(ws, "腾跃") == std::vector<std::string>{t.a});
}

TEST_CASE("search: rebuild gives the same answers") {
    Three t;
    Workspace& ws = t.fx.ws;
    REQUIRE(search_rebuild(ws.db()).ok());
    CHECK(numbers(ws, "腾") == std::vector<std::string>{t.a});
    CHECK(numbers(ws, "5678") == std::vector<std::string>{t.a});
    CHECK(numbers(ws, "价格太高") == std::vector<std::string>{t.c});
}

TEST_CASE("search: an edit that leaves a customer's document as it was does not rewrite the index") {
    testfx::Fx fx;
    const std::string id = testfx::make_customer(fx.ws, "宁波海曙贸易有限公司", "13812345678");
    auto segments = [&] { return fx.ws.db().query_int("SELECT count(*) FROM search_data")->value_or(-1); };
    const int64_t before = segments();
    REQUIRE(update_customer(fx.ws, id, {{"budget", "500000"}}).ok());   // not in the document
    CHECK(segments() == before);
    REQUIRE(update_customer(fx.ws, id, {{"needs", "需要冷链仓储"}}).ok());  // in it
    CHECK(segments() > before);
    auto hits = search_customer_rowids(fx.ws.db(), "冷链");
    REQUIRE(hits.ok());
    CHECK(hits->size() == 1);
}
