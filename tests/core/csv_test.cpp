// core/csv: encodings as Excel/WPS save them (bytes written out here, not re-encoded by us),
// delimiter detection, RFC 4180 quoting, line ends, ragged rows, errors with their line,
// limits, writing for Excel (BOM, CRLF, quoting, formula neutralization) and round trips.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/i18n.h"

using namespace crm;
using Cells = std::vector<std::string>;

namespace {

template <size_t N>
std::string bytes(const char (&s)[N]) { return std::string(s, N - 1); }  // keeps NUL bytes

std::vector<Cells> cells_of(const csv::Table& t) {
    std::vector<Cells> out;
    for (const csv::Row& r : t.rows) out.push_back(r.cells);
    return out;
}

std::string param(const Error& e, const std::string& name) {
    for (const auto& [k, v] : e.params)
        if (k == name) return v;
    return "<none>";
}

uint64_t fnv1a(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// The four-byte GB18030 code with the given linear index (81308130 is 0).
std::string gb_four(unsigned index) {
    std::string s(4, '\0');
    s[3] = char(0x30 + index % 10); index /= 10;
    s[2] = char(0x81 + index % 126); index /= 126;
    s[1] = char(0x30 + index % 10); index /= 10;
    s[0] = char(0x81 + index);
    return s;
}

}  // namespace

TEST_CASE("csv: a GBK file as Excel saves it on Chinese Windows") {
    // "客户名称,电话\r\n深圳市某某科技有限公司,13812345678\r\n" encoded by Python's 'gbk'.
    std::string file = bytes(
        "\xBF\xCD\xBB\xA7\xC3\xFB\xB3\xC6\x2C\xB5\xE7\xBB\xB0\x0D\x0A"
        "\xC9\xEE\xDB\xDA\xCA\xD0\xC4\xB3\xC4\xB3\xBF\xC6\xBC\xBC\xD3\xD0\xCF\xDE\xB9\xAB\xCB\xBE"
        "\x2C\x31\x33\x38\x31\x32\x33\x34\x35\x36\x37\x38\x0D\x0A");
    CHECK(csv::detect_encoding(file) == csv::Encoding::Gb18030);
    Result<csv::Table> t = csv::read(file);
    REQUIRE(t);
    CHECK(t->encoding == csv::Encoding::Gb18030);
    CHECK(t->delimiter == ',');
    CHECK(cells_of(*t) == std::vector<Cells>{{"客户名称", "电话"}, {"深圳市某某科技有限公司", "13812345678"}});
    CHECK(t->rows[0].line == 1);
    CHECK(t->rows[1].line == 2);
    CHECK(t->warnings.empty());
}

TEST_CASE("csv: GB18030 four-byte codes and the code page 936 euro sign") {
    // "姓名,备注\r\n张三,𠀀€\r\n" in GB18030: 𠀀 is the four-byte 95328236, € is A2E3.
    std::string file = bytes("\xD0\xD5\xC3\xFB\x2C\xB1\xB8\xD7\xA2\x0D\x0A\xD5\xC5\xC8\xFD\x2C\x95\x32\x82\x36\xA2\xE3\x0D\x0A");
    Result<csv::Table> t = csv::read(file);
    REQUIRE(t);
    CHECK(cells_of(*t) == std::vector<Cells>{{"姓名", "备注"}, {"张三", "𠀀€"}});
    // Excel writes code page 936, where the single byte 0x80 is the euro sign.
    Result<csv::Decoded> euro = csv::decode(bytes("\xC3\xFB\x80"), csv::Encoding::Gb18030);
    REQUIRE(euro);
    CHECK(euro->text == "名€");
    CHECK(euro->invalid_bytes == 0);
}

TEST_CASE("csv: every GB18030 code decodes as the standard says (natively and in wasm)") {
    // Expected hashes computed with Python: two-byte codes with the GB18030-2005 mapping of
    // glibc, four-byte codes with Python's 'gb18030' codec.
    std::string two;
    for (int lead = 0x81; lead <= 0xFE; ++lead)
        for (int trail = 0x40; trail <= 0xFE; ++trail)
            if (trail != 0x7F) { two += char(lead); two += char(trail); }
    Result<csv::Decoded> d2 = csv::decode(two, csv::Encoding::Gb18030);
    REQUIRE(d2);
    CHECK(d2->invalid_bytes == 0);
    CHECK(d2->text.size() == 71668);
    CHECK(fnv1a(d2->text) == 0xacb966908ecb6702ull);

    std::string four;
    for (unsigned i = 0; i < 39420; ++i) four += gb_four(i);  // 81308130..8431A439: the rest of the BMP
    Result<csv::Decoded> d4 = csv::decode(four, csv::Encoding::Gb18030);
    REQUIRE(d4);
    CHECK(d4->invalid_bytes == 0);
    CHECK(d4->text.size() == 116498);
    CHECK(fnv1a(d4->text) == 0xe8a6a4f5945ae210ull);

    std::string sup;
    for (unsigned cp = 0x10000; cp <= 0x10FFFF; cp += 97) sup += gb_four(189000 + cp - 0x10000);
    Result<csv::Decoded> ds = csv::decode(sup, csv::Encoding::Gb18030);
    REQUIRE(ds);
    CHECK(ds->text.size() == 43244);
    CHECK(fnv1a(ds->text) == 0xb10bdd6d3f915da7ull);
    CHECK(csv::decode(gb_four(189000), csv::Encoding::Gb18030)->text == "\U00010000");

    // Unassigned four-byte codes and stray bytes become U+FFFD and are counted.
    Result<csv::Decoded> bad = csv::decode(gb_four(39420) + "a\xFF" + "b\x81", csv::Encoding::Gb18030);
    REQUIRE(bad);
    CHECK(bad->text == "\uFFFDa\uFFFDb\uFFFD");
    CHECK(bad->invalid_bytes == 6);
}

TEST_CASE("csv: UTF-8 with and without BOM") {
    Result<csv::Table> bom = csv::read("\xEF\xBB\xBF客户名称,电话\r\n张三,13812345678\r\n");
    REQUIRE(bom);
    CHECK(bom->encoding == csv::Encoding::Utf8Bom);
    CHECK(cells_of(*bom) == std::vector<Cells>{{"客户名称", "电话"}, {"张三", "13812345678"}});  // BOM not in the cell
    Result<csv::Table> plain = csv::read("name,phone\nZhang,13812345678\n");
    REQUIRE(plain);
    CHECK(plain->encoding == csv::Encoding::Utf8);
    CHECK(plain->rows[1].cells[0] == "Zhang");
}

TEST_CASE("csv: UTF-16LE with BOM and tabs, as Excel's \"Unicode text\"") {
    // "客户名称\t地址\r\n某某\t北京市,朝阳区\r\n" in UTF-16LE with BOM; the comma is inside a cell.
    std::string file = bytes(
        "\xFF\xFE" "\xA2\x5B\x37\x62\x0D\x54\xF0\x79\x09\x00\x30\x57\x40\x57\x0D\x00\x0A\x00"
        "\xD0\x67\xD0\x67\x09\x00\x17\x53\xAC\x4E\x02\x5E\x2C\x00\x1D\x67\x33\x96\x3A\x53\x0D\x00\x0A\x00");
    Result<csv::Table> t = csv::read(file);
    REQUIRE(t);
    CHECK(t->encoding == csv::Encoding::Utf16Le);
    CHECK(t->delimiter == '\t');
    CHECK(cells_of(*t) == std::vector<Cells>{{"客户名称", "地址"}, {"某某", "北京市,朝阳区"}});

    // UTF-16BE, and a surrogate pair (𠀀 = D840 DC00).
    Result<csv::Table> be = csv::read(bytes("\xFE\xFF\x00\x61\x00\x09\xD8\x40\xDC\x00\x00\x0A"));
    REQUIRE(be);
    CHECK(be->encoding == csv::Encoding::Utf16Be);
    CHECK(cells_of(*be) == std::vector<Cells>{{"a", "𠀀"}});
    // A lone surrogate and an odd last byte are replaced and reported.
    Result<csv::Table> lone = csv::read(bytes("\xFF\xFE\x61\x00\x00\xD8\x62\x00\x63"));
    REQUIRE(lone);
    CHECK(lone->rows[0].cells[0] == "a\uFFFDb\uFFFD");
    REQUIRE(lone->warnings.size() == 1);
    CHECK(lone->warnings[0].code == "err.csv.invalid_bytes");
    CHECK(param(lone->warnings[0], "count") == "3");
}

TEST_CASE("csv: delimiter detection") {
    CHECK(csv::detect_delimiter("a;b;c\r\n1;2;3\r\n") == ';');
    CHECK(csv::detect_delimiter("a,b\n1,2\n") == ',');
    CHECK(csv::detect_delimiter("a\tb\n1\t2\n") == '\t');
    // Delimiters of the other kinds inside cells do not win.
    CHECK(csv::detect_delimiter("name;address\nA;Beijing, Chaoyang, Road 1\nB;Shanghai, Pudong\n") == ';');
    CHECK(csv::detect_delimiter("name,note\nA,a;b;c;d\nB,e;f;g\n") == ',');
    CHECK(csv::detect_delimiter("name,note\n\"A;B;C\",\"x;y;z\"\n") == ',');  // quoted ; ignored
    CHECK(csv::detect_delimiter("name\nA\nB\n") == ',');                     // one column
    CHECK(csv::detect_delimiter("") == ',');
    Result<csv::Table> t = csv::read("客户;电话;备注\n张三;138;\"a;b\"\n");
    REQUIRE(t);
    CHECK(cells_of(*t) == std::vector<Cells>{{"客户", "电话", "备注"}, {"张三", "138", "a;b"}});
}

TEST_CASE("csv: quoted cells with line breaks and doubled quotes; line numbers follow the file") {
    std::string text = "name,note,phone\r\n"
                       "\"A, Inc.\",\"first line\r\nsecond \"\"quoted\"\" line\",1\r\n"
                       "B,\"lf\nonly\",2\r\n"
                       "C,\"\",3\r\n";
    Result<csv::Table> t = csv::read(text);
    REQUIRE(t);
    REQUIRE(t->rows.size() == 4);
    CHECK(t->rows[1].cells == Cells{"A, Inc.", "first line\nsecond \"quoted\" line", "1"});
    CHECK(t->rows[2].cells == Cells{"B", "lf\nonly", "2"});
    CHECK(t->rows[3].cells == Cells{"C", "", "3"});
    CHECK(t->rows[1].line == 2);
    CHECK(t->rows[2].line == 4);  // the quoted break took one line
    CHECK(t->rows[3].line == 6);
    CHECK(t->warnings.empty());
}

TEST_CASE("csv: Excel's leniencies with stray quotes") {
    Result<csv::Table> t = csv::read("a,b\n5\" screen,\"x\"y\n");
    REQUIRE(t);
    CHECK(t->rows[1].cells == Cells{"5\" screen", "xy"});  // as Excel shows them
}

TEST_CASE("csv: CRLF, LF and CR line ends, trailing and blank lines, last line without end") {
    std::vector<Cells> want{{"a", "b"}, {"1", "2"}, {"3", "4"}};
    for (std::string text : {"a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4\n", "a,b\r1,2\r3,4\r", "a,b\r\n1,2\r\n3,4",
                             "a,b\r\n1,2\r\n\r\n3,4\r\n\r\n\r\n"}) {
        Result<csv::Table> t = csv::read(text);
        REQUIRE(t);
        CHECK_MESSAGE(cells_of(*t) == want, text);
        CHECK(t->warnings.empty());
    }
    Result<csv::Table> blank = csv::read("a,b\n\n1,2\n");
    REQUIRE(blank);
    CHECK(blank->rows[1].line == 3);  // the blank line still counts
    Result<csv::Table> trailing_comma = csv::read("a,b\n1,");
    REQUIRE(trailing_comma);
    CHECK(trailing_comma->rows[1].cells == Cells{"1", ""});
}

TEST_CASE("csv: ragged rows are kept and reported with their line") {
    Result<csv::Table> t = csv::read("name,phone,city\nA,1\nB,2,Shenzhen\nC,3,Beijing,extra\n");
    REQUIRE(t);
    REQUIRE(t->rows.size() == 4);
    CHECK(t->rows[1].cells == Cells{"A", "1"});
    CHECK(t->rows[3].cells == Cells{"C", "3", "Beijing", "extra"});
    REQUIRE(t->warnings.size() == 2);
    CHECK(t->warnings[0].code == "err.csv.ragged_row");
    CHECK(param(t->warnings[0], "line") == "2");
    CHECK(param(t->warnings[0], "cells") == "2");
    CHECK(param(t->warnings[0], "expected") == "3");
    CHECK(param(t->warnings[1], "line") == "4");

    csv::Limits few;
    few.max_warnings = 2;
    Result<csv::Table> many = csv::read("a,b\n1\n2\n3\n4\n", few);
    REQUIRE(many);
    CHECK(many->rows.size() == 5);
    REQUIRE(many->warnings.size() == 3);
    CHECK(many->warnings[2].code == "err.csv.more_warnings");
    CHECK(param(many->warnings[2], "count") == "2");
}

TEST_CASE("csv: an unterminated quote is an error naming its line and column") {
    Result<csv::Table> t = csv::read("name,note\nA,ok\nB,\"never closed\nC,x\n");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == "err.csv.unterminated_quote");
    CHECK(param(t.error(), "line") == "3");
    CHECK(param(t.error(), "column") == "2");
    // Even when the swallowed text passes the cell limit, the real cause is named.
    csv::Limits small;
    small.max_cell_bytes = 16;
    Result<csv::Table> big = csv::read("a,b\n\"x\n" + std::string(100, 'y') + "\n" + std::string(100, 'z') + "\n", small);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == "err.csv.unterminated_quote");
    CHECK(param(big.error(), "line") == "2");
}

TEST_CASE("csv: limits on cell and row size and cell count give clear errors") {
    csv::Limits small;
    small.max_cell_bytes = 8;
    small.max_row_bytes = 20;
    small.max_cells_per_row = 4;
    Result<csv::Table> cell = csv::read("a,b\nok,123456789\n", small);
    REQUIRE_FALSE(cell);
    CHECK(cell.error().code == "err.csv.cell_too_large");
    CHECK(param(cell.error(), "line") == "2");
    CHECK(param(cell.error(), "column") == "2");
    CHECK(param(cell.error(), "max") == "8");
    Result<csv::Table> quoted = csv::read("a\n\"12345\n6789\"\"\"\n", small);  // quoted, closed later
    REQUIRE_FALSE(quoted);
    CHECK(quoted.error().code == "err.csv.cell_too_large");
    Result<csv::Table> row = csv::read("a\n12345678,12345678,12345678\n", small);
    REQUIRE_FALSE(row);
    CHECK(row.error().code == "err.csv.row_too_large");
    CHECK(param(row.error(), "line") == "2");
    Result<csv::Table> count = csv::read("1,2,3,4\n1,2,3,4,5\n", small);
    REQUIRE_FALSE(count);
    CHECK(count.error().code == "err.csv.too_many_cells");
    CHECK(param(count.error(), "line") == "2");
    CHECK(csv::read("1,2,3,4\n1,2,3,4\n", small));  // exactly at the limits
}

TEST_CASE("csv: empty files, spreadsheets given as CSV, damaged UTF-8") {
    for (std::string empty : {"", "\xEF\xBB\xBF", "\r\n", "\n\n\n"}) {
        Result<csv::Table> t = csv::read(empty);
        REQUIRE(t);
        CHECK(t->rows.empty());
        CHECK(t->warnings.empty());
    }
    Result<csv::Table> xlsx = csv::read(bytes("PK\x03\x04\x14\x00\x06\x00"));
    REQUIRE_FALSE(xlsx);
    CHECK(xlsx.error().code == "err.csv.spreadsheet_file");
    Result<csv::Table> xls = csv::read(bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00"));
    REQUIRE_FALSE(xls);
    CHECK(xls.error().code == "err.csv.spreadsheet_file");

    // A UTF-8 file with one damaged byte stays UTF-8; the byte is replaced and its line named.
    std::string text = "客户名称,电话\n深圳市某某科技有限公司,13812345678\n北京某某公司,13912345678\n\xFF坏,1\n";
    CHECK(csv::detect_encoding(text) == csv::Encoding::Utf8);
    Result<csv::Table> t = csv::read(text);
    REQUIRE(t);
    CHECK(t->rows[3].cells[0] == "\uFFFD坏");
    REQUIRE(t->warnings.size() == 1);
    CHECK(t->warnings[0].code == "err.csv.invalid_bytes");
    CHECK(param(t->warnings[0], "line") == "4");
    CHECK(param(t->warnings[0], "encoding") == "UTF-8");
    // Overlong and surrogate encodings are not UTF-8.
    CHECK(csv::detect_encoding("\xC0\xAF") == csv::Encoding::Gb18030);
    CHECK(csv::detect_encoding("\xED\xA0\x80") == csv::Encoding::Gb18030);
}

TEST_CASE("csv: the Reader gives rows one at a time and stops at an error") {
    csv::Reader reader("a,b\n1,2\n\"x", ',');
    csv::Row row;
    REQUIRE(reader.next(row));
    CHECK(row.cells == Cells{"a", "b"});
    REQUIRE(reader.next(row));
    CHECK(row.cells == Cells{"1", "2"});
    CHECK(row.line == 2);
    CHECK_FALSE(reader.next(row));
    REQUIRE_FALSE(reader.status());
    CHECK(reader.status().error().code == "err.csv.unterminated_quote");
    CHECK_FALSE(reader.next(row));  // stays stopped
}

TEST_CASE("csv: writing for Excel: BOM, CRLF, quoting only where needed") {
    std::string out = csv::write({{"客户名称", "电话", "备注"}, {"A, Inc.", "13812345678", "say \"hi\"\nbye"}, {"x;y", "a\tb", ""}});
    CHECK(out == "\xEF\xBB\xBF客户名称,电话,备注\r\n"
                 "\"A, Inc.\",13812345678,\"say \"\"hi\"\"\nbye\"\r\n"
                 "\"x;y\",\"a\tb\",\r\n");
    CHECK(csv::write({}) == "\xEF\xBB\xBF");
    CHECK(csv::write({{""}}) == "\xEF\xBB\xBF\"\"\r\n");  // not a blank line, which readers skip
    CHECK(csv::write({{"a", "b"}}, '\t') == "\xEF\xBB\xBF" "a\tb\r\n");
}

TEST_CASE("csv: cells a spreadsheet would run as formulas are neutralized") {
    CHECK(csv::neutralize_formula("=HYPERLINK(\"http://x\",\"点我\")") == "'=HYPERLINK(\"http://x\",\"点我\")");
    CHECK(csv::neutralize_formula("+86 13812345678") == "'+86 13812345678");
    CHECK(csv::neutralize_formula("-2+3") == "'-2+3");
    CHECK(csv::neutralize_formula("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv::neutralize_formula("\t=1") == "'\t=1");
    CHECK(csv::neutralize_formula("\r=1") == "'\r=1");
    for (const char* safe : {"", "深圳市某某科技有限公司", "13812345678", "a=b", " =1", "'quoted"})
        CHECK(csv::neutralize_formula(safe) == safe);
    std::string out = csv::write({{"=cmd|' /C calc'!A0", "ok"}});
    CHECK(out == "\xEF\xBB\xBF'=cmd|' /C calc'!A0,ok\r\n");
}

TEST_CASE("csv: write then read gives the same table") {
    std::vector<Cells> rows{{"客户名称", "电话", "地址", "备注"},
                            {"深圳市某某科技有限公司", "13812345678", "广东省深圳市南山区, 科技园", "第一行\n第二行"},
                            {"\"引号\"公司", "", "a;b", "tab\there"},
                            {"", "", "", ""},
                            {"𠀀", "€", "'", " spaced "}};
    Result<csv::Table> t = csv::read(csv::write(rows));
    REQUIRE(t);
    CHECK(t->encoding == csv::Encoding::Utf8Bom);
    CHECK(t->delimiter == ',');
    CHECK(cells_of(*t) == rows);
    CHECK(t->warnings.empty());
    Result<csv::Table> tabs = csv::read(csv::write(rows, '\t'));
    REQUIRE(tabs);
    CHECK(tabs->delimiter == '\t');
    CHECK(cells_of(*tabs) == rows);
    // Neutralized cells come back with their apostrophe, as a spreadsheet would keep it.
    Result<csv::Table> f = csv::read(csv::write({{"=1+1"}}));
    REQUIRE(f);
    CHECK(f->rows[0].cells[0] == "'=1+1");
}

TEST_CASE("csv: every error key is translated in both languages with the same placeholders") {
    const std::string root = CRM_SOURCE_DIR;
    Translations en, zh;
    REQUIRE(en.load(root + "/assets/i18n", "en"));
    REQUIRE(zh.load(root + "/assets/i18n", "zh-CN"));
    std::set<std::string> used;
    for (const char* file : {"/src/core/csv_read.cpp", "/src/core/csv_encoding.cpp", "/src/core/csv_gb18030.cpp"}) {
        std::ifstream in(root + file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string src = ss.str();
        REQUIRE_FALSE(src.empty());
        std::regex key("\"(err\\.csv\\.[a-z_]+)\"");
        for (auto it = std::sregex_iterator(src.begin(), src.end(), key); it != std::sregex_iterator(); ++it)
            used.insert((*it)[1].str());
    }
    CHECK(used.size() == 9);
    std::regex placeholder("\\{[a-z]+\\}");
    for (const std::string& k : used) {
        REQUIRE_MESSAGE(en.has(k), "en lacks " << k);
        REQUIRE_MESSAGE(zh.has(k), "zh-CN lacks " << k);
        std::string e = en.tr(k), z = zh.tr(k);
        std::set<std::string> pe, pz;
        for (auto it = std::sregex_iterator(e.begin(), e.end(), placeholder); it != std::sregex_iterator(); ++it) pe.insert(it->str());
        for (auto it = std::sregex_iterator(z.begin(), z.end(), placeholder); it != std::sregex_iterator(); ++it) pz.insert(it->str());
        CHECK_MESSAGE(pe == pz, k);
    }
    // A real error renders with nothing left unfilled.
    Result<csv::Table> t = csv::read("a\n\"x");
    REQUIRE_FALSE(t);
    CHECK(zh.message(t.error()) == "第2行第1列：带引号的单元格没有结束引号，请补上缺少的 \" 或删除多余的引号。");
}
