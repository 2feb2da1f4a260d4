// vCards as an import table, so contacts from a phone go through the same plan, checks,
// duplicate decisions, run, report and undo as a spreadsheet.
#include <algorithm>

#include "core/import.h"
#include "core/validate.h"
#include "core/vcard.h"

namespace crm {

csv::Table vcard_table(const std::vector<VCard>& cards) {
    csv::Table t;
    t.rows.push_back({{"customers.name", "customers.kind", "contacts.name", "contacts.title", "contacts.mobile",
                       "contacts.landline", "contacts.email", "contacts.notes"},
                      0});
    for (const VCard& card : cards) {
        const std::string person = card.display_name();
        // Preferred numbers first; then the first mobile and the first landline are kept in
        // their fields and the rest go to the notes, so no number is lost.
        std::vector<VCardValue> tels = card.tels;
        std::stable_sort(tels.begin(), tels.end(),
                         [](const VCardValue& a, const VCardValue& b) { return a.preferred > b.preferred; });
        std::string mobile, landline, email, extra;
        auto more = [&](const std::string& v) {
            if (!v.empty()) extra += (extra.empty() ? "" : "; ") + v;
        };
        for (const VCardValue& tel : tels) {
            if (mobile.empty() && is_valid_mobile(tel.value)) mobile = tel.value;
            else if (landline.empty() && is_valid_landline(tel.value)) landline = tel.value;
            else more(tel.value);
        }
        for (const VCardValue& e : card.emails) {
            if (email.empty() && is_valid_email(e.value)) email = e.value;
            else more(e.value);
        }
        std::string notes = card.note;
        if (!extra.empty()) notes += (notes.empty() ? "" : "\n") + extra;
        const bool company = !card.org.empty();
        t.rows.push_back({{company ? card.org : person, company ? "enterprise" : "personal", person, card.title,
                           mobile, landline, email, notes},
                          card.line});
    }
    return t;
}

}  // namespace crm
