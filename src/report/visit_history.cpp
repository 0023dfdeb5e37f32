#include "report/visit_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "report/svg_chart.hpp"
#include "session/clock_label.hpp"
#include "session/session_library.hpp"

namespace relaxmon::report {

namespace {

struct Visit {
    std::filesystem::path dir;
    std::string date;
    double duration_s = 0.0;
    std::optional<double> to_onset_s, d_hr_bpm, d_rmssd_pct;
    double relaxed_s = 0.0;
};

std::optional<double> number_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
    const nlohmann::json* at = &j;
    for (const char* k : path) {
        if (!at->is_object() || !at->contains(k)) return std::nullopt;
        at = &(*at)[k];
    }
    return at->is_number() ? std::optional(at->get<double>()) : std::nullopt;
}

Visit read_visit(const session::SessionEntry& e) {
    Visit v;
    v.dir = e.dir;
    v.date = e.start_time.substr(0, std::min<std::size_t>(10, e.start_time.size()));
    v.duration_s = e.duration_s.value_or(0.0);
    v.relaxed_s = e.time_relaxed_s;
    try {
        const auto info = nlohmann::json::parse(std::ifstream(e.dir / "session.json"));
        const auto relax = info.value("summary", nlohmann::json::object())
                               .value("relaxation", nlohmann::json::object());
        v.to_onset_s = number_at(relax, {"time_to_onset_s"});
        v.d_hr_bpm = number_at(relax, {"change", "hr_bpm", "change"});
        v.d_rmssd_pct = number_at(relax, {"change", "rmssd_ms", "percent"});
    } catch (const std::exception&) {
        // A session.json that cannot be read: its row shows what the library knows.
    }
    return v;
}

// Time to the relaxation response over the visits (bars, minutes) and the RMSSD change (dots).
std::string trend_svg(const std::vector<Visit>& visits) {
    constexpr double kW = 680, kH = 150, kLeft = 48, kRight = 48, kTop = 14, kBottom = 30;
    const double n = static_cast<double>(visits.size());
    const double slot = (kW - kLeft - kRight) / n;
    double max_min = 5.0, max_pct = 20.0;
    for (const auto& v : visits) {
        if (v.to_onset_s) max_min = std::max(max_min, *v.to_onset_s / 60.0);
        if (v.d_rmssd_pct) max_pct = std::max(max_pct, std::abs(*v.d_rmssd_pct));
    }
    const double plot_h = kH - kTop - kBottom;
    std::string s = fmt::format(
        "<svg class=\"chart visits\" viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\" "
        "font-family=\"sans-serif\" font-size=\"10\">",
        kW, kH);
    s += fmt::format(
        "<text x=\"4\" y=\"10\" fill=\"#2a9d8f\">minutes to relax</text>"
        "<text x=\"{}\" y=\"10\" text-anchor=\"end\" fill=\"#3d5a80\">RMSSD change "
        "(%)</text>",
        kW - 4);
    const double zero_y = kTop + plot_h / 2.0;  // RMSSD change: 0 in the middle
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>", kLeft,
                     kW - kRight, zero_y, zero_y);
    std::string dots;
    for (std::size_t i = 0; i < visits.size(); ++i) {
        const Visit& v = visits[i];
        const double cx = kLeft + slot * (static_cast<double>(i) + 0.5);
        if (v.to_onset_s) {
            const double h = plot_h * (*v.to_onset_s / 60.0) / max_min;
            s += fmt::format(
                "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                "fill=\"#2a9d8f\" opacity=\"0.55\"/>",
                cx - slot * 0.3, kTop + plot_h - h, slot * 0.6, h);
            s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.0f}</text>",
                             cx, kTop + plot_h - h - 2.0, *v.to_onset_s / 60.0);
        }
        if (v.d_rmssd_pct) {
            const double y = zero_y - (plot_h / 2.0) * (*v.d_rmssd_pct / max_pct);
            dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"#3d5a80\"/>",
                                cx, y);
        }
        s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", cx,
                         kH - 12, escape_xml(v.date.size() >= 10 ? v.date.substr(5) : v.date));
    }
    return s + dots + "</svg>\n";
}

std::string signed_or_dash(std::optional<double> v, const char* format) {
    return v ? fmt::format(fmt::runtime(format), *v) : std::string("&ndash;");
}

}  // namespace

std::string visit_history_html(const std::filesystem::path& dir) {
    const session::SessionEntry self = session::read_session_entry(dir);
    if (self.label.find_first_not_of(" \t") == std::string::npos) return "";
    std::vector<Visit> visits;
    for (const auto& e : session::client_sessions(dir.parent_path(), self.label)) {
        visits.push_back(read_visit(e));
        if (std::filesystem::equivalent(e.dir, dir)) break;  // earlier visits and this one
    }
    if (visits.size() < 2) return "";
    std::string h = fmt::format("<h2>Previous visits of {}</h2>\n", escape_xml(self.label));
    h += "<table><thead><tr><th>date</th><th>length</th><th>to relaxation</th><th>heart "
         "rate</th><th>RMSSD</th><th>relaxed</th></tr></thead><tbody>";
    for (const Visit& v : visits) {
        const bool now = std::filesystem::equivalent(v.dir, dir);
        h += fmt::format(
            "<tr{}><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            now ? " class=\"now\"" : "", escape_xml(v.date), now ? " (this visit)" : "",
            session::clock_label(v.duration_s),
            v.to_onset_s ? session::clock_label(*v.to_onset_s) : "&ndash;",
            signed_or_dash(v.d_hr_bpm, "{:+.0f} bpm"), signed_or_dash(v.d_rmssd_pct, "{:+.0f}%"),
            session::clock_label(v.relaxed_s));
    }
    h += "</tbody></table>\n" + trend_svg(visits);
    h += "<p class=\"legend\">Bars: minutes from the end of the baseline to the relaxation "
         "response; dots: RMSSD in the relaxed phase against the baseline. Changes are from each "
         "visit's own baseline.</p>\n";
    return h;
}

}  // namespace relaxmon::report
