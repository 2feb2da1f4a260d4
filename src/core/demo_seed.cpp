// Demo data through the write path.
#include "core/demo_seed.h"

#include "core/customers.h"
#include "core/interactions.h"

namespace crm {

namespace {
std::vector<FieldValue> to_fields(const DemoRecord& r) {
    std::vector<FieldValue> out;
    out.reserve(r.fields.size());
    for (const auto& [k, v] : r.fields)
        if (k != "customer_ref") out.push_back({k, v});
    return out;
}

Error located(Error e, const char* table, size_t index) {
    e.detail = std::string(table) + "[" + std::to_string(index) + "] " + e.detail;
    return e;
}

// customer_ref as an index, or nullopt when missing or out of range.
std::optional<size_t> ref_of(const DemoRecord& r, size_t customers) {
    const std::string& ref = r.get("customer_ref");
    if (ref.empty() || ref.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    size_t i = std::stoul(ref);
    return i < customers ? std::optional<size_t>(i) : std::nullopt;
}
}  // namespace

Result<SeedCounts> seed_demo_counted(Workspace& ws, const DemoSet& set) {
    SeedCounts counts;
    const size_t n = set.customers.size();
    std::vector<std::vector<std::vector<FieldValue>>> contacts(n);
    for (size_t i = 0; i < set.contacts.size(); ++i) {
        auto ref = ref_of(set.contacts[i], n);
        if (!ref) return located(make_error("err.record.ref_missing", "field.contacts.customer_id"), "contacts", i);
        contacts[*ref].push_back(to_fields(set.contacts[i]));
    }
    Status s = ws.transaction([&]() -> Status {
        std::vector<std::string> ids(n);
        for (size_t i = 0; i < n; ++i) {
            auto id = create_customer(ws, to_fields(set.customers[i]), contacts[i], "import");
            if (!id) return located(id.error(), "customers", i);
            ids[i] = std::move(*id);
            counts.customers++;
            counts.contacts += contacts[i].size();
        }
        for (size_t i = 0; i < set.interactions.size(); ++i) {
            const DemoRecord& r = set.interactions[i];
            auto ref = ref_of(r, n);
            if (!ref) return located(make_error("err.record.ref_missing", "field.interactions.customer_id"), "interactions", i);
            std::vector<FieldValue> fields = to_fields(r);
            if (r.get("created_at").empty() && !r.get("at").empty()) fields.push_back({"created_at", r.get("at")});
            auto id = log_interaction(ws, ids[*ref], fields, "import");
            if (!id) return located(id.error(), "interactions", i);
            counts.interactions++;
        }
        // Key dates and consents: plain records of their customer, same write path.
        for (const auto* list : {&set.key_dates, &set.consents}) {
            for (size_t i = 0; i < list->size(); ++i) {
                const DemoRecord& r = (*list)[i];
                auto ref = ref_of(r, n);
                if (!ref) return located(make_error("err.record.ref_missing", "field." + r.table + ".customer_id"),
                                         r.table.c_str(), i);
                std::vector<FieldValue> fields = to_fields(r);
                fields.push_back({"customer_id", ids[*ref]});
                auto id = ws.apply(Edit{Edit::Create, r.table, "", std::move(fields), "import"});
                if (!id) return located(id.error(), r.table.c_str(), i);
                (list == &set.key_dates ? counts.key_dates : counts.consents)++;
            }
        }
        return {};
    });
    if (!s) return s.error();
    return counts;
}

Status seed_demo(Workspace& ws, const DemoSet& set) {
    auto r = seed_demo_counted(ws, set);
    return r ? Status{} : Status{r.error()};
}

}  // namespace crm
