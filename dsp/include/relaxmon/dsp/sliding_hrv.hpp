#pragma once
// SlidingHrv: the live HRV of a session, updated beat by beat.
// - Time domain over a short window (default 60 s) with running sums (RollingHrv): O(1) a beat.
// - Spectrum (LF, HF, LF/HF, breathing rate from the RSA peak) over a long window (default
//   5 min, Task Force 1996 short-term recordings), recomputed from the window's beats every few
//   seconds (Params), since a spectrum cannot be updated incrementally in a useful way: a
//   spectrum costs ~50-100 us, the rest of a beat ~2 us.
// - The same over 2 minutes, for features that must follow the session faster (breathing rate,
//   power of the respiratory peak, ln HF), and over 64 s for the coherence score: the power
//   within +-0.015 Hz of the dominant 0.04-0.26 Hz peak over the rest of 0.0033-0.4 Hz
//   (McCraty et al. 2009, "The coherent heart", HeartMath Research Center).
// Corrected intervals go in; beats flagged as following a gap are never differenced across.
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/rolling_hrv.hpp"

namespace relaxmon::dsp {

class SlidingHrv {
  public:
    struct Params {
        double time_window_s = 60.0;
        // How often each spectrum is refreshed: every 5 s for a screen that confirms the breath
        // count with them as they come; an analysis that only needs what they say over minutes
        // takes them as they change, by a tenth of the window (30 s, 12 s; see Pipeline::Use).
        // Infinity: never (the 64-s one is for eyes only).
        double spectrum_window_s = 300.0;
        double spectrum_every_s = 5.0;
        double short_window_s = 120.0;
        double short_every_s = 5.0;
        double coherence_window_s = 64.0;
        double coherence_every_s = 5.0;
        double min_spectrum_span_s = 60.0;  // no spectrum before this much data
        FrequencyOptions frequency;
    };
    struct Values {
        RollingHrv::Values time;
        std::optional<double> lf_ms2, hf_ms2, lf_hf, resp_rate_bpm;
        bool resp_confident = false;
        bool hf_interpretable = true;        // see FrequencyDomain
        std::optional<double> spectrum_t_s;  // when the spectrum was last computed
        // The 5-minute spectrum itself, 0-0.5 Hz (shared: copying Values stays cheap).
        std::shared_ptr<const std::vector<std::pair<float, float>>> psd_ms2_per_hz;
        // Over the short window (2 min):
        std::optional<double> resp_rate_short_bpm, rsa_power_ms2, hf_short_ms2;
        std::optional<double> coherence, resp_rate_64s_bpm;  // over 64 s (the rate when confident)
    };

    SlidingHrv() : SlidingHrv(Params{}) {}
    explicit SlidingHrv(Params p);

    // Returns true when this beat refreshed the spectrum.
    bool push(double t_s, double rr_ms, bool follows_gap);
    // Replaces the newest beat's interval (see RollingHrv::amend_last); the spectra take it at
    // their next refresh.
    void amend_last(double rr_ms);
    // Beats before t_s are only caught up on (a replay jumping ahead): the 5-min and 64-s spectra,
    // which only a screen reads, wait until their windows reach t_s; the 2-min one, evidence
    // for the relaxation detector, keeps its pace.
    void catch_up_until(double t_s) { seen_from_s_ = t_s; }
    const Values& values() const { return values_; }
    const Params& params() const { return p_; }

    // What one refresh of the 2-min spectrum gives, at t_s.
    struct ShortSpectrum {
        double t_s = 0.0;
        std::optional<double> resp_rate_bpm, hf_ms2, rsa_power_ms2;
    };
    // analyze works the 2-min spectra out on another thread: a SlidingHrv given the beats
    // records them, one given the same beats again replays them instead of computing them (the
    // same refreshes come due at the same beats; one whose time does not match is computed).
    void record_short_spectra(std::vector<ShortSpectrum>* log) { record_ = log; }
    void replay_short_spectra(std::span<const ShortSpectrum> log) {
        replay_ = log;
        replayed_ = 0;
    }

  private:
    void refresh_long(std::size_t from);
    void refresh_short(std::size_t from);
    void refresh_coherence(std::size_t from);
    std::size_t after_last_gap() const;
    // `confidence_read`: whether resp_confident and hf_interpretable are read from it.
    std::optional<FrequencyDomain> spectrum_of_tail(double span_s, std::size_t from,
                                                    bool confidence_read = true) const;

    Params p_;
    RollingHrv rolling_;
    std::deque<double> t_, rr_;
    std::deque<std::uint8_t> gap_;
    std::optional<double> last_long_s_, last_short_s_, last_coherence_s_;
    double seen_from_s_ = -INFINITY;
    Values values_;
    std::vector<ShortSpectrum>* record_ = nullptr;
    std::span<const ShortSpectrum> replay_;
    std::size_t replayed_ = 0;
};

// The breathing rate of a clear 5-minute peak while the last 64 s agree with it (within 1/min):
// precise to a tenth of a breath a minute where a 64-s spectrum's bins are 0.94/min wide, and
// not stale after a change. Below kSlowSpectralBreathing_bpm, where 64 s hold too few breaths,
// the last 2 minutes' peak agreeing within a tenth does instead; a 2-min peak further off makes
// any 5-min peak unsteady. Nullopt otherwise.
constexpr double kSlowSpectralBreathing_bpm = 5.0;
std::optional<double> steady_spectral_rate_bpm(const SlidingHrv::Values& v);

}  // namespace relaxmon::dsp
