// CSV import/export: bytes as Excel/WPS save them (UTF-8, UTF-16 with BOM, GB18030/GBK)
// -> a table of UTF-8 cells, and rows -> a CSV that Excel opens correctly and safely.
// Pure functions on memory: never touches the database, files or the UI.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace crm::csv {

enum class Encoding { Utf8, Utf8Bom, Utf16Le, Utf16Be, Gb18030 };
const char* encoding_name(Encoding);  // "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "GB18030"

// Caps that turn a runaway file (an unclosed quote swallowing the rest, a binary file) into a
// clear error instead of unbounded memory. Excel's own cell limit is 32,767 characters, i.e.
// at most ~96 KiB of UTF-8, so the defaults never refuse a sheet Excel could have written.
struct Limits {
    size_t max_cell_bytes = 128 * 1024;
    size_t max_row_bytes = 1024 * 1024;
    size_t max_cells_per_row = 1024;
    size_t max_warnings = 1000;  // further warnings are summed up in one last warning
};

struct Row {
    std::vector<std::string> cells;  // UTF-8; line breaks inside cells are "\n"
    size_t line = 0;                 // 1-based line of the file where the row starts
};

struct Table {
    Encoding encoding = Encoding::Utf8;
    char delimiter = ',';
    std::vector<Row> rows;        // all rows, the header first; never dropped
    std::vector<Error> warnings;  // err.csv.ragged_row, err.csv.invalid_bytes, ... (file order)
};

// ---- reading ---------------------------------------------------------------------------
// Everything in one call: detect the encoding, decode to UTF-8, detect the delimiter, parse.
// Errors: err.csv.spreadsheet_file (an .xlsx/.xls was given), err.csv.unterminated_quote,
// err.csv.cell_too_large, err.csv.row_too_large, err.csv.too_many_cells, err.csv.decode_failed.
Result<Table> read(std::string_view bytes, const Limits& limits = {});

// The steps of read(), usable on their own.
Encoding detect_encoding(std::string_view bytes);
struct Decoded {
    std::string text;             // UTF-8 without BOM
    size_t invalid_bytes = 0;     // bytes replaced by U+FFFD
    size_t first_invalid_at = 0;  // offset in text of the first replacement
};
Result<Decoded> decode(std::string_view bytes, Encoding);
char detect_delimiter(std::string_view utf8_text);  // ',', '\t' or ';' (',' when none is seen)

// Row-at-a-time parser over UTF-8 text (RFC 4180 plus what Excel does): lets an importer
// validate rows as they come without holding a second copy of the file as a table.
class Reader {
public:
    Reader(std::string_view utf8_text, char delimiter, const Limits& limits = {});
    // Fills row (reusing its buffers); false at the end of the text or on error (see status()).
    bool next(Row& row);
    const Status& status() const { return status_; }
private:
    bool fail(const char* code, size_t line, size_t column);  // records the error, returns false
    std::string_view text_;
    size_t pos_ = 0;
    size_t line_ = 1;
    char delimiter_;
    Limits limits_;
    Status status_;
};

// ---- writing ---------------------------------------------------------------------------
// UTF-8 with BOM (so Excel on Chinese Windows does not read it as GBK), CRLF line ends,
// every cell neutralized against formula injection, quoted when it holds a quote, a line
// break or any of , ; tab (so our own reader detects the delimiter of what we wrote).
std::string write(const std::vector<std::vector<std::string>>& rows, char delimiter = ',');
// Streaming form: start with the BOM, then append rows one by one.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
void append_row(std::string& out, const std::vector<std::string>& cells, char delimiter = ',');

// A cell that starts with = + - @ tab or CR is taken as a formula by Excel/WPS/LibreOffice
// ("CSV injection": =HYPERLINK(...) exfiltrating data, DDE commands). Prefixing a single quote
// makes the spreadsheet show it as text; the value stays readable. Other cells are unchanged.
std::string neutralize_formula(std::string_view cell);

}  // namespace crm::csv
