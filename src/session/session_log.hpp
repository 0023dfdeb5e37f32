#pragma once
// SessionLog: what a session has measured since its first beat (beats, metrics rows, events),
// kept while no recording holds it, so a recording started late still holds the whole session:
// its baseline, its onset, and times that agree with the screen's. Bounded (12 hours); raw ECG
// and acceleration are not kept (a late recording has them from its start).
#include <string>
#include <string_view>
#include <vector>

#include "session/pipeline.hpp"
#include "session/recorder.hpp"

namespace relaxmon::session {

class SessionLog {
  public:
    static constexpr double kMaxSpan_s = 12.0 * 3600.0;

    void beat(const ProcessedBeat& b, const MetricsRow& row);
    void event(double t_s, std::string_view kind, std::string_view label);
    // Writes everything kept, each file in its own order, and keeps nothing more from now on.
    void hand_over(Recorder& recorder);
    bool keeping() const { return keeping_; }

  private:
    struct Event {
        double t_s;
        std::string kind, label;
    };
    bool full(double t_s) const;
    bool keeping_ = true;
    std::vector<ProcessedBeat> beats_;
    std::vector<MetricsRow> metrics_;
    std::vector<Event> events_;
};

}  // namespace relaxmon::session
