#include "session/metrics_json.hpp"

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

}  // namespace relaxmon::session
