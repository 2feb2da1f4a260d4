// Import and export at the benchmark size: a 100k-row customer sheet (UTF-8 with BOM, the
// headers a Chinese Excel template has) imported into a workspace that already holds
// customers, with duplicate detection against them and within the file, then exported
// again and undone. Prints the time of each wizard step and the longest single step of the
// run (what one UI frame would wait for), the CPU of the import (read, map, plan, rows,
// commit: what the user waits for) and, apart, of the derived data written after the
// commit (search, completeness, duplicate keys; index_*), their sum against the goal, the
// peak memory, and how much a late step costs against an early one (*_step_growth, 1 =
// linear). The workspace lives where the app keeps it: an encrypted vault on the crm-mem
// VFS (every commit sealed page by page). The same program runs natively and as wasm.
//
// usage: bench_import [--rows N] [--existing M] [--step K] [--slice S]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <sys/resource.h>
#endif

#include "bench_util.h"
#include "core/customers.h"
#include "core/export.h"
#include "core/import.h"
#include "core/search.h"
#include "store/vault.h"

using namespace crm;
using bench::must;

namespace {

const char* kBrand[] = {"星", "河", "华", "信", "达", "泰", "恒", "盛", "安", "康", "瑞", "丰", "鼎", "誉", "宏", "远",
                        "金", "银", "海", "川", "云", "峰", "林", "森", "嘉", "和", "德", "明", "光", "辉", "新", "创",
                        "博", "卓", "越", "中", "天", "地", "东", "南", "西", "北", "正", "清", "源", "润", "诚", "汇",
                        "鑫", "隆", "顺", "昌", "聚", "英", "腾", "飞", "祥", "宇", "航", "力", "美", "佳", "合", "通"};
const char* kTrade[] = {"科技", "贸易", "电子", "信息", "物流", "食品", "建材", "医疗器械", "文化传媒", "机械"};
const char* kIndustry[] = {"制造", "批发和零售业", "软件和信息技术服务业", "建筑业", "交通运输、仓储和邮政业", "Manufacturing"};
const char* kCity[] = {"深圳市", "广州市", "杭州市", "成都市", "武汉市", "南京市", "苏州市", "厦门市"};
const char* kProvince[] = {"广东省", "广东省", "浙江省", "四川省", "湖北省", "江苏省", "江苏省", "福建省"};
const char* kSource[] = {"展会", "转介绍", "官网", "网络推广", "陌生拜访"};
const char* kStatus[] = {"潜在", "意向客户", "成交", "潜在"};
const char* kPeople[] = {"陈静", "刘洋", "王磊", "张伟", "李娜", "赵敏", "孙强", "周芳", "吴娜", "郑杰"};

// CPU time: the build machine is shared, so wall time alone says little. Under node,
// clock() is wall time: the process's CPU time comes from process.cpuUsage() (it counts
// node's own helper threads too: garbage collection, compiling).
#ifdef __EMSCRIPTEN__
double cpu_ms() {
    return EM_ASM_DOUBLE({
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
    });
}
#else
double cpu_ms() { return 1000.0 * std::clock() / CLOCKS_PER_SEC; }
#endif

// Peak memory in MB: natively the process's peak resident size; in wasm the size of the
// wasm memory (it only grows, so its size now is its peak), what a browser tab holds.
#ifdef __EMSCRIPTEN__
double peak_mb() { return EM_ASM_DOUBLE({ return HEAP8.length; }) / 1e6; }
#else
double peak_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1e3;  // KiB
}
#endif

// Mean of the last tenth of the samples over the mean of the first tenth: 1 when each
// step costs the same however much the batch already wrote.
double growth(const std::vector<double>& v) {
    const size_t n = std::max<size_t>(1, v.size() / 10);
    if (v.size() < 2 * n) return 0;
    double first = 0, last = 0;
    for (size_t i = 0; i < n; ++i) first += v[i], last += v[v.size() - 1 - i];
    return first > 0 ? last / first : 0;
}

// A unique three-character brand per index (64^3 = 262,144 names).

std::string brand(size_t i) { return std::string(kBrand[i % 64]) + kBrand[(i / 64) % 64] + kBrand[(i / 4096) % 64]; }

std::string mobile_of(size_t i) { return std::to_string(13000000000ULL + (i * 2654435761ULL) % 1000000000ULL); }

// Rows like an Excel template: 1% repeat an existing customer, 2% repeat an earlier row,
// 0.5% carry a mistyped mobile.
std::string make_sheet(size_t rows, size_t existing, size_t& expect_invalid) {
    std::mt19937 rng(7);
    std::vector<std::string> cells;
    std::string out(csv::kUtf8Bom);
    csv::append_row(out, {"客户名称", "所属行业", "省份", "城市", "详细地址", "客户来源", "客户状态", "负责人", "联系人",
                          "职务", "手机号码", "电子邮箱", "首次联系日期", "预算金额（元）", "备注"});
    expect_invalid = 0;
    for (size_t i = 0; i < rows; ++i) {
        size_t id = existing + i;  // brands 0..existing-1 belong to existing customers
        if (i % 100 == 50 && existing > 0) id = rng() % existing;
        else if (i % 50 == 25 && i > 100) id = existing + (i - 1 - rng() % 100);
        const size_t c = rng() % 8;
        std::string mobile = mobile_of(id);
        if (i % 200 == 199) mobile.pop_back(), expect_invalid++;
        csv::append_row(out, {std::string(kCity[c]) + brand(id) + kTrade[id % 10] + "有限公司",
                              kIndustry[rng() % 6], kProvince[c], kCity[c],
                              "某某区" + std::to_string(rng() % 999 + 1) + "号" + brand(id + 7) + "大厦",
                              kSource[rng() % 5], kStatus[rng() % 4], kPeople[rng() % 10], kPeople[rng() % 10],
                              "采购经理", mobile, "c" + std::to_string(id) + "@example.com.cn",
                              "2024/" + std::to_string(rng() % 12 + 1) + "/" + std::to_string(rng() % 28 + 1),
                              std::to_string(rng() % 50 + 1) + "万", i % 7 == 0 ? "老客户介绍，=需开专票" : ""});
    }
    return out;
}

// The existing customers: the same brands and mobiles as the sheet's repeats use.
void add_existing(Workspace& ws, size_t n) {
    const double t0 = bench::now_ms();
    for (size_t done = 0; done < n;) {
        must(ws.transaction([&]() -> Status {
            for (size_t k = 0; k < 2000 && done < n; ++k, ++done) {
                auto id = create_customer(ws,
                    {{"kind", "enterprise"}, {"name", std::string("深圳市") + brand(done) + kTrade[done % 10] + "有限公司"},
                     {"industry", "C"}, {"source", "website"}, {"status", "potential"}, {"owner", "王磊"}},
                    {{{"name", "李娜"}, {"mobile", mobile_of(done)}}});
                if (!id) return id.error();
            }
            return {};
        }), "existing customers");
        std::fprintf(stderr, "\r  existing: %zu / %zu (%.0f s)", done, n, (bench::now_ms() - t0) / 1000);
    }
    std::fprintf(stderr, "\n");
}

}  // namespace

int main(int argc, char** argv) {
    size_t rows = 100000, existing = 5000, step = 1000, slice = 100;  // slice: the app's kIndexPerFrame
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--slice")) slice = std::strtoul(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--rows")) rows = std::strtoul(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--existing")) existing = std::strtoul(argv[i + 1], nullptr, 10);
        if (!std::strcmp(argv[i], "--step")) step = std::strtoul(argv[i + 1], nullptr, 10);
    }
    Translations en, zh;
    must(en.load(std::string(CRM_SOURCE_DIR) + "/assets/i18n", "en"), "i18n en");
    must(zh.load(std::string(CRM_SOURCE_DIR) + "/assets/i18n", "zh-CN"), "i18n zh-CN");
    auto clock = std::make_shared<FixedClock>("2024-06-28T02:00:00Z");
    store::MemoryPageStore pages;
    auto vault = must(store::Vault::create_demo(pages), "vault");
    Workspace ws = must(Workspace::open(must(vault->open_db(), "open db"), {"00000000000000b1", "01", "王磊"}, clock),
                        "open");
    double t = bench::now_ms(), c = cpu_ms();
    add_existing(ws, existing);
    bench::result("import", "existing_create_ms", bench::now_ms() - t, "ms");
    bench::result("import", "existing_create_cpu_ms", cpu_ms() - c, "ms");

    size_t expect_invalid = 0;
    const std::string file = make_sheet(rows, existing, expect_invalid);
    const std::string b = "import_" + std::to_string(rows / 1000) + "k";
    bench::result(b, "file_size", file.size() / 1e6, "MB");

    t = bench::now_ms();
    c = cpu_ms();
    csv::Table table = must(csv::read(file), "csv read");
    const double read_ms = bench::now_ms() - t;
    bench::result(b, "read_ms", read_ms, "ms");

    t = bench::now_ms();
    ColumnMapping mapping = guess_mapping(table.rows[0].cells, ImportKind::Customers);
    map_values(table, mapping, ValueGuesser({&en, &zh}));
    const double map_ms = bench::now_ms() - t;
    bench::result(b, "map_ms", map_ms, "ms");

    t = bench::now_ms();
    const double prepare_cpu = cpu_ms();
    ImportOptions options;
    options.defaults = {{"kind", "enterprise"}};
    ImportPlan plan = must(prepare_import(ws, table, mapping, options), "prepare");
    const double prepare_ms = bench::now_ms() - t;
    bench::result(b, "prepare_ms", prepare_ms, "ms");
    bench::result(b, "prepare_cpu_ms", cpu_ms() - prepare_cpu, "ms");
    bench::result(b, "invalid_rows", plan.invalid(), "rows");
    bench::result(b, "duplicate_rows", plan.with_matches(), "rows");
    if (plan.invalid() != expect_invalid) {
        std::fprintf(stderr, "expected %zu invalid rows, the plan has %zu\n", expect_invalid, plan.invalid());
        return 1;
    }

    t = bench::now_ms();
    const double run_cpu = cpu_ms();
    ImportRun run = must(ImportRun::start(ws, plan), "start");
    std::vector<double> steps, row_cpu;
    while (!run.done()) {
        const double s0 = bench::now_ms(), c0 = cpu_ms();
        must(run.step(step), "step");
        steps.push_back(bench::now_ms() - s0);
        row_cpu.push_back(cpu_ms() - c0);
    }
    auto sum = [](const std::vector<double>& v) { double t = 0; for (double x : v) t += x; return t; };
    bench::result(b, "rows_cpu_ms", sum(row_cpu), "ms");
    // Whether a step costs more the more the batch holds (last tenth / first tenth).
    bench::result(b, "rows_step_growth", growth(row_cpu), "x");
    const double commit_t0 = bench::now_ms(), commit_cpu0 = cpu_ms();
    ImportResult result = must(run.commit(), "commit");
    bench::result(b, "commit_ms", bench::now_ms() - commit_t0, "ms");  // batch event, queue, COMMIT
    bench::result(b, "commit_cpu_ms", cpu_ms() - commit_cpu0, "ms");
    const double run_ms = bench::now_ms() - t;
    bench::result(b, "run_ms", run_ms, "ms");
    bench::result(b, "run_cpu_ms", cpu_ms() - run_cpu, "ms");
    bench::result(b, "step_" + std::to_string(step) + "_rows_p50", bench::percentile(steps, 50), "ms");
    bench::result(b, "step_" + std::to_string(step) + "_rows_max", bench::percentile(steps, 100), "ms");
    bench::result(b, "created", result.created, "rows");
    bench::result(b, "peak_mem_after_commit", peak_mb(), "MB");
    // What the user waits for: read, map, plan (dedupe), run and commit.
    const double total = read_ms + map_ms + prepare_ms + run_ms;
    bench::result(b, "total_ms", total, "ms");
    // The goal (issue 7): 100k customers with dedupe in under 5 s in wasm; < 1 meets it.
    bench::result(b, "total_vs_goal_5s", total / 5000.0 * (100000.0 / rows), "x");
    const double total_cpu = cpu_ms() - c;
    bench::result(b, "total_cpu_ms", total_cpu, "ms");
    // The same against CPU time: what the figure would be on a machine of one's own.
    bench::result(b, "total_cpu_vs_goal_5s", total_cpu / 5000.0 * (100000.0 / rows), "x");
    bench::result(b, "rows_per_s", rows / (total / 1000), "rows/s");

    // After the commit: the derived data (search documents, completeness, duplicate keys),
    // a slice of `slice` customers per call, each its own commit, as the app runs one per
    // frame. Not hidden: the import's whole cost is total_cpu + index_cpu.
    const double index_t0 = bench::now_ms(), index_cpu0 = cpu_ms();
    const size_t queued = ws.derived_queued();
    std::vector<double> slices;
    while (ws.derived_queued() > 0) {
        const double s0 = bench::now_ms();
        must(ws.refresh_queued(slice), "refresh_queued");
        slices.push_back(bench::now_ms() - s0);
    }
    const double index_cpu = cpu_ms() - index_cpu0;
    bench::result(b, "index_queued", queued, "customers");
    bench::result(b, "index_ms", bench::now_ms() - index_t0, "ms");
    bench::result(b, "index_cpu_ms", index_cpu, "ms");
    bench::result(b, "index_slice_" + std::to_string(slice) + "_p50", bench::percentile(slices, 50), "ms");
    bench::result(b, "index_slice_" + std::to_string(slice) + "_max", bench::percentile(slices, 100), "ms");
    bench::result(b, "import_and_index_cpu_ms", total_cpu + index_cpu, "ms");
    bench::result(b, "import_and_index_cpu_vs_goal_5s", (total_cpu + index_cpu) / 5000.0 * (100000.0 / rows), "x");
    bench::result(b, "peak_mem", peak_mb(), "MB");
    // Honest check: search finds an imported customer once the queue is through.
    const std::string probe = brand(existing + rows / 2);
    if (must(search_customer_rowids(ws.db(), probe), "search").empty()) {
        std::fprintf(stderr, "search does not find %s after indexing\n", probe.c_str());
        return 1;
    }

    t = bench::now_ms();
    double phase_cpu = cpu_ms();
    ExportRequest req;
    req.fields = export_fields(ExportTable::Customers);
    ExportResult exported = must(export_csv(ws, req, zh), "export");
    const double export_ms = bench::now_ms() - t;
    bench::result("export", "customers", exported.rows, "rows");
    bench::result("export", "all_fields_ms", export_ms, "ms");
    bench::result("export", "all_fields_cpu_ms", cpu_ms() - phase_cpu, "ms");
    bench::result("export", "size", exported.bytes.size() / 1e6, "MB");

    t = bench::now_ms();
    phase_cpu = cpu_ms();
    UndoResult undone = must(undo_import(ws, result.batch_id), "undo");
    bench::result(b, "undo_ms", bench::now_ms() - t, "ms");
    bench::result(b, "undo_cpu_ms", cpu_ms() - phase_cpu, "ms");
    bench::result(b, "undo_tombstoned", undone.tombstoned, "records");
    return 0;
}
