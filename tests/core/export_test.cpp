// core/export: CSV for Excel over a filter or a selection, chosen columns, labels, masked
// phones unless allowed, formula cells neutralized, a history event per export, and a
// round trip back through the import.
#include <doctest/doctest.h>

#include "core/customers.h"
#include "core/export.h"
#include "core/interactions.h"
#include "core/tags.h"
#include "import_fixture.h"

using namespace crm;
using testfx::count;

namespace {

struct Setup {
    testfx::Fx fx;
    testfx::Languages lang;
    std::string a, b, c;
    Setup() {
        a = testfx::make_customer(fx.ws, "杭州云帆科技有限公司", "13812345678");
        b = testfx::make_customer(fx.ws, "=cmd|' /C calc'!A0", "13900001111");  // a hostile name
        c = testfx::make_customer(fx.ws, "宁波东海港务有限公司", "13700009999");
        REQUIRE(update_customer(fx.ws, c, {{"industry", "G"}, {"province", "浙江省"}}));
        REQUIRE(add_contact(fx.ws, c, {{"name", "周敏"}, {"landline", "0574-87001234"}, {"email", "zm@donghai.cn"}}));
        REQUIRE(log_interaction(fx.ws, a, {{"at", "2023-10-08T06:30:00Z"}, {"method", "phone"}, {"summary", "报价沟通"}}));
        REQUIRE(seed_tag_library(fx.ws));
        auto tags = list_tags(fx.ws, "approved");
        REQUIRE(tags.ok());
        REQUIRE_FALSE(tags->empty());
        REQUIRE(add_tag_to_customer(fx.ws, a, tags->front().id, "重点客户"));
    }
    csv::Table read(const ExportResult& r) {
        CHECK(r.csv.rfind("\xEF\xBB\xBF", 0) == 0);  // Excel reads UTF-8 only with the BOM
        auto t = csv::read(r.csv);
        REQUIRE(t.ok());
        CHECK(t->encoding == csv::Encoding::Utf8Bom);
        return std::move(*t);
    }
};

}  // namespace

TEST_CASE("export: customers over a filter, chosen columns, labels, masked phones") {
    Setup s;
    ExportRequest req;
    req.fields = {"number", "name", "industry", "province", "key_contact.name", "key_contact.mobile"};
    req.filter.conditions = {{"industry", FilterOp::Eq, {"I"}}};
    req.filter.sort = "name";
    req.filter.descending = false;
    auto r = export_csv(s.fx.ws, req, s.lang.zh);
    REQUIRE(r.ok());
    CHECK(r->rows == 2);
    CHECK(r->customers == 2);
    csv::Table t = s.read(*r);
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].cells == std::vector<std::string>{"客户编号", "名称", "所属行业", "省份", "联系人", "手机"});
    // Sorted by name: "=cmd..." before "杭州...". The formula is neutralized by the writer.
    CHECK(t.rows[1].cells[1] == "'=cmd|' /C calc'!A0");
    CHECK(t.rows[2].cells[1] == "杭州云帆科技有限公司");
    CHECK(t.rows[2].cells[2] == "信息传输、软件和信息技术服务业");
    CHECK(t.rows[2].cells[4] == "李娜");
    CHECK(t.rows[2].cells[5] == "138****5678");
    CHECK(r->csv.find("13812345678") == std::string::npos);

    req.show_phones = true;
    req.picklist_labels = false;
    auto shown = export_csv(s.fx.ws, req, s.lang.en);
    REQUIRE(shown.ok());
    csv::Table u = s.read(*shown);
    CHECK(u.rows[0].cells[5] == "Mobile");
    CHECK(u.rows[2].cells[5] == "13812345678");
    CHECK(u.rows[2].cells[2] == "I");

    // Each export is one history event saying what went out, phones masked or not.
    auto events = query_rows(s.fx.ws.db(), "SELECT record_id, new FROM history WHERE tbl = 'export' ORDER BY seq");
    REQUIRE(events.ok());
    REQUIRE(events->size() == 2);
    CHECK(value(events->at(0), "record_id") == r->export_id);
    CHECK(value(events->at(0), "new").find("\"phones\":\"masked\"") != std::string::npos);
    CHECK(value(events->at(1), "new").find("\"phones\":\"shown\"") != std::string::npos);
    CHECK(value(events->at(1), "new").find("\"rows\":2") != std::string::npos);
}

TEST_CASE("export: a selection of ids keeps its order; contacts, interactions and tags") {
    Setup s;
    ExportRequest req;
    req.table = ExportTable::Contacts;
    req.customer_ids = {s.c, "no-such-id", s.a, s.c};
    auto r = export_csv(s.fx.ws, req, s.lang.en);
    REQUIRE(r.ok());
    CHECK(r->customers == 2);
    csv::Table t = s.read(*r);
    REQUIRE(t.rows.size() == 4);  // c has two contacts, a one
    CHECK(t.rows[0].cells.at(1) == "Customer");
    CHECK(t.rows[1].cells.at(1) == "宁波东海港务有限公司");
    CHECK(t.rows[2].cells.at(2) == "周敏");
    CHECK(t.rows[2].cells.at(5) == "0574-****1234");  // landline masked, area code kept
    CHECK(t.rows[3].cells.at(1) == "杭州云帆科技有限公司");
    CHECK(t.rows[1].cells.at(7) == "Yes");  // key contact

    req.table = ExportTable::Interactions;
    auto i = export_csv(s.fx.ws, req, s.lang.zh);
    REQUIRE(i.ok());
    CHECK(i->rows == 1);
    csv::Table it = s.read(*i);
    CHECK(it.rows[1].cells.at(4) == "电话");
    CHECK(it.rows[1].cells.at(6) == "报价沟通");

    req.table = ExportTable::Tags;
    auto g = export_csv(s.fx.ws, req, s.lang.zh);
    REQUIRE(g.ok());
    CHECK(g->rows == 1);
    csv::Table gt = s.read(*g);
    CHECK(gt.rows[1].cells.at(4) == "重点客户");
    CHECK_FALSE(gt.rows[1].cells.at(3).empty());

    req.fields = {"name", "nope"};
    auto bad = export_csv(s.fx.ws, req, s.lang.en);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "err.export.unknown_field");
    CHECK(count(s.fx.ws, "SELECT count(*) FROM history WHERE tbl = 'export'") == 3);
}

TEST_CASE("export: what we export imports back into another workspace") {
    Setup s;
    ExportRequest req;
    req.fields = {"name", "kind", "industry", "province", "source", "status", "owner", "key_contact.name",
                  "key_contact.mobile", "key_contact.email"};
    req.show_phones = true;
    req.filter.sort = "name";
    auto r = export_csv(s.fx.ws, req, s.lang.zh);
    REQUIRE(r.ok());
    csv::Table t = s.read(*r);

    testfx::Fx other;
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    CHECK(m.targets == std::vector<std::string>{"customers.name", "customers.kind", "customers.industry",
                                                "customers.province", "customers.source", "customers.status",
                                                "customers.owner", "contacts.name", "contacts.mobile",
                                                "contacts.email"});
    std::vector<ColumnValues> values = map_values(t, m, s.lang.guesser());
    for (const ColumnValues& v : values) CHECK_MESSAGE(v.unmapped() == 0, v.target);
    auto p = prepare_import(other.ws, t, m, testfx::wizard_options());
    REQUIRE(p.ok());
    // The hostile name comes back with the apostrophe the export added: still a valid name.
    CHECK(p->invalid() == 0);
    auto done = run_import(other.ws, *p);
    REQUIRE(done.ok());
    CHECK(done->created == 3);
    auto back = query_rows(other.ws.db(), "SELECT industry FROM customers WHERE name = '宁波东海港务有限公司'");
    REQUIRE(back.ok());
    CHECK(value(back->front(), "industry") == "G");
}
