#include "report/session_report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>

#include "relaxmon/dsp/hrv_frequency.hpp"
#include "report/segments_html.hpp"
#include "report/session_data.hpp"
#include "report/svg_chart.hpp"
#include "report/visit_history.hpp"
#include "session/clock_label.hpp"

namespace relaxmon::report {

namespace {
// The HF band's lower edge in breaths/min (0.15 Hz: 9/min).
double hf_band_edge_bpm() {
    return 60.0 * dsp::FrequencyOptions{}.hf_lo_hz;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kHr = "#d1495b";
const char* const kRelax = "#2a9d8f";
const char* const kRmssd = "#3d5a80";
const char* const kHf = "#7b2cbf";
const char* const kGap = "#8d8d8d";

struct Binned {
    std::vector<double> t, v;
};
// Means over bins of `bin_s` (NaN where a bin holds nothing): a few hundred points a chart.
Binned bin(const std::vector<double>& t, const std::vector<double>& v, double duration_s,
           double bin_s, bool log = false) {
    const auto n = static_cast<std::size_t>(std::ceil(duration_s / bin_s)) + 1;
    std::vector<double> sum(n, 0.0), count(n, 0.0);
    for (std::size_t i = 0; i < t.size() && i < v.size(); ++i) {
        double x = v[i];
        if (log) x = x > 0.0 ? std::log(x) : kNaN;
        if (!std::isfinite(x) || t[i] < 0.0) continue;
        const auto k = std::min(n - 1, static_cast<std::size_t>(t[i] / bin_s));
        sum[k] += x;
        count[k] += 1.0;
    }
    Binned b;
    for (std::size_t k = 0; k < n; ++k) {
        b.t.push_back((static_cast<double>(k) + 0.5) * bin_s);
        b.v.push_back(count[k] > 0.0 ? sum[k] / count[k] : kNaN);
    }
    return b;
}

std::pair<double, double> range_of(const std::vector<double>& v) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : v)
        if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    if (!std::isfinite(lo)) return {0.0, 1.0};
    return nice_range(lo, hi);
}

std::optional<double> num(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nullopt;
    return j[key].get<double>();
}
std::string str(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

struct Span {
    double from, to;
};

const char* const kStyle = R"(
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
.flag { color: #9a3412; font-size: 9pt; margin: 1mm 0; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0 auto;
       max-width: 182mm; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 1mm; color: #1d3557; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm; color: #1d3557; border-bottom: 0.3mm solid #ccd;
     padding-bottom: 0.8mm; break-after: avoid; }
.sub { color: #555; margin: 0 0 3mm; }
.figures { display: flex; gap: 3mm; margin: 2mm 0 1mm; }
.fig { flex: 1; border: 0.3mm solid #dde; border-radius: 2mm; padding: 2mm 3mm; }
.fig b { display: block; font-size: 15pt; color: #1d3557; }
.fig span { color: #555; font-size: 8.5pt; }
svg.chart { width: 100%; height: auto; display: block; break-inside: avoid; margin: 0 0 1mm; }
svg .grid { stroke: #e4e4ea; stroke-width: 0.6; }
svg .tick { font-size: 8.5px; fill: #666; }
svg .axis { font-size: 9px; fill: #333; }
svg .lvl { font-size: 8px; text-anchor: end; }
svg .marker { stroke: #444; stroke-width: 0.8; stroke-dasharray: 3 2; }
svg .mlabel { font-size: 8px; fill: #333; }
svg .band { stroke: #6c7a96; stroke-width: 0.6; }
svg .blabel { font-size: 8px; fill: #3d4a66; }
.legend { font-size: 8.5pt; color: #555; margin: 0 0 2mm; }
.legend i { display: inline-block; width: 9mm; height: 2.6mm; vertical-align: middle;
            margin: 0 1mm 0 3mm; border-radius: 0.6mm; }
table { border-collapse: collapse; width: 100%; break-inside: avoid; }
th, td { padding: 1.2mm 2mm; border-bottom: 0.2mm solid #dde; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f2f4f8; }
.good { color: #1b7f6b; font-weight: bold; }
footer { margin-top: 6mm; color: #666; font-size: 8pt; border-top: 0.3mm solid #ccd;
         padding-top: 2mm; }
)";

}  // namespace

std::string render_session_report(const std::filesystem::path& dir,
                                  const std::string& software_version) {
    const SessionData d = read_session_data(dir);
    const double T = std::max(d.duration_s, 60.0);
    // Means over 30 s at least: breathing swings heart rate every 3-20 s, and shorter bins
    // alias it into a zig-zag that is not there.
    const double bin_s = std::max(30.0, T / 500.0);
    const nlohmann::json relax = d.info.contains("summary") && d.info["summary"].is_object() &&
                                         d.info["summary"].contains("relaxation")
                                     ? d.info["summary"]["relaxation"]
                                     : nlohmann::json::object();
    const double offset = num(d.info, "recording_started_at_session_s").value_or(0.0);

    // Spans and markers from the events.
    std::vector<Span> relaxed, gaps;
    std::vector<std::pair<double, std::string>> markers;
    std::optional<double> onset;
    double relaxed_since = kNaN, gap_since = kNaN;  // NaN: not in such a phase
    for (const auto& e : d.events) {
        if (e.kind == "relaxation_onset") {
            if (!onset) onset = e.t_s;
            relaxed_since = e.t_s;
        } else if (e.kind == "relaxation_end" && !std::isnan(relaxed_since)) {
            relaxed.push_back({relaxed_since, e.t_s});
            relaxed_since = kNaN;
        } else if ((e.kind == "disconnected" || e.kind == "contact_lost") &&
                   std::isnan(gap_since)) {
            gap_since = e.t_s;
        } else if ((e.kind == "connected" || e.kind == "contact_restored") &&
                   !std::isnan(gap_since)) {
            gaps.push_back({gap_since, e.t_s});
            gap_since = kNaN;
        } else if (e.kind == "marker") {
            markers.push_back({e.t_s, e.label});
        }
    }
    if (!std::isnan(relaxed_since)) relaxed.push_back({relaxed_since, T});
    if (!std::isnan(gap_since)) gaps.push_back({gap_since, T});
    double time_relaxed = 0.0, time_gaps = 0.0;
    for (const auto& s : relaxed) time_relaxed += s.to - s.from;
    for (const auto& s : gaps) time_gaps += s.to - s.from;
    const auto base_from = num(relax, "baseline_from_s"), base_to = num(relax, "baseline_to_s");

    // The parts of the massage: labelled bands (their markers are their starts).
    const auto segments = session_segments(d, relax, offset);
    auto decorate = [&](SvgChart& c) {
        if (base_from && base_to) c.span(*base_from - offset, *base_to - offset, kRmssd, 0.08);
        for (const auto& s : relaxed) c.span(s.from, s.to, kRelax, 0.16);
        for (const auto& s : gaps) c.span(s.from, s.to, kGap, 0.35);
        if (segments.size() >= 2)
            for (std::size_t i = 0; i < segments.size(); ++i)
                c.band(segments[i].bound.start_s, segments[i].bound.end_s, segments[i].bound.label,
                       i % 2 == 1);
        for (const auto& [t, label] : markers) {
            const bool starts_part =
                segments.size() >= 2 &&
                std::any_of(segments.begin(), segments.end(),
                            [&](const auto& s) { return std::abs(s.bound.start_s - t) < 20.0; });
            if (!starts_part) c.marker(t, label);
        }
    };

    // Heart rate (beat by beat, binned) and the relax index.
    const Binned hr = bin(d.beat_t_s, d.beat_hr_bpm, T, bin_s);
    const auto [hr0, hr1] = range_of(hr.v);
    SvgChart hr_chart(0.0, T, hr0, hr1, "heart rate (bpm)");
    decorate(hr_chart);
    hr_chart.series(hr.t, hr.v, kHr, 1.8);
    const Binned ri = bin(d.m_t_s, d.m_relax_index, T, bin_s);
    SvgChart ri_chart(0.0, T, 0.0, 100.0, "relax index");
    decorate(ri_chart);
    ri_chart.level(50.0, "#777", "50 = baseline");
    ri_chart.series(ri.t, ri.v, kRelax, 1.8);
    // RMSSD and ln HF against the baseline.
    const Binned rm = bin(d.m_t_s, d.m_rmssd_ms, T, bin_s);
    const auto [rm0, rm1] = range_of(rm.v);
    SvgChart rm_chart(0.0, T, rm0, rm1, "RMSSD (ms)");
    decorate(rm_chart);
    if (const auto b = num(relax.value("baseline", nlohmann::json::object()), "rmssd_ms"))
        rm_chart.level(*b, kRmssd, "baseline");
    rm_chart.series(rm.t, rm.v, kRmssd, 1.8);
    const Binned hf = bin(d.m_t_s, d.m_hf_ms2, T, bin_s, true);
    const auto [hf0, hf1] = range_of(hf.v);
    SvgChart hf_chart(0.0, T, hf0, hf1, "HF band power (ln ms\u00b2)");
    decorate(hf_chart);
    hf_chart.series(hf.t, hf.v, kHf, 1.8);

    // Artifacts by class.
    std::map<std::string, int> classes;
    for (const auto& a : d.beat_artifact)
        if (!a.empty()) ++classes[a];
    int artifacts = 0;
    for (const auto& [k, n] : classes)
        if (k != "gap") artifacts += n;

    const std::string label = str(d.info, "label");
    const std::string start = str(d.info, "start_time");
    const std::string when =
        start.size() >= 16 ? start.substr(0, 10) + " " + start.substr(11, 5) : start;
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += fmt::format("<title>Relaxation session {}</title><style>{}</style></head><body>\n",
                     escape_xml(label.empty() ? when : label), kStyle);
    h += fmt::format(
        "<header><h1>Relaxation session{}</h1><p class=\"sub\">{} &middot; {} "
        "recorded &middot; {} beats</p></header>\n",
        label.empty() ? "" : ": " + escape_xml(label), escape_xml(when), session::clock_label(T),
        d.beat_t_s.size());

    const auto to_onset = num(relax, "time_to_onset_s");
    h += "<section class=\"figures\">";
    h += fmt::format("<div class=\"fig\"><b>{}</b><span>{}</span></div>",
                     onset ? session::clock_label(*onset) : "&ndash;",
                     onset ? (to_onset ? fmt::format("to the relaxation response ({} after the "
                                                     "baseline)",
                                                     session::clock_label(*to_onset))
                                       : std::string("to the relaxation response"))
                           : "no relaxation response detected");
    h += fmt::format(
        "<div class=\"fig\"><b>{}</b><span>relaxed ({:.0f}% of the session)</span></div>",
        session::clock_label(time_relaxed), 100.0 * time_relaxed / T);
    h += fmt::format(
        "<div class=\"fig\"><b>{}</b><span>artifact beats ({:.1f}%), {} gap{} ({})</span></div>",
        artifacts, d.beat_t_s.empty() ? 0.0 : 100.0 * artifacts / d.beat_t_s.size(), gaps.size(),
        gaps.size() == 1 ? "" : "s", session::clock_label(time_gaps));
    h += "</section>\n";
    const std::string legend = fmt::format(
        "<p class=\"legend\"><i style=\"background:{}22;border:0.2mm solid {}\"></i>baseline"
        "<i style=\"background:{}33\"></i>relaxed<i style=\"background:{}66\"></i>no signal "
        "(dropout or contact lost)<i style=\"border-top:0.3mm dashed "
        "#444;height:0\"></i>marker</p>",
        kRmssd, kRmssd, kRelax, kGap);
    h += "<h2>Heart rate and relax index</h2>\n" + hr_chart.svg("chart hr") +
         ri_chart.svg("chart ri") + legend;
    h += "<h2>Heart rate variability</h2>\n" + rm_chart.svg("chart rmssd") +
         hf_chart.svg("chart hf");
    h += "<p class=\"legend\">HF is the power of 0.15&ndash;0.4 Hz over 5 minutes: breathing "
         "slower than 9 breaths a minute moves the respiratory peak below this band, so HF can "
         "fall while the respiratory power in the table below rises.</p>\n";
    // How long breathing was that slow: HF, LF and LF/HF do not measure autonomic balance then.
    double slow_s = 0.0;
    for (std::size_t i = 1; i < d.m_t_s.size(); ++i)
        if (std::isfinite(d.m_resp_bpm[i]) && d.m_resp_bpm[i] < hf_band_edge_bpm())
            slow_s += std::min(d.m_t_s[i] - d.m_t_s[i - 1], 10.0);
    if (slow_s >= 60.0)
        h += fmt::format(
            "<p class=\"flag\">Breathing was slower than 9 breaths a minute for {}: over those "
            "minutes HF, LF and LF/HF measure the breath, not autonomic balance (not "
            "interpretable).</p>\n",
            session::clock_label(slow_s));

    // Baseline against the relaxed phase.
    h += "<h2>Baseline and relaxed phase</h2>\n";
    const nlohmann::json b = relax.value("baseline", nlohmann::json::object());
    const nlohmann::json r = relax.value("relaxed", nlohmann::json::object());
    // Rounded to what the measurement can tell: whole beats a minute and milliseconds, tenths
    // of a breath. The respiratory power is shown as power (ms^2) and its change as a factor:
    // "ln HF +2.57" read as a rise beside a falling HF chart.
    struct Row {
        const char* name;
        const char* key;
        const char* unit;
        int decimals;
        bool up_is_good, ln_power;
    };
    auto row = [&](const Row& w) {
        auto x = num(b, w.key), y = num(r, w.key);
        if (w.ln_power) {
            if (x) x = std::exp(*x);
            if (y) y = std::exp(*y);
        }
        std::string change = "&ndash;";
        if (x && y) {
            const bool good = w.up_is_good ? *y > *x : *y < *x;
            const double pct = *x != 0.0 ? 100.0 * (*y - *x) / *x : 0.0;
            const std::string by = w.ln_power && *x > 0.0 && *y / *x >= 2.0
                                       ? fmt::format("{:.1f} times", *y / *x)
                                       : fmt::format("{:+.{}f} {}", *y - *x, w.decimals, w.unit);
            change =
                fmt::format("<span class=\"{}\">{} ({:+.0f}%)</span>", good ? "good" : "", by, pct);
        }
        auto cell = [&](std::optional<double> v) {
            return v ? fmt::format("{:.{}f}&nbsp;{}", *v, w.decimals, w.unit)
                     : std::string("&ndash;");
        };
        return fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", w.name, cell(x),
                           cell(y), change);
    };
    h += "<table><thead><tr><th></th><th>baseline</th><th>relaxed</th><th>change</th></tr></"
         "thead><tbody>";
    h += row({"Heart rate", "hr_bpm", "bpm", 0, false, false});
    h += row({"RMSSD", "rmssd_ms", "ms", 0, true, false});
    h += row({"Heart rhythm swing with each breath (power at the breathing rate)", "ln_rsa_power",
              "ms\u00b2", 0, true, true});
    h += row({"Breathing rate", "resp_rate_bpm", "/min", 1, false, false});
    h += "</tbody></table>\n";
    if (base_from && base_to)
        h += fmt::format(
            "<p class=\"sub\">Baseline: {} to {} of the recording (medians of each "
            "phase; HF power follows the breathing peak, Task Force 1996).</p>\n",
            session::clock_label(*base_from - offset), session::clock_label(*base_to - offset));

    h += segments_table_html(segments);
    h += visit_history_html(dir);

    // Signal quality.
    h += "<h2>Signal quality</h2>\n<p>";
    if (classes.empty()) h += "Every beat was clean. ";
    for (const auto& [k, n] : classes)
        h += fmt::format("{} {} beat{}; ", n, escape_xml(k), n == 1 ? "" : "s");
    h += fmt::format("{} gap{} without signal", gaps.size(), gaps.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < gaps.size(); ++i)
        h += fmt::format("{}{}&ndash;{}", i ? ", " : ": ", session::clock_label(gaps[i].from),
                         session::clock_label(gaps[i].to));
    h += ".</p>\n";

    const std::time_t now = std::time(nullptr);
    char made[32];
    std::strftime(made, sizeof made, "%Y-%m-%d %H:%M", std::localtime(&now));
    h += fmt::format(
        "<footer>Device: {} &middot; source {} &middot; recorded with relaxmon {} &middot; report "
        "by relaxmon {} on {}. Heart-rate variability after the Task Force (1996); relaxation "
        "against the person's own baseline. Not a medical device.</footer>\n</body></html>\n",
        escape_xml(str(d.info, "device_name")), escape_xml(str(d.info, "source")),
        escape_xml(str(d.info, "version")), escape_xml(software_version), made);
    return h;
}

}  // namespace relaxmon::report
