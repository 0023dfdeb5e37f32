#include "relaxmon/dsp/beat_matching.hpp"

#include <cmath>
#include <vector>

namespace relaxmon::dsp {

BeatScore score_beats(std::span<const double> detected, std::span<const double> reference,
                      double window_s, double from_s) {
    BeatScore s;
    std::vector<char> used(reference.size(), 0);
    std::size_t j = 0;
    for (double d : detected) {
        if (d < from_s) continue;
        while (j < reference.size() && reference[j] < d - window_s) ++j;
        // The nearest unused reference within the window.
        std::size_t best = reference.size();
        for (std::size_t k = j; k < reference.size() && reference[k] <= d + window_s; ++k)
            if (!used[k] && (best == reference.size() ||
                             std::abs(reference[k] - d) < std::abs(reference[best] - d)))
                best = k;
        if (best < reference.size()) {
            used[best] = 1;
            ++s.tp;
        } else {
            ++s.fp;
        }
    }
    for (std::size_t k = 0; k < reference.size(); ++k)
        if (reference[k] >= from_s && !used[k]) ++s.fn;
    return s;
}

}  // namespace relaxmon::dsp
