// Customer merge on top of the write path.
#include "core/merge.h"

#include "core/tags.h"

namespace crm {

namespace {
Result<Row> live_customer(Workspace& ws, const std::string& id) {
    auto row = ws.read_row("customers", id);
    if (!row) return row.error();
    if (!*row || value(**row, "deleted") == "1") return make_error("err.record.not_found", {}, id);
    return std::move(**row);
}

// Ids of the absorbed record's live rows in a child table.
Result<std::vector<std::string>> child_ids(Workspace& ws, const std::string& table, const std::string& cid) {
    auto rows = query_rows(ws.db(), "SELECT id FROM " + table + " WHERE customer_id = ? AND deleted = 0", {cid});
    if (!rows) return rows.error();
    std::vector<std::string> ids;
    for (const Row& r : *rows) ids.push_back(value(r, "id"));
    return ids;
}
}  // namespace

Result<std::vector<MergeDiff>> merge_preview(Workspace& ws, const std::string& sid, const std::string& aid) {
    if (sid == aid) return make_error("err.merge.same_record");
    auto s = live_customer(ws, sid);
    if (!s) return s.error();
    auto a = live_customer(ws, aid);
    if (!a) return a.error();
    std::vector<MergeDiff> out;
    for (const FieldMeta& f : table_meta("customers")->fields) {
        if (!f.editable) continue;
        std::string sv = value(*s, f.name), av = value(*a, f.name);
        if (sv != av) out.push_back({f.name, f.label_key, sv, av});
    }
    return out;
}

namespace {
// The plan's choice for a differing field; by default an empty survivor value is filled.
bool takes_absorbed(const MergePlan& plan, const MergeDiff& d) {
    auto it = plan.choices.find(d.field);
    return it != plan.choices.end() ? it->second == MergeSide::Absorbed : d.survivor_value.empty();
}
}  // namespace

Status merge_customers(Workspace& ws, const MergePlan& plan) {
    auto diffs = merge_preview(ws, plan.survivor_id, plan.absorbed_id);
    if (!diffs) return diffs.error();
    const std::string& sid = plan.survivor_id;
    const std::string& aid = plan.absorbed_id;
    const std::string origin = "merge";

    return ws.transaction([&]() -> Status {
        auto s = live_customer(ws, sid);
        if (!s) return s.error();
        auto a = live_customer(ws, aid);
        if (!a) return a.error();

        // 1. Chosen values onto the survivor.
        std::vector<FieldValue> values;
        std::string new_status;
        for (const MergeDiff& d : *diffs) {
            if (!takes_absorbed(plan, d)) continue;
            if (d.field == "status") new_status = d.absorbed_value;
            values.push_back({d.field, d.absorbed_value});
        }
        std::vector<Edit> edits;
        if (!values.empty()) edits.push_back({Edit::Update, "customers", sid, values, origin});
        if (!new_status.empty())
            edits.push_back({Edit::Create, "status_history", "",
                             {{"customer_id", sid}, {"at", ws.now_iso()}, {"actor", ws.device().user},
                              {"from_status", value(*s, "status")}, {"to_status", new_status},
                              {"reason", "merge"}},
                             origin});

        // 2. Child records move; duplicate or conflicting tags are dropped.
        for (const char* table : {"contacts", "interactions", "key_dates", "consents", "status_history"}) {
            auto ids = child_ids(ws, table, aid);
            if (!ids) return ids.error();
            for (const std::string& id : *ids)
                edits.push_back({Edit::Update, table, id, {{"customer_id", sid}}, origin});
        }
        auto kept = customer_tags(ws, sid);
        if (!kept) return kept.error();
        auto moving = customer_tags(ws, aid);
        if (!moving) return moving.error();
        for (const CustomerTag& t : *moving) {
            bool drop = false;
            for (const CustomerTag& k : *kept)
                drop = drop || k.tag_id == t.tag_id ||
                       (!t.tag.conflict_group.empty() && k.tag.conflict_group == t.tag.conflict_group);
            edits.push_back(drop ? Edit{Edit::Delete, "customer_tags", t.id, {}, origin}
                                 : Edit{Edit::Update, "customer_tags", t.id, {{"customer_id", sid}}, origin});
        }

        // 3. Tombstone the absorbed record; its timeline joins the survivor's.
        edits.push_back({Edit::Delete, "customers", aid, {}, origin});
        if (auto r = ws.apply_all(edits); !r) return r;
        if (auto r = ws.move_history(aid, sid); !r) return r;

        // 4. Every absorbed value that lost stays readable in the survivor's history
        //    (absorbed value -> the value kept), then the merge itself.
        for (const MergeDiff& d : *diffs) {
            if (takes_absorbed(plan, d) || d.absorbed_value.empty()) continue;
            if (auto r = ws.note_history(sid, d.field, d.absorbed_value, d.survivor_value, origin); !r) return r;
        }
        std::string note = "merged " + value(*a, "number") + " into " + value(*s, "number");
        return ws.note_history(sid, "merged", aid, note, origin);
    });
}

}  // namespace crm
