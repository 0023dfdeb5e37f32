#include <catch2/catch.hpp>

#include "cli/duration.hpp"

using relaxmon::cli::parse_duration_s;

TEST_CASE("durations with units", "[cli][duration]") {
    CHECK(parse_duration_s("90s") == 90.0);
    CHECK(parse_duration_s("30m") == 1800.0);
    CHECK(parse_duration_s("1h") == 3600.0);
    CHECK(parse_duration_s("1h30m") == 5400.0);
    CHECK(parse_duration_s("2m30s") == 150.0);
    CHECK(parse_duration_s("1.5h") == 5400.0);
    CHECK(parse_duration_s("0:45:00") == 2700.0);
    CHECK(parse_duration_s("12:30") == 750.0);
}

TEST_CASE("durations that mean nothing are refused", "[cli][duration]") {
    for (const char* bad :
         {"", "20", "0m", "-5m", "m", "5x", "1m1h", "1m2m", "abc", "1:2:3:4", "::"})
        CHECK_FALSE(parse_duration_s(bad));
}
