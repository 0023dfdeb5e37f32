#include "session_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "theme.hpp"

namespace relaxmon::ui {

namespace {

// Mean per pixel column of the points in [x.min, x.max]: what a plot `width_px` wide can show.
template <class Get>
std::vector<ImVec2> decimated(const std::vector<session::SessionPoint>& pts, Range x,
                              float width_px, Get get) {
    std::vector<ImVec2> out;
    const auto first = std::lower_bound(pts.begin(), pts.end(), x.min,
                                        [](const auto& p, double t) { return p.t_s < t; });
    const std::size_t n = static_cast<std::size_t>(pts.end() - first);
    const std::size_t columns = static_cast<std::size_t>(std::max(1.0f, width_px));
    if (n <= 2 * columns) {
        for (auto it = first; it != pts.end() && it->t_s <= x.max; ++it)
            out.push_back({static_cast<float>(it->t_s), get(*it)});
        return out;
    }
    const double per = x.span() / static_cast<double>(columns);
    double sum = 0.0, t_sum = 0.0;
    int count = 0;
    std::size_t column = 0;
    for (auto it = first; it != pts.end() && it->t_s <= x.max; ++it) {
        const auto c = static_cast<std::size_t>((it->t_s - x.min) / per);
        if (c != column && count) {
            out.push_back({static_cast<float>(t_sum / count), static_cast<float>(sum / count)});
            sum = t_sum = 0.0;
            count = 0;
        }
        column = c;
        const float v = get(*it);
        if (std::isnan(v)) {
            if (count)
                out.push_back({static_cast<float>(t_sum / count), static_cast<float>(sum / count)});
            out.push_back({static_cast<float>(it->t_s), NAN});  // keep the break
            sum = t_sum = 0.0;
            count = 0;
            continue;
        }
        sum += v;
        t_sum += it->t_s;
        ++count;
    }
    if (count) out.push_back({static_cast<float>(t_sum / count), static_cast<float>(sum / count)});
    return out;
}

void annotate(Plot& plot, const session::Snapshot& s) {
    for (const auto& r : s.relaxed_spans)
        plot.band(r.start_s, r.end_s, theme::colors().relaxed_band);
    for (const auto& g : s.session_gaps) plot.band(g.start_s, g.end_s, theme::colors().gap);
    for (const auto& m : s.markers) plot.vline(m.t_s, theme::colors().marker, m.label.c_str());
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

    const auto hr = decimated(pts, x, plot_w, [](const auto& p) { return p.hr_bpm; });
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& p : hr)
        if (!std::isnan(p.y)) lo = std::min(lo, double(p.y)), hi = std::max(hi, double(p.y));
    const Range hy = lo <= hi ? nice_range(lo, hi, 10.0) : Range{50.0, 90.0};
    {
        Plot plot("session_hr", {avail.x, hr_h}, x, hy,
                  "Heart rate - whole session (wheel: zoom, drag: pan, double-click: all)", "bpm");
        annotate(plot, s);
        plot.line(
            hr.size(), [&](std::size_t i) { return hr[i]; }, theme::colors().heart_rate, 2.5f);
        interact(plot, full, x, state, pts);
    }
    const auto ri = decimated(pts, x, plot_w, [](const auto& p) { return p.relax_index; });
    {
        Plot plot("session_relax", {avail.x, avail.y - hr_h - gap}, x, {0.0, 100.0},
                  "Relax index - whole session (50 = baseline; relaxed phases in green)", "");
        annotate(plot, s);
        plot.line(
            2, [&](std::size_t i) { return ImVec2(float(i ? x.max : x.min), 50.0f); },
            theme::colors().grid, 1.0f);
        plot.line(
            ri.size(), [&](std::size_t i) { return ri[i]; }, theme::colors().good, 2.5f);
        interact(plot, full, x, state, pts);
    }
}

}  // namespace relaxmon::ui
