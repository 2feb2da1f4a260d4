// core/vcard: 3.0, 4.0 and 2.1 cards with folding, QUOTED-PRINTABLE, escapes and several
// numbers and addresses; GB18030 text; broken files.
#include <doctest/doctest.h>

#include "core/vcard.h"
#include "import_fixture.h"

using namespace crm;

TEST_CASE("vcard: the fixture's four cards") {
    auto file = parse_vcards(testfx::read_file("contacts.vcf"));
    REQUIRE(file.ok());
    REQUIRE(file->cards.size() == 4);
    CHECK(file->warnings.empty());

    const VCard& a = file->cards[0];  // 3.0, folded NOTE, two TEL and two EMAIL
    CHECK(a.version == "3.0");
    CHECK(a.line == 1);
    CHECK(a.display_name() == "陈静");
    CHECK(a.family == "陈");
    CHECK(a.given == "静");
    CHECK(a.org == "深圳市星河精密制造有限公司");  // first ORG component only
    CHECK(a.title == "采购经理");
    REQUIRE(a.tels.size() == 2);
    CHECK(a.tels[0].value == "13900001111");
    CHECK(a.tels[0].types == std::vector<std::string>{"cell"});
    CHECK(a.tels[1].value == "0755-26001234");
    CHECK(a.tels[1].types == std::vector<std::string>{"work", "voice"});
    REQUIRE(a.emails.size() == 2);
    CHECK(a.emails[1].value == "cj@example.net");
    CHECK(a.note == "2023年展会认识，负责设备采购，关注交期和售后服务，每季度下单一次。");

    const VCard& b = file->cards[1];  // 4.0: tel: URIs, quoted TYPE list, PREF=1
    CHECK(b.version == "4.0");
    REQUIRE(b.tels.size() == 2);
    CHECK(b.tels[0].value == "+86-139-1111-3333");
    CHECK(b.tels[0].preferred);
    CHECK(b.tels[0].types == std::vector<std::string>{"cell", "voice"});
    CHECK_FALSE(b.tels[1].preferred);
    CHECK(b.emails.at(0).value == "lin.xiaoyu@ludao.com");

    const VCard& c = file->cards[2];  // 2.1: QUOTED-PRINTABLE UTF-8 with a soft line break
    CHECK(c.version == "2.1");
    CHECK(c.display_name() == "张三");
    CHECK(c.family == "张");
    CHECK(c.org.empty());
    REQUIRE(c.tels.size() == 2);
    CHECK(c.tels[0].types == std::vector<std::string>{"cell"});
    CHECK(c.note == "朋友介绍的客户，想买两台设备");

    const VCard& d = file->cards[3];  // escaped comma and semicolon
    CHECK(d.org == "Acme, Inc.");
    CHECK(d.title == "Buyer; Asia");
    CHECK(d.display_name() == "Lei Wang");
}

TEST_CASE("vcard: names without FN, LF line ends, GBK charset, unterminated cards") {
    // N only: Chinese names join without a space, Latin ones given-first.
    auto n = parse_vcards("BEGIN:VCARD\nVERSION:3.0\nN:李;娜;;;\nEND:VCARD\nBEGIN:VCARD\nN:Smith;Anna\nEND:VCARD\n");
    REQUIRE(n.ok());
    REQUIRE(n->cards.size() == 2);
    CHECK(n->cards[0].display_name() == "李娜");
    CHECK(n->cards[1].display_name() == "Anna Smith");

    // A GBK-encoded 2.1 value (older Chinese phones): =C0=EE=C4=C8 is 李娜 in GBK.
    auto gbk = parse_vcards("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=C0=EE=C4=C8\r\n"
                            "TEL;CELL;PREF:13812345678\r\nEND:VCARD\r\n");
    REQUIRE(gbk.ok());
    CHECK(gbk->cards[0].formatted_name == "李娜");
    CHECK(gbk->cards[0].tels[0].preferred);

    // A whole file in GB18030 bytes (a .vcf saved by a Windows tool).
    std::string bytes = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xC0\xEE\xC4\xC8\r\nEND:VCARD\r\n";
    auto whole = parse_vcards(bytes);
    REQUIRE(whole.ok());
    CHECK(whole->cards[0].formatted_name == "李娜");

    auto cut = parse_vcards("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\nBEGIN:VCARD\nFN:C\n");
    REQUIRE(cut.ok());
    CHECK(cut->cards.size() == 3);
    REQUIRE(cut->warnings.size() == 2);
    CHECK(cut->warnings[0].code == "err.vcard.unterminated");

    auto none = parse_vcards("客户名称,手机\r\n某某,13812345678\r\n");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "err.vcard.no_cards");
    CHECK_FALSE(parse_vcards("").ok());
}
