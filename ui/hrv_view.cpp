#include "hrv_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include "plot.hpp"
#include "relaxmon/dsp/nonlinear.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {

constexpr double kPoincareSpan_s = 300.0;

void draw_spectrum(const session::Snapshot& s, ImVec2 size) {
    double hi = 0.0;
    if (s.psd)
        for (const auto& [f, p] : *s.psd)
            if (f >= 0.003) hi = std::max(hi, double(p));
    // Slow breathing concentrates power in one tall peak: large values are shown in thousands
    // so the axis labels fit.
    const double unit = hi > 9999.0 ? 1000.0 : 1.0;
    const Range y = hi > 0.0 ? nice_range(0.0, hi / unit, 10.0 / unit, 0.05) : Range{0.0, 1000.0};
    Plot plot("psd", size, {0.0, 0.5}, {0.0, y.max},
              "Power spectrum - last 5 min (VLF grey, LF blue, HF green)",
              unit > 1.0 ? "10\xc2\xb3 ms\xc2\xb2/Hz" : "ms\xc2\xb2/Hz", AxisFormat::number);
    plot.band(0.0, 0.04, theme::colors().vlf_band, "VLF");
    plot.band(0.04, 0.15, theme::colors().lf_band, "LF");
    plot.band(0.15, 0.4, theme::colors().hf_band, "HF");
    if (!s.psd || s.psd->empty()) return;
    const auto& p = *s.psd;
    plot.line(
        p.size(), [&](std::size_t i) { return ImVec2(p[i].first, float(p[i].second / unit)); },
        theme::colors().rr, 2.5f);
    if (s.resp_rate_short_bpm && s.resp_rate_short_confident)  // only where it is known
        plot.vline(*s.resp_rate_short_bpm / 60.0, theme::colors().breathing, "breathing");
    char buf[96];
    if (s.hf_interpretable)
        std::snprintf(buf, sizeof buf, "LF %.0f ms\xc2\xb2   HF %.0f ms\xc2\xb2   LF/HF %.2f",
                      s.lf_ms2.value_or(NAN), s.hf_ms2.value_or(NAN), s.lf_hf.value_or(NAN));
    else  // the breathing peak lies in LF: the bands measure the breath
        std::snprintf(buf, sizeof buf,
                      "LF %.0f ms\xc2\xb2   HF %.0f ms\xc2\xb2   breathing below 9/min: LF/HF n/a",
                      s.lf_ms2.value_or(NAN), s.hf_ms2.value_or(NAN));
    ImGui::GetWindowDrawList()->AddText(
        {plot.bottom_right().x - ImGui::CalcTextSize(buf).x - 8.0f, plot.top_left().y + 4.0f},
        theme::colors().text, buf);
}

void draw_poincare(const session::Snapshot& s, double now_s, ImVec2 size) {
    // The last 5 minutes as an RR series; artifacts are left out, and a pair never spans one
    // or a gap.
    std::vector<double> rr;
    std::vector<std::uint8_t> follows_gap;
    bool broken = true;
    double last_t = 0.0;
    for (const auto& b : s.tachogram) {
        if (b.t_s < now_s - kPoincareSpan_s) continue;
        if (b.artifact != dsp::ArtifactClass::none) {
            broken = true;
            continue;
        }
        follows_gap.push_back(broken || b.t_s - last_t > 3.0 ? 1 : 0);
        rr.push_back(b.rr_ms);
        broken = false;
        last_t = b.t_s;
    }
    std::vector<ImVec2> pairs;
    for (std::size_t i = 1; i < rr.size(); ++i)
        if (!follows_gap[i]) pairs.push_back({float(rr[i - 1]), float(rr[i])});
    double lo = 600.0, hi = 1100.0;
    if (!rr.empty()) {
        const auto [mn, mx] = std::minmax_element(rr.begin(), rr.end());
        lo = *mn;
        hi = *mx;
    }
    const Range r_ms = nice_range(lo, hi, 100.0, 0.1);
    Plot plot("poincare", size, r_ms, r_ms, "Poincare - last 5 min", "RR[n+1] ms",
              AxisFormat::number);
    plot.line(
        2,
        [&](std::size_t i) {
            return ImVec2(float(i ? r_ms.max : r_ms.min), float(i ? r_ms.max : r_ms.min));
        },
        theme::colors().grid, 1.0f);
    for (const auto& p : pairs) plot.point(p.x, p.y, theme::colors().rr, 2.5f);
    const auto pc = dsp::poincare(rr, follows_gap);
    if (!pc) return;
    const double mean = std::accumulate(rr.begin(), rr.end(), 0.0) / double(rr.size());
    // The ellipse: SD2 along the identity line, SD1 across it.
    std::vector<ImVec2> ellipse;
    for (int k = 0; k <= 64; ++k) {
        const double a = 2.0 * 3.14159265358979 * k / 64.0;
        const double u = pc->sd2_ms * std::cos(a), v = pc->sd1_ms * std::sin(a);
        ellipse.push_back(
            {float(mean + (u - v) / std::sqrt(2.0)), float(mean + (u + v) / std::sqrt(2.0))});
    }
    plot.line(
        ellipse.size(), [&](std::size_t i) { return ellipse[i]; }, theme::colors().marker, 2.0f);
    char buf[64];
    std::snprintf(buf, sizeof buf, "SD1 %.1f ms   SD2 %.1f ms", pc->sd1_ms, pc->sd2_ms);
    ImGui::GetWindowDrawList()->AddText({plot.top_left().x + 8.0f, plot.top_left().y + 4.0f},
                                        theme::colors().text, buf);
}

}  // namespace

void draw_hrv_view(const session::Snapshot& s, double now_s, ImVec2 avail) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float square = std::min(avail.y, avail.x * 0.42f);
    draw_spectrum(s, {avail.x - square - gap, avail.y});
    ImGui::SameLine();
    draw_poincare(s, now_s, {square, avail.y});
}

}  // namespace relaxmon::ui
