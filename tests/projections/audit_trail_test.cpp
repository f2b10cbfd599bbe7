#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "projections/audit_trail.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
namespace json = boost::json;

TEST_CASE("an audit row holds the previous payload as before and the redacted payload as after") {
    testing::ProjectorHarness h(projections::make_audit_trail_projector());
    h.append("line-7", {"iptv.line.created", 1,
                        R"({"line_id":7,"username":"alice","password_hash":"h:secret",)"
                        R"("exp":1.5e3,"name":"Zo\u00eb \"q\"","tags":[{"key_sealed":"x"}]})"});
    h.append("line-7", {"iptv.line.updated", 1, R"({"line_id":7,"status":"disabled"})"},
             core::from_unix_seconds(1'790'000'060));
    auto page = projections::query_audit(h.view(), projections::AuditQuery{});
    REQUIRE(page);
    REQUIRE(page->rows.size() == 2);
    for (const auto& row : page->rows) {
        // Each row is one JSON object exactly as json::serialize writes it.
        boost::system::error_code ec;
        auto v = json::parse(row, ec);
        REQUIRE_FALSE(ec);
        CHECK(json::serialize(v) == row);
    }
    const auto first = json::parse(page->rows[0]).as_object();
    const auto second = json::parse(page->rows[1]).as_object();
    CHECK(first.at("type") == "iptv.line.created");
    CHECK(first.at("before").is_null());
    const auto& after = first.at("after").as_object();
    CHECK(after.at("password_hash") == "[redacted]");
    CHECK(after.at("tags").as_array()[0].as_object().at("key_sealed") == "[redacted]");
    CHECK(after.at("username") == "alice");
    CHECK(after.at("name") == "Zo\xc3\xab \"q\"");
    CHECK(second.at("before") == first.at("after"));
    CHECK(second.at("after").as_object().at("status") == "disabled");
    CHECK(second.at("stream") == "line-7");
    // The keys in their documented order, before and after last.
    std::vector<std::string> keys;
    for (const auto& kv : second) keys.emplace_back(kv.key());
    CHECK(keys == std::vector<std::string>{"time", "actor", "type", "stream", "event_id",
                                           "position", "correlation_id", "tenant", "before",
                                           "after"});
}
