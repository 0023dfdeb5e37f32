#pragma once
// docs/validation.md, issue 17: the best any threshold on the detector's evidence can do on the
// realistic body. The evidence's z-scores against the 3-min baseline (scaled as the detector
// scales them) are averaged over a window and weighed; the threshold is the lowest that no more
// than 2 of 100 hours of realistic rest cross; the massage latency follows. Whatever the weights
// and the window, what is left of a response that unfolds over 2-5 minutes after 2 minutes is no
// larger than the wander of a resting body.
#include <vector>

#include "relaxmon/dsp/relaxation_detector.hpp"

namespace relaxmon::validation {

// `real_rest`: the real half-hours of sleep and meditation (each a session's features).
void threshold_bound_table(const std::vector<std::vector<dsp::RelaxFeatures>>& real_rest);

}  // namespace relaxmon::validation
