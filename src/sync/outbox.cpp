// Building outgoing segments from the change log.
#include "sync/outbox.h"

namespace crm::sync {

Result<std::optional<Segment>> build_segment(Workspace& ws, const Team& team, int64_t after, uint64_t number,
                                             size_t max_messages) {
    Segment seg;
    seg.team = team.id;
    seg.device = ws.device().device_id;
    seg.user = ws.device().user;
    seg.number = number;
    seg.through = after;
    // Read a bounded batch at a time; the statement is reset before rows are read back.
    const int64_t batch = 2000;
    while (seg.messages.size() < max_messages) {
        auto rows = query_rows(ws.db(),
                               "SELECT seq, hlc, tbl, record_id, field, value FROM changes "
                               "WHERE seq > ? AND device = ? ORDER BY seq LIMIT ?",
                               {std::to_string(seg.through), seg.device, std::to_string(batch)});
        if (!rows) return rows.error();
        for (const Row& r : *rows) {
            if (seg.messages.size() >= max_messages) break;
            const std::string tbl = value(r, "tbl"), id = value(r, "record_id"), hlc = value(r, "hlc");
            const std::string field = value(r, "field");
            if (field != kCreatedChange) {
                seg.messages.push_back({tbl, id, field, r.at("value"), hlc});
            } else {
                const TableMeta* t = table_meta(tbl);
                auto row = t ? ws.read_row(tbl, id) : Result<std::optional<Row>>(std::optional<Row>{});
                if (!row) return row.error();
                if (t && *row) {
                    // updated_at is not sent: each device keeps it as the time of the
                    // newest change it has seen (Workspace::apply_remote).
                    for (const FieldMeta& f : t->fields)
                        if (f.name != "updated_at") seg.messages.push_back({tbl, id, f.name, (**row)[f.name], hlc});
                    seg.messages.push_back({tbl, id, "deleted", (**row)["deleted"], hlc});
                }
            }
            seg.through = std::stoll(value(r, "seq"));
        }
        if (static_cast<int64_t>(rows->size()) < batch) break;
    }
    if (seg.through == after) return std::optional<Segment>{};
    return std::optional<Segment>{std::move(seg)};
}

}  // namespace crm::sync
