// core/text: UTF-8 helpers, company-name keys and name similarity.
#include <doctest/doctest.h>

#include "core/text.h"

using namespace crm;

TEST_CASE("text: UTF-8 round trip and length") {
    std::string s = "A中𠀀é";
    std::vector<char32_t> cps = utf8_decode(s);
    REQUIRE(cps.size() == 4);
    CHECK(cps[0] == U'A');
    CHECK(cps[1] == U'中');
    CHECK(cps[2] == 0x20000);
    CHECK(cps[3] == 0xE9);
    CHECK(utf8_encode(cps) == s);
    CHECK(utf8_length(s) == 4);
    CHECK(utf8_length("\xE4\xB8") == 2);  // truncated sequence: each byte counted, no overrun
}

TEST_CASE("text: company names normalize to one key") {
    CHECK(normalize_company_name("某某科技有限公司") == "某某科技");
    CHECK(normalize_company_name("某某科技(北京)有限公司") == "某某科技");
    CHECK(normalize_company_name("某某科技（北京）有限公司") == "某某科技");
    CHECK(normalize_company_name("北京某某科技有限公司") == "某某科技");
    CHECK(normalize_company_name("北京市某某科技股份有限公司") == "某某科技");
    CHECK(normalize_company_name("广东省深圳市某某科技集团有限公司") == "某某科技");
    CHECK(normalize_company_name("杭州云帆信息技术有限公司") == "云帆信息技术");
    CHECK(normalize_company_name("Acme Technology Co., Ltd.") == "acmetechnology");
    CHECK(normalize_company_name("ACME TECHNOLOGY INC") == "acmetechnology");
    CHECK(normalize_company_name("某某·科技 有限公司") == "某某科技");
    // A name that is only a region and a legal form keeps the region rather than vanish.
    CHECK(normalize_company_name("北京有限公司") == "北京");
    CHECK(normalize_company_name("某某贸易有限公司") != normalize_company_name("某某科技有限公司"));
}

TEST_CASE("text: name similarity") {
    CHECK(name_similarity("北京某某科技有限公司", "某某科技(北京)有限公司") == doctest::Approx(1.0));
    double near = name_similarity("杭州云帆信息技术有限公司", "云帆信息科技有限公司");
    double far = name_similarity("杭州云帆信息技术有限公司", "上海鼎盛食品有限公司");
    CHECK(near > 0.4);
    CHECK(far < 0.2);
    CHECK(near > far);
    CHECK(name_similarity("", "某某") == 0.0);
}
