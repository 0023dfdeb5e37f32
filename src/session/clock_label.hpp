#pragma once
// Session times as people read them: "12:34", or "1:02:03" past an hour ("-0:05" before zero).
// One wording for the dashboard, `relaxmon sessions` and the report.
#include <cmath>
#include <cstdio>
#include <string>

namespace relaxmon::session {

inline std::string clock_label(double seconds) {
    const bool negative = seconds < 0;
    const long s = static_cast<long>(std::lround(std::abs(seconds)));
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%s%ld:%02ld:%02ld", negative ? "-" : "", s / 3600,
                      s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%s%ld:%02ld", negative ? "-" : "", s / 60, s % 60);
    return buf;
}

}  // namespace relaxmon::session
