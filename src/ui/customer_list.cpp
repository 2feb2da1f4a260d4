#include "ui/customer_list.h"

#include <algorithm>
#include <chrono>

namespace crm::ui {
namespace {
double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}
constexpr size_t kRowsPerSlice = 16;  // between two looks at the clock: a slice of a search is ~0.5 ms
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

Status CustomerList::step_order(double until) {
    const std::string sort = (filter_.descending ? "-" : "") + filter_.sort;
    if (order_changes_ == ws_->change_count() && order_sort_ == sort && !order_run_) return {};
    if (!order_run_ || order_sort_ != sort || order_changes_ != ws_->change_count()) {
        order_run_.reset();
        CustomerFilter all;
        all.sort = filter_.sort;
        all.descending = filter_.descending;
        auto run = CustomerQueryRun::start(*ws_, all);
        if (!run) return run.error();
        order_run_.emplace(std::move(*run));
        order_sort_ = sort;
        order_changes_ = ws_->change_count();
    }
    for (;;) {
        auto done = order_run_->step(kRowsPerSlice);
        if (!done) {
            order_run_.reset();
            order_changes_ = -1;
            return done.error();
        }
        if (*done) break;
        if (now_ms() >= until) return {};
    }
    order_ = std::move(order_run_->rowids());
    order_run_.reset();
    // Rowids are dense (SQLite numbers rows one after another): a vector indexed by rowid,
    // unless some are far apart, then a map.
    int64_t top = 0;
    for (int64_t r : order_) top = std::max(top, r);
    rank_.clear();
    rank_map_.clear();
    const bool dense = top < 0 || static_cast<size_t>(top) <= 4 * order_.size() + 4096;
    if (dense) rank_.assign(static_cast<size_t>(std::max<int64_t>(top, 0)) + 1, 0);
    for (size_t i = 0; i < order_.size(); ++i) {
        const auto rank = static_cast<uint32_t>(i + 1);
        if (dense) rank_[static_cast<size_t>(order_[i])] = rank;
        else rank_map_[order_[i]] = rank;
    }
    return {};
}

// The matches in the list's order: marked by their place in order_, read off in one pass.
void CustomerList::compose() {
    std::vector<int64_t>& matches = run_->rowids();
    std::vector<char> marked(order_.size(), 0);
    for (int64_t r : matches) {
        uint32_t rank = 0;
        if (r >= 0 && static_cast<size_t>(r) < rank_.size()) rank = rank_[static_cast<size_t>(r)];
        else if (auto it = rank_map_.find(r); it != rank_map_.end()) rank = it->second;
        if (rank) marked[rank - 1] = 1;
    }
    matches.clear();
    for (size_t i = 0; i < order_.size(); ++i)
        if (marked[i]) matches.push_back(order_[i]);
}

Status CustomerList::refresh(double budget_ms) {
    if (!ws_) return {};
    const double until = now_ms() + budget_ms;
    // Data written since the running query began: its answer may be stale, start again.
    if (run_ && ws_->change_count() != run_changes_) dirty_ = true;
    if (dirty_) {
        dirty_ = false;
        run_.reset();  // its statement first, then a new one
        auto run = CustomerQueryRun::start(*ws_, filter_, /*ordered=*/!filtered());
        if (!run) return run.error();
        run_.emplace(std::move(*run));
        run_changes_ = ws_->change_count();
    }
    if (run_) {
        Status order = filtered() ? step_order(until) : Status{};
        if (!order) {
            run_.reset();
            return order;
        }
        bool done = run_->done();
        while (!done && now_ms() < until) {
            auto step = run_->step(kRowsPerSlice);
            if (!step) {
                run_.reset();
                return step.error();
            }
            done = *step;
        }
        const bool ordered = !filtered() || (!order_run_ && order_changes_ == ws_->change_count());
        // Composing 100k places costs a millisecond: in the next frame when this one is spent.
        if (done && ordered && (!filtered() || now_ms() < until)) {
            if (filtered()) compose();
            rowids_ = std::move(run_->rowids());
            rows_.clear();
            run_.reset();
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
