// The export as an Excel workbook (.xlsx) through libxlsxwriter: one worksheet, the header
// in bold and frozen, the same cells as the CSV.
//
// Formula injection: every cell is written with worksheet_write_string, i.e. as a string
// cell (<c t="s"> or an inline string), which Excel and WPS show as text and never
// evaluate; a value like "=cmd|..." therefore needs no apostrophe here (the CSV writer
// adds one because a CSV cell has no type).
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/export_sink.h"
#include "core/ids.h"

namespace crm {

namespace {

// libxlsxwriter writes to a file (1.1.4 has no memory output): a private temporary file,
// in the browser on emscripten's in-memory file system, read back and removed.
struct XlsxSink : ExportSink {
    std::string path;
    lxw_workbook* book = nullptr;
    lxw_worksheet* sheet = nullptr;
    lxw_format* bold = nullptr;
    lxw_row_t next = 0;

    explicit XlsxSink(const std::string& sheet_name) {
        const char* dir = std::getenv("TMPDIR");
        path = std::string(dir && *dir ? dir : "/tmp") + "/crm-export-" + new_device_id() + ".xlsx";
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;  // rows are streamed: 100k rows stay small
        book = workbook_new_opt(path.c_str(), &options);
        if (!book) return;
        sheet = workbook_add_worksheet(book, sheet_name.c_str());
        bold = workbook_add_format(book);
        format_set_bold(bold);
        if (sheet) worksheet_freeze_panes(sheet, 1, 0);
    }
    ~XlsxSink() override {
        if (book) workbook_close(book);  // only after a failure: finish() closes it
        std::remove(path.c_str());
    }
    const char* format() const override { return "xlsx"; }
    void row(const std::vector<std::string>& cells) override {
        if (!sheet) return;
        for (size_t c = 0; c < cells.size(); ++c)
            if (!cells[c].empty())
                worksheet_write_string(sheet, next, static_cast<lxw_col_t>(c), cells[c].c_str(), next == 0 ? bold : nullptr);
        ++next;
    }
    Result<std::string> finish() override {
        if (!book || !sheet) return make_error("err.export.xlsx_failed", {}, "workbook_new").with("reason", "workbook_new");
        lxw_workbook* b = book;
        book = nullptr;
        if (lxw_error e = workbook_close(b); e != LXW_NO_ERROR)
            return make_error("err.export.xlsx_failed", {}, lxw_strerror(e)).with("reason", lxw_strerror(e));
        std::ifstream in(path, std::ios::binary);
        if (!in) return make_error("err.export.xlsx_failed", {}, "read back").with("reason", "read back");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
};

}  // namespace

Result<ExportResult> export_xlsx(Workspace& ws, const ExportRequest& req, const Translations& tr) {
    XlsxSink sink(tr.tr(std::string("export.table.") + export_table_name(req.table)));
    return export_rows(ws, req, tr, sink);
}

}  // namespace crm
