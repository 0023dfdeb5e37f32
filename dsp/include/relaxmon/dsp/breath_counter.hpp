#pragma once
// BreathCounter: breaths counted one by one in a band-passed breathing waveform sampled at a
// steady rate (respiratory sinus arrhythmia in the RR series, chest movement seen by an
// accelerometer). After the "advanced counting" method of Schäfer & Kratky (2008, Ann Biomed Eng
// 36:476): local extrema are found; while the closest pair of neighbouring extrema differ by less
// than `prune_fraction` of the third quartile of all neighbour differences over the last minute,
// that pair is dropped (ripples of noise, not breaths); each cycle between successive maxima that
// remain is a breath, with its period and its peak-to-trough amplitude. Values: over the most
// recent breaths spanning at least `window_s` (and at least 3), the median amplitude and a quick
// rate (60 / the median breath length), so one sigh or two breaths merged by the count do not
// move them. Extrema are placed between samples by parabolic interpolation. The rate's standard
// error is that of a median, 1.2533 * s / sqrt(n), carried through 60 / period, with s from the
// successive differences of every breath kept (robust to sighs, blind to a changing rate, and
// not fooled by a handful that agree by chance); while it is above `max_rate_se_bpm` the window
// takes older breaths (up to `max_window_s`), and if it stays above, the rate is not confident:
// irregular breathing, or breaths merged or split by the count (the signature of a harmonic), widen
// the spread. The rate is a trimmed mean of breath lengths (those within 0.6-1.67 of the median),
// so a sigh or a miscounted breath does not pull it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace relaxmon::dsp {

// A rate from counted breaths and one from a spectral peak agree within this fraction: beyond, one
// of them is wrong (a harmonic, or a slow wave that is not breathing).
constexpr double kBreathCountAgreement = 0.3;

// An evenly sampled RR series reduced to its respiratory swing, from its first value: band-passed
// 0.03-0.6 Hz (Butterworth biquads), the band RsaBreaths counts breaths in.
std::vector<double> rsa_band(std::span<const double> rr_ms, double fs_hz);

// The same count over a stretch of a band-passed breathing waveform at once: extrema at the
// samples (no refinement), ripples dropped as below (a `prune_fraction` of the third quartile of
// neighbour differences over the stretch), then maximum-minimum-maximum cycles of 1.5-22 s, each
// with its period and its peak-to-trough amplitude, oldest first.
struct CountedBreath {
    double period_s, amplitude;
};
std::vector<CountedBreath> count_breaths(std::span<const double> y, double fs_hz,
                                         double prune_fraction = 0.1);

class BreathCounter {
  public:
    struct Params {
        double prune_fraction = 0.1;
        double history_s = 100.0;       // extrema kept (and the quartile's span): 4 slow breaths
        double window_s = 15.0;         // the values cover the last breaths spanning this much
        double max_window_s = 60.0;     // ... or up to this much while the rate is unsure
        double max_rate_se_bpm = 0.25;  // the rate's standard error, above which it is unsure
        std::size_t min_breaths = 3;
        double min_period_s = 1.5;   // 40 breaths/min
        double max_period_s = 22.0;  // 2.7 breaths/min: paced breathing goes down to 3
    };
    struct Values {
        std::optional<double> rate_bpm;
        std::optional<double> rate_se_bpm;  // its standard error
        bool rate_confident = false;        // rate_se_bpm <= max_rate_se_bpm
        // 60 / the median breath of the shortest window only (`window_s`): quick, noisier.
        std::optional<double> recent_rate_bpm;
        std::optional<double> amplitude;        // median peak-to-trough, in the signal's unit
        std::size_t breaths = 0;                // breaths behind the values
        std::optional<double> last_breath_t_s;  // end of the newest breath
    };

    BreathCounter() : BreathCounter(Params{}) {}
    explicit BreathCounter(Params p) : p_(p) {}

    // The next sample of the waveform (samples come at a steady rate, in time order).
    void push(double t_s, double value);
    void restart();
    // The breaths as they stand at now_s. `timing_sd_s`: the least spread of breath lengths
    // that the waveform's sampling allows (an RR series places extrema only near beats).
    Values values(double now_s, double timing_sd_s = 0.0) const;

  private:
    struct Extremum {
        double t_s, value;
        bool is_max;
    };
    // The breaths the extrema hold, newest first: they change only when an extremum comes or
    // goes (a few times a breath), so they are counted once for every beat's values() between,
    // with what does not depend on the beat.
    struct Breaths {
        std::vector<double> periods_s, amplitudes;
        std::optional<double> newest_end_t_s;
        double successive_sd_s = 0.0;  // the spread of breath lengths (see successive_sd_of)
        // The shortest window of newest breaths spanning `window_s` (and `min_breaths`).
        std::size_t quick_breaths = 0;
        double quick_span_s = 0.0;
        std::optional<double> quick_median_period_s, quick_median_amplitude;  // when it is whole
        // The trimmed mean of the n newest breath lengths, worked out when first asked (NaN).
        double trimmed_mean_of_newest(std::size_t n) const;
        mutable std::vector<double> trimmed_mean_s;
    };
    std::shared_ptr<const Breaths> breaths() const;

    Params p_;
    std::size_t samples_ = 0;
    double y1_ = 0.0, y2_ = 0.0, t1_s_ = 0.0;  // the two previous samples
    std::vector<Extremum> extrema_;  // oldest first (contiguous: copies and reads are cheap)
    // |difference| of each pair of neighbouring extrema, kept sorted: the ripple threshold's
    // quartile is read, not selected, as extrema come and go.
    std::vector<double> sorted_diffs_;
    void insert_sorted(double diff);
    void erase_sorted(double diff);
    std::uint64_t generation_ = 0;  // counts changes to extrema_
    // Shared, so copying a counter (RsaBreaths keeps a copy to take a beat back) stays cheap.
    mutable std::shared_ptr<const Breaths> breaths_;
    mutable std::uint64_t breaths_generation_ = 0;
};

}  // namespace relaxmon::dsp
