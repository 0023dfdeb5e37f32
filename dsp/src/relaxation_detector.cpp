#include "relaxmon/dsp/relaxation_detector.hpp"

#include <algorithm>
#include <cmath>

namespace relaxmon::dsp {

namespace {
constexpr double kClipZ = 4.0;
constexpr double kMadToSd = 1.4826;
constexpr std::size_t kMinBaselineSamples = 30;
constexpr double kKeep_s = 900.0;         // features kept for a baseline to be learnt
constexpr double kRelaxedSample_s = 5.0;  // the relaxed phase's summary sampling

double median_of(std::vector<double> v) {
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// Medians of each feature over some phase's samples.
template <class Range, class Get>
RelaxSummary::Phase phase_medians(const Range& samples, Get get) {
    RelaxSummary::Phase p;
    std::vector<double> hr, rmssd, resp, rsa;
    for (const auto& x : samples) {
        const std::optional<RelaxSummary::Phase> s = get(x);
        if (!s) continue;
        if (s->hr_bpm) hr.push_back(*s->hr_bpm);
        if (s->rmssd_ms) rmssd.push_back(*s->rmssd_ms);
        if (s->resp_rate_bpm) resp.push_back(*s->resp_rate_bpm);
        if (s->rsa_power_ms2) rsa.push_back(*s->rsa_power_ms2);
    }
    auto med = [](std::vector<double>& v) {
        return v.empty() ? std::nullopt : std::optional<double>(median_of(v));
    };
    p.hr_bpm = med(hr);
    p.rmssd_ms = med(rmssd);
    p.resp_rate_bpm = med(resp);
    p.rsa_power_ms2 = med(rsa);
    return p;
}

RelaxSummary::Phase phase_sample(const RelaxFeatures& f) {
    return {f.hr_bpm, f.rmssd_report_ms ? f.rmssd_report_ms : f.rmssd_ms, f.resp_rate_bpm,
            f.rsa_power_ms2};
}

std::optional<double> ln(std::optional<double> v) {
    if (!v || *v <= 0.0) return std::nullopt;
    return std::log(*v);
}
}  // namespace

std::string_view relax_state_name(RelaxState s) {
    switch (s) {
        case RelaxState::baseline:
            return "baseline";
        case RelaxState::neutral:
            return "neutral";
        case RelaxState::relaxing:
            return "relaxing";
        case RelaxState::relaxed:
            return "relaxed";
        case RelaxState::aroused:
            return "aroused";
    }
    return "neutral";
}

bool RelaxationDetector::learn_baseline(double from_s, double to_s) {
    auto stat = [&](auto get, double floor) {
        std::vector<double> v;
        for (const auto& f : recent_)
            if (f.usable && f.t_s >= from_s && f.t_s <= to_s)
                if (const auto x = get(f)) v.push_back(*x);
        Stat s;
        if (v.size() < kMinBaselineSamples) return s;
        s.median = median_of(v);
        for (double& x : v) x = std::abs(x - s.median);
        s.scale = std::max(kMadToSd * median_of(v), floor);
        s.valid = true;
        return s;
    };
    hr_ = stat([](const RelaxFeatures& f) { return f.hr_bpm; }, p_.hr_floor_bpm);
    ln_rmssd_ = stat([](const RelaxFeatures& f) { return ln(f.rmssd_ms); }, p_.ln_rmssd_floor);
    ln_rsa_amplitude_ = stat([](const RelaxFeatures& f) { return ln(f.rsa_amplitude_ms); },
                             p_.ln_rsa_amplitude_floor);
    ln_rsa_power_ =
        stat([](const RelaxFeatures& f) { return ln(f.rsa_power_ms2); }, p_.ln_rsa_power_floor);
    resp_ = stat([](const RelaxFeatures& f) { return f.resp_rate_bpm; }, p_.resp_floor_bpm);
    if (!hr_.valid || !ln_rmssd_.valid) return false;
    baseline_from_s_ = from_s;
    baseline_to_s_ = to_s;
    baseline_phase_ = phase_medians(recent_, [&](const RelaxFeatures& f) {
        return f.usable && f.t_s >= from_s && f.t_s <= to_s
                   ? std::optional<RelaxSummary::Phase>(phase_sample(f))
                   : std::nullopt;
    });
    return true;
}

std::optional<RelaxationDetector::Score> RelaxationDetector::score(const RelaxFeatures& f) const {
    double sum = 0.0, sum_sq = 0.0, weights = 0.0, zmin = 1e9;
    double wide_sum = 0.0, wide_sum_sq = 0.0;  // the index's, clipped at index_clip_z
    int features = 0;
    auto add = [&](const Stat& s, std::optional<double> x, double w, double sign) {
        if (!s.valid || !x) return false;
        const double wide =
            sign * std::clamp((*x - s.median) / s.scale, -p_.index_clip_z, p_.index_clip_z);
        const double z = std::clamp(wide, -kClipZ, kClipZ);
        sum += w * z;
        sum_sq += w * z * z;
        wide_sum += w * wide;
        wide_sum_sq += w * wide * wide;
        zmin = std::min(zmin, z);
        weights += w;
        ++features;
        return true;
    };
    const bool has_hr = add(hr_, f.hr_bpm, p_.w_hr, -1.0);
    const bool has_rmssd = add(ln_rmssd_, ln(f.rmssd_ms), p_.w_rmssd, +1.0);
    add(ln_rsa_amplitude_, ln(f.rsa_amplitude_ms), p_.w_rsa, +1.0);
    add(resp_, f.resp_rate_bpm, p_.w_resp, -1.0);
    if (!has_hr || !has_rmssd || !(weights > 0.0)) return std::nullopt;  // HR and RMSSD at least
    // No more relaxed than the heart rate allows: at baseline heart rate the score tops out at
    // the margin (index 71); 10 bpm above baseline it reads below 50, whatever breathing does.
    const double hr_z = -(*f.hr_bpm - hr_.median) / hr_.scale;
    const double z_hr = std::clamp(hr_z, -kClipZ, kClipZ);
    const double raw_mean = sum / weights;
    const double mean = std::min(raw_mean, z_hr + p_.hr_score_margin);
    const double concordant =
        std::min((1.0 - p_.concordance) * mean + p_.concordance * std::min(mean, zmin),
                 z_hr + p_.onset_hr_margin);
    // The index's score: the same, with room above (a deeper relaxation reads higher).
    const double wide_raw = wide_sum / weights;
    const double wide_hr = std::clamp(hr_z, -p_.index_clip_z, p_.index_clip_z);
    const double index_mean = std::min(wide_raw, wide_hr + p_.hr_score_margin);
    const double spread = std::sqrt(std::max(0.0, wide_sum_sq / weights - wide_raw * wide_raw));
    return Score{mean, concordant, index_mean, spread / std::sqrt(static_cast<double>(features))};
}

void RelaxationDetector::hold_auto_baseline_until(double t_s) {
    if (baseline_ready_) return;
    auto_from_s_ = std::max(auto_from_s_.value_or(p_.settle_s), t_s);
    baseline_kind_ = "lying_still";
}

bool RelaxationDetector::set_baseline(double from_s, double to_s) {
    if (!learn_baseline(from_s, to_s)) return false;  // too little usable data: keep the old one
    baseline_ready_ = true;
    baseline_kind_ = "marked";
    if (state_ == RelaxState::relaxed && relaxed_since_s_ && !recent_.empty())
        relaxed_spans_.push_back({*relaxed_since_s_, last_t_s_});
    relaxed_since_s_.reset();
    state_ = RelaxState::neutral;
    c_up_ = c_end_ = c_down_ = c_recover_ = c_sustain_ = 0.0;
    evidence_since_s_.reset();
    first_onset_s_.reset();
    hr_high_since_s_.reset();
    hr_aroused_ = false;
    smoothed_score_.reset();  // a new baseline: the index starts from its own first score
    return true;
}

void RelaxationDetector::rereference(const Shift& shift, double turn_s) {
    if (!baseline_ready_) return;  // the baseline is still to come, in the new posture
    hr_.median += shift.hr_bpm;
    ln_rmssd_.median += shift.ln_rmssd;
    ln_rsa_amplitude_.median += shift.ln_rsa_amplitude;
    for (HeartSample& h : heart_window_) {
        if (h.t_s >= turn_s) break;
        h.hr_bpm += shift.hr_bpm;
        h.ln_rmssd += shift.ln_rmssd;
        heart_hr_sum_ += shift.hr_bpm;
        heart_ln_rmssd_sum_ += shift.ln_rmssd;
    }
}

void RelaxationDetector::push_heart(double t_s, double hr_bpm, double ln_rmssd) {
    heart_window_.push_back({t_s, hr_bpm, ln_rmssd});
    heart_hr_sum_ += hr_bpm;
    heart_ln_rmssd_sum_ += ln_rmssd;
    while (heart_window_.front().t_s < t_s - p_.contradiction_window_s) {
        heart_hr_sum_ -= heart_window_.front().hr_bpm;
        heart_ln_rmssd_sum_ -= heart_window_.front().ln_rmssd;
        heart_window_.pop_front();
    }
}

bool RelaxationDetector::contradicted() const {
    // Judged over (nearly) the whole window: the first minutes after a baseline say too little.
    if (heart_window_.empty() ||
        heart_window_.back().t_s - heart_window_.front().t_s < 0.8 * p_.contradiction_window_s)
        return false;
    const double n = static_cast<double>(heart_window_.size());
    return heart_hr_sum_ / n >= hr_.median + p_.contradiction_hr_bpm &&
           heart_ln_rmssd_sum_ / n < ln_rmssd_.median;
}

void RelaxationDetector::update_index(const Score& sc, double dt_s) {
    // Exponential smoothing over ~30 s: the index shows the trend, not each breath.
    const double a = smoothed_score_ ? 1.0 - std::exp(-dt_s / p_.index_tau_s) : 1.0;
    const double before = smoothed_score_.value_or(sc.index_mean);
    smoothed_score_ = before + a * (sc.index_mean - before);
    smoothed_se_ += a * (sc.standard_error - smoothed_se_);
    auto index = [&](double score) {
        return std::clamp(50.0 + 50.0 * std::tanh(score / p_.index_scale), 0.0, 100.0);
    };
    last_index_ = index(*smoothed_score_);
    last_index_pm_ =
        0.5 * (index(*smoothed_score_ + smoothed_se_) - index(*smoothed_score_ - smoothed_se_));
}

double RelaxationDetector::recent_mean_hr_bpm(double span_s) const {
    double sum = 0.0;
    std::size_t n = 0;
    for (auto it = heart_window_.rbegin();
         it != heart_window_.rend() && it->t_s >= heart_window_.back().t_s - span_s; ++it, ++n)
        sum += it->hr_bpm;
    return sum / static_cast<double>(n);
}

bool RelaxationDetector::overrule(const RelaxFeatures& f, Output& out) {
    // The heart's verdict, before the scores': a sustained rise of heart rate is arousal, and a
    // faster heart with less variability over 5 minutes is no relaxation.
    const double rise_bpm = *f.hr_bpm - hr_.median;
    if (rise_bpm >= p_.hr_arousal_bpm) {
        if (!hr_high_since_s_) hr_high_since_s_ = f.t_s;
        if (f.t_s - *hr_high_since_s_ >= p_.hr_arousal_s) hr_aroused_ = true;
    } else {
        hr_high_since_s_.reset();
        if (rise_bpm < p_.hr_recovered_bpm) hr_aroused_ = false;
    }
    const bool contradiction = contradicted();
    if (!hr_aroused_ && !contradiction) return false;
    if (state_ == RelaxState::relaxed) {
        relaxed_spans_.push_back({*relaxed_since_s_, f.t_s});
        relaxed_since_s_.reset();
        out.event = RelaxEvent{f.t_s, "relaxation_end",
                               hr_aroused_ ? "heart rate well above baseline"
                                           : "heart rate above and RMSSD below baseline"};
    }
    c_up_ = c_end_ = c_sustain_ = 0.0;
    evidence_since_s_.reset();
    if (hr_aroused_) {
        state_ = RelaxState::aroused;
        c_recover_ = 0.0;
    } else if (state_ != RelaxState::aroused) {
        state_ = RelaxState::neutral;
    }
    return true;
}

RelaxationDetector::Output RelaxationDetector::push(const RelaxFeatures& f) {
    recent_.push_back(f);
    last_t_s_ = f.t_s;
    while (recent_.front().t_s < f.t_s - kKeep_s) recent_.pop_front();
    Output out;
    if (!baseline_ready_) {
        const double from_s = std::max(p_.settle_s, auto_from_s_.value_or(p_.settle_s));
        if (f.t_s < from_s + p_.baseline_s || !learn_baseline(from_s, f.t_s))
            return out;  // still learning
        baseline_ready_ = true;
        state_ = RelaxState::neutral;
    }
    const auto sc = f.usable ? score(f) : std::nullopt;
    if (!sc) {  // a gap or artifacts: hold everything
        out.relax_index = last_index_;
        out.relax_index_pm = last_index_pm_;
        out.state = state_;
        return out;
    }
    const double* s = &sc->mean;
    out.score = sc->mean;
    const double dt = std::min(f.dt_s, p_.max_dt_s);
    update_index(*sc, dt);
    out.relax_index = last_index_;
    out.relax_index_pm = last_index_pm_;

    push_heart(f.t_s, *f.hr_bpm, *ln(f.rmssd_ms));
    if (!overrule(f, out)) {
        c_up_ = std::max(0.0, c_up_ + (sc->concordant - p_.k_up) * dt);
        c_sustain_ = std::max(0.0, c_sustain_ + (sc->concordant - p_.k_sustain) * dt);
        if (c_sustain_ <= 0.0)
            evidence_since_s_.reset();
        else if (!evidence_since_s_)
            evidence_since_s_ = f.t_s - dt;
        c_down_ = std::max(0.0, c_down_ + (-*s - p_.k_down) * dt);
        if (state_ == RelaxState::relaxed) {
            c_end_ = std::max(0.0, c_end_ + (p_.k_end - *s) * dt);
            if (c_end_ >= p_.h_end) {
                state_ = RelaxState::neutral;
                relaxed_spans_.push_back({*relaxed_since_s_, f.t_s});
                relaxed_since_s_.reset();
                c_end_ = c_up_ = c_sustain_ = 0.0;
                evidence_since_s_.reset();
                out.event = RelaxEvent{f.t_s, "relaxation_end", "relax index back near baseline"};
            }
        } else if (c_up_ >= p_.h_up && f.t_s - *evidence_since_s_ >= p_.sustain_s &&
                   sc->concordant > p_.k_up &&
                   recent_mean_hr_bpm(p_.onset_window_s) <= hr_.median + p_.onset_max_hr_rise_bpm) {
            state_ = RelaxState::relaxed;
            relaxed_since_s_ = f.t_s;
            if (!first_onset_s_) first_onset_s_ = f.t_s;
            c_up_ = c_end_ = c_down_ = c_sustain_ = 0.0;
            evidence_since_s_.reset();
            out.event =
                RelaxEvent{f.t_s, "relaxation_onset",
                           "heart rate, HRV and breathing show a sustained relaxation response"};
        } else if (state_ == RelaxState::aroused) {
            c_recover_ = std::max(0.0, c_recover_ + (*s + 0.5) * dt);
            if (c_recover_ >= p_.h_down) {
                state_ = RelaxState::neutral;
                c_recover_ = c_down_ = 0.0;
            }
        } else if (c_down_ >= p_.h_down) {
            state_ = RelaxState::aroused;
            c_recover_ = 0.0;
        } else {
            state_ = c_up_ > 0.0 ? RelaxState::relaxing : RelaxState::neutral;
        }
    }
    // The relaxed phase for the summary: one sample every 5 s.
    if (state_ == RelaxState::relaxed &&
        (!last_relaxed_sample_s_ || f.t_s - *last_relaxed_sample_s_ >= kRelaxedSample_s)) {
        const auto p = phase_sample(f);
        auto c = [](std::optional<double> v) { return v ? static_cast<float>(*v) : NAN; };
        relaxed_samples_.push_back(
            {c(p.hr_bpm), c(p.rmssd_ms), c(p.resp_rate_bpm), c(p.rsa_power_ms2)});
        last_relaxed_sample_s_ = f.t_s;
    }
    out.state = state_;
    return out;
}

double RelaxationDetector::usable_span_s(double from_s, double to_s) const {
    double span_s = 0.0;
    for (const auto& f : recent_)
        if (f.usable && f.t_s > from_s && f.t_s <= to_s && f.hr_bpm && f.rmssd_ms)
            span_s += std::min(f.dt_s, p_.max_dt_s);
    return span_s;
}

std::optional<RelaxationDetector::Band> RelaxationDetector::rmssd_baseline_band() const {
    if (!baseline_from_s_ || !ln_rmssd_.valid || !baseline_phase_.rmssd_ms) return std::nullopt;
    const double mid = *baseline_phase_.rmssd_ms, f = std::exp(ln_rmssd_.scale);
    return Band{mid / f, mid, mid * f};
}

std::optional<RelaxationDetector::Band> RelaxationDetector::ln_rsa_baseline_band() const {
    if (!baseline_from_s_ || !ln_rsa_power_.valid) return std::nullopt;
    const Stat& s = ln_rsa_power_;
    return Band{s.median - s.scale, s.median, s.median + s.scale};
}

RelaxSummary RelaxationDetector::summary() const {
    RelaxSummary r;
    r.baseline_from_s = baseline_from_s_;
    r.baseline_to_s = baseline_to_s_;
    r.baseline_kind = baseline_kind_;
    r.onset_s = first_onset_s_;
    if (first_onset_s_ && baseline_to_s_) r.time_to_onset_s = *first_onset_s_ - *baseline_to_s_;
    for (const auto& [a, b] : relaxed_spans_) r.time_relaxed_s += b - a;
    if (relaxed_since_s_) r.time_relaxed_s += last_t_s_ - *relaxed_since_s_;
    if (baseline_from_s_) r.baseline = baseline_phase_;
    r.relaxed = phase_medians(relaxed_samples_, [](const CompactSample& c) {
        auto o = [](float v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); };
        return std::optional<RelaxSummary::Phase>(RelaxSummary::Phase{
            o(c.hr_bpm), o(c.rmssd_ms), o(c.resp_rate_bpm), o(c.rsa_power_ms2)});
    });
    return r;
}

}  // namespace relaxmon::dsp
