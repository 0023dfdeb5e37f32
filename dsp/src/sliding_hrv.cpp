#include "relaxmon/dsp/sliding_hrv.hpp"

#include <vector>

namespace relaxmon::dsp {

SlidingHrv::SlidingHrv(Params p) : p_(p), rolling_(p.time_window_s) {}

bool SlidingHrv::push(double t_s, double rr_ms, bool follows_gap) {
    rolling_.push(t_s, rr_ms, follows_gap);
    values_.time = rolling_.values();
    t_.push_back(t_s);
    rr_.push_back(rr_ms);
    gap_.push_back(follows_gap ? 1 : 0);
    while (!t_.empty() && t_.front() <= t_s - p_.spectrum_window_s) {
        t_.pop_front();
        rr_.pop_front();
        gap_.pop_front();
    }
    if (last_spectrum_s_ && t_s - *last_spectrum_s_ < p_.spectrum_every_s) return false;
    if (t_.back() - t_.front() < p_.min_spectrum_span_s) return false;
    refresh_spectrum(t_s);
    return true;
}

void SlidingHrv::refresh_spectrum(double now_s) {
    last_spectrum_s_ = now_s;
    // Across a gap the spline would invent beats: use only the stretch since the last gap when
    // it is long enough, otherwise skip this refresh.
    std::size_t from = 0;
    for (std::size_t i = gap_.size(); i-- > 1;)
        if (gap_[i]) {
            from = i;
            break;
        }
    const std::vector<double> t(t_.begin() + static_cast<std::ptrdiff_t>(from), t_.end());
    const std::vector<double> rr(rr_.begin() + static_cast<std::ptrdiff_t>(from), rr_.end());
    values_.spectrum_t_s = now_s;
    const auto fd = t.size() >= 2 && t.back() - t.front() >= p_.min_spectrum_span_s
                        ? hrv_frequency(t, rr, p_.frequency)
                        : std::nullopt;
    if (!fd) {
        values_.lf_ms2 = values_.hf_ms2 = values_.lf_hf = values_.resp_rate_bpm = std::nullopt;
        values_.resp_confident = false;
        return;
    }
    values_.lf_ms2 = fd->lf_ms2;
    values_.hf_ms2 = fd->hf_ms2;
    values_.lf_hf = fd->lf_hf;
    values_.resp_rate_bpm = fd->resp_rate_bpm;
    values_.resp_confident = fd->resp_confident;
}

}  // namespace relaxmon::dsp
