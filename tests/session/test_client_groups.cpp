#include <catch2/catch.hpp>

#include "session/session_library.hpp"

using namespace relaxmon::session;

namespace {
SessionEntry visit(std::string label, std::string folder) {
    SessionEntry e;
    e.label = std::move(label);
    e.dir = folder;
    return e;
}
}  // namespace

TEST_CASE("the library by client: one group a client, the one seen last first, no name together",
          "[session][library]") {
    // Newest first, as list_sessions gives them.
    const std::vector<SessionEntry> entries{visit("Ben", "6"),   visit(" anna k", "5"),
                                            visit("", "4"),      visit("Anna K", "3"),
                                            visit("Carla", "2"), visit("  ", "1")};
    const auto groups = group_by_client(entries);
    REQUIRE(groups.size() == 4);
    CHECK(groups[0].name == "Ben");
    CHECK(groups[0].visits == std::vector<std::size_t>{0});
    CHECK(groups[1].name == " anna k");  // the newest visit's label, as typed
    CHECK(groups[1].visits == std::vector<std::size_t>{1, 3});
    CHECK(groups[2].name.empty());  // sessions without a name: one group, never a client's
    CHECK(groups[2].visits == std::vector<std::size_t>{2, 5});
    CHECK(groups[3].name == "Carla");
    CHECK(groups[3].visits == std::vector<std::size_t>{4});
    CHECK(group_by_client({}).empty());
}
