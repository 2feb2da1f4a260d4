// core/i18n: loading and merging the tables, translation of errors, and completeness of
// both languages (every key in both, every error code and picklist label present).
#include <doctest/doctest.h>

#include <fstream>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "core/i18n.h"
#include "core/picklists.h"
#include "core/validate.h"

using namespace crm;

namespace {
const std::string kAssets = std::string(CRM_SOURCE_DIR) + "/assets/i18n";
std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST_CASE("i18n: tr, fallback and message formatting from strings") {
    Translations t;
    REQUIRE(t.load_from_strings("en", {R"({"a": "A", "field.x": "Mobile"})",
                                       R"({"a": "A2", "err.m": "{field}: \"{value}\" is wrong"})"}));
    CHECK(t.tr("a") == "A2");  // later text wins
    CHECK(t.tr("missing.key") == "missing.key");
    Error e = make_error("err.m", "field.x");
    e.with("value", "{field}123");  // user input is never expanded again
    CHECK(t.message(e) == "Mobile: \"{field}123\" is wrong");
    CHECK(fill_placeholders("{a}-{b}-{c}", {{"a", "1"}, {"b", "2"}}) == "1-2-{c}");
    Translations bad;
    Status s = bad.load_from_strings("en", {"{not json"});
    REQUIRE_FALSE(s);
    CHECK(s.error().code == "err.i18n.bad_json");
    CHECK_FALSE(bad.load_from_strings("en", {R"({"a": 1})"}));
}

TEST_CASE("i18n: load from the asset folders") {
    Translations en, zh, none;
    REQUIRE(en.load(kAssets, "en"));
    REQUIRE(zh.load(kAssets, "zh-CN"));
    CHECK(en.tr("pick.status.won") == "Won");
    CHECK(zh.tr("pick.status.won") == "成交");
    CHECK(zh.tr("pick.industry.C39") == "计算机、通信和其他电子设备制造业");
    CHECK(en.tr("pick.region.110000") == "Beijing");
    Status s = none.load(kAssets, "xx");
    REQUIRE_FALSE(s);
    CHECK(s.error().code == "err.i18n.missing_dir");
}

TEST_CASE("i18n: both languages have the same keys") {
    Translations en, zh;
    REQUIRE(en.load(kAssets, "en"));
    REQUIRE(zh.load(kAssets, "zh-CN"));
    for (const std::string& k : en.keys()) CHECK_MESSAGE(zh.has(k), "missing in zh-CN: " << k);
    for (const std::string& k : zh.keys()) CHECK_MESSAGE(en.has(k), "missing in en: " << k);
    CHECK(en.size() > 400);
}

TEST_CASE("i18n: every error code in the sources and every picklist label is translated") {
    Translations en, zh;
    REQUIRE(en.load(kAssets, "en"));
    REQUIRE(zh.load(kAssets, "zh-CN"));
    std::set<std::string> used;
    std::vector<std::string> files;
    for (const char* dir : {"/src/core", "/src/store", "/src/sync", "/src/ui"}) {
        const std::filesystem::path folder = std::string(CRM_SOURCE_DIR) + dir;
        if (!std::filesystem::exists(folder)) continue;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            if (entry.path().extension() == ".cpp") files.push_back(entry.path().string());
    }
    REQUIRE(files.size() >= 20);
    for (const std::string& file : files) {
        std::string src = read(file);
        REQUIRE_FALSE(src.empty());
        std::regex key("\"(err\\.[a-z0-9_.]+)\"");
        for (auto it = std::sregex_iterator(src.begin(), src.end(), key); it != std::sregex_iterator(); ++it)
            used.insert((*it)[1].str());
    }
    CHECK(used.size() >= 20);
    for (const std::string& k : used) {
        CHECK_MESSAGE(en.has(k), "en lacks " << k);
        CHECK_MESSAGE(zh.has(k), "zh-CN lacks " << k);
    }
    for (const std::string& list : picklist_names()) {
        CHECK_MESSAGE(en.has("picklist." + list), list);
        for (const PickOption& o : picklist(list)) {
            CHECK_MESSAGE(en.has(o.label_key), o.label_key);
            CHECK_MESSAGE(zh.has(o.label_key), o.label_key);
        }
    }
}

TEST_CASE("i18n: error messages name the field and the fix in both languages") {
    Translations en, zh;
    REQUIRE(en.load(kAssets, "en"));
    REQUIRE(zh.load(kAssets, "zh-CN"));
    Status s = validate_value(FieldKind::Mobile, "1234", "field.contacts.mobile");
    REQUIRE_FALSE(s);
    CHECK(en.message(s.error()) ==
          "Mobile: \"1234\" is not a mainland mobile number — enter 11 digits starting with 13–19, e.g. 13812345678.");
    CHECK(zh.message(s.error()) == "手机：“1234”不是有效的手机号，请输入以13–19开头的11位数字，例如 13812345678。");
    Status c = validate_value(FieldKind::CreditCode, "91350100M000100Y44", "field.customers.credit_code");
    std::string m = zh.message(c.error());
    CHECK(m.find("统一社会信用代码") != std::string::npos);
    CHECK(m.find("“3”") != std::string::npos);  // the expected check character is named
    CHECK(m.find('{') == std::string::npos);     // no placeholder left unfilled
    Status e = validate_value(FieldKind::Enum, "x", "field.customers.status", "status");
    CHECK(en.message(e.error()).find('{') == std::string::npos);
}
