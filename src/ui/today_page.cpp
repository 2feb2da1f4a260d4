#include "ui/today_page.h"

namespace crm::ui {

void TodayPage::load(Workspace& ws) {
    const std::string today = ws.today();
    if (ws.change_count() == seen_changes_ && today == seen_day_) return;
    const size_t n = reads;
    forget();
    reads = n + 1;
    seen_changes_ = ws.change_count();
    seen_day_ = today;
    const std::string& me = ws.device().user;
    auto due_now = due_next_actions(ws, me, today, kDueShown);
    auto quiet = stale_customers(ws, me, today, kStaleDays, kStaleShown);
    if (!due_now || !quiet) {
        error = due_now ? quiet.error() : due_now.error();
        return;
    }
    due = std::move(*due_now);
    stale = std::move(*quiet);
    for (const StaleCustomer& s : stale) stale_dates.push_back(ws.clock().local_date(s.last_contact));
}

}  // namespace crm::ui
