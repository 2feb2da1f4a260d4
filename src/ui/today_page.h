// What Today shows, read when the workspace changes (Workspace::change_count) or the day
// turns, not on every frame: the next actions due, and the customers left without contact.
// Reads through core only; never writes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/interactions.h"

namespace crm::ui {

constexpr int kStaleDays = 14;       // a customer being won should hear from us within two weeks
constexpr size_t kStaleShown = 20;
constexpr size_t kDueShown = 100;    // a list, not a report: the counts say how many more

struct TodayPage {
    std::optional<Error> error;
    DueActions due;                    // the user's first
    std::vector<StaleCustomer> stale;  // the user's, longest without contact first
    std::vector<std::string> stale_dates;  // their last contact, the user's date
    size_t reads = 0;                  // how often it was (re)read, for tests

    void load(Workspace& ws);
    void forget() { *this = TodayPage{}; }

private:
    int64_t seen_changes_ = -1;
    std::string seen_day_;
};

}  // namespace crm::ui
