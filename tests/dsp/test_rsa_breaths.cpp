// RsaBreaths against RR series whose breathing is known: a synthetic series with irregular breaths
// at two rates and amplitudes, and the simulated strap's scripted massage (breathing slowing from
// ~14 to ~7 a minute), where the breath count must follow the change sooner than a spectrum can.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>
#include <vector>

#include "relaxmon/devices/sim/rr_generator.hpp"
#include "relaxmon/dsp/breath_counter.hpp"
#include "relaxmon/dsp/rsa_breaths.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"

using relaxmon::dsp::RsaBreaths;

namespace {

struct Beat {
    double t_s, rr_ms;
};
struct Segment {
    double duration_s, breaths_per_min, rsa_ms;  // rsa_ms: half the peak-to-trough swing
};

// Heart beats at ~62/min; RR = 970 ms + RSA at the breathing phase (each breath 0.9-1.1 of its
// nominal length) + a 12-ms Mayer wave at 0.09 Hz + 4 ms of white noise.
std::vector<Beat> breathing_series(const std::vector<Segment>& segments, std::uint64_t seed,
                                   std::vector<double>* true_period_end_s = nullptr) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, 4.0);
    std::uniform_real_distribution<double> jitter(0.9, 1.1);
    std::vector<Beat> beats;
    double t = 0.0, phase = 0.0, seg_start = 0.0;
    std::size_t seg = 0;
    double breath_s = 60.0 / segments[0].breaths_per_min;
    const double total = [&] {
        double s = 0.0;
        for (const auto& x : segments) s += x.duration_s;
        return s;
    }();
    while (t < total) {
        while (seg + 1 < segments.size() && t >= seg_start + segments[seg].duration_s)
            seg_start += segments[seg++].duration_s;
        const double rr = 970.0 + segments[seg].rsa_ms * std::sin(2.0 * std::numbers::pi * phase) +
                          12.0 * std::sin(2.0 * std::numbers::pi * 0.09 * t) + noise(rng);
        t += rr / 1000.0;
        beats.push_back({t, rr});
        phase += rr / 1000.0 / breath_s;
        while (phase >= 1.0) {
            phase -= 1.0;
            breath_s = 60.0 / segments[seg].breaths_per_min * jitter(rng);
            if (true_period_end_s) true_period_end_s->push_back(t);
        }
    }
    return beats;
}

}  // namespace

TEST_CASE("RsaBreaths counts irregular breaths at 15 and at 7 a minute and their RSA swing") {
    const auto beats = breathing_series({{180.0, 15.0, 20.0}, {180.0, 7.0, 40.0}}, 7);
    RsaBreaths b;
    std::vector<double> fast_rate, slow_rate, fast_amp, slow_amp;
    std::size_t fast_beats = 0, slow_beats = 0;
    for (const auto& x : beats) {
        b.push(x.t_s, x.rr_ms, false);
        const auto& v = b.values();
        if (x.t_s > 60.0 && x.t_s < 180.0) {
            ++fast_beats;
            REQUIRE(v.rsa_amplitude_ms);
            fast_amp.push_back(*v.rsa_amplitude_ms);
            if (v.rate_bpm) fast_rate.push_back(*v.rate_bpm);
        }
        if (x.t_s > 270.0) {
            ++slow_beats;
            REQUIRE(v.rsa_amplitude_ms);
            slow_amp.push_back(*v.rsa_amplitude_ms);
            if (v.rate_bpm) slow_rate.push_back(*v.rate_bpm);
        }
    }
    CHECK(fast_rate.size() == fast_beats);
    CHECK(slow_rate.size() == slow_beats);
    auto mean = [](const std::vector<double>& v) {
        double s = 0.0;
        for (double x : v) s += x;
        return s / static_cast<double>(v.size());
    };
    // Breath lengths jitter +-10%, so the mean of a few breaths wanders by ~0.5/min.
    CHECK(mean(fast_rate) == Approx(15.0).margin(0.5));
    CHECK(mean(slow_rate) == Approx(7.0).margin(0.3));
    for (double r : fast_rate) CHECK(std::abs(r - 15.0) < 2.0);
    for (double r : slow_rate) CHECK(std::abs(r - 7.0) < 1.0);
    // Peak to trough is twice the RSA amplitude (less at 15/min, where ~4 beats a breath sample
    // the wave coarsely); doubling the RSA doubles the swing at least.
    CHECK(mean(slow_amp) == Approx(80.0).epsilon(0.2));
    CHECK(mean(fast_amp) > 25.0);
    CHECK(mean(slow_amp) / mean(fast_amp) > 2.0);
}

TEST_CASE("RsaBreaths restarts at a gap and never measures a breath across it") {
    const auto beats = breathing_series({{240.0, 12.0, 25.0}}, 3);
    RsaBreaths b;
    std::optional<double> first_after_gap_s;
    std::vector<double> rates;
    bool gap = false;
    for (const auto& x : beats) {
        if (x.t_s > 120.0 && x.t_s < 135.0) {  // 15 s of beats lost
            gap = true;
            continue;
        }
        b.push(x.t_s, x.rr_ms, gap);
        gap = false;
        const auto& v = b.values();
        if (x.t_s >= 135.0 && v.rate_bpm && !first_after_gap_s) first_after_gap_s = x.t_s;
        if (x.t_s >= 135.0 && v.last_breath_t_s) CHECK(*v.last_breath_t_s > 135.0);
        if (x.t_s > 60.0 && (x.t_s < 120.0 || x.t_s > 180.0)) {
            REQUIRE(v.rate_bpm);
            // Breaths each 0.9-1.1 of 5 s, nudged by the Mayer wave.
            CHECK(*v.rate_bpm == Approx(12.0).margin(2.0));
            rates.push_back(*v.rate_bpm);
        }
    }
    CHECK(std::accumulate(rates.begin(), rates.end(), 0.0) / static_cast<double>(rates.size()) ==
          Approx(12.0).margin(0.5));
    // Settling (10 s) plus three breaths of 5 s at least.
    REQUIRE(first_after_gap_s);
    CHECK(*first_after_gap_s > 135.0 + 20.0);
}

TEST_CASE("RsaBreaths follows the simulated massage's slowing breath sooner than a 64-s spectrum") {
    namespace sim = relaxmon::devices::sim;
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
        const auto script = sim::make_script(sim::Scenario::massage, seed);
        sim::RrGenerator gen(script);
        RsaBreaths b;
        relaxmon::dsp::SlidingHrv sliding;
        std::vector<double> errors;
        std::size_t judged = 0;
        const double mid_rate =
            0.5 * (script.baseline.breathing_bpm + script.changed.breathing_bpm);
        std::optional<double> count_mid_s, spectrum_mid_s, truth_mid_s, count_below_s,
            spectrum_below_s, truth_below_s;
        std::size_t confident = 0, confident_wrong = 0;
        auto settle = [&](std::optional<double>& below_since_s, std::optional<double>& mid_s,
                          std::optional<double> rate, double t_s) {
            if (t_s <= 60.0 || mid_s) return;
            if (!rate || *rate >= mid_rate) {
                below_since_s.reset();
                return;
            }
            if (!below_since_s) below_since_s = t_s;
            if (t_s - *below_since_s >= 90.0) mid_s = below_since_s;
        };
        for (double t = 0.0; t < *script.onset_s + script.transition_s + 120.0;) {
            for (const auto& m : gen.next()) {
                const auto* beat = std::get_if<relaxmon::devices::RrBeat>(&m);
                if (!beat) continue;
                t = beat->t_s;
                b.push(t, beat->rr_ms, false);
                sliding.push(t, beat->rr_ms, false);
                const auto& v = b.values();
                ++judged;
                if (t > 60.0 && v.rate_bpm) {
                    // Against the breath the simulated body is taking (its rate wanders).
                    errors.push_back(std::abs(*v.rate_bpm - gen.breathing_bpm()));
                }
                settle(truth_below_s, truth_mid_s, gen.breathing_bpm(), t);
                if (t > 60.0 && v.rate_bpm && v.rate_confident) {
                    ++confident;
                    if (std::abs(*v.rate_bpm - gen.breathing_bpm()) > 2.0) ++confident_wrong;
                }
                // Irregular breaths cross the midpoint now and then: the crossing counts once the
                // estimate stays below it for 90 s (a
                // minute of merged breaths, marked unsure, reads half the rate).
                const auto spec = sliding.values().resp_rate_64s_bpm;
                settle(count_below_s, count_mid_s, v.rate_bpm, t);
                settle(spectrum_below_s, spectrum_mid_s, spec, t);
            }
        }
        std::sort(errors.begin(), errors.end());
        INFO("seed " << seed);
        CHECK(errors.size() >= judged * 8 / 10);
        // Each breath 0.7-1.3 of its length (as in real rest), sighs: the mean of the last few
        // breaths strays from the body's rate by 1-2/min at 14/min.
        CHECK(errors[errors.size() / 2] < 1.3);
        // Breaths merged by the count (a minute at half the rate) are marked unsure.
        INFO(confident << " confident, " << confident_wrong << " of them off by > 2/min");
        CHECK(confident_wrong <= confident / 50);
        // Half-way through the change: the count within a minute of the body (unsure, it takes
        // a minute of breaths), and no later than
        // the spectrum (whose 64-s window lags by half its length).
        REQUIRE(truth_mid_s);
        REQUIRE(count_mid_s);
        CHECK(*count_mid_s > *truth_mid_s - 30.0);
        CHECK(*count_mid_s < *truth_mid_s + 60.0);
        if (spectrum_mid_s) CHECK(*count_mid_s < *spectrum_mid_s + 5.0);
    }
}

TEST_CASE("RsaBreaths rebuilds ectopic pairs instead of counting their stand-ins as breaths") {
    // Strong RSA (+-45 ms at 12/min); every ~20 s the beat on an RSA crest is premature (70% of
    // its interval) and the next one its compensatory pause. The live screen hands on the median
    // (970 ms) for the premature beat and the rest of the pair for the pause.
    const auto beats = breathing_series({{600.0, 12.0, 45.0}}, 11);
    struct Run {
        RsaBreaths b;
        std::vector<double> rate, amp;
        void note(double t_s) {
            if (t_s > 60.0 && b.values().rate_bpm) {
                rate.push_back(*b.values().rate_bpm);
                amp.push_back(*b.values().rsa_amplitude_ms);
            }
        }
    } clean, rebuilt, taken_back, naive;
    double next_ectopic_s = 30.0;
    int ectopics = 0;
    for (std::size_t i = 0; i < beats.size(); ++i) {
        const auto& x = beats[i];
        const bool crest = i > 0 && i + 2 < beats.size() && x.rr_ms > beats[i - 1].rr_ms &&
                           x.rr_ms > beats[i + 1].rr_ms;
        clean.b.push(x.t_s, x.rr_ms, false);
        if (crest && x.t_s > next_ectopic_s) {
            next_ectopic_s = x.t_s + 20.0;
            ++ectopics;
            const auto& pause = beats[++i];
            const double premature_ms = 0.7 * x.rr_ms;
            const double t_premature_s = x.t_s - 0.3 * x.rr_ms / 1000.0;
            const double rest_ms = x.rr_ms + pause.rr_ms - 970.0;
            clean.b.push(pause.t_s, pause.rr_ms, false);
            clean.note(pause.t_s);
            rebuilt.b.push(t_premature_s, 970.0, false, true);
            rebuilt.b.push(pause.t_s, rest_ms, false, true);
            // The screen may know the premature beat only by its pause (passed on as it came, the
            // pair keeping its sum): taken back then.
            taken_back.b.push(t_premature_s, premature_ms, false);
            taken_back.b.push(pause.t_s, pause.rr_ms + 0.3 * x.rr_ms, false, true, true);
            naive.b.push(t_premature_s, 970.0, false);
            naive.b.push(pause.t_s, rest_ms, false);
            for (Run* r : {&rebuilt, &taken_back, &naive}) r->note(pause.t_s);
            continue;
        }
        clean.note(x.t_s);
        for (Run* r : {&rebuilt, &taken_back, &naive}) {
            r->b.push(x.t_s, x.rr_ms, false);
            r->note(x.t_s);
        }
    }
    REQUIRE(ectopics >= 25);
    auto mean_abs_diff = [](const std::vector<double>& a, const std::vector<double>& b) {
        const std::size_t n = std::min(a.size(), b.size());
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) s += std::abs(a[i] - b[i]);
        return s / static_cast<double>(n);
    };
    const double rebuilt_rate = mean_abs_diff(rebuilt.rate, clean.rate);
    const double rebuilt_amp = mean_abs_diff(rebuilt.amp, clean.amp);
    const double naive_rate = mean_abs_diff(naive.rate, clean.rate);
    const double naive_amp = mean_abs_diff(naive.amp, clean.amp);
    INFO("rate off by " << rebuilt_rate << "/min rebuilt, " << naive_rate << " fed as they are");
    INFO("amplitude off by " << rebuilt_amp << " ms rebuilt, " << naive_amp << " fed as they are");
    CHECK(rebuilt_rate < 0.3);
    CHECK(naive_rate > 3.0 * rebuilt_rate);
    CHECK(rebuilt_amp < 3.0);  // of ~85 ms peak to trough
    CHECK(naive_amp > 2.0 * rebuilt_amp);
    // Taking a beat back is the same as never having taken it.
    REQUIRE(taken_back.rate.size() == rebuilt.rate.size());
    for (std::size_t i = 0; i < rebuilt.rate.size(); ++i) {
        CHECK(taken_back.rate[i] == rebuilt.rate[i]);
        CHECK(taken_back.amp[i] == rebuilt.amp[i]);
    }
}

TEST_CASE(
    "RsaBreaths bridges a premature beat that resets the rhythm instead of feeding its length") {
    // An atrial premature beat may reset the sinus node: no compensatory pause, the rhythm goes on
    // from the early beat. Its stand-in spans no whole cycle, so the breaths are bridged over it;
    // its own 70% interval would cut a trough into an RSA crest every 20 s.
    const auto beats = breathing_series({{600.0, 12.0, 45.0}}, 5);
    RsaBreaths clean, bridged, raw;
    double shift_s = 0.0, next_ectopic_s = 30.0;
    std::vector<double> clean_amp, bridged_amp, raw_amp, clean_rate, bridged_rate, raw_rate;
    for (std::size_t i = 0; i < beats.size(); ++i) {
        const auto& x = beats[i];
        clean.push(x.t_s, x.rr_ms, false);
        const bool crest = i > 0 && i + 1 < beats.size() && x.rr_ms > beats[i - 1].rr_ms &&
                           x.rr_ms > beats[i + 1].rr_ms;
        if (crest && x.t_s > next_ectopic_s) {
            next_ectopic_s = x.t_s + 20.0;
            shift_s += 0.3 * x.rr_ms / 1000.0;
            bridged.push(x.t_s - shift_s, 970.0, false, true);
            raw.push(x.t_s - shift_s, 0.7 * x.rr_ms, false);
        } else {
            bridged.push(x.t_s - shift_s, x.rr_ms, false);
            raw.push(x.t_s - shift_s, x.rr_ms, false);
        }
        if (x.t_s < 60.0) continue;
        if (clean.values().rsa_amplitude_ms) {
            clean_amp.push_back(*clean.values().rsa_amplitude_ms);
            clean_rate.push_back(*clean.values().rate_bpm);
        }
        if (bridged.values().rsa_amplitude_ms) {
            bridged_amp.push_back(*bridged.values().rsa_amplitude_ms);
            bridged_rate.push_back(*bridged.values().rate_bpm);
        }
        if (raw.values().rsa_amplitude_ms) {
            raw_amp.push_back(*raw.values().rsa_amplitude_ms);
            raw_rate.push_back(*raw.values().rate_bpm);
        }
    }
    auto mean = [](const std::vector<double>& v) {
        return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    };
    INFO("amplitude " << mean(clean_amp) << " ms clean, " << mean(bridged_amp) << " bridged, "
                      << mean(raw_amp) << " fed its length; rate " << mean(clean_rate) << " / "
                      << mean(bridged_rate) << " / " << mean(raw_rate));
    // Fed its length, the early beat makes a breath of its own: the rate jumps by ~2/min. The
    // bridge keeps the count; it shaves the crest it spans (a few per cent of the swing, a
    // quarter of the detector's floor).
    CHECK(mean(bridged_rate) == Approx(mean(clean_rate)).margin(0.2));
    CHECK(mean(raw_rate) - mean(clean_rate) > 1.0);
    CHECK(mean(bridged_amp) == Approx(mean(clean_amp)).epsilon(0.06));
}

namespace {
// Schafer & Kratky's count as written: extrema, then while the closest neighbouring pair (the
// earliest of equals) is closer than the threshold, drop it; then maximum-minimum-maximum cycles.
std::vector<relaxmon::dsp::CountedBreath> breaths_by_definition(const std::vector<double>& y,
                                                                double fs_hz, double fraction,
                                                                int& tied_drops) {
    struct Extremum {
        double t_s, value;
        bool is_max;
    };
    std::vector<Extremum> e;
    for (std::size_t i = 1; i + 1 < y.size(); ++i) {
        const bool is_max = y[i] > y[i - 1] && y[i] >= y[i + 1];
        const bool is_min = y[i] < y[i - 1] && y[i] <= y[i + 1];
        if (is_max || is_min) e.push_back({static_cast<double>(i) / fs_hz, y[i], is_max});
    }
    std::vector<relaxmon::dsp::CountedBreath> out;
    if (e.size() < 4) return out;
    std::vector<double> diffs;
    for (std::size_t i = 1; i < e.size(); ++i)
        diffs.push_back(std::abs(e[i].value - e[i - 1].value));
    std::sort(diffs.begin(), diffs.end());
    const double threshold = fraction * diffs[diffs.size() * 3 / 4];
    while (e.size() >= 2) {
        std::size_t best = 0;
        for (std::size_t i = 1; i + 1 < e.size(); ++i)
            if (std::abs(e[i + 1].value - e[i].value) < std::abs(e[best + 1].value - e[best].value))
                best = i;
        const double closest = std::abs(e[best + 1].value - e[best].value);
        if (!(closest < threshold)) break;
        for (std::size_t i = best + 1; i + 1 < e.size(); ++i)
            if (std::abs(e[i + 1].value - e[i].value) == closest) {
                ++tied_drops;  // another pair as close: the earliest must go first
                break;
            }
        e.erase(e.begin() + static_cast<std::ptrdiff_t>(best),
                e.begin() + static_cast<std::ptrdiff_t>(best) + 2);
    }
    for (std::size_t k = 2; k < e.size(); ++k) {
        if (!e[k].is_max || e[k - 1].is_max || !e[k - 2].is_max) continue;
        const double period_s = e[k].t_s - e[k - 2].t_s;
        if (period_s < 1.5 || period_s > 22.0) continue;
        out.push_back({period_s, 0.5 * (e[k].value + e[k - 2].value) - e[k - 1].value});
    }
    return out;
}
}  // namespace

TEST_CASE("The batch breath count drops the same ripples as the method written out", "[dsp]") {
    // Breathing at 4-20/min with noise on top, in whole units so that equal gaps (ties) occur.
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int tied_drops = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const double fs_hz = 4.0, rate_hz = (4.0 + 16.0 * u(rng)) / 60.0,
                     noise_ms = 1.0 + 20.0 * u(rng);
        std::vector<double> y(1200);
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] = std::round(40.0 * std::sin(2.0 * std::numbers::pi * rate_hz * i / fs_hz) +
                              noise_ms * (u(rng) - 0.5));
        for (double fraction : {0.1, 0.3}) {
            const auto got = relaxmon::dsp::count_breaths(y, fs_hz, fraction);
            const auto want = breaths_by_definition(y, fs_hz, fraction, tied_drops);
            INFO("trial " << trial << ", fraction " << fraction);
            REQUIRE(got.size() == want.size());
            for (std::size_t k = 0; k < got.size(); ++k) {
                CHECK(got[k].period_s == want[k].period_s);
                CHECK(got[k].amplitude == want[k].amplitude);
            }
        }
    }
    CHECK(tied_drops > 0);  // ties did come up, and went in the same order
}
