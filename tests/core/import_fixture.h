// Shared set-up for the import and export tests: fixture files, both translation tables,
// the options a wizard would pass, the workspace both suites start from (ImportSetup) and a
// content hash of the live records.
#pragma once
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/import.h"
#include "data_fixture.h"

namespace testfx {

inline std::string read_file(const std::string& name) {
    std::ifstream in(std::string(CRM_SOURCE_DIR) + "/tests/core/data/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline crm::csv::Table read_table(const std::string& name) {
    auto t = crm::csv::read(read_file(name));
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().code));
    return std::move(*t);
}

struct Languages {
    crm::Translations en, zh;
    Languages() {
        const std::string dir = std::string(CRM_SOURCE_DIR) + "/assets/i18n";
        REQUIRE(en.load(dir, "en"));
        REQUIRE(zh.load(dir, "zh-CN"));
    }
    crm::ValueGuesser guesser() const { return crm::ValueGuesser({&en, &zh}); }
};

inline crm::ImportOptions wizard_options() {
    crm::ImportOptions o;
    o.defaults = {{"kind", "enterprise"}, {"source", "other"}, {"status", "potential"}, {"owner", "张伟"}};
    o.source_name = "test.csv";
    return o;
}

// A workspace holding one customer (杭州云帆科技有限公司, 13812345678, CX202310010001), both
// languages, and a plan of a fixture file as the wizard would make it (guessed mapping and
// values). The import and export suites both start from it.
struct ImportSetup {
    Fx fx;
    Languages lang;
    std::string existing;
    ImportSetup() { existing = make_customer(fx.ws); }

    crm::ImportPlan plan(const std::string& file, crm::ImportKind kind = crm::ImportKind::Customers,
                         crm::ImportOptions options = wizard_options()) {
        crm::csv::Table t = read_table(file);
        crm::ColumnMapping m = crm::guess_mapping(t.rows[0].cells, kind);
        crm::map_values(t, m, lang.guesser());
        auto p = crm::prepare_import(fx.ws, t, m, options);
        REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : msg(p.error())));
        return std::move(*p);
    }
};

// Every column but updated_at (bookkeeping the undo itself moves forward) of the live rows
// of the tables an import writes, in id order, hashed (FNV-1a over the text).
inline uint64_t content_hash(crm::Workspace& ws) {
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    };
    for (const char* table : {"customers", "contacts", "status_history", "interactions"}) {
        auto rows = crm::query_rows(ws.db(), std::string("SELECT * FROM ") + table + " WHERE deleted = 0 ORDER BY id");
        REQUIRE(rows.ok());
        mix(table);
        for (const crm::Row& r : *rows)
            for (const auto& [col, v] : r) {
                if (col == "updated_at") continue;
                mix(col);
                mix(v ? *v : std::string("\x01NULL"));
            }
    }
    return h;
}

}  // namespace testfx
