// Turning over on the table: the detector re-referenced to the new posture's levels keeps a
// relaxation that goes on; holding the evidence through the movement alone does not.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/posture_reference.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"

using namespace relaxmon::dsp;

namespace {
// One beat a second (a little wobble so the baseline has spread); rsa: respiratory peak power.
RelaxFeatures at(double t, double hr, double rmssd, double resp, double rsa) {
    const double w = std::sin(t * 0.7);
    RelaxFeatures f;
    f.t_s = t;
    f.hr_bpm = hr + 0.3 * w;
    f.rmssd_ms = rmssd * (1.0 + 0.02 * w);
    f.resp_rate_bpm = resp + 0.1 * w;
    f.rsa_power_ms2 = rsa * (1.0 + 0.05 * w);
    f.rsa_amplitude_ms = 2.0 * std::sqrt(2.0 * *f.rsa_power_ms2);
    f.rmssd_report_ms = rmssd;
    return f;
}

// Baseline until 400 s, relaxed from then on; face-down until a turnover at 900 s (moving for
// 10 s, heart rate up 15 bpm from the effort for 40 s), then face-up, where the same relaxed
// state has heart rate 7 bpm higher, RMSSD 30% and the RSA power half lower.
struct Run {
    std::vector<RelaxEvent> events;
    std::vector<RelaxState> states_after_turn;
    std::vector<RelaxationDetector::Shift> shifts;
    RelaxState end_state = RelaxState::baseline;
    double index_before_turn = 0.0, index_after_turn = 0.0;  // at 890 s, mean over 1000-1800 s
};
Run table(bool rereference) {
    RelaxationDetector d;
    PostureReference ref;
    Run run;
    for (int t = 1; t <= 1800; ++t) {
        RelaxFeatures f = t <= 400 ? at(t, 70, 35, 14, 400) : at(t, 62, 60, 6, 1500);
        const bool face_up = t >= 905;
        if (face_up) f = at(t, 69, 42, 6, 750);
        if (t >= 900 && t < 940) *f.hr_bpm += 15.0 * (1.0 - (t - 900) / 40.0);
        PostureReference::Body body;
        body.moving = t >= 900 && t < 910;
        body.still_since_s = t < 900 ? 0.0 : 910.0;
        body.posture = face_up ? Posture::supine : Posture::prone;
        const auto step = ref.push({f.t_s, f.hr_bpm, f.rmssd_ms, f.rsa_amplitude_ms, true}, body);
        if (step.shift) {
            run.shifts.push_back(*step.shift);
            CHECK(step.turn_s == 900.0);
            if (rereference) d.rereference(*step.shift, step.turn_s);
        }
        f.usable = step.evidence;
        if (t >= 900 && t < 925) CHECK_FALSE(step.evidence);  // moving, and settling
        const auto out = d.push(f);
        if (out.event) run.events.push_back(*out.event);
        if (t > 900) run.states_after_turn.push_back(out.state);
        run.end_state = out.state;
        if (t == 890) run.index_before_turn = *out.relax_index;
        if (t > 1000) run.index_after_turn += *out.relax_index / 800.0;
    }
    return run;
}
}  // namespace

TEST_CASE("turning over re-references the detector to the new posture's levels",
          "[dsp][posture][relax]") {
    const Run run = table(true);
    // Measured over the minute before and 30 s once settled (15 s after the movement).
    REQUIRE(run.shifts.size() == 1);
    CHECK(run.shifts[0].hr_bpm == Approx(7.0).margin(0.5));
    CHECK(run.shifts[0].ln_rmssd == Approx(std::log(42.0 / 60.0)).margin(0.05));
    CHECK(run.shifts[0].ln_rsa_amplitude == Approx(0.5 * std::log(0.5)).margin(0.05));
    // One onset before the turn; no end and no arousal from it; still relaxed.
    REQUIRE(run.events.size() == 1);
    CHECK(run.events[0].kind == "relaxation_onset");
    CHECK(run.events[0].t_s < 900.0);
    for (RelaxState s : run.states_after_turn) CHECK(s != RelaxState::aroused);
    CHECK(run.end_state == RelaxState::relaxed);
    // The relax index goes on where it was.
    INFO(run.index_before_turn << " -> " << run.index_after_turn);
    CHECK(run.index_after_turn == Approx(run.index_before_turn).margin(5.0));

    // Without the re-reference the same relaxed body reads much less relaxed face-up.
    const Run held_only = table(false);
    INFO(held_only.index_before_turn << " -> " << held_only.index_after_turn);
    CHECK(held_only.index_after_turn < run.index_after_turn - 7.0);
}

TEST_CASE("a movement that ends in the same posture only holds the evidence",
          "[dsp][posture][relax]") {
    PostureReference ref;
    for (int t = 1; t <= 300; ++t) {
        PostureReference::Body body;
        body.moving = t >= 100 && t < 104;  // adjusting, or a cough
        body.still_since_s = t < 100 ? 0.0 : 104.0;
        body.posture = Posture::prone;
        const auto step =
            ref.push({double(t), 60.0 + (t > 104 ? 6.0 : 0.0), 50.0, 40.0, true}, body);
        CHECK_FALSE(step.shift);
        CHECK(step.evidence == (t < 100 || t >= 119));  // until 15 s after it
    }
}
