#include "session/summary_stretches.hpp"

#include <cstdint>

#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::session {

void SummaryStretches::beat(double t_s, double rr_corrected_ms, bool follows_gap) {
    const Kept k{t_s, rr_corrected_ms, follows_gap};
    if (first_.empty() ||
        k.t_s <= first_.front().t_s - first_.front().rr_corrected_ms / 1000.0 + kStretch_s)
        first_.push_back(k);
    last_.push_back(k);
    while (last_.front().t_s < k.t_s - kStretch_s - 1.0) last_.pop_front();
}

void SummaryStretches::fill(SessionSummary& s, double now_s) const {
    auto stretch = [](const auto& kept, double from_s, double to_s) {
        std::vector<double> rr;
        std::vector<std::uint8_t> follows_gap;
        for (const Kept& k : kept)
            if (k.t_s > from_s && k.t_s <= to_s) {
                rr.push_back(k.rr_corrected_ms);
                follows_gap.push_back(k.follows_gap ? 1 : 0);
            }
        return dsp::hrv_time(rr, follows_gap);
    };
    if (first_.empty()) return;
    // From the start of the first beat's interval.
    const double start = first_.front().t_s - first_.front().rr_corrected_ms / 1000.0;
    if (auto a = stretch(first_, start - 1e-9, start + kStretch_s)) {
        s.first5_mean_hr_bpm = a->mean_hr_bpm;
        s.first5_rmssd_ms = a->rmssd_ms;
    }
    if (auto b = stretch(last_, now_s - kStretch_s, now_s)) {
        s.last5_mean_hr_bpm = b->mean_hr_bpm;
        s.last5_rmssd_ms = b->rmssd_ms;
    }
}

}  // namespace relaxmon::session
