// The relaxation detector validated against ground truth: simulated sessions with scripted
// relaxation, rest and stress (100 seeds each, through the real per-beat pipeline), and real
// 24-hour recordings spliced from a person's day into their night.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "meditation_splices.hpp"
#include "real_splices.hpp"
#include "relaxation_runs.hpp"
#include "test_support.hpp"

using namespace relaxmon;
using devices::sim::Scenario;

namespace {

struct Latencies {
    int detected = 0, sessions = 0, early = 0;
    std::vector<double> latency_s;  // sorted
    // No detection at all fails every bound.
    double median() const {
        return latency_s.empty() ? INFINITY : test::median_of_sorted(latency_s);
    }
    double p95() const { return latency_s.empty() ? INFINITY : test::p95_of_sorted(latency_s); }
};

Latencies run_scripted(Scenario sc, int first_seed, int seeds) {
    Latencies l;
    for (int s = first_seed; s < first_seed + seeds; ++s) {
        const auto r = test::run_relaxation(sc, static_cast<std::uint64_t>(s), 1200.0);
        const auto d = test::detection(r.onsets_s, *r.script.onset_s);
        ++l.sessions;
        l.early += d.early;
        if (d.latency_s) {
            ++l.detected;
            l.latency_s.push_back(*d.latency_s);
        }
    }
    std::sort(l.latency_s.begin(), l.latency_s.end());
    return l;
}

void check_scripted(const char* name, const Latencies& l) {
    std::printf("relaxation %-9s detected %d/%d, early %d, latency median %.1f s, p95 %.0f s\n",
                name, l.detected, l.sessions, l.early, l.median(), l.p95());
    CHECK(l.detected >= 95 * l.sessions / 100);
    CHECK(l.early == 0);
    // The onset waits for the heart rate itself to fall, against floors of what real resting
    // bodies wander (issue 17): the targets of the realistic body hold for the steady one too.
    CHECK(l.p95() <= 240.0);
    CHECK(l.median() <= 120.0);
}

}  // namespace

TEST_CASE("massage: the relaxation onset is detected, after it happens", "[relaxation][sim]") {
    check_scripted("massage", run_scripted(Scenario::massage, 1, 100));
}

TEST_CASE("artifacts: ectopic and missed beats, a dropout and a contact loss fire nothing",
          "[relaxation][sim]") {
    check_scripted("artifacts", run_scripted(Scenario::artifacts, 1, 100));
}

TEST_CASE("rest: at most one false onset per 10 hours", "[relaxation][sim]") {
    int false_onsets = 0;
    // 50 hours here (the validation report runs more); at most one false onset per 10 hours.
    for (int s = 1; s <= 50; ++s)
        false_onsets += static_cast<int>(
            test::run_relaxation(Scenario::rest, static_cast<std::uint64_t>(s), 3600.0)
                .onsets_s.size());
    std::printf("relaxation rest      %d false onsets in 50 hours\n", false_onsets);
    CHECK(false_onsets <= 5);
}

TEST_CASE("rest: bursts of ectopic beats and a slipping strap fire no onset", "[relaxation][sim]") {
    // Minutes of bigeminy (every other beat 30% early, then a compensatory pause) and 30 s of a
    // strap slipping (wild intervals) in resting sessions: the burst windows are unusable and the
    // features robust, so nothing may move the detector towards an onset.
    struct Burst {
        double from_s, to_s;
        bool slipping;
    };
    const std::vector<Burst> bursts{
        {500.0, 620.0, false}, {900.0, 930.0, true}, {1300.0, 1360.0, false}};
    int onsets_near_bursts = 0, flagged = 0;
    for (int s = 1; s <= 20; ++s) {
        auto script = devices::sim::make_script(Scenario::rest, static_cast<std::uint64_t>(s));
        devices::sim::RrGenerator gen(script);
        session::Pipeline p;
        std::mt19937 rng(static_cast<unsigned>(s));
        std::uniform_real_distribution<double> wild(300.0, 2000.0);
        double t = 0.0, carry_ms = 0.0;
        bool premature_next = true;
        while (t < 1800.0) {
            for (const auto& m : gen.next()) {
                const auto* b = std::get_if<devices::RrBeat>(&m);
                if (!b) continue;
                double rr = b->rr_ms + carry_ms;
                carry_ms = 0.0;
                const auto in = std::find_if(bursts.begin(), bursts.end(), [&](const Burst& x) {
                    return b->t_s >= x.from_s && b->t_s < x.to_s;
                });
                if (in != bursts.end() && in->slipping) {
                    rr = wild(rng);
                } else if (in != bursts.end()) {
                    if (premature_next) {
                        carry_ms = 0.3 * rr;
                        rr *= 0.7;
                    }
                    premature_next = !premature_next;
                }
                t += rr / 1000.0;
                const auto out = p.on_beat(devices::RrBeat{t, rr, 0});
                flagged += out.artifact != dsp::ArtifactClass::none;
                if (const auto& ev = p.relax().event; ev && ev->kind == "relaxation_onset")
                    for (const auto& x : bursts)
                        if (ev->t_s >= x.from_s && ev->t_s < x.to_s + 120.0) {
                            INFO("seed " << s << ": onset at " << ev->t_s);
                            ++onsets_near_bursts;
                        }
            }
        }
    }
    CHECK(flagged > 20 * 100);  // the bursts were there and seen
    CHECK(onsets_near_bursts == 0);
}

TEST_CASE("stress: never relaxation, always arousal", "[relaxation][sim]") {
    for (int s = 1; s <= 30; ++s) {
        const auto r =
            test::run_relaxation(Scenario::stress, static_cast<std::uint64_t>(s), 1200.0);
        INFO("seed " << s);
        CHECK(r.onsets_s.empty());
        CHECK(r.aroused);
    }
}

TEST_CASE("breathwork: heart rate climbing while breathing slows is arousal, never relaxation",
          "[relaxation]") {
    // Slow, deep breaths with big RSA swings while heart rate climbs 15-30 bpm (an active
    // practice, on the realistic simulated body): the heart rate decides.
    for (int s = 1; s <= 10; ++s) {
        const auto r =
            test::run_relaxation(Scenario::breathwork, static_cast<std::uint64_t>(s), 1200.0);
        const double changed_from_s = *r.script.onset_s + r.script.transition_s;
        INFO("seed " << s << ": HR " << r.script.baseline.hr_bpm << " -> "
                     << r.script.changed.hr_bpm << ", aroused " << r.aroused_s << " s, relaxed "
                     << r.relaxed_s << " s");
        // The practice's first minute may look like relaxation (breathing slows and the swing
        // grows before heart rate climbs); once it climbs, relaxed ends.
        CHECK(r.onsets_s.size() <= 1);
        CHECK(r.relaxed_s < 120.0);
        // Aroused for most of the time at the higher heart rate.
        CHECK(r.aroused_s > 0.6 * (1200.0 - changed_from_s));
    }
}

TEST_CASE(
    "relaxed never holds while 5 minutes of heart rate above and RMSSD below baseline say "
    "otherwise",
    "[relaxation]") {
    // A relaxation response (heart rate down, RMSSD up, slow breathing with a big RSA swing);
    // then heart rate creeps 3.5 bpm above baseline and RMSSD 4% below it, each well inside the
    // baseline's wide spread, while breathing stays slow and the swing big: the breathing
    // evidence alone would keep calling it relaxation.
    auto features = [](double t) {
        dsp::RelaxFeatures f;
        f.t_s = t;
        if (t < 300.0) {  // baseline: heart rate swinging 55-75 bpm
            f.hr_bpm = 65.0 + 10.0 * std::sin(t / 9.0);
            f.rmssd_ms = 40.0 + 2.0 * std::sin(t / 5.0);
            f.resp_rate_bpm = 14.0 + std::sin(t / 11.0);
            f.rsa_amplitude_ms = 40.0 + 4.0 * std::sin(t / 6.0);
        } else {
            const bool later = t > 700.0;
            f.hr_bpm = (later ? 68.5 : 58.0) + 0.5 * std::sin(t / 7.0);
            f.rmssd_ms = later ? 38.5 : 55.0;
            f.resp_rate_bpm = 6.0;
            f.rsa_amplitude_ms = 90.0;
        }
        return f;
    };
    auto run = [&](const dsp::RelaxationDetector::Params& params) {
        dsp::RelaxationDetector d(params);
        std::vector<dsp::RelaxState> states;
        for (double t = 0.0; t < 1500.0; t += 1.0) states.push_back(d.push(features(t)).state);
        return states;
    };
    const auto guarded = run({});
    // Relaxed before the creep (so the test can see it end) ...
    CHECK(std::count(guarded.begin() + 400, guarded.begin() + 700, dsp::RelaxState::relaxed) > 200);
    // ... and never once the last 5 minutes hold heart rate 3+ bpm up and ln RMSSD down (from
    // 700 + 300 * (3 / 10.5) s on, the 5-minute mean heart rate is 3+ bpm over the baseline's
    // ~65; 5 minutes after the creep began, certainly).
    for (std::size_t t = 1000; t < guarded.size(); ++t) {
        INFO("t " << t);
        CHECK(guarded[t] != dsp::RelaxState::relaxed);
    }
    // Without the guard the same evidence stays relaxed: the test can fail.
    dsp::RelaxationDetector::Params off;
    off.contradiction_hr_bpm = 1e9;
    const auto unguarded = run(off);
    CHECK(unguarded.back() == dsp::RelaxState::relaxed);
}

TEST_CASE("real recordings: a day-to-night splice relaxes after the splice, steady stretches never",
          "[relaxation][reference]") {
    for (const char* rec : {"rr/nsr2db/nsr001.ecg", "rr/nsr2db/nsr004.ecg"}) {
        const auto path = test::shared_data(rec);
        if (!path) return;
        const auto r = test::real_sessions(*path);
        for (const auto& [name, sp] :
             {std::pair{"busiest day", r.busiest}, std::pair{"calm day", r.calm}}) {
            INFO(rec << ", " << name << ": HR " << sp.day_hr_bpm << " -> " << sp.night_hr_bpm
                     << ", splice at " << sp.splice_s << " s");
            REQUIRE_FALSE(sp.onsets_s.empty());
            CHECK(sp.onsets_s.front() > sp.splice_s);
            CHECK(sp.onsets_s.front() < sp.splice_s + 300.0);
        }
        INFO(rec << ": steadiest stretch, spread " << r.steady_spread << " (in detector floors)");
        CHECK(r.steady_onsets_s.empty());
    }
}

TEST_CASE(
    "real meditation splices: onsets where heart rate falls, aroused where it climbs, no "
    "contradiction, a steady relax index",
    "[relaxation][reference]") {
    // PhysioNet meditation: the last 6 minutes of each person's pre-meditation file, then the
    // meditation (Chi: spontaneous breathing; Kundalini Y1, Y3: an active practice, heart rate
    // climbing 15-35 bpm), replayed beat by beat through the live pipeline.
    const auto index = test::shared_data("real/meditation/index.csv");
    if (!index) return;
    const auto boundaries = test::splice_boundaries(*index);
    for (const char* who : {"C1", "C3", "C5", "C7", "Y1", "Y3"}) {
        const auto path = test::shared_data(std::string("real/meditation/spliced_pre_then_med/") +
                                            who + "_pre_then_med.rr.csv");
        REQUIRE(path);
        const auto r = test::run_meditation_splice(*path, boundaries.at(who));
        INFO(who << ": HR " << r.hr_before_bpm << " -> " << r.hr_late_bpm << ", " << r.onsets
                 << " onsets, relaxed " << r.relaxed_s << " s, aroused " << r.aroused_s
                 << " s, contradiction " << r.contradiction_s << " s, index median 30-s change "
                 << r.index_median_30s_change);
        // Measured: C1 66->76 bpm no onset; C3 73->76 one onset, 190 s relaxed; C5 70->66
        // relaxed 54 min; C7 81->83; Y1 65->98 and Y3 67->81 no onset, aroused 10-11 min;
        // contradiction 0 s everywhere; index median 30-s change 0.0-4.1 points.
        CHECK(r.contradiction_s == 0.0);
        CHECK(r.index_median_30s_change <= 5.0);
        if (r.hr_late_bpm >= r.hr_before_bpm + 15.0) {
            CHECK(r.onsets == 0);
            CHECK(r.aroused_s > 60.0);
        }
    }
}
