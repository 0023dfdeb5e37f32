#include "relaxmon/dsp/qrs_detector.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace relaxmon::dsp {

namespace {
constexpr double kDecisionDelay_s = 0.25;
constexpr double kRefractory_s = 0.2;
constexpr double kTWaveWindow_s = 0.36;
constexpr double kIntegration_s = 0.15;
constexpr double kLocateWindow_s = 0.25;
constexpr double kLearning_s = 1.0;
constexpr double kWeakAfterRr = 1.3;  // a weak candidate is a beat this long after the last
constexpr double kHistory_s = 2.5;
constexpr double kFlatLead_uv = 20.0;  // a lead this quiet is off the skin
constexpr double kClipped_s = 0.08;    // identical samples this long: amplifier saturated
constexpr int kNoisyCandidatesPerSecond = 6;

double clamp_lowpass(double fs, double f) {
    return std::min(f, 0.45 * fs);
}
}  // namespace

QrsDetector::QrsDetector(double fs_hz)
    : fs_(fs_hz),
      hp_(Biquad::highpass(fs_hz, 5.0)),
      lp_(Biquad::lowpass(fs_hz, clamp_lowpass(fs_hz, 15.0))),
      hp_locate_(Biquad::highpass(fs_hz, 1.0)),
      lp_locate_(Biquad::lowpass(fs_hz, clamp_lowpass(fs_hz, 40.0))) {
    const auto ring = static_cast<std::size_t>(std::ceil(kHistory_s * fs_hz)) + 8;
    locate_ring_.assign(ring, 0.0);
    slope_ring_.assign(ring, 0.0);
    raw_ring_.assign(ring, 0.0);
    mwi_window_.assign(static_cast<std::size_t>(std::max(1.0, std::round(kIntegration_s * fs_hz))),
                       0.0);
}

double QrsDetector::ring_at(const std::vector<double>& ring, std::int64_t n) const {
    return ring[static_cast<std::size_t>(n) % ring.size()];
}

std::vector<DetectedBeat> QrsDetector::push(std::span<const float> samples_uv) {
    std::vector<DetectedBeat> out;
    for (float x : samples_uv) step(static_cast<double>(x), out);
    return out;
}

std::vector<QualitySecond> QrsDetector::take_quality() {
    std::vector<QualitySecond> q;
    q.swap(quality_out_);
    return q;
}

void QrsDetector::step(double x, std::vector<DetectedBeat>& out) {
    const std::int64_t n = n_++;
    // Signal quality bookkeeping for the current second.
    const auto second = static_cast<std::int64_t>(std::floor(static_cast<double>(n) / fs_));
    if (n == 0) {
        quality_second_ = second;
        sec_min_ = sec_max_ = run_value_ = x;
    } else if (second != quality_second_) {
        close_second(quality_second_);
        quality_second_ = second;
        sec_min_ = sec_max_ = x;
        longest_run_ = 0;
        sec_candidates_ = 0;
    }
    sec_min_ = std::min(sec_min_, x);
    sec_max_ = std::max(sec_max_, x);
    run_length_ = (n > 0 && x == run_value_) ? run_length_ + 1 : 1;
    run_value_ = x;
    longest_run_ = std::max(longest_run_, run_length_);

    // Filters: the detection band and the locating copy.
    const double bp = lp_(hp_(x));
    const double loc = lp_locate_(hp_locate_(x));
    for (int i = 4; i > 0; --i) bp_hist_[i] = bp_hist_[i - 1];
    bp_hist_[0] = bp;
    const double d =
        (2.0 * bp_hist_[0] + bp_hist_[1] - bp_hist_[3] - 2.0 * bp_hist_[4]) * fs_ / 8.0;
    const double e = d * d;
    const std::size_t w = static_cast<std::size_t>(n) % mwi_window_.size();
    mwi_sum_ += e - mwi_window_[w];
    mwi_window_[w] = e;
    const double energy = std::max(0.0, mwi_sum_) / static_cast<double>(mwi_window_.size());
    const std::size_t r = static_cast<std::size_t>(n) % locate_ring_.size();
    locate_ring_[r] = loc;
    slope_ring_[r] = std::abs(d);
    raw_ring_[r] = x;

    // Local maxima of the energy are candidates; those within the decision delay of a larger one
    // are merged into it.
    std::optional<Candidate> peak;
    if (n >= 2 && prev_energy_[0] > prev_energy_[1] && prev_energy_[0] >= energy)
        peak = Candidate{n - 1, prev_energy_[0]};
    prev_energy_[1] = prev_energy_[0];
    prev_energy_[0] = energy;

    const auto learning_end = static_cast<std::int64_t>(kLearning_s * fs_);
    if (!learnt_) {
        learn_max_ = std::max(learn_max_, energy);
        learn_sum_ += energy;
        if (peak) learning_candidates_.push_back(*peak);
        if (n + 1 < learning_end) return;
        // Initial levels from the first second, then judge what it held.
        learnt_ = true;
        spk_ = 0.5 * learn_max_;
        npk_ = learn_sum_ / static_cast<double>(n + 1);
        for (const Candidate& c : learning_candidates_) {
            if (pending_ &&
                c.n - pending_->n >= static_cast<std::int64_t>(kDecisionDelay_s * fs_)) {
                decide(*pending_, out);
                pending_.reset();
            }
            if (!pending_ || c.energy > pending_->energy) pending_ = c;
        }
        learning_candidates_.clear();
        return;
    }
    const auto delay = static_cast<std::int64_t>(kDecisionDelay_s * fs_);
    if (peak) {
        if (pending_ && peak->n - pending_->n < delay) {
            if (peak->energy > pending_->energy) pending_ = peak;
        } else if (!pending_) {
            pending_ = peak;
        }
    }
    if (pending_ && n - pending_->n >= delay) {
        decide(*pending_, out);
        pending_.reset();
    }
}

double QrsDetector::max_slope_near(std::int64_t n) const {
    const auto back = static_cast<std::int64_t>(kIntegration_s * fs_) + 2;
    double m = 0.0;
    for (std::int64_t k = std::max<std::int64_t>(0, n - back); k <= n; ++k)
        m = std::max(m, ring_at(slope_ring_, k));
    return m;
}

void QrsDetector::decide(const Candidate& c, std::vector<DetectedBeat>& out) {
    ++sec_candidates_;
    const double thr1 = npk_ + 0.25 * (spk_ - npk_);
    const double thr2 = 0.5 * thr1;
    const double interval = last_beat_n_ ? static_cast<double>(c.n - *last_beat_n_)
                                         : std::numeric_limits<double>::infinity();
    auto noise = [&] { npk_ = 0.125 * c.energy + 0.875 * npk_; };
    if (interval < kRefractory_s * fs_) return noise();
    const double slope = max_slope_near(c.n);
    const bool t_wave = interval < kTWaveWindow_s * fs_ && slope < 0.5 * last_beat_slope_;
    const bool strong = c.energy > thr1 && !t_wave;
    const bool weak = !strong && !t_wave && c.energy > thr2 && rr_avg_samples_ > 0.0 &&
                      interval > kWeakAfterRr * rr_avg_samples_;
    if (!strong && !weak) return noise();

    spk_ = strong ? 0.125 * c.energy + 0.875 * spk_ : 0.25 * c.energy + 0.75 * spk_;
    if (last_beat_n_) {
        if (rr_avg_samples_ <= 0.0)
            rr_avg_samples_ = interval;
        else if (interval > 0.5 * rr_avg_samples_ && interval < 1.7 * rr_avg_samples_)
            rr_avg_samples_ = 0.125 * interval + 0.875 * rr_avg_samples_;
    }
    last_beat_n_ = c.n;
    last_beat_slope_ = slope;
    if (bad_quality_near(c.n)) {
        last_beat_sample_.reset();  // the next beat's RR would span the bad stretch
        return;
    }
    if (auto beat = locate(c)) {
        if (weak) beat->quality = std::clamp(c.energy / thr1, 0.0, 1.0);
        out.push_back(*beat);
    }
}

std::optional<DetectedBeat> QrsDetector::locate(const Candidate& c) {
    const auto span = static_cast<std::int64_t>(kLocateWindow_s * fs_);
    const std::int64_t from = std::max<std::int64_t>(
        {0, c.n - span, n_ - static_cast<std::int64_t>(locate_ring_.size()) + 2});
    std::int64_t hi = from, lo = from;
    for (std::int64_t k = from; k <= c.n; ++k) {
        if (ring_at(locate_ring_, k) > ring_at(locate_ring_, hi)) hi = k;
        if (ring_at(locate_ring_, k) < ring_at(locate_ring_, lo)) lo = k;
    }
    const double up = ring_at(locate_ring_, hi), down = -ring_at(locate_ring_, lo);
    // The lead's dominant polarity wins unless the other deflection is clearly larger.
    bool pick_up = polarity_votes_ >= 0 ? !(down > 1.4 * up) : (up > 1.4 * down);
    polarity_votes_ = std::clamp(polarity_votes_ + (up >= down ? 1 : -1), -8, 8);
    std::int64_t k = pick_up ? hi : lo;
    double offset = 0.0;
    if (k > from && k < c.n) {
        const double y0 = ring_at(locate_ring_, k - 1), y1 = ring_at(locate_ring_, k),
                     y2 = ring_at(locate_ring_, k + 1);
        const double den = y0 - 2.0 * y1 + y2;
        if (std::abs(den) > 1e-12) offset = std::clamp(0.5 * (y0 - y2) / den, -0.5, 0.5);
    }
    DetectedBeat b;
    b.sample = static_cast<double>(k) + offset;
    b.t_s = b.sample / fs_;
    if (last_beat_sample_) b.rr_ms = (b.sample - *last_beat_sample_) / fs_ * 1000.0;
    last_beat_sample_ = b.sample;
    return b;
}

bool QrsDetector::bad_quality_near(std::int64_t n) const {
    const auto second = static_cast<std::int64_t>(std::floor(static_cast<double>(n) / fs_));
    for (const auto& q : recent_quality_)
        if (q.second == second && q.quality != SignalQuality::good) return true;
    if (second == quality_second_) {
        // The second is still open: judge the samples seen so far.
        const double seen = static_cast<double>(n_) - static_cast<double>(quality_second_) * fs_;
        if (seen > 0.3 * fs_ && sec_max_ - sec_min_ < kFlatLead_uv) return true;
        if (static_cast<double>(longest_run_) >= kClipped_s * fs_) return true;
    }
    return false;
}

void QrsDetector::close_second(std::int64_t second) {
    QualitySecond q{second, SignalQuality::good};
    // A run of identical samples is a clipped amplifier (or an ADC stuck at its rail); a lead
    // that only wanders by a few microvolts is off the skin.
    if (static_cast<double>(longest_run_) >= kClipped_s * fs_)
        q.quality = SignalQuality::saturated;
    else if (sec_max_ - sec_min_ < kFlatLead_uv)
        q.quality = SignalQuality::lead_off;
    else if (sec_candidates_ > kNoisyCandidatesPerSecond)
        q.quality = SignalQuality::noisy;
    if (q.quality != SignalQuality::good) last_beat_sample_.reset();
    recent_quality_.push_back(q);
    while (recent_quality_.size() > 4) recent_quality_.pop_front();
    quality_out_.push_back(q);
}

std::vector<DetectedBeat> QrsDetector::flush() {
    std::vector<DetectedBeat> out;
    if (pending_) decide(*pending_, out);
    pending_.reset();
    return out;
}

std::vector<DetectedBeat> detect_qrs(std::span<const float> samples_uv, double fs_hz) {
    QrsDetector d(fs_hz);
    auto beats = d.push(samples_uv);
    for (const auto& b : d.flush()) beats.push_back(b);
    return beats;
}

}  // namespace relaxmon::dsp
