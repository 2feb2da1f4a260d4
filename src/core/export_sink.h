// Inside the export: where its rows go. export_rows (export.cpp) reads the records, makes
// every cell's text (labels, masked phones) and notes the export in the history; a sink
// only lays the cells out in its file format. Not for use outside core/export*.
#pragma once
#include <string>
#include <vector>

#include "core/export.h"

namespace crm {

struct ExportSink {
    virtual ~ExportSink() = default;
    virtual const char* format() const = 0;  // "csv" | "xlsx", recorded in the history event
    virtual void row(const std::vector<std::string>& cells) = 0;  // the header first
    virtual Result<std::string> finish() = 0;                     // the file's bytes
};

Result<ExportResult> export_rows(Workspace& ws, const ExportRequest& req, const Translations& tr, ExportSink& sink);

}  // namespace crm
