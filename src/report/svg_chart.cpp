#include "report/svg_chart.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace relaxmon::report {

std::string escape_xml(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

double tick_step(double span) {
    if (!(span > 0.0)) return 1.0;
    const double unit = std::pow(10.0, std::floor(std::log10(span)));
    for (double f : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0})
        if (span / (f * unit) <= 6.0) return f * unit;
    return 10.0 * unit;
}

std::pair<double, double> nice_range(double lo, double hi) {
    if (!(hi > lo)) return {lo - 1.0, hi + 1.0};
    const double margin = (hi - lo) * 0.1;
    const double step = tick_step(hi - lo + 2.0 * margin);
    return {std::floor((lo - margin) / step) * step, std::ceil((hi + margin) / step) * step};
}

SvgChart::SvgChart(double t0_s, double t1_s, double y0, double y1, std::string y_label)
    : t0_(t0_s),
      t1_(t1_s > t0_s ? t1_s : t0_s + 1.0),
      y0_(y0),
      y1_(y1 > y0 ? y1 : y0 + 1.0),
      y_label_(std::move(y_label)) {}

double SvgChart::x(double t_s) const {
    return kLeft + (t_s - t0_) / (t1_ - t0_) * (kW - kLeft - kRight);
}
double SvgChart::y(double v) const {
    return kTop + (1.0 - (v - y0_) / (y1_ - y0_)) * (kH - kTop - kBottom);
}

void SvgChart::span(double from_s, double to_s, const std::string& fill, double opacity) {
    const double a = x(std::clamp(from_s, t0_, t1_)), b = x(std::clamp(to_s, t0_, t1_));
    if (b <= a) return;
    back_ += fmt::format(
        R"svg(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" fill-opacity="{}"/>)svg",
        a, kTop, b - a, kH - kTop - kBottom, fill, opacity);
}

void SvgChart::series(const std::vector<double>& t_s, const std::vector<double>& v,
                      const std::string& stroke, double width, bool dashed) {
    std::string points;
    auto flush = [&] {
        if (points.empty()) return;
        front_ += fmt::format(
            R"svg(<polyline fill="none" stroke="{}" stroke-width="{}"{} stroke-linejoin="round" points="{}"/>)svg",
            stroke, width, dashed ? R"svg( stroke-dasharray="5 3")svg" : "", points);
        points.clear();
    };
    for (std::size_t i = 0; i < t_s.size() && i < v.size(); ++i) {
        if (!std::isfinite(v[i])) {
            flush();
            continue;
        }
        points += fmt::format("{:.1f},{:.1f} ", x(t_s[i]), y(std::clamp(v[i], y0_, y1_)));
    }
    flush();
}

void SvgChart::level(double v, const std::string& stroke, const std::string& label) {
    if (v < y0_ || v > y1_) return;
    front_ += fmt::format(
        R"svg(<line x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}" stroke="{}" stroke-dasharray="2 3"/>)svg"
        R"svg(<text x="{:.1f}" y="{:.1f}" class="lvl" fill="{}">{}</text>)svg",
        x(t0_), x(t1_), y(v), y(v), stroke, x(t1_) - 4, y(v) - 3, stroke, escape_xml(label));
}

void SvgChart::band(double from_s, double to_s, const std::string& label, bool shaded) {
    const double a = x(std::clamp(from_s, t0_, t1_)), b = x(std::clamp(to_s, t0_, t1_));
    if (b <= a) return;
    if (shaded) span(from_s, to_s, "#6c7a96", 0.07);
    front_ += fmt::format(
        R"svg(<line x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}" class="band"/>)svg", a,
        kTop, kH - kBottom);
    // 8-px type: about 4.6 px a character; what does not fit ends in an ellipsis.
    const auto fits = static_cast<std::size_t>(std::max(0.0, (b - a - 4.0) / 4.6));
    if (fits < 2) return;
    std::string text = label;
    if (text.size() > fits) {
        std::size_t cut = fits - 1;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text = text.substr(0, cut) + "\u2026";  // (not inside a UTF-8 character)
    }
    front_ += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" class="blabel">{}</text>)svg", a + 2.0,
                          kH - kBottom - 3.0, escape_xml(text));
}

void SvgChart::marker(double t_s, const std::string& label) {
    if (t_s < t0_ || t_s > t1_) return;
    const double at = x(t_s);
    front_ += fmt::format(
        R"svg(<line x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}" class="marker"/>)svg", at,
        kTop, kH - kBottom);
    // Its label right of the line, or left of it near the right edge; a row lower where it
    // would overlap another (8-px type: about 4.6 px a character).
    const double width = 4.6 * static_cast<double>(label.size()), right = x(t1_);
    double left = at + 2.0;
    bool anchor_end = false;
    if (left + width > right) {
        left = at - 2.0 - width;
        anchor_end = true;
    }
    for (int row = 0; row < 4; ++row) {
        const double top = kTop + 1.0 + row * 10.0;
        const bool overlaps = std::any_of(labels_.begin(), labels_.end(), [&](const auto& o) {
            return left < o[2] && o[0] < left + width && top < o[3] && o[1] < top + 9.0;
        });
        if (overlaps) continue;
        labels_.push_back({left - 1.0, top, left + width + 1.0, top + 9.0});
        front_ += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" class="mlabel"{}>{}</text>)svg",
                              anchor_end ? at - 2.0 : at + 2.0, top + 8.0,
                              anchor_end ? R"svg( text-anchor="end")svg" : "", escape_xml(label));
        return;
    }
}

std::string SvgChart::svg(const std::string& css_class) const {
    std::string grid;
    // Value axis: ticks on 1-2-5 steps, 3 to 6 of them, labelled with the step's decimals.
    const double step = tick_step(y1_ - y0_);
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    for (double v = std::ceil(y0_ / step - 1e-9) * step; v <= y1_ + step * 1e-9; v += step)
        grid += fmt::format(
            R"svg(<line x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}" class="grid"/>)svg"
            R"svg(<text x="{:.1f}" y="{:.1f}" class="tick" text-anchor="end">{:.{}f}</text>)svg",
            x(t0_), x(t1_), y(v), y(v), kLeft - 4, y(v) + 3, std::abs(v) < step * 1e-6 ? 0.0 : v,
            decimals);
    // Time axis in minutes, a tick every 1, 2, 5, 10 ... minutes.
    const double minutes = (t1_ - t0_) / 60.0;
    double minute_step = 1.0;
    for (double s : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0})
        if (minutes / s <= 12.0) {
            minute_step = s;
            break;
        }
    for (double m = std::ceil(t0_ / 60.0 / minute_step) * minute_step; m * 60.0 <= t1_;
         m += minute_step)
        grid += fmt::format(
            R"svg(<text x="{:.1f}" y="{:.1f}" class="tick" text-anchor="middle">{:g}</text>)svg",
            x(m * 60.0), kH - kBottom + 13, m);
    grid += fmt::format(
        R"svg(<text x="{:.1f}" y="{:.1f}" class="tick" text-anchor="end">min</text>)svg", x(t1_),
        kH - 2);
    grid += fmt::format(
        R"svg(<text x="10" y="{:.1f}" class="axis" transform="rotate(-90 10 {:.1f})" text-anchor="middle">{}</text>)svg",
        (kH - kBottom + kTop) / 2, (kH - kBottom + kTop) / 2, escape_xml(y_label_));
    return fmt::format(
        R"svg(<svg class="{}" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg" role="img">{}{}{}</svg>)svg",
        css_class, kW, kH, back_, grid, front_);
}

}  // namespace relaxmon::report
