#include "index_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "meditation_splices.hpp"
#include "relaxation_runs.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"

namespace relaxmon::validation {

namespace {
namespace sim = devices::sim;

// The relax index every 5 s over [from_s, to_s) of a simulated session.
std::vector<double> simulated_index(const sim::ScenarioScript& script, double from_s, double to_s) {
    std::vector<double> out;
    double next_s = from_s;
    test::run_script(script, to_s, false, [&](double t_s, const session::Pipeline& pipeline) {
        if (t_s < next_s || t_s >= to_s) return;
        if (const auto i = pipeline.relax().relax_index) out.push_back(*i);
        next_s = t_s + 5.0;
    });
    return out;
}

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

double share_at_least(const std::vector<double>& v, double level) {
    if (v.empty()) return NAN;
    return 100.0 *
           static_cast<double>(
               std::count_if(v.begin(), v.end(), [&](double x) { return x >= level; })) /
           static_cast<double>(v.size());
}

// Spearman's rank correlation (ranks of ties averaged).
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    auto ranks = [](const std::vector<double>& v) {
        std::vector<std::size_t> order(v.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto i, auto j) { return v[i] < v[j]; });
        std::vector<double> r(v.size());
        for (std::size_t k = 0; k < order.size();) {
            std::size_t e = k;
            while (e + 1 < order.size() && v[order[e + 1]] == v[order[k]]) ++e;
            for (std::size_t m = k; m <= e; ++m) r[order[m]] = 0.5 * double(k + e) + 1.0;
            k = e + 1;
        }
        return r;
    };
    const auto ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
    const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

std::string row(const std::string& what, const std::vector<double>& v) {
    return fmt::format("| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f}% |\n", what,
                       v.size(), quantile(v, 0.1), quantile(v, 0.5), quantile(v, 0.9),
                       quantile(v, 1.0), share_at_least(v, 90.0));
}
}  // namespace

void index_section(const std::filesystem::path& data) {
    fmt::print("### The relax index once relaxed: spread, depth and ceiling\n\n");
    const dsp::RelaxationDetector::Params params;
    const auto index_at = [&](double z) { return 50.0 + 50.0 * std::tanh(z / params.index_scale); };
    fmt::print(
        "The index every 5 s over the last 10 minutes of 30-minute simulated massages (seeds "
        "1-20; the response has fully set in by then) and of the real meditation splices. The "
        "decisions clip each feature's z-score at 4; the index lets it reach {:.0f}, so a deeper "
        "relaxation keeps reading higher: every feature at z 4 reads {:.0f}, at 6 {:.0f}, at 8 "
        "{:.0f} (50 + 50 tanh(S / {:.1f})). Clipped at 4 like the decisions, as before, every "
        "full simulated relaxation read 86-90 against a ceiling of 91. The last column: the "
        "time at 90 or more.\n\n",
        params.index_clip_z, index_at(4.0), index_at(6.0), index_at(8.0), params.index_scale);
    fmt::print(
        "| sessions | samples | p10 | median | p90 | max | at 90 or more |\n"
        "|---|---|---|---|---|---|---|\n");
    std::vector<double> depth_hr, depth_rmssd, depth_all, session_median;
    for (const bool realistic : {false, true}) {
        std::vector<double> all;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            const auto script =
                sim::make_script(sim::Scenario::massage, seed, std::nullopt, realistic);
            const auto index = simulated_index(script, 1200.0, 1800.0);
            all.insert(all.end(), index.begin(), index.end());
            if (!realistic) {
                depth_hr.push_back(script.baseline.hr_bpm - script.changed.hr_bpm);
                depth_rmssd.push_back(std::log(script.changed.rmssd_ms / script.baseline.rmssd_ms));
                // In the detector's floors (the scale of a calm baseline): all three at once.
                depth_all.push_back(depth_hr.back() / params.hr_floor_bpm +
                                    depth_rmssd.back() / params.ln_rmssd_floor +
                                    (script.baseline.breathing_bpm - script.changed.breathing_bpm) /
                                        params.resp_floor_bpm);
                session_median.push_back(quantile(index, 0.5));
            }
        }
        fmt::print("{}", row(realistic ? "massage, realistic body (`real=1`)"
                                       : "massage, steady body (the default)",
                             all));
    }
    const auto dir = data / "real" / "meditation";
    if (std::filesystem::exists(dir / "index.csv"))
        for (const auto& [who, boundary] : test::splice_boundaries(dir / "index.csv")) {
            const auto path = dir / "spliced_pre_then_med" / (who + "_pre_then_med.rr.csv");
            if (!std::filesystem::exists(path)) continue;
            const auto r = test::run_meditation_splice(path, boundary);
            std::vector<double> late;
            const double end_s = r.trace.empty() ? 0.0 : r.trace.back().t_s;
            for (const auto& x : r.trace)
                if (x.t_s >= end_s - 600.0 && x.relax_index) late.push_back(*x.relax_index);
            fmt::print("{}", row(fmt::format("real: {}, the last 10 min", who), late));
        }
    fmt::print(
        "\nDeeper relaxation, higher index: over the 20 steady-body massages, the rank "
        "correlation (Spearman; 1 = always higher for deeper) of each session's median index with "
        "its scripted change in heart rate, RMSSD and breathing together (each in the "
        "detector's floors) is {:.2f}; with the heart-rate fall alone {:.2f}, the ln RMSSD rise "
        "alone {:.2f}.\n\n",
        spearman(depth_all, session_median), spearman(depth_hr, session_median),
        spearman(depth_rmssd, session_median));
}

}  // namespace relaxmon::validation
