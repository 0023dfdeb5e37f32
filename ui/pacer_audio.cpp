#include "pacer_audio.hpp"

#include "pacer.hpp"

#include <alsa/asoundlib.h>
#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace relaxmon::ui {

namespace {
// ALSA's library prints its configuration trouble itself (eight lines where no card is); the
// one line below says what matters.
extern "C" void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
}  // namespace

PacerAudio::~PacerAudio() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void PacerAudio::set(bool breathing, double bpm, double volume, double inhale_fraction,
                     std::chrono::steady_clock::time_point pacer_start) {
    {
        const std::scoped_lock lock(mutex_);
        start_ = pacer_start;
        wanted_.breathing = breathing;
        wanted_.rate_bpm = bpm;
        wanted_.inhale_fraction = inhale_fraction;
        wanted_.volume = volume;
        changed_ = true;
    }
    if (breathing && volume > 0.0) start();
}

void PacerAudio::chime() {
    {
        const std::scoped_lock lock(mutex_);
        ++chimes_;
    }
    start();
}

void PacerAudio::start() {
    if (started_) return;
    started_ = true;
    // Opening the device reads ALSA's configuration (and may wait on a sound server): on the
    // audio thread, never the dashboard's.
    thread_ = std::thread([this] {
        snd_lib_error_set_handler(quiet_alsa);
        snd_pcm_t* pcm = nullptr;
        const auto rate = static_cast<unsigned>(dsp::PacerSound::Params{}.sample_rate_hz);
        int err = snd_pcm_open(&pcm, "default", SND_PCM_STREAM_PLAYBACK, 0);
        if (err >= 0)
            // 16-bit mono, ALSA resampling if the card needs it, 200 ms of buffer.
            err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                     rate, 1, 200000);
        if (err < 0) {
            if (pcm) snd_pcm_close(pcm);
            failed_ = true;
            fmt::print(stderr, "relaxmon: no sound device ({}): the pacer is silent\n",
                       snd_strerror(err));
            return;
        }
        run(pcm);
    });
}

void PacerAudio::run(void* handle) {
    auto* pcm = static_cast<snd_pcm_t*>(handle);
    // Off at first: the first wanted parameters turn it on, joined to the screen's breath.
    dsp::PacerSound sound = [this] {
        const std::scoped_lock lock(mutex_);
        auto p = wanted_;
        p.breathing = false;
        return dsp::PacerSound(p);
    }();
    std::vector<float> block(1024);
    std::vector<std::int16_t> pcm_block(block.size());
    while (!stop_) {
        {
            const std::scoped_lock lock(mutex_);
            if (changed_) {
                // Where the screen's pacer will be when this block is heard: after what the
                // device holds still.
                snd_pcm_sframes_t queued = 0;
                if (snd_pcm_delay(pcm, &queued) < 0) queued = 0;
                const double heard_in_s = static_cast<double>(queued) / wanted_.sample_rate_hz;
                const double since_start_s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
                        .count() +
                    heard_in_s;
                sound.set_params(wanted_, pacer_phase(since_start_s, wanted_.rate_bpm));
            }
            changed_ = false;
            for (; chimes_ > 0; --chimes_) sound.chime();
        }
        sound.render(block);
        for (std::size_t i = 0; i < block.size(); ++i)
            pcm_block[i] = static_cast<std::int16_t>(std::lround(block[i] * 32767.0f));
        snd_pcm_sframes_t n = snd_pcm_writei(pcm, pcm_block.data(), pcm_block.size());
        if (n < 0) n = snd_pcm_recover(pcm, static_cast<int>(n), 1);  // an underrun: go on
        if (n < 0) {
            fmt::print(stderr, "relaxmon: the sound device stopped ({}): the pacer is silent\n",
                       snd_strerror(static_cast<int>(n)));
            failed_ = true;
            break;
        }
    }
    snd_pcm_drop(pcm);
    snd_pcm_close(pcm);
}

}  // namespace relaxmon::ui
