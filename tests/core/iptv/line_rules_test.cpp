// Line rules of core/iptv/line_decider.hpp the API applies: the output formats a line may
// receive, and the settings after a change.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "core/iptv/line_decider.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;

TEST_CASE("a line receives only the output formats it allows, spelt exactly") {
    LineSettings s;  // m3u8 and ts by default
    CHECK(check_output_allowed(s, "ts").has_value());
    CHECK(check_output_allowed(s, "m3u8").has_value());
    s.allowed_output_formats = {"m3u8"};
    CHECK(check_output_allowed(s, "m3u8").has_value());
    for (const char* format : {"ts", "TS", "rtmp", "", "m3u8 "}) {
        auto r = check_output_allowed(s, format);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::Forbidden);
        CHECK(r.error().field == "output");
        CHECK(r.error().message == fmt::format("this line may not use the {} output", format));
    }
    s.allowed_output_formats.clear();
    CHECK_FALSE(check_output_allowed(s, "m3u8").has_value());
}

TEST_CASE("line changes replace the settings they name and keep the others") {
    LineSettings base;
    base.exp_date = 1'790'000'000;
    base.bouquets = {1, 2};
    UpdateLine none;
    none.line_id = 1;
    CHECK(with_changes(base, none) == base);
    UpdateLine c = none;
    c.status = LineStatus::Banned;
    c.exp_date = std::optional<std::int64_t>();  // never expires
    c.max_connections = 3;
    c.is_trial = true;
    c.allowed_output_formats = std::vector<std::string>{"ts"};
    c.bouquets = std::vector<std::int64_t>{};
    c.password = "not-a-setting";
    const auto s = with_changes(base, c);
    CHECK(s.status == LineStatus::Banned);
    CHECK_FALSE(s.exp_date.has_value());
    CHECK(s.max_connections == 3);
    CHECK(s.is_trial);
    CHECK(s.allowed_output_formats == std::vector<std::string>{"ts"});
    CHECK(s.bouquets.empty());
    UpdateLine only_trial = none;
    only_trial.is_trial = true;
    auto expected = base;
    expected.is_trial = true;
    CHECK(with_changes(base, only_trial) == expected);
}
