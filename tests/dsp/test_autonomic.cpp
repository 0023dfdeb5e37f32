#include <catch2/catch.hpp>

#include "relaxmon/dsp/hrv_analysis.hpp"

using relaxmon::dsp::autonomic_indices;

TEST_CASE("PNS and SNS indices are 0 at the population norms", "[dsp][autonomic]") {
    const auto at_norm = autonomic_indices(926.0, 42.0, 29.7, 64.8, 9.7, 64.2);
    CHECK(at_norm.pns == Approx(0.0).margin(1e-12));
    CHECK(at_norm.sns == Approx(0.0).margin(1e-12));
}

TEST_CASE("relaxation raises PNS and lowers SNS, stress the reverse", "[dsp][autonomic]") {
    // One SD towards rest on every term: +1 and -1.
    const auto relaxed = autonomic_indices(926.0 + 90.0, 42.0 + 15.0, 29.7 + 10.6, 64.8 - 6.3,
                                           9.7 - 2.6, 64.2 + 20.0);
    CHECK(relaxed.pns == Approx(1.0));
    CHECK(relaxed.sns == Approx(-1.0));
    const auto stressed = autonomic_indices(700.0, 15.0, 10.0, 86.0, 16.0, 30.0);
    CHECK(stressed.pns < -1.0);
    CHECK(stressed.sns > 1.0);
}
