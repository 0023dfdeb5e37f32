#include "relaxmon/dsp/rolling_hrv.hpp"

#include <algorithm>
#include <cmath>

#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::dsp {

namespace {
constexpr std::size_t kRebuildEvery = 512;
}

RollingHrv::RollingHrv(double window_s, std::size_t min_beats)
    : window_s_(window_s), min_beats_(min_beats < 2 ? 2 : min_beats) {}

void RollingHrv::clear() {
    beats_.clear();
    sum_ = sum_sq_ = sum_diff_sq_ = 0.0;
    diffs_ = 0;
    pushes_since_rebuild_ = 0;
}

void RollingHrv::push(double t_s, double rr_ms, bool follows_gap) {
    if (beats_.empty()) ref_ms_ = rr_ms;
    Beat b{t_s, rr_ms, false, 0.0};
    if (!beats_.empty() && !follows_gap) {
        const double d = rr_ms - beats_.back().rr_ms;
        b.has_diff = true;
        b.diff_sq = d * d;
    }
    beats_.push_back(b);
    const double x = rr_ms - ref_ms_;
    sum_ += x;
    sum_sq_ += x * x;
    if (b.has_diff) {
        sum_diff_sq_ += b.diff_sq;
        ++diffs_;
    }
    evict_older_than(t_s - window_s_);
    if (++pushes_since_rebuild_ >= kRebuildEvery) rebuild_sums();
}

void RollingHrv::amend_last(double rr_ms) {
    if (beats_.empty()) return;
    Beat& b = beats_.back();
    const double old_x = b.rr_ms - ref_ms_, new_x = rr_ms - ref_ms_;
    sum_ += new_x - old_x;
    sum_sq_ += new_x * new_x - old_x * old_x;
    b.rr_ms = rr_ms;
    if (b.has_diff) {
        const double d = rr_ms - beats_[beats_.size() - 2].rr_ms;
        sum_diff_sq_ += d * d - b.diff_sq;
        b.diff_sq = d * d;
    }
}

void RollingHrv::evict_older_than(double t_min_s) {
    while (!beats_.empty() && beats_.front().t_s <= t_min_s) {
        const double x = beats_.front().rr_ms - ref_ms_;
        sum_ -= x;
        sum_sq_ -= x * x;
        beats_.pop_front();
        // The new front's difference pointed at the beat that just left the window.
        if (!beats_.empty() && beats_.front().has_diff) {
            sum_diff_sq_ -= beats_.front().diff_sq;
            --diffs_;
            beats_.front().has_diff = false;
        }
    }
    if (beats_.empty()) clear();
}

void RollingHrv::rebuild_sums() {
    pushes_since_rebuild_ = 0;
    if (beats_.empty()) return;
    ref_ms_ = beats_.back().rr_ms;
    sum_ = sum_sq_ = sum_diff_sq_ = 0.0;
    diffs_ = 0;
    for (const Beat& b : beats_) {
        const double x = b.rr_ms - ref_ms_;
        sum_ += x;
        sum_sq_ += x * x;
        if (b.has_diff) {
            sum_diff_sq_ += b.diff_sq;
            ++diffs_;
        }
    }
}

RollingHrv::Values RollingHrv::values() const {
    Values v;
    v.beats = beats_.size();
    if (v.beats >= min_beats_) {
        const double n = static_cast<double>(v.beats);
        const double mean_shifted = sum_ / n;
        v.mean_hr_bpm = hr_from_rr_bpm(ref_ms_ + mean_shifted);
        const double var = (sum_sq_ - n * mean_shifted * mean_shifted) / (n - 1.0);
        v.sdnn_ms = std::sqrt(var > 0.0 ? var : 0.0);
    }
    if (diffs_ + 1 >= min_beats_ && diffs_ > 0)
        v.rmssd_ms = std::sqrt(std::max(0.0, sum_diff_sq_) / static_cast<double>(diffs_));
    return v;
}

}  // namespace relaxmon::dsp
