#include "session/recording_link.hpp"

#include <fmt/format.h>

namespace relaxmon::session {

void RecordingLink::open(const std::filesystem::path& dir, const SessionInfo& info,
                         const Now& now) {
    // The first recording holds the whole session, in the session's own times; one started
    // again after a stop holds what follows, from 0.
    const bool whole = !ever_recorded_;
    t0_s_ = whole ? 0.0 : now.t_s;
    artifacts_at_open_ = whole ? 0 : now.artifacts;
    recorder_ = std::make_unique<Recorder>(dir, info(t0_s_), t0_s_);
    ever_recorded_ = true;
    in_library_ = false;
    if (!now.notes.empty()) recorder_->notes(now.notes);
    last_dir_ = dir.string();
    error_.reset();
    held_ = false;
    if (whole)
        log_.hand_over(*recorder_);
    else if (now.connected)
        recorder_->event(now.t_s, "connected", now.device_name);
    check(now.t_s);
}

void RecordingLink::open_in_library(const std::filesystem::path& root, const std::string& label,
                                    const SessionInfo& info, const Now& now) {
    try {
        open(new_session_dir(root, label), info, now);
        in_library_ = true;
    } catch (const RecordError& e) {
        error_ = e.what();
    }
}

void RecordingLink::close(nlohmann::json end, std::size_t artifacts_now, double duration_s,
                          nlohmann::json relaxation) {
    if (!recorder_) return;
    // What this recording holds (all of the session unless it was started again).
    end["summary"] = {{"beats", recorder_->beats_written()},
                      {"artifacts", artifacts_now - artifacts_at_open_},
                      {"duration_s", duration_s - t0_s_},
                      {"relaxation", std::move(relaxation)}};
    recorder_->finish(end);
    if (auto e = recorder_->error())
        error_ = fmt::format("recording incomplete: {} lines could not be written to {}: {}",
                             recorder_->held_lines(), recorder_->dir().string(), *e);
    recorder_.reset();
}

void RecordingLink::event(double now_s, std::string_view kind, std::string_view label) {
    if (recorder_)
        recorder_->event(now_s, kind, label);
    else
        log_.event(now_s, kind, label);
}

void RecordingLink::beat(const ProcessedBeat& b, const MetricsRow& row, const dsp::RelaxEvent* ev) {
    if (recorder_) {
        recorder_->beat(b);
        recorder_->metrics(row);
        if (ev) recorder_->event(ev->t_s, ev->kind, ev->label);
        check(b.t_s);
    } else {
        log_.beat(b, row);
        if (ev) log_.event(ev->t_s, ev->kind, ev->label);
    }
}

void RecordingLink::ecg(const devices::EcgBlock& block, double now_s) {
    if (!recorder_) return;
    recorder_->ecg(block.t0_s, block.fs_hz, block.samples_uv);
    check(now_s);
}

void RecordingLink::acc(const devices::AccBlock& block, double now_s) {
    if (!recorder_) return;
    recorder_->acc(block.t0_s, block.fs_hz, block.samples_mg);
    check(now_s);
}

void RecordingLink::set_label(const std::string& label, double now_s) {
    if (!recorder_) return;
    // A folder the session named itself takes the label too (recorded from the first beat, it
    // was named before anyone typed one).
    if (in_library_) {
        recorder_->move_to(relabelled_session_dir(recorder_->dir(), label));
        last_dir_ = recorder_->dir().string();
    }
    recorder_->update_info({{"label", label}});
    check(now_s);
}

void RecordingLink::set_notes(const std::string& notes, double now_s) {
    if (!recorder_) return;
    recorder_->notes(notes);
    check(now_s);
}

// A disk that fills up (or a file-size limit) does not stop the session: what cannot be written
// is held in memory, in order, and written as soon as there is room again; the trouble and its
// end are events of their own (held back with the rest until they can be written).
void RecordingLink::check(double now_s) {
    if (!recorder_) return;
    const auto e = recorder_->error();
    if (e && !held_) {
        held_ = true;
        event(now_s, "recording_held", *e);
    } else if (!e && held_) {
        held_ = false;
        event(now_s, "recording_resumed", "every held line is written");
    }
    if (held_)
        error_ = fmt::format("cannot write the recording ({}): {} lines kept in memory, retrying",
                             *e, recorder_->held_lines());
    else
        error_.reset();
}

}  // namespace relaxmon::session
