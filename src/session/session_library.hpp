#pragma once
// The session library: the recordings under a sessions folder (default
// $XDG_DATA_HOME/relaxmon/sessions), each summarised from its session.json and files, and the
// recovery of recordings a crash or power loss left unfinished: a session whose session.json
// still says "recording" while no process holds its session.lock gets its torn last lines cut
// (every complete line is kept), its counts taken from the files, and session.json completed
// with status "recovered".
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace relaxmon::session {

struct SessionEntry {
    std::filesystem::path dir;
    std::string status;  // complete | incomplete | recovered | recording (live) | unreadable
    std::string start_time, label, source, device_name;
    std::optional<double> duration_s;
    std::size_t beats = 0, artifacts = 0;
    std::optional<double> onset_s;  // first relaxation onset, from the start of the recording
    double time_relaxed_s = 0.0;
};

// Newest first. Folders without session.json or beats.csv are not sessions and are skipped.
std::vector<SessionEntry> list_sessions(const std::filesystem::path& root);
SessionEntry read_session_entry(const std::filesystem::path& dir);

// One client's visits: sessions whose labels are the same, case and surrounding spaces aside (an
// empty label is nobody's). Oldest first.
bool same_client(const std::string& label_a, const std::string& label_b);
std::vector<SessionEntry> client_sessions(const std::filesystem::path& root,
                                          const std::string& label);

// The library by client: one group per client (same_client), sessions without a name together;
// the group seen most recently first, and in each its visits as `entries` has them (newest first
// from list_sessions). `name` is the label of the group's first visit, empty for no name.
struct ClientGroup {
    std::string name;
    std::vector<std::size_t> visits;  // indices into the entries
};
std::vector<ClientGroup> group_by_client(const std::vector<SessionEntry>& entries);

// True while the recording process holds the folder's lock.
bool is_live_recording(const std::filesystem::path& dir);
// Completes one unfinished session; false when it was finished or is still live. Throws
// std::runtime_error naming the file when it cannot be repaired (e.g. read-only).
bool recover_session(const std::filesystem::path& dir);
// Removes a finished session folder that holds no beat (a source that never started): the files a
// recording creates, then the folder if nothing else is in it. False when it holds beats.
bool discard_if_empty(const std::filesystem::path& dir);
// Every unfinished session under root; returns those recovered (errors are skipped: a folder
// that cannot be repaired is still listed, as "recording").
std::vector<std::filesystem::path> recover_sessions(const std::filesystem::path& root);

}  // namespace relaxmon::session
