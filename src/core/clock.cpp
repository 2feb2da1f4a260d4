// Clock, calendar arithmetic and the hybrid logical clock.
#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace crm {

namespace {
constexpr int64_t kDayMs = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads exactly n digits at s[pos]; -1 if any is not a digit.
int digits(std::string_view s, size_t pos, size_t n) {
    if (pos + n > s.size()) return -1;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace

std::string Clock::now_iso() const { return format_iso(now_ms()); }
std::string Clock::today() const {
    const int64_t now = now_ms();
    return format_date(floor_div(now + utc_offset_min(now) * int64_t{60'000}, kDayMs));
}

std::string Clock::local_minute(std::string_view iso) const {
    auto ms = iso.size() > 10 ? parse_iso_ms(iso) : std::nullopt;
    if (!ms) return std::string(iso);
    std::string local = format_iso(*ms + utc_offset_min(*ms) * int64_t{60'000});
    return local.substr(0, 10) + " " + local.substr(11, 5);
}

std::string Clock::local_date(std::string_view iso) const {
    auto ms = iso.size() > 10 ? parse_iso_ms(iso) : std::nullopt;
    return ms ? local_minute(iso).substr(0, 10) : std::string(iso);
}

int64_t SystemClock::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int SystemClock::utc_offset_min(int64_t ms) const {
    const std::time_t t = static_cast<std::time_t>(floor_div(ms, 1000));
    std::tm local{};
    if (!localtime_r(&t, &local)) return 0;
    return static_cast<int>(local.tm_gmtoff / 60);   // the browser's zone in wasm (JS Date)
}

FixedClock::FixedClock(std::string_view iso) {
    auto ms = parse_iso_ms(iso);
    if (!ms) std::abort();
    ms_ = *ms;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int64_t era = floor_div(y, 400);
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const int64_t era = floor_div(z, 146097);
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

std::optional<int64_t> parse_date(std::string_view s) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    int64_t days = days_from_civil(y, m, d);
    int yy, mm, dd;
    civil_from_days(days, yy, mm, dd);
    if (mm != m || dd != d) return std::nullopt;  // e.g. 2023-02-30
    return days;
}

std::optional<int64_t> parse_iso_ms(std::string_view s) {
    auto day = parse_date(s);
    if (!day) return std::nullopt;
    if (s.size() == 10) return *day * kDayMs;
    // 'T' or ' ' separator; seconds, '.mmm' and the final 'Z' optional (always UTC).
    if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
    int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = 0, ms = 0;
    size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        se = digits(s, 17, 2);
        pos = 19;
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return std::nullopt;
    if (pos < s.size() && s[pos] == '.') {
        ms = digits(s, pos + 1, 3);
        if (ms < 0) return std::nullopt;
        pos += 4;
    }
    if (pos < s.size() && s[pos] == 'Z') ++pos;
    if (pos != s.size()) return std::nullopt;
    return *day * kDayMs + ((h * 60 + mi) * 60 + se) * 1000LL + ms;
}

// Digits written by hand, not with snprintf: every write stamps a time and an HLC, and
// formatting them with snprintf was a tenth of an import's row writes.
static char* put_digits(char* p, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
    return p + width;
}

static char* put_date(char* p, int64_t days) {
    int y, m, d;
    civil_from_days(days, y, m, d);
    if (y < 0 || y > 9999) return p + std::snprintf(p, 16, "%04d-%02d-%02d", y, m, d);  // never in practice
    p = put_digits(p, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

std::string format_date(int64_t days) {
    char buf[24];
    return std::string(buf, put_date(buf, days));
}

static std::string format_time(int64_t ms, bool millis) {
    int64_t day = floor_div(ms, kDayMs);
    int64_t rest = ms - day * kDayMs;
    char buf[48];
    char* p = put_date(buf, day);
    *p++ = 'T';
    p = put_digits(p, static_cast<int>(rest / 3'600'000), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<int>(rest / 60'000 % 60), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<int>(rest / 1000 % 60), 2);
    if (millis) {
        *p++ = '.';
        p = put_digits(p, static_cast<int>(rest % 1000), 3);
    }
    *p++ = 'Z';
    return std::string(buf, p);
}

std::string format_iso(int64_t ms) { return format_time(ms, false); }
std::string format_iso_ms(int64_t ms) { return format_time(ms, true); }

int weekday(int64_t days) {
    // 1970-01-01 was a Thursday (3 when Monday = 0).
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

int64_t add_working_days(int64_t days, int n) {
    while (n > 0) {
        ++days;
        if (weekday(days) < 5) --n;
    }
    return days;
}

// ---- HLC ---------------------------------------------------------------------------------

std::string HlcStamp::str() const {
    std::string out = format_iso_ms(ms);
    out.reserve(out.size() + 6 + device.size());
    out += '-';
    for (int shift = 12; shift >= 0; shift -= 4) out += "0123456789abcdef"[(counter >> shift) & 15];
    out += '-';
    return out += device;
}

std::optional<HlcStamp> parse_hlc(std::string_view s) {
    // 24 chars of time, '-', 4 hex, '-', device
    if (s.size() < 31 || s[24] != '-' || s[29] != '-') return std::nullopt;
    auto ms = parse_iso_ms(s.substr(0, 24));
    if (!ms) return std::nullopt;
    uint32_t c = 0;
    for (size_t i = 25; i < 29; ++i) {
        char ch = s[i];
        int v = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
        if (v < 0) return std::nullopt;
        c = c * 16 + static_cast<uint32_t>(v);
    }
    return HlcStamp{*ms, c, std::string(s.substr(30))};
}

std::string Hlc::tick(int64_t wall_ms) {
    if (wall_ms > last_.ms) {
        last_.ms = wall_ms;
        last_.counter = 0;
    } else if (last_.counter >= 0xffff) {
        // Counter exhausted within one millisecond: borrow the next millisecond.
        ++last_.ms;
        last_.counter = 0;
    } else {
        ++last_.counter;
    }
    last_.device = device_;
    return last_.str();
}

void Hlc::observe(const HlcStamp& r) {
    if (r.ms > last_.ms || (r.ms == last_.ms && r.counter > last_.counter)) {
        last_.ms = r.ms;
        last_.counter = r.counter;
    }
}

}  // namespace crm
