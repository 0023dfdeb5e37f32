#pragma once
// DashboardHistory: what the dashboard plots, kept by the session thread beat by beat - the last
// 10 minutes (trend, tachogram, gaps), the whole session in 5-s buckets (heart rate with its range,
// relax index, RMSSD; its gaps and relaxed spans) and the last 6 s of raw ECG with its beats.
// Bounded: the 10-minute series are trimmed, the whole-session one grows by 5-s buckets in
// immutable chunks, so publishing a snapshot copies little.
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"
#include "session/snapshot.hpp"

namespace relaxmon::session {

class DashboardHistory {
  public:
    static constexpr double kHistory_s = 600.0;  // the live plots show the last 10 minutes
    static constexpr double kEcgStrip_s = 6.0;   // the raw ECG strip

    // One beat as the session took it, with the numbers plotted for it.
    struct Beat {
        double t_s;
        double rr_ms;            // as received
        double rr_corrected_ms;  // as every metric takes it
        dsp::ArtifactClass artifact;
        bool follows_gap;
        std::optional<double> mean_hr_bpm, rmssd_ms, rsa_power_ms2, relax_index;
        const dsp::RelaxEvent* event;  // the detector's at this beat, or null
    };
    void beat(const Beat& b);
    // The strap lost contact or the link: a gap is open from t_s until the next beat.
    void gap_opens(double t_s);
    bool gap_open() const { return gap_open_since_.has_value(); }

    // Raw ECG for the strip, and the R peaks found in it (or replayed with it).
    void ecg_samples(const devices::EcgBlock& block);
    void ecg_beat(double t_s, double newest_s);

    // Fills the snapshot's plotted series as they stand at now_s.
    void fill(Snapshot& s, double now_s) const;

  private:
    void add_to_session_trend(double t_s, double hr_bpm, std::optional<double> relax_index,
                              std::optional<double> rmssd_ms);
    void trim(double now_s);

    std::deque<TrendPoint> trend_;
    std::deque<TachogramPoint> tachogram_;
    std::deque<TimeSpan> gaps_;
    std::optional<double> gap_open_since_;
    // The whole-session view: 5-s buckets.
    SessionTrend session_points_;
    std::shared_ptr<const SessionTrend> session_points_shared_ =
        std::make_shared<const SessionTrend>();
    double bucket_hr_sum_ = 0.0;
    float bucket_hr_min_ = INFINITY, bucket_hr_max_ = -INFINITY;
    int bucket_n_ = 0;
    std::optional<double> bucket_start_s_;
    std::vector<TimeSpan> session_gaps_, relaxed_spans_;
    std::optional<double> relaxed_since_s_;
    std::deque<EcgPoint> ecg_strip_;
    std::deque<double> ecg_strip_beats_;
};

}  // namespace relaxmon::session
