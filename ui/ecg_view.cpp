#include "ecg_view.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "plot.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

void draw_ecg_view(const session::Snapshot& s, ImVec2 avail) {
    if (s.ecg.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
        ImGui::TextWrapped(
            "This source streams no raw ECG. A Polar H10 does with --source 'ble:auto?ecg=1', a "
            "DIY board with 'serial:PORT?protocol=ecg&fs=HZ', and the simulator with "
            "'sim?ecg=1'.");
        ImGui::PopStyleColor();
        return;
    }
    const auto& e = s.ecg;
    const double t1 = e.back().t_s, t0 = std::max(e.front().t_s, t1 - 6.0);
    float lo = e.front().uv, hi = lo;
    for (const auto& p : e) lo = std::min(lo, p.uv), hi = std::max(hi, p.uv);
    const Range y = nice_range(lo, hi, 200.0, 0.1);
    Plot plot("ecg", avail, {t0, t1}, y, "ECG - last 6 s, R peaks found by relaxmon", "uV",
              AxisFormat::number);
    plot.line(
        e.size(), [&](std::size_t i) { return ImVec2(float(e[i].t_s), e[i].uv); },
        theme::colors().heart_rate, 1.6f);
    for (double t : s.ecg_beats_s) {
        // The sample nearest the peak, marked on the trace.
        const auto it = std::lower_bound(e.begin(), e.end(), t,
                                         [](const auto& p, double x) { return p.t_s < x; });
        if (it == e.end()) continue;
        // The sample nearest the detector's peak time (samples are 8 ms apart at 130 Hz).
        const auto near =
            it != e.begin() && t - std::prev(it)->t_s < it->t_s - t ? std::prev(it) : it;
        plot.point(near->t_s, near->uv, theme::colors().breathing, 5.0f);
    }
}

}  // namespace relaxmon::ui
