// Shared set-up for the data-core tests: an in-memory workspace on a fixed clock and a
// valid enterprise customer to start from.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <optional>

#include "core/customers.h"
#include "core/workspace.h"

namespace testfx {

inline crm::Workspace open_ws(std::shared_ptr<crm::FixedClock> clock, std::string code = "01",
                              std::string device = "00000000000000a1", std::string user = "张伟") {
    auto ws = crm::Workspace::open_memory({device, code, user}, clock);
    REQUIRE_MESSAGE(ws.ok(), (ws.ok() ? "" : ws.error().code + " " + ws.error().detail));
    return std::move(*ws);
}

struct Fx {
    std::shared_ptr<crm::FixedClock> clock = std::make_shared<crm::FixedClock>("2023-10-09T02:00:00Z");
    crm::Workspace ws = open_ws(clock);
};

inline std::vector<crm::FieldValue> enterprise(std::string name = "杭州云帆科技有限公司") {
    return {{"kind", "enterprise"}, {"name", name},         {"industry", "I"},
            {"source", "website"},  {"status", "potential"}, {"owner", "张伟"}};
}
inline std::vector<std::vector<crm::FieldValue>> one_contact(std::string mobile = "13812345678") {
    return {{{"name", "李娜"}, {"title", "采购经理"}, {"mobile", mobile}, {"is_key", "1"}}};
}

inline std::string make_customer(crm::Workspace& ws, std::string name = "杭州云帆科技有限公司",
                                 std::string mobile = "13812345678") {
    auto id = crm::create_customer(ws, enterprise(name), one_contact(mobile));
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().code + " " + id.error().field + " " + id.error().detail));
    return *id;
}

inline int64_t count(crm::Workspace& ws, const std::string& sql) {
    auto v = ws.db().query_int(sql);
    REQUIRE(v.ok());
    return v->value_or(-1);
}

inline std::string msg(const crm::Error& e) { return e.code + " " + e.field + " " + e.detail; }

}  // namespace testfx
