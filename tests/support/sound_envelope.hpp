#pragma once
// Reading a breathing pacer's sound as a listener follows it: the loudness envelope (RMS over
// 50-ms frames, smoothed over 150 ms) is silent where a breath begins. Breathing out is breathing
// in played backwards and slower, so the time the sound takes to swell from 20% to 60% of its
// loudness and the time it takes to fade from 60% to 20% stand as in : out (whatever the shape of
// the swell); each cycle's breathing-in time is its length split in that ratio. Cycles are timed
// between the 60% points of successive swells, found between frames by linear interpolation.
#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace relaxmon::test {

struct BreathTiming {
    std::vector<double> cycles_s, inhales_s;
    std::vector<double> starts_s;
};

inline BreathTiming measure_breaths(std::span<const float> samples, double fs_hz) {
    const auto hop = static_cast<std::size_t>(fs_hz * 0.05);
    std::vector<double> env;
    for (std::size_t i = 0; i + hop <= samples.size(); i += hop) {
        double e = 0.0;
        for (std::size_t k = 0; k < hop; ++k) e += samples[i + k] * samples[i + k];
        env.push_back(std::sqrt(e / static_cast<double>(hop)));
    }
    std::vector<double> smooth(env.size());
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::size_t lo = i == 0 ? 0 : i - 1, hi = std::min(env.size() - 1, i + 1);
        double s = 0.0;
        for (std::size_t k = lo; k <= hi; ++k) s += env[k];
        smooth[i] = s / static_cast<double>(hi - lo + 1);
    }
    const double top = smooth.empty() ? 0.0 : *std::max_element(smooth.begin(), smooth.end());
    // A breath starts at each quiet minimum (below 2% of the loudest).
    BreathTiming out;
    for (std::size_t i = 1; i + 1 < smooth.size(); ++i)
        if (smooth[i] <= smooth[i - 1] && smooth[i] < smooth[i + 1] && smooth[i] < 0.02 * top &&
            (out.starts_s.empty() || (i + 0.5) * 0.05 - out.starts_s.back() > 1.0))
            out.starts_s.push_back((static_cast<double>(i) + 0.5) * 0.05);
    // The time the envelope crosses `level` between frames i-1 and i.
    const auto at = [&](std::size_t i, double level) {
        const double a = smooth[i - 1], b = smooth[i];
        const double f = b != a ? (level - a) / (b - a) : 0.0;
        return (static_cast<double>(i) - 0.5 + f) * 0.05;
    };
    std::vector<double> up60;
    for (std::size_t k = 0; k + 1 < out.starts_s.size(); ++k) {
        const auto a = static_cast<std::size_t>(out.starts_s[k] / 0.05);
        const auto b = static_cast<std::size_t>(out.starts_s[k + 1] / 0.05);
        const double top_k = *std::max_element(smooth.begin() + static_cast<std::ptrdiff_t>(a),
                                               smooth.begin() + static_cast<std::ptrdiff_t>(b));
        std::size_t i = a + 1;
        while (i < b && smooth[i] < 0.2 * top_k) ++i;
        const double up20 = at(i, 0.2 * top_k);
        while (i < b && smooth[i] < 0.6 * top_k) ++i;
        const double up60_k = at(i, 0.6 * top_k);
        std::size_t j = b;
        while (j > i && smooth[j - 1] < 0.2 * top_k) --j;
        const double down20 = at(j, 0.2 * top_k);
        while (j > i && smooth[j - 1] < 0.6 * top_k) --j;
        const double down60 = at(j, 0.6 * top_k);
        up60.push_back(up60_k);
        out.inhales_s.push_back((up60_k - up20) / ((up60_k - up20) + (down20 - down60)));
    }
    // Lengths between successive swells; the split as a time.
    for (std::size_t k = 0; k + 1 < up60.size(); ++k) {
        out.cycles_s.push_back(up60[k + 1] - up60[k]);
        out.inhales_s[k] *= out.cycles_s.back();
    }
    out.inhales_s.resize(out.cycles_s.size());
    return out;
}

}  // namespace relaxmon::test
