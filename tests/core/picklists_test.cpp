// core/picklists: the fixed lists of the brief, GB/T 4754 industries and GB/T 2260 regions.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "core/picklists.h"

using namespace crm;

namespace {
std::vector<std::string> codes(std::string_view list) {
    std::vector<std::string> out;
    for (const PickOption& o : picklist(list)) out.push_back(o.code);
    return out;
}
}  // namespace

TEST_CASE("picklists: small lists hold exactly the brief's codes") {
    using V = std::vector<std::string>;
    CHECK(codes("customer_kind") == V{"enterprise", "personal"});
    CHECK(codes("kind") == V{"enterprise", "personal"});
    CHECK(codes("status") == V{"potential", "intent", "won", "lost"});
    CHECK(codes("intent") == V{"high", "medium", "low"});
    CHECK(codes("source") == V{"website", "trade_show", "phone_inquiry", "referral", "online_promotion",
                               "social_media", "cold_call", "partner", "other"});
    CHECK(codes("size_band") == V{"small", "medium", "large"});
    CHECK(codes("enterprise_type") == V{"state_owned", "private", "foreign", "joint_venture", "collective", "other"});
    CHECK(codes("age_band") == V{"under_25", "25_34", "35_44", "45_54", "55_plus"});
    CHECK(codes("method") == V{"phone", "visit", "email", "meeting", "online"});
    CHECK(codes("feedback") == V{"interested", "needs_info", "not_considering", "refused", "objection"});
    CHECK(codes("tag_type") == V{"industry", "need", "value", "risk", "channel"});
    CHECK(codes("tag_state") == V{"approved", "proposed", "rejected"});
    CHECK(codes("key_date_kind") == V{"contract_signed", "renewal", "birthday", "anniversary"});
    CHECK(picklist("no_such_list").empty());
    CHECK_FALSE(in_picklist("status", "closed"));
    CHECK(in_picklist("status", "won"));
}

TEST_CASE("picklists: GB/T 4754-2017 sections A..T and divisions 01..97") {
    const auto& ind = picklist("industry");
    std::set<std::string> sections, divisions;
    for (const PickOption& o : ind) {
        if (o.parent.empty()) {
            sections.insert(o.code);
        } else {
            divisions.insert(o.code.substr(1));
            CHECK(o.code.substr(0, 1) == o.parent);  // a division's parent is its section
            CHECK(in_picklist("industry", o.parent));
        }
        CHECK(o.label_key == "pick.industry." + o.code);
    }
    CHECK(sections.size() == 20);
    CHECK(*sections.begin() == "A");
    CHECK(*sections.rbegin() == "T");
    CHECK(divisions.size() == 97);
    CHECK(*divisions.begin() == "01");
    CHECK(*divisions.rbegin() == "97");
    REQUIRE(find_option("industry", "C39"));
    CHECK(find_option("industry", "C39")->parent == "C");
    CHECK(find_option("industry", "I65")->parent == "I");
    CHECK_FALSE(in_picklist("industry", "C65"));  // division 65 belongs to I, not C
}

TEST_CASE("picklists: GB/T 2260 regions") {
    int provinces = 0;
    for (const PickOption& o : picklist("region")) {
        CHECK(o.code.size() == 6);
        if (o.parent.empty()) ++provinces;
        else CHECK(in_picklist("region", o.parent));
        CHECK_FALSE(region_name_zh(o.code).empty());
    }
    CHECK(provinces == 34);
    CHECK(region_name_zh("110000") == "北京市");
    CHECK(region_name_zh("440000") == "广东省");
    CHECK(region_name_zh("440300") == "深圳市");
    CHECK(region_name_zh("650000") == "新疆维吾尔自治区");
    CHECK(region_name_zh("440305") == "南山区");
    CHECK(find_option("region", "440305")->parent == "440300");
    CHECK(region_code_by_name("深圳市") == "440300");
    CHECK(region_code_by_name("深圳") == "440300");
    CHECK(region_code_by_name("火星") == "");
    // Every provincial capital is present.
    for (const char* cap : {"石家庄市", "太原市", "呼和浩特市", "沈阳市", "长春市", "哈尔滨市", "南京市", "杭州市",
                            "合肥市", "福州市", "南昌市", "济南市", "郑州市", "武汉市", "长沙市", "广州市",
                            "南宁市", "海口市", "成都市", "贵阳市", "昆明市", "拉萨市", "西安市", "兰州市",
                            "西宁市", "银川市", "乌鲁木齐市"})
        CHECK_MESSAGE(!region_code_by_name(cap).empty(), cap);
    const auto& pre = region_name_prefixes();
    CHECK(std::find(pre.begin(), pre.end(), "广东") != pre.end());
    CHECK(std::find(pre.begin(), pre.end(), "内蒙古") != pre.end());
    for (size_t i = 1; i < pre.size(); ++i) CHECK(pre[i - 1].size() >= pre[i].size());  // longest first
}
