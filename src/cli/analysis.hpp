#pragma once
// One input of `relaxmon analyze` (an RR/beat file or a session folder) turned into the
// `analyze --json` object of DESIGN.md: artifacts found and corrected, all metrics over the whole
// record, sliding windows when a step is given, and the relaxation detector run over every beat.
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace relaxmon::cli {

struct AnalysisOptions {
    double window_s = 300.0;
    double step_s = 0.0;  // 0: no sliding windows
    std::string artifacts = "auto";
    std::string column;
    std::string method = "welch";
};

struct Analysis {
    nlohmann::json json;
    std::string format;  // what the reader took the input for ("WFDB annotations", ...)
    double last_beat_t_s = 0.0;
};

// Called now and then from any of the threads with windows done and windows in all.
using WindowProgress = std::function<void(std::size_t done, std::size_t total)>;

// Throws std::runtime_error with one line naming the input when it cannot be read or holds too
// little for HRV. `threads`: how many threads may work on it (the windows and the detector's pass
// share them; 1 runs everything on the calling thread).
Analysis analyze_input(const std::string& input, const AnalysisOptions& options, unsigned threads,
                       const WindowProgress& progress = {});

}  // namespace relaxmon::cli
