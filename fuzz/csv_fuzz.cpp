// libFuzzer target for the CSV reader and writer (scripts/fuzz.sh builds and runs it).
// Any bytes must read without a crash or sanitizer report into valid UTF-8 cells, and what
// was read must survive write() then read() unchanged (but for the formula apostrophe).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/csv.h"

using namespace crm;

namespace {

bool valid_utf8(const std::string& s) {
    Result<csv::Decoded> d = csv::decode(s, csv::Encoding::Utf8);
    return d && d->invalid_bytes == 0 && d->text == s;
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "csv_fuzz: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    csv::Limits limits;
    limits.max_cell_bytes = 512;  // small limits so the fuzzer reaches the error paths
    limits.max_row_bytes = 2048;
    limits.max_cells_per_row = 64;
    limits.max_warnings = 8;

    // Each delimiter over the decoded text, whatever detection would pick.
    Result<csv::Decoded> decoded = csv::decode(bytes, csv::detect_encoding(bytes));
    if (decoded) {
        if (!valid_utf8(decoded->text)) fail("decode gave invalid UTF-8");
        for (char delimiter : {',', '\t', ';'}) {
            csv::Reader reader(decoded->text, delimiter, limits);
            csv::Row row;
            size_t last_line = 0;
            while (reader.next(row)) {
                if (row.cells.empty() || row.line <= last_line) fail("row without cells or out of order");
                last_line = row.line;
            }
        }
    }

    Result<csv::Table> table = csv::read(bytes, limits);
    if (!table) {
        if (table.error().code.rfind("err.csv.", 0) != 0) fail("error outside err.csv.*");
        return 0;
    }
    std::vector<std::vector<std::string>> rows, expected;
    for (const csv::Row& r : table->rows) {
        for (const std::string& cell : r.cells)
            if (!valid_utf8(cell)) fail("cell is not valid UTF-8");
        rows.push_back(r.cells);
        expected.emplace_back();
        for (const std::string& cell : r.cells) expected.back().push_back(csv::neutralize_formula(cell));
    }
    for (char delimiter : {',', '\t', ';'}) {
        // The writer and the parser agree exactly, given the delimiter...
        std::string written = csv::write(rows, delimiter);
        Result<csv::Decoded> text = csv::decode(written, csv::Encoding::Utf8Bom);
        if (!text || text->invalid_bytes != 0) fail("what we wrote is not UTF-8");
        csv::Reader reader(text->text, delimiter);
        csv::Row row;
        size_t i = 0;
        for (; reader.next(row); ++i)
            if (i >= expected.size() || row.cells != expected[i]) fail("round trip changed a row");
        if (!reader.status() || i != expected.size()) fail("round trip changed the row count");
        // ...and read() finds the delimiter itself whenever the header has one. (A one-column
        // header gives nothing to detect: a later ragged row may then split differently.)
        if (rows.empty() || rows[0].size() < 2) continue;
        Result<csv::Table> back = csv::read(written);
        if (!back) fail("reading what we wrote failed");
        if (back->delimiter != delimiter) fail("round trip delimiter");
        if (back->rows.size() != expected.size()) fail("round trip changed the row count (read)");
        for (size_t r = 0; r < expected.size(); ++r)
            if (back->rows[r].cells != expected[r]) fail("round trip changed a row (read)");
    }
    return 0;
}
