#pragma once
// Known artifacts injected into a clean RR series, as Lipponen & Tarvainen (2019) evaluate their
// detector: premature beats with a full compensatory pause (ectopic), two intervals read as one
// (missed), an interval split by a spurious detection (extra). Shared by the artifact test and
// the validation report.
#include <cstddef>
#include <random>
#include <utility>
#include <vector>

#include "relaxmon/dsp/artifact_screen.hpp"

namespace relaxmon::test {

enum class Injected { ectopic, missed, extra };

struct Injection {
    std::vector<double> rr;
    std::vector<std::pair<std::size_t, Injected>> events;  // index in `rr` of each artifact
};

// Artifacts every `spacing` to 2*`spacing` beats, kinds drawn evenly.
Injection inject_artifacts(const std::vector<double>& clean, std::mt19937_64& rng, int spacing);

struct DetectionScore {
    int found[3] = {0, 0, 0}, total[3] = {0, 0, 0}, right_class[3] = {0, 0, 0};
    long clean_beats = 0, false_flags = 0;
    double sensitivity(Injected k) const { return double(found[int(k)]) / total[int(k)]; }
    double specificity() const { return 1.0 - double(false_flags) / double(clean_beats); }
};

// Adds the detection result `cls` for one injected series to the score.
void score_detection(const Injection& inj, const std::vector<dsp::ArtifactClass>& cls,
                     DetectionScore& score);

}  // namespace relaxmon::test
