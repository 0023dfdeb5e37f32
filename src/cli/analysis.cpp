#include "cli/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/devices/formats/session_signals.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/hrv_analysis.hpp"
#include "session/metrics_json.hpp"
#include "session/pipeline.hpp"
#include "session/segments.hpp"

namespace relaxmon::cli {

namespace {

constexpr double kMinCoverage = 0.8;  // a window needs beats over 80% of its length
// Fewer beats, or a shorter span, than any metric needs (ultra-short RMSSD: 30 s, Munoz 2015).
constexpr std::size_t kMinBeats = 10;
constexpr double kMinSpan_s = 30.0;
constexpr double kDominatedPct = 20.0;  // flagged beats above this share: the record is reported
constexpr double kPassWindow_s = 60.0;  // the relaxation pass's time-domain window, as live

struct BaselineMark {
    double t_s;
    bool undo;  // a baseline set by hand, taken back
};

std::vector<dsp::ArtifactClass> classify(const devices::formats::RrSeries& s,
                                         const std::string& mode) {
    std::vector<dsp::ArtifactClass> cls(s.rr_ms.size(), dsp::ArtifactClass::none);
    if (mode == "auto")
        cls = dsp::detect_artifacts_auto(s.rr_ms);
    else if (mode == "threshold")
        cls = dsp::detect_artifacts_threshold(s.rr_ms);
    // What the file itself says (annotated ectopic beats, recorded gaps) always stands.
    for (std::size_t i = 0; i < cls.size(); ++i)
        if (s.known[i] != dsp::ArtifactClass::none) cls[i] = s.known[i];
    return cls;
}

// What a session folder adds to its beats: its baseline markers, every marker (the parts of the
// massage) and its chest acceleration.
struct SessionExtras {
    std::vector<BaselineMark> marks;
    std::vector<devices::formats::SessionEvent> markers;
    std::vector<devices::AccBlock> acc;
};

// With threads to spare, the pipeline's two costly streams (the 2-min spectra, the breath count)
// are worked out first, side by side, from the beats as the pipeline's front would hand them on
// (session::Pipeline::Streams): the pass then runs at the pace of its cheaper parts.
session::Pipeline::Streams pipeline_streams(const dsp::CorrectedRr& nn) {
    session::Pipeline::Streams streams;
    auto& steps = streams.steps;
    steps.reserve(nn.rr_ms.size());
    session::BeatFront front;  // the calls relaxation_pass makes, in its order
    for (std::size_t i = 0; i < nn.rr_ms.size(); ++i) {
        if (nn.follows_gap[i])
            front.on_status(devices::DeviceStatus{nn.t_s[i], false, {}, {}, {}, {}});
        steps.push_back(front.step(devices::RrBeat{nn.t_s[i], nn.rr_ms[i], 0}));
    }
    std::exception_ptr failure;
    {
        const std::jthread breaths([&] {
            try {
                streams.breaths = session::Pipeline::breaths_of(steps);
            } catch (...) {
                failure = std::current_exception();
            }
        });
        streams.short_spectra = session::Pipeline::short_spectra_of(
            steps, kPassWindow_s, session::Pipeline::Use::analysis);
    }
    if (failure) std::rethrow_exception(failure);
    return streams;
}

// The relaxation detector over the whole input, beat by beat as in a live session. For a session
// folder: its own "massage start" markers as baselines, its chest acceleration (posture and
// movement, breathing; each block before the beats after its start, as a strap sends them), and
// the segments between its markers and changes of posture.
nlohmann::json relaxation_pass(const dsp::CorrectedRr& nn, const SessionExtras* session,
                               unsigned threads) {
    nlohmann::json events = nlohmann::json::array();
    std::vector<devices::formats::SessionEvent> bounds_events;
    const auto add_posture = [&](const std::vector<dsp::PostureEvent>& from) {
        for (const auto& e : from) {
            events.push_back({{"t_s", e.t_s}, {"kind", e.kind}, {"label", e.label}});
            bounds_events.push_back({e.t_s, e.kind, e.label});
        }
    };
    static const SessionExtras kNone;
    const SessionExtras& extras = session ? *session : kNone;
    const auto& marks = extras.marks;
    const auto& acc = extras.acc;
    std::vector<session::SegmentSample> samples;
    if (session) samples.reserve(nn.rr_ms.size());
    session::Pipeline pipeline(kPassWindow_s, session::Pipeline::Use::analysis);
    std::optional<session::Pipeline::Streams> streams;
    if (threads > 1) {
        streams = pipeline_streams(nn);
        pipeline.use_streams(&*streams);
    }
    std::size_t next_mark = 0, next_acc = 0;
    for (std::size_t i = 0; i < nn.rr_ms.size(); ++i) {
        for (; next_acc < acc.size() && acc[next_acc].t0_s < nn.t_s[i]; ++next_acc)
            add_posture(pipeline.on_acc(acc[next_acc]));
        for (; next_mark < marks.size() && marks[next_mark].t_s <= nn.t_s[i]; ++next_mark) {
            if (marks[next_mark].undo)
                pipeline.undo_baseline();
            else
                pipeline.set_baseline(marks[next_mark].t_s, false);
        }
        if (nn.follows_gap[i])
            pipeline.on_status(devices::DeviceStatus{nn.t_s[i], false, {}, {}, {}, {}});
        add_posture(pipeline.on_beat(devices::RrBeat{nn.t_s[i], nn.rr_ms[i], 0}).posture_events);
        if (const auto& ev = pipeline.relax().event)
            events.push_back({{"t_s", ev->t_s}, {"kind", ev->kind}, {"label", ev->label}});
        if (session) {
            const auto& f = pipeline.relax_features();
            samples.push_back({nn.t_s[i], f.hr_bpm, f.rmssd_report_ms, pipeline.resp_rate_bpm(),
                               pipeline.relax().relax_index});
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return a["t_s"].template get<double>() < b["t_s"].template get<double>();
    });
    const auto summary = pipeline.detector().summary();
    nlohmann::json out{{"events", std::move(events)},
                       {"summary", session::relaxation_summary_to_json(summary)}};
    if (session) {
        // The parts of the massage: from the baseline's end (none while there is no baseline).
        bounds_events.insert(bounds_events.end(), extras.markers.begin(), extras.markers.end());
        std::vector<session::SegmentBound> bounds;
        if (summary.baseline_to_s)
            bounds = session::segment_bounds(bounds_events, *summary.baseline_to_s, nn.t_s.back());
        out["segments"] = session::segments_to_json(session::measure_segments(
            bounds, samples, summary.baseline.hr_bpm, summary.baseline.rmssd_ms));
    }
    return out;
}

// All metrics of one window starting at start_s (null metrics when beats cover too little).
dsp::HrvMetrics window_metrics(const dsp::CorrectedRr& nn, double start_s, double window_s,
                               const dsp::HrvOptions& opts) {
    const auto lo = std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start_s) - nn.t_s.begin();
    const auto hi =
        std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start_s + window_s) - nn.t_s.begin();
    const auto count = static_cast<std::size_t>(hi - lo);
    const std::span<const double> t(nn.t_s.data() + lo, count), rr(nn.rr_ms.data() + lo, count);
    std::vector<std::uint8_t> gaps(nn.follows_gap.begin() + lo, nn.follows_gap.begin() + hi);
    if (!gaps.empty()) gaps[0] = 0;
    double covered_s = 0.0;
    for (double x : rr) covered_s += x / 1000.0;
    if (covered_s < kMinCoverage * window_s) return {};
    return dsp::compute_hrv(t, rr, gaps, opts);
}

}  // namespace

Analysis analyze_input(const std::string& input_name, const AnalysisOptions& a, unsigned threads,
                       const WindowProgress& progress) {
    // A session directory: its beats, and its "massage start" markers as baselines.
    std::filesystem::path input = input_name;
    std::optional<SessionExtras> session;
    if (std::filesystem::is_directory(input)) {
        session.emplace();
        if (std::filesystem::exists(input / "acc.csv"))
            session->acc = devices::formats::read_session_acc(input / "acc.csv");
        const auto events = input / "events.csv";
        input /= "beats.csv";
        if (std::filesystem::exists(events))
            for (auto& e : devices::formats::read_session_events(events)) {
                if (e.kind != "marker") continue;
                if (devices::formats::marker_ends_baseline(e.label))
                    session->marks.push_back({e.t_s, false});
                else if (devices::formats::marker_undoes_baseline(e.label))
                    session->marks.push_back({e.t_s, true});
                session->markers.push_back(std::move(e));
            }
    }
    const auto series = devices::formats::read_rr_file(
        input, a.column.empty() ? std::nullopt : std::optional<std::string>(a.column));
    // Too little to say anything: one line (not a table of dashes).
    const double span_s = series.t_s.size() >= 2 ? series.t_s.back() - series.t_s.front() : 0.0;
    if (series.rr_ms.size() < kMinBeats || span_s < kMinSpan_s)
        throw std::runtime_error(fmt::format(
            "{}: {} beat{} over {:.0f} s is too short for HRV: it needs at least {} beats over "
            "{:.0f} s (5 minutes for the standard short-term metrics)",
            input_name, series.rr_ms.size(), series.rr_ms.size() == 1 ? "" : "s", span_s, kMinBeats,
            kMinSpan_s));
    const auto classes = classify(series, a.artifacts);
    const auto nn = dsp::correct_artifacts(series.t_s, series.rr_ms, classes, series.follows_gap);
    std::size_t flagged = 0;
    for (auto c : classes) flagged += c != dsp::ArtifactClass::none && c != dsp::ArtifactClass::gap;
    const double flagged_pct = 100.0 * static_cast<double>(flagged) / series.rr_ms.size();

    dsp::HrvOptions opts;
    opts.frequency.method = a.method == "lomb" ? dsp::SpectrumMethod::lomb
                            : a.method == "ar" ? dsp::SpectrumMethod::ar
                                               : dsp::SpectrumMethod::welch;
    Analysis result;
    result.format = series.kind;
    result.last_beat_t_s = nn.t_s.back();
    nlohmann::json& out = result.json;
    out["input"] = input_name;
    out["beats"] = series.rr_ms.size();
    out["artifacts_pct"] = flagged_pct;
    // A record dominated by ectopic beats or artifacts: its HRV describes the rhythm disorder or
    // the recording, not autonomic tone (Task Force 1996 analyses sinus rhythm only).
    if (flagged_pct >= kDominatedPct)
        out["quality_note"] = fmt::format(
            "{:.0f}% of the beats are ectopic or artifacts: the HRV of this record describes the "
            "arrhythmia or the recording, not autonomic tone",
            flagged_pct);

    // The work: the whole record, the detector's pass over every beat, the windows. Each thread
    // takes what is left, the detector's pass first (it is one long task), then windows, so the
    // pass runs beside the windows and the threads end together.
    std::vector<double> starts;
    if (a.step_s > 0.0)
        for (double start = 0.0; start + a.window_s <= nn.t_s.back() + 1e-9; start += a.step_s)
            starts.push_back(start);
    std::vector<nlohmann::json> windows(starts.size());
    nlohmann::json relaxation;
    dsp::HrvMetrics whole;
    std::atomic<std::size_t> next_task{0}, windows_done{0};
    std::mutex mutex;  // the progress callback and the first failure
    std::exception_ptr failure;
    auto do_tasks = [&] {
        for (std::size_t task; (task = next_task++) < starts.size() + 2;) {
            if (task == 0) {
                relaxation = relaxation_pass(nn, session ? &*session : nullptr, threads);
            } else if (task == 1) {
                whole = dsp::compute_hrv(nn.t_s, nn.rr_ms, nn.follows_gap, opts);
            } else {
                const double start_s = starts[task - 2];
                windows[task - 2] = {{"t_s", start_s},
                                     {"metrics", session::metrics_to_json(window_metrics(
                                                     nn, start_s, a.window_s, opts))}};
                const std::size_t done = ++windows_done;
                if (progress && done % 50 == 0) {
                    const std::scoped_lock lock(mutex);
                    progress(done, starts.size());
                }
            }
        }
    };
    auto work = [&] {
        try {
            do_tasks();
        } catch (...) {
            const std::scoped_lock lock(mutex);
            if (!failure) failure = std::current_exception();
            next_task = starts.size() + 2;  // the others stop at their next task
        }
    };
    {
        std::vector<std::jthread> helpers;
        for (unsigned i = 1; i < std::max(1u, threads); ++i) helpers.emplace_back(work);
        work();
    }
    if (failure) std::rethrow_exception(failure);
    out["metrics"] = session::metrics_to_json(whole);
    out["windows"] = nlohmann::json::array();
    for (auto& w : windows) out["windows"].push_back(std::move(w));
    out["events"] = std::move(relaxation["events"]);
    out["summary"] = std::move(relaxation["summary"]);
    if (relaxation.contains("segments")) out["segments"] = std::move(relaxation["segments"]);
    return result;
}

}  // namespace relaxmon::cli
