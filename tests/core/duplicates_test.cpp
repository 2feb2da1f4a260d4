// core/duplicates: the source documents' example, every kind of match, normalization,
// no false alarms between different companies, and keys that follow edits and merges.
#include "data_fixture.h"

#include "core/duplicates.h"
#include "core/merge.h"

using namespace crm;
using testfx::msg;

namespace {

using Fields = std::vector<FieldValue>;
using Contacts = std::vector<std::vector<FieldValue>>;

Fields company(std::string name, std::string credit = "") {
    Fields f = testfx::enterprise(std::move(name));
    if (!credit.empty()) f.push_back({"credit_code", credit});
    return f;
}
Contacts contact(std::string mobile, std::string email = "") {
    std::vector<FieldValue> c = {{"name", "李娜"}, {"mobile", mobile}};
    if (!email.empty()) c.push_back({"email", email});
    return {c};
}

std::vector<DuplicateCandidate> dups(Workspace& ws, const Fields& f, const Contacts& c,
                                     const std::string& exclude = "") {
    auto r = find_duplicates(ws, f, c, exclude);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : msg(r.error())));
    return *r;
}

bool has(const std::vector<std::string>& reasons, const char* r) {
    return std::find(reasons.begin(), reasons.end(), r) != reasons.end();
}

}  // namespace

TEST_CASE("duplicates: the documents' example, 某某科技有限公司 and 某某科技(北京)有限公司 with the same contact") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws, "某某科技有限公司", "13812345678");
    auto found = dups(fx.ws, company("某某科技(北京)有限公司"), contact("138 1234 5678"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].customer_id == id);
    CHECK(found[0].score == 100);
    CHECK(has(found[0].reasons, "dup.reason.same_phone"));
    CHECK(has(found[0].reasons, "dup.reason.same_name"));
    Translations en, zh;
    REQUIRE(en.load(std::string(CRM_SOURCE_DIR) + "/assets/i18n", "en"));
    REQUIRE(zh.load(std::string(CRM_SOURCE_DIR) + "/assets/i18n", "zh-CN"));
    CHECK(explain_reasons(en, found[0].reasons) == "same phone, same name");
    CHECK(explain_reasons(zh, found[0].reasons) == "电话相同、名称相同");
}

TEST_CASE("duplicates: names equal after normalization: width, brackets, regions, legal forms") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws, "ABC科技有限公司", "13812345678");
    for (const char* name : {"ＡＢＣ科技有限公司", "北京ABC科技有限公司", "ABC科技（深圳）有限公司",
                             "ABC科技股份有限公司", "abc科技集团有限公司", "广东省深圳市ABC科技有限公司"}) {
        auto found = dups(fx.ws, company(name), contact("13900000000"));
        REQUIRE_MESSAGE(found.size() == 1, name);
        CHECK(found[0].customer_id == id);
        CHECK(found[0].reasons == std::vector<std::string>{"dup.reason.same_name"});
        CHECK(found[0].score == 60);
    }
}

TEST_CASE("duplicates: same credit code, same phone, same email (any case)") {
    testfx::Fx fx;
    auto a = create_customer(fx.ws, company("杭州云帆科技有限公司", "91330100716105852F"),
                             contact("13812345678", "Li.Na@YunFan.cn"));
    REQUIRE(a.ok());
    auto by_code = dups(fx.ws, company("完全不同贸易有限公司", "91330100716105852f"), contact("13900000000"));
    REQUIRE(by_code.size() == 1);
    CHECK(by_code[0].reasons == std::vector<std::string>{"dup.reason.same_credit_code"});
    CHECK(by_code[0].score == 100);
    auto by_phone = dups(fx.ws, company("完全不同贸易有限公司"), contact("+86 138-1234-5678"));
    REQUIRE(by_phone.size() == 1);
    CHECK(by_phone[0].reasons == std::vector<std::string>{"dup.reason.same_phone"});
    auto by_email = dups(fx.ws, company("完全不同贸易有限公司"), contact("13900000000", "li.na@yunfan.CN"));
    REQUIRE(by_email.size() == 1);
    CHECK(by_email[0].reasons == std::vector<std::string>{"dup.reason.same_email"});
}

TEST_CASE("duplicates: a similar name counts only together with another match") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws, "杭州云帆信息科技有限公司", "13812345678");
    // Similar (信息 more: bigram similarity 0.5) but nothing else in common: no warning.
    CHECK(dups(fx.ws, company("杭州云帆科技有限公司"), contact("13900000000")).empty());
    // Similar name and the same phone: a likely duplicate, explained.
    auto found = dups(fx.ws, company("杭州云帆科技有限公司"), contact("13812345678"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].customer_id == id);
    CHECK(found[0].reasons == std::vector<std::string>{"dup.reason.same_phone", "dup.reason.similar_name"});
    CHECK(found[0].score > 60);
    CHECK(found[0].score < 100);
}

TEST_CASE("duplicates: different companies sharing a common word are not duplicates") {
    testfx::Fx fx;
    testfx::make_customer(fx.ws, "某某科技有限公司", "13812345678");
    testfx::make_customer(fx.ws, "深圳市腾跃科技有限公司", "13712345678");
    CHECK(dups(fx.ws, company("某某贸易有限公司"), contact("13900000000")).empty());
    CHECK(dups(fx.ws, company("北京星河科技有限公司"), contact("13900000001")).empty());
    auto pair = score_pair(dedupe_keys(company("某某科技有限公司"), contact("1")),
                           dedupe_keys(company("某某贸易有限公司"), contact("2")));
    CHECK(pair.score < kDuplicateThreshold);
}

TEST_CASE("duplicates: a person and a company of the same name are not compared by name") {
    testfx::Fx fx;
    auto p = create_customer(fx.ws, {{"kind", "personal"}, {"name", "王芳"}, {"source", "referral"},
                                     {"status", "potential"}, {"owner", "张伟"}},
                             {{{"mobile", "15812345678"}}});
    REQUIRE(p.ok());
    Fields person = {{"kind", "personal"}, {"name", "王芳"}};
    auto found = dups(fx.ws, person, contact("13900000000"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].reasons == std::vector<std::string>{"dup.reason.same_name"});
    CHECK(dups(fx.ws, company("王芳"), contact("13900000000")).empty());
}

TEST_CASE("duplicates: deleted customers and the record itself are left out") {
    testfx::Fx fx;
    std::string id = testfx::make_customer(fx.ws, "某某科技有限公司", "13812345678");
    CHECK(dups(fx.ws, company("某某科技有限公司"), contact("13812345678"), id).empty());
    REQUIRE(delete_customer(fx.ws, id).ok());
    CHECK(dups(fx.ws, company("某某科技有限公司"), contact("13812345678")).empty());
}

TEST_CASE("duplicates: keys follow edits, new contacts and merges") {
    testfx::Fx fx;
    std::string a = testfx::make_customer(fx.ws, "某某科技有限公司", "13812345678");
    REQUIRE(update_customer(fx.ws, a, {{"name", "星河电子有限公司"}}).ok());
    CHECK(dups(fx.ws, company("某某科技有限公司"), contact("13900000000")).empty());
    CHECK(dups(fx.ws, company("星河电子有限公司"), contact("13900000000")).size() == 1);
    REQUIRE(add_contact(fx.ws, a, {{"name", "王强"}, {"email", "wq@xinghe.cn"}}).ok());
    CHECK(dups(fx.ws, company("别的公司"), contact("13900000000", "WQ@xinghe.cn")).size() == 1);

    std::string b = testfx::make_customer(fx.ws, "宁波海川贸易有限公司", "13700001111");
    REQUIRE(merge_customers(fx.ws, {a, b, {}}).ok());
    auto found = dups(fx.ws, company("别的公司"), contact("13700001111"));  // b's phone, now on a
    REQUIRE(found.size() == 1);
    CHECK(found[0].customer_id == a);
}

TEST_CASE("duplicates: pairs of unsaved records (one import file)") {
    auto s = score_pair(dedupe_keys(company("某某科技有限公司"), contact("13812345678")),
                        dedupe_keys(company("某某科技(北京)有限公司"), contact("13812345678")));
    CHECK(s.score == 100);
    CHECK(s.reasons == std::vector<std::string>{"dup.reason.same_phone", "dup.reason.same_name"});
    auto none = score_pair(dedupe_keys(company("甲公司名称"), contact("13812345678")),
                           dedupe_keys(company("乙企业名字"), contact("13912345678")));
    CHECK(none.score == 0);
    CHECK(none.reasons.empty());
}

TEST_CASE("duplicates: a similar name alone scores below the threshold; the same key is found") {
    testfx::Fx fx;
    testfx::make_customer(fx.ws, "杭州云帆信息科技有限公司", "13812345678");
    // Only the name is similar: found as a candidate, scored below the threshold.
    auto keys = dedupe_keys(company("杭州云帆科技有限公司"), contact("13900000000"));
    auto c = get_customer(fx.ws, value(query_rows(fx.ws.db(), "SELECT id FROM customers")->front(), "id"));
    REQUIRE(c.ok());
    auto contacts = list_contacts(fx.ws, c->id);
    REQUIRE(contacts.ok());
    auto s = score_pair(keys, dedupe_keys(*c, *contacts));
    CHECK(s.reasons == std::vector<std::string>{"dup.reason.similar_name"});
    CHECK(s.score == 20);
    // The same name without its region and legal form is found by its key.
    auto found = dups(fx.ws, company("云帆信息科技有限公司"), contact("13900000000"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].reasons == std::vector<std::string>{"dup.reason.same_name"});
}

TEST_CASE("duplicates: lookups use the key index, not a scan") {
    testfx::Fx fx;
    auto plan = query_rows(fx.ws.db(),
        "EXPLAIN QUERY PLAN SELECT customer_rowid FROM customer_keys WHERE kind = ? AND key = ?", {"phone", "1"});
    REQUIRE(plan.ok());
    std::string detail;
    for (const Row& r : *plan) detail += value(r, "detail");
    CHECK(detail.find("customer_keys_lookup") != std::string::npos);
}

TEST_CASE("duplicates: the duplicates of a stored customer are the others that look like it") {
    testfx::Fx fx;
    const std::string a = testfx::make_customer(fx.ws, "某某科技有限公司", "13812345678");
    const std::string b = testfx::make_customer(fx.ws, "某某科技(北京)有限公司", "13812345678");
    const std::string other = testfx::make_customer(fx.ws, "宁波海曙贸易有限公司", "13912345678");
    auto of_a = duplicates_of(fx.ws, a);
    REQUIRE(of_a.ok());
    REQUIRE(of_a->size() == 1);
    CHECK(of_a->front().customer_id == b);
    CHECK(duplicates_of(fx.ws, other)->empty());
    CHECK(duplicates_of(fx.ws, "no-such-id").error().code == "err.record.not_found");
}
