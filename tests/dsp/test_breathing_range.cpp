// Breathing from 3 to 20 breaths/min, from the heart rhythm: the simulated person follows a pacer
// (lopsided breaths, 1:1.5 in:out, the RSA's harmonics, Mayer waves and 1/f variability beside
// it) at every half breath from 3 to 8/min and at 10, 15 and 20/min. The breath count
// (RsaBreaths) and the 5-minute spectrum must each read the pacer within 0.5/min or say they are
// unsure: never a confident wrong number, no harmonic, no band edge.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "relaxmon/devices/sim/rr_generator.hpp"
#include "relaxmon/dsp/artifact_screen.hpp"
#include "relaxmon/dsp/breathing_rate.hpp"
#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/rsa_breaths.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"
#include "test_support.hpp"

namespace sim = relaxmon::devices::sim;
using relaxmon::dsp::RsaBreaths;

namespace {

struct PacedRun {
    double pace_bpm;
    std::size_t judged = 0, counted = 0, counted_wrong = 0;
    std::vector<double> count_errors;
    std::size_t spectra = 0, spectra_confident = 0, spectra_wrong = 0, spectra_flagged = 0;
};

PacedRun run_paced(double pace_bpm, std::uint64_t seed) {
    const auto script = sim::make_script(sim::Scenario::paced, seed, pace_bpm);
    sim::RrGenerator gen(script);
    RsaBreaths breaths;
    relaxmon::dsp::SlidingHrv sliding;
    PacedRun run;
    run.pace_bpm = pace_bpm;
    std::vector<double> t_s, rr_ms;
    // Judged from 90 s after the pacer starts (a few slow breaths must be seen) for 10 minutes.
    const double from_s = *script.onset_s + script.transition_s + 90.0, to_s = from_s + 600.0;
    double next_spectrum_s = from_s + 300.0;
    for (double t = 0.0; t < to_s;) {
        for (const auto& m : gen.next()) {
            const auto* beat = std::get_if<relaxmon::devices::RrBeat>(&m);
            if (!beat) continue;
            t = beat->t_s;
            breaths.push(t, beat->rr_ms, false);
            t_s.push_back(t);
            rr_ms.push_back(beat->rr_ms);
            if (t < from_s) continue;
            ++run.judged;
            sliding.push(t, beat->rr_ms, false);
            // What the dashboard shows as sure (Pipeline::breath_rate_bpm).
            const auto shown =
                relaxmon::dsp::sure_breathing_rate_bpm(breaths.values(), sliding.values());
            if (const auto r = shown) {
                ++run.counted;
                const double err = std::abs(*r - pace_bpm);
                run.count_errors.push_back(err);
                if (err > 0.5) ++run.counted_wrong;
            }
            if (t >= next_spectrum_s) {  // the 5-minute spectrum every 30 s
                next_spectrum_s += 30.0;
                std::size_t i = 0;
                while (t_s[i] < t - 300.0) ++i;
                const std::vector<double> wt(t_s.begin() + static_cast<std::ptrdiff_t>(i),
                                             t_s.end());
                const std::vector<double> wr(rr_ms.begin() + static_cast<std::ptrdiff_t>(i),
                                             rr_ms.end());
                const auto fd = relaxmon::dsp::hrv_frequency(wt, wr);
                REQUIRE(fd);
                ++run.spectra;
                // Under 9/min the breathing peak sits in LF: LF/HF and HF are flagged.
                if (pace_bpm < 9.0 && !fd->hf_interpretable) ++run.spectra_flagged;
                if (pace_bpm >= 9.0 && fd->hf_interpretable) ++run.spectra_flagged;
                if (fd->resp_rate_bpm && fd->resp_confident) {
                    ++run.spectra_confident;
                    if (std::abs(*fd->resp_rate_bpm - pace_bpm) > 0.5) ++run.spectra_wrong;
                }
            }
        }
    }
    return run;
}

// PhysioNet meditation M1-M7: supine, breathing to a metronome at 0.25 Hz (README of
// ../shared/data/real). None when the data are not at hand.
struct MetronomeRecord {
    int m;
    std::vector<double> t_s, rr_ms;
};
std::vector<MetronomeRecord> metronome_records() {
    std::vector<MetronomeRecord> out;
    for (int m = 1; m <= 7; ++m) {
        const auto path =
            relaxmon::test::shared_data("real/meditation/M" + std::to_string(m) + ".rr.csv");
        if (!path) return {};
        const auto table = relaxmon::test::read_csv(*path);
        out.push_back({m, table.numbers("t_s"), table.numbers("rr_ms")});
    }
    return out;
}

}  // namespace

TEST_CASE("Breathing is read right from 3 to 20 breaths/min, or marked unsure") {
    std::vector<double> paces;
    for (double r = 3.0; r <= 8.01; r += 0.5) paces.push_back(r);
    for (double r : {10.0, 15.0, 20.0}) paces.push_back(r);
    for (double pace : paces) {
        for (std::uint64_t seed : {1u, 2u}) {
            PacedRun run = run_paced(pace, seed);
            std::sort(run.count_errors.begin(), run.count_errors.end());
            INFO("pace " << pace << "/min, seed " << seed << ": counted " << run.counted << " of "
                         << run.judged << " beats, " << run.counted_wrong << " off by > 0.5/min"
                         << "; spectra " << run.spectra_confident << " confident of " << run.spectra
                         << ", " << run.spectra_wrong << " wrong");
            // A sure number most of the time while breathing is slow (a big RSA swing); a wrong
            // one almost never (for a moment, a sigh or a stray breath in the window).
            // At 3/min a minute holds three breaths, and the swing no more than at 6/min
            // (resonance): a sure number a third of the time at least.
            if (pace <= 8.0) CHECK(run.counted >= run.judged / (pace < 3.5 ? 3 : 2));
            CHECK(run.counted_wrong * 40 <= run.judged);
            if (!run.count_errors.empty())
                CHECK(run.count_errors[run.count_errors.size() / 2] < 0.25);
            // The spectrum: confident only when right.
            CHECK(run.spectra_wrong == 0);
            // LF/HF marked not interpretable below 9/min whenever the peak is clear.
            if (pace < 9.0) CHECK(run.spectra_flagged == run.spectra_confident);
            if (pace >= 9.0) CHECK(run.spectra_flagged == run.spectra);
        }
    }
}

TEST_CASE("Real metronomic breathing (15/min, M1-M7) reads 14.5-14.8/min or unsure",
          "[dsp][breathing][reference]") {
    // The records' breathing peak sits at 14.5-14.8/min. Judged after the first 2 minutes, as
    // the dashboard shows it: a sure count, else a steady spectral peak.
    for (const auto& [m, t_s, rr_ms] : metronome_records()) {
        RsaBreaths breaths;
        relaxmon::dsp::SlidingHrv sliding;
        relaxmon::dsp::ArtifactScreen screen;
        std::size_t judged = 0, sure = 0, wrong = 0, flagged = 0;
        for (std::size_t i = 0; i < t_s.size(); ++i) {
            const auto sb = screen.push(rr_ms[i], false);
            if (sb.artifact != relaxmon::dsp::ArtifactClass::none) ++flagged;
            breaths.push(t_s[i], sb.rr_corrected_ms, false,
                         sb.artifact != relaxmon::dsp::ArtifactClass::none);
            sliding.push(t_s[i], sb.rr_corrected_ms, false);
            if (t_s[i] < 120.0) continue;
            ++judged;
            const auto& v = breaths.values();
            const auto shown = relaxmon::dsp::sure_breathing_rate_bpm(v, sliding.values());
            if (!shown) continue;
            ++sure;
            if (*shown < 14.0 || *shown > 15.3) {
                ++wrong;
            }
        }
        INFO("M" << m << ": sure on " << sure << " of " << judged << " beats, " << wrong
                 << " outside 14.0-15.3/min; " << flagged << " beats flagged by the screen");
        // A sure number off by more than half a breath a minute at most on 2.5% of beats
        // (measured: M1 0.5%, the others none); sure on 0-65% of beats.
        CHECK(wrong * 40 <= judged);
    }
}

TEST_CASE("Real metronomic breathing: a slow wave in the spectrum is not read as slow breathing",
          "[dsp][breathing][reference]") {
    // M1's strongest peak lies at 5.2/min (a slow wave beside the 15/min RSA of a supine body):
    // the 5-minute spectra must not call it breathing, nor flag HF as not interpretable, while
    // the breaths counted in the same stretch say 15/min.
    for (const auto& [m, t_s, rr_ms] : metronome_records()) {
        for (double from = t_s.front(); from + 300.0 <= t_s.back(); from += 60.0) {
            std::vector<double> t, rr;
            for (std::size_t i = 0; i < t_s.size(); ++i)
                if (t_s[i] >= from && t_s[i] < from + 300.0) {
                    t.push_back(t_s[i]);
                    rr.push_back(rr_ms[i]);
                }
            const auto fd = relaxmon::dsp::hrv_frequency(t, rr);
            REQUIRE(fd);
            INFO("M" << m << " from " << from << " s: peak " << fd->resp_rate_bpm.value_or(0.0)
                     << "/min, confident " << fd->resp_confident);
            CHECK(fd->hf_interpretable);
            if (fd->resp_confident) CHECK(std::abs(*fd->resp_rate_bpm - 14.7) < 0.7);
        }
    }
}

TEST_CASE("Uneven slow breathing flags HF as not interpretable even without a clear peak",
          "[dsp][breathing]") {
    // The realistic body breathes unevenly: slowing to 6-8/min in a massage, to 4-6/min in a
    // breathing practice, its breaths spread their power over the LF band and the 5-minute
    // spectrum often shows no clear peak. Counted breaths under 9/min beside the slow peak still
    // flag LF/HF and HF; at rest (12-16/min) nothing changes.
    struct Tally {
        int windows = 0, flagged = 0, unclear = 0, flagged_unclear = 0;
        int rate_off = 0;  // flagged, with the rate behind the flag off by more than 1.5/min
    };
    auto tally = [](sim::Scenario scenario, bool slow) {
        Tally t;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const auto script = sim::make_script(scenario, seed, std::nullopt, true);
            sim::RrGenerator gen(script);
            std::vector<double> t_s, rr_ms, breathing_bpm;  // the body's own, wander included
            while (t_s.empty() || t_s.back() < 1800.0)
                for (const auto& m : gen.next())
                    if (const auto* b = std::get_if<relaxmon::devices::RrBeat>(&m)) {
                        t_s.push_back(b->t_s);
                        rr_ms.push_back(b->rr_ms);
                        breathing_bpm.push_back(gen.breathing_bpm());
                    }
            for (double from = 0.0; from + 300.0 <= 1800.0; from += 300.0) {
                double hi_bpm = 0.0, lo_bpm = 1e9;  // the script's breathing over the window
                for (double x = from; x <= from + 300.0; x += 10.0) {
                    hi_bpm = std::max(hi_bpm, script.at(x).breathing_bpm);
                    lo_bpm = std::min(lo_bpm, script.at(x).breathing_bpm);
                }
                if (slow ? hi_bpm >= 8.5 : lo_bpm < 10.0) continue;
                std::vector<double> wt, wr;
                double breathing_sum_bpm = 0.0;
                for (std::size_t i = 0; i < t_s.size(); ++i)
                    if (t_s[i] >= from && t_s[i] < from + 300.0) {
                        wt.push_back(t_s[i]);
                        wr.push_back(rr_ms[i]);
                        breathing_sum_bpm += breathing_bpm[i];
                    }
                const double mean_bpm = breathing_sum_bpm / static_cast<double>(wt.size());
                const auto fd = relaxmon::dsp::hrv_frequency(wt, wr);
                REQUIRE(fd);
                ++t.windows;
                t.flagged += !fd->hf_interpretable;
                if (!fd->hf_interpretable) {
                    REQUIRE(fd->slow_breathing_bpm);
                    t.rate_off += std::abs(*fd->slow_breathing_bpm - mean_bpm) > 1.5;
                }
                t.unclear += !fd->resp_confident;
                t.flagged_unclear += !fd->resp_confident && !fd->hf_interpretable;
            }
        }
        return t;
    };
    const Tally massage = tally(sim::Scenario::massage, true);
    const Tally practice = tally(sim::Scenario::breathwork, true);
    const Tally rest = tally(sim::Scenario::rest, false);
    INFO("massage, slow: " << massage.flagged << " of " << massage.windows << " flagged ("
                           << massage.unclear
                           << " without a clear peak); breathing practice: " << practice.flagged
                           << " of " << practice.windows << " (" << practice.unclear
                           << "); rest: " << rest.flagged << " of " << rest.windows
                           << "; the rate behind the flag off by > 1.5/min: " << massage.rate_off
                           << ", " << practice.rate_off);
    // Measured (seeds 1-10): massage 39 of 40 (before, a clear peak only: 26), practice 38 of 40
    // (before 33), rest 0 of 60. What is left are breaths the count splits. The rate behind the
    // flag is off by more than 1.5/min from the body's own in 1 massage window; in 10 of the
    // practice's, whose body breathes at 3-4/min with uneven breaths: a steady Mayer wave near
    // 6/min then makes the clearer peak (still below 9/min, so the flag stands).
    REQUIRE(massage.windows >= 30);
    REQUIRE(practice.windows >= 30);
    CHECK(massage.flagged_unclear >= 5);  // the case at hand: flagged without a clear peak
    CHECK(massage.flagged * 20 >= massage.windows * 19);
    CHECK(practice.flagged * 20 >= practice.windows * 17);
    CHECK(rest.flagged * 50 <= rest.windows);
    CHECK(massage.rate_off * 20 <= massage.flagged);
}

TEST_CASE("The sure breathing rate when the count and the spectrum disagree", "[breathing][sure]") {
    using relaxmon::dsp::SlidingHrv;
    using relaxmon::dsp::sure_breathing_rate_bpm;
    const auto counted = [](double rate_bpm, bool confident) {
        RsaBreaths::Values v;
        v.rate_bpm = rate_bpm;
        v.rate_confident = confident;
        return v;
    };
    // A clear 5-min peak, its 2-min and 64-s peaks (nullopt: not computed or not clear).
    const auto spectral = [](double five_min, std::optional<double> two_min,
                             std::optional<double> s64) {
        SlidingHrv::Values v;
        v.resp_rate_bpm = five_min;
        v.resp_confident = true;
        v.resp_rate_short_bpm = two_min;
        v.resp_rate_64s_bpm = s64;
        return v;
    };
    // A sure count stands alone, and with a steady peak that agrees.
    CHECK(sure_breathing_rate_bpm(counted(14.6, true), {}) == 14.6);
    CHECK(sure_breathing_rate_bpm(counted(14.6, true), spectral(14.4, 14.5, 14.1)) == 14.6);
    // A sure count at twice a steady 3/min peak: a lopsided slow breath counted as two, or a
    // slow wave beside faster breathing; neither is shown as sure.
    CHECK_FALSE(sure_breathing_rate_bpm(counted(6.1, true), spectral(3.05, 3.0, {})));
    // A sure count at 9/min or more stands against a slow peak: that is a slow wave.
    CHECK(sure_breathing_rate_bpm(counted(14.0, true), spectral(4.5, 4.4, {})) == 14.0);
    // At 3/min 64 s hold no peak of their own: the 2-min peak confirms the 5-min one, and an
    // unsure count (ripples counted as breaths) has no say.
    CHECK(sure_breathing_rate_bpm(counted(17.0, false), spectral(3.05, 2.93, {})) == 3.05);
    CHECK_FALSE(sure_breathing_rate_bpm(counted(17.0, false), spectral(3.05, 3.8, {})));
    // From 5/min on, an unsure count far off still vetoes the peak (a slow wave's).
    CHECK_FALSE(sure_breathing_rate_bpm(counted(14.5, false), spectral(6.0, 6.1, 6.2)));
    CHECK(sure_breathing_rate_bpm(counted(6.5, false), spectral(6.0, 6.1, 6.2)) == 6.0);
    // A 5-min window still reaching back over a change of rate: its 2-min peak is elsewhere.
    CHECK_FALSE(sure_breathing_rate_bpm(counted(5.2, false), spectral(5.51, 4.92, 5.04)));
}
