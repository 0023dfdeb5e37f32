#include "session/session_log.hpp"

namespace relaxmon::session {

bool SessionLog::full(double t_s) const {
    return !beats_.empty() && t_s - beats_.front().t_s > kMaxSpan_s;
}

void SessionLog::beat(const ProcessedBeat& b, const MetricsRow& row) {
    if (!keeping_ || full(b.t_s)) return;
    beats_.push_back(b);
    metrics_.push_back(row);
}

void SessionLog::event(double t_s, std::string_view kind, std::string_view label) {
    if (!keeping_ || full(t_s)) return;
    events_.push_back({t_s, std::string(kind), std::string(label)});
}

void SessionLog::hand_over(Recorder& recorder) {
    for (const ProcessedBeat& b : beats_) recorder.beat(b);
    for (const MetricsRow& r : metrics_) recorder.metrics(r);
    for (const Event& e : events_) recorder.event(e.t_s, e.kind, e.label);
    keeping_ = false;
    beats_ = {};
    metrics_ = {};
    events_ = {};
}

}  // namespace relaxmon::session
