// The relaxation detector validated against ground truth: simulated sessions with scripted
// relaxation, rest and stress (100 seeds each, through the real per-beat pipeline), and real
// 24-hour recordings spliced from a person's day into their night.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "relaxation_runs.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "test_support.hpp"

using namespace relaxmon;
using devices::sim::Scenario;

namespace {

struct Latencies {
    int detected = 0, sessions = 0, early = 0;
    std::vector<double> latency_s;
    double median() const {  // of an even count, the mean of the middle two
        const std::size_t n = latency_s.size();
        return n % 2 ? latency_s[n / 2] : 0.5 * (latency_s[n / 2 - 1] + latency_s[n / 2]);
    }
    double p95() const { return latency_s[latency_s.size() * 95 / 100]; }
};

Latencies run_scripted(Scenario sc, int first_seed, int seeds) {
    Latencies l;
    for (int s = first_seed; s < first_seed + seeds; ++s) {
        const auto r = test::run_relaxation(sc, static_cast<std::uint64_t>(s), 1200.0);
        const double onset = *r.script.onset_s;
        ++l.sessions;
        bool got = false;
        for (double o : r.onsets_s) {
            if (o < onset)
                ++l.early;
            else if (!got) {
                got = true;
                l.latency_s.push_back(o - onset);
            }
        }
        l.detected += got;
    }
    std::sort(l.latency_s.begin(), l.latency_s.end());
    return l;
}

void check_scripted(const char* name, const Latencies& l) {
    std::printf("relaxation %-9s detected %d/%d, early %d, latency median %.1f s, p95 %.0f s\n",
                name, l.detected, l.sessions, l.early, l.median(), l.p95());
    CHECK(l.detected >= 95 * l.sessions / 100);
    CHECK(l.early == 0);
    CHECK(l.p95() <= 180.0);
    CHECK(l.median() <= 90.0);
}

// A real RR series through the live pipeline: returns the onset times.
std::vector<double> onsets_of(const std::vector<double>& t, const std::vector<double>& rr) {
    session::Pipeline p;
    std::vector<double> onsets;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        p.on_beat(devices::RrBeat{t[i], rr[i], 0});
        if (const auto& ev = p.relax().event)
            if (ev->kind == "relaxation_onset") onsets.push_back(ev->t_s);
    }
    return onsets;
}

// Mean HR of a stretch of the NN series.
double mean_hr(const std::vector<double>& rr, std::size_t from, std::size_t to) {
    return 60000.0 / (std::accumulate(rr.begin() + static_cast<std::ptrdiff_t>(from),
                                      rr.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
                      static_cast<double>(to - from));
}

// Spread of the 1-minute mean heart rates and RMSSDs of [from_s, from_s + len_s) of an NN series
// with beat times t, in the detector's floors (2 bpm, ln 1.15).
double spread_in_floors(const std::vector<double>& rr, const std::vector<double>& t, double from_s,
                        double len_s) {
    auto at = [&](double ts) {
        return static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), ts) - t.begin());
    };
    double lo_hr = 1e9, hi_hr = 0, lo_rm = 1e9, hi_rm = 0;
    for (double m = from_s; m + 60.0 <= from_s + len_s + 1e-9; m += 60.0) {
        const std::size_t a = at(m), b = at(m + 60.0);
        if (b < a + 3) return 1e9;
        double ss = 0;
        for (std::size_t k = a + 1; k < b; ++k) ss += (rr[k] - rr[k - 1]) * (rr[k] - rr[k - 1]);
        const double hr = mean_hr(rr, a, b), rm = std::sqrt(ss / static_cast<double>(b - a - 1));
        lo_hr = std::min(lo_hr, hr);
        hi_hr = std::max(hi_hr, hr);
        lo_rm = std::min(lo_rm, rm);
        hi_rm = std::max(hi_rm, rm);
    }
    return std::max((hi_hr - lo_hr) / 2.0, std::log(hi_rm / lo_rm) / 0.14);
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
    for (int s = 1; s <= 100; ++s)
        false_onsets += static_cast<int>(
            test::run_relaxation(Scenario::rest, static_cast<std::uint64_t>(s), 3600.0)
                .onsets_s.size());
    std::printf("relaxation rest      %d false onsets in 100 hours\n", false_onsets);
    CHECK(false_onsets <= 10);
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

TEST_CASE("real recordings: a day-to-night splice relaxes after the splice, steady stretches never",
          "[relaxation][reference]") {
    for (const char* rec : {"rr/nsr2db/nsr001.ecg", "rr/nsr2db/nsr004.ecg"}) {
        const auto path = test::shared_data(rec);
        if (!path) return;
        const auto s = devices::formats::read_rr_file(*path);
        const auto cls = dsp::detect_artifacts_auto(s.rr_ms);
        std::vector<dsp::ArtifactClass> merged = cls;
        for (std::size_t i = 0; i < merged.size(); ++i)
            if (s.known[i] != dsp::ArtifactClass::none) merged[i] = s.known[i];
        const auto nn = dsp::correct_artifacts(s.t_s, s.rr_ms, merged, s.follows_gap);
        // 700-beat stretches (10 minutes at 70 bpm, 6 at a day's 120) of highest and lowest heart
        // rate.
        const std::size_t n = nn.rr_ms.size(), per10 = 700;
        std::size_t day = 0, night = 0;
        double hi = 0, lo = 1e9;
        for (std::size_t i = 0; i + 3 * per10 < n; i += per10 / 2) {
            const double hr = mean_hr(nn.rr_ms, i, i + per10);
            if (hr > hi) hi = hr, day = i;
            const double hr3 = mean_hr(nn.rr_ms, i, i + 3 * per10);
            if (hr3 < lo) lo = hr3, night = i;
        }
        // Day (10 min) then night (30 min) of the same person, one continuous series.
        std::vector<double> rr(nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(day),
                               nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(day + per10));
        const double splice_s = std::accumulate(rr.begin(), rr.end(), 0.0) / 1000.0;
        rr.insert(rr.end(), nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(night),
                  nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(night + 3 * per10));
        std::vector<double> t;
        double acc = 0;
        for (double x : rr) t.push_back(acc += x / 1000.0);
        const auto onsets = onsets_of(t, rr);
        INFO(rec << ": day HR " << hi << ", night HR " << lo << ", splice at " << splice_s << " s");
        REQUIRE_FALSE(onsets.empty());
        CHECK(onsets.front() > splice_s);
        CHECK(onsets.front() < splice_s + 300.0);

        // The same night after a calm waking day: the steadiest 10 minutes (by time) among those
        // whose heart rate is above the record's median, as a client lies before a massage.
        std::vector<double> nn_t;
        acc = 0;
        for (double x : nn.rr_ms) nn_t.push_back(acc += x / 1000.0);
        auto index_at = [&](double ts) {
            return std::lower_bound(nn_t.begin(), nn_t.end(), ts) - nn_t.begin();
        };
        std::vector<std::pair<double, double>> windows;  // (mean HR, start)
        for (double a = 0; a + 600.0 < nn_t.back(); a += 60.0)
            windows.push_back({mean_hr(nn.rr_ms, static_cast<std::size_t>(index_at(a)),
                                       static_cast<std::size_t>(index_at(a + 600.0))),
                               a});
        std::vector<std::pair<double, double>> sorted = windows;
        std::nth_element(sorted.begin(),
                         sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                         sorted.end());
        const double median_hr = sorted[sorted.size() / 2].first;
        double calm_day = 0, least = 1e9;
        for (const auto& [hr, a] : windows)
            if (hr >= median_hr)
                if (const double sp = spread_in_floors(nn.rr_ms, nn_t, a, 600.0); sp < least)
                    least = sp, calm_day = a;
        std::vector<double> calm_rr(nn.rr_ms.begin() + index_at(calm_day),
                                    nn.rr_ms.begin() + index_at(calm_day + 600.0));
        const double calm_splice_s = std::accumulate(calm_rr.begin(), calm_rr.end(), 0.0) / 1000.0;
        calm_rr.insert(calm_rr.end(), nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(night),
                       nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(night + 3 * per10));
        std::vector<double> calm_t;
        acc = 0;
        for (double x : calm_rr) calm_t.push_back(acc += x / 1000.0);
        const auto calm_onsets = onsets_of(calm_t, calm_rr);
        INFO("calm day at " << calm_day << " s (HR above " << median_hr << ", spread " << least
                            << "), splice at " << calm_splice_s << " s");
        REQUIRE_FALSE(calm_onsets.empty());
        CHECK(calm_onsets.front() > calm_splice_s);
        CHECK(calm_onsets.front() < calm_splice_s + 300.0);

        // The steadiest 30 minutes of the day: the least spread of its 1-minute mean heart rates
        // and RMSSDs, measured in the detector's own floors (2 bpm, ln 1.15): its own baseline,
        // no onset.
        auto rmssd = [&](std::size_t from, std::size_t to) {
            double ss = 0;
            for (std::size_t k = from + 1; k < to; ++k)
                ss += (nn.rr_ms[k] - nn.rr_ms[k - 1]) * (nn.rr_ms[k] - nn.rr_ms[k - 1]);
            return std::sqrt(ss / static_cast<double>(to - from - 1));
        };
        std::size_t calm = 0;
        double spread = 1e9;
        for (std::size_t i = 0; i + 3 * per10 < n; i += per10 / 4) {
            double lo_hr = 1e9, hi_hr = 0, lo_rm = 1e9, hi_rm = 0;
            for (std::size_t b = 0; b < 30; ++b) {
                const std::size_t from = i + b * per10 / 10, to = i + (b + 1) * per10 / 10;
                const double hr = mean_hr(nn.rr_ms, from, to), rm = rmssd(from, to);
                lo_hr = std::min(lo_hr, hr);
                hi_hr = std::max(hi_hr, hr);
                lo_rm = std::min(lo_rm, rm);
                hi_rm = std::max(hi_rm, rm);
            }
            const double score = std::max((hi_hr - lo_hr) / 2.0, std::log(hi_rm / lo_rm) / 0.14);
            if (score < spread) spread = score, calm = i;
        }
        std::vector<double> nt,
            nr(nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(calm),
               nn.rr_ms.begin() + static_cast<std::ptrdiff_t>(calm + 3 * per10));
        acc = 0;
        for (double x : nr) nt.push_back(acc += x / 1000.0);
        INFO("steady stretch: spread " << spread << " (in detector floors)");
        CHECK(onsets_of(nt, nr).empty());
    }
}
