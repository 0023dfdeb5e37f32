#pragma once
// QrsDetector: streaming R-peak detection in a single ECG lead, at any rate from 100 to 1000 Hz.
//
// After Pan & Tompkins (1985, IEEE TBME 32:230-236) and Hamilton & Tompkins (1986): the ECG is
// band-passed (5-15 Hz Butterworth sections), differentiated, squared and integrated over 150 ms;
// local maxima of that energy are QRS candidates, judged against adaptive signal and noise levels
// (SPK, NPK; threshold NPK + 0.25 (SPK - NPK)), with a 200-ms refractory period and T-wave
// rejection (a candidate within 360 ms of a beat with under half its slope). Where this detector
// departs from the classic:
// - bounded latency: each candidate is decided 250 ms after its energy peak (about 0.35 s after
//   the R wave), so search-back over 1.66 RR, which needs hindsight, becomes a forward rule: a
//   candidate above half the threshold is a beat when it comes at least 0.75 mean RR after the
//   last;
// - the R wave is located on a lightly filtered copy (1-40 Hz) in the 250 ms before the energy
//   peak, on the lead's dominant polarity (learnt from the beats), and refined to a fraction of a
//   sample by a parabola through the extremum and its neighbours;
// - signal quality per second: a flat lead (lead-off), a clipped amplifier (saturation) or
//   impossible beat rates (noise) mark the second bad, and no beat is produced there.
// Everything runs sample by sample, so any block size yields exactly the same beats.
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "relaxmon/dsp/biquad.hpp"

namespace relaxmon::dsp {

struct DetectedBeat {
    double sample = 0.0;  // refined R-peak position, in samples from the first pushed sample
    double t_s = 0.0;     // sample / fs
    std::optional<double> rr_ms;
    double quality = 1.0;  // 1 = clear beat; lower for beats accepted on the weak rule
};

enum class SignalQuality { good, noisy, lead_off, saturated };

struct QualitySecond {
    std::int64_t second = 0;  // [second, second + 1) s from the start
    SignalQuality quality = SignalQuality::good;
};

class QrsDetector {
  public:
    explicit QrsDetector(double fs_hz);

    // Pushes samples (microvolts); returns the beats decided meanwhile, in time order.
    std::vector<DetectedBeat> push(std::span<const float> samples_uv);
    // At the end of a recording: decides the candidate still waiting for its decision delay.
    std::vector<DetectedBeat> flush();
    // Seconds whose quality was judged since the last call.
    std::vector<QualitySecond> take_quality();

    double fs_hz() const { return fs_; }
    std::int64_t samples_seen() const { return n_; }

  private:
    struct Candidate {
        std::int64_t n;  // index of the energy peak
        double energy;
    };
    void step(double x, std::vector<DetectedBeat>& out);
    void decide(const Candidate& c, std::vector<DetectedBeat>& out);
    std::optional<DetectedBeat> locate(const Candidate& c);
    double ring_at(const std::vector<double>& ring, std::int64_t n) const;
    double max_slope_near(std::int64_t n) const;
    bool bad_quality_near(std::int64_t n) const;
    void close_second(std::int64_t second);

    double fs_;
    Biquad hp_, lp_, hp_locate_, lp_locate_;
    std::int64_t n_ = 0;
    // Recent history (about 2 s) of the locating signal, the derivative and the raw input.
    std::vector<double> locate_ring_, slope_ring_, raw_ring_;
    double bp_hist_[5] = {0, 0, 0, 0, 0};
    std::vector<double> mwi_window_;
    double mwi_sum_ = 0.0;
    double prev_energy_[2] = {0, 0};

    // Candidates waiting for their decision, and the adaptive levels.
    std::optional<Candidate> pending_;
    double spk_ = 0.0, npk_ = 0.0;
    bool learnt_ = false;
    double learn_max_ = 0.0, learn_sum_ = 0.0;
    std::vector<Candidate> learning_candidates_;
    std::optional<std::int64_t> last_beat_n_;
    std::optional<double> last_beat_sample_;
    double last_beat_slope_ = 0.0;
    double rr_avg_samples_ = 0.0;
    int polarity_votes_ = 0;  // > 0: R waves point up

    // Signal quality of the current second.
    std::int64_t quality_second_ = 0;
    double sec_min_ = 0.0, sec_max_ = 0.0;
    std::int64_t run_length_ = 0, longest_run_ = 0;
    double run_value_ = 0.0;
    int sec_candidates_ = 0;
    std::deque<QualitySecond> recent_quality_;
    std::vector<QualitySecond> quality_out_;
};

// Convenience: the whole signal at once.
std::vector<DetectedBeat> detect_qrs(std::span<const float> samples_uv, double fs_hz);

}  // namespace relaxmon::dsp
