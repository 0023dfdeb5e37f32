#pragma once
// RollingHrv: time-domain HRV (mean HR, SDNN, RMSSD; Task Force 1996) over a sliding time window
// that ends at the newest beat. Beats enter with push() and leave once older than the window.
// Running sums of RR, RR^2 (about a reference value, to avoid cancellation) and of squared
// successive differences make each update O(1) amortised; the sums are rebuilt from the
// window every few hundred beats so rounding cannot drift.
#include <cstddef>
#include <deque>
#include <optional>

namespace relaxmon::dsp {

class RollingHrv {
  public:
    struct Values {
        std::size_t beats = 0;
        std::optional<double> mean_hr_bpm;  // 60000 / mean RR, >= min_beats
        std::optional<double> sdnn_ms;      // sample SD, >= min_beats
        std::optional<double> rmssd_ms;     // >= min_beats - 1 differences
    };

    explicit RollingHrv(double window_s = 60.0, std::size_t min_beats = 5);

    // A beat at time t_s (seconds) closing an interval of rr_ms. `follows_gap` marks the first
    // beat after a dropout: its difference to the previous beat is not used.
    void push(double t_s, double rr_ms, bool follows_gap);
    // Replaces the newest beat's interval (a beat passed as sinus, known as premature only by
    // the pause after it): its sums and its difference to the beat before are redone.
    void amend_last(double rr_ms);
    void clear();

    Values values() const;
    double window_s() const { return window_s_; }

  private:
    struct Beat {
        double t_s;
        double rr_ms;
        bool has_diff;  // difference to the previous beat in the window is counted
        double diff_sq;
    };
    void evict_older_than(double t_min_s);
    void rebuild_sums();

    double window_s_;
    std::size_t min_beats_;
    std::deque<Beat> beats_;
    double ref_ms_ = 0.0;  // reference for the shifted sums
    double sum_ = 0.0, sum_sq_ = 0.0, sum_diff_sq_ = 0.0;
    std::size_t diffs_ = 0;
    std::size_t pushes_since_rebuild_ = 0;
};

}  // namespace relaxmon::dsp
