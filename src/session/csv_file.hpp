#pragma once
// CsvFile: an append-only text file in which every line is handed to the kernel with one
// write(2) as soon as it is added, so a crash (even kill -9) loses no complete line. Lines that
// cannot be written (disk full, I/O error) are kept in order and retried before the next line;
// the first failure is reported once through error().
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace relaxmon::session {

// One field quoted as RFC 4180 requires (only when it holds a comma, quote or line break).
std::string csv_field(std::string_view text);

class CsvFile {
  public:
    // Creates the file (it must not exist yet when `exclusive`) and writes the header line, if any.
    // Throws std::runtime_error naming the file when it cannot be created.
    CsvFile(std::filesystem::path path, std::string_view header, bool exclusive = true);
    ~CsvFile();
    CsvFile(const CsvFile&) = delete;
    CsvFile& operator=(const CsvFile&) = delete;

    // Appends one line (without its newline). A line that cannot be written (disk full) is held
    // in memory, in order, and written by a later append() or retry() once there is room again;
    // returns false while lines are being held back.
    bool append(std::string_view line);
    // Retries held-back lines; true when everything is written.
    bool retry();
    // Forces written data to the device (power-loss safety); cheap to call rarely.
    void sync();

    std::size_t pending_lines() const { return backlog_.size(); }
    // Why lines are being held back; empty once they are all written.
    const std::optional<std::string>& error() const { return error_; }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::deque<std::string> backlog_;  // lines not yet fully written, in order
    std::size_t front_written_ = 0;    // bytes of backlog_.front() already written
    std::optional<std::string> error_;
};

}  // namespace relaxmon::session
