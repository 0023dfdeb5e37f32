#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "relaxmon/devices/sim/rr_generator.hpp"
#include "relaxmon/dsp/hrv_time.hpp"

using namespace relaxmon::devices;
using namespace relaxmon::devices::sim;

namespace {

struct Run {
    std::vector<double> t, rr;
    std::vector<DeviceStatus> statuses;
};

Run generate(Scenario sc, std::uint64_t seed, double seconds) {
    RrGenerator g(make_script(sc, seed));
    Run run;
    while (run.t.empty() || run.t.back() < seconds) {
        for (const auto& m : g.next()) {
            if (const auto* b = std::get_if<RrBeat>(&m)) {
                run.t.push_back(b->t_s);
                run.rr.push_back(b->rr_ms);
            } else if (const auto* s = std::get_if<DeviceStatus>(&m)) {
                run.statuses.push_back(*s);
            }
        }
    }
    return run;
}

struct Stretch {
    double mean_hr_bpm, rmssd_ms;
    std::vector<double> t, rr;
};

Stretch stretch(const Run& r, double from_s, double to_s) {
    Stretch s{};
    for (std::size_t i = 0; i < r.t.size(); ++i)
        if (r.t[i] > from_s && r.t[i] <= to_s) {
            s.t.push_back(r.t[i]);
            s.rr.push_back(r.rr[i]);
        }
    const auto td = relaxmon::dsp::hrv_time(s.rr);
    s.mean_hr_bpm = td->mean_hr_bpm;
    s.rmssd_ms = *td->rmssd_ms;
    return s;
}

// Frequency (Hz) of the largest Lomb-Scargle peak of the RR series within [lo, hi]; the test's
// own independent estimate of the breathing rate from respiratory sinus arrhythmia.
double dominant_hz(const Stretch& s, double lo, double hi) {
    double mean = 0.0;
    for (double x : s.rr) mean += x;
    mean /= double(s.rr.size());
    double best_f = lo, best_p = -1.0;
    for (double f = lo; f <= hi; f += 0.001) {
        const double w = 2.0 * std::numbers::pi * f;
        double s2 = 0, c2 = 0;
        for (double t : s.t) {
            s2 += std::sin(2 * w * t);
            c2 += std::cos(2 * w * t);
        }
        const double tau = std::atan2(s2, c2) / (2 * w);
        double yc = 0, ys = 0, cc = 0, ss = 0;
        for (std::size_t i = 0; i < s.t.size(); ++i) {
            const double c = std::cos(w * (s.t[i] - tau)), sn = std::sin(w * (s.t[i] - tau));
            yc += (s.rr[i] - mean) * c;
            ys += (s.rr[i] - mean) * sn;
            cc += c * c;
            ss += sn * sn;
        }
        const double p = yc * yc / cc + ys * ys / ss;
        if (p > best_p) {
            best_p = p;
            best_f = f;
        }
    }
    return best_f;
}

}  // namespace

TEST_CASE("the simulator is deterministic for a seed", "[devices][sim]") {
    const auto a = generate(Scenario::massage, 42, 300.0);
    const auto b = generate(Scenario::massage, 42, 300.0);
    const auto c = generate(Scenario::massage, 43, 300.0);
    CHECK(a.rr == b.rr);
    CHECK(a.rr != c.rr);
}

TEST_CASE("simulated RR values look like a BLE strap's", "[devices][sim]") {
    const auto r = generate(Scenario::rest, 5, 600.0);
    for (std::size_t i = 0; i < r.rr.size(); ++i) {
        const double ticks = r.rr[i] * 1.024;  // 1/1024 s units
        REQUIRE(std::abs(ticks - std::round(ticks)) < 1e-6);
        REQUIRE(r.rr[i] > 400.0);
        REQUIRE(r.rr[i] < 1600.0);
        if (i > 0) REQUIRE(r.t[i] - r.t[i - 1] == Approx(r.rr[i] / 1000.0));
    }
}

TEST_CASE("massage: heart rate, RMSSD and breathing follow the script", "[devices][sim]") {
    for (std::uint64_t seed : {1, 2, 3, 7, 11}) {
        const ScenarioScript script = make_script(Scenario::massage, seed);
        INFO("seed " << seed);
        REQUIRE(script.onset_s);
        CHECK(*script.onset_s >= 240.0);
        CHECK(script.baseline.hr_bpm - script.changed.hr_bpm >= 5.0);
        CHECK(script.baseline.hr_bpm - script.changed.hr_bpm <= 12.0);
        const double ratio = script.changed.rmssd_ms / script.baseline.rmssd_ms;
        CHECK(ratio >= 1.4);
        CHECK(ratio <= 2.0);

        const double relaxed_from = *script.onset_s + script.transition_s + 10.0;
        const Run run = generate(Scenario::massage, seed, relaxed_from + 300.0);
        const Stretch before = stretch(run, 30.0, 270.0);
        const Stretch after = stretch(run, relaxed_from, relaxed_from + 300.0);

        CHECK(before.mean_hr_bpm == Approx(script.baseline.hr_bpm).margin(2.5));
        CHECK(after.mean_hr_bpm == Approx(script.changed.hr_bpm).margin(2.5));
        CHECK(before.rmssd_ms == Approx(script.baseline.rmssd_ms).epsilon(0.2));
        CHECK(after.rmssd_ms == Approx(script.changed.rmssd_ms).epsilon(0.2));
        CHECK(after.rmssd_ms / before.rmssd_ms == Approx(ratio).epsilon(0.25));
        CHECK(dominant_hz(before, 0.15, 0.40) * 60.0 ==
              Approx(script.baseline.breathing_bpm).margin(1.5));
        CHECK(dominant_hz(after, 0.07, 0.20) * 60.0 ==
              Approx(script.changed.breathing_bpm).margin(1.5));
    }
}

TEST_CASE("rest stays stationary", "[devices][sim]") {
    for (std::uint64_t seed : {4, 5, 6}) {
        const Run run = generate(Scenario::rest, seed, 1800.0);
        const Stretch first = stretch(run, 0.0, 600.0), last = stretch(run, 1200.0, 1800.0);
        INFO("seed " << seed);
        CHECK(std::abs(first.mean_hr_bpm - last.mean_hr_bpm) < 3.0);
        CHECK(last.rmssd_ms / first.rmssd_ms == Approx(1.0).epsilon(0.25));
        CHECK(run.statuses.empty());
    }
}

TEST_CASE("stress raises heart rate and lowers RMSSD", "[devices][sim]") {
    const ScenarioScript script = make_script(Scenario::stress, 9);
    const double from = *script.onset_s + script.transition_s + 10.0;
    const Run run = generate(Scenario::stress, 9, from + 300.0);
    const Stretch before = stretch(run, 30.0, 270.0), after = stretch(run, from, from + 300.0);
    CHECK(after.mean_hr_bpm - before.mean_hr_bpm > 6.0);
    CHECK(after.rmssd_ms < 0.8 * before.rmssd_ms);
    CHECK(after.mean_hr_bpm == Approx(script.changed.hr_bpm).margin(2.5));
}

TEST_CASE("artifacts: dropout, contact loss, missed and ectopic beats as scripted",
          "[devices][sim]") {
    const ScenarioScript script = make_script(Scenario::artifacts, 3);
    REQUIRE(script.dropout);
    REQUIRE(script.contact_loss);
    const double drop_len = script.dropout->end_s - script.dropout->start_s;
    CHECK(drop_len >= 10.0);
    CHECK(drop_len <= 20.0);
    const Run run = generate(Scenario::artifacts, 3, 1800.0);

    // No beat inside a dropout or a contact loss.
    for (double t : run.t) {
        REQUIRE_FALSE((t >= script.dropout->start_s && t < script.dropout->end_s));
        REQUIRE_FALSE((t >= script.contact_loss->start_s && t < script.contact_loss->end_s));
    }
    // Disconnect, reconnect, contact lost, contact back: in that order, at the scripted times.
    REQUIRE(run.statuses.size() == 4);
    CHECK_FALSE(run.statuses[0].connected);
    CHECK(run.statuses[0].t_s == Approx(script.dropout->start_s).margin(2.0));
    CHECK(run.statuses[1].connected);
    CHECK(run.statuses[1].t_s == Approx(script.dropout->end_s).margin(2.0));
    CHECK(run.statuses[2].contact == false);
    CHECK(run.statuses[3].contact == true);

    // Each scripted artifact shows in the RR series next to its time.
    int missed = 0, ectopic = 0;
    for (const auto& a : script.artifacts) {
        for (std::size_t i = 1; i + 1 < run.t.size(); ++i) {
            if (run.t[i] < a.t_s || run.t[i] > a.t_s + 5.0)
                continue;  // a merged pair spans ~2 beats
            const double local = run.rr[i - 1];
            if (a.kind == InjectedArtifact::Kind::missed && run.rr[i] > 1.6 * local) {
                ++missed;
                break;
            }
            if (a.kind == InjectedArtifact::Kind::ectopic && run.rr[i] < 0.9 * local &&
                run.rr[i + 1] > 1.1 * local) {
                ++ectopic;
                break;
            }
        }
    }
    int scripted_missed = 0;
    for (const auto& a : script.artifacts)
        scripted_missed += a.kind == InjectedArtifact::Kind::missed;
    CHECK(missed == scripted_missed);
    CHECK(ectopic == static_cast<int>(script.artifacts.size()) - scripted_missed);
}

TEST_CASE("artifacts: the massage session of the same seed, plus the artifacts", "[devices][sim]") {
    // A paired comparison: whatever the artifacts change downstream is theirs alone.
    for (std::uint64_t seed : {3u, 8u}) {
        const ScenarioScript script = make_script(Scenario::artifacts, seed);
        const Run clean = generate(Scenario::massage, seed, 1800.0);
        const Run art = generate(Scenario::artifacts, seed, 1800.0);
        int ectopics = 0, missed = 0;
        for (const auto& a : script.artifacts)
            (a.kind == InjectedArtifact::Kind::ectopic ? ectopics : missed) += 1;
        // Every beat comes when the massage session's does, but for one premature beat per
        // ectopic (in place of a sinus beat); a missed beat hides one, dropout and contact loss
        // hide theirs.
        std::size_t j = 0, matched = 0, premature = 0;
        for (std::size_t i = 0; i < art.t.size(); ++i) {
            while (j < clean.t.size() && clean.t[j] < art.t[i] - 1e-9) ++j;
            if (j < clean.t.size() && std::abs(clean.t[j] - art.t[i]) < 1e-9)
                ++matched;
            else
                ++premature;
        }
        const auto hidden = [&](double t) {
            return (t >= script.dropout->start_s && t < script.dropout->end_s) ||
                   (t >= script.contact_loss->start_s && t < script.contact_loss->end_s);
        };
        std::size_t clean_shown = 0;
        for (double t : clean.t) clean_shown += !hidden(t) && t <= art.t.back();
        INFO("seed " << seed << ": " << ectopics << " ectopic, " << missed << " missed");
        CHECK(premature == static_cast<std::size_t>(ectopics));
        CHECK(matched + static_cast<std::size_t>(missed + ectopics) == clean_shown);
    }
}
