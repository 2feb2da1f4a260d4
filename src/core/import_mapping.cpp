// Column and value mapping for imports.
//
// Index of this file
//   [SECTION] targets and header synonyms
//   [SECTION] guessing columns
//   [SECTION] remembering a mapping (JSON)
//   [SECTION] picklist values
//   [SECTION] dates, times and regions
//   [SECTION] tags
#include "core/import_mapping.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/picklists.h"
#include "core/schema.h"
#include "core/text.h"
#include "core/validate.h"

namespace crm {

// ---- [SECTION] targets and header synonyms -----------------------------------------------

namespace {

struct Synonyms {
    const char* target;
    std::initializer_list<const char*> words;  // already in header_key() form
};

// Header words people use in Chinese CRMs, Excel templates and English exports. Keys are
// lower-case without spaces, brackets or '*' (see header_key).
const Synonyms kCustomerSynonyms[] = {
    {"customers.name", {"客户名称", "客户", "客户名", "公司名称", "公司", "公司名", "企业名称", "企业", "单位名称",
                        "单位", "名称", "客户姓名", "company", "companyname", "customer", "customername",
                        "name", "account", "accountname", "organization", "organisation", "org"}},
    {"customers.number", {"客户编号", "编号", "客户号", "客户代码", "customerno", "customernumber", "customerid",
                          "number", "no"}},
    {"customers.kind", {"客户类型", "类型", "客户性质", "客户类别", "type", "customertype", "kind"}},
    {"customers.credit_code", {"统一社会信用代码", "社会信用代码", "信用代码", "税号", "纳税人识别号",
                               "creditcode", "uscc", "taxid", "unifiedsocialcreditcode"}},
    {"customers.industry", {"行业", "所属行业", "行业类别", "行业分类", "industry", "sector"}},
    {"customers.size_band", {"规模", "企业规模", "公司规模", "size", "companysize"}},
    {"customers.region", {"地区", "区域", "所在地区", "所在地", "省市", "省市区", "region", "area", "location"}},
    {"customers.province", {"省份", "省", "所在省份", "province", "state"}},
    {"customers.city", {"城市", "市", "所在城市", "city"}},
    {"customers.district", {"区县", "区", "县区", "district", "county"}},
    {"customers.address", {"地址", "详细地址", "公司地址", "联系地址", "通讯地址", "address", "street"}},
    {"customers.enterprise_type", {"企业类型", "企业性质", "公司性质", "公司类型", "enterprisetype", "ownership"}},
    {"customers.occupation", {"职业", "occupation", "profession"}},
    {"customers.age_band", {"年龄段", "年龄", "agegroup", "ageband", "age"}},
    {"customers.source", {"来源", "客户来源", "渠道", "获客渠道", "线索来源", "source", "leadsource", "channel"}},
    {"customers.first_contact_date", {"首次联系日期", "首次联系时间", "首次接触日期", "首次联系", "firstcontact",
                                      "firstcontactdate"}},
    {"customers.status", {"状态", "客户状态", "客户阶段", "阶段", "status", "stage"}},
    {"customers.intent", {"意向", "意向度", "意向等级", "意向程度", "intent", "intentlevel"}},
    {"customers.expected_close_date", {"预计成交日期", "预计签约日期", "预计成交时间", "expectedclose",
                                       "expectedclosedate", "closedate"}},
    {"customers.needs", {"需求", "客户需求", "需求描述", "needs", "requirements"}},
    {"customers.budget", {"预算", "预计金额", "金额", "预算金额", "budget", "amount"}},
    {"customers.owner", {"负责人", "客户负责人", "销售", "业务员", "销售负责人", "归属人", "客户经理", "owner",
                         "salesrep", "accountowner", "accountmanager"}},
    {"customers.notes", {"备注", "说明", "客户备注", "notes", "note", "remark", "remarks", "comments"}},
    {"customers.created_at", {"创建时间", "创建日期", "录入时间", "录入日期", "createdat", "created", "createdate"}},
    {"contacts.name", {"联系人", "联系人姓名", "联系人名称", "姓名", "contact", "contactname", "contactperson"}},
    {"contacts.title", {"职位", "职务", "联系人职位", "联系人职务", "title", "jobtitle", "position"}},
    {"contacts.mobile", {"手机", "手机号", "手机号码", "移动电话", "联系人手机", "mobile", "mobilephone", "cellphone",
                         "cell"}},
    {"contacts.phone", {"电话", "联系电话", "联系方式", "电话号码", "联系人电话", "phone", "tel", "telephone",
                        "phonenumber"}},
    {"contacts.landline", {"座机", "固定电话", "固话", "办公电话", "座机号码", "landline", "officephone",
                           "workphone"}},
    {"contacts.email", {"邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "联系人邮箱", "email", "e-mail", "mail",
                        "emailaddress"}},
    {"contacts.notes", {"联系人备注", "contactnotes"}},
    {"customers.tags", {"标签", "客户标签", "标签库", "tags", "tag", "labels", "label", "customertags"}},
};

const Synonyms kInteractionSynonyms[] = {
    {"customers.number", {"客户编号", "编号", "客户号", "customerno", "customernumber", "number"}},
    {"customers.name", {"客户名称", "客户", "客户名", "公司名称", "公司", "company", "customer", "customername", "name"}},
    {"interactions.at", {"跟进时间", "时间", "日期", "跟进日期", "沟通时间", "拜访时间", "联系时间", "date", "time",
                         "datetime", "at"}},
    {"interactions.method", {"跟进方式", "方式", "沟通方式", "联系方式", "method", "channel", "type"}},
    {"interactions.topic", {"主题", "跟进主题", "topic", "subject"}},
    {"interactions.summary", {"内容", "跟进内容", "沟通内容", "摘要", "记录", "跟进记录", "详情", "summary",
                              "content", "notes", "details"}},
    {"interactions.feedback", {"客户反馈", "反馈", "feedback", "response"}},
    {"interactions.next_action", {"下一步", "下一步计划", "下次行动", "后续计划", "nextaction", "nextstep"}},
    {"interactions.next_action_owner", {"下一步负责人", "nextactionowner"}},
    {"interactions.next_action_due", {"下一步截止", "下一步截止日期", "下次跟进日期", "截止日期", "nextactiondue",
                                      "duedate", "due"}},
    {"interactions.followed_up_by", {"跟进人", "负责人", "销售", "followedupby", "by", "owner"}},
};

template <size_t N>
std::vector<std::pair<std::string, std::vector<std::string>>> to_list(const Synonyms (&s)[N]) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const Synonyms& x : s) out.push_back({x.target, {x.words.begin(), x.words.end()}});
    return out;
}

const std::vector<std::pair<std::string, std::vector<std::string>>>& synonyms(ImportKind kind) {
    static const auto customers = to_list(kCustomerSynonyms);
    static const auto interactions = to_list(kInteractionSynonyms);
    return kind == ImportKind::Customers ? customers : interactions;
}

bool ends_with(std::string_view s, std::string_view t) {
    return s.size() >= t.size() && s.substr(s.size() - t.size()) == t;
}

// "客户名称 *", "预计金额（元）", " Company Name " -> "客户名称", "预计金额", "companyname".
std::string header_key(std::string_view cell) {
    std::string s = ascii_lower(normalize_input(cell));
    std::string out;
    int depth = 0;
    for (char c : s) {
        if (c == '(' || c == '[') ++depth;
        else if ((c == ')' || c == ']') && depth > 0) --depth;
        else if (depth == 0 && c != ' ' && c != '*' && c != '_' && c != ':' && c != '.') out += c;
    }
    // Full-width brackets survive normalize_input only as 【】, which some templates use.
    for (const char* mark : {"【必填】", "(必填)", "必填"}) {
        size_t p = out.find(mark);
        if (p != std::string::npos) out.erase(p, std::string_view(mark).size());
    }
    return out;
}

}  // namespace

const char* import_kind_name(ImportKind k) { return k == ImportKind::Customers ? "customers" : "interactions"; }

std::vector<std::string> import_targets(ImportKind kind) {
    std::vector<std::string> out;
    for (const auto& [target, words] : synonyms(kind)) out.push_back(target);
    return out;
}

std::string import_target_label(std::string_view target) {
    if (target == "customers.region") return "import.target.region";
    if (target == "contacts.phone") return "import.target.phone";
    if (target == "customers.number") return "field.customers.number";
    if (target == "customers.tags") return "import.target.tags";
    return "field." + std::string(target);
}

// ---- [SECTION] guessing columns ----------------------------------------------------------

std::string guess_target(std::string_view cell, ImportKind kind) {
    const std::string key = header_key(cell);
    if (key.empty()) return {};
    const auto& list = synonyms(kind);
    const std::string plain = ascii_lower(normalize_input(cell));
    for (const auto& [target, words] : list)  // a header that is a target's own name
        if (plain == target) return target;
    for (const auto& [target, words] : list)
        for (const std::string& w : words)
            if (key == w) return target;
    // Longest synonym the header ends with, else the longest it contains (>= 2 characters).
    std::string best;
    size_t best_len = 0;
    for (int pass = 0; pass < 2 && best.empty(); ++pass)
        for (const auto& [target, words] : list)
            for (const std::string& w : words) {
                if (utf8_length(w) < 2 || w.size() <= best_len) continue;
                bool hit = pass == 0 ? ends_with(key, w) : key.find(w) != std::string::npos;
                if (hit) best = target, best_len = w.size();
            }
    return best;
}

ColumnMapping guess_mapping(const std::vector<std::string>& header, ImportKind kind) {
    ColumnMapping m;
    m.kind = kind;
    m.header = header;
    std::set<std::string> taken;
    for (const std::string& cell : header) {
        std::string t = guess_target(cell, kind);
        if (!t.empty() && !taken.insert(t).second) t.clear();
        m.targets.push_back(t);
    }
    return m;
}

// ---- [SECTION] remembering a mapping (JSON) ----------------------------------------------

namespace {
std::vector<std::string> header_keys(const std::vector<std::string>& header) {
    std::vector<std::string> keys;
    for (const std::string& h : header) keys.push_back(header_key(h));
    return keys;
}

// FNV-1a: a short stable name for a header row (not security relevant).
std::string fnv_hex(std::string_view s) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 60; i >= 0; i -= 4) out += hex[(h >> i) & 15];
    return out;
}
}  // namespace

std::string mapping_key(const std::vector<std::string>& header, ImportKind kind) {
    std::string joined;
    for (const std::string& k : header_keys(header)) joined += k + '\x1f';
    return std::string("import.mapping.") + import_kind_name(kind) + "." + fnv_hex(joined);
}

std::string mapping_to_json(const ColumnMapping& m) {
    nlohmann::json j;
    j["version"] = 1;
    j["kind"] = import_kind_name(m.kind);
    j["header"] = header_keys(m.header);
    j["targets"] = m.targets;
    j["values"] = nlohmann::json::object();
    for (const auto& [target, map] : m.values)
        for (const auto& [value, code] : map) j["values"][target][value] = code;
    // replace: header cells with broken UTF-8 must not abort (no exceptions in wasm).
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ColumnMapping> mapping_from_json(std::string_view text, const std::vector<std::string>& header) {
    auto bad = [&](const char* why) { return make_error("err.import.bad_mapping", {}, why); };
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not JSON");
    if (!j.contains("version") || j["version"] != 1) return bad("version");
    if (!j.contains("kind") || !j["kind"].is_string()) return bad("kind");
    ColumnMapping m;
    const std::string kind = j["kind"].get<std::string>();
    if (kind == "customers") m.kind = ImportKind::Customers;
    else if (kind == "interactions") m.kind = ImportKind::Interactions;
    else return bad("kind");
    if (!j.contains("header") || !j["header"].is_array()) return bad("header");
    if (!j.contains("targets") || !j["targets"].is_array()) return bad("targets");
    std::vector<std::string> keys = header_keys(header);
    if (j["header"].size() != keys.size() || j["targets"].size() != keys.size()) return bad("other header");
    const std::vector<std::string> allowed = import_targets(m.kind);
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!j["header"][i].is_string() || j["header"][i].get<std::string>() != keys[i]) return bad("other header");
        if (!j["targets"][i].is_string()) return bad("target");
        std::string t = j["targets"][i].get<std::string>();
        if (!t.empty() && std::find(allowed.begin(), allowed.end(), t) == allowed.end()) return bad("unknown target");
        m.targets.push_back(t);
    }
    m.header = header;
    if (j.contains("values")) {
        if (!j["values"].is_object()) return bad("values");
        for (auto t = j["values"].begin(); t != j["values"].end(); ++t) {
            if (!t.value().is_object()) return bad("values");
            for (auto v = t.value().begin(); v != t.value().end(); ++v) {
                if (!v.value().is_string()) return bad("values");
                m.values[t.key()][v.key()] = v.value().get<std::string>();
            }
        }
    }
    return m;
}

// ---- [SECTION] picklist values -----------------------------------------------------------

namespace {
std::string value_key(std::string_view v) {
    std::string s = ascii_lower(normalize_input(v)), out;
    for (char c : s)
        if (c != ' ' && c != '-' && c != '_') out += c;
    return out;
}

// Words spreadsheets use that are not a label of ours: list -> word -> code.
struct Common {
    const char* list;
    const char* word;
    const char* code;
};
const Common kCommonWords[] = {
    {"customer_kind", "公司", "enterprise"}, {"customer_kind", "单位", "enterprise"},
    {"customer_kind", "企业客户", "enterprise"}, {"customer_kind", "机构", "enterprise"},
    {"customer_kind", "company", "enterprise"}, {"customer_kind", "自然人", "personal"},
    {"customer_kind", "个人客户", "personal"}, {"customer_kind", "person", "personal"},
    {"customer_kind", "individual", "personal"},
    {"status", "已成交", "won"}, {"status", "签约", "won"}, {"status", "已签约", "won"}, {"status", "丢单", "lost"},
    {"status", "已流失", "lost"}, {"status", "潜在客户", "potential"}, {"status", "意向客户", "intent"},
    {"status", "成交客户", "won"}, {"status", "lead", "potential"},
    {"source", "介绍", "referral"}, {"source", "客户介绍", "referral"}, {"source", "朋友介绍", "referral"},
    {"source", "网站", "website"}, {"source", "官方网站", "website"}, {"source", "电话", "phone_inquiry"},
    {"source", "来电", "phone_inquiry"}, {"source", "推广", "online_promotion"}, {"source", "广告", "online_promotion"},
    {"source", "微信", "social_media"}, {"source", "抖音", "social_media"}, {"source", "陌拜", "cold_call"},
    {"source", "扫街", "cold_call"}, {"source", "渠道", "partner"}, {"source", "代理商", "partner"},
    {"source", "展览", "trade_show"}, {"source", "展会获客", "trade_show"},
    {"intent", "高意向", "high"}, {"intent", "中意向", "medium"}, {"intent", "低意向", "low"},
    {"size_band", "小", "small"}, {"size_band", "微型", "small"}, {"size_band", "小微", "small"},
    {"size_band", "中", "medium"}, {"size_band", "大", "large"},
    {"enterprise_type", "国企", "state_owned"}, {"enterprise_type", "央企", "state_owned"},
    {"enterprise_type", "民企", "private"}, {"enterprise_type", "私企", "private"}, {"enterprise_type", "外企", "foreign"},
    {"method", "上门", "visit"}, {"method", "面谈", "visit"}, {"method", "来访", "visit"}, {"method", "微信", "online"},
    {"method", "视频", "online"}, {"method", "电邮", "email"}, {"method", "会面", "meeting"},
    {"industry", "it", "I"}, {"industry", "互联网", "I64"}, {"industry", "软件", "I65"}, {"industry", "房地产", "K"},
    {"industry", "金融", "J"}, {"industry", "教育培训", "P"}, {"industry", "医疗", "Q"}, {"industry", "物流", "G"},
};
}  // namespace

ValueGuesser::ValueGuesser(const std::vector<const Translations*>& languages) {
    for (const std::string& list : picklist_names()) {
        if (list == "region") continue;  // regions are text fields, split by split_region
        auto& out = labels_[list];
        for (const PickOption& o : picklist(list)) {
            out.push_back({value_key(o.code), o.code, o.parent.empty()});
            for (const Translations* t : languages)
                if (t && t->has(o.label_key)) out.push_back({value_key(t->tr(o.label_key)), o.code, o.parent.empty()});
        }
    }
}

std::string ValueGuesser::guess(std::string_view list, std::string_view value) const {
    auto it = labels_.find(list);
    if (it == labels_.end()) return {};
    const std::vector<Label>& labels = it->second;
    const std::string key = value_key(value);
    if (key.empty()) return {};
    auto exact = [&](const std::string& k) -> std::string {
        const Label* hit = nullptr;
        for (const Label& l : labels)
            if (l.key == k && (!hit || (l.top && !hit->top))) hit = &l;
        return hit ? hit->code : std::string();
    };
    if (std::string c = exact(key); !c.empty()) return c;
    if (std::string c = exact(key + "业"); !c.empty()) return c;  // 制造 -> 制造业
    for (const Common& w : kCommonWords)
        if (list == w.list && key == w.word) return w.code;
    for (const char* suffix : {"客户", "类"})  // 个人客户 -> 个人, 制造类 -> 制造(业)
        if (ends_with(key, suffix) && key.size() > std::string_view(suffix).size()) {
            std::string base = key.substr(0, key.size() - std::string_view(suffix).size());
            if (std::string c = exact(base); !c.empty()) return c;
            if (std::string c = exact(base + "业"); !c.empty()) return c;
        }
    if (utf8_length(key) < 2) return {};
    // A label the value begins: unique among top-level codes, else unique overall.
    std::set<std::string> top, all;
    for (const Label& l : labels)
        if (l.key.compare(0, key.size(), key) == 0) (l.top ? top : all).insert(l.code);
    if (top.size() == 1) return *top.begin();
    if (top.empty() && all.size() == 1) return *all.begin();
    return {};
}

size_t ColumnValues::unmapped() const {
    size_t n = 0;
    for (const ValueChoice& v : values) n += v.code.empty();
    return n;
}

std::vector<ColumnValues> map_values(const csv::Table& table, ColumnMapping& mapping, const ValueGuesser& guesser) {
    std::vector<ColumnValues> out;
    for (size_t col = 0; col < mapping.targets.size(); ++col) {
        const std::string& target = mapping.targets[col];
        size_t dot = target.find('.');
        if (dot == std::string::npos) continue;
        const TableMeta* t = table_meta(target.substr(0, dot));
        const FieldMeta* f = t ? t->field(target.substr(dot + 1)) : nullptr;
        if (!f || f->picklist.empty()) continue;
        ColumnValues cv{col, target, f->picklist, {}};
        std::map<std::string, size_t> index;
        auto& chosen = mapping.values[target];
        for (size_t r = 1; r < table.rows.size(); ++r) {
            const auto& cells = table.rows[r].cells;
            if (col >= cells.size()) continue;
            std::string v = normalize_input(cells[col]);
            if (v.empty()) continue;
            auto [pos, added] = index.emplace(v, cv.values.size());
            if (added) {
                std::string code;
                if (auto c = chosen.find(v); c != chosen.end()) code = c->second;
                else if (in_picklist(f->picklist, v)) code = v;
                else if (code = guesser.guess(f->picklist, v); !code.empty()) chosen[v] = code;
                cv.values.push_back({v, 0, table.rows[r].line, code});
            }
            cv.values[pos->second].count++;
        }
        out.push_back(std::move(cv));
    }
    return out;
}

// ---- [SECTION] dates, times and regions --------------------------------------------------

namespace {
// Reads up to `max` digits at s[i]; -1 when there are none.
int read_int(std::string_view s, size_t& i, size_t max) {
    int v = 0;
    size_t start = i;
    while (i < s.size() && i - start < max && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    return i == start ? -1 : v;
}

bool skip(std::string_view s, size_t& i, std::initializer_list<std::string_view> marks) {
    for (std::string_view m : marks)
        if (s.substr(i, m.size()) == m) {
            i += m.size();
            return true;
        }
    return false;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Parses a date at the start of s; i is left after it. "" when there is none.
std::string date_prefix(std::string_view s, size_t& i) {
    i = 0;
    int y = 0, m = 0, d = 0;
    if (s.size() >= 8 && s.find_first_not_of("0123456789") >= 8 &&
        (s.size() == 8 || s[8] == ' ')) {  // 20240305
        y = read_int(s, i, 4), m = read_int(s, i, 2), d = read_int(s, i, 2);
    } else {
        y = read_int(s, i, 4);
        if (y < 1000 || !skip(s, i, {"-", "/", ".", "年"})) return {};
        m = read_int(s, i, 2);
        if (m < 0 || !skip(s, i, {"-", "/", ".", "月"})) return {};
        d = read_int(s, i, 2);
        skip(s, i, {"日", "号"});
    }
    // An impossible day (2024/2/30) still becomes 2024-02-30, so validation can say so.
    if (m < 1 || m > 12 || d < 1 || d > 31) return {};
    return std::to_string(y) + "-" + two(m) + "-" + two(d);
}
}  // namespace

std::string import_date(std::string_view value) {
    std::string s = normalize_input(value);
    size_t i = 0;
    std::string date = date_prefix(s, i);
    if (date.empty()) return s;
    std::string_view rest = std::string_view(s).substr(i);
    if (rest.empty() || rest == " 0:00" || rest == " 00:00" || rest == " 0:00:00" || rest == " 00:00:00") return date;
    return s;
}

std::string import_datetime(std::string_view value, int utc_offset_minutes) {
    std::string s = normalize_input(value);
    if (is_valid_datetime(s)) return s;  // already the stored form (UTC)
    size_t i = 0;
    std::string date = date_prefix(s, i);
    if (date.empty()) return s;
    int h = 0, mi = 0, se = 0;
    if (i < s.size()) {
        if (!skip(s, i, {" ", "T"})) return s;
        h = read_int(s, i, 2);
        if (h < 0 || h > 23 || !skip(s, i, {":"})) return s;
        mi = read_int(s, i, 2);
        if (mi < 0 || mi > 59) return s;
        if (skip(s, i, {":"})) {
            se = read_int(s, i, 2);
            if (se < 0 || se > 59) return s;
        }
        if (i != s.size()) return s;
    }
    auto day = parse_date(date);
    if (!day) return s;
    int64_t ms = *day * 86400000LL + ((h * 60LL + mi) * 60 + se) * 1000 - utc_offset_minutes * 60000LL;
    return format_iso(ms);
}

RegionParts split_region(std::string_view text) {
    std::string s;
    for (char c : normalize_input(text))
        if (c != ' ' && c != '/' && c != '-' && c != ',') s += c;
    RegionParts out;
    std::string province_code, city_code;
    size_t pos = 0;
    while (pos < s.size()) {
        std::string_view rest = std::string_view(s).substr(pos);
        std::string hit;
        for (const std::string& name : region_name_prefixes())  // longest first
            if (rest.substr(0, name.size()) == name) {
                hit = name;
                break;
            }
        if (hit.empty()) break;
        pos += hit.size();
        std::string code = region_code_by_name(hit);
        // A district name exists under several cities (朝阳区): take the one under our city.
        if (code.substr(4) != "00" && !city_code.empty()) {
            for (const PickOption& o : picklist("region"))
                if (o.parent == city_code && region_name_zh(o.code) == region_name_zh(code)) code = o.code;
        }
        if (code.substr(2) == "0000") {
            if (!out.province.empty() && province_code == code) {
                out.city = region_name_zh(code);  // 北京市北京市: the city of a municipality
                city_code = code.substr(0, 2) + "0100";
                continue;
            }
            province_code = code;
            out.province = region_name_zh(code);
        } else if (code.substr(4) == "00") {
            city_code = code;
            out.city = region_name_zh(code);
        } else {
            out.district = region_name_zh(code);
            city_code = code.substr(0, 4) + "00";
        }
    }
    // Fill what the text implied: the province of a city, the city of a municipality.
    if (!city_code.empty() && out.city.empty()) out.city = region_name_zh(city_code);
    if (!city_code.empty() && out.province.empty()) out.province = region_name_zh(city_code.substr(0, 2) + "0000");
    static const std::set<std::string> kMunicipalities = {"110000", "120000", "310000", "500000"};
    if (out.city.empty() && kMunicipalities.count(province_code)) out.city = out.province;
    return out;
}

// ---- [SECTION] tags ----------------------------------------------------------------------

std::vector<std::string> import_tag_names(std::string_view cell) {
    // normalize_input made full-width ， ； ／ and the ideographic space half-width; 、 stays.
    std::string text = normalize_input(cell);
    for (const char* sep : {"、", "，", "；", "／"})
        for (size_t at; (at = text.find(sep)) != std::string::npos;) text.replace(at, std::string_view(sep).size(), ",");
    std::vector<std::string> out;
    std::string name;
    auto flush = [&]() {
        name = normalize_input(name);  // trims, collapses inner spaces
        if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
        name.clear();
    };
    for (char c : text) {
        if (c == ',' || c == ';' || c == '/') flush();
        else name += c;
    }
    flush();
    return out;
}

}  // namespace crm
