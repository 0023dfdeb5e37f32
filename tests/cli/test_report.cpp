// The client report: one self-contained HTML file, rendered for real by headless Chromium (PNG
// checked for the charts, PDF for A4 pages), and one clear line for every kind of bad session.
#include <stb/stb_image.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "session/session.hpp"
#include "test_support.hpp"

using namespace relaxmon::test;
namespace fs = std::filesystem;

namespace {

struct Rgb {
    int r, g, b;
};
// Pixels within `tol` of `c` in the rows [y0, y1).
int count(const unsigned char* px, int w, int y0, int y1, Rgb c, int tol = 30) {
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char* p = px + (static_cast<std::size_t>(y) * w + x) * 3;
            n += std::abs(p[0] - c.r) <= tol && std::abs(p[1] - c.g) <= tol &&
                 std::abs(p[2] - c.b) <= tol;
        }
    return n;
}

std::vector<std::string> chromium(const TempDir& tmp, std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/env",      "HOME=" + (tmp / "home").string(),
                                  "chromium",          "--headless",
                                  "--no-sandbox",      "--disable-gpu",
                                  "--hide-scrollbars", "--no-first-run"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

// A 40-minute session with dropouts and a marker, recorded through the Session API.
fs::path make_session(const TempDir& tmp) {
    relaxmon::session::SessionConfig cfg;
    cfg.source = "sim:artifacts?seed=7&speed=800";
    cfg.duration_s = 2400.0;
    cfg.record_dir = tmp / "session";
    cfg.label = "Demo client";
    relaxmon::session::Session s(cfg);
    s.start();
    for (int i = 0; i < 3000 && s.snapshot()->beats < 700; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    s.add_marker("neck and shoulders");
    REQUIRE(s.wait_finished(std::chrono::seconds(60)));
    s.stop();
    return cfg.record_dir.value();
}

}  // namespace

TEST_CASE("report: a self-contained HTML report that Chromium renders and prints on A4",
          "[cli][report]") {
    REQUIRE(fs::exists("/usr/bin/chromium"));  // scripts/debian-packages.txt installs it
    TempDir tmp;
    const fs::path dir = make_session(tmp);
    const auto r = run_process({relaxmon_binary(), "report", dir.string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const fs::path html = dir / "report.html";
    const std::string text = read_file(html);
    // Nothing fetched from anywhere, nothing run.
    CHECK(text.find("<script") == std::string::npos);
    CHECK_FALSE(std::regex_search(text, std::regex(R"((src|href)\s*=)")));
    CHECK(std::regex_search(text, std::regex("https?://")) ==
          (text.find("http://www.w3.org/2000/svg") != std::string::npos));
    for (const char* want :
         {"Demo client", "Baseline and relaxed phase", "Heart rate", "RMSSD", "HF band power",
          "Heart rhythm swing with each breath", "Breathing rate", "neck and shoulders",
          "to the relaxation response", "gap", "Simulated strap", "relaxmon"})
        CHECK_THAT(text, Catch::Contains(want));
    CHECK(std::count(text.begin(), text.end(), '\n') > 10);
    // The marker cuts the session in two parts: a table, and labelled bands on the 4 charts.
    CHECK_THAT(text, Catch::Contains("<h2>The parts of the massage</h2>"));
    CHECK_THAT(text, Catch::Contains("<td>after the baseline</td>") &&
                         Catch::Contains("<td>neck and shoulders</td>"));
    const std::regex band_label(R"(class="blabel">neck and shoulders<)");
    CHECK(std::distance(std::sregex_iterator(text.begin(), text.end(), band_label),
                        std::sregex_iterator()) == 4);
    // Numbers rounded to what they can tell ("73 bpm", not "73.00 bpm"), axis ticks on 1-2-5
    // steps (not 63.25).
    CHECK_FALSE(std::regex_search(text, std::regex(R"(\d\.\d+(&nbsp;| )(bpm|ms)\b)")));
    CHECK_FALSE(
        std::regex_search(text, std::regex(R"(class="tick" text-anchor="end">-?\d+\.\d\d)")));
    const std::regex tick(R"(class="tick" text-anchor="end">(-?[0-9.]+)<)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tick);
         it != std::sregex_iterator(); ++it) {
        const double v = std::stod((*it)[1]);
        bool on_grid = false;
        for (double step : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0})
            on_grid |= std::abs(v / step - std::round(v / step)) < 1e-6;
        CHECK(on_grid);
    }
    CHECK(text.find("<svg") != std::string::npos);

    // Rendered: the heart-rate line (red), the relax index (green), RMSSD (blue), the relaxed
    // phase shaded and the dropouts in grey.
    const auto shot = chromium(tmp, {"--screenshot=" + (tmp / "report.png").string(),
                                     "--window-size=1000,1800", "file://" + html.string()});
    REQUIRE(run_process(shot).status == 0);
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load((tmp / "report.png").c_str(), &w, &h, &n, 3);
    REQUIRE(px);
    CHECK(w == 1000);
    CHECK(count(px, w, 150, 420, {0xd1, 0x49, 0x5b}) > 400);           // heart rate
    CHECK(count(px, w, 380, 600, {0x2a, 0x9d, 0x8f}) > 400);           // relax index
    CHECK(count(px, w, 620, 880, {0x3d, 0x5a, 0x80}) > 300);           // RMSSD
    CHECK(count(px, w, 150, 1100, {0xdc, 0xee, 0xec}, 8) > 20000);     // relaxed phase
    CHECK(count(px, w, 150, 1100, {0xc8, 0xc8, 0xc8}, 12) > 1000);     // no signal
    CHECK(count(px, w, 0, h, {255, 255, 255}, 0) < w * h * 95 / 100);  // not blank
    stbi_image_free(px);

    // Printed: A4 pages, at most two.
    const auto pdf = chromium(tmp, {"--print-to-pdf=" + (tmp / "report.pdf").string(),
                                    "--no-pdf-header-footer", "file://" + html.string()});
    REQUIRE(run_process(pdf).status == 0);
    const std::string doc = read_file(tmp / "report.pdf");
    const std::regex page(R"(/Type\s*/Page[^s])");
    const auto pages =
        std::distance(std::sregex_iterator(doc.begin(), doc.end(), page), std::sregex_iterator());
    CHECK(pages >= 1);
    CHECK(pages <= 2);
    CHECK(std::regex_search(doc, std::regex(R"(/MediaBox\s*\[\s*0\s+0\s+59[45]\.\d*\s+841\.)")));
}

TEST_CASE("report: bad sessions give one line naming the file", "[cli][report]") {
    TempDir tmp;
    const fs::path good = tmp / "good";
    CHECK(run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=1", "--duration",
                       "3m", "--speed", "max", "--out", good.string()})
              .status == 0);
    auto broken = [&](const std::string& name, const std::string& file, const std::string& text) {
        const fs::path d = tmp / name;
        fs::copy(good, d, fs::copy_options::recursive);
        std::ofstream(d / file, std::ios::binary | std::ios::trunc) << text;
        return d;
    };
    const std::string huge(100000, '7');
    const std::vector<std::pair<fs::path, std::string>> cases{
        {tmp / "absent", "not a session folder"},
        {broken("cols", "beats.csv", "time,rr\n1,800\n"), "beats.csv:1: no column 't_s'"},
        {broken("binary", "metrics.csv",
                read_lines(good / "metrics.csv")[0] + "\n\x01\x02\xff,\xfe\n"),
         "metrics.csv:2:"},
        {broken("huge", "beats.csv", "t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms\n" + huge + "\n"),
         "beats.csv:2:"},
        {broken("json", "session.json", "{\"status\": \"compl"), "session.json: not valid JSON"},
        {broken("events", "events.csv", "when,what\n"), "events.csv:1:"},
        {broken("nan", "beats.csv", "t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms\nabc,800,75,,800\n"),
         "beats.csv:2: 'abc' in column 't_s'"},
    };
    for (const auto& [dir, message] : cases) {
        const auto r = run_process(
            {relaxmon_binary(), "report", dir.string(), "-o", (tmp / "out.html").string()});
        INFO(dir << ": " << r.err);
        CHECK(r.status == 1);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::Contains(message));
    }
    // A session whose last line was torn by a crash still reports.
    const fs::path torn = broken("torn", "rr.txt", "800\n");
    std::ofstream(torn / "beats.csv", std::ios::app) << "180.5,80";
    CHECK(run_process({relaxmon_binary(), "report", torn.string()}).status == 0);
}

TEST_CASE("report: a session breathing below 9/min flags HF and LF/HF as not interpretable",
          "[cli][report]") {
    // Paced breathing at 5/min from ~5 minutes in: the breathing peak lies below the HF band.
    TempDir tmp;
    const fs::path slow = tmp / "slow", normal = tmp / "normal";
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:paced?rate=5&seed=2",
                         "--duration", "15m", "--speed", "max", "--out", slow.string()})
                .status == 0);
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=2", "--duration",
                         "15m", "--speed", "max", "--out", normal.string()})
                .status == 0);
    auto report = [&](const fs::path& dir) {
        const fs::path out = dir / "report.html";
        REQUIRE(
            run_process({relaxmon_binary(), "report", dir.string(), "-o", out.string()}).status ==
            0);
        return read_file(out);
    };
    const std::string flagged = report(slow);
    const auto at = flagged.find("Breathing was slower than 9 breaths a minute for ");
    REQUIRE(at != std::string::npos);
    CHECK(flagged.find("not interpretable", at) != std::string::npos);
    // The pacer runs from ~5 of the 15 minutes; the 5-minute spectrum follows within ~3.
    const std::string when = flagged.substr(at + 49, 5);  // "M:SS:"
    INFO("slow for " << when);
    const int minutes = std::stoi(when.substr(0, when.find(':')));
    CHECK(minutes >= 6);
    CHECK(minutes <= 10);
    CHECK(report(normal).find("Breathing was slower than 9") == std::string::npos);
}

TEST_CASE("a client's visits: sessions --label and the report's previous visits, no one else's",
          "[cli][report][history]") {
    TempDir tmp;
    const std::map<std::string, std::optional<std::string>> env{
        {"XDG_DATA_HOME", (tmp / "data").string()}};
    // Three visits of one client (her label typed differently once) and one of another.
    const std::vector<std::pair<std::string, std::string>> visits{
        {"Anna Lind", "2"}, {"Ben Ode", "3"}, {"anna lind ", "4"}, {"Anna Lind", "5"}};
    for (const auto& [label, seed] : visits) {
        const auto r =
            run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=" + seed,
                         "--duration", "12m", "--speed", "max", "--label", label},
                        env);
        REQUIRE(r.status == 0);
        if (seed == "2" ||
            seed == "4")  // Anna's visits a second apart: their start times order them
            std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    }
    const auto listed =
        run_process({relaxmon_binary(), "sessions", "--label", "ANNA LIND", "--json"}, env);
    REQUIRE(listed.status == 0);
    const auto anna = nlohmann::json::parse(listed.out);
    REQUIRE(anna.size() == 3);
    for (const auto& e : anna) {
        CHECK(fs::exists(e["dir"].get<std::string>()));
        CHECK_THAT(e["label"].get<std::string>(), Catch::Contains("nna"));
    }
    CHECK(anna[0]["start_time"] <= anna[1]["start_time"]);  // oldest first
    CHECK(anna[1]["start_time"] <= anna[2]["start_time"]);
    const auto ben = run_process({relaxmon_binary(), "sessions", "--label", "ben ode"}, env);
    CHECK_THAT(ben.out, Catch::Contains("1 visit of 'ben ode'") && !Catch::Contains("Anna"));

    // The third visit's report: the two before it and this one, never Ben's.
    const fs::path last = anna[2]["dir"].get<std::string>();
    const auto rep = run_process({relaxmon_binary(), "report", last.string()}, env);
    INFO(rep.err);
    REQUIRE(rep.status == 0);
    const std::string html = read_file(last / "report.html");
    CHECK_THAT(html, Catch::Contains("Previous visits of Anna Lind") &&
                         Catch::Contains("(this visit)") && !Catch::Contains("Ben"));
    const auto rows = [&] {
        const auto at = html.find("Previous visits");
        const auto end = html.find("</table>", at);
        int n = 0;
        for (auto p = html.find("<tr", at); p < end; p = html.find("<tr", p + 1)) ++n;
        return n - 1;  // the header row
    }();
    CHECK(rows == 3);
    CHECK_THAT(html, Catch::Contains("<svg class=\"chart visits\""));
    // The first visit has no earlier one: no history section.
    const fs::path first = anna[0]["dir"].get<std::string>();
    REQUIRE(run_process({relaxmon_binary(), "report", first.string()}, env).status == 0);
    CHECK_THAT(read_file(first / "report.html"), !Catch::Contains("Previous visits"));
    // Chromium renders it.
    const auto shot = run_process(
        chromium(tmp, {"--screenshot=" + (tmp / "history.png").string(), "--window-size=800,3000",
                       "file://" + (last / "report.html").string()}));
    CHECK(shot.status == 0);
    CHECK(fs::file_size(tmp / "history.png") > 10000);
}
