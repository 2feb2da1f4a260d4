// core/validate: phones, emails, dates, credit codes, money, enums and the errors they give.
#include <doctest/doctest.h>

#include "core/validate.h"

using namespace crm;

namespace {
std::string code_of(const Status& s) { return s ? std::string() : s.error().code; }
std::string param(const Status& s, const std::string& name) {
    for (const auto& [k, v] : s.error().params)
        if (k == name) return v;
    return "<none>";
}
}  // namespace

TEST_CASE("validate: mainland mobiles") {
    for (const char* ok : {"13812345678", "19912345678", "+86 138 1234 5678", "0086-138-1234-5678",
                           "+8613812345678", "8613812345678", "138-1234-5678", "１３８１２３４５６７８"})
        CHECK_MESSAGE(is_valid_mobile(ok), ok);
    for (const char* bad : {"12812345678", "1381234567", "138123456789", "23812345678", "+1 13812345678",
                            "138a2345678", "", "010-12345678"})
        CHECK_MESSAGE(!is_valid_mobile(bad), bad);
    CHECK(normalize_phone("+86 138 1234 5678") == "13812345678");
    CHECK(normalize_phone("0086-138-1234-5678") == "13812345678");
}

TEST_CASE("validate: landlines with area codes and extensions") {
    for (const char* ok : {"010-12345678", "0755-1234567-123", "(010)12345678 转 8", "（010）12345678",
                           "0571 87654321", "01012345678", "075512345678", "021-55556666 ext 12",
                           "+86 10 12345678"})
        CHECK_MESSAGE(is_valid_landline(ok), ok);
    for (const char* bad : {"12345678", "010-123456", "010-123456789", "10-12345678", "0755-0234567",
                            "13812345678", "010-12345678-1234567", "010-1234abcd"})
        CHECK_MESSAGE(!is_valid_landline(bad), bad);
    CHECK(normalize_phone("(010)12345678 转 8") == "010-12345678-8");
    CHECK(normalize_phone("075512345678") == "0755-12345678");
    CHECK(normalize_phone("01012345678") == "010-12345678");
    CHECK(is_valid_phone("13812345678"));
    CHECK(is_valid_phone("010-12345678"));
    CHECK_FALSE(is_valid_phone("12345"));
}

TEST_CASE("validate: mask_phone") {
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_phone("+86 138 1234 5678") == "138****5678");
    CHECK(mask_phone("010-12345678") == "010-****5678");
    CHECK(mask_phone("0755-1234567-123") == "0755-***4567");
    CHECK(mask_phone("abcdef") == "**cdef");
    CHECK(mask_phone("") == "");
}

TEST_CASE("validate: emails") {
    for (const char* ok : {"a@b.cn", "zhang.wei@yunfan.com.cn", "x+tag@mail.example.org", "12345678@qq.com"})
        CHECK_MESSAGE(is_valid_email(ok), ok);
    for (const char* bad : {"a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a..b@c.cn", "a@-b.cn", "a@b.c1", ".a@b.cn", "a@b..cn"})
        CHECK_MESSAGE(!is_valid_email(bad), bad);
}

TEST_CASE("validate: calendar dates and times") {
    CHECK(is_valid_date("2024-02-29"));  // leap year
    CHECK(is_valid_date("2000-02-29"));  // divisible by 400
    CHECK_FALSE(is_valid_date("1900-02-29"));  // divisible by 100, not 400
    CHECK_FALSE(is_valid_date("2023-02-29"));
    CHECK_FALSE(is_valid_date("2023-04-31"));
    CHECK_FALSE(is_valid_date("2023-13-01"));
    CHECK_FALSE(is_valid_date("2023-1-01"));
    CHECK_FALSE(is_valid_date("2023/01/01"));
    CHECK(is_valid_date("2023-12-31"));
    CHECK(is_valid_datetime("2023-10-01T08:30:00Z"));
    CHECK_FALSE(is_valid_datetime("2023-10-01T24:00:00Z"));
    CHECK_FALSE(is_valid_datetime("2023-10-01 08:30:00"));
    CHECK_FALSE(is_valid_datetime("2023-02-30T08:30:00Z"));
    CHECK(code_of(validate_value(FieldKind::Date, "2023-02-30", "field.customers.first_contact_date")) == "err.date.invalid");
    CHECK(code_of(validate_value(FieldKind::Date, "30/02/2023", "field.customers.first_contact_date")) == "err.date.format");
}

TEST_CASE("validate: unified social credit codes (GB 32100-2015)") {
    // Published codes of real companies; the check character must agree with the formula.
    for (const char* real : {"91350100M000100Y43", "91110000802100433B", "91440300708461136T",
                             "91330100716105852F", "914403001922038216", "91110108558521630L",
                             "91110000710926094P"}) {
        CHECK_MESSAGE(is_valid_credit_code(real), real);
        CHECK(credit_code_check_char(std::string_view(real).substr(0, 17)) == real[17]);
    }
    CHECK(is_valid_credit_code("91350100m000100y43"));  // lower case accepted
    CHECK(canonical_value(FieldKind::CreditCode, "91350100m000100y43") == "91350100M000100Y43");
    // Corrupted: one character changed, two swapped, wrong length, forbidden letters, bad authority.
    for (const char* bad : {"91350100M000100Y44", "91110000802100434B", "91440300708461163T",
                            "9135010M000100Y43", "91350100M000100Y430", "91350100M000100I43",
                            "O1350100M000100Y43", "B1350100M000100Y43"})
        CHECK_MESSAGE(!is_valid_credit_code(bad), bad);
    Status s = validate_value(FieldKind::CreditCode, "91350100M000100Y44", "field.customers.credit_code");
    REQUIRE_FALSE(s);
    CHECK(s.error().code == "err.credit_code.checksum");
    CHECK(s.error().field == "field.customers.credit_code");
    CHECK(param(s, "expected") == "3");
    CHECK(code_of(validate_value(FieldKind::CreditCode, "123", "f")) == "err.credit_code.length");
    CHECK(code_of(validate_value(FieldKind::CreditCode, "91350100M000100S43", "f")) == "err.credit_code.chars");
    CHECK(code_of(validate_value(FieldKind::CreditCode, "B1350100M000100Y43", "f")) == "err.credit_code.authority");
}

TEST_CASE("validate: money in whole yuan") {
    CHECK(parse_money("100000") == 100000);
    CHECK(parse_money("100,000") == 100000);
    CHECK(parse_money("1,234,567") == 1234567);
    CHECK(parse_money("10万") == 100000);
    CHECK(parse_money("1.5万") == 15000);
    CHECK(parse_money("¥2,000元") == 2000);
    CHECK(parse_money("0") == 0);
    CHECK_FALSE(parse_money("-5"));
    CHECK_FALSE(parse_money("12.5"));
    CHECK_FALSE(parse_money("1,00,000"));
    CHECK_FALSE(parse_money("abc"));
    CHECK_FALSE(parse_money("万"));
    CHECK(canonical_value(FieldKind::Money, "10万") == "100000");
    CHECK(code_of(validate_value(FieldKind::Money, "-5", "field.customers.budget")) == "err.money.negative");
    CHECK(code_of(validate_value(FieldKind::Money, "lots", "field.customers.budget")) == "err.money.format");
}

TEST_CASE("validate: money shown grouped by thousands, and read back") {
    CHECK(display_money("7500000") == "7,500,000");
    CHECK(display_money("100000") == "100,000");
    CHECK(display_money("1000") == "1,000");
    CHECK(display_money("999") == "999");
    CHECK(display_money("0") == "0");
    CHECK(display_money("") == "");
    CHECK(display_money("12.5") == "12.5");   // not a stored amount: as it is
    CHECK(parse_money(display_money("1234567")) == 1234567);
}

TEST_CASE("validate: validate_value errors carry code, field and value") {
    Status s = validate_value(FieldKind::Mobile, "12345", "field.contacts.mobile");
    REQUIRE_FALSE(s);
    CHECK(s.error().code == "err.mobile.format");
    CHECK(s.error().field == "field.contacts.mobile");
    CHECK(param(s, "value") == "12345");
    CHECK(validate_value(FieldKind::Mobile, "", "field.contacts.mobile"));  // empty: requiredness is separate
    CHECK(code_of(validate_required("  ", "field.customers.name")) == "err.required");
    CHECK(validate_required("x", "field.customers.name"));
    CHECK(code_of(validate_value(FieldKind::Landline, "12", "f")) == "err.landline.format");
    CHECK(code_of(validate_value(FieldKind::Phone, "12", "f")) == "err.phone.format");
    CHECK(code_of(validate_value(FieldKind::Email, "x@", "f")) == "err.email.format");
    CHECK(code_of(validate_value(FieldKind::DateTime, "2023-10-01", "f")) == "err.datetime.format");
    CHECK(code_of(validate_value(FieldKind::Integer, "7.5", "f")) == "err.integer.format");
    CHECK(validate_value(FieldKind::Integer, "-7", "f"));
    CHECK(code_of(validate_value(FieldKind::Flag, "2", "f")) == "err.flag.format");
    CHECK(validate_value(FieldKind::Flag, "1", "f"));
    CHECK(canonical_value(FieldKind::Flag, "是") == "1");
    CHECK(code_of(validate_value(FieldKind::Name, "12345", "f")) == "err.name.format");
    CHECK(validate_value(FieldKind::Name, "张伟", "f"));
    CHECK(code_of(validate_value(FieldKind::CompanyName, "某", "f")) == "err.company_name.too_short");
    CHECK(code_of(validate_value(FieldKind::Text, std::string(5000, 'a'), "f")) == "err.text.too_long");
    CHECK(code_of(validate_value(FieldKind::Ref, "a b", "f")) == "err.ref.format");
}

TEST_CASE("validate: enum values come from the picklists") {
    CHECK(validate_value(FieldKind::Enum, "won", "field.customers.status", "status"));
    CHECK(validate_value(FieldKind::Enum, "C39", "field.customers.industry", "industry"));
    CHECK(validate_value(FieldKind::Enum, "C", "field.customers.industry", "industry"));
    Status s = validate_value(FieldKind::Enum, "closed", "field.customers.status", "status");
    REQUIRE_FALSE(s);
    CHECK(s.error().code == "err.enum.unknown");
    CHECK(param(s, "list") == "status");
    CHECK(code_of(validate_value(FieldKind::Enum, "C99", "f", "industry")) == "err.enum.unknown");
}

TEST_CASE("validate: normalize_input") {
    CHECK(normalize_input("  ＡＢＣ　１２３  ") == "ABC 123");
    CHECK(normalize_input("a \t\n  b") == "a b");
    CHECK(normalize_input("（北京）") == "(北京)");
    CHECK(normalize_input("") == "");
    CHECK(normalize_input("　") == "");
    CHECK(normalize_input("张伟") == "张伟");
}

TEST_CASE("validate: passphrase strength hint") {
    CHECK(passphrase_strength("") == 0);
    CHECK(passphrase_strength("password") == 0);
    CHECK(passphrase_strength("aaaaaaaaaaaa") == 0);          // one kind of character
    CHECK(passphrase_strength("abcdefghijklmnopq") == 1);     // long but one kind
    CHECK(passphrase_strength("sales2024team") == 1);
    CHECK(passphrase_strength("sales-2024-team!") == 2);
    CHECK(passphrase_strength("我们的客户数据很重要2024") == 1);  // 14 characters, two kinds
    CHECK(passphrase_strength("我们的客户数据很重要-2024") == 2);  // three kinds
}
