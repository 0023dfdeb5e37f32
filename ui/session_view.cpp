#include "session_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "theme.hpp"

namespace relaxmon::ui {

namespace {

// Per pixel column of a plot `width_px` wide over [x.min, x.max]: the mean of the points in it
// (a NaN ends a run of the line), and the lowest and highest of lo(p), hi(p) there.
struct Column {
    float t_s, mean, lo, hi;
};
template <class Get, class Lo, class Hi>
std::vector<Column> columns(const std::vector<session::SessionPoint>& pts, Range x, float width_px,
                            Get get, Lo lo_of, Hi hi_of) {
    std::vector<Column> out;
    const auto first = std::lower_bound(pts.begin(), pts.end(), x.min,
                                        [](const auto& p, double t) { return p.t_s < t; });
    const double per = x.span() / static_cast<double>(std::max(1.0f, width_px));
    double sum = 0.0, t_sum = 0.0;
    float lo = INFINITY, hi = -INFINITY;
    int count = 0;
    std::optional<long> column;
    const auto flush = [&] {
        if (count)
            out.push_back(
                {static_cast<float>(t_sum / count), static_cast<float>(sum / count), lo, hi});
        sum = t_sum = 0.0;
        lo = INFINITY;
        hi = -INFINITY;
        count = 0;
    };
    for (auto it = first; it != pts.end() && it->t_s <= x.max; ++it) {
        const auto c = static_cast<long>((it->t_s - x.min) / per);
        if (column && c != *column) flush();
        column = c;
        const float v = get(*it);
        if (std::isnan(v)) {
            flush();
            out.push_back({static_cast<float>(it->t_s), NAN, NAN, NAN});  // keep the break
            continue;
        }
        sum += v;
        t_sum += it->t_s;
        lo = std::min(lo, lo_of(*it));
        hi = std::max(hi, hi_of(*it));
        ++count;
    }
    flush();
    return out;
}

// The heart-rate trend: a centred 30-s mean of the 5-s means. Breathing swings heart rate with a
// period of 3-20 s; sampled every 5 s (or every pixel of a long session) its swings alias into a
// slow zig-zag that is not there. The beat-level range is drawn beside it, per pixel.
std::vector<session::SessionPoint> smoothed_hr(const std::vector<session::SessionPoint>& pts) {
    constexpr double kHalf_s = 15.0;
    std::vector<session::SessionPoint> out = pts;
    std::size_t lo = 0, hi = 0;
    double sum = 0.0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        while (hi < pts.size() && pts[hi].t_s <= pts[i].t_s + kHalf_s) sum += pts[hi++].hr_bpm;
        while (pts[lo].t_s < pts[i].t_s - kHalf_s) sum -= pts[lo++].hr_bpm;
        out[i].hr_bpm = static_cast<float>(sum / static_cast<double>(hi - lo));
    }
    return out;
}

void annotate(Plot& plot, const session::Snapshot& s) {
    for (const auto& r : s.relaxed_spans)
        plot.band(r.start_s, r.end_s, theme::colors().relaxed_band);
    for (const auto& g : s.session_gaps) plot.band(g.start_s, g.end_s, theme::colors().gap);
    // The parts of the massage: a strip along the bottom in two shades taking turns, each part
    // named at its start (a marker that starts one is told by it).
    const bool parts = s.segments.size() >= 2;
    if (parts)
        for (std::size_t i = 0; i < s.segments.size(); ++i) {
            const auto& part = s.segments[i];
            const auto& palette = theme::colors();
            plot.ribbon(part.start_s, part.end_s, i % 2 ? palette.part_band_alt : palette.part_band,
                        6.0f);
            plot.vline(part.start_s, palette.marker, part.label.c_str());
        }
    for (const auto& m : s.markers) {
        const bool starts_part =
            parts && std::any_of(s.segments.begin(), s.segments.end(), [&](const auto& part) {
                return m.t_s >= part.start_s && m.t_s - part.start_s < session::kSegmentJoin_s;
            });
        if (!starts_part) plot.vline(m.t_s, theme::colors().marker, m.label.c_str());
    }
    if (s.relaxation_onset_s) plot.vline(*s.relaxation_onset_s, theme::colors().good, "relaxed");
}

// Wheel zoom, drag pan, double-click reset, hover readout: for the plot just drawn.
void interact(const Plot& plot, Range full, Range shown, SessionViewState& state,
              const std::vector<session::SessionPoint>& pts) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const ImVec2 a = plot.top_left(), b = plot.bottom_right();
    if (!ImGui::IsWindowHovered() || m.x < a.x || m.x > b.x || m.y < a.y || m.y > b.y) return;
    const double t = shown.min + (m.x - a.x) / (b.x - a.x) * shown.span();
    ImGuiIO& io = ImGui::GetIO();
    Range next = shown;
    if (io.MouseWheel != 0.0f) {
        const double f = std::pow(0.8, io.MouseWheel);
        next = {t - (t - shown.min) * f, t + (shown.max - t) * f};
    }
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        const double dt = -io.MouseDelta.x / (b.x - a.x) * shown.span();
        next = {shown.min + dt, shown.max + dt};
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        state.zoom.reset();
        return;
    }
    if (next.min != shown.min || next.max != shown.max) {
        const double span = std::clamp(next.span(), 60.0, std::max(60.0, full.span()));
        double lo = std::clamp(next.min, full.min, std::max(full.min, full.max - span));
        state.zoom = Range{lo, lo + span};
        if (span >= full.span()) state.zoom.reset();
    }
    // The readout at the pointer.
    const auto it = std::lower_bound(pts.begin(), pts.end(), t,
                                     [](const auto& p, double x) { return p.t_s < x; });
    if (it == pts.end()) return;
    ImGui::GetWindowDrawList()->AddLine({m.x, a.y}, {m.x, b.y}, theme::colors().text_dim);
    char buf[96];
    if (std::isnan(it->relax_index))
        std::snprintf(buf, sizeof buf, "%s   HR %.0f bpm", clock_label(it->t_s).c_str(),
                      it->hr_bpm);
    else
        std::snprintf(buf, sizeof buf, "%s   HR %.0f bpm   relax index %.0f",
                      clock_label(it->t_s).c_str(), it->hr_bpm, it->relax_index);
    ImGui::SetTooltip("%s", buf);
}

}  // namespace

void draw_session_view(const session::Snapshot& s, double now_s, ImVec2 avail,
                       SessionViewState& state) {
    const std::vector<session::SessionPoint> pts =
        s.session_trend ? s.session_trend->flatten() : std::vector<session::SessionPoint>{};
    const Range full{0.0, std::max(now_s, 60.0)};
    const Range x = state.zoom ? *state.zoom : full;
    const float gap = ImGui::GetStyle().ItemSpacing.y;
    const float hr_h = (avail.y - gap) * 0.5f;
    const float plot_w = avail.x - 68.0f;

    const auto hr = columns(
        smoothed_hr(pts), x, plot_w, [](const auto& p) { return p.hr_bpm; },
        [](const auto& p) { return p.hr_min_bpm; }, [](const auto& p) { return p.hr_max_bpm; });
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& c : hr)
        if (!std::isnan(c.mean)) lo = std::min(lo, double(c.lo)), hi = std::max(hi, double(c.hi));
    const Range hy = lo <= hi ? nice_range(lo, hi, 10.0) : Range{50.0, 90.0};
    {
        Plot plot("session_hr", {avail.x, hr_h}, x, hy,
                  "Heart rate - whole session (wheel: zoom, drag: pan, double-click: all)", "bpm");
        annotate(plot, s);
        // The beats' range in each pixel column, then the trend through it.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        for (const auto& c : hr) {
            if (std::isnan(c.mean)) continue;
            const ImVec2 top = plot.to_screen(c.t_s, c.hi), bottom = plot.to_screen(c.t_s, c.lo);
            draw->AddRectFilled({top.x - 0.5f, top.y},
                                {top.x + 0.5f, std::max(bottom.y, top.y + 1.0f)},
                                theme::colors().heart_rate_raw);
        }
        plot.line(
            hr.size(), [&](std::size_t i) { return ImVec2(hr[i].t_s, hr[i].mean); },
            theme::colors().heart_rate, 2.5f);
        interact(plot, full, x, state, pts);
    }
    const auto ri = columns(
        pts, x, plot_w, [](const auto& p) { return p.relax_index; },
        [](const auto& p) { return p.relax_index; }, [](const auto& p) { return p.relax_index; });
    {
        Plot plot("session_relax", {avail.x, avail.y - hr_h - gap}, x, {0.0, 100.0},
                  "Relax index - whole session (50 = baseline; relaxed phases in green)", "");
        annotate(plot, s);
        plot.line(
            2, [&](std::size_t i) { return ImVec2(float(i ? x.max : x.min), 50.0f); },
            theme::colors().grid, 1.0f);
        plot.line(
            ri.size(), [&](std::size_t i) { return ImVec2(ri[i].t_s, ri[i].mean); },
            theme::colors().good, 2.5f);
        interact(plot, full, x, state, pts);
    }
}

}  // namespace relaxmon::ui
