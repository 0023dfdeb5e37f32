#include "session_picture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace relaxmon::validation {

namespace {

constexpr double kWidth = 960, kHeight = 280, kLeft = 50, kRight = 50, kTop = 34, kPlotHeight = 170,
                 kStripHeight = 14;
constexpr const char* kHrColour = "#c0392b";
constexpr const char* kIndexColour = "#2c7fb8";

const char* state_colour(dsp::RelaxState s) {
    switch (s) {
        case dsp::RelaxState::baseline:
            return "#bdbdbd";
        case dsp::RelaxState::neutral:
            return "#e5e5e5";
        case dsp::RelaxState::relaxing:
            return "#a1d99b";
        case dsp::RelaxState::relaxed:
            return "#31a354";
        case dsp::RelaxState::aroused:
            return "#fd8d3c";
    }
    return "#e5e5e5";
}

// A polyline of the defined values, broken where a value is missing.
template <class Get, class Y>
std::string lines(const std::vector<PictureSample>& samples, Get get, Y y_of, double x_scale,
                  const char* colour) {
    std::string out, points;
    auto flush = [&] {
        if (!points.empty())
            out += fmt::format(
                "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n",
                colour, points);
        points.clear();
    };
    for (const auto& s : samples) {
        const std::optional<double> v = get(s);
        if (!v) {
            flush();
            continue;
        }
        points += fmt::format("{:.1f},{:.1f} ", kLeft + s.t_s * x_scale, y_of(*v));
    }
    flush();
    return out;
}

}  // namespace

void write_session_picture(const std::filesystem::path& file, const std::string& title,
                           const std::vector<PictureSample>& samples,
                           const std::vector<PictureMark>& marks) {
    if (samples.empty()) return;
    const double end_s = samples.back().t_s;
    const double x_scale = (kWidth - kLeft - kRight) / end_s;
    double hr_lo = 1e9, hr_hi = -1e9;
    for (const auto& s : samples)
        if (s.hr_bpm) hr_lo = std::min(hr_lo, *s.hr_bpm), hr_hi = std::max(hr_hi, *s.hr_bpm);
    hr_lo = std::floor(hr_lo / 10.0) * 10.0;
    hr_hi = std::max(hr_lo + 10.0, std::ceil(hr_hi / 10.0) * 10.0);
    const double bottom = kTop + kPlotHeight;
    auto y_hr = [&](double v) { return bottom - (v - hr_lo) / (hr_hi - hr_lo) * kPlotHeight; };
    auto y_index = [&](double v) { return bottom - v / 100.0 * kPlotHeight; };

    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"11\">\n"
        "<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text x=\"{2}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{3}</text>\n"
        "<text x=\"{4}\" y=\"16\" text-anchor=\"end\"><tspan fill=\"{5}\">heart rate (bpm, "
        "left)</tspan>  <tspan fill=\"{6}\">relax index (right)</tspan></text>\n",
        kWidth, kHeight, kLeft, title, kWidth - kRight, kHrColour, kIndexColour);
    // Axes and grid: heart rate every 10 bpm on the left, the index's 50 and 100 on the right,
    // time every 10 minutes.
    for (double v = hr_lo; v <= hr_hi + 0.1; v += 10.0)
        svg += fmt::format(
            "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#eeeeee\"/>\n"
            "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\" fill=\"{5}\">{6:.0f}</text>\n",
            kLeft, kWidth - kRight, y_hr(v), kLeft - 4, y_hr(v) + 4, kHrColour, v);
    for (double v : {0.0, 50.0, 100.0})
        svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" fill=\"{}\">{:.0f}</text>\n",
                           kWidth - kRight + 4, y_index(v) + 4, kIndexColour, v);
    const double strip_y = bottom + 6;
    for (double t = 0.0; t <= end_s; t += 600.0)
        svg += fmt::format(
            "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#dddddd\"/>\n"
            "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4:.0f} min</text>\n",
            kLeft + t * x_scale, kTop, strip_y + kStripHeight, strip_y + kStripHeight + 14,
            t / 60.0);
    // The state strip: one rectangle per run of samples in the same state.
    for (std::size_t i = 0; i < samples.size();) {
        std::size_t j = i + 1;
        while (j < samples.size() && samples[j].state == samples[i].state) ++j;
        const double x0 = kLeft + samples[i].t_s * x_scale;
        const double x1 = kLeft + (j < samples.size() ? samples[j].t_s : end_s) * x_scale;
        svg += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>\n", x0,
            strip_y, std::max(0.5, x1 - x0), kStripHeight, state_colour(samples[i].state));
        i = j;
    }
    double legend_x = kLeft;
    for (const auto s :
         {dsp::RelaxState::baseline, dsp::RelaxState::neutral, dsp::RelaxState::relaxing,
          dsp::RelaxState::relaxed, dsp::RelaxState::aroused}) {
        svg += fmt::format(
            "<rect x=\"{0}\" y=\"{1}\" width=\"10\" height=\"10\" fill=\"{2}\"/>"
            "<text x=\"{3}\" y=\"{4}\">{5}</text>\n",
            legend_x, kHeight - 14, state_colour(s), legend_x + 13, kHeight - 5,
            dsp::relax_state_name(s));
        legend_x += 90;
    }
    for (std::size_t k = 0; k < marks.size(); ++k) {
        const PictureMark& m = marks[k];
        const double x = kLeft + m.t_s * x_scale;
        svg += fmt::format(
            "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#555555\" "
            "stroke-dasharray=\"3,3\"/>\n<text x=\"{3:.1f}\" y=\"{4}\" fill=\"#555555\">{5}"
            "</text>\n",
            x, kTop, strip_y + kStripHeight, x + 3, kTop + 10 + 12 * static_cast<double>(k % 3),
            m.label);
    }
    svg += lines(
        samples, [](const PictureSample& s) { return s.hr_bpm; }, y_hr, x_scale, kHrColour);
    svg += lines(
        samples, [](const PictureSample& s) { return s.relax_index; }, y_index, x_scale,
        kIndexColour);
    svg += "</svg>\n";
    std::ofstream out(file);
    out << svg;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace relaxmon::validation
