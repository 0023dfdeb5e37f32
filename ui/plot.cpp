#include "plot.hpp"

#include <algorithm>
#include <cstdio>

#include "theme.hpp"

namespace relaxmon::ui {

namespace {
std::vector<double> ticks_at(Range r, double step) {
    std::vector<double> ticks;
    for (double t = std::ceil(r.min / step) * step; t <= r.max + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}
}  // namespace

std::vector<double> nice_ticks(Range r, int target) {
    if (!(r.span() > 0.0) || target < 1) return {};
    const double raw = r.span() / target;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    return ticks_at(r, (norm < 1.5 ? 1.0 : norm < 3.5 ? 2.0 : norm < 7.5 ? 5.0 : 10.0) * mag);
}

std::vector<double> clock_ticks(Range r, int target) {
    if (!(r.span() > 0.0) || target < 1) return {};
    // Steps a clock reader expects: seconds, then whole minutes, then hours.
    constexpr double kSteps_s[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    const double raw = r.span() / target;
    for (double step : kSteps_s)
        if (step >= raw) return ticks_at(r, step);
    return nice_ticks(r, target);
}

Range nice_range(double lo, double hi, double min_span, double pad) {
    if (!(hi >= lo)) return {0.0, min_span};
    double span = std::max(hi - lo, min_span);
    const double mid = 0.5 * (lo + hi);
    lo = mid - 0.5 * span * (1.0 + 2.0 * pad);
    hi = mid + 0.5 * span * (1.0 + 2.0 * pad);
    const auto ticks = nice_ticks({lo, hi}, 5);
    const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : span;
    return {std::floor(lo / step) * step, std::ceil(hi / step) * step};
}

namespace {
std::string number_label(double v, double step) {
    char buf[32];
    const int decimals = step >= 1.0 ? 0 : step >= 0.1 ? 1 : 2;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
}  // namespace

Plot::Plot(const char* id, ImVec2 size, Range x, Range y, const char* title, const char* y_unit,
           AxisFormat x_format)
    : draw_(ImGui::GetWindowDrawList()), x_(x), y_(y) {
    ImGui::PushID(id);
    frame_min_ = ImGui::GetCursorScreenPos();
    frame_max_ = {frame_min_.x + size.x, frame_min_.y + size.y};
    ImGui::Dummy(size);
    const float line_h = ImGui::GetTextLineHeight();
    plot_min_ = {frame_min_.x + 56.0f, frame_min_.y + line_h + 8.0f};
    plot_max_ = {frame_max_.x - 12.0f, frame_max_.y - line_h - 8.0f};

    draw_->AddRectFilled(frame_min_, frame_max_, theme::colors().panel, 6.0f);
    draw_->AddText({frame_min_.x + 10.0f, frame_min_.y + 4.0f}, theme::colors().text, title);
    if (y_unit && *y_unit) {
        const ImVec2 unit_size = ImGui::CalcTextSize(y_unit);
        draw_->AddText({frame_max_.x - unit_size.x - 12.0f, frame_min_.y + 4.0f},
                       theme::colors().text_dim, y_unit);
    }
    draw_->AddRectFilled(plot_min_, plot_max_, theme::colors().plot_bg);

    const float plot_h = plot_max_.y - plot_min_.y;
    const auto y_ticks = nice_ticks(y_, std::clamp(static_cast<int>(plot_h / 40.0f), 2, 6));
    const double y_step = y_ticks.size() >= 2 ? y_ticks[1] - y_ticks[0] : 1.0;
    for (double t : y_ticks) {
        const float sy = to_screen(x_.min, t).y;
        draw_->AddLine({plot_min_.x, sy}, {plot_max_.x, sy}, theme::colors().grid);
        const std::string label = number_label(t, y_step);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        draw_->AddText({plot_min_.x - ts.x - 6.0f, sy - ts.y * 0.5f}, theme::colors().text_dim,
                       label.c_str());
    }
    const float plot_w = plot_max_.x - plot_min_.x;
    const int x_target = std::max(2, static_cast<int>(plot_w / 110.0f));
    const auto x_ticks =
        x_format == AxisFormat::clock ? clock_ticks(x_, x_target) : nice_ticks(x_, x_target);
    const double x_step = x_ticks.size() >= 2 ? x_ticks[1] - x_ticks[0] : 1.0;
    for (double t : x_ticks) {
        const float sx = to_screen(t, y_.min).x;
        draw_->AddLine({sx, plot_min_.y}, {sx, plot_max_.y}, theme::colors().grid);
        const std::string label =
            x_format == AxisFormat::clock ? clock_label(t) : number_label(t, x_step);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        // Keep edge labels inside the frame.
        const float lx =
            std::clamp(sx - ts.x * 0.5f, frame_min_.x + 2.0f, frame_max_.x - ts.x - 4.0f);
        draw_->AddText({lx, plot_max_.y + 4.0f}, theme::colors().text_dim, label.c_str());
    }
    draw_->AddRect(plot_min_, plot_max_, theme::colors().axis);
    draw_->PushClipRect(plot_min_, plot_max_, true);
}

Plot::~Plot() {
    draw_->PopClipRect();
    ImGui::PopID();
}

ImVec2 Plot::to_screen(double x, double y) const {
    const double fx = x_.span() > 0 ? (x - x_.min) / x_.span() : 0.0;
    const double fy = y_.span() > 0 ? (y - y_.min) / y_.span() : 0.0;
    return {static_cast<float>(plot_min_.x + fx * (plot_max_.x - plot_min_.x)),
            static_cast<float>(plot_max_.y - fy * (plot_max_.y - plot_min_.y))};
}

void Plot::point(double x, double y, ImU32 color, float radius) {
    draw_->AddCircleFilled(to_screen(x, y), radius, color, 12);
}

namespace {
void draw_mark(ImDrawList* draw, ImVec2 c, ImU32 color, float r, MarkShape shape) {
    switch (shape) {
        case MarkShape::circle:
            draw->AddCircleFilled(c, r, color, 12);
            break;
        case MarkShape::square:
            draw->AddRectFilled({c.x - r, c.y - r}, {c.x + r, c.y + r}, color);
            break;
        case MarkShape::triangle:
            draw->AddTriangleFilled({c.x, c.y - r * 1.2f}, {c.x + r * 1.1f, c.y + r * 0.8f},
                                    {c.x - r * 1.1f, c.y + r * 0.8f}, color);
            break;
    }
}
}  // namespace

void Plot::mark(double x, double y, ImU32 color, float r, MarkShape shape) {
    draw_mark(draw_, to_screen(x, y), color, r, shape);
}

void Plot::legend(std::initializer_list<std::tuple<MarkShape, ImU32, const char*>> entries) {
    const float r = 4.5f, gap = ImGui::GetStyle().ItemSpacing.x;
    float width = 0.0f;
    for (const auto& [shape, color, name] : entries)
        width += r * 2.0f + 4.0f + ImGui::CalcTextSize(name).x + gap * 1.5f;
    float x = plot_max_.x - width;
    const float y = plot_min_.y + 4.0f;
    const float h = ImGui::GetTextLineHeight();
    draw_->AddRectFilled({x - gap * 0.5f, y - 2.0f}, {plot_max_.x - 2.0f, y + h + 2.0f},
                         theme::colors().plot_bg);
    for (const auto& [shape, color, name] : entries) {
        draw_mark(draw_, {x + r, y + h * 0.5f}, color, r, shape);
        x += r * 2.0f + 4.0f;
        draw_->AddText({x, y}, theme::colors().text_dim, name);
        x += ImGui::CalcTextSize(name).x + gap * 1.5f;
    }
}

void Plot::band(double x0, double x1, ImU32 color, const char* label) {
    const float sx0 = std::max(plot_min_.x, to_screen(x0, y_.min).x);
    const float sx1 = std::min(plot_max_.x, to_screen(x1, y_.min).x);
    if (sx1 <= sx0) return;
    draw_->AddRectFilled({sx0, plot_min_.y}, {sx1, plot_max_.y}, color);
    if (label) place_label(sx0, theme::colors().text_dim, label);
}

void Plot::ribbon(double x0, double x1, ImU32 color, float height_px) {
    const float sx0 = std::max(plot_min_.x, to_screen(x0, y_.min).x);
    const float sx1 = std::min(plot_max_.x, to_screen(x1, y_.min).x);
    if (sx1 <= sx0) return;
    draw_->AddRectFilled({sx0, plot_max_.y - height_px}, {sx1, plot_max_.y}, color);
}

void Plot::vline(double x, ImU32 color, const char* label) {
    if (!visible_x(x)) return;
    const float sx = to_screen(x, y_.min).x;
    draw_->AddLine({sx, plot_min_.y}, {sx, plot_max_.y}, color, 2.0f);
    if (label) place_label(sx, color, label);
}

void Plot::place_label(float at, ImU32 color, const char* text) {
    constexpr float kPad = 4.0f;
    constexpr int kRows = 3;
    const ImVec2 size = ImGui::CalcTextSize(text);
    float x = at + kPad;
    if (x + size.x > plot_max_.x - 2.0f) x = at - kPad - size.x;  // at the right edge: left of it
    x = std::max(x, plot_min_.x + 2.0f);
    if (x + size.x > plot_max_.x) return;  // wider than the plot
    const float row_h = size.y + 2.0f;
    for (int row = 0; row < kRows; ++row) {
        const float y = plot_min_.y + 2.0f + static_cast<float>(row) * row_h;
        if (y + size.y > plot_max_.y) return;
        const ImVec4 r{x - 2.0f, y, x + size.x + 2.0f, y + size.y};
        const bool overlaps = std::any_of(labels_.begin(), labels_.end(), [&](const ImVec4& o) {
            return r.x < o.z && o.x < r.z && r.y < o.w && o.y < r.w;
        });
        if (overlaps) continue;
        labels_.push_back(r);
        draw_->AddText({x, y}, color, text);
        return;
    }
}

}  // namespace relaxmon::ui
