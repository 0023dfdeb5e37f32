#pragma once
// Second-order IIR sections (biquads), Direct Form II transposed, designed by the bilinear
// transform with frequency pre-warping (RBJ Audio EQ Cookbook formulas; Butterworth Q = 1/sqrt2).
// Streaming, one sample at a time, so a signal filtered in blocks of any size gives the same
// output.
#include <cmath>
#include <numbers>

namespace relaxmon::dsp {

class Biquad {
  public:
    Biquad() = default;  // passes the signal through unchanged
    static Biquad lowpass(double fs_hz, double f0_hz, double q = std::numbers::sqrt2 / 2.0) {
        const double w = 2.0 * std::numbers::pi * f0_hz / fs_hz, alpha = std::sin(w) / (2.0 * q);
        const double c = std::cos(w);
        return Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }
    static Biquad highpass(double fs_hz, double f0_hz, double q = std::numbers::sqrt2 / 2.0) {
        const double w = 2.0 * std::numbers::pi * f0_hz / fs_hz, alpha = std::sin(w) / (2.0 * q);
        const double c = std::cos(w);
        return Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    double operator()(double x) {
        const double y = b0_ * x + z1_;
        z1_ = b1_ * x - a1_ * y + z2_;
        z2_ = b2_ * x - a2_ * y;
        return y;
    }
    void reset() { z1_ = z2_ = 0.0; }

  private:
    Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
        : b0_(b0 / a0), b1_(b1 / a0), b2_(b2 / a0), a1_(a1 / a0), a2_(a2 / a0) {}
    double b0_ = 1.0, b1_ = 0.0, b2_ = 0.0, a1_ = 0.0, a2_ = 0.0;
    double z1_ = 0.0, z2_ = 0.0;
};

}  // namespace relaxmon::dsp
