#pragma once
// SuspendWatch: notices that the computer slept (suspend/resume). Session time runs on the
// monotonic clock, which stops during suspend, while CLOCK_BOOTTIME keeps counting: when the
// difference between the two grows, the machine was asleep that long. The session then marks a
// gap (no interval may span the sleep) and records the event.
#include <optional>

namespace relaxmon::session {

class SuspendWatch {
  public:
    explicit SuspendWatch(double threshold_s = 2.0) : threshold_s_(threshold_s) {}
    // Both clocks read now; returns how long the machine slept since the last call, if it did.
    std::optional<double> check(double monotonic_s, double boottime_s);
    // Reads CLOCK_MONOTONIC and CLOCK_BOOTTIME and checks them.
    std::optional<double> check_now();

  private:
    double threshold_s_;
    std::optional<double> offset_s_;
};

}  // namespace relaxmon::session
