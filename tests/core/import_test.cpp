// core/import: plans from real-looking files (GBK as Excel/WPS save it, UTF-8 with BOM),
// validation reasons, duplicates within and across files, the user's decisions, the
// step-wise run, the report, undo to the exact previous state, interactions and vCards.
#include <doctest/doctest.h>

#include "core/customers.h"
#include "core/duplicates.h"
#include "core/import.h"
#include "core/interactions.h"
#include "core/search.h"
#include "core/tags.h"
#include "core/vcard.h"
#include "import_fixture.h"

using namespace crm;
using testfx::count;

namespace {

using Setup = testfx::ImportSetup;

const ImportRow& row_at_line(const ImportPlan& p, size_t line) {
    for (const ImportRow& r : p.rows)
        if (r.line == line) return r;
    FAIL("no row at line " << line);
    return p.rows.front();
}

bool has_error(const ImportRow& r, const std::string& code, const std::string& field = "") {
    for (const Error& e : r.errors)
        if (e.code == code && (field.empty() || e.field == field)) return true;
    return false;
}

std::string field(const std::vector<FieldValue>& fs, const std::string& name) {
    for (const FieldValue& f : fs)
        if (f.field == name) return f.value.value_or("");
    return {};
}

}  // namespace

TEST_CASE("import: plan of the GBK file — every row validated, reasons, duplicates") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    // 13 data lines (one address spans two), one blank row left out.
    REQUIRE(p.rows.size() == 11);
    CHECK(p.invalid() == 5);
    CHECK(p.with_matches() == 2);
    CHECK(p.count(RowAction::Create) == 4);
    CHECK(p.count(RowAction::Skip) == 7);
    CHECK(p.count(RowAction::Update) == 0);

    const ImportRow& first = row_at_line(p, 2);
    CHECK(first.valid());
    CHECK(first.action == RowAction::Create);
    CHECK(field(first.customer, "industry") == "C");            // 制造 -> C
    CHECK(field(first.customer, "source") == "trade_show");
    CHECK(field(first.customer, "kind") == "enterprise");
    CHECK(field(first.customer, "first_contact_date") == "2024-03-05");
    CHECK(field(first.contact, "landline") == "0755-26001234");  // 联系电话 holding a landline

    const ImportRow& quoted = row_at_line(p, 3);  // address with a comma and a line break
    CHECK(quoted.valid());
    CHECK(field(quoted.customer, "address") == "天河区珠江新城华夏路10号, 富力中心 23楼");
    CHECK(field(quoted.customer, "status") == "intent");  // 意向客户

    CHECK(has_error(row_at_line(p, 5), "err.mobile.format", "field.contacts.mobile"));
    CHECK(row_at_line(p, 5).errors.size() == 1);
    CHECK(has_error(row_at_line(p, 6), "err.credit_code.checksum", "field.customers.credit_code"));
    CHECK(has_error(row_at_line(p, 7), "err.date.invalid", "field.customers.first_contact_date"));
    CHECK(has_error(row_at_line(p, 10), "err.enum.unknown", "field.customers.industry"));
    CHECK(has_error(row_at_line(p, 12), "err.customer.contact_method_required"));
    for (const ImportRow& r : p.rows)
        if (!r.valid()) CHECK(r.action == RowAction::Skip);

    const ImportRow& repeat = row_at_line(p, 8);  // the first row again, in other words
    REQUIRE(repeat.matches.size() == 1);
    CHECK(repeat.matches[0].row == 0);
    CHECK(repeat.matches[0].record_id.empty());
    CHECK(repeat.action == RowAction::Skip);
    const ImportRow& known = row_at_line(p, 9);  // the customer already in the workspace
    REQUIRE_FALSE(known.matches.empty());
    CHECK(known.matches[0].record_id == s.existing);
    CHECK(known.matches[0].number == "CX202310010001");
    CHECK(known.matches[0].reasons.at(0) == "dup.reason.same_phone");
    CHECK(known.action == RowAction::Skip);

    const ImportRow& person = row_at_line(p, 11);
    CHECK(person.valid());
    CHECK(field(person.customer, "kind") == "personal");
    CHECK(field(person.customer, "status") == "intent");
    const ImportRow& last = row_at_line(p, 14);
    CHECK(last.valid());
    CHECK(field(last.customer, "status") == "won");
    CHECK(field(last.customer, "first_contact_date") == "2023-12-08");
    CHECK(field(last.customer, "budget") == "1.5万");  // the write path stores 15000

    // Nothing was written by preparing.
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers") == 1);
}

TEST_CASE("import: the run writes what the plan says, counts and reasons match") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    const int64_t history_before = count(s.fx.ws, "SELECT count(*) FROM history");
    auto r = run_import(s.fx.ws, p);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->created == 4);
    CHECK(r->updated == 0);
    CHECK(r->skipped == 2);
    CHECK(r->failed == 5);
    CHECK(r->rows.size() == p.rows.size());
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers WHERE deleted = 0") == 5);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM contacts WHERE deleted = 0") == 5);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM history WHERE origin = 'import' AND field = 'created' "
                         "AND tbl = 'customers'") == 4);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM history") > history_before);
    for (size_t i = 0; i < p.rows.size(); ++i)
        if (r->rows[i].outcome == RowOutcome::Failed) CHECK_FALSE(r->rows[i].errors.empty());

    // Stored in canonical form by the write path.
    auto star = query_rows(s.fx.ws.db(), "SELECT * FROM customers WHERE name = '杭州西子文化传媒有限公司'");
    REQUIRE(star.ok());
    REQUIRE(star->size() == 1);
    CHECK(value(star->front(), "budget") == "15000");
    CHECK(value(star->front(), "status") == "won");
    CHECK(value(star->front(), "notes") == "=HYPERLINK(\"http://x\")");  // data kept as typed
    auto person = query_rows(s.fx.ws.db(),
        "SELECT c.kind, c.industry, k.name, k.is_key FROM customers c JOIN contacts k ON k.customer_id = c.id "
        "WHERE c.name = '黄丽'");
    REQUIRE(person.ok());
    REQUIRE(person->size() == 1);
    CHECK(value(person->front(), "kind") == "personal");
    CHECK(value(person->front(), "name") == "黄丽");  // a person is their own contact
    CHECK(value(person->front(), "is_key") == "1");

    // The batch is listed with the same counts.
    auto batches = list_import_batches(s.fx.ws);
    REQUIRE(batches.ok());
    REQUIRE(batches->size() == 1);
    CHECK(batches->front().id == r->batch_id);
    CHECK(batches->front().created == 4);
    CHECK(batches->front().failed == 5);
    CHECK(batches->front().source == "test.csv");
    CHECK_FALSE(batches->front().undone);

    // The report: one line per row, every failure with its reason in plain words.
    for (const Translations* tr : {&s.lang.en, &s.lang.zh}) {
        std::string report = import_report_csv(p, *r, *tr);
        CHECK(report.rfind("\xEF\xBB\xBF", 0) == 0);
        auto table = csv::read(report);
        REQUIRE(table.ok());
        REQUIRE(table->rows.size() == p.rows.size() + 1);
        size_t failed = 0, created = 0;
        for (size_t i = 1; i < table->rows.size(); ++i) {
            const auto& cells = table->rows[i].cells;
            REQUIRE(cells.size() == 5);
            CHECK(cells[0] == std::to_string(p.rows[i - 1].line));
            if (cells[2] == tr->tr("import.outcome.failed")) {
                failed++;
                CHECK_FALSE(cells[4].empty());
                CHECK(cells[4].find("err.") == std::string::npos);  // translated, not a key
                CHECK(cells[4].find('{') == std::string::npos);     // no placeholder left
            }
            if (cells[2] == tr->tr("import.outcome.created")) {
                created++;
                CHECK(cells[3].rfind("CX2023100100", 0) == 0);
            }
        }
        CHECK(failed == 5);
        CHECK(created == 4);
        CHECK(report.find("CX202310010001") != std::string::npos);  // the skipped row names its twin
    }
    std::string zh = import_report_csv(p, *r, s.lang.zh);
    CHECK(zh.find("不是有效的手机号") != std::string::npos);
}

TEST_CASE("import: the user's decisions — map a value, update an existing customer, import a repeat as new") {
    Setup s;
    csv::Table t = testfx::read_table("customers_gbk.csv");
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    map_values(t, m, s.lang.guesser());
    m.values["customers.industry"]["星际贸易"] = "F";  // the user maps the unknown value
    auto planned = prepare_import(s.fx.ws, t, m, testfx::wizard_options());
    REQUIRE(planned.ok());
    ImportPlan& p = *planned;
    CHECK(p.invalid() == 4);

    size_t known = 0, repeat = 0, bad = 0;
    for (size_t i = 0; i < p.rows.size(); ++i) {
        if (p.rows[i].line == 9) known = i;
        if (p.rows[i].line == 8) repeat = i;
        if (p.rows[i].line == 5) bad = i;
    }
    CHECK_FALSE(set_action(p, bad, RowAction::Create).ok());       // an invalid row can only be skipped
    Status nope = set_action(p, known, RowAction::Update, "nope");
    REQUIRE_FALSE(nope.ok());
    CHECK(nope.error().code == "err.import.bad_action");
    REQUIRE(set_action(p, known, RowAction::Update, s.existing));
    REQUIRE(set_action(p, repeat, RowAction::Create));

    auto r = run_import(s.fx.ws, p);
    REQUIRE(r.ok());
    CHECK(r->created == 6);
    CHECK(r->updated == 1);
    CHECK(r->skipped == 0);
    CHECK(r->failed == 4);
    CHECK(r->rows[known].record_id == s.existing);
    auto c = get_customer(s.fx.ws, s.existing);
    REQUIRE(c.ok());
    CHECK(c->province == "浙江省");
    CHECK(c->name == "云帆科技(杭州)有限公司");  // full-width brackets stored half-width
    // The row's contact has the same mobile as the existing contact: updated, not doubled.
    auto contacts = list_contacts(s.fx.ws, s.existing);
    REQUIRE(contacts.ok());
    CHECK(contacts->size() == 1);
}

TEST_CASE("import: undo restores the exact previous state") {
    Setup s;
    // Some life before the import: a second customer and a status change.
    std::string other = testfx::make_customer(s.fx.ws, "宁波东海港务有限公司", "13700009999");
    REQUIRE(change_status(s.fx.ws, other, "intent", "电话沟通后有意向"));
    const uint64_t before = testfx::content_hash(s.fx.ws);

    csv::Table t = testfx::read_table("customers_gbk.csv");
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    map_values(t, m, s.lang.guesser());
    ImportOptions o = testfx::wizard_options();
    o.on_duplicate = RowAction::Update;
    auto planned = prepare_import(s.fx.ws, t, m, o);
    REQUIRE(planned.ok());
    // Also change the existing customer's status and add a contact to it.
    for (ImportRow& row : planned->rows)
        if (row.line == 9) {
            CHECK(row.action == RowAction::Update);
            row.customer.push_back({"status", "won"});
            row.contact = {{"name", "王强"}, {"mobile", "13911110000"}, {"title", "副总"}};
        }
    auto r = run_import(s.fx.ws, *planned);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->updated == 2);  // the existing customer, and the first row's by its repeat
    CHECK(r->created == 4);
    CHECK(testfx::content_hash(s.fx.ws) != before);
    auto c = get_customer(s.fx.ws, s.existing);
    REQUIRE(c.ok());
    CHECK(c->status == "won");
    CHECK(list_contacts(s.fx.ws, s.existing)->size() == 2);

    auto undo = undo_import(s.fx.ws, r->batch_id);
    REQUIRE_MESSAGE(undo.ok(), (undo.ok() ? "" : testfx::msg(undo.error())));
    CHECK(undo->kept_fields == 0);
    CHECK(undo->restored_fields >= 4);  // name, province, city, status of the existing customer
    // 4 customers + their 4 contacts + their 4 status entries, the added contact, the status entry.
    CHECK(undo->tombstoned == 14);
    CHECK(testfx::content_hash(s.fx.ws) == before);
    CHECK(get_customer(s.fx.ws, s.existing)->name == "杭州云帆科技有限公司");
    // Search and duplicate keys follow: the imported names are gone from both.
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_keys") ==
          count(s.fx.ws, "SELECT count(*) FROM customer_keys k JOIN customers c ON c.rowid = k.customer_rowid "
                         "WHERE c.deleted = 0"));

    auto again = undo_import(s.fx.ws, r->batch_id);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "err.import.already_undone");
    auto missing = undo_import(s.fx.ws, "no-such-batch");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "err.import.batch_not_found");
    auto batches = list_import_batches(s.fx.ws);
    REQUIRE(batches.ok());
    CHECK(batches->front().undone);
}

TEST_CASE("import: undo keeps a field the user changed after the import") {
    Setup s;
    ImportOptions o = testfx::wizard_options();
    o.on_duplicate = RowAction::Update;
    ImportPlan p = s.plan("customers_gbk.csv", ImportKind::Customers, o);
    auto r = run_import(s.fx.ws, p);
    REQUIRE(r.ok());
    REQUIRE(update_customer(s.fx.ws, s.existing, {{"city", "宁波市"}}));
    auto undo = undo_import(s.fx.ws, r->batch_id);
    REQUIRE(undo.ok());
    CHECK(undo->kept_fields == 1);
    auto c = get_customer(s.fx.ws, s.existing);
    CHECK(c->city == "宁波市");                  // the later change stays
    CHECK(c->name == "杭州云帆科技有限公司");    // the import's change is undone
}

TEST_CASE("import: step by step inside one transaction; cancel leaves no trace") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    const uint64_t before = testfx::content_hash(s.fx.ws);
    const int64_t history = count(s.fx.ws, "SELECT count(*) FROM history");
    const int64_t changes = count(s.fx.ws, "SELECT count(*) FROM changes");
    {
        auto run = ImportRun::start(s.fx.ws, p);
        REQUIRE(run.ok());
        REQUIRE(run->step(3));
        CHECK(run->processed() == 3);
        CHECK_FALSE(run->done());
        CHECK(s.fx.ws.in_batch());
        CHECK(count(s.fx.ws, "SELECT count(*) FROM customers") == 3);  // visible inside the batch
        run->cancel();
        CHECK_FALSE(s.fx.ws.in_batch());
        Status after = run->step(1);
        REQUIRE_FALSE(after.ok());
        CHECK(after.error().code == "err.import.not_running");
    }
    CHECK(testfx::content_hash(s.fx.ws) == before);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM history") == history);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM changes") == changes);
    {
        auto run = ImportRun::start(s.fx.ws, p);  // destroyed without commit: rolled back too
        REQUIRE(run.ok());
        REQUIRE(run->step(100));
        CHECK(run->processed() == p.rows.size());
        CHECK(run->done());
    }
    CHECK(testfx::content_hash(s.fx.ws) == before);
    CHECK(s.fx.ws.derived_queued() == 0);  // nothing queued by a batch rolled back
    CHECK(count(s.fx.ws, "SELECT count(*) FROM derived_queue") == 0);

    std::vector<size_t> seen;
    auto r = run_import(s.fx.ws, p, [&](size_t done, size_t total) {
        CHECK(total == p.rows.size());
        seen.push_back(done);
    }, 4);
    REQUIRE(r.ok());
    CHECK(seen == std::vector<size_t>{4, 8, 11});
    CHECK(r->created == 4);
}

TEST_CASE("import: a second file finds duplicates across files and within itself") {
    Setup s;
    REQUIRE(run_import(s.fx.ws, s.plan("customers_gbk.csv")).ok());
    ImportPlan p = s.plan("customers_utf8_bom.csv");
    REQUIRE(p.rows.size() == 5);
    CHECK(p.invalid() == 0);
    const ImportRow& again = p.rows[0];  // imported from the GBK file before
    REQUIRE_FALSE(again.matches.empty());
    CHECK(again.matches[0].row == -1);
    CHECK(again.matches[0].name == "深圳市星河精密制造有限公司");
    const ImportRow& same_email = p.rows[2];
    REQUIRE_FALSE(same_email.matches.empty());
    CHECK(same_email.matches[0].row == 1);
    CHECK(std::find(same_email.matches[0].reasons.begin(), same_email.matches[0].reasons.end(),
                    "dup.reason.same_email") != same_email.matches[0].reasons.end());
    CHECK(field(p.rows[3].contact, "mobile") == "+86 137 0000 8888");
    CHECK(field(p.rows[3].customer, "industry") == "A04");  // Fishery
    CHECK(field(p.rows[4].contact, "landline") == "0512-66001234");
    CHECK(field(p.rows[4].customer, "status") == "won");
    CHECK(field(p.rows[4].customer, "notes") == "-5% discount");
    auto r = run_import(s.fx.ws, p);
    REQUIRE(r.ok());
    CHECK(r->created == 3);
    CHECK(r->skipped == 2);
    auto qd = query_rows(s.fx.ws.db(), "SELECT mobile FROM contacts WHERE name = '王芳'");
    REQUIRE(qd.ok());
    CHECK(value(qd->front(), "mobile") == "13700008888");
}

TEST_CASE("import: interactions matched by number or name; unmatched reported") {
    Setup s;
    REQUIRE(run_import(s.fx.ws, s.plan("customers_gbk.csv")).ok());
    ImportPlan p = s.plan("interactions_utf8_bom.csv", ImportKind::Interactions);
    REQUIRE(p.rows.size() == 7);
    CHECK(p.rows[0].customer_id == s.existing);  // by customer number
    CHECK(field(p.rows[0].interaction, "at") == "2023-10-08T06:30:00Z");
    CHECK(field(p.rows[0].interaction, "method") == "phone");
    CHECK(field(p.rows[0].interaction, "next_action_due") == "2023-10-12");
    CHECK_FALSE(p.rows[1].customer_id.empty());  // by exact name
    CHECK(p.rows[2].customer_id == p.rows[1].customer_id);  // by the company-name key
    CHECK(field(p.rows[2].interaction, "method") == "online");
    CHECK(has_error(p.rows[3], "err.import.customer_not_found"));
    CHECK(p.rows[4].matches.at(0).row == 1);  // the same visit twice in the file
    CHECK(p.rows[4].action == RowAction::Skip);
    CHECK(has_error(p.rows[5], "err.required", "field.interactions.summary"));
    CHECK(has_error(p.rows[6], "err.interaction.next_action_incomplete"));
    CHECK(p.invalid() == 3);

    auto r = run_import(s.fx.ws, p);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->created == 3);
    CHECK(r->skipped == 1);
    CHECK(r->failed == 3);
    auto list = list_interactions(s.fx.ws, s.existing);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK(list->front().number == "HD202310010001-01001");
    CHECK_FALSE(list->front().late);  // a past interaction recorded by import is not "late"
    std::string report = import_report_csv(p, *r, s.lang.en);
    CHECK(report.find("不存在的公司") != std::string::npos);

    // The same file again: every stored interaction is now a duplicate.
    ImportPlan twice = s.plan("interactions_utf8_bom.csv", ImportKind::Interactions);
    CHECK(twice.count(RowAction::Create) == 0);
    CHECK(twice.rows[0].matches.at(0).reasons.at(0) == "import.reason.same_interaction");
    auto undo = undo_import(s.fx.ws, r->batch_id);
    REQUIRE(undo.ok());
    CHECK(undo->tombstoned == 3);
    CHECK(list_interactions(s.fx.ws, s.existing)->empty());
}

TEST_CASE("import: contacts from vCards add to known companies and create the others") {
    Setup s;
    std::string xinghe = testfx::make_customer(s.fx.ws, "深圳市星河精密制造有限公司", "13900009999");
    auto cards = parse_vcards(testfx::read_file("contacts.vcf"));
    REQUIRE(cards.ok());
    csv::Table t = vcard_table(cards->cards);
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    CHECK(m.targets == t.rows[0].cells);  // the table's header is our targets
    ImportOptions o = testfx::wizard_options();
    o.defaults.push_back({"industry", "L"});
    o.on_duplicate = RowAction::Update;
    auto p = prepare_import(s.fx.ws, t, m, o);
    REQUIRE(p.ok());
    REQUIRE(p->rows.size() == 4);
    CHECK(p->invalid() == 0);
    CHECK(p->rows[0].action == RowAction::Update);
    CHECK(p->rows[0].update_id == xinghe);
    CHECK(field(p->rows[0].contact, "notes").find("cj@example.net") != std::string::npos);
    CHECK(field(p->rows[1].contact, "landline") == "+86-592-5551234");
    CHECK(field(p->rows[2].customer, "kind") == "personal");
    const int64_t customers = count(s.fx.ws, "SELECT count(*) FROM customers");

    auto r = run_import(s.fx.ws, *p);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->created == 3);
    CHECK(r->updated == 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers") == customers + 3);
    auto contacts = list_contacts(s.fx.ws, xinghe);
    REQUIRE(contacts.ok());
    REQUIRE(contacts->size() == 2);
    CHECK(contacts->at(1).name == "陈静");
    CHECK(contacts->at(1).mobile == "13900001111");
    auto person = query_rows(s.fx.ws.db(), "SELECT kind, industry FROM customers WHERE name = '张三'");
    REQUIRE(person.ok());
    REQUIRE(person->size() == 1);
    CHECK(value(person->front(), "industry") == "");  // the industry default is for companies
    auto lin = query_rows(s.fx.ws.db(), "SELECT mobile, landline FROM contacts WHERE name = '林小雨'");
    REQUIRE(lin.ok());
    CHECK(value(lin->front(), "mobile") == "13911113333");
    CHECK(value(lin->front(), "landline") == "0592-5551234");
}

TEST_CASE("import: a mapping without a name column, or with a field twice, is refused before any row") {
    Setup s;
    csv::Table t = testfx::read_table("customers_gbk.csv");
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    m.targets[0] = "";
    auto p = prepare_import(s.fx.ws, t, m, testfx::wizard_options());
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == "err.import.no_key_column");
    m.targets[0] = "customers.name";
    m.targets[17] = "customers.name";  // the notes column mapped to the name as well
    auto twice = prepare_import(s.fx.ws, t, m, testfx::wizard_options());
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "err.import.target_twice");
    CHECK(s.lang.zh.message(twice.error()).find("名称") != std::string::npos);
}

TEST_CASE("import: a generated 2,000-row file — counts add up, in-file repeats found") {
    Setup s;
    // Every 10th row repeats the row before it (same mobile, another name); every 25th row
    // (never one of those pairs) has a mobile that is one digit short.
    std::vector<std::vector<std::string>> rows = {{"客户名称", "行业", "联系人", "手机", "负责人"}};
    size_t repeats = 0, bad = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string mobile = std::to_string(13000000000LL + i * 7919LL);
        if (i % 25 == 12) mobile = mobile.substr(1), bad++;
        else if (i % 10 == 9) mobile = rows.back()[3], repeats++;
        rows.push_back({"测试" + std::to_string(i) + "号贸易有限公司", "批发业", "联系人" + std::to_string(i), mobile,
                        "王磊"});
    }
    auto table = csv::read(csv::write(rows));
    REQUIRE(table.ok());
    ColumnMapping m = guess_mapping(table->rows[0].cells, ImportKind::Customers);
    map_values(*table, m, s.lang.guesser());
    auto p = prepare_import(s.fx.ws, *table, m, testfx::wizard_options());
    REQUIRE(p.ok());
    CHECK(p->rows.size() == 2000);
    CHECK(p->invalid() == bad);
    CHECK(p->with_matches() == repeats);
    auto r = run_import(s.fx.ws, *p, {}, 300);
    REQUIRE(r.ok());
    CHECK(r->created == 2000 - bad - repeats);
    CHECK(r->failed == bad);
    CHECK(r->skipped == repeats);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers WHERE deleted = 0") == int64_t(1 + r->created));
}

// The row of the plan read from file line `line`.
ImportRow* row_on_line(ImportPlan& p, int line) {
    for (ImportRow& r : p.rows)
        if (r.line == line) return &r;
    return nullptr;
}

// Runs the whole plan in one step: the victim row fails with `code`, alone; the GBK file's
// three other new customers are written, and nothing of the victim's customer is.
template <class SetupT>
void fails_alone(SetupT& s, ImportPlan& p, const ImportRow* victim, const char* code) {
    auto r = run_import(s.fx.ws, p, {}, 100);  // all rows in one step
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->created == 3);
    CHECK(r->failed == 6);
    const RowResult& failed = r->rows[victim - p.rows.data()];
    CHECK(failed.outcome == RowOutcome::Failed);
    REQUIRE(failed.errors.size() == 1);
    CHECK(failed.errors[0].code == code);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers WHERE name = '广州海川物流有限公司'") == 0);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers WHERE deleted = 0") == 4);
}

TEST_CASE("import: a rule checked at the end of a step fails only its row") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    // The plan is plain data the wizard edits; here a row loses its contact after the
    // checks, so only the write path's end-of-transaction rule can catch it.
    ImportRow* victim = row_on_line(p, 3);
    REQUIRE(victim);
    victim->contact.clear();
    fails_alone(s, p, victim, "err.customer.contact_method_required");
}

TEST_CASE("import: a row the write path refuses in the middle of a step fails alone, nothing of it stays") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    // Edited after the checks (the plan is plain data): only the write path can refuse it,
    // in the middle of a step written without a savepoint per row.
    ImportRow* victim = row_on_line(p, 3);
    REQUIRE(victim);
    for (FieldValue& f : victim->contact)
        if (f.field == "mobile") f.value = "1360000222";  // ten digits
    const int64_t history = count(s.fx.ws, "SELECT count(*) FROM history");
    fails_alone(s, p, victim, "err.mobile.format");
    // 3 customers x (created customer, contact, status entry) + the batch event: no trace
    // of the refused row's customer, whose own write had succeeded before its contact failed.
    CHECK(count(s.fx.ws, "SELECT count(*) FROM history") == history + 3 * 3 + 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM changes WHERE tbl = 'customers' AND field = '*'") == 4);
}

TEST_CASE("import: derived data of a batch — search, duplicates, completeness — is written after the commit") {
    Setup s;
    ImportPlan p = s.plan("customers_gbk.csv");
    auto run = ImportRun::start(s.fx.ws, p);
    REQUIRE(run.ok());
    REQUIRE(run->step(100));
    // Inside the batch the records are written, their derived data is not.
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customers WHERE deleted = 0") == 5);
    CHECK(search_customer_rowids(s.fx.ws.db(), "西子文化")->empty());
    CHECK(s.fx.ws.refresh_queued(10).value() == 0);  // nothing to do inside the batch
    auto result = run->commit();
    REQUIRE(result.ok());
    CHECK(result->created == 4);

    // The commit queued the imported customers (the table lands with the rows); nothing
    // is indexed yet.
    CHECK(s.fx.ws.derived_queued() == 4);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM derived_queue") == 4);
    CHECK(search_customer_rowids(s.fx.ws.db(), "西子文化")->empty());
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_facts") == 1);
    // Slices: three customers, then the last one.
    auto left = s.fx.ws.refresh_queued(3);
    REQUIRE(left.ok());
    CHECK(*left == 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM derived_queue") == 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_facts") == 4);
    left = s.fx.ws.refresh_queued(3);
    REQUIRE(left.ok());
    CHECK(*left == 0);
    CHECK(s.fx.ws.derived_queued() == 0);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM derived_queue") == 0);

    // Search finds every imported customer, by name and by its contact's phone.
    CHECK(search_customer_rowids(s.fx.ws.db(), "西子文化")->size() == 1);
    CHECK(search_customer_rowids(s.fx.ws.db(), "18800007777")->size() == 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM search_digest") == 5);
    // Completeness facts and duplicate keys for every live customer, as single saves make them.
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_facts") == 5);
    CHECK(count(s.fx.ws, "SELECT count(DISTINCT customer_rowid) FROM customer_keys") == 5);
    auto dups = find_duplicates(s.fx.ws, testfx::enterprise("杭州西子文化传媒有限公司"), {});
    REQUIRE(dups.ok());
    REQUIRE(dups->size() == 1);
    CHECK(dups->front().name == "杭州西子文化传媒有限公司");
    // The same derived data as rebuilding it record by record.
    auto facts = query_rows(s.fx.ws.db(), "SELECT * FROM customer_facts ORDER BY customer_rowid");
    auto keys = query_rows(s.fx.ws.db(), "SELECT * FROM customer_keys ORDER BY customer_rowid, kind, key");
    auto digests = query_rows(s.fx.ws.db(), "SELECT * FROM search_digest ORDER BY customer_rowid");
    REQUIRE(search_rebuild(s.fx.ws.db()));
    CHECK(*query_rows(s.fx.ws.db(), "SELECT * FROM search_digest ORDER BY customer_rowid") == *digests);
    // A change and its reverse through single saves refresh each record's derived data.
    auto all = query_rows(s.fx.ws.db(), "SELECT id, notes FROM customers");
    REQUIRE(all.ok());
    for (const Row& c : *all) {
        auto changed = update_customer(s.fx.ws, value(c, "id"), {{"notes", "x"}});
        REQUIRE_MESSAGE(changed.ok(), (changed.ok() ? "" : testfx::msg(changed.error())));
        REQUIRE(update_customer(s.fx.ws, value(c, "id"), {{"notes", value(c, "notes")}}));
    }
    CHECK(*query_rows(s.fx.ws.db(), "SELECT * FROM customer_keys ORDER BY customer_rowid, kind, key") == *keys);
    CHECK(*query_rows(s.fx.ws.db(), "SELECT * FROM customer_facts ORDER BY customer_rowid") == *facts);
}

TEST_CASE("import: derived data still queued when the workspace closes is written after it opens again") {
    const std::string uri = "file:/import_test_queue?vfs=memdb";
    auto clock = std::make_shared<FixedClock>("2023-10-09T02:00:00Z");
    testfx::Languages lang;
    auto keep = store::Db::open(uri);  // holds the shared in-memory database between the opens
    REQUIRE(keep.ok());
    {
        auto ws = Workspace::open(std::move(*store::Db::open(uri)), {"00000000000000c3", "01", "张伟"}, clock);
        REQUIRE(ws.ok());
        testfx::make_customer(*ws);
        csv::Table t = testfx::read_table("customers_gbk.csv");
        ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
        map_values(t, m, lang.guesser());
        auto p = prepare_import(*ws, t, m, testfx::wizard_options());
        REQUIRE(p.ok());
        auto r = run_import(*ws, *p);
        REQUIRE(r.ok());
        CHECK(ws->derived_queued() == 4);
        REQUIRE(ws->refresh_queued(1).ok());  // one slice, then the tab closes
    }
    auto ws = Workspace::open(std::move(*store::Db::open(uri)), {"", "", "张伟"}, clock);
    REQUIRE(ws.ok());
    CHECK(ws->derived_queued() == 3);
    CHECK(search_customer_rowids(ws->db(), "西子文化")->empty());
    while (ws->derived_queued() > 0) REQUIRE(ws->refresh_queued(2).ok());
    CHECK(search_customer_rowids(ws->db(), "西子文化")->size() == 1);
    CHECK(count(*ws, "SELECT count(*) FROM customer_facts") == 5);
}

TEST_CASE("import: a tags column gives library tags; unknown, unapproved and conflicting ones are reported") {
    Setup s;
    REQUIRE(seed_tag_library(s.fx.ws));
    REQUIRE(propose_tag(s.fx.ws, "need", "样品先行", "Samples first"));
    REQUIRE(add_tag_to_customer(s.fx.ws, s.existing, "preset.risk.high"));
    CHECK(import_tag_names("高价值、直销,;  线上 / 低价值；High value，高价值") ==
          std::vector<std::string>{"高价值", "直销", "线上", "低价值", "High value"});

    ImportOptions o = testfx::wizard_options();
    o.on_duplicate = RowAction::Update;
    csv::Table t = testfx::read_table("customers_tags.csv");
    ColumnMapping m = guess_mapping(t.rows[0].cells, ImportKind::Customers);
    CHECK(m.targets[3] == "customers.tags");
    map_values(t, m, s.lang.guesser());
    auto planned = prepare_import(s.fx.ws, t, m, o);
    REQUIRE(planned.ok());
    ImportPlan& p = *planned;
    REQUIRE(p.rows.size() == 5);
    auto codes = [](const std::vector<Error>& notes) {
        std::vector<std::string> out;
        for (const Error& e : notes) out.push_back(e.code);
        return out;
    };
    CHECK(p.rows[0].tags == std::vector<std::string>{"preset.value.high", "preset.channel.direct"});
    CHECK(p.rows[0].notes.empty());
    // "High value" (English, any case) is 高价值; 低价值 is of the same group.
    CHECK(p.rows[1].tags == std::vector<std::string>{"preset.value.high"});
    CHECK(codes(p.rows[1].notes) == std::vector<std::string>{"import.tag.conflict"});
    CHECK(s.lang.en.message(p.rows[1].notes[0]) ==
          "Tag \"低价值\" was not added: it excludes \"High value\" (tags of one group exclude each other).");
    // Not in the library: reported, never created.
    CHECK(p.rows[2].tags == std::vector<std::string>{"preset.channel.online"});
    CHECK(codes(p.rows[2].notes) == std::vector<std::string>{"import.tag.unknown"});
    CHECK(s.lang.zh.message(p.rows[2].notes[0]) == "标签“战略客户”不在标签库中，未添加（新标签需先在设置中提议并经批准）。");
    CHECK(p.rows[3].tags == std::vector<std::string>{"preset.need.price_sensitive"});
    CHECK(codes(p.rows[3].notes) == std::vector<std::string>{"import.tag.not_approved"});
    CHECK(p.rows[4].action == RowAction::Update);
    CHECK(p.rows[4].tags == std::vector<std::string>{"preset.risk.low", "preset.industry.it"});
    const uint64_t before = testfx::content_hash(s.fx.ws);
    const int64_t tags_before = count(s.fx.ws, "SELECT count(*) FROM customer_tags WHERE deleted = 0");
    const int64_t library = count(s.fx.ws, "SELECT count(*) FROM tags");

    auto r = run_import(s.fx.ws, p);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : testfx::msg(r.error())));
    CHECK(r->created == 4);
    CHECK(r->updated == 1);
    CHECK(count(s.fx.ws, "SELECT count(*) FROM tags") == library);  // nothing created
    auto held = [&](const std::string& id) {
        auto list = customer_tags(s.fx.ws, id);
        REQUIRE(list.ok());
        std::vector<std::string> out;
        for (const CustomerTag& ct : *list) out.push_back(ct.tag_id);
        return out;
    };
    CHECK(held(r->rows[0].record_id) == std::vector<std::string>{"preset.value.high", "preset.channel.direct"});
    CHECK(held(r->rows[2].record_id) == std::vector<std::string>{"preset.channel.online"});
    // The existing customer holds 高风险: 低风险 conflicts and is reported, 信息技术 is added.
    CHECK(held(s.existing) == std::vector<std::string>{"preset.risk.high", "preset.industry.it"});
    CHECK(codes(r->rows[4].notes) == std::vector<std::string>{"import.tag.conflict"});
    CHECK(s.lang.zh.message(r->rows[4].notes[0]) == "标签“低风险”未添加：与“高风险”互斥（同组标签只能有一个）。");
    // The report says it per row, in plain words.
    auto report = csv::read(import_report_csv(p, *r, s.lang.en));
    REQUIRE(report.ok());
    REQUIRE(report->rows.size() == 6);
    CHECK(report->rows[3].cells[4].find("Tag \"战略客户\" is not in the tag library") == 0);
    CHECK(report->rows[5].cells[4] == "Tag \"低风险\" was not added: it excludes \"High risk\" (tags of one group exclude each other).");
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_tags WHERE deleted = 0") == tags_before + 6);

    // Undo takes the tags off again.
    auto undo = undo_import(s.fx.ws, r->batch_id);
    REQUIRE_MESSAGE(undo.ok(), (undo.ok() ? "" : testfx::msg(undo.error())));
    CHECK(count(s.fx.ws, "SELECT count(*) FROM customer_tags WHERE deleted = 0") == tags_before);
    CHECK(testfx::content_hash(s.fx.ws) == before);
}

// The plan reads the stored duplicate keys at once when the file is large next to them, and
// asks find_duplicates only for rows with a key among them; otherwise every row asks it.
// Both ways must find the same existing duplicates.
TEST_CASE("import: existing duplicates are the same whether the stored keys are read at once or not") {
    Setup s;
    REQUIRE(run_import(s.fx.ws, s.plan("customers_gbk.csv")).ok());
    ImportPlan first = s.plan("customers_utf8_bom.csv");
    // Few stored keys next to the file's 6 lines: read at once (the plan's bound: 8 per line).
    REQUIRE(count(s.fx.ws, "SELECT count(*) FROM customer_keys") <= 8 * 6);
    REQUIRE(s.fx.ws.transaction([&]() -> Status {
        for (int i = 0; i < 40; ++i) {
            auto id = create_customer(s.fx.ws,
                {{"kind", "enterprise"}, {"name", "杭州无关测试" + std::to_string(i) + "号贸易有限公司"},
                 {"industry", "C"}, {"source", "website"}, {"status", "potential"}, {"owner", "王磊"}},
                {{{"name", "李娜"}, {"mobile", std::to_string(13900100000LL + i)}}});
            if (!id) return id.error();
        }
        return {};
    }).ok());
    REQUIRE(count(s.fx.ws, "SELECT count(*) FROM customer_keys") > 8 * 6);  // now looked up row by row
    ImportPlan second = s.plan("customers_utf8_bom.csv");
    REQUIRE(first.rows.size() == second.rows.size());
    size_t existing = 0;
    for (size_t i = 0; i < first.rows.size(); ++i) {
        const auto& a = first.rows[i].matches;
        const auto& b = second.rows[i].matches;
        REQUIRE(a.size() == b.size());
        for (size_t k = 0; k < a.size(); ++k) {
            CHECK(a[k].record_id == b[k].record_id);
            CHECK(a[k].row == b[k].row);
            CHECK(a[k].score == b[k].score);
            CHECK(a[k].reasons == b[k].reasons);
            existing += a[k].row < 0;
        }
        CHECK(first.rows[i].action == second.rows[i].action);
    }
    CHECK(existing >= 1);  // the file does repeat an imported customer
}
