#pragma once
// A pseudo-terminal standing in for a USB serial port: the device under simulation writes to and
// reads from the master side; relaxmon opens `link` (a symlink to the slave, as a
// /dev/serial/by-id name is), which `unplug()` removes with the pty and `replug()` points at a
// fresh one. Both ends are raw (no echo, no CR/LF translation) and close-on-exec, so a spawned
// relaxmon holds only what it opens itself.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace relaxmon::test {

class PtyPort {
  public:
    explicit PtyPort(std::filesystem::path link);
    ~PtyPort();
    PtyPort(const PtyPort&) = delete;
    PtyPort& operator=(const PtyPort&) = delete;

    const std::filesystem::path& link() const { return link_; }
    void write(std::span<const std::uint8_t> bytes);
    void write(const std::string& text);
    // Bytes relaxmon wrote, waiting up to `seconds` for the first of them.
    std::vector<std::uint8_t> read(double seconds);
    void unplug();
    void replug();

  private:
    void open_pair();
    std::filesystem::path link_;
    int master_ = -1, slave_ = -1;
};

}  // namespace relaxmon::test
