#pragma once
// SummaryStretches: the beats of a session's first and last 5 minutes, for the end-of-session
// summary (mean heart rate and RMSSD of each, Task Force 1996 time domain). Bounded: the first
// 5 minutes are kept once, the last 5 slide, so hours of session cost nothing.
#include <deque>
#include <vector>

#include "session/session.hpp"

namespace relaxmon::session {

class SummaryStretches {
  public:
    static constexpr double kStretch_s = 300.0;

    void beat(double t_s, double rr_corrected_ms, bool follows_gap);
    // The summary's heart rate and RMSSD fields, as the session stands at now_s.
    void fill(SessionSummary& s, double now_s) const;

  private:
    struct Kept {
        double t_s;
        double rr_corrected_ms;
        bool follows_gap;
    };
    std::vector<Kept> first_;
    std::deque<Kept> last_;
};

}  // namespace relaxmon::session
