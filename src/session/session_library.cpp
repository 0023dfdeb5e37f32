#include "session/session_library.hpp"

#include <algorithm>
#include <cctype>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "relaxmon/devices/formats/session_events.hpp"
#include "session/recorder.hpp"

namespace relaxmon::session {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDataFiles[] = {"beats.csv", "metrics.csv", "events.csv",
                                      "rr.txt",    "ecg.csv",     "acc.csv"};

std::optional<nlohmann::json> read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

std::optional<double> number(const std::string& s) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// Beats, artifacts and the last beat's time, from beats.csv as it is on disk.
struct BeatCounts {
    std::size_t beats = 0, artifacts = 0;
    std::optional<double> last_t_s;
};
BeatCounts count_beats(const fs::path& file) {
    BeatCounts c;
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto comma = line.find(',');
        if (const auto t = number(line.substr(0, comma))) c.last_t_s = t;
        ++c.beats;
        // t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms
        std::size_t at = 0;
        for (int i = 0; i < 3 && at != std::string::npos; ++i) at = line.find(',', at + 1);
        if (at == std::string::npos) continue;
        const auto end = line.find(',', at + 1);
        const std::string a = line.substr(at + 1, end - at - 1);
        if (!a.empty() && a != "gap") ++c.artifacts;
    }
    return c;
}

// Cuts a file after its last complete line; the bytes dropped.
std::size_t cut_torn_line(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec || size == 0) return 0;
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.back() == '\n') return 0;
    const auto last = text.find_last_of('\n');
    const std::size_t keep = last == std::string::npos ? 0 : last + 1;
    fs::resize_file(file, keep, ec);
    if (ec) throw std::runtime_error(file.string() + ": cannot repair it: " + ec.message());
    return text.size() - keep;
}

}  // namespace

bool is_live_recording(const fs::path& dir) {
    const int fd = ::open((dir / kLockFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
    ::close(fd);
    return held;
}

SessionEntry read_session_entry(const fs::path& dir) {
    SessionEntry e;
    e.dir = dir;
    const auto j = read_json(dir / "session.json");
    if (!j) {
        e.status = "unreadable";
        return e;
    }
    e.status = j->value("status", std::string("recording"));
    if (e.status == "recording" && !is_live_recording(dir)) e.status = "unfinished";
    e.start_time = j->value("start_time", std::string());
    e.label = j->value("label", std::string());
    e.source = j->value("source", std::string());
    e.device_name = j->value("device_name", std::string());
    const auto counts = count_beats(dir / "beats.csv");
    e.beats = counts.beats;
    e.artifacts = counts.artifacts;
    if (j->contains("summary") && (*j)["summary"].contains("duration_s") &&
        (*j)["summary"]["duration_s"].is_number())
        e.duration_s = (*j)["summary"]["duration_s"].get<double>();
    else
        e.duration_s = counts.last_t_s;
    // Onset and time relaxed from the detector's events, which every session has on disk.
    try {
        double since = 0.0;
        bool relaxed = false;
        for (const auto& ev : devices::formats::read_session_events(dir / "events.csv")) {
            if (ev.kind == "relaxation_onset") {
                if (!e.onset_s) e.onset_s = ev.t_s;
                since = ev.t_s;
                relaxed = true;
            } else if (ev.kind == "relaxation_end" && relaxed) {
                e.time_relaxed_s += ev.t_s - since;
                relaxed = false;
            }
        }
        if (relaxed && e.duration_s) e.time_relaxed_s += std::max(0.0, *e.duration_s - since);
    } catch (const std::exception&) {  // no or damaged events.csv: nothing to add
    }
    return e;
}

std::vector<SessionEntry> list_sessions(const fs::path& root) {
    std::vector<SessionEntry> out;
    std::error_code ec;
    for (const auto& d : fs::directory_iterator(root, ec)) {
        if (!d.is_directory(ec) || !fs::exists(d.path() / "beats.csv", ec)) continue;
        out.push_back(read_session_entry(d.path()));
    }
    std::sort(out.begin(), out.end(), [](const SessionEntry& a, const SessionEntry& b) {
        return a.dir.filename().string() > b.dir.filename().string();
    });
    return out;
}

bool discard_if_empty(const fs::path& dir) {
    std::error_code ec;
    const fs::path beats = dir / "beats.csv";
    if (fs::exists(beats, ec)) {
        std::ifstream in(beats);
        std::string line;
        int lines = 0;
        while (lines < 2 && std::getline(in, line)) ++lines;
        if (lines > 1) return false;  // a header and at least one beat
    }
    for (const char* name : {"beats.csv", "metrics.csv", "events.csv", "rr.txt", "ecg.csv",
                             "acc.csv", "notes.txt", "session.json", "session.lock"})
        fs::remove(dir / name, ec);
    fs::remove(dir, ec);  // only when empty: anything else in it stays
    return !fs::exists(dir, ec);
}

bool recover_session(const fs::path& dir) {
    auto j = read_json(dir / "session.json");
    if (!fs::exists(dir / "beats.csv")) return false;
    if (j && j->value("status", std::string()) != "recording") return false;
    if (is_live_recording(dir)) return false;
    if (!j) j = nlohmann::json::object();  // lost with the crash: rebuilt from the files
    nlohmann::json repaired = nlohmann::json::object();
    for (const char* f : kDataFiles)
        if (fs::exists(dir / f))
            if (const std::size_t cut = cut_torn_line(dir / f)) repaired[f] = cut;
    const auto counts = count_beats(dir / "beats.csv");
    (*j)["status"] = "recovered";
    (*j)["recovered_at"] = iso8601_now();
    (*j)["beats"] = counts.beats;
    (*j)["torn_lines_cut_bytes"] = repaired;
    (*j)["summary"] = {{"beats", counts.beats},
                       {"artifacts", counts.artifacts},
                       {"duration_s", counts.last_t_s ? nlohmann::json(*counts.last_t_s)
                                                      : nlohmann::json(nullptr)}};
    write_file_atomically(dir / "session.json", j->dump(2) + "\n");
    std::error_code ec;
    fs::remove(dir / kLockFile, ec);
    return true;
}

std::vector<fs::path> recover_sessions(const fs::path& root) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& d : fs::directory_iterator(root, ec)) {
        if (!d.is_directory(ec)) continue;
        try {
            if (recover_session(d.path())) out.push_back(d.path());
        } catch (const std::exception&) {  // left as it is; listed as unfinished
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

namespace {
std::string client_key(const std::string& label) {
    const auto a = label.find_first_not_of(" \t");
    if (a == std::string::npos) return {};
    const auto b = label.find_last_not_of(" \t");
    std::string key = label.substr(a, b - a + 1);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}
}  // namespace

bool same_client(const std::string& label_a, const std::string& label_b) {
    const std::string a = client_key(label_a);
    return !a.empty() && a == client_key(label_b);
}

std::vector<ClientGroup> group_by_client(const std::vector<SessionEntry>& entries) {
    std::vector<ClientGroup> groups;
    std::vector<std::string> keys;  // client_key of each group ("" for no name)
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string key = client_key(entries[i].label);
        const auto at = std::find(keys.begin(), keys.end(), key);
        if (at != keys.end()) {
            groups[static_cast<std::size_t>(at - keys.begin())].visits.push_back(i);
            continue;
        }
        keys.push_back(key);
        groups.push_back({key.empty() ? std::string() : entries[i].label, {i}});
    }
    return groups;
}

std::vector<SessionEntry> client_sessions(const std::filesystem::path& root,
                                          const std::string& label) {
    std::vector<SessionEntry> out;
    for (auto& e : list_sessions(root))
        if (same_client(e.label, label)) out.push_back(std::move(e));
    std::sort(out.begin(), out.end(), [](const SessionEntry& a, const SessionEntry& b) {
        return a.start_time != b.start_time ? a.start_time < b.start_time : a.dir < b.dir;
    });
    return out;
}

}  // namespace relaxmon::session
