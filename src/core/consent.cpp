// Consent records on top of the write path.
#include "core/consent.h"

namespace crm {

Result<std::string> record_consent(Workspace& ws, const std::string& customer_id, const ConsentInput& in) {
    return ws.apply({Edit::Create, "consents", "",
                     {{"customer_id", customer_id}, {"purpose", in.purpose}, {"channel", in.channel},
                      {"given_on", in.given_on}, {"scope", in.scope},
                      {"sensitive", in.sensitive ? "1" : "0"}}});
}

Status withdraw_consent(Workspace& ws, const std::string& consent_id, const std::string& withdrawn_on) {
    auto row = ws.read_row("consents", consent_id);
    if (!row) return row.error();
    if (!*row || value(**row, "deleted") == "1") return make_error("err.record.not_found", {}, consent_id);
    if (!value(**row, "withdrawn_on").empty())
        return make_error("err.consent.already_withdrawn", "field.consents.withdrawn_on");
    auto day = parse_date(withdrawn_on), given = parse_date(value(**row, "given_on"));
    if (day && given && *day < *given)
        return make_error("err.consent.withdraw_before_given", "field.consents.withdrawn_on");
    auto r = ws.apply({Edit::Update, "consents", consent_id, {{"withdrawn_on", withdrawn_on}}});
    return r ? Status{} : Status{r.error()};
}

Result<std::vector<Consent>> list_consents(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(),
                           "SELECT * FROM consents WHERE customer_id = ? AND deleted = 0 "
                           "ORDER BY given_on DESC, rowid DESC",
                           {customer_id});
    if (!rows) return rows.error();
    std::vector<Consent> out;
    for (const Row& r : *rows) {
        Consent c;
        c.id = value(r, "id"); c.customer_id = value(r, "customer_id"); c.purpose = value(r, "purpose");
        c.channel = value(r, "channel"); c.given_on = value(r, "given_on"); c.scope = value(r, "scope");
        c.withdrawn_on = value(r, "withdrawn_on"); c.sensitive = value(r, "sensitive") == "1";
        out.push_back(std::move(c));
    }
    return out;
}

Result<bool> has_consent(Workspace& ws, const std::string& customer_id, const std::string& purpose,
                         bool need_sensitive) {
    auto all = list_consents(ws, customer_id);
    if (!all) return all.error();
    for (const Consent& c : *all)
        if (c.active() && c.purpose == purpose && (!need_sensitive || c.sensitive)) return true;
    return false;
}

}  // namespace crm
