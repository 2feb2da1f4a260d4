// core/import_mapping: header guesses in Chinese and English, remembered mappings, picklist
// value guesses, date/time conversions and region splitting.
#include <doctest/doctest.h>

#include "core/import_mapping.h"
#include "import_fixture.h"

using namespace crm;

TEST_CASE("import mapping: headers in Chinese and English are guessed") {
    const ImportKind C = ImportKind::Customers;
    CHECK(guess_target("客户名称", C) == "customers.name");
    CHECK(guess_target("公司名称", C) == "customers.name");
    CHECK(guess_target(" Company Name ", C) == "customers.name");
    CHECK(guess_target("Ｃｏｍｐａｎｙ", C) == "customers.name");  // full-width letters
    CHECK(guess_target("客户名称*", C) == "customers.name");
    CHECK(guess_target("手机号", C) == "contacts.mobile");
    CHECK(guess_target("Mobile", C) == "contacts.mobile");
    CHECK(guess_target("联系人手机", C) == "contacts.mobile");
    CHECK(guess_target("电话", C) == "contacts.phone");
    CHECK(guess_target("Phone", C) == "contacts.phone");
    CHECK(guess_target("邮箱", C) == "contacts.email");
    CHECK(guess_target("E-mail", C) == "contacts.email");
    CHECK(guess_target("所属行业", C) == "customers.industry");
    CHECK(guess_target("地区", C) == "customers.region");
    CHECK(guess_target("省份", C) == "customers.province");
    CHECK(guess_target("城市", C) == "customers.city");
    CHECK(guess_target("统一社会信用代码", C) == "customers.credit_code");
    CHECK(guess_target("Credit code", C) == "customers.credit_code");
    CHECK(guess_target("负责人", C) == "customers.owner");
    CHECK(guess_target("来源", C) == "customers.source");
    CHECK(guess_target("状态", C) == "customers.status");
    CHECK(guess_target("联系人", C) == "contacts.name");
    CHECK(guess_target("客户联系人", C) == "contacts.name");
    CHECK(guess_target("预算金额（元）", C) == "customers.budget");
    CHECK(guess_target("contacts.email", C) == "contacts.email");  // a target's own name
    CHECK(guess_target("序号", C) == "");
    CHECK(guess_target("", C) == "");
    CHECK(guess_target("跟进时间", ImportKind::Interactions) == "interactions.at");
    CHECK(guess_target("跟进内容", ImportKind::Interactions) == "interactions.summary");
    CHECK(guess_target("客户编号", ImportKind::Interactions) == "customers.number");
}

TEST_CASE("import mapping: the GBK fixture's header maps every column once") {
    csv::Table t = testfx::read_table("customers_gbk.csv");
    CHECK(t.encoding == csv::Encoding::Gb18030);
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    const std::vector<std::string> expected = {
        "customers.name", "customers.kind", "customers.credit_code", "customers.industry", "customers.province",
        "customers.city", "customers.address", "customers.source", "customers.status", "customers.owner",
        "contacts.name", "contacts.title", "contacts.mobile", "contacts.phone", "contacts.email",
        "customers.first_contact_date", "customers.budget", "customers.notes"};
    CHECK(m.targets == expected);
    // A second column meaning the same thing is left unmapped rather than mapped twice.
    ColumnMapping twice = guess_mapping({"客户名称", "公司名称", "手机"}, ImportKind::Customers);
    CHECK(twice.targets == std::vector<std::string>{"customers.name", "", "contacts.mobile"});
}

TEST_CASE("import mapping: remembered as JSON keyed by the header row") {
    std::vector<std::string> header = {"客户名称", "手机", "行业", "备注"};
    ColumnMapping m = guess_mapping(header, ImportKind::Customers);
    m.targets[3] = "";  // the user ignores the notes column
    m.values["customers.industry"]["制造"] = "C";
    const std::string json = mapping_to_json(m);

    // The same header typed differently gives the same key; another header another key.
    CHECK(mapping_key(header, ImportKind::Customers) ==
          mapping_key({" 客户名称 ", "手机", "行业", "备注"}, ImportKind::Customers));
    CHECK(mapping_key(header, ImportKind::Customers) != mapping_key({"客户名称", "手机", "行业"}, ImportKind::Customers));
    CHECK(mapping_key(header, ImportKind::Customers) != mapping_key(header, ImportKind::Interactions));

    auto back = mapping_from_json(json, header);
    REQUIRE(back.ok());
    CHECK(back->targets == m.targets);
    CHECK(back->values["customers.industry"]["制造"] == "C");
    CHECK(back->kind == ImportKind::Customers);

    // Stored in a workspace setting and read again.
    testfx::Fx fx;
    REQUIRE(fx.ws.set_setting(mapping_key(header, ImportKind::Customers), json));
    auto stored = fx.ws.setting(mapping_key(header, ImportKind::Customers));
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK(mapping_from_json(**stored, header).ok());

    // Damaged JSON, another header, an unknown target: refused with one error code.
    for (const std::string& bad : {std::string("{not json"), std::string("[]"),
                                   std::string(R"({"version":1,"kind":"customers","header":["x"],"targets":["customers.name"]})")}) {
        auto r = mapping_from_json(bad, header);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "err.import.bad_mapping");
    }
    auto other = mapping_from_json(json, {"客户名称", "手机", "行业", "地址"});
    REQUIRE_FALSE(other.ok());
    std::string hacked = json;
    hacked.replace(hacked.find("contacts.mobile"), 15, "customers.numbr");
    CHECK_FALSE(mapping_from_json(hacked, header).ok());
}

TEST_CASE("import mapping: picklist values guessed from zh and en labels") {
    testfx::Languages lang;
    ValueGuesser g = lang.guesser();
    CHECK(g.guess("industry", "制造") == "C");
    CHECK(g.guess("industry", "制造业") == "C");
    CHECK(g.guess("industry", "Manufacturing") == "C");
    CHECK(g.guess("industry", "manufacturing ") == "C");
    CHECK(g.guess("industry", "C39") == "C39");
    CHECK(g.guess("industry", "房地产业") == "K");  // section wins over its division K70
    CHECK(g.guess("industry", "教育") == "P");
    CHECK(g.guess("industry", "计算机、通信和其他电子设备制造业") == "C39");
    CHECK(g.guess("industry", "软件") == "I65");
    CHECK(g.guess("industry", "星际贸易") == "");
    CHECK(g.guess("status", "成交") == "won");
    CHECK(g.guess("status", "成交客户") == "won");
    CHECK(g.guess("status", "意向客户") == "intent");
    CHECK(g.guess("status", "Won") == "won");
    CHECK(g.guess("source", "转介绍") == "referral");
    CHECK(g.guess("source", "Trade show") == "trade_show");
    CHECK(g.guess("source", "展会") == "trade_show");
    CHECK(g.guess("customer_kind", "企业") == "enterprise");
    CHECK(g.guess("customer_kind", "个人") == "personal");
    CHECK(g.guess("method", "微信") == "online");
    CHECK(g.guess("no_such_list", "x") == "");
    CHECK(g.guess("status", "") == "");
}

TEST_CASE("import mapping: unmapped values are listed per column, user choices kept") {
    testfx::Languages lang;
    csv::Table t = testfx::read_table("customers_gbk.csv");
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    m.values["customers.source"]["展会"] = "partner";  // the user's earlier choice wins over a guess
    std::vector<ColumnValues> cols = map_values(t, m, lang.guesser());
    const ColumnValues* industry = nullptr;
    const ColumnValues* source = nullptr;
    for (const ColumnValues& c : cols) {
        if (c.target == "customers.industry") industry = &c;
        if (c.target == "customers.source") source = &c;
    }
    REQUIRE(industry);
    REQUIRE(source);
    CHECK(industry->column == 3);
    CHECK(industry->unmapped() == 1);
    for (const ValueChoice& v : industry->values) {
        if (v.value == "星际贸易") {
            CHECK(v.code.empty());
            CHECK(v.count == 1);
        }
        if (v.value == "制造") CHECK(v.code == "C");
    }
    CHECK(m.values["customers.industry"]["制造"] == "C");
    CHECK(m.values["customers.industry"].count("星际贸易") == 0);
    CHECK(m.values["customers.source"]["展会"] == "partner");
    CHECK(source->unmapped() == 0);
    size_t rows = 0;
    for (const ValueChoice& v : source->values) rows += v.count;
    CHECK(rows == 11);  // every non-blank row has a source
}

TEST_CASE("import mapping: dates and times as spreadsheets write them") {
    CHECK(import_date("2024/3/5") == "2024-03-05");
    CHECK(import_date("2024-3-5") == "2024-03-05");
    CHECK(import_date("2024.03.05") == "2024-03-05");
    CHECK(import_date("2023年12月8日") == "2023-12-08");
    CHECK(import_date("20240305") == "2024-03-05");
    CHECK(import_date("2024/3/5 0:00") == "2024-03-05");
    CHECK(import_date("2024/2/30") == "2024-02-30");  // validation names the impossible day
    CHECK(import_date("2024/13/1") == "2024/13/1");    // not a date: left as typed
    CHECK(import_date("3/5/2024") == "3/5/2024");
    CHECK(import_date("下周") == "下周");
    // Local time in China (UTC+8) to the stored UTC form.
    CHECK(import_datetime("2023/10/8 14:30", 480) == "2023-10-08T06:30:00Z");
    CHECK(import_datetime("2023-10-08 00:15:09", 480) == "2023-10-07T16:15:09Z");
    CHECK(import_datetime("2023-10-08", 0) == "2023-10-08T00:00:00Z");
    CHECK(import_datetime("2023-10-08T06:30:00Z", 480) == "2023-10-08T06:30:00Z");
    CHECK(import_datetime("2023/10/8 25:00", 480) == "2023/10/8 25:00");
}

TEST_CASE("import mapping: regions split into province, city and district") {
    RegionParts a = split_region("广东省深圳市南山区");
    CHECK(a.province == "广东省");
    CHECK(a.city == "深圳市");
    CHECK(a.district == "南山区");
    RegionParts b = split_region("广东 深圳");
    CHECK(b.province == "广东省");
    CHECK(b.city == "深圳市");
    RegionParts c = split_region("杭州市");
    CHECK(c.province == "浙江省");
    CHECK(c.city == "杭州市");
    RegionParts d = split_region("北京市朝阳区");
    CHECK(d.province == "北京市");
    CHECK(d.city == "北京市");
    CHECK(d.district == "朝阳区");
    RegionParts e = split_region("火星基地");
    CHECK(e.province.empty());
    CHECK(e.city.empty());
}
