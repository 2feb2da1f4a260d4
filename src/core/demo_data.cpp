// Deterministic demo data.
//
// Index of this file
//   [SECTION] random numbers and dates
//   [SECTION] word lists
//   [SECTION] people, phones, codes
//   [SECTION] customers, contacts, interactions
//   [SECTION] make_demo_set
#include "core/demo_data.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/picklists.h"
#include "core/validate.h"

namespace crm {

const std::string& DemoRecord::get(std::string_view name) const {
    static const std::string empty;
    for (const auto& [k, v] : fields)
        if (k == name) return v;
    return empty;
}

// ---- [SECTION] random numbers and dates --------------------------------------------------

namespace {
// splitmix64: tiny, fast, and the same sequence on every platform (integer ops only).
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n); n > 0. The modulo bias (< 2^-40 for our n) does not matter here.
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
    int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint32_t>(hi - lo + 1))); }
    bool percent(int p) { return below(100) < static_cast<uint32_t>(p); }
    template <class T, size_t N> const T& pick(const std::array<T, N>& a) { return a[below(N)]; }
    // Index chosen with the given integer weights.
    template <size_t N> size_t weighted(const std::array<int, N>& w) {
        int total = 0;
        for (int x : w) total += x;
        int r = static_cast<int>(below(static_cast<uint32_t>(total)));
        for (size_t i = 0; i < N; ++i) {
            if (r < w[i]) return i;
            r -= w[i];
        }
        return N - 1;
    }
};

// Days since 1970-01-01 <-> civil date (H. Hinnant's algorithms, proleptic Gregorian).
int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
void civil_from_days(int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
std::string date_str(int64_t day) {
    int y, m, d;
    civil_from_days(day, y, m, d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}
// `minute` = minutes since midnight UTC.
std::string datetime_str(int64_t day, int minute, int second) {
    char buf[32];
    std::string d = date_str(day);
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", d.c_str(), minute / 60, minute % 60, second);
    return buf;
}
int64_t parse_day(std::string_view s) {
    if (!is_valid_date(s)) return days_from_civil(2024, 6, 1);
    auto num = [&](size_t p, size_t n) { return std::stoi(std::string(s.substr(p, n))); };
    return days_from_civil(num(0, 4), num(5, 2), num(8, 2));
}

// ---- [SECTION] word lists ----------------------------------------------------------------

struct Pinyin { const char* zh; const char* py; };

// Surnames roughly in order of frequency; picked with a skew towards the front.
const std::array<Pinyin, 60> kSurnames = {{
    {"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
    {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"},
    {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"高", "gao"},
    {"林", "lin"}, {"罗", "luo"}, {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"},
    {"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"},
    {"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"}, {"袁", "yuan"},
    {"潘", "pan"}, {"于", "yu"}, {"蒋", "jiang"}, {"蔡", "cai"}, {"余", "yu"}, {"杜", "du"},
    {"叶", "ye"}, {"程", "cheng"}, {"苏", "su"}, {"魏", "wei"}, {"吕", "lv"}, {"丁", "ding"},
    {"任", "ren"}, {"沈", "shen"}, {"姚", "yao"}, {"卢", "lu"}, {"姜", "jiang"}, {"崔", "cui"},
    {"钟", "zhong"}, {"谭", "tan"}, {"陆", "lu"}, {"汪", "wang"}, {"欧阳", "ouyang"}, {"司马", "sima"}}};
const std::array<Pinyin, 48> kGiven = {{
    {"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"},
    {"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"},
    {"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"霞", "xia"},
    {"平", "ping"}, {"刚", "gang"}, {"华", "hua"}, {"建", "jian"}, {"国", "guo"}, {"文", "wen"},
    {"辉", "hui"}, {"鹏", "peng"}, {"婷", "ting"}, {"晨", "chen"}, {"宇", "yu"}, {"浩", "hao"},
    {"欣", "xin"}, {"怡", "yi"}, {"佳", "jia"}, {"俊", "jun"}, {"思", "si"}, {"雨", "yu"},
    {"志", "zhi"}, {"海", "hai"}, {"红", "hong"}, {"玲", "ling"}, {"峰", "feng"}, {"斌", "bin"},
    {"慧", "hui"}, {"博", "bo"}, {"然", "ran"}, {"凯", "kai"}, {"琳", "lin"}, {"晓", "xiao"}}};

// Brand names are two syllables, one from each list: 30 x 30 = 900 brands.
const std::array<Pinyin, 30> kBrandFirst = {{
    {"云", "yun"}, {"华", "hua"}, {"博", "bo"}, {"鼎", "ding"}, {"创", "chuang"}, {"恒", "heng"},
    {"瑞", "rui"}, {"中", "zhong"}, {"新", "xin"}, {"天", "tian"}, {"金", "jin"}, {"远", "yuan"},
    {"智", "zhi"}, {"长", "chang"}, {"宏", "hong"}, {"星", "xing"}, {"汇", "hui"}, {"德", "de"},
    {"明", "ming"}, {"嘉", "jia"}, {"同", "tong"}, {"卓", "zhuo"}, {"浩", "hao"}, {"锦", "jin"},
    {"安", "an"}, {"万", "wan"}, {"蓝", "lan"}, {"启", "qi"}, {"晨", "chen"}, {"凌", "ling"}}};
const std::array<Pinyin, 30> kBrandSecond = {{
    {"帆", "fan"}, {"信", "xin"}, {"远", "yuan"}, {"盛", "sheng"}, {"达", "da"}, {"通", "tong"},
    {"丰", "feng"}, {"科", "ke"}, {"锐", "rui"}, {"成", "cheng"}, {"桥", "qiao"}, {"航", "hang"},
    {"联", "lian"}, {"风", "feng"}, {"图", "tu"}, {"辰", "chen"}, {"泰", "tai"}, {"象", "xiang"},
    {"海", "hai"}, {"源", "yuan"}, {"光", "guang"}, {"拓", "tuo"}, {"方", "fang"}, {"阳", "yang"},
    {"升", "sheng"}, {"纳", "na"}, {"融", "rong"}, {"禾", "he"}, {"益", "yi"}, {"佳", "jia"}}};

struct Trade { const char* word; const char* industry; };  // company-name word -> GB/T 4754 division
const std::array<Trade, 32> kTrades = {{
    {"信息技术", "I65"}, {"软件", "I65"}, {"网络科技", "I64"}, {"电子科技", "C39"}, {"机械制造", "C34"},
    {"智能装备", "C35"}, {"食品", "C14"}, {"贸易", "F51"}, {"商贸", "F52"}, {"供应链管理", "G58"},
    {"物流", "G59"}, {"建设工程", "E48"}, {"装饰工程", "E50"}, {"环保科技", "N77"}, {"医疗器械", "C35"},
    {"生物科技", "M73"}, {"广告传媒", "L72"}, {"教育科技", "P83"}, {"餐饮管理", "H62"}, {"服饰", "C18"},
    {"新材料", "C29"}, {"汽车零部件", "C36"}, {"电气", "C38"}, {"化工", "C26"}, {"管理咨询", "L72"},
    {"置业", "K70"}, {"酒店管理", "H61"}, {"农业发展", "A01"}, {"医药", "C27"}, {"检测技术", "M74"},
    {"能源科技", "D44"}, {"家具", "C21"}}};

const std::array<const char*, 4> kLegalForms = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
const std::array<int, 4> kLegalWeights = {70, 14, 10, 6};

const std::array<const char*, 6> kOwners = {"张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊"};
const std::array<const char*, 12> kTitles = {"总经理", "副总经理", "采购经理", "技术总监", "财务总监", "IT经理",
                                             "行政主管", "销售总监", "运营经理", "项目经理", "董事长", "采购专员"};
const std::array<const char*, 10> kOccupations = {"教师", "医生", "工程师", "个体经营者", "公务员",
                                                  "自由职业者", "销售", "设计师", "律师", "会计"};
const std::array<const char*, 12> kRoads = {"人民路", "中山路", "解放路", "建设路", "科技路", "文化路",
                                            "和平路", "长江路", "创业大道", "高新大道", "滨江大道", "学院路"};

// Needs: "{n}" is replaced by a number.
const std::array<const char*, 12> kEnterpriseNeeds = {
    "需要一套客户管理系统，约{n}名销售人员使用，要求支持手机端",
    "计划升级办公网络，覆盖{n}个工位，预计下季度实施",
    "采购一批工业传感器用于产线改造，首批约{n}台",
    "希望实现仓库管理数字化，现有SKU约{n}个",
    "寻找长期合作的设备维保服务商，设备约{n}台",
    "需要财务与进销存系统对接，月单据量约{n}张",
    "准备建设视频会议室{n}间，要求与现有系统兼容",
    "考虑替换现有ERP，用户数约{n}人，关注数据迁移",
    "需要员工培训平台，首期培训{n}人",
    "计划采购服务器和存储设备，预算分两期，约{n}台",
    "希望优化门店收银系统，门店数{n}家",
    "需要数据安全整改方案，涉及终端约{n}台"};
const std::array<const char*, 8> kPersonalNeeds = {
    "为家里选购智能安防设备，约{n}个摄像头",
    "咨询个人办公电脑配置，预算有限",
    "想报名数据分析培训课程，周末班",
    "为工作室采购{n}台办公设备",
    "了解智能家居整体方案，房屋约{n}平方米",
    "需要个人网站搭建服务",
    "咨询小型网店的进销存软件",
    "考虑购买会员服务，先试用{n}天"};
const std::array<const char*, 10> kTopics = {"初次沟通", "需求调研", "产品演示", "方案报价", "价格谈判",
                                             "合同条款确认", "售后回访", "技术交流", "续约沟通", "试用反馈"};
const std::array<const char*, 14> kCustomerWords = {
    "客户表示目前系统用起来比较卡，希望尽快更换",
    "客户认为我们的报价偏高，希望再优惠一些",
    "客户需要先向领导汇报，下周给答复",
    "客户对演示效果满意，关心实施周期",
    "客户担心数据迁移风险，要求提供案例",
    "客户提出要和竞品对比后再决定",
    "客户说今年预算已经用完，明年再考虑",
    "客户希望先小范围试用一个月",
    "客户询问售后服务响应时间",
    "客户反馈试用期间遇到登录问题",
    "客户对合同付款条款有异议",
    "客户表示暂时不需要，请勿频繁联系",
    "客户主动询问批量采购折扣",
    "客户需要我们提供资质证明和发票样本"};
const std::array<const char*, 12> kOurResponses = {
    "我方介绍了分期付款方案",
    "我方答应三个工作日内发送详细报价",
    "我方安排技术人员上门演示",
    "我方提供了两家同行业成功案例",
    "我方说明了7×24小时售后服务承诺",
    "我方同意开通一个月试用账号",
    "我方解释了数据迁移流程和保障措施",
    "我方记录了问题并提交技术部处理",
    "我方表示会向公司申请特别折扣",
    "我方约定下次沟通时间",
    "我方寄送了产品资料和样品",
    "我方尊重客户意见，降低联系频率"};
const std::array<const char*, 10> kNextActions = {"发送报价单", "安排产品演示", "寄送样品", "约技术负责人面谈",
                                                  "跟进合同审批进度", "提供成功案例", "回访试用情况",
                                                  "确认付款方式", "准备投标材料", "邀请参观公司"};
const std::array<const char*, 6> kNotes = {"老客户介绍", "需要开具增值税专用发票", "决策周期较长",
                                           "对价格敏感", "重点客户，季度回访", "只接受工作日联系"};

// Main area code of a city (GB/T 2260 city code), or "" when not in this table.
const char* area_code(std::string_view city) {
    static const std::pair<const char*, const char*> kAreas[] = {
        {"110100", "010"}, {"120100", "022"}, {"310100", "021"}, {"500100", "023"}, {"130100", "0311"},
        {"130200", "0315"}, {"130400", "0310"}, {"130600", "0312"}, {"131000", "0316"}, {"140100", "0351"},
        {"140200", "0352"}, {"150100", "0471"}, {"150200", "0472"}, {"150600", "0477"}, {"210100", "024"},
        {"210200", "0411"}, {"220100", "0431"}, {"220200", "0432"}, {"230100", "0451"}, {"230600", "0459"},
        {"320100", "025"}, {"320200", "0510"}, {"320300", "0516"}, {"320400", "0519"}, {"320500", "0512"},
        {"320600", "0513"}, {"330100", "0571"}, {"330200", "0574"}, {"330300", "0577"}, {"330400", "0573"},
        {"330600", "0575"}, {"330700", "0579"}, {"340100", "0551"}, {"340200", "0553"}, {"350100", "0591"},
        {"350200", "0592"}, {"350500", "0595"}, {"360100", "0791"}, {"360700", "0797"}, {"370100", "0531"},
        {"370200", "0532"}, {"370600", "0535"}, {"370700", "0536"}, {"410100", "0371"}, {"410300", "0379"},
        {"420100", "027"}, {"420500", "0717"}, {"420600", "0710"}, {"430100", "0731"}, {"430200", "0731"},
        {"440100", "020"}, {"440300", "0755"}, {"440400", "0756"}, {"440600", "0757"}, {"441300", "0752"},
        {"441900", "0769"}, {"442000", "0760"}, {"450100", "0771"}, {"450200", "0772"}, {"450300", "0773"},
        {"460100", "0898"}, {"460200", "0898"}, {"510100", "028"}, {"510700", "0816"}, {"520100", "0851"},
        {"520300", "0851"}, {"530100", "0871"}, {"530700", "0888"}, {"540100", "0891"}, {"610100", "029"},
        {"610300", "0917"}, {"620100", "0931"}, {"630100", "0971"}, {"640100", "0951"}, {"650100", "0991"}};
    for (const auto& [c, a] : kAreas)
        if (city == c) return a;
    return "";
}

// ---- [SECTION] people, phones, codes -----------------------------------------------------

struct Person { std::string name, pinyin; };

Person make_person(Rng& r) {
    // min of two uniforms: frequent surnames come up more often, as in real life.
    const Pinyin& s = kSurnames[std::min(r.below(kSurnames.size()), r.below(kSurnames.size()))];
    Person p{s.zh, s.py};
    int n = r.percent(65) ? 2 : 1;
    std::string initials;
    for (int i = 0; i < n; ++i) {
        const Pinyin& g = r.pick(kGiven);
        p.name += g.zh;
        initials += g.py;
    }
    p.pinyin += "." + initials;
    return p;
}

std::string make_mobile(Rng& r) {
    static const std::array<const char*, 24> kPrefixes = {
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
        "155", "157", "158", "159", "166", "177", "180", "182", "186", "187", "189", "199"};
    char buf[16];
    // Draws in separate statements: argument evaluation order differs between compilers,
    // and the generator must give the same data natively and in wasm.
    const char* prefix = r.pick(kPrefixes);
    uint32_t rest = r.below(100000000);
    std::snprintf(buf, sizeof buf, "%s%08u", prefix, rest);
    return buf;
}

std::string make_landline(Rng& r, std::string_view city) {
    std::string area = area_code(city);
    if (area.empty()) area = "0571";
    char buf[32];
    int first = r.between(2, 8);
    uint32_t rest = r.below(10000000);
    std::snprintf(buf, sizeof buf, "%s-%d%07u", area.c_str(), first, rest);
    std::string s = buf;
    if (r.percent(15)) {  // an extension
        s.push_back('-');
        s.append(std::to_string(r.between(100, 899)));
    }
    return s;
}

// "91" (industry & commerce, enterprise) + 6-digit region code + 9-character organisation
// code + computed check character.
std::string make_credit_code(Rng& r, std::string_view region) {
    static constexpr std::string_view kAlpha = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    std::string c = "91";
    c += region;
    if (r.percent(60)) {
        c += "MA";  // codes issued since 2015 mostly start with MA
        for (int i = 0; i < 7; ++i) c.push_back(kAlpha[r.below(kAlpha.size())]);
    } else {
        for (int i = 0; i < 9; ++i) c.push_back(kAlpha[r.below(10)]);
    }
    c.push_back(*credit_code_check_char(c));
    return c;
}

std::string fill_n(const char* tmpl, int n) {
    std::string s = tmpl;
    size_t p = s.find("{n}");
    if (p != std::string::npos) s.replace(p, 3, std::to_string(n));
    return s;
}

// Cities with their province and districts, from the region picklist.
struct City {
    std::string code, name, province, short_name;
    std::vector<std::string> districts;
    int weight;
};

const std::vector<City>& cities() {
    static const std::vector<City> v = [] {
        std::vector<City> out;
        const auto& regions = picklist("region");
        for (const PickOption& o : regions) {
            if (o.parent.empty() || o.code.substr(4) != "00") continue;
            City c{o.code, region_name_zh(o.code), region_name_zh(o.parent), "", {}, 1};
            for (const PickOption& d : regions)
                if (d.parent == o.code) c.districts.push_back(region_name_zh(d.code));
            c.short_name = c.name.size() > 3 && c.name.compare(c.name.size() - 3, 3, "市") == 0
                               ? c.name.substr(0, c.name.size() - 3) : c.name;
            c.weight = c.districts.empty() ? 2 : 12;  // the big cities carry most customers
            out.push_back(std::move(c));
        }
        return out;
    }();
    return v;
}

const City& pick_city(Rng& r) {
    const auto& cs = cities();
    static const int total = [&] {
        int t = 0;
        for (const City& c : cs) t += c.weight;
        return t;
    }();
    int x = static_cast<int>(r.below(static_cast<uint32_t>(total)));
    for (const City& c : cs) {
        if (x < c.weight) return c;
        x -= c.weight;
    }
    return cs.back();
}

// ---- [SECTION] customers, contacts, interactions -----------------------------------------

using Fields = std::vector<std::pair<std::string, std::string>>;

struct CustomerFacts {  // what later records of the same customer need to know
    int64_t first_day;
    std::string owner, city_code, domain;
    bool enterprise;
};

const std::array<const char*, 4> kStatus = {"potential", "intent", "won", "lost"};
const std::array<int, 4> kStatusWeights = {40, 30, 20, 10};
const std::array<const char*, 9> kSources = {"website", "trade_show", "phone_inquiry", "referral",
                                             "online_promotion", "social_media", "cold_call", "partner", "other"};
const std::array<int, 9> kSourceWeights = {18, 12, 12, 18, 12, 10, 8, 7, 3};

std::string pick_intent(Rng& r, std::string_view status) {
    static const std::array<const char*, 3> kIntent = {"high", "medium", "low"};
    if (status == "intent") return kIntent[r.weighted(std::array<int, 3>{35, 45, 20})];
    if (status == "potential") return kIntent[r.weighted(std::array<int, 3>{10, 40, 50})];
    if (status == "won") return r.percent(70) ? "high" : "";
    return r.percent(50) ? "low" : "";
}

int64_t round_budget(int64_t yuan) {
    return yuan >= 100000 ? yuan / 10000 * 10000 : yuan / 1000 * 1000;
}

DemoRecord make_customer(Rng& r, int64_t today, CustomerFacts& facts) {
    DemoRecord rec{"customers", {}};
    Fields& f = rec.fields;
    f.reserve(24);
    const City& city = pick_city(r);
    facts.enterprise = r.percent(80);
    facts.first_day = today - r.between(5, 900);
    facts.owner = r.pick(kOwners);
    facts.city_code = city.code;
    std::string status = kStatus[r.weighted(kStatusWeights)];
    f.push_back({"kind", facts.enterprise ? "enterprise" : "personal"});
    if (facts.enterprise) {
        const Pinyin& b1 = r.pick(kBrandFirst);
        const Pinyin& b2 = r.pick(kBrandSecond);
        const Trade& trade = r.pick(kTrades);
        std::string name = (r.percent(85) ? city.short_name : std::string()) + b1.zh + b2.zh + trade.word +
                           kLegalForms[r.weighted(kLegalWeights)];
        facts.domain = std::string(b1.py) + b2.py + (r.percent(60) ? ".com.cn" : ".com");
        f.push_back({"name", name});
        if (r.percent(85)) f.push_back({"credit_code", make_credit_code(r, city.code)});
        // Mostly the division; sometimes only the section is known.
        f.push_back({"industry", r.percent(90) ? trade.industry : std::string(1, trade.industry[0])});
        static const std::array<const char*, 3> kSize = {"small", "medium", "large"};
        f.push_back({"size_band", kSize[r.weighted(std::array<int, 3>{55, 30, 15})]});
        static const std::array<const char*, 6> kTypes = {"private", "state_owned", "foreign",
                                                          "joint_venture", "collective", "other"};
        f.push_back({"enterprise_type", kTypes[r.weighted(std::array<int, 6>{60, 12, 8, 8, 2, 10})]});
    } else {
        f.push_back({"name", make_person(r).name});
        f.push_back({"occupation", r.pick(kOccupations)});
        static const std::array<const char*, 5> kAges = {"under_25", "25_34", "35_44", "45_54", "55_plus"};
        f.push_back({"age_band", kAges[r.weighted(std::array<int, 5>{10, 35, 30, 15, 10})]});
    }
    f.push_back({"province", city.province});
    f.push_back({"city", city.name});
    std::string district = city.districts.empty() ? "" : city.districts[r.below(city.districts.size())];
    if (!district.empty()) f.push_back({"district", district});
    if (r.percent(85)) {
        std::string addr = district + r.pick(kRoads);
        addr += std::to_string(r.between(1, 999)) + "号";
        if (facts.enterprise && r.percent(60)) {
            addr += std::to_string(r.between(1, 30)) + "幢";
            addr += std::to_string(r.between(101, 2508)) + "室";
        }
        f.push_back({"address", addr});
    }
    f.push_back({"source", kSources[r.weighted(kSourceWeights)]});
    f.push_back({"first_contact_date", date_str(facts.first_day)});
    f.push_back({"status", status});
    if (std::string intent = pick_intent(r, status); !intent.empty()) f.push_back({"intent", intent});
    if ((status == "potential" || status == "intent") && r.percent(70))
        f.push_back({"expected_close_date", date_str(today + r.between(-20, 180))});
    const char* need = facts.enterprise ? r.pick(kEnterpriseNeeds) : r.pick(kPersonalNeeds);
    if (r.percent(85)) f.push_back({"needs", fill_n(need, r.between(3, 200))});
    if (r.percent(80)) {
        int64_t budget = int64_t(r.between(5, 200)) * 1000;
        if (facts.enterprise) {
            budget = std::array<int64_t, 3>{20000, 100000, 500000}[r.below(3)];
            budget *= r.between(1, 20);
        }
        f.push_back({"budget", std::to_string(round_budget(budget))});
    }
    f.push_back({"owner", facts.owner});
    if (r.percent(20)) f.push_back({"notes", r.pick(kNotes)});
    int minute = r.between(60, 600);
    f.push_back({"created_at", datetime_str(facts.first_day, minute, r.between(0, 59))});
    return rec;
}

void add_contacts(Rng& r, size_t ref, const CustomerFacts& facts, const DemoRecord& customer,
                  std::vector<DemoRecord>& out) {
    int n = facts.enterprise ? 1 + static_cast<int>(r.weighted(std::array<int, 3>{50, 35, 15})) : 1;
    for (int i = 0; i < n; ++i) {
        DemoRecord c{"contacts", {}};
        c.fields.reserve(8);
        c.fields.push_back({"customer_ref", std::to_string(ref)});
        Person p = facts.enterprise ? make_person(r) : Person{customer.get("name"), ""};
        c.fields.push_back({"name", p.name});
        if (facts.enterprise) c.fields.push_back({"title", r.pick(kTitles)});
        bool mobile = r.percent(facts.enterprise ? 85 : 97);
        if (mobile) c.fields.push_back({"mobile", make_mobile(r)});
        if (!mobile || (facts.enterprise && r.percent(45))) c.fields.push_back({"landline", make_landline(r, facts.city_code)});
        if (facts.enterprise && r.percent(60)) c.fields.push_back({"email", p.pinyin + "@" + facts.domain});
        else if (!facts.enterprise && r.percent(40))
            c.fields.push_back({"email", std::to_string(r.between(10000000, 999999999)) + "@qq.com"});
        c.fields.push_back({"is_key", i == 0 ? "1" : "0"});
        out.push_back(std::move(c));
    }
}

void add_interactions(Rng& r, size_t ref, const CustomerFacts& facts, size_t count, int64_t today,
                      std::vector<DemoRecord>& out) {
    // Days of the interactions, spread between first contact and today, in order.
    std::vector<int64_t> days(count);
    int64_t span = std::max<int64_t>(1, today - facts.first_day);
    for (auto& d : days) d = facts.first_day + static_cast<int64_t>(r.next() % static_cast<uint64_t>(span + 1));
    std::sort(days.begin(), days.end());
    if (!days.empty() && r.percent(70)) days[0] = facts.first_day;  // the first contact was logged
    static const std::array<const char*, 5> kMethods = {"phone", "online", "visit", "email", "meeting"};
    static const std::array<const char*, 5> kFeedback = {"interested", "needs_info", "not_considering",
                                                         "objection", "refused"};
    for (size_t i = 0; i < count; ++i) {
        DemoRecord rec{"interactions", {}};
        Fields& f = rec.fields;
        f.reserve(12);
        // Office hours in China (UTC+8): 09:00-18:00 local = 01:00-10:00 UTC.
        int minute = r.between(60, 600);
        f.push_back({"customer_ref", std::to_string(ref)});
        f.push_back({"at", datetime_str(days[i], minute, r.between(0, 59))});
        f.push_back({"method", kMethods[r.weighted(std::array<int, 5>{40, 20, 15, 15, 10})]});
        f.push_back({"topic", i == 0 ? "初次沟通" : r.pick(kTopics)});
        std::string summary = std::string(r.pick(kCustomerWords)) + "；";
        summary += std::string(r.pick(kOurResponses)) + "。";
        f.push_back({"summary", summary});
        f.push_back({"feedback", kFeedback[r.weighted(std::array<int, 5>{35, 25, 15, 15, 10})]});
        const std::string& by = r.percent(85) ? facts.owner : std::string(r.pick(kOwners));
        if (r.percent(70)) {
            int64_t due = days[i] + r.between(1, 14);
            f.push_back({"next_action", r.pick(kNextActions)});
            f.push_back({"next_action_owner", by});
            f.push_back({"next_action_due", date_str(due)});
            // Old actions were done; of the last month's some are still open (overdue);
            // future ones are open.
            bool done = due < today - 30 ? r.percent(98) : due < today ? r.percent(60) : false;
            f.push_back({"next_action_done", done ? "1" : "0"});
        }
        f.push_back({"followed_up_by", by});
        // Recorded minutes later, or (about 8%) days later: a late entry.
        int64_t created = days[i] * 1440 + minute + r.between(2, 90);
        if (r.percent(8)) {
            created += 1440 * r.between(1, 5);
            created += r.between(0, 600);
        }
        created = std::min<int64_t>(created, today * 1440 + 600);  // never after today's office hours
        created = std::max<int64_t>(created, days[i] * 1440 + minute + 1);
        int64_t cday = created / 1440;
        f.push_back({"created_at", datetime_str(cday, static_cast<int>(created - cday * 1440), r.between(0, 59))});
        out.push_back(std::move(rec));
    }
}
}  // namespace

// ---- [SECTION] make_demo_set -------------------------------------------------------------

// Every 5th customer has a key date (a person's birthday, a company's contract signing and,
// every 10th, a renewal ahead) and a consent (every 15th withdrawn, every 10th covering
// sensitive information). From their own random stream: the records above stay
// the same as before these existed.
namespace {
void add_key_dates_and_consents(uint64_t seed, int64_t today, DemoSet& set) {
    Rng r{seed ^ 0x6b657964617465ull};
    static const std::array<const char*, 4> purposes = {"营销推广", "售后服务", "合同履行", "产品调研"};
    static const std::array<const char*, 3> channels = {"纸质", "线上", "电话"};
    for (size_t i = 0; i < set.customers.size(); i += 5) {
        const std::string ref = std::to_string(i);
        const DemoRecord& cu = set.customers[i];
        const int64_t first = parse_day(cu.get("first_contact_date"));
        const bool person = cu.get("kind") == "personal";
        // One draw per statement: the order of a call's arguments is the compiler's choice,
        // and the same seed must give the same dates everywhere.
        int64_t day = 0;
        if (person) {
            const int y = r.between(1960, 1998);
            const int m = r.between(1, 12);
            day = days_from_civil(y, m, r.between(1, 28));
        } else {
            day = std::min(today, first + r.between(10, 120));
        }
        set.key_dates.push_back({"key_dates", {{"customer_ref", ref}, {"kind", person ? "birthday" : "contract_signed"},
                                               {"date", date_str(day)}, {"lead_days", person ? "3" : "0"}}});
        if (!person && i % 10 == 0)
            set.key_dates.push_back({"key_dates", {{"customer_ref", ref}, {"kind", "renewal"},
                                                   {"date", date_str(today + r.between(1, 60))}, {"lead_days", "30"},
                                                   {"note", "续约前确认报价"}}});
        DemoRecord c{"consents", {{"customer_ref", ref}, {"purpose", r.pick(purposes)}, {"channel", r.pick(channels)},
                                  {"given_on", date_str(std::min(today, first + r.between(0, 3)))},
                                  {"sensitive", i % 10 == 0 ? "1" : "0"}}};
        if (i % 15 == 0) c.fields.push_back({"withdrawn_on", date_str(today)});
        set.consents.push_back(std::move(c));
    }
}
}  // namespace

DemoSet make_demo_set(uint64_t seed, size_t customers, size_t interactions_per_customer_avg,
                      std::string_view today_str) {
    DemoSet set;
    int64_t today = parse_day(today_str);
    set.customers.reserve(customers);
    set.contacts.reserve(customers * 2);
    set.interactions.reserve(customers * interactions_per_customer_avg + 16);
    Rng r{seed};
    const uint32_t spread = static_cast<uint32_t>(2 * interactions_per_customer_avg + 1);
    for (size_t i = 0; i < customers; ++i) {
        CustomerFacts facts;
        set.customers.push_back(make_customer(r, today, facts));
        add_contacts(r, i, facts, set.customers.back(), set.contacts);
        // 0 .. 2*avg interactions, mean avg.
        add_interactions(r, i, facts, r.below(spread), today, set.interactions);
    }
    add_key_dates_and_consents(seed, today, set);
    return set;
}

}  // namespace crm
