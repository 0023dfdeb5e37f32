#include "relaxmon/dsp/sliding_hrv.hpp"

#include <vector>

namespace relaxmon::dsp {

SlidingHrv::SlidingHrv(Params p) : p_(p), rolling_(p.time_window_s) {}

void SlidingHrv::amend_last(double rr_ms) {
    if (rr_.empty()) return;
    rolling_.amend_last(rr_ms);
    values_.time = rolling_.values();
    rr_.back() = rr_ms;
}

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
    if (t_.back() - t_.front() < p_.min_spectrum_span_s) return false;
    const auto due = [t_s](std::optional<double>& last, double every_s) {
        if (last && t_s - *last < every_s) return false;
        last = t_s;
        return true;
    };
    const bool long_due =
        t_s >= seen_from_s_ - p_.spectrum_window_s && due(last_long_s_, p_.spectrum_every_s);
    const bool short_due = due(last_short_s_, p_.short_every_s);
    const bool coherence_due =
        t_s >= seen_from_s_ - p_.coherence_window_s && due(last_coherence_s_, p_.coherence_every_s);
    if (!long_due && !short_due && !coherence_due) return false;
    const std::size_t from = after_last_gap();
    if (long_due) {
        values_.spectrum_t_s = t_s;
        refresh_long(from);
    }
    if (short_due) refresh_short(from);
    if (coherence_due) refresh_coherence(from);
    return long_due;
}

std::size_t SlidingHrv::after_last_gap() const {
    // Across a gap the spline would invent beats: use only the stretch since the last gap.
    for (std::size_t i = gap_.size(); i-- > 1;)
        if (gap_[i]) return i;
    return 0;
}

std::optional<FrequencyDomain> SlidingHrv::spectrum_of_tail(double span_s, std::size_t from,
                                                            bool confidence_read) const {
    const double now = t_.back();
    while (from < t_.size() && t_[from] <= now - span_s) ++from;
    if (t_.size() - from < 2 || now - t_[from] < std::min(span_s, p_.min_spectrum_span_s) * 0.9)
        return std::nullopt;
    const std::vector<double> t(t_.begin() + static_cast<std::ptrdiff_t>(from), t_.end());
    const std::vector<double> rr(rr_.begin() + static_cast<std::ptrdiff_t>(from), rr_.end());
    FrequencyOptions o = p_.frequency;
    o.check_against_count = confidence_read;
    return hrv_frequency(t, rr, o);
}

void SlidingHrv::refresh_long(std::size_t from) {
    const auto fd = spectrum_of_tail(p_.spectrum_window_s, from);
    values_.psd_ms2_per_hz.reset();
    if (fd) {
        auto pts = std::make_shared<std::vector<std::pair<float, float>>>();
        for (Eigen::Index i = 0; i < fd->psd.f_hz.size() && fd->psd.f_hz(i) <= 0.5; ++i)
            pts->emplace_back(static_cast<float>(fd->psd.f_hz(i)),
                              static_cast<float>(fd->psd.psd(i)));
        values_.psd_ms2_per_hz = std::move(pts);
    }
    values_.lf_ms2 = fd ? std::optional(fd->lf_ms2) : std::nullopt;
    values_.hf_ms2 = fd ? std::optional(fd->hf_ms2) : std::nullopt;
    values_.lf_hf = fd ? fd->lf_hf : std::nullopt;
    values_.resp_rate_bpm = fd ? fd->resp_rate_bpm : std::nullopt;
    values_.resp_confident = fd && fd->resp_confident;
    values_.hf_interpretable = !fd || fd->hf_interpretable;
}

void SlidingHrv::refresh_short(std::size_t from) {
    ShortSpectrum s{t_.back(), {}, {}, {}};
    while (replayed_ < replay_.size() && replay_[replayed_].t_s < s.t_s) ++replayed_;
    if (replayed_ < replay_.size() && replay_[replayed_].t_s == s.t_s) {
        s = replay_[replayed_++];
    } else {
        // Its peak's frequency is read, not whether it is sure.
        const auto sd = spectrum_of_tail(p_.short_window_s, from, false);
        s.resp_rate_bpm = sd ? sd->resp_rate_bpm : std::nullopt;
        s.hf_ms2 = sd ? std::optional(sd->hf_ms2) : std::nullopt;
        if (sd && sd->resp_rate_bpm) {
            const double f = *sd->resp_rate_bpm / 60.0;
            s.rsa_power_ms2 = band_power(sd->psd, f - 0.03, f + 0.03);
        }
        if (record_) record_->push_back(s);
    }
    values_.resp_rate_short_bpm = s.resp_rate_bpm;
    values_.hf_short_ms2 = s.hf_ms2;
    values_.rsa_power_ms2 = s.rsa_power_ms2;
}

void SlidingHrv::refresh_coherence(std::size_t from) {
    values_.coherence.reset();
    values_.resp_rate_64s_bpm.reset();
    if (const auto cd = spectrum_of_tail(p_.coherence_window_s, from)) {
        // Only a clear peak: over 64 s a harmonic of slow breathing can outgrow it.
        if (cd->resp_confident) values_.resp_rate_64s_bpm = cd->resp_rate_bpm;
        if (const auto peak = peak_frequency(cd->psd, 0.04, 0.26)) {
            const double in_peak = band_power(cd->psd, *peak - 0.015, *peak + 0.015);
            const double total = band_power(cd->psd, 0.0033, 0.4);
            if (total > in_peak && in_peak > 0.0) values_.coherence = in_peak / (total - in_peak);
        }
    }
}

std::optional<double> steady_spectral_rate_bpm(const SlidingHrv::Values& v) {
    if (!v.resp_rate_bpm || !v.resp_confident) return std::nullopt;
    // The last 2 minutes' peak, where there is one, within a tenth of it: a 5-min window still
    // reaching back over a change of rate is not steady. (A tenth: a 2-min spectrum places a
    // 15/min peak to about half a breath a minute.)
    const bool short_agrees =
        v.resp_rate_short_bpm && std::abs(*v.resp_rate_short_bpm / *v.resp_rate_bpm - 1.0) <= 0.1;
    if (v.resp_rate_short_bpm && !short_agrees) return std::nullopt;
    if (v.resp_rate_64s_bpm && std::abs(*v.resp_rate_bpm - *v.resp_rate_64s_bpm) <= 1.0)
        return v.resp_rate_bpm;
    // Slow breathing: 64 s hold too few breaths for a peak of their own; the 2-min peak (six
    // breaths at 3/min) is the check instead.
    if (*v.resp_rate_bpm < kSlowSpectralBreathing_bpm && short_agrees) return v.resp_rate_bpm;
    return std::nullopt;
}

}  // namespace relaxmon::dsp
