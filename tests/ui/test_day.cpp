// A therapist's day on the dashboard, driven with xdotool under Xvfb: three clients in a row on
// the same strap, each with what a session gets (a label, notes, markers, the baseline by hand,
// a dropout), "Next client" between them; then every folder, report and list is checked for
// what belongs to whom.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "test_support.hpp"
#include "xdotool_drive.hpp"

using namespace relaxmon::test;

namespace {
std::vector<std::string> markers_in(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    for (const auto& row : read_csv(dir / "events.csv").rows)
        if (row[1] == "marker") out.push_back(row[2]);
    return out;
}
}  // namespace

TEST_CASE("a day of three clients: each its own folder, notes, markers, baseline and report",
          "[ui][dashboard][xvfb][day]") {
    TempDir tmp;
    // At 100x: a wall second is 100 s of session. The artifacts scenario (seed 5) drops out at
    // 795-811 s. Client 1: a marker and the baseline by hand (S, asked since one is learnt:
    // Enter) some 3 s in, well before the dropout (typing takes a varying while under load, so
    // the label and notes (N) come after), the dropout, Next client (Ctrl+N). Client 2: a label,
    // a marker, S and Enter, Ctrl+N. Client 3: a marker, then the window closes.
    const std::string script =
        kStart +
        "sleep 3; xdotool key --window $win m\n"
        "sleep 0.3; xdotool key --window $win s\n"
        "sleep 0.4; xdotool key --window $win Return\n"
        "sleep 0.4; xdotool key --window $win n\n"
        "sleep 0.4; xdotool type --window $win --delay 20 'Maria Sanchez, shoulders'\n"
        "xdotool key --window $win Tab\n"
        "sleep 0.2; xdotool type --window $win --delay 20 'Tension left trapezius. Slept badly.'\n"
        "xdotool key --window $win Escape\n"
        "sleep 5; xdotool key --window $win ctrl+n\n"
        "sleep 1; xdotool key --window $win n\n"
        "sleep 0.4; xdotool type --window $win --delay 20 'Tom Berg'\n"
        "xdotool key --window $win Escape\n"
        "sleep 0.3; xdotool key --window $win m\n"
        "sleep 2.5; xdotool key --window $win s\n"
        "sleep 0.4; xdotool key --window $win Return\n"
        "sleep 1; xdotool key --window $win ctrl+n\n"
        "sleep 2; xdotool key --window $win m\n"
        "wait $pid\n";
    const std::string data = (tmp / "data").string();
    const auto r = drive(script,
                         {"--source", "sim:artifacts?seed=5", "--speed", "100", "--quit-after",
                          "22", "--state-out", (tmp / "state.json").string()},
                         {{"XDG_DATA_HOME", data}});
    INFO(r.err);
    REQUIRE(r.status == 0);

    // Three folders, named by their clients where there was one.
    std::vector<std::filesystem::path> dirs;
    for (const auto& d :
         std::filesystem::directory_iterator(tmp / "data" / "relaxmon" / "sessions"))
        dirs.push_back(d.path());
    std::sort(dirs.begin(), dirs.end());
    REQUIRE(dirs.size() == 3);
    INFO(dirs[0].string() << "\n" << dirs[1].string() << "\n" << dirs[2].string());
    CHECK(dirs[0].filename().string().ends_with("_Maria_Sanchez__shoulders"));
    CHECK(dirs[1].filename().string().ends_with("_Tom_Berg"));
    const auto label_of = [](const std::filesystem::path& d) {
        return read_json(d / "session.json")["label"].get<std::string>();
    };
    CHECK(label_of(dirs[0]) == "Maria Sanchez, shoulders");
    CHECK(label_of(dirs[1]) == "Tom Berg");
    CHECK(label_of(dirs[2]).empty());

    // Notes and markers stay with their client.
    CHECK(read_file(dirs[0] / "notes.txt") == "Tension left trapezius. Slept badly.");
    for (int i : {1, 2})
        CHECK_FALSE(std::filesystem::exists(dirs[static_cast<std::size_t>(i)] / "notes.txt"));
    CHECK(markers_in(dirs[0]) == std::vector<std::string>{"Marker 1", "massage start"});
    CHECK(markers_in(dirs[1]) == std::vector<std::string>{"Marker 1", "massage start"});
    CHECK(markers_in(dirs[2]) == std::vector<std::string>{"Marker 1"});

    // Each session from its first beat; client 1 through the dropout, every beat kept.
    for (const auto& d : dirs) {
        const auto json = read_json(d / "session.json");
        CHECK(json["status"] == "complete");
        const auto beats = read_csv(d / "beats.csv");
        CHECK(beats.rows.size() == json["beats"].get<std::size_t>());
        CHECK(std::stod(beats.rows.front()[0]) < 2.0);
    }
    bool dropout = false, gap_beat = false;
    for (const auto& row : read_csv(dirs[0] / "events.csv").rows)
        dropout |= row[1] == "disconnected";
    for (const auto& row : read_csv(dirs[0] / "beats.csv").rows) gap_beat |= row[3] == "gap";
    CHECK(dropout);
    CHECK(gap_beat);

    // Next client wrote the report of the one leaving, with her name and nobody else's.
    REQUIRE(std::filesystem::exists(dirs[0] / "report.html"));
    REQUIRE(std::filesystem::exists(dirs[1] / "report.html"));
    const std::string report1 = read_file(dirs[0] / "report.html");
    const std::string report2 = read_file(dirs[1] / "report.html");
    CHECK_THAT(report1, Catch::Contains("Maria Sanchez"));
    CHECK_THAT(report2, Catch::Contains("Tom Berg"));
    CHECK_THAT(report2, !Catch::Contains("Maria") && !Catch::Contains("trapezius"));
    // ... and closing the window that of the last.
    CHECK(std::filesystem::exists(dirs[2] / "report.html"));

    // The dashboard ended on client 3: its markers at the times events.csv has.
    const auto state = read_json(tmp / "state.json");
    CHECK(state["label"] == "");
    CHECK(state["recording_dir"] == dirs[2].string());
    REQUIRE(state["markers"].size() == 1);
    CHECK(std::stod(read_csv(dirs[2] / "events.csv").rows[1][0]) ==
          Approx(state["markers"][0]["t_s"].get<double>()).margin(0.001));

    // The library lists the three, labels in full, with the beats their folders hold.
    const auto list =
        run_process({relaxmon_binary(), "sessions", "--json"}, {{"XDG_DATA_HOME", data}});
    REQUIRE(list.status == 0);
    const auto entries = nlohmann::json::parse(list.out);
    REQUIRE(entries.size() == 3);
    for (const auto& e : entries) {
        const std::filesystem::path d = e["dir"].get<std::string>();
        CHECK(e["label"] == label_of(d));
        CHECK(e["beats"].get<std::size_t>() == read_csv(d / "beats.csv").rows.size());
    }
}
