// CSV writing for Excel/WPS: UTF-8 with BOM, CRLF, quoting only where needed, and no cell
// that a spreadsheet would run as a formula. Never changes a cell beyond the formula prefix.
#include "core/csv.h"

namespace crm::csv {

namespace {

bool starts_formula(std::string_view cell) {
    return !cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos;
}

}  // namespace

std::string neutralize_formula(std::string_view cell) {
    // Excel, WPS and LibreOffice evaluate a cell starting with = + - @ as a formula (and one
    // starting with tab or CR, which some of them strip first): "=HYPERLINK(...)" can send data away, "=cmd|..." ran DDE.
    // A leading apostrophe is what the spreadsheets themselves use to say "this is text"
    // (OWASP "CSV injection"). Cost: "-5" or "+86 138..." also get the apostrophe; they keep
    // their value as text, which is what an export of CRM fields should do anyway.
    std::string out;
    out.reserve(cell.size() + 1);
    if (starts_formula(cell)) out += '\'';
    out += cell;
    return out;
}

void append_row(std::string& out, const std::vector<std::string>& cells, char delimiter) {
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out += delimiter;
        const std::string& cell = cells[i];
        // Quoting any of the three candidate delimiters keeps detect_delimiter() right on
        // our own files; a lone empty cell is quoted so the row is not read as a blank line.
        bool quote = cell.find_first_of("\",;\t\r\n") != std::string::npos || cell.find(delimiter) != std::string::npos ||
                     (cells.size() == 1 && cell.empty());
        if (quote) out += '"';
        if (starts_formula(cell)) out += '\'';  // see neutralize_formula()
        if (!quote) {
            out += cell;
            continue;
        }
        for (char c : cell) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    out += "\r\n";
}

std::string write(const std::vector<std::vector<std::string>>& rows, char delimiter) {
    std::string out(kUtf8Bom);
    for (const auto& row : rows) append_row(out, row, delimiter);
    return out;
}

}  // namespace crm::csv
