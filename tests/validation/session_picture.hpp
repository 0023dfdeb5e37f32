#pragma once
// One session as a picture for docs/validation.md (SVG): heart rate and the relax index over
// time, the detector's state as a coloured strip beneath, and labelled moments (where the
// meditation starts, each onset).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "relaxmon/dsp/relaxation_detector.hpp"

namespace relaxmon::validation {

struct PictureSample {
    double t_s;
    std::optional<double> hr_bpm, relax_index;
    dsp::RelaxState state;
};
struct PictureMark {
    double t_s;
    std::string label;
};

void write_session_picture(const std::filesystem::path& file, const std::string& title,
                           const std::vector<PictureSample>& samples,
                           const std::vector<PictureMark>& marks);

}  // namespace relaxmon::validation
