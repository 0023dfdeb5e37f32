#pragma once
// A client's health data stays theirs: on a shared clinic computer other local accounts must not
// read a client's name, notes or heart. Session folders (and the sessions folder relaxmon makes)
// are created 0700 and every file in them 0600, whatever the umask; `sessions` tightens folders
// an older relaxmon left readable.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <system_error>

namespace relaxmon::session {

inline constexpr mode_t kPrivateDirMode = 0700, kPrivateFileMode = 0600;

// Creates `dir` and any missing parents, each 0700 (what exists already is left alone, but `dir`
// itself is made 0700).
void create_private_directories(const std::filesystem::path& dir, std::error_code& ec);

// Makes the sessions folder, each session folder in it and their files private; returns how many
// folders (the sessions folder included) were readable by others before.
std::size_t make_sessions_private(const std::filesystem::path& root);

}  // namespace relaxmon::session
