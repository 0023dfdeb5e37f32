#pragma once
// A small plotting module on ImGui's ImDrawList (ImPlot is not packaged in Debian 12): a framed
// plot area with "nice" ticks (1-2-5 steps), grid, axis labels, line series that break at NaN,
// point series, shaded bands and labelled vertical markers. A Plot is used within one frame:
// construct it (it reserves its rectangle), add series, and let it go out of scope.
#include <imgui.h>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <tuple>
#include <vector>

#include "session/clock_label.hpp"

namespace relaxmon::ui {

struct Range {
    double min = 0.0;
    double max = 1.0;
    double span() const { return max - min; }
};

// Tick positions within r at a 1-2-5 step, about `target` of them.
std::vector<double> nice_ticks(Range r, int target);
// Ticks for a time axis in seconds, at clock steps (10 s, 30 s, 1 min, 5 min, 15 min, 1 h ...).
std::vector<double> clock_ticks(Range r, int target);
// The smallest range holding [lo, hi] padded by `pad` of the span and snapped to nice steps;
// never narrower than `min_span` (so a flat line does not fill the plot with noise).
Range nice_range(double lo, double hi, double min_span, double pad = 0.08);
using session::clock_label;

enum class AxisFormat { number, clock };
enum class MarkShape { circle, square, triangle };

class Plot {
  public:
    Plot(const char* id, ImVec2 size, Range x, Range y, const char* title, const char* y_unit,
         AxisFormat x_format = AxisFormat::clock);
    ~Plot();
    Plot(const Plot&) = delete;
    Plot& operator=(const Plot&) = delete;

    ImVec2 to_screen(double x, double y) const;
    bool visible_x(double x) const { return x >= x_.min && x <= x_.max; }

    // A polyline through the points point_at(i) -> ImVec2{x, y} in data units; NaN breaks it.
    template <class PointAt>
    void line(std::size_t n, PointAt&& point_at, ImU32 color, float thickness = 2.0f) {
        std::vector<ImVec2> run;
        auto flush = [&] {
            if (run.size() >= 2)
                draw_->AddPolyline(run.data(), static_cast<int>(run.size()), color, 0, thickness);
            run.clear();
        };
        for (std::size_t i = 0; i < n; ++i) {
            const ImVec2 p = point_at(i);
            if (std::isnan(p.y) || std::isnan(p.x)) {
                flush();
                continue;
            }
            run.push_back(to_screen(p.x, p.y));
        }
        flush();
    }
    void point(double x, double y, ImU32 color, float radius = 3.0f);
    void mark(double x, double y, ImU32 color, float radius, MarkShape shape);
    // A row of legend entries at the plot's top right: a mark and its name each.
    void legend(std::initializer_list<std::tuple<MarkShape, ImU32, const char*>> entries);
    void band(double x0, double x1, ImU32 color, const char* label = nullptr);
    void vline(double x, ImU32 color, const char* label = nullptr);
    // A strip `height_px` high along the plot's bottom edge over [x0, x1]: a stretch named
    // without hiding the bands and lines above it.
    void ribbon(double x0, double x1, ImU32 color, float height_px);

    const ImVec2& top_left() const { return plot_min_; }
    const ImVec2& bottom_right() const { return plot_max_; }

  private:
    // A label beside screen x `at` along the plot's top: to the right of it, or to the left at
    // the plot's right edge; one row lower when it would overlap one already placed (at most
    // three rows, then it is left out rather than drawn over another).
    void place_label(float at, ImU32 color, const char* text);

    ImDrawList* draw_;
    Range x_, y_;
    ImVec2 frame_min_, frame_max_, plot_min_, plot_max_;
    std::vector<ImVec4> labels_;  // placed label rectangles (x0, y0, x1, y1)
};

}  // namespace relaxmon::ui
