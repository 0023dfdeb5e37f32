#include "session/suspend_watch.hpp"

#include <time.h>

namespace relaxmon::session {

namespace {
double seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

std::optional<double> SuspendWatch::check(double monotonic_s, double boottime_s) {
    const double offset = boottime_s - monotonic_s;
    std::optional<double> slept;
    if (offset_s_ && offset - *offset_s_ > threshold_s_) slept = offset - *offset_s_;
    offset_s_ = offset;
    return slept;
}

std::optional<double> SuspendWatch::check_now() {
    return check(seconds(CLOCK_MONOTONIC), seconds(CLOCK_BOOTTIME));
}

}  // namespace relaxmon::session
