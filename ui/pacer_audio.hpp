#pragma once
// PacerAudio: the breathing pacer's sound on the computer's speakers, through ALSA's "default"
// device (which PipeWire and PulseAudio also serve on a Debian desktop). A thread of its own
// opens the device when sound is first wanted, then renders dsp::PacerSound in blocks of ~46 ms
// and writes them (a blocking write paces it); the dashboard only sets what to play and never
// waits. Where there is no device (a build machine, CI, a server) one line says so and the pacer
// stays silent - nothing else changes.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "relaxmon/dsp/pacer_sound.hpp"

namespace relaxmon::ui {

class PacerAudio {
  public:
    PacerAudio() = default;
    ~PacerAudio();
    PacerAudio(const PacerAudio&) = delete;
    PacerAudio& operator=(const PacerAudio&) = delete;

    // The pacer's sound on or off, its rate, volume (0..1) and the part of a breath spent in;
    // `pacer_start`: when the pacer on screen began its breaths (the sound, turned on, joins them).
    void set(bool breathing, double bpm, double volume, double inhale_fraction,
             std::chrono::steady_clock::time_point pacer_start);
    void chime();
    // False once opening the device failed (its one line was said).
    bool available() const { return !failed_.load(); }

  private:
    void start();
    void run(void* pcm);

    std::mutex mutex_;  // the wanted parameters and chimes, handed to the thread
    dsp::PacerSound::Params wanted_;
    std::chrono::steady_clock::time_point start_{};
    int chimes_ = 0;
    bool changed_ = false;
    std::atomic<bool> stop_{false}, failed_{false};
    bool started_ = false;  // (the dashboard's thread only)
    std::thread thread_;
};

}  // namespace relaxmon::ui
