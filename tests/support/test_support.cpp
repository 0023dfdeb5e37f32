#include "test_support.hpp"

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace relaxmon::test {

namespace fs = std::filesystem;

std::optional<fs::path> shared_data(const std::string& relative) {
    fs::path root = RELAXMON_SHARED_DATA;
    if (const char* env = std::getenv("RELAXMON_SHARED_DATA"); env && *env) root = env;
    const fs::path p = root / relative;
    if (!fs::exists(p)) {
        WARN("skipped: reference data " << p.string()
                                        << " is absent (expected ../shared/data beside the repo)");
        return std::nullopt;
    }
    return p;
}

TempDir::TempDir() {
    std::random_device rd;
    for (;;) {
        path_ = fs::temp_directory_path() / ("relaxmon-test-" + std::to_string(rd()));
        if (fs::create_directory(path_)) break;
    }
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> read_lines(const fs::path& p) {
    std::vector<std::string> lines;
    std::istringstream in(read_file(p));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

CsvTable read_csv(const fs::path& p) {
    CsvTable t;
    const auto lines = read_lines(p);
    if (lines.empty()) return t;
    t.header = split_csv(lines[0]);
    for (std::size_t i = 1; i < lines.size(); ++i) t.rows.push_back(split_csv(lines[i]));
    return t;
}

std::vector<double> CsvTable::numbers(const std::string& column) const {
    std::size_t col = header.size();
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == column) col = i;
    if (col == header.size()) throw std::runtime_error("no column " + column);
    std::vector<double> out;
    for (const auto& r : rows)
        out.push_back(col < r.size() && !r[col].empty() ? std::stod(r[col]) : NAN);
    return out;
}

std::vector<double> read_rr_ms(const fs::path& p) {
    const auto lines = read_lines(p);
    if (!lines.empty() && lines[0].find("rr_ms") != std::string::npos)
        return read_csv(p).numbers("rr_ms");
    std::vector<double> rr;
    for (const auto& l : lines)
        if (!l.empty()) rr.push_back(std::stod(l));
    return rr;
}

namespace {
std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> v;
    for (const auto& a : argv) v.push_back(const_cast<char*>(a.c_str()));
    v.push_back(nullptr);
    return v;
}

pid_t start(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err,
            const std::map<std::string, std::optional<std::string>>& env) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int in_fd = ::open("/dev/null", O_RDONLY);
        const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(in_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        for (const auto& [key, value] : env) {
            if (value)
                ::setenv(key.c_str(), value->c_str(), 1);
            else
                ::unsetenv(key.c_str());
        }
        auto args = c_argv(argv);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}
}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::optional<std::string>>& env) {
    TempDir tmp;
    const pid_t pid = start(argv, tmp / "out", tmp / "err", env);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    ProcessResult r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    r.out = read_file(tmp / "out");
    r.err = read_file(tmp / "err");
    return r;
}

ProcessResult run_in_pty(const std::vector<std::string>& argv) {
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) throw std::runtime_error("forkpty failed");
    if (pid == 0) {
        auto args = c_argv(argv);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    ProcessResult r;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0)
            r.out.append(buf, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;  // EIO once the child has closed the terminal
    }
    ::close(master);
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    return r;
}

pid_t spawn_process(const std::vector<std::string>& argv, const fs::path& out,
                    const fs::path& err) {
    return start(argv, out, err, {});
}

std::string relaxmon_binary() {
    return RELAXMON_BINARY;
}

std::string wait_line(const fs::path& file, const std::string& prefix, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
        if (fs::exists(file))
            for (const auto& l : read_lines(file))
                if (l.rfind(prefix, 0) == 0) return l;
        ::usleep(20000);
    }
    return {};
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

FakeBluez::FakeBluez(const fs::path& d, const std::string& rr_or_flag, const std::string& ecg_csv)
    : dir(d) {
    std::vector<std::string> argv{"/usr/bin/python3",
                                  RELAXMON_SOURCE_DIR "/tests/support/fake_bluez.py", rr_or_flag,
                                  (dir / "sent.txt").string()};
    if (!ecg_csv.empty()) argv.push_back(ecg_csv);
    pid = spawn_process(argv, dir / "fake.out", dir / "fake.err");
    const std::string line = wait_line(dir / "fake.out", "ADDRESS ", 20.0);
    if (!line.empty()) address = line.substr(8);
}

FakeBluez::~FakeBluez() {
    std::ofstream(dir / "sent.txt.stop") << "";
    wait_exit(pid);
}

}  // namespace relaxmon::test
