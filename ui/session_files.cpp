#include "session_files.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <fmt/format.h>
#include <chrono>
#include <cstring>
#include <thread>

#include "report/session_report.hpp"
#include "session/recorder.hpp"

extern char** environ;

namespace relaxmon::ui {

namespace fs = std::filesystem;

std::optional<fs::path> session_folder(const session::Snapshot& s) {
    if (!s.recording_dir.empty()) return fs::path(s.recording_dir);
    if (s.replay && s.source.rfind("file:", 0) == 0) {
        fs::path p = s.source.substr(5, s.source.find('?') - 5);
        std::error_code ec;
        if (fs::is_directory(p, ec)) return p;
    }
    return std::nullopt;
}

std::future<std::string> export_report(const fs::path& dir, std::string version) {
    return std::async(std::launch::async, [dir, version = std::move(version)] {
        try {
            const std::string html = report::render_session_report(dir, version);
            const fs::path out = dir / "report.html";
            session::write_file_atomically(out, html);
            return fmt::format("Report written: {}", out.string());
        } catch (const std::exception& e) {
            return fmt::format("No report: {}", e.what());
        }
    });
}

std::future<std::string> open_folder(const fs::path& dir) {
    return std::async(std::launch::async, [path = dir.string()]() -> std::string {
        char program[] = "xdg-open";
        char* argv[] = {program, const_cast<char*>(path.c_str()), nullptr};
        pid_t pid = 0;
        if (const int err = ::posix_spawnp(&pid, program, nullptr, nullptr, argv, environ);
            err != 0)
            return fmt::format("Cannot open the folder ({}: {}; install xdg-utils): {}", program,
                               std::strerror(err), path);
        // xdg-open says within a moment whether it found a program for folders; a file manager
        // it became may then stay open for hours (reaped in the background).
        for (int i = 0; i < 40; ++i) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                    return fmt::format("Opened {}", path);
                return fmt::format(
                    "Cannot open the folder: xdg-open found no program for folders (status {}); "
                    "install a file manager, or open it yourself: {}",
                    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), path);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::thread([pid] {
            int status = 0;
            ::waitpid(pid, &status, 0);
        }).detach();
        return fmt::format("Opened {}", path);
    });
}

}  // namespace relaxmon::ui
