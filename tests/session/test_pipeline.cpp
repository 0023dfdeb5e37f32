// The live pipeline against artifacts: the simulator's artifacts scenario is the massage session of
// the same seed plus ectopic and missed beats, a dropout and a contact loss, so beat by beat the
// detector's features with artifacts can be held against those without.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "relaxation_runs.hpp"

using namespace relaxmon;
using devices::sim::Scenario;

namespace {

// The detector's features at each beat (keyed by its time in ms) over 30 minutes.
std::map<long, dsp::RelaxFeatures> features(Scenario sc, std::uint64_t seed) {
    std::map<long, dsp::RelaxFeatures> out;
    for (const auto& f : test::run_relaxation(sc, seed, 1800.0, true).features)
        out[std::lround(f.t_s * 1000.0)] = f;
    return out;
}

struct Drift {
    double sum = 0.0, sum_abs = 0.0;
    int n = 0;
    void add(double d) {
        sum += d;
        sum_abs += std::abs(d);
        ++n;
    }
    double mean() const { return sum / n; }
    double mean_abs() const { return sum_abs / n; }
};

}  // namespace

TEST_CASE("ectopic and missed beats leave the detector's features as they were",
          "[session][artifacts]") {
    // Stand-ins for artifacts (the local median for a premature beat, the pair's mean for it and
    // its pause) are made up: fed on as they are, they add near-zero or arbitrary successive
    // differences (RMSSD moves) and a step on the crest of the RSA swing (one breath more, a
    // smaller swing). Neither must happen.
    Drift ln_rmssd, ln_rsa, breathing, hr;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const auto clean = features(Scenario::massage, seed);
        for (const auto& [t_ms, a] : features(Scenario::artifacts, seed)) {
            const auto it = clean.find(t_ms);
            if (it == clean.end() || !a.usable) continue;
            const auto& c = it->second;
            if (a.rmssd_ms && c.rmssd_ms) ln_rmssd.add(std::log(*a.rmssd_ms / *c.rmssd_ms));
            if (a.rsa_amplitude_ms && c.rsa_amplitude_ms)
                ln_rsa.add(std::log(*a.rsa_amplitude_ms / *c.rsa_amplitude_ms));
            if (a.resp_rate_bpm && c.resp_rate_bpm)
                breathing.add(*a.resp_rate_bpm - *c.resp_rate_bpm);
            if (a.hr_bpm && c.hr_bpm) hr.add(*a.hr_bpm - *c.hr_bpm);
        }
    }
    REQUIRE(ln_rmssd.n > 10000);
    INFO("ln RMSSD " << ln_rmssd.mean() << " (|" << ln_rmssd.mean_abs() << "|), ln RSA "
                     << ln_rsa.mean() << " (|" << ln_rsa.mean_abs() << "|), breathing "
                     << breathing.mean() << "/min (|" << breathing.mean_abs() << "|), HR "
                     << hr.mean() << " bpm (|" << hr.mean_abs() << "|)");
    CHECK(std::abs(ln_rmssd.mean()) < 0.004);
    CHECK(ln_rmssd.mean_abs() < 0.012);
    CHECK(std::abs(ln_rsa.mean()) < 0.005);
    CHECK(ln_rsa.mean_abs() < 0.01);
    CHECK(std::abs(breathing.mean()) < 0.03);
    CHECK(breathing.mean_abs() < 0.1);
    CHECK(std::abs(hr.mean()) < 0.05);
    CHECK(hr.mean_abs() < 0.035);
}

TEST_CASE("a flagged beat never spikes the RMSSD the screen and the files show",
          "[session][artifacts]") {
    // The 60-s RMSSD of metrics.csv and the dashboard, beat by beat, with artifacts against the
    // same body without them. A premature beat that passes as sinus and is unmasked by its pause
    // is taken back: both stand in as the pair's mean. Left as they came, the pair's two large
    // differences sent RMSSD from 48 to 103 ms for a minute.
    std::vector<double> ln_ratio;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const auto clean = features(Scenario::massage, seed);
        for (const auto& [t_ms, a] : features(Scenario::artifacts, seed)) {
            const auto it = clean.find(t_ms);
            if (it == clean.end() || !a.rmssd_report_ms || !it->second.rmssd_report_ms) continue;
            // Within a minute of a dropout or contact loss the windows hold different beats.
            if (!a.usable) continue;
            ln_ratio.push_back(
                std::abs(std::log(*a.rmssd_report_ms / *it->second.rmssd_report_ms)));
        }
    }
    REQUIRE(ln_ratio.size() > 10000);
    std::sort(ln_ratio.begin(), ln_ratio.end());
    const double p99 = ln_ratio[ln_ratio.size() * 99 / 100], worst = ln_ratio.back();
    INFO("|ln RMSSD ratio| p99 " << p99 << ", max " << worst);
    // Measured: p99 0.043, max 0.127 (the median stand-in alone: 0.227 and 0.349).
    CHECK(p99 < 0.08);
    CHECK(worst < 0.2);
}

TEST_CASE("a pipeline given its streams worked out beforehand judges every beat as it would alone",
          "[session][streams]") {
    // analyze's pass: the steps of the pipeline's front, then the 2-min spectra and the breath
    // count from them on threads of their own (Pipeline::Streams), read back by the pass. The
    // session's ectopic and missed beats (premature pairs amended, stand-ins rebuilt), its
    // dropout and contact loss (restarts) must all come out as in a pipeline on its own.
    for (std::uint64_t seed : {2u, 5u}) {
        std::vector<devices::Measurement> messages;
        devices::sim::RrGenerator gen(devices::sim::make_script(Scenario::artifacts, seed));
        double t = 0.0;
        while (t < 1800.0)
            for (const auto& m : gen.next()) {
                if (const auto* st = std::get_if<devices::DeviceStatus>(&m))
                    messages.push_back(*st);
                if (const auto* b = std::get_if<devices::RrBeat>(&m)) {
                    messages.push_back(*b);
                    t = b->t_s;
                }
            }
        // The front's steps, as analyze makes them.
        session::Pipeline::Streams streams;
        session::BeatFront front;
        for (const auto& m : messages) {
            if (const auto* st = std::get_if<devices::DeviceStatus>(&m)) front.on_status(*st);
            if (const auto* b = std::get_if<devices::RrBeat>(&m))
                streams.steps.push_back(front.step(*b));
        }
        streams.short_spectra = session::Pipeline::short_spectra_of(
            streams.steps, 60.0, session::Pipeline::Use::analysis);
        streams.breaths = session::Pipeline::breaths_of(streams.steps);
        REQUIRE(streams.short_spectra.size() > 100);

        session::Pipeline alone(60.0, session::Pipeline::Use::analysis);
        session::Pipeline fed(60.0, session::Pipeline::Use::analysis);
        fed.use_streams(&streams);
        std::size_t beats = 0, flagged = 0, amended = 0, differing = 0;
        std::vector<std::string> events_alone, events_fed;
        for (const auto& m : messages) {
            if (const auto* st = std::get_if<devices::DeviceStatus>(&m)) {
                alone.on_status(*st);
                fed.on_status(*st);
                continue;
            }
            const auto* beat = std::get_if<devices::RrBeat>(&m);
            if (!beat) continue;
            const auto& b = *beat;
            const auto pa = alone.on_beat(b);
            const auto pf = fed.on_beat(b);
            ++beats;
            flagged += pa.artifact != dsp::ArtifactClass::none;
            amended += streams.steps[beats - 1].amend_previous_ms.has_value();
            const auto &fa = alone.relax_features(), &ff = fed.relax_features();
            const bool same = pa.artifact == pf.artifact &&
                              pa.rr_corrected_ms == pf.rr_corrected_ms && fa.hr_bpm == ff.hr_bpm &&
                              fa.rmssd_ms == ff.rmssd_ms && fa.resp_rate_bpm == ff.resp_rate_bpm &&
                              fa.rsa_amplitude_ms == ff.rsa_amplitude_ms &&
                              fa.rsa_power_ms2 == ff.rsa_power_ms2 && fa.usable == ff.usable &&
                              alone.relax().relax_index == fed.relax().relax_index &&
                              alone.breathing().rate_bpm == fed.breathing().rate_bpm &&
                              alone.breathing().confident == fed.breathing().confident;
            differing += !same;
            if (const auto& e = alone.relax().event) events_alone.push_back(e->kind);
            if (const auto& e = fed.relax().event) events_fed.push_back(e->kind);
        }
        INFO("seed " << seed << ": " << beats << " beats, " << flagged << " flagged, " << amended
                     << " premature pairs amended");
        CHECK(flagged > 10);
        CHECK(differing == 0);
        CHECK(events_fed == events_alone);
        CHECK(std::count(events_alone.begin(), events_alone.end(), "relaxation_onset") >= 1);
    }
}
