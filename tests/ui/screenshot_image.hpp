#pragma once
// A dashboard screenshot (PNG) read back for checks: how many pixels in a rectangle are near a
// colour of the palette; and the dashboard run under Xvfb to take one.
#include <stb/stb_image.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "theme.hpp"
#include "xvfb.hpp"

namespace relaxmon::test {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    bool near(int x, int y, ImU32 color, int tol = 24) const {
        const unsigned char* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
        const int r = color & 0xff, g = (color >> 8) & 0xff, b = (color >> 16) & 0xff;
        return std::abs(p[0] - r) <= tol && std::abs(p[1] - g) <= tol && std::abs(p[2] - b) <= tol;
    }
    int count(int x0, int y0, int x1, int y1, ImU32 color, int tol = 24) const {
        int n = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) n += near(x, y, color, tol);
        return n;
    }
};

inline Image load_png(const std::filesystem::path& p) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(p.c_str(), &img.w, &img.h, &channels, 3);
    REQUIRE(data);
    img.rgb.assign(data, data + static_cast<std::size_t>(img.w) * img.h * 3);
    stbi_image_free(data);
    return img;
}

// A session for the dashboard to replay: `relaxmon record --source SOURCE --duration DURATION
// --speed max --out OUT`.
inline void record_for_replay(const std::string& source, const std::string& duration,
                              const std::filesystem::path& out) {
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", source, "--duration", duration,
                         "--speed", "max", "--out", out.string()})
                .status == 0);
}

// `relaxmon dashboard ARGS --screenshot PNG` under Xvfb at 1280x800; the screenshot once it has
// exited cleanly.
inline Image dashboard_screenshot(
    std::vector<std::string> args, const std::filesystem::path& png,
    const std::map<std::string, std::optional<std::string>>& env = {}) {
    std::vector<std::string> argv = under_xvfb({relaxmon_binary(), "dashboard"});
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--screenshot", png.string()});
    // Live sessions are recorded from their first beat: into the test's folder, never the
    // library of whoever runs the tests.
    auto with_data = env;
    if (!with_data.count("XDG_DATA_HOME"))
        with_data["XDG_DATA_HOME"] = (png.parent_path() / "data").string();
    const auto r = run_process(argv, with_data);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return load_png(png);
}

}  // namespace relaxmon::test
