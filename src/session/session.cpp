#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "session/session.hpp"

#include <fmt/format.h>

#include <boost/asio/post.hpp>

#include "session/session_impl.hpp"

namespace relaxmon::session {

Session::Session(SessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
    Impl& d = *impl_;
    d.spec = devices::parse_source(d.cfg.source);
    d.device = devices::make_device(d.spec, d.io, d.cfg.speed);
    d.device_name = d.device->name();
    d.replay_span_s = d.device->span_s();
    if (d.cfg.sessions_root.empty()) d.cfg.sessions_root = default_sessions_root();
    if (d.cfg.audio_out) {
        dsp::PacerSound::Params p;
        p.rate_bpm = d.cfg.pacer_bpm;
        p.inhale_fraction = d.cfg.pacer_inhale_fraction;
        p.breathing = d.cfg.pacer_sound;
        p.volume = d.cfg.pacer_volume;
        d.sound.emplace(p);
        d.wav = std::make_unique<WavFile>(*d.cfg.audio_out, static_cast<int>(p.sample_rate_hz));
    }
    if (d.cfg.record_dir) d.open_recorder(*d.cfg.record_dir);
    d.publish();
}

Session::~Session() {
    stop();
}

void Session::start() {
    Impl& d = *impl_;
    if (d.thread.joinable()) return;
    d.thread = std::thread([&d] {
        boost::asio::post(d.io, [&d] {
            d.device->start([&d](const devices::Measurement& m) { d.on_measurement(m); });
            if (d.cfg.start_at_s) {
                if (!d.recording.recording()) d.pipeline.catch_up_until(*d.cfg.start_at_s);
                d.device->seek(*d.cfg.start_at_s);
            }
            d.watch_clock();
        });
        try {
            d.io.run();
        } catch (const std::exception& e) {
            // Nothing may escape the session thread; end the session with the reason.
            d.finish(fmt::format("session error: {}", e.what()));
        }
    });
}

void Session::stop() {
    Impl& d = *impl_;
    if (!d.thread.joinable()) {
        if (!d.finished) d.finish(std::nullopt);  // never started: still close the recording
        return;
    }
    boost::asio::post(d.io, [&d] {
        d.finish(std::nullopt);
        d.work.reset();
        d.io.stop();
    });
    d.thread.join();
}

std::shared_ptr<const Snapshot> Session::snapshot() const {
    std::lock_guard lock(impl_->snapshot_mutex);
    return impl_->snapshot;
}

bool Session::wait_finished(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->done_mutex);
    return impl_->done_cv.wait_for(lock, timeout, [this] { return impl_->done; });
}

void Session::add_marker(std::string label) {
    boost::asio::post(impl_->io, [d = impl_.get(), label = std::move(label)]() mutable {
        if (d->finished) return;
        d->mark(std::move(label));
        d->publish();
    });
}

void Session::mark_baseline() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished) return;
        d->mark("massage start");
        d->publish();
    });
}

void Session::undo_baseline() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished) return;
        d->undo_baseline();
        d->publish();
    });
}

void Session::set_playback(double speed, bool paused) {
    boost::asio::post(impl_->io, [d = impl_.get(), speed, paused] {
        if (d->finished) return;
        d->device->set_playback(speed, paused);
        d->cfg.speed = speed;
        d->paused = paused;
        d->publish();
    });
}

void Session::set_pacer_sound(bool on, double bpm, double volume) {
    boost::asio::post(impl_->io, [d = impl_.get(), on, bpm, volume] {
        d->cfg.pacer_sound = on;
        d->cfg.pacer_bpm = bpm;
        d->cfg.pacer_volume = volume;
        if (!d->sound) return;
        d->advance_audio();  // the change from now on
        auto p = d->sound->params();
        p.breathing = on;
        p.rate_bpm = bpm;
        p.volume = volume;
        d->sound->set_params(p);
    });
}

bool Session::seek(double t_s) {
    const auto snap = snapshot();
    if (!snap->replay || t_s < snap->t_s) return false;
    boost::asio::post(impl_->io, [d = impl_.get(), t_s] {
        if (d->finished) return;
        // (A recording takes every spectrum: its metrics.csv has the 5-minute one.)
        if (!d->recording.recording()) d->pipeline.catch_up_until(t_s);
        d->device->seek(t_s);
    });
    return true;
}

void Session::set_label(std::string label) {
    boost::asio::post(impl_->io, [d = impl_.get(), label = std::move(label)]() mutable {
        d->cfg.label = std::move(label);
        d->recording.set_label(d->cfg.label, d->t_s);
        d->publish();
    });
}

void Session::set_notes(std::string notes) {
    boost::asio::post(impl_->io, [d = impl_.get(), notes = std::move(notes)]() mutable {
        d->cfg.notes = std::move(notes);
        d->recording.set_notes(d->cfg.notes, d->t_s);
    });
}

void Session::start_recording() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished || d->recording.recording()) return;
        d->open_recorder_in_library();
        d->publish();
    });
}

void Session::stop_recording() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        d->close_recorder();
        d->publish();
    });
}

SessionSummary Session::summary() const {
    std::lock_guard lock(impl_->done_mutex);
    return impl_->summary_result;
}

}  // namespace relaxmon::session
