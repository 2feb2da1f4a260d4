// Time for the core: an injectable wall clock (FixedClock in tests), calendar arithmetic on
// 'YYYY-MM-DD' dates and ISO-8601 UTC times, and the hybrid logical clock stamping sync
// changes. All stored times are UTC. The user's calendar day and the times they read are in
// their own time zone, which only SystemClock asks the platform for (FixedClock is told).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t now_ms() const = 0;     // Unix epoch milliseconds, UTC
    // The user's offset from UTC in minutes at time `ms` (China: +480).
    virtual int utc_offset_min(int64_t ms) const { (void)ms; return 0; }
    std::string now_iso() const;            // 'YYYY-MM-DDTHH:MM:SSZ'
    std::string today() const;              // the user's date, 'YYYY-MM-DD'
    // A stored UTC time as the user reads it, in their time zone: 'YYYY-MM-DD HH:MM', or
    // just its date. A bare date, or text that is not a time, comes back unchanged.
    std::string local_minute(std::string_view iso) const;
    std::string local_date(std::string_view iso) const;
};

class SystemClock : public Clock {
public:
    int64_t now_ms() const override;
    int utc_offset_min(int64_t ms) const override;   // the C library's local time zone
};

// A clock that only moves when told to: for tests and reproducible seeding.
class FixedClock : public Clock {
public:
    explicit FixedClock(int64_t ms) : ms_(ms) {}
    explicit FixedClock(std::string_view iso);  // aborts on a malformed literal (tests only)
    int64_t now_ms() const override { return ms_; }
    int utc_offset_min(int64_t) const override { return offset_min_; }
    void set(int64_t ms) { ms_ = ms; }
    void advance_ms(int64_t ms) { ms_ += ms; }
    void set_utc_offset_min(int minutes) { offset_min_ = minutes; }
private:
    int64_t ms_;
    int offset_min_ = 0;
};

// ---- calendar (proleptic Gregorian, day 0 = 1970-01-01) ----
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int& y, int& m, int& d);
std::optional<int64_t> parse_date(std::string_view ymd);     // 'YYYY-MM-DD' -> day number
// Accepts 'YYYY-MM-DDTHH:MM[:SS[.mmm]][Z]' ('T' or ' '), always read as UTC, or a bare
// date (midnight).
std::optional<int64_t> parse_iso_ms(std::string_view iso);
std::string format_date(int64_t days);
std::string format_iso(int64_t ms);       // 'YYYY-MM-DDTHH:MM:SSZ'
std::string format_iso_ms(int64_t ms);    // 'YYYY-MM-DDTHH:MM:SS.mmmZ'
int weekday(int64_t days);                // 0 = Monday ... 6 = Sunday
// The date n working days (Mon-Fri) after `days` (n >= 0; n = 0 returns days itself).
int64_t add_working_days(int64_t days, int n);

// ---- hybrid logical clock ----
// Stamps are strings that sort in causal order: 'YYYY-MM-DDTHH:MM:SS.mmmZ-CCCC-<device>'
// with CCCC a 4-hex-digit counter and device the 16-hex device id. A stamp never goes
// backwards even if the wall clock does.
struct HlcStamp {
    int64_t ms = 0;
    uint32_t counter = 0;
    std::string device;
    std::string str() const;
};
std::optional<HlcStamp> parse_hlc(std::string_view s);

class Hlc {
public:
    explicit Hlc(std::string device) : device_(std::move(device)) {}
    std::string tick(int64_t wall_ms);          // next local stamp
    void observe(const HlcStamp& remote);       // merge a stamp seen from elsewhere
    const HlcStamp& last() const { return last_; }
private:
    std::string device_;
    HlcStamp last_;
};

}  // namespace crm
