#include "threshold_bound.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <deque>
#include <string>

#include "relaxation_runs.hpp"

namespace relaxmon::validation {

namespace {

using devices::sim::Scenario;
using Features = std::vector<dsp::RelaxFeatures>;
using Z = Eigen::Vector4d;  // heart rate, ln RMSSD, ln RSA amplitude, breathing: + is relaxed

// The z-scores beat by beat after the baseline (30-210 s: median, scale 1.4826 MAD with the
// detector's floors), clipped at 4 as the detector's decisions are; then their mean over the
// last `window_s` (weighed by each beat's interval, as the detector's sums are), every beat whose
// window is 80% covered by beats with all four features.
struct Sample {
    double t_s;
    Z z;
};
struct Weighed {
    double t_s;
    Z z_dt;  // z-scores times the beat's interval
    double dt_s;
};
std::vector<Sample> windowed(const Features& f, double window_s) {
    const dsp::RelaxationDetector::Params p;
    const double floors[4] = {p.hr_floor_bpm, p.ln_rmssd_floor, p.ln_rsa_amplitude_floor,
                              p.resp_floor_bpm};
    const double signs[4] = {-1.0, 1.0, 1.0, -1.0};
    double median[4], scale[4];
    for (int k = 0; k < 4; ++k) {
        std::vector<double> v;
        for (const auto& x : f)
            if (x.usable && x.t_s >= p.settle_s && x.t_s <= p.settle_s + p.baseline_s)
                if (const auto y = test::evidence_feature(x, k)) v.push_back(*y);
        if (v.size() < 30) return {};
        std::sort(v.begin(), v.end());
        median[k] = v[v.size() / 2];
        for (double& y : v) y = std::abs(y - median[k]);
        std::sort(v.begin(), v.end());
        scale[k] = std::max(1.4826 * v[v.size() / 2], floors[k]);
    }
    std::vector<Sample> out;
    std::deque<Weighed> in_window;
    Z sum = Z::Zero();
    double covered_s = 0.0;
    for (const auto& x : f) {
        if (!x.usable || x.t_s <= p.settle_s + p.baseline_s) continue;
        Z z;
        bool all = true;
        for (int k = 0; k < 4; ++k) {
            const auto y = test::evidence_feature(x, k);
            all = all && y.has_value();
            if (y) z[k] = std::clamp(signs[k] * (*y - median[k]) / scale[k], -4.0, 4.0);
        }
        if (!all) continue;
        const double dt = std::min(x.dt_s, p.max_dt_s);
        in_window.push_back({x.t_s, z * dt, dt});
        sum += z * dt;
        covered_s += dt;
        while (in_window.front().t_s < x.t_s - window_s) {
            sum -= in_window.front().z_dt;
            covered_s -= in_window.front().dt_s;
            in_window.pop_front();
        }
        if (covered_s >= 0.8 * window_s) out.push_back({x.t_s, sum / covered_s});
    }
    return out;
}

struct Sessions {
    std::vector<Features> massage, rest;
    std::vector<double> onsets_s;
};
Sessions sessions(int from_seed, int to_seed) {
    Sessions s;
    for (int seed = from_seed; seed <= to_seed; ++seed) {
        auto m = test::run_relaxation(Scenario::massage, static_cast<std::uint64_t>(seed), 1800.0,
                                      true, true);
        s.onsets_s.push_back(*m.script.onset_s);
        s.massage.push_back(std::move(m.features));
        s.rest.push_back(test::run_relaxation(Scenario::rest, static_cast<std::uint64_t>(seed),
                                              3600.0, true, true)
                             .features);
    }
    return s;
}

// Fisher's weights (Sigma^-1 mu): the rest's covariance of the windowed z-scores, and their mean
// 120 s into the massages' responses.
Z fisher_weights(const Sessions& fit, double window_s) {
    std::vector<Z> rest;
    for (const auto& f : fit.rest) {
        double last_s = -1e9;
        for (const auto& s : windowed(f, window_s))
            if (s.t_s - last_s >= 10.0) {
                rest.push_back(s.z);
                last_s = s.t_s;
            }
    }
    if (rest.size() < 10) return Z::Constant(0.25);
    Z mean = Z::Zero(), shift = Z::Zero();
    for (const Z& z : rest) mean += z;
    mean /= static_cast<double>(rest.size());
    Eigen::Matrix4d cov = Eigen::Matrix4d::Zero();
    for (const Z& z : rest) cov += (z - mean) * (z - mean).transpose();
    cov /= static_cast<double>(rest.size());
    int n = 0;
    for (std::size_t i = 0; i < fit.massage.size(); ++i)
        for (const auto& s : windowed(fit.massage[i], window_s))
            if (s.t_s >= fit.onsets_s[i] + 120.0) {
                shift += s.z;
                ++n;
                break;
            }
    if (n == 0) return Z::Constant(0.25);
    const Z w = cov.ldlt().solve(shift / n - mean);
    return w / w.cwiseAbs().sum();  // the scale is the threshold's; the sign is the direction
}

}  // namespace

void threshold_bound_table(const std::vector<Features>& real_rest) {
    constexpr int kSeeds = 100, kAllowedPer100h = 2;  // one hour a seed
    static_assert(kSeeds >= 100, "the threshold is read from the sessions' peaks");
    const Sessions judged = sessions(1, kSeeds), fit = sessions(101, 160);
    const dsp::RelaxationDetector::Params p;
    const Z detector_w(p.w_hr, p.w_rmssd, p.w_rsa, p.w_resp);
    fmt::print(
        "Nor does a plain threshold on the same evidence come near the targets, whatever its "
        "weights and window: the detector's z-scores (its baseline, floors and clipping) averaged "
        "over the last W seconds and weighed, with the lowest threshold that no more than {1} of "
        "{0} hours of realistic rest cross (seeds 1-{0}, each counted once, at its highest "
        "point: {1} onsets per 100 h at most); the realistic massages (seeds 1-{0}) then cross "
        "it this long after their scripted start (from below). Fisher's weights, the best a linear "
        "threshold can weigh, are "
        "fitted on other seeds (101-160): the rest's covariance of the windowed z-scores and "
        "their mean 120 s into the massages. Real rest: the half-hours above that cross the same "
        "threshold.\n\n"
        "| weights (heart rate, RMSSD, RSA, breathing) | W | threshold | massage: detected, "
        "median, p95 | real half-hours crossing |\n|---|---|---|---|---|\n",
        kSeeds, kAllowedPer100h);
    double best_median_s = 1e9, best_p95_s = 0.0;
    for (const double window_s : {30.0, 60.0, 120.0}) {
        const Z fisher = fisher_weights(fit, window_s);
        // Each session's windowed evidence once, for every weighing.
        auto all_windowed = [&](const std::vector<Features>& sessions) {
            std::vector<std::vector<Sample>> out;
            for (const auto& f : sessions) out.push_back(windowed(f, window_s));
            return out;
        };
        const auto rest = all_windowed(judged.rest), massage = all_windowed(judged.massage),
                   real = all_windowed(real_rest);
        const std::pair<std::string, Z> weights[] = {
            {"the detector's", detector_w / detector_w.sum()},
            {"even", Z::Constant(0.25)},
            {"Fisher's", fisher},
        };
        for (const auto& [name, w] : weights) {
            auto peak = [&](const std::vector<Sample>& session) {
                double best = -1e9;
                for (const auto& s : session) best = std::max(best, w.dot(s.z));
                return best;
            };
            std::vector<double> peaks;
            for (const auto& session : rest) peaks.push_back(peak(session));
            std::sort(peaks.rbegin(), peaks.rend());
            // The third-highest session's peak: only the two above it cross (strictly).
            const double threshold = peaks[kAllowedPer100h * kSeeds / 100];
            std::vector<double> latencies_s;
            for (std::size_t i = 0; i < massage.size(); ++i) {
                bool below = false;  // a crossing: from at or under the threshold, after the start
                for (const auto& s : massage[i]) {
                    if (s.t_s < judged.onsets_s[i]) continue;
                    if (below && w.dot(s.z) > threshold) {
                        latencies_s.push_back(s.t_s - judged.onsets_s[i]);
                        break;
                    }
                    below = below || w.dot(s.z) <= threshold;
                }
            }
            std::sort(latencies_s.begin(), latencies_s.end());
            const auto real_crossing = std::count_if(
                real.begin(), real.end(),
                [&](const std::vector<Sample>& session) { return peak(session) > threshold; });
            const double median_s = test::median_of_sorted(latencies_s);
            if (median_s < best_median_s)
                best_median_s = median_s, best_p95_s = test::p95_of_sorted(latencies_s);
            fmt::print(
                "| {} ({:.2f}, {:.2f}, {:.2f}, {:.2f}) | {:.0f} s | {:.2f} | {}/{}, {:.0f} "
                "s, {:.0f} s | {} of {} |\n",
                name, w[0], w[1], w[2], w[3], window_s, threshold, latencies_s.size(),
                judged.massage.size(), median_s, test::p95_of_sorted(latencies_s), real_crossing,
                real_rest.size());
        }
    }
    fmt::print(
        "\nThe quickest of them finds the massages at a median {:.0f} s (p95 {:.0f} s) with the "
        "rest held to the target: 120 s after the start of a response that unfolds over 2-5 "
        "minutes, what has changed is no larger than what a resting body wanders. The targets "
        "of a 120-s median and a 240-s p95 with at most 2 false onsets per 100 h are out of "
        "reach of this evidence on a body that wanders as real ones do; the detector keeps the "
        "quicker setting above, and its onsets at rest are the price.\n",
        best_median_s, best_p95_s);
    fmt::print("\n");
}

}  // namespace relaxmon::validation
