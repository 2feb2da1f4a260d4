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

#include <sodium.h>

#include "core/demo_data.h"
#include "core/demo_seed.h"
#include "core/error.h"
#include "core/workspace.h"

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

// Adds generated customers (per_customer interactions each on average) in chunks of 2,000,
// one transaction each, through the one write path, as an import would. Progress on stderr.
inline void populate(crm::Workspace& ws, size_t customers, size_t per_customer, uint64_t seed) {
    const size_t chunk = 2000;
    const double t0 = now_ms();
    for (size_t done = 0; done < customers; done += chunk) {
        const size_t n = std::min(chunk, customers - done);
        must(crm::seed_demo(ws, crm::make_demo_set(seed + done / chunk, n, per_customer, "2024-06-28")), "seed");
        std::fprintf(stderr, "\r  building: %zu / %zu customers (%.0f s)", done + n, customers, (now_ms() - t0) / 1000);
    }
    std::fprintf(stderr, "\n");
}

// What sql.js-style apps do on every save: serialize the whole database and encrypt it as
// one value (XChaCha20-Poly1305, a fresh nonce first); the caller then writes it as one record.
inline std::vector<uint8_t> whole_image_sealed(crm::store::Db& db, const uint8_t key[32]) {
    const std::vector<uint8_t> image = must(db.serialize(), "serialize");
    const size_t npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::vector<uint8_t> out(npub + image.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(out.data(), npub);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + npub, nullptr, image.data(), image.size(), nullptr, 0,
                                               nullptr, out.data(), key);
    return out;
}

}  // namespace bench
