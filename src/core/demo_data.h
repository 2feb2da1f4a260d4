// Deterministic generator of realistic demo records (Chinese companies, people, contacts,
// interactions). Same seed -> same data on every platform; never uses std::random_device or
// the clock. Ids and human numbers are assigned later by the write path.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm {

struct DemoRecord {
    std::string table;  // "customers", "contacts", "interactions"
    std::vector<std::pair<std::string, std::string>> fields;  // field name -> value
    // Value of field `name`, "" if absent.
    const std::string& get(std::string_view name) const;
};

// contacts, interactions, key dates and consents carry "customer_ref" = index into
// `customers`, as a string.
struct DemoSet {
    std::vector<DemoRecord> customers, contacts, interactions;
    std::vector<DemoRecord> key_dates, consents;  // a few customers have them
};

// `today` is "YYYY-MM-DD"; dates are spread before it, next-action due dates around it.
DemoSet make_demo_set(uint64_t seed, size_t customers, size_t interactions_per_customer_avg,
                      std::string_view today);

}  // namespace crm
