// CSV reading: delimiter detection and the RFC 4180 parser, with Excel's leniencies (a quote
// inside an unquoted cell is text; text after a closing quote is kept). Rows are never dropped
// or padded: ragged rows come back as they are, with a warning naming their line.
#include <algorithm>
#include <array>

#include "core/csv.h"

namespace crm::csv {

namespace {

constexpr std::array<char, 3> kDelimiters = {',', '\t', ';'};
constexpr size_t kSniffRecords = 20;
constexpr size_t kSniffBytes = 64 * 1024;

bool is_spreadsheet_file(std::string_view bytes) {
    return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) ||  // .xlsx (a ZIP)
           bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";    // .xls (OLE2)
}

size_t line_of_offset(std::string_view text, size_t offset) {
    size_t line = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') ++line;
        else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) ++line;
    }
    return line;
}

}  // namespace

// Counts each candidate outside quotes in the first records. The delimiter is the one whose
// count in the header recurs in the most records (a real delimiter appears as often in every
// well-formed row as in the header; a comma inside an address does not).
char detect_delimiter(std::string_view text) {
    std::vector<std::array<size_t, 3>> records(1, {0, 0, 0});
    bool quoted = false, field_start = true;
    size_t n = std::min(text.size(), kSniffBytes);
    for (size_t i = 0; i < n && records.size() <= kSniffRecords; ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < n && text[i + 1] == '"') ++i;
                else quoted = false;
            }
            continue;
        }
        if (c == '"' && field_start) { quoted = true; field_start = false; continue; }
        field_start = false;
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            records.push_back({0, 0, 0});
            field_start = true;
            continue;
        }
        for (size_t k = 0; k < kDelimiters.size(); ++k)
            if (c == kDelimiters[k]) { ++records.back()[k]; field_start = true; }
    }
    if (records.size() > 1 && records.back() == std::array<size_t, 3>{0, 0, 0}) records.pop_back();

    size_t best = 0, best_score = 0, best_header = 0;
    for (size_t k = 0; k < kDelimiters.size(); ++k) {
        size_t header = records[0][k], score = 0;
        for (const auto& r : records) score += header > 0 && r[k] == header;
        if (score > best_score || (score == best_score && score > 0 && header > best_header)) {
            best = k; best_score = score; best_header = header;
        }
    }
    if (best_score > 0) return kDelimiters[best];
    // No candidate in the header: the one present in the most records, else a single column.
    size_t best_present = 0;
    for (size_t k = 0; k < kDelimiters.size(); ++k) {
        size_t present = std::count_if(records.begin(), records.end(), [&](const auto& r) { return r[k] > 0; });
        if (present > best_present) { best = k; best_present = present; }
    }
    return best_present > 0 ? kDelimiters[best] : ',';
}

Reader::Reader(std::string_view utf8_text, char delimiter, const Limits& limits)
    : text_(utf8_text), delimiter_(delimiter), limits_(limits) {}

bool Reader::fail(const char* code, size_t line, size_t column) {
    Error e = make_error(code);
    e.with("line", std::to_string(line));
    if (column > 0) e.with("column", std::to_string(column));
    if (std::string_view(code) == "err.csv.cell_too_large") e.with("max", std::to_string(limits_.max_cell_bytes));
    if (std::string_view(code) == "err.csv.row_too_large") e.with("max", std::to_string(limits_.max_row_bytes));
    if (std::string_view(code) == "err.csv.too_many_cells") e.with("max", std::to_string(limits_.max_cells_per_row));
    status_ = e;
    pos_ = text_.size();
    return false;
}

bool Reader::next(Row& row) {
    const size_t n = text_.size();
    if (!status_) return false;
    // Lines with nothing at all on them (Excel's trailing empty line, blank lines) hold no row.
    while (pos_ < n && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }
    if (pos_ >= n) return false;

    row.line = line_;
    size_t count = 0, row_bytes = 0;
    for (;;) {
        if (count == limits_.max_cells_per_row) return fail("err.csv.too_many_cells", row.line, 0);
        if (count == row.cells.size()) row.cells.emplace_back();
        std::string& cell = row.cells[count++];
        cell.clear();
        const size_t cell_line = line_, column = count;

        if (pos_ < n && text_[pos_] == '"') {
            ++pos_;
            for (;;) {  // one physical line of the quoted cell per turn
                size_t start = pos_;
                while (pos_ < n && text_[pos_] != '"' && text_[pos_] != '\r' && text_[pos_] != '\n') ++pos_;
                cell.append(text_.data() + start, pos_ - start);
                if (pos_ >= n) return fail("err.csv.unterminated_quote", cell_line, column);
                char c = text_[pos_++];
                if (c == '"') {
                    if (pos_ < n && text_[pos_] == '"') { cell += '"'; ++pos_; }
                    else break;  // the closing quote
                } else {  // a line break inside the cell: kept, as "\n" whatever the file used
                    if (c == '\r' && pos_ < n && text_[pos_] == '\n') ++pos_;
                    cell += '\n';
                    ++line_;
                }
                if (cell.size() > limits_.max_cell_bytes) {
                    // No closing quote anywhere after: the real problem is the unclosed quote.
                    if (text_.find('"', pos_) == std::string_view::npos)
                        return fail("err.csv.unterminated_quote", cell_line, column);
                    return fail("err.csv.cell_too_large", cell_line, column);
                }
            }
        }
        // An unquoted cell, or what follows a closing quote before the delimiter (Excel keeps it).
        size_t start = pos_;
        while (pos_ < n && text_[pos_] != delimiter_ && text_[pos_] != '\r' && text_[pos_] != '\n') ++pos_;
        cell.append(text_.data() + start, pos_ - start);
        if (cell.size() > limits_.max_cell_bytes) return fail("err.csv.cell_too_large", cell_line, column);
        row_bytes += cell.size();
        if (row_bytes > limits_.max_row_bytes) return fail("err.csv.row_too_large", row.line, 0);

        if (pos_ >= n) break;
        char c = text_[pos_++];
        if (c == delimiter_) continue;
        if (c == '\r' && pos_ < n && text_[pos_] == '\n') ++pos_;
        ++line_;
        break;
    }
    row.cells.resize(count);
    return true;
}

Result<Table> read(std::string_view bytes, const Limits& limits) {
    if (is_spreadsheet_file(bytes)) return make_error("err.csv.spreadsheet_file");
    Table table;
    table.encoding = detect_encoding(bytes);
    Result<Decoded> decoded = decode(bytes, table.encoding);
    if (!decoded) return decoded.error();
    const std::string& text = decoded->text;
    table.delimiter = detect_delimiter(text);

    size_t dropped = 0;
    auto warn = [&](Error e) {
        if (table.warnings.size() < limits.max_warnings) table.warnings.push_back(std::move(e));
        else ++dropped;
    };
    if (decoded->invalid_bytes > 0) {
        Error e = make_error("err.csv.invalid_bytes");
        e.with("count", std::to_string(decoded->invalid_bytes))
            .with("line", std::to_string(line_of_offset(text, decoded->first_invalid_at)))
            .with("encoding", encoding_name(table.encoding));
        warn(std::move(e));
    }

    Reader reader(text, table.delimiter, limits);
    Row row;
    while (reader.next(row)) {
        if (!table.rows.empty() && row.cells.size() != table.rows[0].cells.size()) {
            Error e = make_error("err.csv.ragged_row");
            e.with("line", std::to_string(row.line))
                .with("cells", std::to_string(row.cells.size()))
                .with("expected", std::to_string(table.rows[0].cells.size()));
            warn(std::move(e));
        }
        table.rows.push_back(std::move(row));
        row = Row{};
    }
    if (!reader.status()) return reader.status().error();
    if (dropped > 0) {
        Error e = make_error("err.csv.more_warnings");
        e.with("count", std::to_string(dropped));
        table.warnings.push_back(std::move(e));
    }
    return table;
}

}  // namespace crm::csv
