#include "session/metrics_json.hpp"

#include <cmath>

#include <fmt/format.h>

namespace relaxmon::session {

const std::vector<std::string>& metric_keys() {
    static const std::vector<std::string> keys{
        "mean_rr_ms", "sdnn_ms",    "rmssd_ms",    "sdsd_ms",    "pnn50_pct",       "mean_hr_bpm",
        "min_hr_bpm", "max_hr_bpm", "vlf_ms2",     "lf_ms2",     "hf_ms2",          "lf_hf",
        "lf_nu",      "hf_nu",      "lf_peak_hz",  "hf_peak_hz", "total_power_ms2", "sd1_ms",
        "sd2_ms",     "sd1_sd2",    "dfa_alpha1",  "dfa_alpha2", "sampen",          "resp_rate_bpm",
        "pns_index",  "sns_index",  "stress_index"};
    return keys;
}

nlohmann::json metrics_to_json(const dsp::HrvMetrics& m) {
    nlohmann::json j;
    for (const auto& k : metric_keys()) j[k] = nullptr;
    auto set = [&j](const char* key, std::optional<double> v) {
        if (v) j[key] = *v;
    };
    if (const auto& t = m.time) {
        set("mean_rr_ms", t->mean_rr_ms);
        set("mean_hr_bpm", t->mean_hr_bpm);
        set("sdnn_ms", t->sdnn_ms);
        set("rmssd_ms", t->rmssd_ms);
        set("sdsd_ms", t->sdsd_ms);
        set("pnn50_pct", t->pnn50_pct);
        set("min_hr_bpm", t->min_hr_bpm);
        set("max_hr_bpm", t->max_hr_bpm);
        set("stress_index", t->stress_index);
    }
    if (const auto& f = m.frequency) {
        set("vlf_ms2", f->vlf_ms2);
        set("lf_ms2", f->lf_ms2);
        set("hf_ms2", f->hf_ms2);
        set("total_power_ms2", f->total_power_ms2);
        set("lf_hf", f->lf_hf);
        set("lf_nu", f->lf_nu);
        set("hf_nu", f->hf_nu);
        set("lf_peak_hz", f->lf_peak_hz);
        set("hf_peak_hz", f->hf_peak_hz);
        set("resp_rate_bpm", f->resp_rate_bpm);
        // Beyond the contract's keys: whether the breathing peak is clear enough to trust.
        j["resp_rate_confident"] = f->resp_rate_bpm ? nlohmann::json(f->resp_confident) : nullptr;
        // The keys stay; a flag says when breathing below the HF band makes them misleading.
        j["hf_interpretable"] = f->hf_interpretable;
        if (!f->hf_interpretable)
            j["spectral_note"] = fmt::format(
                "breathing at {:.1f}/min lies below the HF band (9/min): LF, HF, LF/HF and "
                "the spectral breathing rate measure the breath, not autonomic balance",
                *f->slow_breathing_bpm);  // set whenever the flag is down
    }
    if (const auto& p = m.poincare) {
        set("sd1_ms", p->sd1_ms);
        set("sd2_ms", p->sd2_ms);
        set("sd1_sd2", p->sd1_sd2);
    }
    set("dfa_alpha1", m.dfa_alpha1);
    set("dfa_alpha2", m.dfa_alpha2);
    set("sampen", m.sampen);
    set("pns_index", m.pns_index);
    set("sns_index", m.sns_index);
    return j;
}

nlohmann::json relaxation_summary_to_json(const dsp::RelaxSummary& s) {
    auto opt = [](std::optional<double> v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    auto phase = [&](const dsp::RelaxSummary::Phase& p) {
        return nlohmann::json{
            {"hr_bpm", opt(p.hr_bpm)},
            {"rmssd_ms", opt(p.rmssd_ms)},
            {"resp_rate_bpm", opt(p.resp_rate_bpm)},
            {"ln_rsa_power",
             opt(p.rsa_power_ms2 ? std::optional(std::log(*p.rsa_power_ms2)) : std::nullopt)}};
    };
    nlohmann::json change = nlohmann::json::object();
    auto diff = [&](const char* key, std::optional<double> a, std::optional<double> b) {
        if (!a || !b) return;
        change[key] = {{"change", *b - *a}, {"percent", *a != 0.0 ? 100.0 * (*b - *a) / *a : 0.0}};
    };
    diff("hr_bpm", s.baseline.hr_bpm, s.relaxed.hr_bpm);
    diff("rmssd_ms", s.baseline.rmssd_ms, s.relaxed.rmssd_ms);
    diff("resp_rate_bpm", s.baseline.resp_rate_bpm, s.relaxed.resp_rate_bpm);
    if (s.baseline.rsa_power_ms2 && s.relaxed.rsa_power_ms2)
        change["ln_rsa_power"] = {
            {"change", std::log(*s.relaxed.rsa_power_ms2) - std::log(*s.baseline.rsa_power_ms2)},
            {"percent", 100.0 * (*s.relaxed.rsa_power_ms2 / *s.baseline.rsa_power_ms2 - 1.0)}};
    // Which baseline, and why (issue 19: hands-free when the chest tells when the client lay
    // still).
    const char* why = s.baseline_kind == "marked"
                          ? "the 3 minutes before the \"massage start\" marker"
                      : s.baseline_kind == "lying_still"
                          ? "the first 3 minutes the client lay still (from chest acceleration), "
                            "after lying down and settling"
                          : "the first 3 minutes after a 30-s settle (no chest acceleration to "
                            "tell when the client lay still)";
    return {{"baseline_from_s", opt(s.baseline_from_s)},
            {"baseline_to_s", opt(s.baseline_to_s)},
            {"baseline_kind", s.baseline_kind},
            {"baseline_why", why},
            {"baseline", phase(s.baseline)},
            {"relaxed", phase(s.relaxed)},
            {"change", change},
            {"relaxation_onset_s", opt(s.onset_s)},
            {"time_to_onset_s", opt(s.time_to_onset_s)},
            {"time_relaxed_s", s.time_relaxed_s}};
}

}  // namespace relaxmon::session
