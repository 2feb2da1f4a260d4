#include "ui/customer_list.h"

#include <chrono>

namespace crm::ui {
namespace {
double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}
constexpr size_t kRowsPerSlice = 256;  // between two looks at the clock
}  // namespace

void CustomerList::set_query(std::string query) {
    if (query == filter_.text) return;
    filter_.text = std::move(query);
    dirty_ = true;
}

void CustomerList::set_filter(CustomerFilter filter) {
    filter_ = std::move(filter);
    dirty_ = true;
}

Status CustomerList::refresh(double budget_ms) {
    if (!ws_) return {};
    // Data written since the running query began: its answer may be stale, start again.
    if (run_ && ws_->change_count() != run_changes_) dirty_ = true;
    if (dirty_) {
        dirty_ = false;
        run_.reset();  // its statement first, then a new one
        auto run = CustomerQueryRun::start(*ws_, filter_);
        if (!run) return run.error();
        run_.emplace(std::move(*run));
        run_changes_ = ws_->change_count();
    }
    if (run_) {
        const double until = now_ms() + budget_ms;
        for (;;) {
            auto done = run_->step(kRowsPerSlice);
            if (!done) {
                run_.reset();
                return done.error();
            }
            if (*done) {
                rowids_ = std::move(run_->rowids());
                rows_.clear();
                run_.reset();
                break;
            }
            if (now_ms() >= until) break;
        }
    }
    // "N of M": counted again only when something was written.
    if (ws_->change_count() != total_changes_) {
        auto total = count_customers(*ws_);
        if (!total) return total.error();
        total_ = static_cast<size_t>(*total);
        total_changes_ = ws_->change_count();
    }
    return {};
}

const Customer* CustomerList::at(size_t index) {
    if (index >= rowids_.size() || !ws_) return nullptr;
    auto it = rows_.find(rowids_[index]);
    if (it != rows_.end()) return &it->second;
    if (rows_.size() > 2000) rows_.clear();  // only the rows near the screen are needed
    auto c = customer_by_rowid(*ws_, rowids_[index]);
    if (!c) return nullptr;
    return &rows_.emplace(rowids_[index], std::move(*c)).first->second;
}

}  // namespace crm::ui
