// The line directory: what authenticating a line needs, by username and by id, listed in id
// order within an owner's scope; updated by every line event and emptied by a deletion.
#include <doctest/doctest.h>

#include "events/iptv/iptv_codec.hpp"
#include "projections/iptv/line_directory.hpp"
#include "tests/projections/projector_harness.hpp"
#include "tests/support/same_fields.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::projections::iptv;
using switchyard::testing::check_same_fields;

namespace {

/// The directory, fed line events on their lines' streams.
struct Directory : testing::ProjectorHarness {
    Directory() : ProjectorHarness(make_line_directory_projector()) {}
    void add(const LineEvent& e) {
        const auto id = std::visit([](const auto& x) { return x.line_id; }, e);
        append(line_stream(id), events::iptv::encode(e));
    }
};

/// Settings other than the defaults in every field.
const LineSettings kSettings{.status = LineStatus::Disabled,
                             .exp_date = 1'800'000'000,
                             .max_connections = 3,
                             .is_trial = true,
                             .allowed_output_formats = {"ts"},
                             .bouquets = {2, 1}};

LineCreated line(std::int64_t id, std::string username, std::string owner_path = "/") {
    return LineCreated{id,
                       std::move(username),
                       "h-" + std::to_string(id),
                       LineSettings{},
                       core::from_unix_seconds(1'790'000'000),
                       std::move(owner_path)};
}

std::vector<std::int64_t> ids(const std::vector<LineRow>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.line_id);
    return out;
}

}  // namespace

TEST_CASE("a created line is found by username and by id with all it needs to authenticate") {
    Directory d;
    d.add(LineCreated{7, "alice", "h-alice", kSettings, core::from_unix_seconds(1'790'000'000),
                      "/u_r/"});
    auto row = find_line_by_username(d.view(), "alice");
    REQUIRE(row);
    check_same_fields(*row, LineRow{7, "alice", "h-alice", kSettings, 1'790'000'000, "/u_r/"});
    auto by_id = find_line_by_id(d.view(), 7);
    REQUIRE(by_id);
    CHECK(by_id->username == "alice");
    CHECK_FALSE(find_line_by_username(d.view(), "bob"));
    CHECK_FALSE(find_line_by_id(d.view(), 8));
}

TEST_CASE("updates and password changes replace the row's settings and hash, nothing else") {
    Directory d;
    d.add(line(7, "alice"));
    d.add(LineUpdated{7, kSettings});
    auto row = find_line_by_username(d.view(), "alice");
    REQUIRE(row);
    CHECK(row->settings == kSettings);
    CHECK(row->password_hash == "h-7");
    d.add(LinePasswordChanged{7, "h-new"});
    row = find_line_by_id(d.view(), 7);
    REQUIRE(row);
    check_same_fields(*row, LineRow{7, "alice", "h-new", kSettings, 1'790'000'000, "/"});
}

TEST_CASE("a deleted line is gone by username, by id and from the list, its name is free") {
    Directory d;
    d.add(line(7, "alice"));
    d.add(line(8, "bob"));
    d.add(LineDeleted{7, "alice"});
    CHECK_FALSE(find_line_by_username(d.view(), "alice"));
    CHECK_FALSE(find_line_by_id(d.view(), 7));
    CHECK(ids(list_lines(d.view(), 0, 10)) == std::vector<std::int64_t>{8});
    // Events of a line the directory does not hold change nothing.
    d.add(LinePasswordChanged{7, "h-late"});
    CHECK_FALSE(find_line_by_id(d.view(), 7));
    d.add(line(9, "alice"));
    auto again = find_line_by_username(d.view(), "alice");
    REQUIRE(again);
    CHECK(again->line_id == 9);
}

TEST_CASE("lines are listed in id order, after an id, up to a limit, within a scope") {
    Directory d;
    // Appended out of id order: the list follows ids (big-endian keys), not the log.
    for (auto [id, owner] : std::vector<std::pair<std::int64_t, const char*>>{
             {300, "/u_r/"}, {2, "/"}, {1, "/u_r/"}, {256, "/u_r/u_s/"}, {40, "/u_x/"}})
        d.add(line(id, "line" + std::to_string(id), owner));
    CHECK(ids(list_lines(d.view(), 0, 10)) == std::vector<std::int64_t>{1, 2, 40, 256, 300});
    CHECK(ids(list_lines(d.view(), 2, 2)) == std::vector<std::int64_t>{40, 256});
    CHECK(ids(list_lines(d.view(), 0, 10, "/u_r/")) == std::vector<std::int64_t>{1, 256, 300});
    CHECK(ids(list_lines(d.view(), 1, 1, "/u_r/")) == std::vector<std::int64_t>{256});
    CHECK(list_lines(d.view(), 300, 10).empty());
}
