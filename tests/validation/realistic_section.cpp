#include "realistic_section.hpp"

#include "frontier_section.hpp"
#include "index_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "meditation_splices.hpp"
#include "realism_section.hpp"
#include "relaxation_runs.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/breathing_rate.hpp"
#include "session/pipeline.hpp"
#include "session_picture.hpp"

namespace relaxmon::validation {

namespace {

using devices::sim::Scenario;

void detector_table(const std::filesystem::path& data) {
    fmt::print("### The detector on the realistic simulated body (`real=1`)\n\n");
    fmt::print(
        "Uneven breath lengths and depths, sighs, fidgets and swallows (heart rate up 5-12 bpm for "
        "15-45 s), slow drifts of heart rate, breathing and vagal tone: `sim:...?real=1`. The "
        "targets of issue 17 beside what the detector does today. Real bodies at rest hold "
        "episodes the detector's evidence cannot tell from a relaxation response (heart rate "
        "down, RSA and RMSSD up, breathing slower for minutes: sleep deepening, settling in a "
        "meditation): the real rest row counts them, and the simulated rest, whose wander "
        "matches real rest (previous table), holds as many. The floors of the baseline's "
        "scales are set to how far real rest wanders from a 3-minute baseline, and the onset "
        "needs the heart rate itself to have fallen (Benson's anchor): on this body, before "
        "these two rules, massage was detected in 35/40 (5 onsets before the scripted one), "
        "median 117 s, p95 228 s, with 185 false onsets per 100 h of rest and relaxation "
        "reported in 4/20 stress and 6/20 breathwork sessions.\n\n");
    fmt::print("| scenario | sessions | measured | target |\n|---|---|---|---|\n");
    for (const Scenario sc : {Scenario::massage, Scenario::artifacts}) {
        constexpr int kSeeds = 40;
        int detected = 0, early = 0;
        std::vector<double> latency_s;
        for (int s = 1; s <= kSeeds; ++s) {
            const auto r =
                test::run_relaxation(sc, static_cast<std::uint64_t>(s), 1800.0, false, true);
            const auto d = test::detection(r.onsets_s, *r.script.onset_s);
            early += d.early;
            if (d.latency_s) {
                ++detected;
                latency_s.push_back(*d.latency_s);
            }
        }
        std::sort(latency_s.begin(), latency_s.end());
        fmt::print(
            "| {} | {} x 30 min | detected {}/{}, {} onsets before the scripted one, "
            "latency median {:.0f} s, p95 {:.0f} s | >= 95%, median <= 120 s, p95 <= 240 s |\n",
            devices::sim::scenario_name(sc), kSeeds, detected, kSeeds, early,
            test::median_of_sorted(latency_s), test::p95_of_sorted(latency_s));
    }
    {
        constexpr int kSeeds = 20;
        std::size_t onsets = 0;
        for (int s = 1; s <= kSeeds; ++s)
            onsets += test::run_relaxation(Scenario::rest, static_cast<std::uint64_t>(s), 3600.0,
                                           false, true)
                          .onsets_s.size();
        fmt::print("| rest | {} x 1 h | {} false onsets ({:.0f} per 100 h) | <= 2 per 100 h |\n",
                   kSeeds, onsets, 100.0 * static_cast<double>(onsets) / kSeeds);
    }
    {
        // Real bodies at rest, each half-hour judged against its own first minutes like a session.
        const auto sessions = test::real_rest_half_hours(data / "real" / "meditation");
        std::size_t onsets = 0;
        for (const auto& features : sessions)
            onsets += test::onsets_with(dsp::RelaxationDetector::Params{}, features).size();
        if (!sessions.empty())
            fmt::print(
                "| real rest (N1-N2, I1-I3 asleep; C1-C7 meditating) | {} x 30 min | {} onsets "
                "({:.0f} per 100 h) | - |\n",
                sessions.size(), onsets, 200.0 * static_cast<double>(onsets) / sessions.size());
    }
    for (const Scenario sc : {Scenario::stress, Scenario::breathwork}) {
        constexpr int kSeeds = 20;
        int relaxed = 0, aroused = 0;
        for (int s = 1; s <= kSeeds; ++s) {
            const auto r =
                test::run_relaxation(sc, static_cast<std::uint64_t>(s), 1200.0, false, true);
            relaxed += r.relaxed_s > 0.0;
            aroused += r.aroused;
        }
        fmt::print(
            "| {} | {} x 20 min | relaxed at some point in {}, aroused in {} | never relaxed |\n",
            devices::sim::scenario_name(sc), kSeeds, relaxed, aroused);
    }
    fmt::print("\n");
}

void breathing_table() {
    fmt::print("### Breathing from the heart rhythm, 3-20 breaths/min\n\n");
    fmt::print(
        "`sim:paced?rate=R` (seed 1, realistic body), 10 minutes from 90 s after the pacer starts: "
        "the share of beats with a sure rate (as the dashboard shows it: "
        "`dsp::sure_breathing_rate_bpm`), and of those off by more than 0.5/min.\n\n");
    fmt::print("| pacer /min | sure | off by > 0.5/min |\n|---|---|---|\n");
    std::vector<double> paces;
    for (double r = 3.0; r <= 8.01; r += 0.5) paces.push_back(r);
    for (double r : {10.0, 15.0, 20.0}) paces.push_back(r);
    for (double pace : paces) {
        const auto script = devices::sim::make_script(Scenario::paced, 1, pace);
        devices::sim::RrGenerator gen(script);
        dsp::RsaBreaths breaths;
        dsp::SlidingHrv sliding;
        const double from_s = *script.onset_s + script.transition_s + 90.0;
        std::size_t judged = 0, sure = 0, wrong = 0;
        for (double t = 0.0; t < from_s + 600.0;)
            for (const auto& m : gen.next()) {
                const auto* b = std::get_if<devices::RrBeat>(&m);
                if (!b) continue;
                t = b->t_s;
                breaths.push(t, b->rr_ms, false);
                sliding.push(t, b->rr_ms, false);
                if (t < from_s) continue;
                ++judged;
                if (const auto r =
                        dsp::sure_breathing_rate_bpm(breaths.values(), sliding.values())) {
                    ++sure;
                    wrong += std::abs(*r - pace) > 0.5;
                }
            }
        fmt::print("| {:.1f} | {:.0f}% | {:.1f}% |\n", pace, 100.0 * sure / judged,
                   100.0 * wrong / judged);
    }
    fmt::print("\n");
}

void meditation_table(const std::filesystem::path& data,
                      const std::optional<std::filesystem::path>& figures) {
    const auto dir = data / "real" / "meditation";
    if (!std::filesystem::exists(dir / "index.csv")) return;
    fmt::print("### Real meditation splices\n\n");
    fmt::print(
        "PhysioNet meditation (Peng et al. 1999): the last 6 minutes of a person's "
        "pre-meditation file, then the meditation, beat by beat through the live pipeline. "
        "Before: the first 6 minutes (the baseline is learnt there); late: the last 10 minutes "
        "(medians; RMSSD as usual, over 60 s; breathing where the rate is sure, else the unsure "
        "count in "
        "brackets). Contradiction: "
        "`relaxed` while the last 5 minutes' heart rate is 3+ bpm above the baseline and RMSSD "
        "below it. Index change: the median absolute change of the relax index over 30 s. "
        "C1-C7 meditate sitting quietly (Chi); Y1 and Y3 breathe and chant (Kundalini, an active "
        "practice).\n\n");
    fmt::print(
        "| record | heart rate before -> late | RMSSD before -> late | breathing before -> late "
        "| first onset | relaxed | aroused | contradiction | index 30-s change |\n"
        "|---|---|---|---|---|---|---|---|---|\n");
    auto num = [](double v, const char* unit) {
        return std::isnan(v) ? std::string("-") : fmt::format("{:.0f}{}", v, unit);
    };
    // A sure breathing rate, else the unsure count in brackets.
    auto breathing = [&](double sure, double any, const char* unit) {
        return std::isnan(sure) && !std::isnan(any) ? fmt::format("({:.0f}){}", any, unit)
                                                    : num(sure, unit);
    };
    std::vector<std::string> pictures;
    for (const auto& [who, boundary] : test::splice_boundaries(dir / "index.csv")) {
        const auto path = dir / "spliced_pre_then_med" / (who + "_pre_then_med.rr.csv");
        if (!std::filesystem::exists(path)) continue;
        const auto r = test::run_meditation_splice(path, boundary);
        fmt::print(
            "| {} | {} -> {} | {} -> {} | {} -> {} | {} | {:.0f} s | {:.0f} s | {:.0f} s | "
            "{:.1f} |\n",
            who, num(r.hr_before_bpm, ""), num(r.hr_late_bpm, " bpm"), num(r.rmssd_before_ms, ""),
            num(r.rmssd_late_ms, " ms"),
            breathing(r.breathing_before_bpm, r.breathing_any_before_bpm, ""),
            breathing(r.breathing_late_bpm, r.breathing_any_late_bpm, "/min"),
            r.first_onset_s
                ? fmt::format("{:.0f} min into the meditation", (*r.first_onset_s - 360.0) / 60.0)
                : std::string("none"),
            r.relaxed_s, r.aroused_s, r.contradiction_s, r.index_median_30s_change);
        if (!figures) continue;
        std::vector<PictureSample> samples;
        for (const auto& x : r.trace) samples.push_back({x.t_s, x.hr_bpm, x.relax_index, x.state});
        std::vector<PictureMark> marks{{360.0, "meditation starts"}};
        for (const double t : r.onsets_s) marks.push_back({t, "onset"});
        write_session_picture(*figures / (who + ".svg"),
                              who + ": last 6 min before, then the meditation", samples, marks);
        pictures.push_back(who);
    }
    fmt::print("\n");
    for (const auto& who : pictures)
        fmt::print("![{0}: heart rate, relax index and state over the session]({1}/{0}.svg)\n\n",
                   who, figures->filename().string());
}

}  // namespace

void realistic_section(const std::filesystem::path& data,
                       const std::optional<std::filesystem::path>& figures) {
    fmt::print("## Realistic bodies (issue 17)\n\n");
    realism_section(data);
    detector_table(data);
    frontier_section(data);
    breathing_table();
    meditation_table(data, figures);
    index_section(data);
}

}  // namespace relaxmon::validation
