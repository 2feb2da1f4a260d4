// CSV import speed on a realistic 100k-row customer sheet (~30 MB of Chinese text), once as
// UTF-8 with BOM and once as GBK (what Excel saves on Chinese Windows). Prints MB/s, rows/s.
#include <iconv.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/csv.h"

using namespace crm;

namespace {

const char* kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "欧阳", "司马"};
const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"};
const char* kCities[] = {"深圳市", "广州市", "北京市", "上海市", "杭州市", "成都市", "武汉市", "南京市", "苏州市"};
const char* kWords[] = {"科技", "贸易", "电子", "信息", "网络", "食品", "建材", "物流", "医疗器械", "文化传媒"};
const char* kIndustries[] = {"制造业", "批发和零售业", "信息传输、软件和信息技术服务业", "建筑业", "住宿和餐饮业"};
const char* kTitles[] = {"总经理", "采购经理", "行政主管", "财务总监", "销售代表", "技术负责人"};
const char* kNotes[] = {"", "", "老客户介绍", "展会认识，对报价敏感", "需要开增值税专用发票",
                        "联系人说\"下月再谈\"", "地址：南山区科技园, 3栋\n送货前电话联系", "=HYPERLINK(\"x\")",
                        "去年采购过两批设备，今年预算增加，关注售后响应时间和本地化服务能力"};

template <class T, size_t N>
const char* pick(std::mt19937& rng, T (&list)[N]) { return list[rng() % N]; }

std::vector<std::vector<std::string>> make_rows(size_t n) {
    std::mt19937 rng(42);
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"客户编号", "客户名称", "联系人", "手机", "省份", "城市", "详细地址", "行业", "客户来源",
                    "首次联系日期", "预计金额", "职位", "邮箱", "固定电话", "备注"});
    for (size_t i = 0; i < n; ++i) {
        std::string city = pick(rng, kCities);
        std::string company = city + pick(rng, kWords) + pick(rng, kWords) + "有限公司";
        std::string person = std::string(pick(rng, kSurnames)) + pick(rng, kGiven) + (rng() % 2 ? pick(rng, kGiven) : "");
        std::string phone = "1" + std::to_string(3 + rng() % 7) + std::to_string(100000000 + rng() % 900000000);
        std::string address = city + "某某区" + std::to_string(rng() % 999 + 1) + "号" + pick(rng, kWords) + "大厦" +
                              std::to_string(rng() % 30 + 1) + "楼";
        rows.push_back({"C" + std::to_string(100000 + i), company, person, phone, "广东省", city, address,
                        pick(rng, kIndustries), rng() % 2 ? "展会" : "转介绍",
                        "2024-0" + std::to_string(rng() % 9 + 1) + "-1" + std::to_string(rng() % 9),
                        std::to_string(rng() % 500000) + ".00", pick(rng, kTitles),
                        "contact" + std::to_string(rng() % 100000) + "@example.com.cn",
                        "0755-" + std::to_string(20000000 + rng() % 8000000), pick(rng, kNotes)});
    }
    return rows;
}

std::string to_gbk(const std::string& utf8) {
    iconv_t cd = iconv_open("GBK", "UTF-8");
    std::string out(utf8.size() + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size(), out_left = out.size();
    char* dst = out.data();
    if (iconv(cd, &in, &in_left, &dst, &out_left) == size_t(-1)) std::fprintf(stderr, "GBK encoding failed\n");
    iconv_close(cd);
    out.resize(dst - out.data());
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void measure(const char* label, const std::string& file) {
    double best_read = 1e9, best_decode = 1e9, best_parse = 1e9;
    size_t rows = 0;
    for (int run = 0; run < 3; ++run) {
        auto t0 = std::chrono::steady_clock::now();
        Result<csv::Table> t = csv::read(file);
        best_read = std::min(best_read, seconds_since(t0));
        if (!t) { std::printf("%s: error %s\n", label, t.error().code.c_str()); return; }
        rows = t->rows.size();

        t0 = std::chrono::steady_clock::now();
        Result<csv::Decoded> d = csv::decode(file, csv::detect_encoding(file));
        best_decode = std::min(best_decode, seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        csv::Reader reader(d->text, csv::detect_delimiter(d->text));
        csv::Row row;
        size_t streamed = 0;
        while (reader.next(row)) ++streamed;
        best_parse = std::min(best_parse, seconds_since(t0));
        if (streamed != rows) std::printf("%s: streamed %zu rows, table has %zu\n", label, streamed, rows);
    }
    double mb = file.size() / 1e6;
    std::printf("%-10s %6.1f MB %7zu rows | read() %6.1f ms %6.1f MB/s %9.0f rows/s | detect+decode %6.1f ms | "
                "streaming parse %6.1f ms %6.1f MB/s\n",
                label, mb, rows, best_read * 1e3, mb / best_read, rows / best_read, best_decode * 1e3,
                best_parse * 1e3, mb / best_parse);
}

}  // namespace

int main() {
    std::vector<std::vector<std::string>> rows = make_rows(100000);
    auto t0 = std::chrono::steady_clock::now();
    std::string utf8 = csv::write(rows);
    double write_s = seconds_since(t0);
    std::string gbk = to_gbk(utf8.substr(3));
    std::printf("write(): %.1f MB UTF-8 in %.1f ms (%.1f MB/s, %.0f rows/s)\n", utf8.size() / 1e6, write_s * 1e3,
                utf8.size() / 1e6 / write_s, rows.size() / write_s);
    measure("UTF-8 BOM", utf8);
    measure("GBK", gbk);
    return 0;
}
