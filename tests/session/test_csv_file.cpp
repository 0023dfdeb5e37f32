#include <catch2/catch.hpp>

#include "session/csv_file.hpp"
#include "test_support.hpp"

using relaxmon::session::csv_field;
using relaxmon::session::CsvFile;
using namespace relaxmon::test;

TEST_CASE("each line is on disk as soon as it is appended", "[session][csv]") {
    TempDir dir;
    CsvFile f(dir / "beats.csv", "t_s,rr_ms");
    CHECK(read_lines(dir / "beats.csv") == std::vector<std::string>{"t_s,rr_ms"});
    CHECK(f.append("0.800,800.000"));
    // Read back through another descriptor while the writer is still open: no buffering.
    CHECK(read_lines(dir / "beats.csv") == std::vector<std::string>{"t_s,rr_ms", "0.800,800.000"});
    CHECK(f.pending_lines() == 0);
    CHECK_FALSE(f.error());
}

TEST_CASE("fields are quoted as RFC 4180 requires and read back unchanged", "[session][csv]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    TempDir dir;
    {
        CsvFile f(dir / "events.csv", "t_s,kind,label");
        f.append("1.000,marker," + csv_field("neck, shoulders \"tight\""));
    }
    const CsvTable t = read_csv(dir / "events.csv");
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0] == std::vector<std::string>{"1.000", "marker", "neck, shoulders \"tight\""});
}

TEST_CASE("an existing file is never overwritten", "[session][csv]") {
    TempDir dir;
    { CsvFile f(dir / "beats.csv", "h"); }
    CHECK_THROWS_WITH(CsvFile(dir / "beats.csv", "h"),
                      Catch::Contains("beats.csv") && Catch::Contains("File exists"));
}

TEST_CASE("a full disk is one clear error naming the file", "[session][csv]") {
    // /dev/full accepts open() and fails every write with ENOSPC, like a full disk.
    CHECK_THROWS_WITH(CsvFile("/dev/full", "t_s,rr_ms", false),
                      Catch::Contains("/dev/full") && Catch::Contains("No space left on device"));
}

TEST_CASE("a missing directory is one clear error naming the file", "[session][csv]") {
    CHECK_THROWS_WITH(CsvFile("/nonexistent-relaxmon/beats.csv", "h"),
                      Catch::Contains("cannot create /nonexistent-relaxmon/beats.csv"));
}
