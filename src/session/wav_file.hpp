#pragma once
// WavFile: 16-bit PCM mono WAV, written as samples come. The header's sizes are brought up to
// date every second of audio and at the end, so a file cut short by a crash still plays to where
// it was. Opening throws RecordError (one line); a write that fails later keeps its reason in
// error() and the rest is dropped (audio is a companion of the session, never its stopper).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

namespace relaxmon::session {

class WavFile {
  public:
    WavFile(const std::filesystem::path& path, int sample_rate_hz);
    ~WavFile();
    WavFile(const WavFile&) = delete;
    WavFile& operator=(const WavFile&) = delete;

    void write(std::span<const float> samples);  // -1..1, clipped
    void close();
    const std::optional<std::string>& error() const { return error_; }
    std::uint64_t samples() const { return samples_; }

  private:
    void update_header();
    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int rate_hz_;
    std::uint64_t samples_ = 0, since_header_ = 0;
    std::optional<std::string> error_;
};

}  // namespace relaxmon::session
