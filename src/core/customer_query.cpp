// Customer filters to SQL (column names only from the schema's field table, every value
// bound as a parameter), and saved views.
#include "core/customer_query.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "core/schema.h"
#include "core/search.h"

namespace crm {

namespace {

struct Param {
    bool number = false;
    std::string text;
    double num = 0;
};

// What a filter field is in SQL: an expression and whether it compares as a number.
struct Column {
    std::string sql;
    bool numeric = false;
    bool facts = false;  // reads customer_facts (joined only when needed)
};

Result<Column> column_of(const std::string& field) {
    if (field == "completeness") return Column{"coalesce(f.completeness, 0)", true, true};
    const TableMeta* t = table_meta("customers");
    const FieldMeta* f = t ? t->field(field) : nullptr;
    if (!f) return make_error("err.filter.unknown_field", {}, field).with("name", field);
    const bool numeric = f->kind == FieldKind::Money || f->kind == FieldKind::Integer;
    return Column{"c." + f->name, numeric};
}

Error filter_error(const char* code, const FilterCondition& c) {
    return make_error(code, "field.customers." + c.field, c.field);
}

Result<Param> param_of(const FilterCondition& c, const std::string& v, bool numeric) {
    if (!numeric) return Param{false, v, 0};
    if (auto yuan = parse_money(v)) return Param{true, v, static_cast<double>(*yuan)};  // "10万"
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0') return filter_error("err.filter.bad_number", c);
    return Param{true, v, d};
}

std::string placeholders(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; i++) s += i ? ", ?" : "?";
    return s;
}

// One condition as a SQL predicate, appending its parameters.
Result<std::string> predicate(const FilterCondition& c, const std::string& today,
                              std::vector<Param>& params, bool& uses_facts) {
    if (c.field == "tag") {
        if (c.op != FilterOp::In && c.op != FilterOp::Eq) return filter_error("err.filter.bad_operator", c);
        if (c.values.empty()) return filter_error("err.filter.no_value", c);
        for (const std::string& v : c.values) params.push_back({false, v, 0});
        return "EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.deleted = 0 "
               "AND t.tag_id IN (" + placeholders(c.values.size()) + "))";
    }
    if (c.field == "completeness_state") {
        uses_facts = true;
        if (c.op != FilterOp::In && c.op != FilterOp::Eq) return filter_error("err.filter.bad_operator", c);
        if (c.values.empty()) return filter_error("err.filter.no_value", c);
        std::string any;
        for (const std::string& v : c.values) {
            std::string one;
            if (v == "complete") one = "coalesce(f.completeness, 0) = 100";
            else if (v == "to_be_completed") one = "coalesce(f.completeness, 0) < 100";
            else if (v == "pending") {
                one = "(coalesce(f.completeness, 0) < 100 AND f.pending_from <= ?)";
                params.push_back({false, today, 0});
            } else return filter_error("err.filter.bad_value", c);
            any += (any.empty() ? "" : " OR ") + one;
        }
        return "(" + any + ")";
    }
    auto col = column_of(c.field);
    if (!col) return col.error();
    uses_facts = uses_facts || col->facts;
    const std::string& x = col->sql;
    auto one_value = [&]() -> Status {
        if (c.values.size() != 1) return filter_error("err.filter.no_value", c);
        auto p = param_of(c, c.values[0], col->numeric);
        if (!p) return p.error();
        params.push_back(*p);
        return {};
    };
    const char* cmp = nullptr;
    switch (c.op) {
        case FilterOp::Eq: cmp = "="; break;
        case FilterOp::Ne: cmp = "<>"; break;
        case FilterOp::Gt: cmp = ">"; break;
        case FilterOp::Ge: cmp = ">="; break;
        case FilterOp::Lt: cmp = "<"; break;
        case FilterOp::Le: cmp = "<="; break;
        case FilterOp::In: {
            if (c.values.empty()) return filter_error("err.filter.no_value", c);
            for (const std::string& v : c.values) {
                auto p = param_of(c, v, col->numeric);
                if (!p) return p.error();
                params.push_back(*p);
            }
            return x + " IN (" + placeholders(c.values.size()) + ")";
        }
        case FilterOp::Contains:
            if (auto s = one_value(); !s) return s.error();
            params.back().number = false;
            return "instr(" + x + ", ?) > 0";
        case FilterOp::Empty: return "coalesce(" + x + ", '') = ''";
        case FilterOp::NotEmpty: return "coalesce(" + x + ", '') <> ''";
    }
    if (auto s = one_value(); !s) return s.error();
    // <> keeps empty values: "status is not won" includes customers without a status.
    if (c.op == FilterOp::Ne) return "coalesce(" + x + ", '') <> ?";
    return x + " " + cmp + " ?";
}

const char* op_name(FilterOp op) {
    switch (op) {
        case FilterOp::Eq: return "eq";
        case FilterOp::Ne: return "ne";
        case FilterOp::In: return "in";
        case FilterOp::Gt: return "gt";
        case FilterOp::Ge: return "ge";
        case FilterOp::Lt: return "lt";
        case FilterOp::Le: return "le";
        case FilterOp::Contains: return "contains";
        case FilterOp::Empty: return "empty";
        case FilterOp::NotEmpty: return "not_empty";
    }
    return "eq";
}

}  // namespace

Result<CustomerQueryRun> CustomerQueryRun::start(Workspace& ws, const CustomerFilter& filter, bool ordered) {
    std::vector<Param> params;
    const std::string match = search_match_expression(filter.text);
    // Without a search or conditions the sort column's index gives the rows in order, a
    // slice at a time. With them, "+" keeps SQLite off the indexes of deleted and of the
    // sort column (the partial index of live rows looks selective to it but holds every
    // live row): it filters through the best condition index or one scan, and the matches
    // are sorted here once all are read. A search drives the loop (CROSS JOIN keeps the
    // search table outside), so its matches stream instead of being collected first.
    const bool filtered = !match.empty() || !filter.conditions.empty();
    const char* plus = filtered ? "+" : "";
    std::string where = std::string(plus) + "c.deleted = 0";
    if (!match.empty()) {
        where = "search MATCH ? AND " + where;
        params.push_back({false, match, 0});
    }
    const std::string today = ws.today();
    bool facts = false;
    for (const FilterCondition& c : filter.conditions) {
        auto p = predicate(c, today, params, facts);
        if (!p) return p.error();
        where += " AND " + *p;
    }
    auto sort = column_of(filter.sort);
    if (!sort) return sort.error();
    const char* dir = filter.descending ? " DESC" : " ASC";
    // The facts join only when a condition or the sort needs it: 100k lookups otherwise.
    facts = facts || sort->facts;
    const std::string from = match.empty() ? std::string(" FROM customers c")
                                           : std::string(" FROM search CROSS JOIN customers c ON c.rowid = search.rowid");
    std::string sql = "SELECT c.rowid, " + sort->sql + ", typeof(" + sort->sql + ")" + from +
                      (facts ? " LEFT JOIN customer_facts f ON f.customer_rowid = c.rowid" : "") + " WHERE " + where;
    if (!filtered) sql += std::string(" ORDER BY ") + sort->sql + dir + " NULLS LAST, c.rowid" + dir;
    auto st = ws.db().prepare(sql);
    if (!st) return st.error();
    for (size_t i = 0; i < params.size(); i++) {
        const int index = static_cast<int>(i) + 1;
        if (params[i].number) st->bind_double(index, params[i].num);
        else st->bind_text(index, params[i].text);
    }
    CustomerQueryRun run;
    run.stmt_ = std::make_unique<store::Stmt>(std::move(*st));
    run.sorted_by_sql_ = !filtered;
    run.ordered_ = ordered;
    run.descending_ = filter.descending;
    return run;
}

Result<bool> CustomerQueryRun::step(size_t rows) {
    for (size_t i = 0; i < rows && !done_; i++) {
        auto r = stmt_->step();
        if (!r) return r.error();
        if (!*r) {
            finish();
            break;
        }
        if (sorted_by_sql_ || !ordered_) {
            rowids_.push_back(stmt_->int64(0));
            continue;
        }
        Match m;
        m.rowid = stmt_->int64(0);
        const std::string type = stmt_->text(2);
        if (type == "null") m.kind = 2;
        else if (type == "integer" || type == "real") m.number = stmt_->real(1);
        else {
            m.kind = 1;
            m.text = stmt_->text(1);
        }
        matches_.push_back(std::move(m));
    }
    return done_;
}

// SQLite's order: NULLs last in both directions (NULLS LAST), numbers before text, text by
// bytes (BINARY); ties by rowid in the same direction.
void CustomerQueryRun::finish() {
    done_ = true;
    stmt_.reset();
    if (sorted_by_sql_ || !ordered_) return;
    const bool desc = descending_;
    std::sort(matches_.begin(), matches_.end(), [desc](const Match& a, const Match& b) {
        if ((a.kind == 2) != (b.kind == 2)) return b.kind == 2;
        int c = 0;
        if (a.kind != b.kind) c = a.kind < b.kind ? -1 : 1;
        else if (a.kind == 0) c = a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
        else if (a.kind == 1) c = a.text.compare(b.text);
        if (c == 0) c = a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0;
        return desc ? c > 0 : c < 0;
    });
    rowids_.reserve(matches_.size());
    for (const Match& m : matches_) rowids_.push_back(m.rowid);
    matches_ = {};
}

Result<std::vector<int64_t>> query_customers(Workspace& ws, const CustomerFilter& filter) {
    auto run = CustomerQueryRun::start(ws, filter);
    if (!run) return run.error();
    auto done = run->step(SIZE_MAX);
    if (!done) return done.error();
    return std::move(run->rowids());
}

Result<Customer> customer_by_rowid(Workspace& ws, int64_t rowid) {
    auto rows = query_rows(ws.db(), "SELECT * FROM customers WHERE rowid = ?", {std::to_string(rowid)});
    if (!rows) return rows.error();
    if (rows->empty()) return make_error("err.record.not_found", {}, std::to_string(rowid));
    return customer_from_row(rows->front());
}

Result<int64_t> count_customers(Workspace& ws) {
    auto n = ws.db().query_int("SELECT count(*) FROM customers WHERE deleted = 0");
    if (!n) return n.error();
    return n->value_or(0);
}

Result<std::vector<std::string>> customer_field_values(Workspace& ws, const std::string& field) {
    if (!table_meta("customers")->field(field))  // a known column: safe to name in SQL
        return make_error("err.filter.unknown_field", {}, field).with("name", field);
    auto rows = query_rows(ws.db(), "SELECT DISTINCT " + field + " AS v FROM customers WHERE deleted = 0 AND " +
                                        field + " IS NOT NULL AND " + field + " <> '' ORDER BY 1");
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const Row& r : *rows) out.push_back(value(r, "v"));
    return out;
}

// ---- saved views -------------------------------------------------------------------------

std::string filter_to_json(const CustomerFilter& f) {
    nlohmann::json all = nlohmann::json::array();
    for (const FilterCondition& c : f.conditions)
        all.push_back({{"field", c.field}, {"op", op_name(c.op)}, {"values", c.values}});
    nlohmann::json j = {{"version", 1}, {"text", f.text}, {"conditions", all},
                        {"sort", f.sort}, {"descending", f.descending}};
    return j.dump();
}

// Reads without throwing accessors: wasm builds have C++ exceptions disabled, so every
// type is checked before it is read.
Result<CustomerFilter> filter_from_json(std::string_view text) {
    auto bad = [&] { return make_error("err.filter.bad_view", {}, std::string(text.substr(0, 200))); };
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad();
    auto string_at = [](const nlohmann::json& o, const char* key, std::string& out) {
        auto it = o.find(key);
        if (it == o.end()) return true;  // optional
        if (!it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    CustomerFilter f;
    if (!string_at(j, "text", f.text) || !string_at(j, "sort", f.sort)) return bad();
    if (auto it = j.find("descending"); it != j.end()) {
        if (!it->is_boolean()) return bad();
        f.descending = it->get<bool>();
    }
    auto list = j.find("conditions");
    if (list == j.end()) return f;
    if (!list->is_array()) return bad();
    for (const auto& c : *list) {
        if (!c.is_object()) return bad();
        FilterCondition fc;
        std::string op;
        if (!string_at(c, "field", fc.field) || !string_at(c, "op", op) || fc.field.empty()) return bad();
        bool known = false;
        for (FilterOp o : {FilterOp::Eq, FilterOp::Ne, FilterOp::In, FilterOp::Gt, FilterOp::Ge,
                           FilterOp::Lt, FilterOp::Le, FilterOp::Contains, FilterOp::Empty,
                           FilterOp::NotEmpty})
            if (op == op_name(o)) fc.op = o, known = true;
        if (!known) return bad();
        if (auto vs = c.find("values"); vs != c.end()) {
            if (!vs->is_array()) return bad();
            for (const auto& v : *vs) {
                if (!v.is_string()) return bad();
                fc.values.push_back(v.get<std::string>());
            }
        }
        f.conditions.push_back(std::move(fc));
    }
    return f;
}

Result<std::string> save_view(Workspace& ws, const std::string& id, const std::string& name,
                              const CustomerFilter& filter) {
    Edit e{id.empty() ? Edit::Create : Edit::Update, "saved_views", id,
           {{"name", name}, {"filter_json", filter_to_json(filter)}}};
    return ws.apply(e);
}

Status delete_view(Workspace& ws, const std::string& id) {
    auto r = ws.apply({Edit::Delete, "saved_views", id, {}});
    if (!r) return r.error();
    return {};
}

Result<std::vector<SavedView>> list_views(Workspace& ws) {
    auto rows = query_rows(ws.db(),
        "SELECT id, name, filter_json FROM saved_views WHERE deleted = 0 ORDER BY name, id");
    if (!rows) return rows.error();
    std::vector<SavedView> out;
    for (const Row& r : *rows) {
        auto f = filter_from_json(value(r, "filter_json"));
        if (!f) return f.error();
        out.push_back({value(r, "id"), value(r, "name"), std::move(*f)});
    }
    return out;
}

}  // namespace crm
