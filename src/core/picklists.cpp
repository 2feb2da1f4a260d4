// The domain's fixed choice lists.
//
// Index of this file
//   [SECTION] data: industries (GB/T 4754-2017), regions (GB/T 2260), small lists
//   [SECTION] building the lists (once, on first use)
//   [SECTION] public API
#include "core/picklists.h"

#include <algorithm>
#include <initializer_list>
#include <map>

namespace crm {

// ---- [SECTION] data ----------------------------------------------------------------------

namespace {
struct Row { const char* code; const char* parent; };
struct Region { const char* code; const char* name_zh; const char* parent; };
struct Simple { const char* name; std::initializer_list<const char*> codes; };

// GB/T 4754-2017 sections and divisions: code, parent section ("" for a section).
const Row kIndustry[] = {
    {"A", ""},
    {"A01", "A"}, {"A02", "A"}, {"A03", "A"}, {"A04", "A"}, {"A05", "A"},
    {"B", ""},
    {"B06", "B"}, {"B07", "B"}, {"B08", "B"}, {"B09", "B"}, {"B10", "B"}, {"B11", "B"},
    {"B12", "B"},
    {"C", ""},
    {"C13", "C"}, {"C14", "C"}, {"C15", "C"}, {"C16", "C"}, {"C17", "C"}, {"C18", "C"},
    {"C19", "C"}, {"C20", "C"}, {"C21", "C"}, {"C22", "C"}, {"C23", "C"}, {"C24", "C"},
    {"C25", "C"}, {"C26", "C"}, {"C27", "C"}, {"C28", "C"}, {"C29", "C"}, {"C30", "C"},
    {"C31", "C"}, {"C32", "C"}, {"C33", "C"}, {"C34", "C"}, {"C35", "C"}, {"C36", "C"},
    {"C37", "C"}, {"C38", "C"}, {"C39", "C"}, {"C40", "C"}, {"C41", "C"}, {"C42", "C"},
    {"C43", "C"},
    {"D", ""},
    {"D44", "D"}, {"D45", "D"}, {"D46", "D"},
    {"E", ""},
    {"E47", "E"}, {"E48", "E"}, {"E49", "E"}, {"E50", "E"},
    {"F", ""},
    {"F51", "F"}, {"F52", "F"},
    {"G", ""},
    {"G53", "G"}, {"G54", "G"}, {"G55", "G"}, {"G56", "G"}, {"G57", "G"}, {"G58", "G"},
    {"G59", "G"}, {"G60", "G"},
    {"H", ""},
    {"H61", "H"}, {"H62", "H"},
    {"I", ""},
    {"I63", "I"}, {"I64", "I"}, {"I65", "I"},
    {"J", ""},
    {"J66", "J"}, {"J67", "J"}, {"J68", "J"}, {"J69", "J"},
    {"K", ""},
    {"K70", "K"},
    {"L", ""},
    {"L71", "L"}, {"L72", "L"},
    {"M", ""},
    {"M73", "M"}, {"M74", "M"}, {"M75", "M"},
    {"N", ""},
    {"N76", "N"}, {"N77", "N"}, {"N78", "N"}, {"N79", "N"},
    {"O", ""},
    {"O80", "O"}, {"O81", "O"}, {"O82", "O"},
    {"P", ""},
    {"P83", "P"},
    {"Q", ""},
    {"Q84", "Q"}, {"Q85", "Q"},
    {"R", ""},
    {"R86", "R"}, {"R87", "R"}, {"R88", "R"}, {"R89", "R"}, {"R90", "R"},
    {"S", ""},
    {"S91", "S"}, {"S92", "S"}, {"S93", "S"}, {"S94", "S"}, {"S95", "S"}, {"S96", "S"},
    {"T", ""},
    {"T97", "T"},
};

// GB/T 2260 provinces, their main cities, and districts of six large cities:
// code, official Chinese name, parent code.
const Region kRegions[] = {
    {"110000", "北京市", ""},
    {"110100", "北京市", "110000"},
    {"110101", "东城区", "110100"}, {"110102", "西城区", "110100"}, {"110105", "朝阳区", "110100"},
    {"110106", "丰台区", "110100"}, {"110107", "石景山区", "110100"}, {"110108", "海淀区", "110100"},
    {"110109", "门头沟区", "110100"}, {"110111", "房山区", "110100"}, {"110112", "通州区", "110100"},
    {"110113", "顺义区", "110100"}, {"110114", "昌平区", "110100"}, {"110115", "大兴区", "110100"},
    {"110116", "怀柔区", "110100"}, {"110117", "平谷区", "110100"}, {"110118", "密云区", "110100"},
    {"110119", "延庆区", "110100"},
    {"120000", "天津市", ""},
    {"120100", "天津市", "120000"},
    {"120101", "和平区", "120100"}, {"120103", "河西区", "120100"}, {"120104", "南开区", "120100"},
    {"120116", "滨海新区", "120100"},
    {"130000", "河北省", ""},
    {"130100", "石家庄市", "130000"},
    {"130200", "唐山市", "130000"},
    {"130400", "邯郸市", "130000"},
    {"130600", "保定市", "130000"},
    {"131000", "廊坊市", "130000"},
    {"140000", "山西省", ""},
    {"140100", "太原市", "140000"},
    {"140200", "大同市", "140000"},
    {"150000", "内蒙古自治区", ""},
    {"150100", "呼和浩特市", "150000"},
    {"150200", "包头市", "150000"},
    {"150600", "鄂尔多斯市", "150000"},
    {"210000", "辽宁省", ""},
    {"210100", "沈阳市", "210000"},
    {"210200", "大连市", "210000"},
    {"220000", "吉林省", ""},
    {"220100", "长春市", "220000"},
    {"220200", "吉林市", "220000"},
    {"230000", "黑龙江省", ""},
    {"230100", "哈尔滨市", "230000"},
    {"230600", "大庆市", "230000"},
    {"310000", "上海市", ""},
    {"310100", "上海市", "310000"},
    {"310101", "黄浦区", "310100"}, {"310104", "徐汇区", "310100"}, {"310105", "长宁区", "310100"},
    {"310106", "静安区", "310100"}, {"310107", "普陀区", "310100"}, {"310109", "虹口区", "310100"},
    {"310110", "杨浦区", "310100"}, {"310112", "闵行区", "310100"}, {"310113", "宝山区", "310100"},
    {"310114", "嘉定区", "310100"}, {"310115", "浦东新区", "310100"}, {"310116", "金山区", "310100"},
    {"310117", "松江区", "310100"}, {"310118", "青浦区", "310100"}, {"310120", "奉贤区", "310100"},
    {"310151", "崇明区", "310100"},
    {"320000", "江苏省", ""},
    {"320100", "南京市", "320000"},
    {"320200", "无锡市", "320000"},
    {"320300", "徐州市", "320000"},
    {"320400", "常州市", "320000"},
    {"320500", "苏州市", "320000"},
    {"320600", "南通市", "320000"},
    {"330000", "浙江省", ""},
    {"330100", "杭州市", "330000"},
    {"330102", "上城区", "330100"}, {"330105", "拱墅区", "330100"}, {"330106", "西湖区", "330100"},
    {"330108", "滨江区", "330100"}, {"330109", "萧山区", "330100"}, {"330110", "余杭区", "330100"},
    {"330111", "富阳区", "330100"}, {"330112", "临安区", "330100"}, {"330113", "临平区", "330100"},
    {"330114", "钱塘区", "330100"},
    {"330200", "宁波市", "330000"},
    {"330300", "温州市", "330000"},
    {"330400", "嘉兴市", "330000"},
    {"330600", "绍兴市", "330000"},
    {"330700", "金华市", "330000"},
    {"340000", "安徽省", ""},
    {"340100", "合肥市", "340000"},
    {"340200", "芜湖市", "340000"},
    {"350000", "福建省", ""},
    {"350100", "福州市", "350000"},
    {"350200", "厦门市", "350000"},
    {"350500", "泉州市", "350000"},
    {"360000", "江西省", ""},
    {"360100", "南昌市", "360000"},
    {"360700", "赣州市", "360000"},
    {"370000", "山东省", ""},
    {"370100", "济南市", "370000"},
    {"370200", "青岛市", "370000"},
    {"370600", "烟台市", "370000"},
    {"370700", "潍坊市", "370000"},
    {"410000", "河南省", ""},
    {"410100", "郑州市", "410000"},
    {"410300", "洛阳市", "410000"},
    {"420000", "湖北省", ""},
    {"420100", "武汉市", "420000"},
    {"420500", "宜昌市", "420000"},
    {"420600", "襄阳市", "420000"},
    {"430000", "湖南省", ""},
    {"430100", "长沙市", "430000"},
    {"430200", "株洲市", "430000"},
    {"440000", "广东省", ""},
    {"440100", "广州市", "440000"},
    {"440103", "荔湾区", "440100"}, {"440104", "越秀区", "440100"}, {"440105", "海珠区", "440100"},
    {"440106", "天河区", "440100"}, {"440111", "白云区", "440100"}, {"440112", "黄埔区", "440100"},
    {"440113", "番禺区", "440100"}, {"440114", "花都区", "440100"}, {"440115", "南沙区", "440100"},
    {"440117", "从化区", "440100"}, {"440118", "增城区", "440100"},
    {"440300", "深圳市", "440000"},
    {"440303", "罗湖区", "440300"}, {"440304", "福田区", "440300"}, {"440305", "南山区", "440300"},
    {"440306", "宝安区", "440300"}, {"440307", "龙岗区", "440300"}, {"440308", "盐田区", "440300"},
    {"440309", "龙华区", "440300"}, {"440310", "坪山区", "440300"}, {"440311", "光明区", "440300"},
    {"440400", "珠海市", "440000"},
    {"440600", "佛山市", "440000"},
    {"441300", "惠州市", "440000"},
    {"441900", "东莞市", "440000"},
    {"442000", "中山市", "440000"},
    {"450000", "广西壮族自治区", ""},
    {"450100", "南宁市", "450000"},
    {"450200", "柳州市", "450000"},
    {"450300", "桂林市", "450000"},
    {"460000", "海南省", ""},
    {"460100", "海口市", "460000"},
    {"460200", "三亚市", "460000"},
    {"500000", "重庆市", ""},
    {"500100", "重庆市", "500000"},
    {"500103", "渝中区", "500100"}, {"500105", "江北区", "500100"}, {"500106", "沙坪坝区", "500100"},
    {"500112", "渝北区", "500100"},
    {"510000", "四川省", ""},
    {"510100", "成都市", "510000"},
    {"510104", "锦江区", "510100"}, {"510105", "青羊区", "510100"}, {"510106", "金牛区", "510100"},
    {"510107", "武侯区", "510100"}, {"510108", "成华区", "510100"}, {"510112", "龙泉驿区", "510100"},
    {"510113", "青白江区", "510100"}, {"510114", "新都区", "510100"}, {"510115", "温江区", "510100"},
    {"510116", "双流区", "510100"}, {"510117", "郫都区", "510100"}, {"510118", "新津区", "510100"},
    {"510700", "绵阳市", "510000"},
    {"520000", "贵州省", ""},
    {"520100", "贵阳市", "520000"},
    {"520300", "遵义市", "520000"},
    {"530000", "云南省", ""},
    {"530100", "昆明市", "530000"},
    {"530700", "丽江市", "530000"},
    {"540000", "西藏自治区", ""},
    {"540100", "拉萨市", "540000"},
    {"610000", "陕西省", ""},
    {"610100", "西安市", "610000"},
    {"610300", "宝鸡市", "610000"},
    {"620000", "甘肃省", ""},
    {"620100", "兰州市", "620000"},
    {"630000", "青海省", ""},
    {"630100", "西宁市", "630000"},
    {"640000", "宁夏回族自治区", ""},
    {"640100", "银川市", "640000"},
    {"650000", "新疆维吾尔自治区", ""},
    {"650100", "乌鲁木齐市", "650000"},
    {"710000", "台湾省", ""},
    {"810000", "香港特别行政区", ""},
    {"820000", "澳门特别行政区", ""},
};

// The small fixed lists: name, codes in display order.
const Simple kSimple[] = {
    {"customer_kind", {"enterprise", "personal"}},
    {"status", {"potential", "intent", "won", "lost"}},
    {"intent", {"high", "medium", "low"}},
    {"source", {"website", "trade_show", "phone_inquiry", "referral", "online_promotion", "social_media", "cold_call", "partner", "other"}},
    {"size_band", {"small", "medium", "large"}},
    {"enterprise_type", {"state_owned", "private", "foreign", "joint_venture", "collective", "other"}},
    {"age_band", {"under_25", "25_34", "35_44", "45_54", "55_plus"}},
    {"method", {"phone", "visit", "email", "meeting", "online"}},
    {"feedback", {"interested", "needs_info", "not_considering", "refused", "objection"}},
    {"tag_type", {"industry", "need", "value", "risk", "channel"}},
    {"tag_state", {"approved", "proposed", "rejected"}},
    {"key_date_kind", {"contract_signed", "renewal", "birthday", "anniversary"}},
    {"origin", {"local", "sync", "merge", "import"}},
};

// ---- [SECTION] building the lists --------------------------------------------------------

struct Lists {
    std::map<std::string, std::vector<PickOption>, std::less<>> by_name;
    std::vector<std::string> names;
    std::vector<std::string> prefixes;  // region names for company-name normalization
};

// "广东省" -> "广东", "内蒙古自治区" -> "内蒙古", "深圳市" -> "深圳"; "" when nothing to cut
// or the rest would be a single character (a one-character prefix would eat real names).
std::string short_region_name(const std::string& full) {
    static const char* const kSuffixes[] = {"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区",
                                            "自治区", "省", "市"};
    for (const char* suf : kSuffixes) {
        std::string s = suf;
        if (full.size() > s.size() && full.compare(full.size() - s.size(), s.size(), s) == 0) {
            std::string rest = full.substr(0, full.size() - s.size());
            return rest.size() >= 6 ? rest : std::string();  // at least two CJK characters
        }
    }
    return {};
}

Lists build() {
    Lists l;
    auto add_list = [&](const std::string& name) -> std::vector<PickOption>& {
        l.names.push_back(name);
        return l.by_name[name];
    };
    auto& industry = add_list("industry");
    for (const Row& r : kIndustry)
        industry.push_back({r.code, std::string("pick.industry.") + r.code, r.parent});
    auto& region = add_list("region");
    for (const Region& r : kRegions) {
        region.push_back({r.code, std::string("pick.region.") + r.code, r.parent});
        l.prefixes.push_back(r.name_zh);
        bool district = std::string(r.code).substr(4) != "00";
        if (!district) {
            std::string s = short_region_name(r.name_zh);
            if (!s.empty()) l.prefixes.push_back(s);
        }
    }
    for (const Simple& s : kSimple) {
        auto& list = add_list(s.name);
        for (const char* c : s.codes)
            list.push_back({c, std::string("pick.") + s.name + "." + c, ""});
    }
    // Longest first, so "广东省" is cut before "广东"; duplicates ("北京市" twice) removed.
    std::sort(l.prefixes.begin(), l.prefixes.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    l.prefixes.erase(std::unique(l.prefixes.begin(), l.prefixes.end()), l.prefixes.end());
    return l;
}

const Lists& lists() {
    static const Lists l = build();
    return l;
}

// Older or shorter names callers may use.
std::string_view canonical_name(std::string_view name) {
    if (name == "kind") return "customer_kind";
    if (name == "interaction_method") return "method";
    if (name == "key_date") return "key_date_kind";
    if (name == "tag") return "tag_type";
    return name;
}
}  // namespace

// ---- [SECTION] public API ----------------------------------------------------------------

const std::vector<PickOption>& picklist(std::string_view name) {
    static const std::vector<PickOption> empty;
    const auto& m = lists().by_name;
    auto it = m.find(canonical_name(name));
    return it == m.end() ? empty : it->second;
}

const PickOption* find_option(std::string_view name, std::string_view code) {
    for (const PickOption& o : picklist(name))
        if (o.code == code) return &o;
    return nullptr;
}

bool in_picklist(std::string_view name, std::string_view code) {
    return find_option(name, code) != nullptr;
}

const std::vector<std::string>& picklist_names() { return lists().names; }

std::string region_name_zh(std::string_view code) {
    for (const Region& r : kRegions)
        if (code == r.code) return r.name_zh;
    return {};
}

std::string region_code_by_name(std::string_view name_zh) {
    if (name_zh.empty()) return {};
    for (const Region& r : kRegions)
        if (name_zh == r.name_zh) return r.code;
    for (const Region& r : kRegions)  // short form: "深圳" -> 440300
        if (short_region_name(r.name_zh) == name_zh) return r.code;
    return {};
}

const std::vector<std::string>& region_name_prefixes() { return lists().prefixes; }

}  // namespace crm
