// Import batches and their undo, read back from the history the batch wrote: each batch
// is one "imported" event (tbl "import") naming its range of history entries; those say
// which records it created and what every field it changed held before.
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/import.h"

namespace crm {

Result<std::vector<ImportBatch>> list_import_batches(Workspace& ws) {
    auto events = query_rows(ws.db(),
        "SELECT at, actor, record_id, new FROM history WHERE tbl = 'import' AND field = 'imported' ORDER BY seq DESC");
    if (!events) return events.error();
    auto undone = query_rows(ws.db(), "SELECT record_id FROM history WHERE tbl = 'import' AND field = 'undone'");
    if (!undone) return undone.error();
    std::set<std::string> undone_ids;
    for (const Row& r : *undone) undone_ids.insert(value(r, "record_id"));
    std::vector<ImportBatch> out;
    for (const Row& r : *events) {
        nlohmann::json j = nlohmann::json::parse(value(r, "new"), nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;  // not ours to judge: skip, never fail the list
        auto num = [&](const char* k) -> int64_t { return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : 0; };
        auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
        ImportBatch b;
        b.id = value(r, "record_id");
        b.at = value(r, "at");
        b.actor = value(r, "actor");
        b.kind = str("kind");
        b.source = str("source");
        b.first_seq = num("first_seq");
        b.last_seq = num("last_seq");
        b.created = num("created");
        b.updated = num("updated");
        b.skipped = num("skipped");
        b.failed = num("failed");
        b.undone = undone_ids.count(b.id) != 0;
        out.push_back(std::move(b));
    }
    return out;
}

Result<UndoResult> undo_import(Workspace& ws, const std::string& batch_id) {
    auto batches = list_import_batches(ws);
    if (!batches) return batches.error();
    const ImportBatch* batch = nullptr;
    for (const ImportBatch& b : *batches)
        if (b.id == batch_id) batch = &b;
    if (!batch) return make_error("err.import.batch_not_found", {}, batch_id);
    if (batch->undone) return make_error("err.import.already_undone", {}, batch_id);

    auto entries = query_rows(ws.db(),
        "SELECT tbl, record_id, field, old, new FROM history "
        "WHERE seq >= ? AND seq <= ? AND origin = 'import' ORDER BY seq",
        {std::to_string(batch->first_seq), std::to_string(batch->last_seq)});
    if (!entries) return entries.error();

    using RecordKey = std::pair<std::string, std::string>;  // table, id
    struct FieldChange {
        std::optional<std::string> before, after;  // before the first change, after the last
    };
    std::vector<RecordKey> created;
    std::set<RecordKey> created_set;
    std::map<RecordKey, std::map<std::string, FieldChange>> changed;
    for (const Row& e : *entries) {
        RecordKey key{value(e, "tbl"), value(e, "record_id")};
        if (!table_meta(key.first)) continue;
        const std::string field = value(e, "field");
        if (field == "created") {
            if (created_set.insert(key).second) created.push_back(key);
            continue;
        }
        if (!table_meta(key.first)->field(field)) continue;  // events, not field changes
        auto& fields = changed[key];
        auto [it, first] = fields.try_emplace(field);
        if (first) it->second.before = e.at("old");
        it->second.after = e.at("new");
    }

    // One bulk transaction: a savepoint per record would copy every page it touches into
    // the statement journal, and any failure here fails the whole undo anyway.
    UndoResult result;
    Status s = ws.bulk_transaction([&]() -> Status {
        for (const auto& [key, fields] : changed) {
            if (created_set.count(key)) continue;  // tombstoned below
            auto row = ws.read_row(key.first, key.second);
            if (!row) return row.error();
            if (!*row) continue;
            Edit e{Edit::Update, key.first, key.second, {}, "import"};
            for (const auto& [field, change] : fields) {
                auto it = (*row)->find(field);
                std::optional<std::string> now = it == (*row)->end() ? std::nullopt : it->second;
                if (now != change.after) {  // changed again since: the newer value stays
                    result.kept_fields++;
                    continue;
                }
                e.fields.push_back({field, change.before});
                result.restored_fields++;
            }
            if (value(**row, "deleted") == "1" || e.fields.empty()) continue;
            if (auto r = ws.apply(e); !r) return r.error();
        }
        for (auto it = created.rbegin(); it != created.rend(); ++it) {
            auto row = ws.read_row(it->first, it->second);
            if (!row) return row.error();
            if (!*row || value(**row, "deleted") == "1") continue;
            if (auto r = ws.apply({Edit::Delete, it->first, it->second, {}, "import"}); !r) return r.error();
            result.tombstoned++;
        }
        nlohmann::json j = {{"tombstoned", result.tombstoned}, {"restored_fields", result.restored_fields},
                            {"kept_fields", result.kept_fields}};
        return ws.note_event("import", batch_id, "undone", j.dump(), "import");
    });
    if (!s) return s.error();
    return result;
}

}  // namespace crm
