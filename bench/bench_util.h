// Small shared pieces of the benchmarks: a monotonic stopwatch, percentiles, and the one
// output format scripts/bench.sh turns into a table:
//   RESULT <benchmark> <metric> <value> <unit>
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"

namespace bench {

inline double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// The p-th percentile (0..100) by nearest rank; 0 for no samples.
inline double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    size_t rank = static_cast<size_t>(p / 100.0 * samples.size() + 0.999999);
    rank = std::clamp<size_t>(rank, 1, samples.size());
    return samples[rank - 1];
}

inline void result(const std::string& bench, const std::string& metric, double value, const char* unit) {
    std::printf("RESULT %s %s %.3f %s\n", bench.c_str(), metric.c_str(), value, unit);
    std::fflush(stdout);
}

// Benchmarks stop at the first error, saying where.
[[noreturn]] inline void die(const char* what, const crm::Error& e) {
    std::fprintf(stderr, "benchmark failed: %s: %s %s %s\n", what, e.code.c_str(), e.field.c_str(), e.detail.c_str());
    std::exit(1);
}
template <class T>
T must(crm::Result<T> r, const char* what) {
    if (!r) die(what, r.error());
    return std::move(*r);
}
inline void must(crm::Status s, const char* what) {
    if (!s) die(what, s.error());
}

}  // namespace bench
