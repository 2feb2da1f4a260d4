// Tag library and customer tags on top of the write path.
#include "core/tags.h"

namespace crm {

namespace {
struct Preset {
    const char* type;
    const char* code;
    const char* zh;
    const char* en;
    const char* group;
};

// A small starting library; teams propose more.
constexpr Preset kPresets[] = {
    {"industry", "manufacturing", "制造业", "Manufacturing", ""},
    {"industry", "it", "信息技术", "Information technology", ""},
    {"industry", "retail", "零售", "Retail", ""},
    {"need", "price_sensitive", "价格敏感", "Price sensitive", ""},
    {"need", "quality_first", "质量优先", "Quality first", ""},
    {"need", "fast_delivery", "交期紧", "Fast delivery", ""},
    {"value", "high", "高价值", "High value", "value"},
    {"value", "medium", "中价值", "Medium value", "value"},
    {"value", "low", "低价值", "Low value", "value"},
    {"risk", "high", "高风险", "High risk", "risk"},
    {"risk", "medium", "中风险", "Medium risk", "risk"},
    {"risk", "low", "低风险", "Low risk", "risk"},
    {"channel", "direct", "直销", "Direct", ""},
    {"channel", "partner", "渠道", "Partner", ""},
    {"channel", "online", "线上", "Online", ""},
};

Tag tag_from_row(const Row& r) {
    return {value(r, "id"), value(r, "type"), value(r, "name_zh"), value(r, "name_en"),
            value(r, "conflict_group"), value(r, "state"), value(r, "proposed_by")};
}

Result<Tag> live_tag(Workspace& ws, const std::string& id) {
    auto row = ws.read_row("tags", id);
    if (!row) return row.error();
    if (!*row || value(**row, "deleted") == "1") return make_error("err.record.not_found", "field.customer_tags.tag_id", id);
    return tag_from_row(**row);
}

Status decide(Workspace& ws, const std::string& id, const char* state) {
    auto tag = live_tag(ws, id);
    if (!tag) return tag.error();
    if (tag->state != "proposed") return make_error("err.tag.not_proposed", "field.tags.state");
    auto r = ws.apply({Edit::Update, "tags", id, {{"state", state}}});
    return r ? Status{} : Status{r.error()};
}
}  // namespace

Status seed_tag_library(Workspace& ws) {
    return ws.transaction([&]() -> Status {
        for (const Preset& p : kPresets) {
            std::string id = std::string("preset.") + p.type + "." + p.code;
            auto row = ws.read_row("tags", id);
            if (!row) return row.error();
            if (*row) continue;
            auto r = ws.apply({Edit::Create, "tags", id,
                               {{"type", p.type}, {"name_zh", p.zh}, {"name_en", p.en},
                                {"conflict_group", p.group}, {"state", "approved"}}});
            if (!r) return r.error();
        }
        return {};
    });
}

Result<std::vector<Tag>> list_tags(Workspace& ws, const std::string& state) {
    auto rows = query_rows(ws.db(),
                           "SELECT * FROM tags WHERE deleted = 0 AND (?1 = '' OR state = ?1) "
                           "ORDER BY type, id",
                           {state});
    if (!rows) return rows.error();
    std::vector<Tag> out;
    for (const Row& r : *rows) out.push_back(tag_from_row(r));
    return out;
}

Result<std::string> propose_tag(Workspace& ws, const std::string& type, const std::string& name_zh,
                                const std::string& name_en, const std::string& conflict_group) {
    return ws.apply({Edit::Create, "tags", "",
                     {{"type", type}, {"name_zh", name_zh}, {"name_en", name_en},
                      {"conflict_group", conflict_group}, {"state", "proposed"},
                      {"proposed_by", ws.device().user}}});
}

Status approve_tag(Workspace& ws, const std::string& id) { return decide(ws, id, "approved"); }
Status reject_tag(Workspace& ws, const std::string& id) { return decide(ws, id, "rejected"); }

Result<std::string> add_tag_to_customer(Workspace& ws, const std::string& customer_id,
                                        const std::string& tag_id, const std::string& description,
                                        const std::string& origin) {
    auto tag = live_tag(ws, tag_id);
    if (!tag) return tag.error();
    if (tag->state != "approved")
        return make_error("err.tag.not_approved", "field.customer_tags.tag_id").with("tag", tag->name_zh);
    auto held = customer_tags(ws, customer_id);
    if (!held) return held.error();
    for (const CustomerTag& ct : *held) {
        if (ct.tag_id == tag_id)
            return make_error("err.tag.duplicate", "field.customer_tags.tag_id").with("tag", tag->name_zh);
        if (!tag->conflict_group.empty() && ct.tag.conflict_group == tag->conflict_group) {
            Error e = make_error("err.tag.conflict", "field.customer_tags.tag_id");
            e.with("tag", ct.tag.name_zh).with("tag_en", ct.tag.name_en);
            return e;
        }
    }
    return ws.apply({Edit::Create, "customer_tags", "",
                     {{"customer_id", customer_id}, {"tag_id", tag_id}, {"description", description},
                      {"added_by", ws.device().user}, {"added_at", ws.now_iso()}},
                     origin});
}

Status remove_tag_from_customer(Workspace& ws, const std::string& customer_tag_id) {
    auto r = ws.apply({Edit::Delete, "customer_tags", customer_tag_id, {}});
    return r ? Status{} : Status{r.error()};
}

Result<std::vector<CustomerTag>> customer_tags(Workspace& ws, const std::string& customer_id) {
    auto rows = query_rows(ws.db(),
        "SELECT ct.id, ct.customer_id, ct.tag_id, ct.description, ct.added_by, ct.added_at, "
        "t.type, t.name_zh, t.name_en, t.conflict_group, t.state, t.proposed_by "
        "FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id "
        "WHERE ct.customer_id = ? AND ct.deleted = 0 ORDER BY ct.added_at, ct.rowid",
        {customer_id});
    if (!rows) return rows.error();
    std::vector<CustomerTag> out;
    for (const Row& r : *rows) {
        CustomerTag ct{value(r, "id"), value(r, "customer_id"), value(r, "tag_id"),
                       value(r, "description"), value(r, "added_by"), value(r, "added_at"), {}};
        ct.tag = {ct.tag_id, value(r, "type"), value(r, "name_zh"), value(r, "name_en"),
                  value(r, "conflict_group"), value(r, "state"), value(r, "proposed_by")};
        out.push_back(std::move(ct));
    }
    return out;
}

}  // namespace crm
