// The dashboard driven like a person would, under Xvfb with xdotool: the replay slider, the
// session panel, the device panel's Disconnect and Connect, the light theme. Each checks the
// files the session wrote, the state the dashboard ended in (--state-out) and the screenshot.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "screenshot_image.hpp"
#include "sound_envelope.hpp"
#include "test_support.hpp"
#include "theme.hpp"
#include "xdotool_drive.hpp"
#include "xvfb.hpp"

using namespace relaxmon::test;
using relaxmon::ui::theme::kDark;
using relaxmon::ui::theme::kLight;

TEST_CASE("the replay slider jumps ahead (a click) and back (Left), paused where it lands",
          "[ui][dashboard][xvfb][replay-slider]") {
    TempDir tmp;
    record_for_replay("sim:massage?seed=2", "20m", tmp / "s");
    // Paused (Space), a click at 87% of the slider, a minute back (Left), the light theme (T).
    const std::string script = kStart +
                               "sleep 2; xdotool key --window $win space\n"
                               "sleep 0.5; xdotool mousemove --window $win 1000 62 click 1\n"
                               "sleep 1; xdotool key --window $win Left\n"
                               "sleep 1; xdotool key --window $win t\n"
                               "wait $pid\n";
    const auto r = drive(
        script,
        {"--source", "file:" + (tmp / "s").string(), "--speed", "10", "--quit-after", "7",
         "--screenshot", (tmp / "shot.png").string(), "--state-out", (tmp / "state.json").string()},
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto state = read_json(tmp / "state.json");
    INFO(state.dump());
    CHECK(state["replay"] == true);
    CHECK(state["paused"] == true);
    CHECK(state["finished"] == false);
    CHECK(state["theme"] == "light");
    // 10x for 2 s would be 20 s in; the click went to ~87% of 20 min, Left a minute back.
    const double t_s = state["t_s"];
    CHECK(t_s > 880.0);
    CHECK(t_s < 1080.0);
    // Every beat up to there went through the pipeline, none twice.
    std::size_t beats_until = 0;
    for (const auto& row : read_csv(tmp / "s" / "beats.csv").rows)
        beats_until += std::stod(row[0]) <= t_s + 1e-9;
    CHECK(state["beats"] == beats_until);
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(0, 0, 1280, 800, kLight.background, 3) > 1280 * 800 / 5);
    CHECK(img.count(0, 0, 300, 40, kLight.warn) > 150);  // "REPLAY PAUSED"
    // The slider's grab, orange, where the replay is (the slider runs from x 330 to 1100).
    const int grab_x = 330 + static_cast<int>((1100 - 330) * t_s / 1200.0);
    CHECK(img.count(grab_x - 40, 45, grab_x + 40, 80, kLight.replay) > 60);
}

TEST_CASE("the session panel (N) names the session, keeps notes, marks, exports, opens the folder",
          "[ui][dashboard][xvfb][session-panel]") {
    TempDir tmp;
    // A stand-in for the desktop's xdg-open, noting what it was asked to open.
    std::filesystem::create_directories(tmp / "bin");
    {
        std::ofstream f(tmp / "bin" / "xdg-open");
        f << "#!/bin/sh\necho \"$@\" >> '" << (tmp / "opened.txt").string() << "'\n";
    }
    std::filesystem::permissions(tmp / "bin" / "xdg-open", std::filesystem::perms::owner_all);
    const std::string script =
        kStart +
        "sleep 2; xdotool key --window $win n\n"
        "sleep 0.5; xdotool type --window $win --delay 30 'Anna K'\n"
        "xdotool key --window $win Tab\n"
        "sleep 0.3; xdotool type --window $win --delay 30 'Tense neck, 1 2 m'\n"
        "xdotool key --window $win Tab\n"
        "sleep 0.3; xdotool type --window $win --delay 30 'oil change'\n"
        "xdotool key --window $win Return\n"
        "sleep 0.5; xdotool key --window $win ctrl+e\n"
        "sleep 1.5; xdotool key --window $win ctrl+o\n"
        "wait $pid\n";
    const char* path = std::getenv("PATH");
    const auto r = drive(
        script,
        {"--source", "sim:massage?seed=3", "--speed", "20", "--record", "--quit-after", "9",
         "--screenshot", (tmp / "shot.png").string(), "--state-out", (tmp / "state.json").string()},
        {{"XDG_DATA_HOME", (tmp / "data").string()},
         {"PATH", (tmp / "bin").string() + ":" + (path ? path : "/usr/bin")}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto state = read_json(tmp / "state.json");
    INFO(state.dump());
    const std::filesystem::path dir = state["recording_dir"].get<std::string>();
    CHECK(state["label"] == "Anna K");
    CHECK(read_json(dir / "session.json")["label"] == "Anna K");
    // The digits and the m went into the notes: no tab switch, no marker.
    CHECK(read_file(dir / "notes.txt") == "Tense neck, 1 2 m");
    std::vector<std::string> markers;
    for (const auto& row : read_csv(dir / "events.csv").rows)
        if (row[1] == "marker") markers.push_back(row[2]);
    CHECK(markers == std::vector<std::string>{"oil change"});
    // Ctrl+E: the client report in the folder, with the name; Ctrl+O: the folder opened.
    REQUIRE(std::filesystem::exists(dir / "report.html"));
    CHECK_THAT(read_file(dir / "report.html"), Catch::Contains("Anna K"));
    CHECK(read_file(tmp / "opened.txt") == dir.string() + "\n");
    // The panel on screen, with the green line saying the folder was opened.
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(200, 100, 1080, 700, kDark.panel, 3) > 300000);
    CHECK(img.count(200, 560, 1080, 700, kDark.good) > 150);
}

TEST_CASE("H lists every key, Ctrl+E and Ctrl+O and the library's among them",
          "[ui][dashboard][xvfb][help]") {
    TempDir tmp;
    const std::string script = kStart + "sleep 2; xdotool key --window $win h\nwait $pid\n";
    const auto r = drive(script,
                         {"--source", "sim:massage?seed=3", "--quit-after", "4", "--screenshot",
                          (tmp / "shot.png").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(tmp / "shot.png");
    // The overlay in the middle: 22 keys in the key colour, one row of 21 px each (1280x800,
    // scale 1); rows 9 and 10 are Ctrl+E, Ctrl+O and Up Down, Enter; rows 3-5 Ctrl+Z, R and
    // Ctrl+N.
    CHECK(img.count(340, 200, 470, 630, kDark.breathing) > 800);
    const int ctrl_row = img.count(340, 353, 470, 373, kDark.breathing);
    const int library_row = img.count(340, 375, 470, 395, kDark.breathing);
    const int next_client_row = img.count(340, 268, 470, 288, kDark.breathing);
    INFO("key pixels: Ctrl row " << ctrl_row << ", library row " << library_row
                                 << ", next client row " << next_client_row);
    CHECK(ctrl_row > 60);
    CHECK(library_row > 60);
    CHECK(next_client_row > 40);
}

TEST_CASE("Ctrl+O tells the truth when no program opens folders",
          "[ui][dashboard][xvfb][session-panel]") {
    TempDir tmp;
    // A desktop whose xdg-open finds nothing for folders (as on a bare window manager): status 3.
    std::filesystem::create_directories(tmp / "bin");
    std::ofstream(tmp / "bin" / "xdg-open")
        << "#!/bin/sh\necho 'xdg-open: no method' >&2\nexit 3\n";
    std::filesystem::permissions(tmp / "bin" / "xdg-open", std::filesystem::perms::owner_all);
    const std::string script = kStart +
                               "sleep 2; xdotool key --window $win n\n"
                               "sleep 1; xdotool key --window $win ctrl+o\n"
                               "wait $pid\n";
    const char* path = std::getenv("PATH");
    const auto r = drive(script,
                         {"--source", "sim:massage?seed=3", "--speed", "20", "--record",
                          "--quit-after", "6", "--screenshot", (tmp / "shot.png").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()},
                          {"PATH", (tmp / "bin").string() + ":" + (path ? path : "/usr/bin")}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    // The panel's last line in red (it says why and where the folder is), not the green "Opened".
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(200, 560, 1080, 700, kDark.bad) > 150);
    CHECK(img.count(200, 560, 1080, 700, kDark.good) < 50);
}

TEST_CASE("the device panel disconnects (the recording completes) and connects again",
          "[ui][dashboard][xvfb][connect]") {
    TempDir tmp;
    // D, then Disconnect (the panel's first button), D again and Connect in the same place;
    // D once more so the panel is on the screenshot.
    const std::string script = kStart +
                               "sleep 2; xdotool key --window $win d\n"
                               "sleep 0.7; xdotool mousemove --window $win 256 233 click 1\n"
                               "sleep 1; xdotool key --window $win d\n"
                               "sleep 0.7; xdotool mousemove --window $win 256 233 click 1\n"
                               "sleep 1.5; xdotool key --window $win d\n"
                               "wait $pid\n";
    const auto r = drive(
        script,
        {"--source", "sim:rest?seed=3", "--speed", "20", "--record", "--quit-after", "8",
         "--screenshot", (tmp / "shot.png").string(), "--state-out", (tmp / "state.json").string()},
        {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto state = read_json(tmp / "state.json");
    INFO(state.dump());
    // Connected again: a new session on the same source, running, recorded from its first
    // beat in a folder of its own.
    CHECK(state["source"] == "sim:rest?seed=3");
    CHECK(state["finished"] == false);
    CHECK(state["recording"] == true);
    CHECK(state["beats"].get<int>() > 5);
    // The first recording ended at Disconnect, the second when the window closed: both complete,
    // each with every beat it saw.
    std::vector<std::filesystem::path> dirs;
    for (const auto& d :
         std::filesystem::directory_iterator(tmp / "data" / "relaxmon" / "sessions"))
        dirs.push_back(d.path());
    REQUIRE(dirs.size() == 2);
    std::sort(dirs.begin(), dirs.end());
    CHECK(dirs[1].string() == state["recording_dir"].get<std::string>());
    for (const auto& dir : dirs) {
        const auto json = read_json(dir / "session.json");
        CHECK(json["status"] == "complete");
        CHECK(json["beats"].get<int>() > 5);
        CHECK(read_csv(dir / "beats.csv").rows.size() == json["beats"].get<std::size_t>());
    }
    CHECK(read_json(dirs[0] / "session.json")["beats"].get<int>() > 20);
    // The panel, with "connected" in green.
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(200, 100, 1080, 700, kDark.panel, 3) > 300000);
    CHECK(img.count(200, 190, 300, 215, kDark.good) > 40);
}

TEST_CASE("at 1280x720 everything fits, artifacts are marked by class, the relax index has a trend",
          "[ui][dashboard][xvfb][small]") {
    TempDir tmp;
    const auto png = tmp / "small.png";
    const Image img = dashboard_screenshot({"--source", "sim:artifacts?seed=4", "--speed", "60",
                                            "--size", "1280x720", "--quit-after", "10"},
                                           png, {{"XDG_DATA_HOME", (tmp / "data").string()}});
    REQUIRE(img.h == 720);
    // The last line of the left column (beats and artifacts, amber once there are some) is on
    // screen, not scrolled away.
    CHECK(img.count(0, 660, 300, 720, kDark.artifact) > 100);
    // The tachogram's legend: a mark of each class in its colour.
    CHECK(img.count(900, 535, 1260, 565, kDark.artifact) > 30);
    CHECK(img.count(900, 535, 1260, 565, kDark.bad) > 30);
    CHECK(img.count(900, 535, 1260, 565, kDark.marker) > 20);
    // The relax index's trend mark and its change per minute beside the state (green, grey or
    // amber), right of "relaxed".
    int trend_px = 0;
    for (ImU32 c : {kDark.text_dim, kDark.good, kDark.warn})
        trend_px += img.count(130, 300, 300, 345, c);
    CHECK(trend_px > 80);
}

TEST_CASE("a replayed ECG session shows its ECG strip with the recorded beats",
          "[ui][dashboard][xvfb][ecg-view]") {
    TempDir tmp;
    record_for_replay("sim:massage?seed=7&ecg=1", "5m", tmp / "s");
    const auto png = tmp / "ecg.png";
    const Image img = dashboard_screenshot({"--source", "file:" + (tmp / "s").string(), "--speed",
                                            "10", "--view", "ecg", "--quit-after", "5"},
                                           png, {{"XDG_DATA_HOME", (tmp / "data").string()}});
    CHECK(img.count(0, 0, 200, 40, kDark.replay) > 150);             // REPLAY
    CHECK(img.count(360, 140, 1260, 760, kDark.heart_rate) > 1500);  // the trace
    CHECK(img.count(360, 140, 1260, 760, kDark.breathing) > 200);    // the beats on it
}

TEST_CASE("F turns the live view's RMSSD plot into ln HF against its baseline band",
          "[ui][dashboard][xvfb][ln-hf]") {
    TempDir tmp;
    const std::string script = kStart +
                               "sleep 3; xdotool key --window $win f\n"
                               "wait $pid\n";
    const auto r = drive(script,
                         {"--source", "sim:massage?seed=7", "--speed", "100", "--quit-after", "7",
                          "--screenshot", (tmp / "shot.png").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(tmp / "shot.png");
    // The second plot holds the ln HF line (the breathing colour) and no RMSSD line; the RMSSD
    // number on the left stays.
    CHECK(img.count(360, 420, 1260, 540, kDark.breathing) > 400);
    CHECK(img.count(360, 420, 1260, 540, kDark.rmssd) < 50);
    CHECK(img.count(0, 380, 280, 460, kDark.rmssd) > 200);
}

TEST_CASE("at 1024x600 the left column shows everything, the pacer and the last line included",
          "[ui][dashboard][xvfb][small]") {
    TempDir tmp;
    const auto png = tmp / "tiny.png";
    const Image img =
        dashboard_screenshot({"--source", "sim:artifacts?seed=4", "--speed", "60", "--size",
                              "1024x600", "--pacer", "6", "--quit-after", "5"},
                             png);
    REQUIRE(img.w == 1024);
    REQUIRE(img.h == 600);
    // The pacer's disc (breathing colour) and the beats line (amber once artifacts come) in the
    // lower left, not scrolled away; the heart rate in smaller type above.
    CHECK(img.count(0, 480, 260, 600, kDark.breathing) > 150);
    CHECK(img.count(0, 560, 260, 600, kDark.artifact) > 60);
    CHECK(img.count(0, 80, 260, 200, kDark.heart_rate) > 500);
}

TEST_CASE("the window fits the screen at any scale: --scale 1.6 on 1280x800 comes down to 1.25",
          "[ui][dashboard][xvfb][scale]") {
    TempDir tmp;
    const auto r =
        run_process(under_xvfb({relaxmon_binary(), "dashboard", "--source", "sim:massage?seed=7",
                                "--speed", "60", "--scale", "1.6", "--quit-after", "4",
                                "--screenshot", (tmp / "s.png").string()}),
                    {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("--scale 1.6 does not fit this 1280x800 screen: using 1.25"));
    const Image img = load_png(tmp / "s.png");
    CHECK(img.w == 1280);
    CHECK(img.h == 800);
    // The header's last button (Session (N)) whole at the right edge: its face colour there.
    CHECK(img.count(1150, 10, 1275, 60, kDark.button, 6) > 1000);
}

TEST_CASE("the library shows a long label in full, wrapped", "[ui][dashboard][xvfb][library]") {
    TempDir tmp;
    const std::string data = (tmp / "data").string();
    const std::string label =
        "Maria Sanchez-Villanueva, shoulders and neck, second visit after the car accident";
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=1", "--duration",
                         "2m", "--speed", "max", "--label", label},
                        {{"XDG_DATA_HOME", data}})
                .status == 0);
    const std::string script = kStart + "sleep 1.5; xdotool key --window $win l\nwait $pid\n";
    const auto r = drive(
        script, {"--no-record", "--quit-after", "4", "--screenshot", (tmp / "lib.png").string()},
        {{"XDG_DATA_HOME", data}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(tmp / "lib.png");
    // The client's name above their visits (both lines), then the visit's row (selected) with
    // its label's second line below its first, in the label column.
    CHECK(img.count(290, 296, 740, 312, kDark.replay, 40) > 150);
    CHECK(img.count(290, 313, 740, 329, kDark.replay, 40) > 100);
    CHECK(img.count(290, 334, 740, 350, kDark.text, 40) > 150);
    CHECK(img.count(290, 351, 740, 367, kDark.text, 40) > 100);
}

TEST_CASE("the library by client: each client's visits together, the last seen first, G by date",
          "[ui][dashboard][xvfb][library]") {
    TempDir tmp;
    const std::string data = (tmp / "data").string();
    // Anna, Ben, Anna again (her label typed another way).
    std::vector<std::filesystem::path> dirs;
    for (const char* label : {"Anna K", "Ben", " anna k"}) {
        const auto dir =
            tmp / "data" / "relaxmon" / "sessions" / ("visit-" + std::to_string(dirs.size()));
        REQUIRE(
            run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=1", "--duration",
                         "2m", "--speed", "max", "--label", label, "--out", dir.string()},
                        {{"XDG_DATA_HOME", data}})
                .status == 0);
        dirs.push_back(dir);  // the library lists folders by name, newest (last) first
    }
    // By client: Anna (2 visits: newest, then her first), Ben. The second row is her first visit.
    // By date (G): her newest, Ben, her first. The second row is Ben's.
    // The two at once (each its own Xvfb): the runs mostly wait.
    const auto start = [&](const std::string& keys, const std::string& name) {
        const std::string script = kStart + "sleep 1.5; xdotool key --window $win l\n" + keys +
                                   "sleep 0.5; xdotool key --window $win Down\n"
                                   "sleep 0.5; xdotool key --window $win Return\n"
                                   // The unrecorded live session may end: Enter again.
                                   "sleep 0.5; xdotool key --window $win Return\n"
                                   "wait $pid\n";
        const auto argv =
            under_xvfb({"bash", "-c", script, "drive", relaxmon_binary(), "--no-record",
                        "--quit-after", "5", "--state-out", (tmp / (name + ".json")).string()});
        return std::async(std::launch::async, [argv, data] {
            return run_process(argv, {{"XDG_DATA_HOME", data}});
        });
    };
    auto by_client = start("", "by-client");
    auto by_date = start("sleep 0.5; xdotool key --window $win g\n", "by-date");
    const auto replayed = [&](std::future<ProcessResult>& run, const std::string& name) {
        const ProcessResult r = run.get();
        INFO(r.err);
        REQUIRE(r.status == 0);
        const auto state = read_json(tmp / (name + ".json"));
        CHECK(state["replay"] == true);
        return state["source"].get<std::string>();
    };
    CHECK_THAT(replayed(by_client, "by-client"), Catch::EndsWith(dirs[0].string()));
    CHECK_THAT(replayed(by_date, "by-date"), Catch::EndsWith(dirs[1].string()));
}

TEST_CASE("after Disconnect the dot is red beside 'disconnected'",
          "[ui][dashboard][xvfb][connect]") {
    TempDir tmp;
    const std::string script = kStart +
                               "sleep 2; xdotool key --window $win d\n"
                               "sleep 0.7; xdotool mousemove --window $win 256 233 click 1\n"
                               "sleep 0.7; xdotool key --window $win Escape\n"
                               "wait $pid\n";
    const auto r = drive(script,
                         {"--source", "sim:rest?seed=3", "--speed", "20", "--quit-after", "4.5",
                          "--screenshot", (tmp / "shot.png").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(0, 0, 40, 40, kDark.bad) > 20);
    CHECK(img.count(0, 0, 40, 40, kDark.good) == 0);
}

#ifdef RELAXMON_SANITIZED
constexpr const char* kQuitAfter = "8";  // a sanitizer takes seconds to show the first beats
#else
constexpr const char* kQuitAfter = "3";
#endif

TEST_CASE("the room view: heart rate a fifth of the window high, nothing else, in both themes",
          "[ui][dashboard][xvfb][room]") {
    TempDir tmp;
    // Both themes at once (each its own Xvfb): the runs mostly wait.
    auto run = [&](const std::string& theme) {
        return std::async(std::launch::async, [&tmp, theme] {
            return run_process(
                under_xvfb({relaxmon_binary(), "dashboard", "--source", "sim:massage?seed=7",
                            "--speed", "60", "--size", "1280x720", "--view", "room", "--pacer", "6",
                            "--theme", theme, "--quit-after", kQuitAfter, "--screenshot",
                            (tmp / (theme + ".png")).string()}),
                {{"XDG_DATA_HOME", (tmp / ("data-" + theme)).string()}});
        });
    };
    auto dark = run("dark"), light = run("light");
    const ProcessResult results[] = {dark.get(), light.get()};
    for (const char* theme : {"dark", "light"}) {
        INFO(theme);
        const ProcessResult& r = results[std::string(theme) == "dark" ? 0 : 1];
        INFO(r.err);
        REQUIRE(r.status == 0);
        const Image img = load_png(tmp / (std::string(theme) + ".png"));
        REQUIRE(img.h == 720);
        const auto& palette = std::string(theme) == "dark" ? kDark : kLight;
        // The heart rate's digits: the bounding box of its colour, a fifth of the height or more
        // (the live view's are 9%), all of it in the left half (no plot in that colour).
        int top = img.h, bottom = -1, right = -1;
        for (int y = 0; y < img.h; ++y)
            for (int x = 0; x < img.w; ++x)
                if (img.near(x, y, palette.heart_rate, 16)) {
                    top = std::min(top, y);
                    bottom = std::max(bottom, y);
                    right = std::max(right, x);
                }
        INFO("heart-rate digits from y " << top << " to " << bottom << ", right edge " << right);
        CHECK(bottom - top >= 0.20 * img.h);
        CHECK(right < img.w / 2);
        // The pacer's disc and the state's word are there; no header, tabs or plots: the
        // artifact and RR colours of the live view appear nowhere.
        CHECK(img.count(0, img.h / 2, img.w / 2, img.h, palette.breathing) > 500);
        CHECK(img.count(img.w / 2, 0, img.w, img.h / 4, palette.text_dim) +
                  img.count(img.w / 2, 0, img.w, img.h / 4, palette.good) +
                  img.count(img.w / 2, 0, img.w, img.h / 4, palette.rmssd) >
              800);
        CHECK(img.count(img.w / 2, 0, img.w, img.h, palette.rr, 8) < 50);
    }
}

TEST_CASE("the pacer's sound: what would be played goes to --audio-out, A turns it off",
          "[ui][dashboard][xvfb][audio]") {
    // No sound card here: one line says the pacer is silent, and the WAV still holds what would
    // have been played, in session time (20x: 20 s of sound a second).
    TempDir tmp;
    const std::string script = kStart + "sleep 2.5; xdotool key --window $win a\nwait $pid\n";
    const auto r = drive(script,
                         {"--source", "sim:rest?seed=2", "--speed", "20", "--pacer", "6",
                          "--audio-out", (tmp / "sound.wav").string(), "--quit-after", "4.5",
                          "--state-out", (tmp / "state.json").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 1);  // the missing device, at most
    std::ifstream f(tmp / "sound.wav", std::ios::binary);
    std::vector<unsigned char> b((std::istreambuf_iterator<char>(f)), {});
    REQUIRE(b.size() > 44);
    std::vector<float> samples;
    for (std::size_t i = 44; i + 1 < b.size(); i += 2)
        samples.push_back(static_cast<std::int16_t>(b[i] | (b[i + 1] << 8)) / 32768.0f);
    const double fs = 22050.0;
    const double wav_s = static_cast<double>(samples.size()) / fs;
    const double session_s = read_json(tmp / "state.json")["t_s"].get<double>();
    CHECK(wav_s == Approx(session_s).margin(2.0));
#ifndef RELAXMON_SANITIZED  // (a sanitizer's first frames, and so the sound, come late)
    // Before A (some 50 s of session in): the pacer's 10-s cycles, from the first breath that
    // began after the sound was turned on.
    const auto m = measure_breaths(
        std::span<const float>(samples.data(), static_cast<std::size_t>(40.0 * fs)), fs);
    REQUIRE(m.cycles_s.size() >= 1);
    for (double c : m.cycles_s) CHECK(c == Approx(10.0).margin(0.1));
#endif
    // After it: silence.
    double tail = 0.0;
    for (std::size_t i = samples.size() - static_cast<std::size_t>(10.0 * fs); i < samples.size();
         ++i)
        tail += samples[i] * samples[i];
    CHECK(tail == 0.0);
}

TEST_CASE("the therapist's own quick markers from config.toml: one click each, in rows",
          "[ui][dashboard][xvfb][session-panel][quick-markers]") {
    TempDir tmp;
    std::filesystem::create_directories(tmp / "config" / "relaxmon");
    {
        std::ofstream f(tmp / "config" / "relaxmon" / "config.toml");
        f << "quick_markers = [\"back\", \"neck and shoulders\", \"turned over\", \"legs\", "
             "\"feet\", \"face\", \"arms\", \"hands\", \"scalp\", \"lower back\", \"hips\", "
             "\"talking\"]\n";
    }
    // Twelve fit two rows of the panel: "turned over" and "scalp" on the first, "lower back"
    // starting the second.
    const std::string script = kStart +
                               "sleep 2; xdotool key --window $win n\n"
                               "sleep 0.7; xdotool mousemove --window $win 505 372 click 1\n"
                               "sleep 0.7; xdotool mousemove --window $win 943 372 click 1\n"
                               "sleep 0.7; xdotool mousemove --window $win 255 409 click 1\n"
                               "wait $pid\n";
    const auto r = drive(script,
                         {"--source", "sim:massage?seed=3", "--speed", "20", "--quit-after", "6",
                          "--state-out", (tmp / "state.json").string()},
                         {{"XDG_DATA_HOME", (tmp / "data").string()},
                          {"XDG_CONFIG_HOME", (tmp / "config").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::filesystem::path dir =
        read_json(tmp / "state.json")["recording_dir"].get<std::string>();
    std::vector<std::string> markers;
    for (const auto& row : read_csv(dir / "events.csv").rows)
        if (row[1] == "marker") markers.push_back(row[2]);
    CHECK(markers == std::vector<std::string>{"turned over", "scalp", "lower back"});

    // A list that is not one: one line naming the file, and no window.
    {
        std::ofstream f(tmp / "config" / "relaxmon" / "config.toml");
        f << "# my markers\nquick_markers = \"back, neck\"\n";
    }
    const auto bad = run_process(under_xvfb({relaxmon_binary(), "dashboard", "--quit-after", "3"}),
                                 {{"XDG_DATA_HOME", (tmp / "data").string()},
                                  {"XDG_CONFIG_HOME", (tmp / "config").string()}});
    CHECK(bad.status == 1);
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    CHECK_THAT(bad.err, Catch::Contains("config.toml:2") &&
                            Catch::Contains("quick_markers must be a list of strings"));
}

TEST_CASE("the pacer by mouse: louder, the sound off, the circle stops it",
          "[ui][dashboard][xvfb][audio][pacer-mouse]") {
    TempDir tmp;
    // At 1280x800 the pacer sits at the left column's foot: its circle, then "sound 50%", "-"
    // and "+" under its words.
    const std::string script = kStart +
                               "sleep 2; xdotool mousemove --window $win 262 687 click 1\n"
                               "sleep 0.5; xdotool click 1\n"
                               "sleep 0.5; xdotool mousemove --window $win 140 687 click 1\n"
                               "sleep 0.5; xdotool mousemove --window $win 46 661 click 1\n"
                               "wait $pid\n";
    const auto r =
        drive(script,
              {"--source", "sim:rest?seed=2", "--speed", "20", "--pacer", "6", "--volume", "50",
               "--quit-after", "5", "--state-out", (tmp / "state.json").string(), "--screenshot",
               (tmp / "shot.png").string()},
              {{"XDG_DATA_HOME", (tmp / "data").string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto state = read_json(tmp / "state.json");
    INFO(state.dump());
    CHECK(state["volume"].get<double>() == Approx(0.7));
    CHECK(state["sound"] == false);
    CHECK(state["pacer"] == false);
    // Stopped: the circle's outline, no filled breath, and the words say how to start it.
    const Image img = load_png(tmp / "shot.png");
    CHECK(img.count(14, 630, 78, 694, kDark.breathing) < 20);
}
