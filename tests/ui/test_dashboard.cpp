// The dashboard rendered for real: a GLFW window with OpenGL 3.3 under Xvfb (Mesa llvmpipe),
// a few seconds of a simulated session, a PNG screenshot, and checks of what it shows.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <thread>

#include "pty_port.hpp"
#include "screenshot_image.hpp"
#include "test_support.hpp"
#include "theme.hpp"
#include "xvfb.hpp"

using namespace relaxmon::test;

TEST_CASE("the dashboard renders live heart rate, plots and tachogram", "[ui][dashboard][xvfb]") {
    TempDir tmp;
    const auto png = tmp / "dashboard.png";
    const Image img = dashboard_screenshot(
        {"--source", "sim:massage?seed=7", "--speed", "60", "--quit-after", "4"}, png);
    REQUIRE(img.w == 1280);
    REQUIRE(img.h == 800);
    using namespace relaxmon::ui::theme;

    // Left column: the heart rate in large type (HR colour), RMSSD in its colour.
    const int hr_text = img.count(0, 60, 280, 260, kDark.heart_rate);
    CHECK(hr_text > 1500);
    CHECK(img.count(0, 260, 280, 480, kDark.rmssd) > 200);
    // Right side: the heart-rate trend line, the RMSSD trend and the RR tachogram.
    CHECK(img.count(300, 80, 1280, 380, kDark.heart_rate) > 300);
    CHECK(img.count(300, 380, 1280, 580, kDark.rmssd) > 200);
    CHECK(img.count(300, 580, 1280, 800, kDark.rr) > 500);
    // Not blank: background dominates but far from everything.
    const int background = img.count(0, 0, 1280, 800, kDark.background, 3);
    CHECK(background > 1280 * 800 / 10);
    CHECK(background < 1280 * 800 * 9 / 10);
}

TEST_CASE("the dashboard shows a BLE strap through the stand-in BlueZ",
          "[ui][dashboard][xvfb][ble]") {
    const auto rr = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!rr) return;
    TempDir tmp;
    const FakeBluez fake(tmp.path(), "live:" + rr->string());  // still beating at the screenshot
    REQUIRE_FALSE(fake.address.empty());
    const auto png = tmp / "ble.png";
    const Image img = dashboard_screenshot(
        {"--source", "ble:auto", "--quit-after", "4"}, png,
        {{"DBUS_SYSTEM_BUS_ADDRESS", fake.address}, {"XDG_STATE_HOME", (tmp / "state").string()}});
    using namespace relaxmon::ui::theme;
    // Connected (green dot at the top left), and the strap's heart rate in large type.
    CHECK(img.count(0, 0, 40, 40, kDark.good) > 20);
    CHECK(img.count(0, 60, 280, 260, kDark.heart_rate) > 1500);
    CHECK(img.count(300, 580, 1280, 800, kDark.rr) > 200);  // the tachogram of its beats
}

TEST_CASE("keys drive the dashboard: a marker (M) is recorded, the library (L) replays a session",
          "[ui][dashboard][xvfb][library]") {
    REQUIRE(std::filesystem::exists("/usr/bin/xdotool"));  // scripts/debian-packages.txt has it
    TempDir tmp;
    const std::string data = (tmp / "data").string();
    // A recorded session in the library.
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:artifacts?seed=4",
                         "--duration", "20m", "--speed", "max", "--label", "Replay me"},
                        {{"XDG_DATA_HOME", data}})
                .status == 0);
    const auto png = tmp / "replay.png";
    // The live dashboard records; M adds a marker, L opens the library, Enter replays the newest
    // session there (the one above: the live recording is still running, so it is not listed
    // until it ends; it is the second entry).
    const std::string script =
        "\"$0\" dashboard --source 'sim:rest?seed=3' --speed 20 --record --quit-after 10 "
        "--screenshot \"$1\" & pid=$!\n"
        "win=$(xdotool search --sync --name '^relaxmon$' | head -1)\n"
        "sleep 2; xdotool key --window $win m\n"
        "sleep 1; xdotool key --window $win l\n"
        "sleep 1; xdotool key --window $win Down\n"
        "sleep 0.5; xdotool key --window $win Return\n"
        "wait $pid\n";
    const auto r = run_process(under_xvfb({"bash", "-c", script, relaxmon_binary(), png.string()}),
                               {{"XDG_DATA_HOME", data}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    // The live session's recording: completed when the replay replaced it, with the marker.
    std::filesystem::path live;
    for (const auto& d :
         std::filesystem::directory_iterator(tmp / "data" / "relaxmon" / "sessions"))
        if (d.path().filename().string().find("Replay") == std::string::npos) live = d.path();
    REQUIRE(!live.empty());
    bool marker = false;
    for (const auto& row : read_csv(live / "events.csv").rows) marker |= row[1] == "marker";
    CHECK(marker);
    CHECK_THAT(read_file(live / "session.json"), Catch::Contains("\"status\": \"complete\""));
    // The window now shows the replay: the orange REPLAY tag at the top left, and beats.
    const Image img = load_png(png);
    using namespace relaxmon::ui::theme;
    CHECK(img.count(0, 0, 200, 40, kDark.replay) > 150);
    CHECK(img.count(300, 80, 1280, 380, kDark.heart_rate) > 80);  // the first minute of the replay
}

TEST_CASE("the whole-session view shows a 3-hour replay with its relaxed phase",
          "[ui][dashboard][xvfb][session-view]") {
    TempDir tmp;
    record_for_replay("sim:artifacts?seed=7", "3h", tmp / "s");
    // Two markers 20 s apart at 1 hour (one pixel apart on this axis) and one at the very end.
    {
        std::ofstream events(tmp / "s" / "events.csv", std::ios::app);
        events << "3600.000,marker,neck\n3620.000,marker,shoulders\n10790.000,marker,feet\n";
    }
    const auto png = tmp / "session.png";
#ifdef RELAXMON_SANITIZED
    const char* until_replayed = "20";  // 3 hours at full speed take several times longer
#else
    const char* until_replayed = "4";
#endif
    const Image img =
        dashboard_screenshot({"--source", "file:" + (tmp / "s").string(), "--speed", "max",
                              "--view", "session", "--quit-after", until_replayed},
                             png, {{"XDG_DATA_HOME", (tmp / "data").string()}});
    using namespace relaxmon::ui::theme;
    CHECK(img.count(0, 0, 200, 40, kDark.replay) > 150);             // REPLAY (ENDED)
    CHECK(img.count(360, 140, 1260, 430, kDark.heart_rate) > 3000);  // 3 hours of heart rate
    // One continuous line: every pixel column of the plot holds it (a zig-zag of aliased
    // breathing drawn thick broke into dashes).
    int columns = 0, with_line = 0;
    for (int x = 370; x < 1250; ++x, ++columns)
        with_line += img.count(x, 150, x + 1, 430, kDark.heart_rate, 30) > 0;
    CHECK(with_line >= columns * 98 / 100);
    // Marker labels: the second a row below the first, the last left of its line, none cut.
    CHECK(img.count(640, 158, 760, 177, kDark.marker) > 30);
    CHECK(img.count(640, 178, 780, 197, kDark.marker) > 30);
    CHECK(img.count(1200, 158, 1252, 177, kDark.marker) > 20);
    // The parts of the massage (after the baseline, neck, shoulders, feet): a strip under each
    // plot, the long ones (after the baseline, shoulders) in the stronger shade.
    const ImU32 part = rgba(123, 110, 168);
    CHECK(img.count(400, 420, 640, 432, part, 12) > 240 * 3);
    CHECK(img.count(960, 420, 1240, 432, part, 12) > 280 * 3);  // right of the tooltip
    CHECK(img.count(680, 750, 1240, 764, part, 12) > 560 * 3);
    CHECK(img.count(680, 300, 1240, 410, part, 12) == 0);      // a strip, not a band over the line
    CHECK(img.count(360, 480, 1260, 770, kDark.good) > 1500);  // the relax index line
    // The relaxed phase shaded green over most of the relax-index plot's background.
    const ImU32 band = rgba(35, 60, 48);
    CHECK(img.count(400, 600, 1260, 760, band, 12) > 50000);
}

TEST_CASE("the spectrum and Poincare view (3) shows the breathing peak and the SD1/SD2 ellipse",
          "[ui][dashboard][xvfb][hrv-view]") {
    TempDir tmp;
    const auto png = tmp / "hrv.png";
    const Image img = dashboard_screenshot(
        {"--source", "sim:massage?seed=7", "--speed", "60", "--view", "hrv", "--quit-after", "8"},
        png, {{"XDG_DATA_HOME", (tmp / "data").string()}});
    using namespace relaxmon::ui::theme;
    CHECK(img.count(360, 140, 840, 760, kDark.rr) > 600);       // the spectrum's line
    CHECK(img.count(900, 140, 1260, 760, kDark.rr) > 600);      // the Poincare points
    CHECK(img.count(900, 140, 1260, 760, kDark.marker) > 150);  // the ellipse
}

TEST_CASE("the ECG view (4) draws the raw ECG with the detected R peaks",
          "[ui][dashboard][xvfb][ecg-view]") {
    TempDir tmp;
    const auto png = tmp / "ecg.png";
    const Image img = dashboard_screenshot(
        {"--source", "sim:massage?seed=7&ecg=1", "--view", "ecg", "--quit-after", "6"}, png,
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    using namespace relaxmon::ui::theme;
    CHECK(img.count(360, 140, 1260, 760, kDark.heart_rate) > 1500);  // the trace
    CHECK(img.count(360, 140, 1260, 760, kDark.breathing) > 200);    // R-peak markers
}

TEST_CASE("the device panel (D) switches the source, the recording goes on in a new folder",
          "[ui][dashboard][xvfb][sources]") {
    REQUIRE(std::filesystem::exists("/usr/bin/xdotool"));
    TempDir tmp;
    const std::string script =
        // Generous pauses: under a loaded CI machine a frame can take a while, and a key sent
        // before the panel it is meant for is open goes elsewhere.
        "\"$0\" dashboard --source 'sim:rest?seed=3' --speed 20 --record --quit-after 16 & pid=$!\n"
        "win=$(xdotool search --sync --name '^relaxmon$' | head -1)\n"
        "sleep 3; xdotool key --window $win n; sleep 1; xdotool key --window $win Tab\n"
        "xdotool type --window $win --delay 30 'Left knee sore'; sleep 0.5\n"
        "xdotool key --window $win Escape; sleep 1; xdotool key --window $win d\n"
        "sleep 2; xdotool key --window $win Return\n"
        "wait $pid\n";
    const auto r = run_process(under_xvfb({"bash", "-c", script, relaxmon_binary()}),
                               {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    std::vector<std::string> sources;
    for (const auto& d :
         std::filesystem::directory_iterator(tmp / "data" / "relaxmon" / "sessions")) {
        const auto json = read_file(d.path() / "session.json");
        CHECK_THAT(json, Catch::Contains("\"status\": \"complete\""));
        // The notes typed just before the switch: in the old recording and carried to the new.
        CHECK(read_file(d.path() / "notes.txt") == "Left knee sore");
        const auto at = json.find("\"source\": \"");
        REQUIRE(at != std::string::npos);
        sources.push_back(json.substr(at + 11, json.find('"', at + 11) - at - 11));
    }
    std::sort(sources.begin(), sources.end());
    // The simulated strap the panel offers first (massage at real time), after the first one.
    CHECK(sources == std::vector<std::string>{"sim:massage", "sim:rest?seed=3"});
}

TEST_CASE("the dashboard scales with the content scale (--scale 1.5): a larger window, larger type",
          "[ui][dashboard][xvfb][scale]") {
    TempDir tmp;
    const auto png = tmp / "scaled.png";
    const auto r = run_process(
        under_xvfb({relaxmon_binary(), "dashboard", "--source", "sim:massage?seed=7", "--speed",
                    "60", "--scale", "1.5", "--screenshot", png.string(), "--quit-after", "4"},
                   "2000x1300x24"),
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(png);
    CHECK(img.w == 1920);
    CHECK(img.h == 1200);
    using namespace relaxmon::ui::theme;
    // The heart rate's digits, 1.5 times as tall and wide as at scale 1 (> 1500 pixels there).
    CHECK(img.count(0, 90, 420, 390, kDark.heart_rate) > 3000);
    CHECK(img.count(450, 580, 1920, 1200, kDark.rr) > 700);  // the tachogram fills its place
}

TEST_CASE("Space pauses a replay: the tag says so", "[ui][dashboard][xvfb][playback]") {
    REQUIRE(std::filesystem::exists("/usr/bin/xdotool"));
    TempDir tmp;
    record_for_replay("sim:massage?seed=2", "20m", tmp / "s");
    const auto png = tmp / "paused.png";
    const std::string script =
        "\"$0\" dashboard --source \"file:$1\" --speed 10 --quit-after 6 --screenshot \"$2\" & "
        "pid=$!\n"
        "win=$(xdotool search --sync --name '^relaxmon$' | head -1)\n"
        "sleep 2; xdotool key --window $win space\n"
        "wait $pid\n";
    const auto r = run_process(
        under_xvfb({"bash", "-c", script, relaxmon_binary(), (tmp / "s").string(), png.string()}),
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(png);
    using namespace relaxmon::ui::theme;
    CHECK(img.count(0, 0, 300, 40, kDark.warn) > 150);  // "REPLAY PAUSED" on amber
    CHECK(img.count(0, 0, 300, 40, kDark.replay, 10) < 50);
}

TEST_CASE("SIGTERM ends a dashboard recording cleanly", "[ui][dashboard][xvfb][signal]") {
    TempDir tmp;
    // A logout or `kill` while recording: the window closes as its close button does.
    const std::string script =
        "\"$0\" dashboard --source 'sim:massage?seed=4' --speed 20 --record & pid=$!\n"
        "sleep 4; kill -TERM $pid; wait $pid; echo \"exit $?\"\n";
    const auto r = run_process(under_xvfb({"bash", "-c", script, relaxmon_binary()}),
                               {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.out << r.err);
    CHECK_THAT(r.out, Catch::Contains("exit 0"));
    std::size_t sessions = 0;
    for (const auto& d :
         std::filesystem::directory_iterator(tmp / "data" / "relaxmon" / "sessions")) {
        ++sessions;
        CHECK_THAT(read_file(d.path() / "session.json"),
                   Catch::Contains("\"status\": \"complete\""));
        CHECK(read_lines(d.path() / "beats.csv").size() > 10);
    }
    CHECK(sessions == 1);
}

TEST_CASE("the pacer keeps moving after a replay ends", "[ui][dashboard][xvfb][pacer]") {
    TempDir tmp;
    record_for_replay("sim:massage?seed=2", "2m", tmp / "s");
    // The replay ends within a second; the pacer (on from the start) must still be drawn at
    // its ~12 frames a second, not the 1 a second of a finished session.
    const auto r = run_process(
        under_xvfb({relaxmon_binary(), "dashboard", "--source", "file:" + (tmp / "s").string(),
                    "--speed", "max", "--pacer", "6", "--quit-after", "5", "--frame-stats"}),
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto at = r.out.find("frames ");
    REQUIRE(at != std::string::npos);
#ifdef RELAXMON_SANITIZED
    CHECK(std::stoi(r.out.substr(at + 7)) >= 12);  // far more than the 1 a second of a still screen
#else
    CHECK(std::stoi(r.out.substr(at + 7)) >= 30);
#endif
}

TEST_CASE("between whole frames only the pacer is drawn, and the rest of the picture holds",
          "[ui][dashboard][xvfb][pacer]") {
    // A replay that ends at once, so nothing but the pacer moves: drawn in part (the pacer's
    // rectangle alone, shown with GLX_MESA_copy_sub_buffer) and drawn whole every frame
    // (RELAXMON_WHOLE_FRAMES=1), the two pictures differ only where the pacer is.
    TempDir tmp;
    record_for_replay("sim:massage?seed=2", "2m", tmp / "s");
    const std::vector<std::string> args{"dashboard",
                                        "--source",
                                        "file:" + (tmp / "s").string(),
                                        "--speed",
                                        "max",
                                        "--pacer",
                                        "6",
                                        "--quit-after",
                                        "3",
                                        "--frame-stats"};
    // The two at once (each its own Xvfb): the runs mostly wait.
    auto start = [&](const char* name, bool whole) {
        std::vector<std::string> argv = under_xvfb({relaxmon_binary()});
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--screenshot", (tmp / name).string()});
        std::map<std::string, std::optional<std::string>> env{
            {"XDG_DATA_HOME", (tmp / (std::string("data-") + name)).string()}};
        if (whole) env["RELAXMON_WHOLE_FRAMES"] = "1";
        return std::async(std::launch::async, [argv, env] { return run_process(argv, env); });
    };
    auto part_run = start("part.png", false), whole_run = start("whole.png", true);
    auto finish = [&](std::future<ProcessResult>& f, const char* name) {
        const auto r = f.get();
        INFO(r.out << r.err);
        REQUIRE(r.status == 0);
        const auto at = r.out.find("; ");
        REQUIRE(at != std::string::npos);
        return std::pair{std::stoi(r.out.substr(at + 2)), load_png(tmp / name)};
    };
    const auto [part_frames, part] = finish(part_run, "part.png");
    const auto [whole_frames, whole] = finish(whole_run, "whole.png");
#ifdef RELAXMON_SANITIZED
    CHECK(part_frames >= 5);  // a sanitizer slows every frame several times
#else
    CHECK(part_frames >= 15);  // ~12 frames/s for 3 s, whole ones only at the start
#endif
    CHECK(whole_frames == 0);
    REQUIRE(part.w == whole.w);
    REQUIRE(part.h == whole.h);
    int x0 = part.w, y0 = part.h, x1 = -1, y1 = -1;
    for (int y = 0; y < part.h; ++y)
        for (int x = 0; x < part.w; ++x) {
            const std::size_t i = (static_cast<std::size_t>(y) * part.w + x) * 3;
            if (std::abs(part.rgb[i] - whole.rgb[i]) +
                    std::abs(part.rgb[i + 1] - whole.rgb[i + 1]) +
                    std::abs(part.rgb[i + 2] - whole.rgb[i + 2]) <=
                6)
                continue;
            x0 = std::min(x0, x);
            y0 = std::min(y0, y);
            x1 = std::max(x1, x);
            y1 = std::max(y1, y);
        }
    INFO("pixels differ within x " << x0 << "-" << x1 << ", y " << y0 << "-" << y1);
    // Only the pacer moved (its disc and "breathe in/out"), in the left column.
    CHECK(x1 < 360);
    CHECK(x1 - x0 < 300);
    CHECK(y1 - y0 < 130);
    // And it was drawn: the breathing colour's disc is there in the partly drawn picture.
    const ImU32 breathing = relaxmon::ui::theme::kDark.breathing;
    CHECK(part.count(0, 0, 360, part.h, breathing) > 50);
}

TEST_CASE("a strap that falls silent shows at once: an amber dot, dimmed numbers",
          "[ui][dashboard][xvfb][signal]") {
    // A serial RR board through a real pseudo-terminal: beats for 4 s, then nothing. The
    // screenshot comes ~5 s into the silence: within 3 s the dot turns amber (red after 10 s)
    // and the big numbers dim, their caption counting the seconds.
    TempDir tmp;
    PtyPort port(tmp / "ttyACM0");
    std::thread board([&port] {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
        while (std::chrono::steady_clock::now() < until) {
            port.write("800\n");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    const auto png = tmp / "silent.png";
    Image img;
    try {
        img = dashboard_screenshot(
            {"--source", "serial:" + port.link().string() + "?protocol=rr", "--quit-after", "8"},
            png, {{"XDG_DATA_HOME", (tmp / "data").string()}});
    } catch (...) {
        board.join();
        throw;
    }
    board.join();
    using namespace relaxmon::ui::theme;
    INFO("dot: amber " << img.count(0, 0, 40, 40, kDark.warn) << ", green "
                       << img.count(0, 0, 40, 40, kDark.good) << ", red "
                       << img.count(0, 0, 40, 40, kDark.bad));
    CHECK(img.count(0, 0, 40, 40, kDark.warn) > 20);
    CHECK(img.count(0, 0, 40, 40, kDark.good) == 0);
    // The heart rate (75 bpm) is still there, in the dimmed colour, not the live one.
    CHECK(img.count(0, 60, 280, 260, kDark.heart_rate) < 50);
    CHECK(img.count(0, 100, 280, 260, kDark.text_dim) > 800);
}

TEST_CASE("a heart rate that climbs reads 'alert', in amber, never red", "[ui][dashboard][xvfb]") {
    // The stress scenario: heart rate up 8-18 bpm from 5 minutes on. The state the files call
    // `aroused` is "alert" on a massage-room screen, in the palette's amber.
    TempDir tmp;
    const auto png = tmp / "alert.png";
    const Image img =
        dashboard_screenshot({"--source", "sim:stress?seed=3", "--speed", "100", "--quit-after",
                              "9", "--state-out", (tmp / "state.json").string()},
                             png);
    using namespace relaxmon::ui::theme;
    // The relax index's row (number and word) in the left column.
    INFO("amber " << img.count(0, 300, 280, 370, kDark.warn) << ", red "
                  << img.count(0, 300, 280, 370, kDark.bad));
    CHECK(img.count(0, 300, 280, 370, kDark.warn) > 300);
    CHECK(img.count(0, 300, 280, 370, kDark.bad) < 20);
}
