#include "session/private_files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <vector>

namespace relaxmon::session {

namespace fs = std::filesystem;

void create_private_directories(const fs::path& dir, std::error_code& ec) {
    ec.clear();
    std::vector<fs::path> missing;
    for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), kPrivateDirMode) != 0 && errno != EEXIST) {
            ec = std::error_code(errno, std::generic_category());
            return;
        }
        ::chmod(it->c_str(), kPrivateDirMode);  // the umask may have taken bits off
    }
    if (::chmod(dir.c_str(), kPrivateDirMode) != 0)
        ec = std::error_code(errno, std::generic_category());
}

namespace {
// Takes the group's and others' bits off; true when there were any.
bool tighten(const fs::path& p, mode_t mode) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return false;
    if ((st.st_mode & 077) == 0) return false;
    return ::chmod(p.c_str(), mode) == 0;
}
}  // namespace

std::size_t make_sessions_private(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return 0;
    std::size_t changed = tighten(root, kPrivateDirMode);
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
        bool any = tighten(entry.path(), kPrivateDirMode);
        for (const auto& file : fs::directory_iterator(entry.path(), ec))
            if (file.is_regular_file(ec)) any = tighten(file.path(), kPrivateFileMode) || any;
        changed += any;
    }
    return changed;
}

}  // namespace relaxmon::session
