#pragma once
// SvgChart: a time-series chart as inline SVG for the printable report (no scripts, no fonts to
// fetch): time on x in minutes, one value axis, series drawn as polylines (a NaN breaks the
// line), shaded spans (relaxed phases, gaps, the baseline) and labelled vertical markers.
#include <array>
#include <string>
#include <vector>

namespace relaxmon::report {

class SvgChart {
  public:
    SvgChart(double t0_s, double t1_s, double y0, double y1, std::string y_label);

    void span(double from_s, double to_s, const std::string& fill, double opacity);
    void series(const std::vector<double>& t_s, const std::vector<double>& y,
                const std::string& stroke, double width = 1.6, bool dashed = false);
    void level(double y, const std::string& stroke, const std::string& label);
    void marker(double t_s, const std::string& label);
    // A part of the session (a segment of the massage): shaded when `shaded` (every other one),
    // its start a thin line, its label along the chart's foot (cut to the band's width).
    void band(double from_s, double to_s, const std::string& label, bool shaded);
    std::string svg(const std::string& css_class) const;

  private:
    double x(double t_s) const;
    double y(double v) const;

    static constexpr double kW = 680, kH = 190, kLeft = 48, kRight = 10, kTop = 14, kBottom = 26;
    double t0_, t1_, y0_, y1_;
    std::string y_label_;
    std::string back_, front_;                   // shading under the grid, lines and labels over it
    std::vector<std::array<double, 4>> labels_;  // marker labels placed: x0, y0, x1, y1
};

// The tick step for an axis spanning `span`: 1, 2 or 5 times a power of ten, 3 to 6 ticks.
double tick_step(double span);

// A round axis range around [lo, hi] (a tenth of the spread as margin).
std::pair<double, double> nice_range(double lo, double hi);
std::string escape_xml(const std::string& text);

}  // namespace relaxmon::report
