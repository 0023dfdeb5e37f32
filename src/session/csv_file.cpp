#include "session/csv_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "session/private_files.hpp"

namespace relaxmon::session {

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

CsvFile::CsvFile(std::filesystem::path path, std::string_view header, bool exclusive)
    : path_(std::move(path)) {
    const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
    fd_ = ::open(path_.c_str(), flags, kPrivateFileMode);
    if (fd_ < 0)
        throw std::runtime_error(
            fmt::format("cannot create {}: {}", path_.string(), std::strerror(errno)));
    ::fchmod(fd_, kPrivateFileMode);  // a client's data: 0600 whatever the umask
    if (!header.empty() && !append(header))
        throw std::runtime_error(
            fmt::format("cannot write {}: {}", path_.string(), error_.value_or("unknown error")));
}

CsvFile::~CsvFile() {
    if (fd_ >= 0) {
        retry();
        ::fdatasync(fd_);
        ::close(fd_);
    }
}

bool CsvFile::retry() {
    while (!backlog_.empty()) {
        const std::string& line = backlog_.front();
        while (front_written_ < line.size()) {
            const ssize_t n =
                ::write(fd_, line.data() + front_written_, line.size() - front_written_);
            if (n < 0) {
                if (errno == EINTR) continue;
                const int err = errno;
                if (!error_)
                    error_ = fmt::format("cannot write {}: {}", path_.string(), std::strerror(err));
                // Half a line on disk would be a torn record: take it back, and write the whole
                // line again later.
                if (front_written_ > 0) {
                    const off_t end = ::lseek(fd_, 0, SEEK_END);
                    if (end >= static_cast<off_t>(front_written_) &&
                        ::ftruncate(fd_, end - static_cast<off_t>(front_written_)) == 0)
                        front_written_ = 0;
                }
                return false;
            }
            front_written_ += static_cast<std::size_t>(n);
        }
        backlog_.pop_front();
        front_written_ = 0;
    }
    error_.reset();  // everything held back is on disk now
    return true;
}

bool CsvFile::append(std::string_view line) {
    std::string bytes;
    bytes.reserve(line.size() + 1);
    bytes.append(line).push_back('\n');
    backlog_.push_back(std::move(bytes));
    return retry();
}

void CsvFile::sync() {
    if (fd_ >= 0) ::fdatasync(fd_);
}

}  // namespace relaxmon::session
