#include "artifact_injection.hpp"

#include <set>

namespace relaxmon::test {

Injection inject_artifacts(const std::vector<double>& clean, std::mt19937_64& rng, int spacing) {
    Injection out;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t next = 20;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        if (i == next && i + 22 < clean.size()) {
            const int kind = static_cast<int>(u(rng) * 3.0);
            if (kind == 0) {
                const double p = 0.6 + 0.25 * u(rng);  // 15-40% premature
                out.events.push_back({out.rr.size(), Injected::ectopic});
                out.rr.push_back(p * clean[i]);
                out.rr.push_back(clean[i + 1] + (1.0 - p) * clean[i]);
                ++i;
            } else if (kind == 1) {
                out.events.push_back({out.rr.size(), Injected::missed});
                out.rr.push_back(clean[i] + clean[i + 1]);
                ++i;
            } else {
                const double f = 0.2 + 0.3 * u(rng);
                out.events.push_back({out.rr.size(), Injected::extra});
                out.rr.push_back(f * clean[i]);
                out.rr.push_back((1.0 - f) * clean[i]);
            }
            next =
                i + static_cast<std::size_t>(spacing) + static_cast<std::size_t>(u(rng) * spacing);
            continue;
        }
        out.rr.push_back(clean[i]);
    }
    return out;
}

void score_detection(const Injection& inj, const std::vector<dsp::ArtifactClass>& cls,
                     DetectionScore& score) {
    using dsp::ArtifactClass;
    std::set<std::size_t> artifact_beats;
    for (auto [idx, kind] : inj.events) {
        const int k = static_cast<int>(kind);
        ++score.total[k];
        // The injected beats: the pair for ectopic and extra, the merged interval for missed.
        const std::size_t span = kind == Injected::missed ? 1 : 2;
        bool any = false, exact = false;
        for (std::size_t j = idx; j < idx + span; ++j) {
            artifact_beats.insert(j);
            any |= cls[j] != ArtifactClass::none;
            exact |= (kind == Injected::ectopic && cls[j] == ArtifactClass::ectopic) ||
                     (kind == Injected::missed && cls[j] == ArtifactClass::missed) ||
                     (kind == Injected::extra && cls[j] == ArtifactClass::extra);
        }
        score.found[k] += any;
        score.right_class[k] += exact;
    }
    for (std::size_t j = 0; j < cls.size(); ++j) {
        if (artifact_beats.count(j) || (j > 0 && artifact_beats.count(j - 1))) continue;
        ++score.clean_beats;
        score.false_flags += cls[j] != ArtifactClass::none;
    }
}

}  // namespace relaxmon::test
