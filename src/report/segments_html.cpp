#include "report/segments_html.hpp"

#include <fmt/format.h>

#include <cmath>

#include "report/svg_chart.hpp"
#include "session/clock_label.hpp"

namespace relaxmon::report {

namespace {
std::optional<double> finite(double v) {
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}
std::optional<double> number(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nullopt;
    return j[key].get<double>();
}
}  // namespace

std::vector<session::Segment> session_segments(const SessionData& d, const nlohmann::json& relax,
                                               double offset_s) {
    const auto baseline_to = number(relax, "baseline_to_s");
    if (!baseline_to || d.m_t_s.empty()) return {};
    const auto bounds =
        session::segment_bounds(d.events, *baseline_to - offset_s, std::max(d.duration_s, 0.0));
    std::vector<session::SegmentSample> samples;
    samples.reserve(d.m_t_s.size());
    for (std::size_t i = 0; i < d.m_t_s.size(); ++i)
        samples.push_back({d.m_t_s[i], finite(d.m_hr_bpm[i]), finite(d.m_rmssd_ms[i]),
                           finite(d.m_resp_bpm[i]), finite(d.m_relax_index[i])});
    const nlohmann::json base = relax.value("baseline", nlohmann::json::object());
    return session::measure_segments(bounds, samples, number(base, "hr_bpm"),
                                     number(base, "rmssd_ms"));
}

std::string segments_table_html(const std::vector<session::Segment>& segments) {
    if (segments.size() < 2) return {};  // one stretch: the table above says it all
    const auto cell = [](std::optional<double> v, const char* format) {
        return v ? fmt::format(fmt::runtime(format), *v) : std::string("&ndash;");
    };
    std::string h =
        "<h2>The parts of the massage</h2>\n<table><thead><tr><th>part</th><th>time</th>"
        "<th>heart rate</th><th>RMSSD</th><th>breathing</th><th>relax index</th></tr></thead>"
        "<tbody>";
    for (const auto& s : segments) {
        // Lower heart rate and higher RMSSD than the baseline read as good.
        const auto change = [](std::optional<double> d, const char* format, bool good) {
            if (!d) return std::string();
            return fmt::format(" <span class=\"{}\">({})</span>", good ? "good" : "",
                               fmt::format(fmt::runtime(format), *d));
        };
        h += fmt::format(
            "<tr><td>{}</td><td>{}&ndash;{}</td><td>{}{}</td><td>{}{}</td><td>{}</td><td>{}</td>"
            "</tr>",
            escape_xml(s.bound.label), session::clock_label(s.bound.start_s),
            session::clock_label(s.bound.end_s), cell(s.hr_bpm, "{:.0f}&nbsp;bpm"),
            change(s.d_hr_bpm, "{:+.1f}", s.d_hr_bpm && *s.d_hr_bpm < 0.0),
            cell(s.rmssd_ms, "{:.0f}&nbsp;ms"),
            change(s.d_rmssd_pct, "{:+.0f}%", s.d_rmssd_pct && *s.d_rmssd_pct > 0.0),
            cell(s.resp_rate_bpm, "{:.1f}/min"), cell(s.relax_index, "{:.0f}"));
    }
    h += "</tbody></table>\n<p class=\"sub\">Each part runs from a marker or a change of posture "
         "to the next, from the end of the baseline; medians over the part, in brackets the "
         "change from the baseline.</p>\n";
    return h;
}

}  // namespace relaxmon::report
