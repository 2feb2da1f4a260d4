// CSV writing for Excel/WPS: UTF-8 with BOM, CRLF, quoting only where needed, and no cell
// that a spreadsheet would run as a formula. Never changes a cell beyond the formula prefix.
#include "core/csv.h"

namespace crm::csv {

std::string neutralize_formula(std::string_view cell) {
    // Excel, WPS and LibreOffice evaluate a cell starting with = + - @ (and, after trimming,
    // tab or CR) as a formula: "=HYPERLINK(...)" can send data away, "=cmd|..." ran DDE.
    // A leading apostrophe is what the spreadsheets themselves use to say "this is text"
    // (OWASP "CSV injection"). Cost: "-5" or "+86 138..." also get the apostrophe; they keep
    // their value as text, which is what an export of CRM fields should do anyway.
    std::string out;
    out.reserve(cell.size() + 1);
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos) out += '\'';
    out += cell;
    return out;
}

void append_row(std::string& out, const std::vector<std::string>& cells, char delimiter) {
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out += delimiter;
        std::string cell = neutralize_formula(cells[i]);
        // Quoting any of the three candidate delimiters keeps detect_delimiter() right on
        // our own files; a lone empty cell is quoted so the row is not read as a blank line.
        bool quote = cell.find_first_of("\",;\t\r\n") != std::string::npos || cell.find(delimiter) != std::string::npos ||
                     (cells.size() == 1 && cell.empty());
        if (!quote) {
            out += cell;
            continue;
        }
        out += '"';
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
