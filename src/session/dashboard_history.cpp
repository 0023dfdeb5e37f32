#include "session/dashboard_history.hpp"

#include <algorithm>

#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::session {

namespace {
float or_nan(std::optional<double> v) {
    return v ? static_cast<float>(*v) : std::nanf("");
}
}  // namespace

void DashboardHistory::gap_opens(double t_s) {
    if (!gap_open_since_) gap_open_since_ = t_s;
}

void DashboardHistory::beat(const Beat& b) {
    // A gap closes at the first beat after it (or a beat that follows one the strap lost).
    if (gap_open_since_) {
        gaps_.push_back({*gap_open_since_, b.t_s});
        session_gaps_.push_back(gaps_.back());
        gap_open_since_.reset();
    } else if (b.follows_gap && !tachogram_.empty()) {
        gaps_.push_back({tachogram_.back().t_s, b.t_s});
        session_gaps_.push_back(gaps_.back());
    }
    if (b.event) {
        if (b.event->kind == "relaxation_onset") relaxed_since_s_ = b.event->t_s;
        if (b.event->kind == "relaxation_end" && relaxed_since_s_) {
            relaxed_spans_.push_back({*relaxed_since_s_, b.event->t_s});
            relaxed_since_s_.reset();
        }
    }
    const double hr_bpm = dsp::hr_from_rr_bpm(b.rr_corrected_ms);
    add_to_session_trend(b.t_s, hr_bpm, b.relax_index, b.rmssd_ms);
    trend_.push_back({b.t_s, static_cast<float>(hr_bpm), or_nan(b.mean_hr_bpm), or_nan(b.rmssd_ms),
                      b.rsa_power_ms2 && *b.rsa_power_ms2 > 0.0
                          ? static_cast<float>(std::log(*b.rsa_power_ms2))
                          : NAN});
    tachogram_.push_back({b.t_s, static_cast<float>(b.rr_ms),
                          b.follows_gap ? dsp::ArtifactClass::none : b.artifact});
    trim(b.t_s);
}

void DashboardHistory::add_to_session_trend(double t, double hr_bpm,
                                            std::optional<double> relax_index,
                                            std::optional<double> rmssd_ms) {
    constexpr double kBucket_s = 5.0;
    if (!bucket_start_s_) bucket_start_s_ = t;
    bucket_hr_sum_ += hr_bpm;
    bucket_hr_min_ = std::min(bucket_hr_min_, static_cast<float>(hr_bpm));
    bucket_hr_max_ = std::max(bucket_hr_max_, static_cast<float>(hr_bpm));
    ++bucket_n_;
    if (t - *bucket_start_s_ < kBucket_s) return;
    constexpr std::size_t kChunk = 256;
    session_points_.tail.push_back({t, static_cast<float>(bucket_hr_sum_ / bucket_n_),
                                    bucket_hr_min_, bucket_hr_max_,
                                    relax_index ? static_cast<float>(*relax_index) : NAN,
                                    rmssd_ms ? static_cast<float>(*rmssd_ms) : NAN});
    if (session_points_.tail.size() == kChunk) {
        session_points_.chunks.push_back(
            std::make_shared<const std::vector<SessionPoint>>(std::move(session_points_.tail)));
        session_points_.tail.clear();
        session_points_.tail.reserve(kChunk);
    }
    session_points_shared_ = std::make_shared<const SessionTrend>(session_points_);
    bucket_start_s_ = t;
    bucket_hr_sum_ = 0.0;
    bucket_hr_min_ = INFINITY;
    bucket_hr_max_ = -INFINITY;
    bucket_n_ = 0;
}

void DashboardHistory::trim(double now_s) {
    const double oldest = now_s - kHistory_s;
    while (!trend_.empty() && trend_.front().t_s < oldest) trend_.pop_front();
    while (!tachogram_.empty() && tachogram_.front().t_s < oldest) tachogram_.pop_front();
    while (!gaps_.empty() && gaps_.front().end_s < oldest) gaps_.pop_front();
}

void DashboardHistory::ecg_samples(const devices::EcgBlock& block) {
    const double end_s = block.t0_s + static_cast<double>(block.samples_uv.size()) / block.fs_hz;
    for (std::size_t i = 0; i < block.samples_uv.size(); ++i)
        ecg_strip_.push_back(
            {block.t0_s + static_cast<double>(i) / block.fs_hz, block.samples_uv[i]});
    while (!ecg_strip_.empty() && ecg_strip_.front().t_s < end_s - kEcgStrip_s)
        ecg_strip_.pop_front();
}

void DashboardHistory::ecg_beat(double t_s, double newest_s) {
    ecg_strip_beats_.push_back(t_s);
    while (!ecg_strip_beats_.empty() && ecg_strip_beats_.front() < newest_s - kEcgStrip_s)
        ecg_strip_beats_.pop_front();
}

void DashboardHistory::fill(Snapshot& s, double now_s) const {
    s.history_s = kHistory_s;
    s.trend.assign(trend_.begin(), trend_.end());
    s.tachogram.assign(tachogram_.begin(), tachogram_.end());
    s.gaps.assign(gaps_.begin(), gaps_.end());
    if (gap_open_since_) s.gaps.push_back({*gap_open_since_, now_s});
    s.session_trend = session_points_shared_;
    s.ecg.assign(ecg_strip_.begin(), ecg_strip_.end());
    s.ecg_beats_s.assign(ecg_strip_beats_.begin(), ecg_strip_beats_.end());
    s.session_gaps = session_gaps_;
    if (gap_open_since_) s.session_gaps.push_back({*gap_open_since_, now_s});
    s.relaxed_spans = relaxed_spans_;
    if (relaxed_since_s_) s.relaxed_spans.push_back({*relaxed_since_s_, now_s});
}

}  // namespace relaxmon::session
