#include "session/wav_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "session/recorder.hpp"

namespace relaxmon::session {

namespace {
void put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u16(unsigned char* p, std::uint16_t v) {
    p[0] = static_cast<unsigned char>(v);
    p[1] = static_cast<unsigned char>(v >> 8);
}
// The canonical 44-byte header: RIFF, fmt (PCM, mono, 16 bits), data.
std::array<unsigned char, 44> header(int rate_hz, std::uint64_t samples) {
    std::array<unsigned char, 44> h{};
    const auto data_bytes =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(samples * 2, 0xFFFFFFDBu));
    std::memcpy(h.data(), "RIFF", 4);
    put_u32(h.data() + 4, 36 + data_bytes);
    std::memcpy(h.data() + 8, "WAVEfmt ", 8);
    put_u32(h.data() + 16, 16);
    put_u16(h.data() + 20, 1);  // PCM
    put_u16(h.data() + 22, 1);  // mono
    put_u32(h.data() + 24, static_cast<std::uint32_t>(rate_hz));
    put_u32(h.data() + 28, static_cast<std::uint32_t>(rate_hz) * 2);
    put_u16(h.data() + 32, 2);
    put_u16(h.data() + 34, 16);
    std::memcpy(h.data() + 36, "data", 4);
    put_u32(h.data() + 40, data_bytes);
    return h;
}
}  // namespace

WavFile::WavFile(const std::filesystem::path& path, int sample_rate_hz)
    : path_(path), rate_hz_(sample_rate_hz) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_)
        throw RecordError(
            fmt::format("cannot write the audio to {}: {}", path.string(), std::strerror(errno)));
    const auto h = header(rate_hz_, 0);
    if (std::fwrite(h.data(), 1, h.size(), file_) != h.size())
        error_ = fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno));
}

WavFile::~WavFile() {
    close();
}

void WavFile::write(std::span<const float> samples) {
    if (!file_ || error_) return;
    std::vector<unsigned char> bytes(samples.size() * 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto v = static_cast<std::int16_t>(
            std::lround(std::clamp(static_cast<double>(samples[i]), -1.0, 1.0) * 32767.0));
        put_u16(bytes.data() + 2 * i, static_cast<std::uint16_t>(v));
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
        error_ = fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno));
        return;
    }
    samples_ += samples.size();
    since_header_ += samples.size();
    if (since_header_ >= static_cast<std::uint64_t>(rate_hz_)) update_header();
}

void WavFile::update_header() {
    since_header_ = 0;
    const long end = std::ftell(file_);
    const auto h = header(rate_hz_, samples_);
    if (std::fseek(file_, 0, SEEK_SET) != 0 ||
        std::fwrite(h.data(), 1, h.size(), file_) != h.size() ||
        std::fseek(file_, end, SEEK_SET) != 0 || std::fflush(file_) != 0)
        error_ = fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno));
}

void WavFile::close() {
    if (!file_) return;
    if (!error_) update_header();
    if (std::fclose(file_) != 0 && !error_)
        error_ = fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno));
    file_ = nullptr;
}

}  // namespace relaxmon::session
