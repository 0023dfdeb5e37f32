#pragma once
// Resampling an RR series (one value per beat, at the beat times) onto an even time grid, as
// frequency-domain HRV requires (Task Force 1996): a natural cubic spline through the points
// (Kubios' default, at 4 Hz), or straight lines (hrv-analysis' default, for comparisons).
#include <Eigen/Core>
#include <span>

namespace relaxmon::dsp {

enum class Interpolation { cubic, linear };

// Values at t0, t0 + 1/fs, ... up to the last beat. `t_s` strictly increasing, same size as y.
// Returns an empty vector when fewer than 2 points (or 3 for cubic) are given.
Eigen::VectorXd resample_even(std::span<const double> t_s, std::span<const double> y, double fs_hz,
                              Interpolation method = Interpolation::cubic);

}  // namespace relaxmon::dsp
