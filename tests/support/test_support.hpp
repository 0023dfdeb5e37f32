#pragma once
// Helpers shared by the tests: the reference recordings in ../shared/data, temporary
// directories, small CSV reading, and running the relaxmon binary as a user would.
#include <sys/types.h>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relaxmon::test {

// Path of a file under the shared reference data, or nullopt (with a Catch2 WARN saying the
// test is skipped) when the folder is absent.
std::optional<std::filesystem::path> shared_data(const std::string& relative);

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);
std::vector<std::string> read_lines(const std::filesystem::path& p);
// Splits one CSV line (RFC 4180 quoting).
std::vector<std::string> split_csv(const std::string& line);

// A CSV file as columns of text by header name.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<double> numbers(const std::string& column) const;  // throws if absent
};
CsvTable read_csv(const std::filesystem::path& p);

// One interval per line (ms) or a CSV with an rr_ms column.
std::vector<double> read_rr_ms(const std::filesystem::path& p);

// Running a program: exit status (or 128+signal), and what it printed.
struct ProcessResult {
    int status = -1;
    std::string out;
    std::string err;
};
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::optional<std::string>>& env = {});
// Runs a program on a pseudo-terminal (as in a user's shell); `out` is what it wrote there.
ProcessResult run_in_pty(const std::vector<std::string>& argv);
// Starts a program in the background (output to the given files); returns its pid.
pid_t spawn_process(const std::vector<std::string>& argv, const std::filesystem::path& out,
                    const std::filesystem::path& err);

// The relaxmon executable under test.
std::string relaxmon_binary();

// Waits (up to `seconds`) until `file` holds a line starting with `prefix`; returns that line.
std::string wait_line(const std::filesystem::path& file, const std::string& prefix, double seconds);
// Waits for a child; its exit status (or 128 + signal).
int wait_exit(pid_t pid);

// The stand-in BlueZ (tests/support/fake_bluez.py) on a private D-Bus for one test: started with
// an RR file (or --no-bluez) and optionally a Polar ECG CSV; ended when the object goes.
struct FakeBluez {
    FakeBluez(const std::filesystem::path& dir, const std::string& rr_or_flag,
              const std::string& ecg_csv = {});
    ~FakeBluez();
    FakeBluez(const FakeBluez&) = delete;
    FakeBluez& operator=(const FakeBluez&) = delete;
    std::filesystem::path dir;
    pid_t pid = -1;
    std::string address;  // the bus address; empty if it never came up
};

}  // namespace relaxmon::test
