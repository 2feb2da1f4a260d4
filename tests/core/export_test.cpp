// core/export: CSV for Excel over a filter or a selection, chosen columns, labels, masked
// phones unless allowed, formula cells neutralized, a history event per export, and a
// round trip back through the import.
#include <doctest/doctest.h>

#include <cstring>
#include <map>

#include "core/customers.h"
#include "core/export.h"
#include "core/interactions.h"
#include "core/tags.h"
#include "import_fixture.h"
#include "zip_reader.h"

using namespace crm;
using testfx::count;

namespace {

// The import suite's workspace (its customer is `a`), two more customers, a contact, an
// interaction and a tag.
struct Setup : testfx::ImportSetup {
    std::string a, b, c;
    Setup() {
        a = existing;
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
        CHECK(r.bytes.rfind("\xEF\xBB\xBF", 0) == 0);  // Excel reads UTF-8 only with the BOM
        auto t = csv::read(r.bytes);
        REQUIRE(t.ok());
        CHECK(t->encoding == csv::Encoding::Utf8Bom);
        return std::move(*t);
    }
};

// The IT-industry customers by name, with their key contact: the CSV and the XLSX test
// export the same rows.
ExportRequest it_customers_by_name() {
    ExportRequest req;
    req.fields = {"number", "name", "industry", "province", "key_contact.name", "key_contact.mobile"};
    req.filter.conditions = {{"industry", FilterOp::Eq, {"I"}}};
    req.filter.sort = "name";
    req.filter.descending = false;
    return req;
}

}  // namespace

TEST_CASE("export: customers over a filter, chosen columns, labels, masked phones") {
    Setup s;
    ExportRequest req = it_customers_by_name();
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
    CHECK(r->bytes.find("13812345678") == std::string::npos);

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

namespace {

std::string xml_text(std::string s) {
    for (auto [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}})
        for (size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, std::strlen(from), to);
    return s;
}

// The cells of an .xlsx worksheet by reference ("B2"), as text: inline strings and shared
// strings (sharedStrings.xml) both; a formula cell reads as "<f>".
std::map<std::string, std::string> sheet_cells(const std::map<std::string, std::string>& zip, const std::string& sheet) {
    std::vector<std::string> shared;
    if (auto sst = zip.find("xl/sharedStrings.xml"); sst != zip.end())
        for (size_t at = 0; (at = sst->second.find("<si>", at)) != std::string::npos; ++at) {
            const size_t t = sst->second.find('>', sst->second.find("<t", at)) + 1;
            shared.push_back(xml_text(sst->second.substr(t, sst->second.find("</t>", t) - t)));
        }
    std::map<std::string, std::string> out;
    const std::string& x = zip.at(sheet);
    for (size_t at = 0; (at = x.find("<c r=\"", at)) != std::string::npos;) {
        const size_t ref_end = x.find('"', at + 6);
        const std::string ref = x.substr(at + 6, ref_end - at - 6);
        const size_t open_end = x.find('>', at);
        const bool empty = x[open_end - 1] == '/';
        const size_t end = empty ? open_end : x.find("</c>", at);
        const std::string cell = x.substr(at, end - at);
        at = end;
        if (empty) continue;
        if (cell.find("<f>") != std::string::npos) { out[ref] = "<f>"; continue; }
        if (cell.find("t=\"s\"") != std::string::npos) {
            const size_t v = cell.find("<v>") + 3;
            out[ref] = shared.at(std::stoul(cell.substr(v, cell.find("</v>") - v)));
        } else if (size_t t = cell.find("<t"); t != std::string::npos) {
            t = cell.find('>', t) + 1;
            out[ref] = xml_text(cell.substr(t, cell.find("</t>", t) - t));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("export: the same rows as an Excel workbook, formulas written as text") {
    Setup s;
    ExportRequest req = it_customers_by_name();
    auto r = export_xlsx(s.fx.ws, req, s.lang.zh);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->rows == 2);
    CHECK(r->bytes.rfind("PK\x03\x04", 0) == 0);
    const auto zip = testfx::unzip(r->bytes);
    REQUIRE(zip.count("xl/worksheets/sheet1.xml") == 1);
    REQUIRE(zip.count("[Content_Types].xml") == 1);
    CHECK(zip.at("xl/workbook.xml").find("name=\"客户\"") != std::string::npos);  // the sheet's name
    auto cells = sheet_cells(zip, "xl/worksheets/sheet1.xml");
    CHECK(cells["A1"] == "客户编号");
    CHECK(cells["F1"] == "手机");
    // The hostile name is a string cell as it is: shown as text, never evaluated, no apostrophe.
    CHECK(cells["B2"] == "=cmd|' /C calc'!A0");
    CHECK(cells["B3"] == "杭州云帆科技有限公司");
    CHECK(cells["C3"] == "信息传输、软件和信息技术服务业");
    CHECK(cells["E3"] == "李娜");
    CHECK(cells["F3"] == "138****5678");
    CHECK(cells.count("A4") == 0);
    for (const auto& cell : cells) CHECK_MESSAGE(cell.second != "<f>", cell.first);
    for (const auto& entry : zip) CHECK_MESSAGE(entry.second.find("13812345678") == std::string::npos, entry.first);

    auto events = query_rows(s.fx.ws.db(), "SELECT new FROM history WHERE tbl = 'export' ORDER BY seq");
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    CHECK(value(events->at(0), "new").find("\"format\":\"xlsx\"") != std::string::npos);
    CHECK(value(events->at(0), "new").find("\"phones\":\"masked\"") != std::string::npos);
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
