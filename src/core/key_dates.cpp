// Key dates on top of the write path, and the reminder computation.
#include "core/key_dates.h"

#include <algorithm>

namespace crm {

Result<std::string> add_key_date(Workspace& ws, const std::string& customer_id, const std::string& kind,
                                 const std::string& date, int lead_days, const std::string& note) {
    if (lead_days < 0) return make_error("err.number.negative", "field.key_dates.lead_days");
    return ws.apply({Edit::Create, "key_dates", "",
                     {{"customer_id", customer_id}, {"kind", kind}, {"date", date},
                      {"lead_days", std::to_string(lead_days)}, {"note", note}}});
}

Status delete_key_date(Workspace& ws, const std::string& id) {
    auto r = ws.apply({Edit::Delete, "key_dates", id, {}});
    return r ? Status{} : Status{r.error()};
}

namespace {
KeyDate key_date_from_row(const Row& r) {
    KeyDate k;
    k.id = value(r, "id"); k.customer_id = value(r, "customer_id"); k.kind = value(r, "kind");
    k.date = value(r, "date"); k.note = value(r, "note");
    std::string lead = value(r, "lead_days");
    k.lead_days = lead.empty() ? 0 : std::stoi(lead);
    return k;
}

int64_t on_year(int y, int m, int d) {
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) d = 28;
    return days_from_civil(y, m, d);
}
}  // namespace

std::optional<int64_t> next_occurrence(const std::string& kind, int64_t date, int64_t today) {
    bool yearly = kind == "birthday" || kind == "anniversary";
    if (!yearly) return date >= today ? std::optional<int64_t>(date) : std::nullopt;
    int y, m, d, ty, tm, td;
    civil_from_days(date, y, m, d);
    civil_from_days(today, ty, tm, td);
    int64_t cand = on_year(ty, m, d);
    if (cand < today) cand = on_year(ty + 1, m, d);
    return cand;
}

Result<std::vector<KeyDate>> list_key_dates(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(), "SELECT * FROM key_dates WHERE customer_id = ? AND deleted = 0 ORDER BY date",
                           {customer_id});
    if (!rows) return rows.error();
    std::vector<KeyDate> out;
    for (const Row& r : *rows) out.push_back(key_date_from_row(r));
    return out;
}

Result<std::vector<UpcomingKeyDate>> upcoming_key_dates(Workspace& ws, const std::string& today, int days) {
    auto t = parse_date(today);
    if (!t) return make_error("err.date.format", {}, today);
    auto rows = query_rows(ws.db(),
        "SELECT k.*, c.name AS customer_name, c.number AS customer_number FROM key_dates k "
        "JOIN customers c ON c.id = k.customer_id WHERE k.deleted = 0 AND c.deleted = 0");
    if (!rows) return rows.error();
    std::vector<UpcomingKeyDate> out;
    for (const Row& r : *rows) {
        KeyDate k = key_date_from_row(r);
        auto date = parse_date(k.date);
        if (!date) continue;
        auto next = next_occurrence(k.kind, *date, *t);
        if (!next) continue;
        int64_t left = *next - *t;
        if (left > days && left > k.lead_days) continue;
        out.push_back({k, value(r, "customer_name"), value(r, "customer_number"), format_date(*next),
                       static_cast<int>(left)});
    }
    std::sort(out.begin(), out.end(), [](const UpcomingKeyDate& a, const UpcomingKeyDate& b) {
        return a.occurs_on != b.occurs_on ? a.occurs_on < b.occurs_on : a.customer_number < b.customer_number;
    });
    return out;
}

}  // namespace crm
