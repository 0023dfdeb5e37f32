#include "session/recorder.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "session/private_files.hpp"

namespace relaxmon::session {

namespace fs = std::filesystem;

namespace {
constexpr auto kSyncInterval = std::chrono::seconds(2);

std::string number(std::optional<double> v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

// Writes `text` to `path` via a temporary file and rename(2): readers see the old or the new
// file, never half of one.
}  // namespace

void write_file_atomically(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kPrivateFileMode);
    if (fd < 0)
        throw RecordError(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno)));
    ::fchmod(fd, kPrivateFileMode);  // whatever the umask
    std::string_view rest = text;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw RecordError(
                fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ::fdatasync(fd);
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        throw RecordError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
}

std::string iso8601_now() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &local);
    std::string s(buf);
    if (s.size() >= 5) s.insert(s.size() - 2, ":");  // +0100 -> +01:00
    return s;
}

fs::path default_sessions_root() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return fs::path(xdg) / "relaxmon" / "sessions";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "share" / "relaxmon" / "sessions";
    return fs::current_path() / "relaxmon-sessions";
}

namespace {
constexpr std::size_t kStampLength = 19;  // 2026-11-24T20-15-03

// `<root>/<stamp>_<label>`, the label as far as it is safe in a file name; suffixed _2, _3 ...
// if taken (by another folder than `self`).
fs::path session_dir_named(const fs::path& root, const std::string& stamp, const std::string& label,
                           const fs::path& self = {}) {
    std::string name = stamp;
    std::string safe;
    for (char c : label)
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
    if (!safe.empty()) name += "_" + safe.substr(0, 40);
    fs::path dir = root / name;
    for (int i = 2; fs::exists(dir) && dir != self; ++i) dir = root / fmt::format("{}_{}", name, i);
    return dir;
}
}  // namespace

fs::path new_session_dir(const fs::path& root, const std::string& label) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H-%M-%S", &local);
    return session_dir_named(root, buf, label);
}

fs::path relabelled_session_dir(const fs::path& dir, const std::string& label) {
    const std::string name = dir.filename().string();
    return session_dir_named(dir.parent_path(), name.substr(0, kStampLength), label, dir);
}

bool Recorder::move_to(const fs::path& dir) {
    if (dir == dir_) return true;
    std::error_code ec;
    fs::rename(dir_, dir, ec);
    if (ec) return false;
    dir_ = dir;
    return true;
}

Recorder::Recorder(fs::path dir, nlohmann::json session_info, double t0_s)
    : dir_(std::move(dir)), info_(std::move(session_info)), t0_s_(t0_s) {
    std::error_code ec;
    if (fs::exists(dir_, ec)) {
        if (!fs::is_directory(dir_, ec))
            throw RecordError(fmt::format("cannot record into {}: it is a file", dir_.string()));
        if (!fs::is_empty(dir_, ec))
            throw RecordError(
                fmt::format("cannot record into {}: the directory is not empty (choose a new one)",
                            dir_.string()));
    } else {
        create_private_directories(dir_, ec);
        if (ec)
            throw RecordError(
                fmt::format("cannot create directory {}: {}", dir_.string(), ec.message()));
    }
    // While this lock is held the session is live; the kernel drops it when the process dies,
    // so the next start can tell a crashed recording from one still running.
    lock_fd_ = ::open((dir_ / kLockFile).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, kPrivateFileMode);
    if (lock_fd_ >= 0) ::flock(lock_fd_, LOCK_EX | LOCK_NB);
    try {
        info_["status"] = "recording";
        info_["start_time"] = iso8601_now();
        write_session_json();
        beats_csv_ = std::make_unique<CsvFile>(dir_ / "beats.csv",
                                               "t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms");
        metrics_csv_ = std::make_unique<CsvFile>(
            dir_ / "metrics.csv",
            "t_s,window_s,mean_hr_bpm,rmssd_ms,sdnn_ms,lf_ms2,hf_ms2,lf_hf,resp_rate_bpm,"
            "relax_index,state");
        events_csv_ = std::make_unique<CsvFile>(dir_ / "events.csv", "t_s,kind,label");
        // rr.txt has no header: Kubios and most tools read bare intervals.
        rr_txt_ = std::make_unique<CsvFile>(dir_ / "rr.txt", std::string_view{});
    } catch (const std::runtime_error& e) {
        throw RecordError(e.what());
    }
    last_sync_ = std::chrono::steady_clock::now();
}

Recorder::~Recorder() {
    if (!finished_) {
        try {
            finish(nlohmann::json::object());
        } catch (...) {  // destructors must not throw; error() already says what failed
        }
    }
}

void Recorder::write_session_json() {
    write_file_atomically(dir_ / "session.json", info_.dump(2) + "\n");
}

void Recorder::update_info(const nlohmann::json& patch) {
    if (finished_) return;
    for (const auto& [key, value] : patch.items()) info_[key] = value;
    try {
        write_session_json();
        json_error_.reset();
    } catch (const RecordError& e) {  // written again at the end
        json_error_ = e.what();
    }
}

void Recorder::notes(std::string text) {
    pending_notes_ = std::move(text);
    write_notes();
}

void Recorder::write_notes() {
    if (!pending_notes_) return;
    try {
        write_file_atomically(dir_ / "notes.txt", *pending_notes_);
        pending_notes_.reset();
        notes_error_.reset();
    } catch (const RecordError& e) {
        notes_error_ = e.what();
    }
}

void Recorder::maybe_sync() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sync_ < kSyncInterval) return;
    last_sync_ = now;
    for (CsvFile* f : files())
        if (f) f->sync();
}

void Recorder::beat(const ProcessedBeat& b) {
    const double t = b.t_s - t0_s_;
    beats_csv_->append(fmt::format("{:.3f},{:.3f},{:.2f},{},{:.3f}", t, b.rr_ms, b.hr_bpm,
                                   dsp::artifact_name(b.artifact), b.rr_corrected_ms));
    rr_txt_->append(fmt::format("{:.3f}", b.rr_ms));
    ++beats_;
    if (pending_notes_) write_notes();  // they failed to be written: try again
    maybe_sync();
}

MetricsRow metrics_row(double t_s, const dsp::SlidingHrv::Values& v, double window_s,
                       std::optional<double> resp_rate_bpm,
                       const dsp::RelaxationDetector::Output& relax) {
    return {t_s,      window_s, v.time.mean_hr_bpm, v.time.rmssd_ms,   v.time.sdnn_ms, v.lf_ms2,
            v.hf_ms2, v.lf_hf,  resp_rate_bpm,      relax.relax_index, relax.state};
}

void Recorder::metrics(const MetricsRow& r) {
    // Time domain over `window_s`, spectrum over the last 5 minutes (empty until there is
    // enough); the relax index is empty while the baseline is being learnt.
    metrics_csv_->append(fmt::format("{:.3f},{:.0f},{},{},{},{},{},{},{},{},{}", r.t_s - t0_s_,
                                     r.window_s, number(r.mean_hr_bpm, 2), number(r.rmssd_ms, 2),
                                     number(r.sdnn_ms, 2), number(r.lf_ms2, 1), number(r.hf_ms2, 1),
                                     number(r.lf_hf, 3), number(r.resp_rate_bpm, 2),
                                     number(r.relax_index, 1), dsp::relax_state_name(r.state)));
}

void Recorder::event(double t_s, std::string_view kind, std::string_view label) {
    events_csv_->append(fmt::format("{:.3f},{},{}", t_s - t0_s_, kind, csv_field(label)));
}

void Recorder::ecg(double t0_s, double fs_hz, std::span<const float> samples_uv) {
    if (!ecg_csv_) {
        try {
            ecg_csv_ = std::make_unique<CsvFile>(dir_ / "ecg.csv", "t_s,ecg_uv");
        } catch (const std::runtime_error& e) {
            json_error_ = e.what();
            return;
        }
    }
    // One write for the whole block: a crash keeps whole lines.
    std::string lines;
    lines.reserve(samples_uv.size() * 18);
    for (std::size_t i = 0; i < samples_uv.size(); ++i) {
        if (i) lines += '\n';
        lines += fmt::format("{:.4f},{:.1f}", t0_s - t0_s_ + static_cast<double>(i) / fs_hz,
                             samples_uv[i]);
    }
    ecg_csv_->append(lines);
    maybe_sync();
}

void Recorder::acc(double t0_s, double fs_hz, std::span<const std::array<std::int16_t, 3>> mg) {
    if (!acc_csv_) {
        try {
            acc_csv_ = std::make_unique<CsvFile>(dir_ / "acc.csv", "t_s,x_mg,y_mg,z_mg");
        } catch (const std::runtime_error& e) {
            json_error_ = e.what();
            return;
        }
    }
    std::string lines;
    lines.reserve(mg.size() * 24);
    for (std::size_t i = 0; i < mg.size(); ++i) {
        if (i) lines += '\n';
        lines += fmt::format("{:.4f},{},{},{}", t0_s - t0_s_ + static_cast<double>(i) / fs_hz,
                             mg[i][0], mg[i][1], mg[i][2]);
    }
    acc_csv_->append(lines);
    maybe_sync();
}

std::array<CsvFile*, 6> Recorder::files() const {
    return {beats_csv_.get(), metrics_csv_.get(), events_csv_.get(),
            rr_txt_.get(),    ecg_csv_.get(),     acc_csv_.get()};
}

void Recorder::finish(const nlohmann::json& summary) {
    if (finished_) return;
    finished_ = true;
    for (CsvFile* f : files()) {
        if (!f) continue;
        f->retry();
        f->sync();
    }
    write_notes();
    info_["status"] = "complete";
    info_["end_time"] = iso8601_now();
    info_["beats"] = beats_;
    if (auto e = error()) {
        info_["status"] = "incomplete";
        info_["error"] = fmt::format("{} lines could not be written: {}", held_lines(), *e);
    }
    for (const auto& [key, value] : summary.items()) info_[key] = value;
    try {
        write_session_json();
    } catch (const RecordError& e) {
        json_error_ = e.what();
    }
    if (lock_fd_ >= 0) {
        ::unlink((dir_ / kLockFile).c_str());
        ::close(lock_fd_);
        lock_fd_ = -1;
    }
}

std::size_t Recorder::held_lines() const {
    std::size_t n = 0;
    for (const CsvFile* f : files())
        if (f) n += f->pending_lines();
    return n;
}

void Recorder::retry() {
    for (CsvFile* f : files())
        if (f) f->retry();
    write_notes();
}

std::optional<std::string> Recorder::error() const {
    for (const CsvFile* f : files())
        if (f && f->error()) return f->error();
    if (notes_error_) return notes_error_;
    return json_error_;
}

}  // namespace relaxmon::session
