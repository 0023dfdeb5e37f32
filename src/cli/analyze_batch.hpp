#pragma once
// `relaxmon analyze FILE...`: a study in one call. Inputs run in parallel; one CSV row or one
// JSON line per input, in the order given; a bad input gets its one-line error in its row and on
// stderr and the others still finish.
#include <string>
#include <vector>

#include "cli/analysis.hpp"

namespace relaxmon::cli {

struct BatchOutput {
    bool json = false;     // one JSON object per line on stdout
    std::string csv_path;  // one row per input; neither: a readable line per input on stdout
};

// Returns the exit status: 1 when any input failed.
int analyze_batch(const std::vector<std::string>& inputs, const AnalysisOptions& options,
                  unsigned jobs, const BatchOutput& output);

}  // namespace relaxmon::cli
