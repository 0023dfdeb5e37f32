#include "realism_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "relaxation_runs.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/devices/sim/rr_generator.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"
#include "relaxmon/dsp/rhythm_statistics.hpp"
#include "session/pipeline.hpp"

namespace relaxmon::validation {

namespace {

namespace fs = std::filesystem;
using devices::sim::Scenario;
using dsp::RhythmStatistics;

struct Statistic {
    const char* name;
    std::optional<double> RhythmStatistics::*field;
    const char* format;
};
const Statistic kStatistics[] = {
    {"median 30-s change of 60-s ln RMSSD", &RhythmStatistics::ln_rmssd_change_30s, "{:.3f}"},
    {"median 30-s change of 10-s heart rate (bpm)", &RhythmStatistics::hr_change_30s_bpm, "{:.2f}"},
    {"breath length CV", &RhythmStatistics::breath_period_cv, "{:.2f}"},
    {"RSA amplitude CV", &RhythmStatistics::rsa_amplitude_cv, "{:.2f}"},
    {"sighs per 10 min", &RhythmStatistics::sighs_per_10min, "{:.1f}"},
    {"LF/HF (median of 5-min windows, breathing 9/min or faster)", &RhythmStatistics::lf_hf,
     "{:.2f}"},
    {"1/f slope, 0.005-0.03 Hz", &RhythmStatistics::spectral_slope, "{:.2f}"},
};

struct Measured {
    std::string name;
    RhythmStatistics stats;
};

// The hour of lowest heart rate of a 24-hour record (the night's sleep): rest without a task.
RhythmStatistics quietest_hour(const devices::formats::RrSeries& s) {
    double best_hr = 1e9, best_from = 0.0;
    for (double a = s.t_s.front(); a + 3600.0 <= s.t_s.back(); a += 600.0) {
        const auto b = std::lower_bound(s.t_s.begin(), s.t_s.end(), a) - s.t_s.begin();
        const auto e = std::lower_bound(s.t_s.begin(), s.t_s.end(), a + 3600.0) - s.t_s.begin();
        const double hr = 60000.0 * static_cast<double>(e - b) /
                          std::max(1.0, 1000.0 * (s.t_s[e - 1] - s.t_s[b]));
        if (hr < best_hr) {
            best_hr = hr;
            best_from = a;
        }
    }
    std::vector<double> t, rr;
    for (std::size_t i = 0; i < s.t_s.size(); ++i)
        if (s.t_s[i] >= best_from && s.t_s[i] < best_from + 3600.0) {
            t.push_back(s.t_s[i]);
            rr.push_back(s.rr_ms[i]);
        }
    return dsp::rhythm_statistics(t, rr);
}

// 30 minutes of a simulated strap's beats.
struct Beats {
    std::vector<double> t_s, rr_ms;
};
Beats simulated_beats(Scenario scenario, std::uint64_t seed, bool realistic) {
    devices::sim::RrGenerator gen(
        devices::sim::make_script(scenario, seed, std::nullopt, realistic));
    Beats out;
    while (out.t_s.empty() || out.t_s.back() < 1800.0)
        for (const auto& m : gen.next())
            if (const auto* b = std::get_if<devices::RrBeat>(&m)) {
                out.t_s.push_back(b->t_s);
                out.rr_ms.push_back(b->rr_ms);
            }
    return out;
}

RhythmStatistics simulated(Scenario scenario, std::uint64_t seed, bool realistic) {
    const Beats b = simulated_beats(scenario, seed, realistic);
    return dsp::rhythm_statistics(b.t_s, b.rr_ms);
}

std::string value(const RhythmStatistics& s, const Statistic& st) {
    const auto& v = s.*(st.field);
    return v ? fmt::format(fmt::runtime(st.format), *v) : std::string("-");
}

struct Span {
    double lo = 1e300, hi = -1e300;
    std::string lo_name, hi_name;
    int n = 0;
    void add(double v, const std::string& name) {
        if (v < lo) lo = v, lo_name = name;
        if (v > hi) hi = v, hi_name = name;
        ++n;
    }
};

Span span_of(const std::vector<Measured>& m, const Statistic& st) {
    Span s;
    for (const auto& x : m)
        if (const auto& v = x.stats.*(st.field)) s.add(*v, x.name);
    return s;
}

// How far the detector's evidence wanders from a 3-min baseline at rest: in 30-min sessions, the
// baseline's median (30-210 s, as the detector learns it), then every 30 s the mean of the next
// minute; the median of the deviations per feature: heart rate, ln RMSSD, ln RSA amplitude,
// breathing rate.
struct Wander {
    std::vector<double> dev[4];
    void add_session(const std::vector<double>& t_s, const std::vector<double>& rr_ms,
                     double from_s) {
        session::Pipeline pipeline;
        std::vector<dsp::RelaxFeatures> f;
        for (std::size_t i = 0; i < t_s.size(); ++i)
            if (t_s[i] >= from_s && t_s[i] < from_s + 1800.0) {
                pipeline.on_beat(devices::RrBeat{t_s[i] - from_s, rr_ms[i], 0});
                f.push_back(pipeline.relax_features());
            }
        for (int k = 0; k < 4; ++k) {
            std::vector<double> base;
            for (const auto& x : f)
                if (x.usable && x.t_s >= 30.0 && x.t_s <= 210.0)
                    if (const auto v = test::evidence_feature(x, k)) base.push_back(*v);
            if (base.size() < 30) continue;
            std::nth_element(base.begin(), base.begin() + base.size() / 2, base.end());
            const double median = base[base.size() / 2];
            for (double a = 240.0; a + 60.0 <= 1800.0; a += 30.0) {
                double sum = 0.0;
                int n = 0;
                for (const auto& x : f)
                    if (x.usable && x.t_s >= a && x.t_s < a + 60.0)
                        if (const auto v = test::evidence_feature(x, k)) sum += *v, ++n;
                if (n > 20) dev[k].push_back(std::abs(sum / n - median));
            }
        }
    }
    std::string row(const std::string& name) const {
        std::string out = "| " + name + " |";
        for (int k = 0; k < 4; ++k) {
            std::vector<double> v = dev[k];
            if (v.empty()) {
                out += " - |";
                continue;
            }
            std::sort(v.begin(), v.end());
            out += fmt::format(" {:.2f} / {:.2f} |", v[v.size() / 2], v[v.size() * 9 / 10]);
        }
        return out;
    }
};

void wander_table(const fs::path& med) {
    Wander asleep, meditating, sim_real, sim_steady;
    for (const char* rec : {"N1", "N2", "I1", "I2", "I3", "C1_med", "C3_med", "C5_med", "C7_med"}) {
        const fs::path p = med / (std::string(rec) + ".rr.csv");
        if (!fs::exists(p)) continue;
        const auto s = devices::formats::read_rr_file(p);
        for (double a = s.t_s.front(); a + 1800.0 <= s.t_s.back(); a += 1800.0)
            (rec[0] == 'C' ? meditating : asleep).add_session(s.t_s, s.rr_ms, a);
    }
    for (int seed = 1; seed <= 10; ++seed)
        for (const bool realistic : {true, false}) {
            const Beats b =
                simulated_beats(Scenario::rest, static_cast<std::uint64_t>(seed), realistic);
            (realistic ? sim_real : sim_steady).add_session(b.t_s, b.rr_ms, 0.0);
        }
    const dsp::RelaxationDetector::Params p;
    fmt::print(
        "How far the detector's evidence wanders from a 3-minute baseline at rest (30-min "
        "sessions: the baseline's median over 30-210 s, then every 30 s the mean of the next "
        "minute; median / 90th percentile of the deviations). The detector's scale floors are "
        "set to this wander of real rest, so that only a change beyond it counts as "
        "evidence.\n\n"
        "| bodies | heart rate (bpm) | ln RMSSD | ln RSA amplitude | breathing (/min) |\n"
        "|---|---|---|---|---|\n");
    fmt::print("{}\n{}\n{}\n{}\n", asleep.row("real, asleep (N1-N2, I1-I3)"),
               meditating.row("real, meditating (C1-C7)"),
               sim_real.row("sim:rest, realistic body (seeds 1-10)"),
               sim_steady.row("sim:rest, steady body (real=0)"));
    fmt::print("| the detector's floors | {:.1f} | {:.2f} | {:.2f} | {:.1f} |\n\n", p.hr_floor_bpm,
               p.ln_rmssd_floor, p.ln_rsa_amplitude_floor, p.resp_floor_bpm);
}

}  // namespace

void realism_section(const fs::path& data) {
    const fs::path med = data / "real" / "meditation";
    // Two references: bodies at rest (quiet, meditating, breathing to a metronome, asleep), and
    // bodies breathing to a rhythm or a practice (the metronome, the meditations' slow
    // oscillations, Kundalini breathing and chanting).
    std::vector<Measured> quiet, practice;
    auto read = [&](const std::string& rec) -> std::optional<Measured> {
        const fs::path p = med / (rec + ".rr.csv");
        if (!fs::exists(p)) return std::nullopt;
        const auto s = devices::formats::read_rr_file(p);
        return Measured{rec, dsp::rhythm_statistics(s.t_s, s.rr_ms)};
    };
    for (const char* r : {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "Y1_pre", "Y3_pre", "C1_med",
                          "C3_med", "C5_med", "C7_med", "N1", "N2", "I1", "I2", "I3"})
        if (auto m = read(r)) quiet.push_back(std::move(*m));
    for (const char* r : {"nsr001", "nsr004"}) {
        const fs::path p = data / "rr" / "nsr2db" / (std::string(r) + ".ecg");
        if (fs::exists(p))
            quiet.push_back(
                {std::string(r) + " night", quietest_hour(devices::formats::read_rr_file(p))});
    }
    for (const auto& m : quiet)
        if (m.name[0] == 'M' || m.name.ends_with("_med")) practice.push_back(m);
    for (const char* r : {"Y1_med", "Y3_med"})
        if (auto m = read(r)) practice.push_back(std::move(*m));
    if (quiet.empty()) return;

    struct Column {
        std::string name;
        std::vector<Measured> runs;  // seeds 1-kSeeds, the range shown
        bool practice = false;
        std::vector<Measured> more;  // seeds up to kSeedsCounted, counted inside the range only
    };
    std::vector<Column> columns;
    // A seed's statistics scatter (a session is 30 minutes): the range shows the first seeds,
    // and how many of more seeds land inside the real range says whether a mark is the edge of
    // that scatter or the scenario itself.
    constexpr int kSeeds = 5, kSeedsCounted = 20;
    for (const Scenario sc : {Scenario::rest, Scenario::massage, Scenario::stress, Scenario::paced,
                              Scenario::breathwork}) {
        Column c{std::string(devices::sim::scenario_name(sc)),
                 {},
                 sc == Scenario::paced || sc == Scenario::breathwork,
                 {}};
        for (int seed = 1; seed <= kSeedsCounted; ++seed)
            (seed <= kSeeds ? c.runs : c.more)
                .push_back({"", simulated(sc, static_cast<std::uint64_t>(seed), true)});
        columns.push_back(std::move(c));
    }
    Column steady{"rest, steady body (real=0)", {}, false, {}};
    for (int seed = 1; seed <= kSeedsCounted; ++seed)
        (seed <= kSeeds ? steady.runs : steady.more)
            .push_back({"", simulated(Scenario::rest, static_cast<std::uint64_t>(seed), false)});
    columns.push_back(std::move(steady));

    fmt::print("### Is the simulated body real enough?\n\n");
    fmt::print(
        "The same statistics (`dsp::rhythm_statistics`, defined in its header) on real "
        "recordings and on each simulated scenario (seeds 1-{}, 30 min, realistic body). At rest: "
        "the lowest and highest value over {} records of people at rest, meditating, breathing to "
        "a metronome or asleep (`../shared/data/real/meditation` M1-M7 supine at 15/min, Y1/Y3 "
        "before their practice, C1-C7 meditating, N1-N2 and I1-I3 asleep; nsr001 and nsr004: the "
        "hour of lowest heart rate of their day), with the records that hold them. Breathing to a "
        "rhythm: the {} of these and the Kundalini practice (Y1_med, Y3_med) where breathing "
        "follows a metronome or a practice; `paced` and `breathwork` are held to it, the other "
        "scenarios to the first. Each scenario shows its lowest-highest over the seeds, marked "
        "`!` where it leaves its range, and in brackets how many of seeds 1-{} land inside it.\n\n",
        kSeeds, quiet.size(), practice.size(), kSeedsCounted);
    fmt::print("| statistic | at rest (records) | breathing to a rhythm (records) |");
    for (const auto& c : columns) fmt::print(" {} |", c.name);
    fmt::print("\n|---|---|---|");
    for (std::size_t i = 0; i < columns.size(); ++i) fmt::print("---|");
    fmt::print("\n");
    for (const Statistic& st : kStatistics) {
        const Span rest = span_of(quiet, st), rhythm = span_of(practice, st);
        auto fmt_v = [&](double v) { return fmt::format(fmt::runtime(st.format), v); };
        auto range = [&](const Span& r) {
            return r.n ? fmt::format("{} - {} ({} - {})", fmt_v(r.lo), fmt_v(r.hi), r.lo_name,
                                     r.hi_name)
                       : std::string("-");
        };
        fmt::print("| {} | {} | {} |", st.name, range(rest), range(rhythm));
        for (const auto& c : columns) {
            const Span sim = span_of(c.runs, st);
            if (!sim.n) {
                fmt::print(" - |");
                continue;
            }
            const Span& ref = c.practice && rhythm.n ? rhythm : rest;
            const bool inside = sim.lo >= ref.lo && sim.hi <= ref.hi;
            int counted = 0, within = 0;
            for (const auto* runs : {&c.runs, &c.more})
                for (const auto& m : *runs)
                    if (const auto& v = m.stats.*(st.field)) {
                        ++counted;
                        within += *v >= ref.lo && *v <= ref.hi;
                    }
            fmt::print(" {} - {}{} ({}/{}) |", fmt_v(sim.lo), fmt_v(sim.hi), inside ? "" : " !",
                       within, counted);
        }
        fmt::print("\n");
    }
    fmt::print("\nEach real record:\n\n| record | duration |");
    for (const Statistic& st : kStatistics) fmt::print(" {} |", st.name);
    fmt::print("\n|---|---|");
    for (std::size_t i = 0; i < std::size(kStatistics); ++i) fmt::print("---|");
    fmt::print("\n");
    for (const auto* set : {&quiet, &practice})
        for (const auto& m : *set) {
            if (set == &practice && !m.name.starts_with("Y")) continue;  // listed above
            fmt::print("| {} | {:.0f} min |", m.name, m.stats.duration_s / 60.0);
            for (const Statistic& st : kStatistics) fmt::print(" {} |", value(m.stats, st));
            fmt::print("\n");
        }
    fmt::print("\n");
    wander_table(med);
}

}  // namespace relaxmon::validation
