// core/ids and core/clock: number formats, record ids, the HLC and calendar arithmetic,
// and uniqueness of numbers and ids across devices.
#include "data_fixture.h"

#include <set>

#include "core/clock.h"
#include "core/ids.h"
#include "core/interactions.h"

using namespace crm;

TEST_CASE("ids: human number formats of the brief") {
    CHECK(customer_number("202310", "01", 1) == "CX202310010001");
    CHECK(customer_number("202401", "12", 345) == "CX202401120345");
    CHECK(customer_number("202310", "01", 10000) == "CX2023100110000");  // widens, never wraps
    CHECK(interaction_number("CX202310010001", "01", 3) == "HD202310010001-01003");
    CHECK(interaction_number("CX202310010001", "02", 12) == "HD202310010001-02012");
}

TEST_CASE("ids: record ids, base36, device ids and codes") {
    CHECK(to_base36(0) == "0");
    CHECK(to_base36(35) == "z");
    CHECK(to_base36(36) == "10");
    CHECK(to_base36(1295) == "zz");
    CHECK(record_id("00000000000000a1", 36) == "00000000000000a1-10");
    std::string d1 = new_device_id(), d2 = new_device_id();
    CHECK(is_valid_device_id(d1));
    CHECK(d1 != d2);
    CHECK_FALSE(is_valid_device_id("00000000000000A1"));
    CHECK_FALSE(is_valid_device_id("abc"));
    CHECK(is_valid_device_code("01"));
    CHECK_FALSE(is_valid_device_code("1"));
    CHECK_FALSE(is_valid_device_code("0a"));
}

TEST_CASE("clock: dates, ISO times, weekdays, working days") {
    CHECK(format_date(*parse_date("2023-10-09")) == "2023-10-09");
    CHECK_FALSE(parse_date("2023-02-30").has_value());
    CHECK_FALSE(parse_date("2023-13-01").has_value());
    CHECK(parse_date("2024-02-29").has_value());
    CHECK(*parse_iso_ms("1970-01-02T00:00:01Z") == 86'401'000);
    CHECK(*parse_iso_ms("2023-10-09T02:00:00.250Z") % 1000 == 250);
    CHECK_FALSE(parse_iso_ms("2023-10-09T25:00:00Z").has_value());
    CHECK(*parse_iso_ms("2023-10-09 02:00") == *parse_iso_ms("2023-10-09T02:00:00Z"));
    CHECK_FALSE(parse_iso_ms("2023-10-09T02:00:00+08:00").has_value());  // UTC only
    CHECK(format_iso(*parse_iso_ms("2026-11-22T12:34:56Z")) == "2026-11-22T12:34:56Z");
    CHECK(weekday(*parse_date("2026-11-22")) == 6);  // Sunday
    CHECK(weekday(*parse_date("2023-10-09")) == 0);  // Monday
    CHECK(format_date(add_working_days(*parse_date("2023-10-06"), 3)) == "2023-10-11");  // Fri -> Wed
    CHECK(format_date(add_working_days(*parse_date("2023-10-09"), 3)) == "2023-10-12");  // Mon -> Thu
    CHECK(format_date(add_working_days(*parse_date("2023-10-07"), 1)) == "2023-10-09");  // Sat -> Mon
    FixedClock c("2023-10-09T23:59:59Z");
    CHECK(c.today() == "2023-10-09");
    CHECK(c.now_iso() == "2023-10-09T23:59:59Z");
}

TEST_CASE("clock: the user's day and the times they read are in their time zone") {
    FixedClock c("2026-11-22T17:30:00Z");      // 01:30 on the 23rd in Beijing
    CHECK(c.today() == "2026-11-22");
    CHECK(c.local_minute("2026-11-22T17:30:00Z") == "2026-11-22 17:30");
    c.set_utc_offset_min(8 * 60);
    CHECK(c.today() == "2026-11-23");
    CHECK(c.now_iso() == "2026-11-22T17:30:00Z");  // what is stored stays UTC
    CHECK(c.local_minute("2026-11-22T17:30:00Z") == "2026-11-23 01:30");
    CHECK(c.local_minute("2026-11-22T17:30:00.250Z") == "2026-11-23 01:30");
    CHECK(c.local_date("2026-12-31T16:00:00Z") == "2027-01-01");
    CHECK(c.local_date("2026-11-22") == "2026-11-22");      // a date has no time zone
    CHECK(c.local_minute("not a time at all") == "not a time at all");
    c.set_utc_offset_min(-5 * 60);
    CHECK(c.local_minute("2026-01-01T03:00:00Z") == "2025-12-31 22:00");
    CHECK(c.today() == "2026-11-22");
}

TEST_CASE("clock: hybrid logical clock is sortable and never goes back") {
    Hlc h("00000000000000a1");
    int64_t t = *parse_iso_ms("2026-11-22T12:00:00Z");
    std::string a = h.tick(t);
    CHECK(a == "2026-11-22T12:00:00.000Z-0000-00000000000000a1");
    std::string b = h.tick(t);
    CHECK(b == "2026-11-22T12:00:00.000Z-0001-00000000000000a1");
    std::string c = h.tick(t - 5000);  // wall clock went backwards
    CHECK(c > b);
    std::string d = h.tick(t + 1);
    CHECK(d == "2026-11-22T12:00:00.001Z-0000-00000000000000a1");
    auto p = parse_hlc(b);
    REQUIRE(p.has_value());
    CHECK(p->ms == t);
    CHECK(p->counter == 1);
    CHECK(p->device == "00000000000000a1");
    CHECK(p->str() == b);
    // A stamp seen from another device moves the clock forward.
    h.observe(HlcStamp{t + 60'000, 7, "00000000000000b2"});
    std::string e = h.tick(t + 2);
    CHECK(e == "2026-11-22T12:01:00.000Z-0008-00000000000000a1");
    CHECK_FALSE(parse_hlc("garbage").has_value());
}

TEST_CASE("ids: CX serials per device per month, HD serials per customer per device") {
    testfx::Fx fx;
    std::string a = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
    std::string b = testfx::make_customer(fx.ws, "宁波海川贸易有限公司", "13912345678");
    CHECK(get_customer(fx.ws, a)->number == "CX202310010001");
    CHECK(get_customer(fx.ws, b)->number == "CX202310010002");
    fx.clock->set(*parse_iso_ms("2023-11-01T00:00:00Z"));
    std::string c = testfx::make_customer(fx.ws, "温州远航鞋业有限公司", "13712345678");
    CHECK(get_customer(fx.ws, c)->number == "CX202311010001");

    auto i1 = log_interaction(fx.ws, a, {{"method", "phone"}, {"summary", "首次电话沟通"}});
    auto i2 = log_interaction(fx.ws, a, {{"method", "visit"}, {"summary", "上门拜访"}});
    auto i3 = log_interaction(fx.ws, b, {{"method", "email"}, {"summary", "发送报价"}});
    REQUIRE(i1.ok());
    REQUIRE(i2.ok());
    REQUIRE(i3.ok());
    CHECK(get_interaction(fx.ws, *i1)->number == "HD202310010001-01001");
    CHECK(get_interaction(fx.ws, *i2)->number == "HD202310010001-01002");
    CHECK(get_interaction(fx.ws, *i3)->number == "HD202310010002-01001");
}

TEST_CASE("ids: two devices creating records in the same month never collide") {
    auto clock = std::make_shared<FixedClock>("2023-10-15T09:00:00Z");
    Workspace d1 = testfx::open_ws(clock, "01", "00000000000000a1");
    Workspace d2 = testfx::open_ws(clock, "02", "00000000000000b2");
    std::set<std::string> numbers, ids;
    const char* mobiles[] = {"13812345670", "13812345671", "13812345672"};
    for (int i = 0; i < 3; ++i) {
        for (Workspace* ws : {&d1, &d2}) {
            std::string id = testfx::make_customer(*ws, "杭州云帆科技有限公司", mobiles[i]);
            ids.insert(id);
            numbers.insert(get_customer(*ws, id)->number);
        }
    }
    CHECK(ids.size() == 6);
    CHECK(numbers.size() == 6);
    CHECK(numbers.count("CX202310010003") == 1);
    CHECK(numbers.count("CX202310020003") == 1);
    // Every record id of both databases (contacts, status history...) is distinct too.
    std::set<std::string> all;
    size_t total = 0;
    for (Workspace* ws : {&d1, &d2}) {
        for (const char* t : {"customers", "contacts", "status_history"}) {
            auto rows = query_rows(ws->db(), std::string("SELECT id FROM ") + t);
            REQUIRE(rows.ok());
            for (const Row& r : *rows) all.insert(value(r, "id")), ++total;
        }
    }
    CHECK(all.size() == total);

    // Two devices writing to one customer (shared database stands in for sync) keep
    // separate HD serials.
    const std::string uri = "file:/ids_test_shared?vfs=memdb";
    auto dba = store::Db::open(uri);
    auto wa = Workspace::open(std::move(*dba), {"00000000000000a1", "01", "张伟"}, clock);
    REQUIRE(wa.ok());
    std::string cust = testfx::make_customer(*wa);
    auto dbb = store::Db::open(uri);
    auto wb = Workspace::open(std::move(*dbb), {"00000000000000b2", "02", "李娜"}, clock);
    REQUIRE(wb.ok());
    auto x = log_interaction(*wa, cust, {{"method", "phone"}, {"summary", "A"}});
    auto y = log_interaction(*wb, cust, {{"method", "phone"}, {"summary", "B"}});
    REQUIRE(x.ok());
    REQUIRE(y.ok());
    CHECK(get_interaction(*wa, *x)->number == "HD202310010001-01001");
    CHECK(get_interaction(*wb, *y)->number == "HD202310010001-02001");
}
