// The redirect of a viewer on the main server to a streaming server: the group's strategy over
// the read model and the load now, a URL signed by the delivery side's signer (a fake here).
#include <doctest/doctest.h>

#include "projections/iptv/server_redirect.hpp"
#include "tests/api/routes/iptv/servers_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ServersFixture;

namespace {

struct Signed {
    std::int64_t line_id, stream_id;
    core::Timestamp expires_at;
};

}  // namespace

TEST_CASE("a viewer is redirected round robin over the stream's group, with a signed URL") {
    ServersFixture f;
    const auto a = f.add_server("edge-a", 8001);
    const auto b = f.add_server("edge-b", 443, R"("scheme":"https")");
    const auto c = f.add_server("edge-c", 8003);
    REQUIRE(f.call("POST", "/v1/iptv/server-groups",
                   fmt::format(R"({{"name":"eu","server_ids":[{},{},{}]}})", a, b, c))
                .status == 201);
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":1})").status == 200);
    core::iptv::FixedServerLoads loads;
    std::vector<Signed> calls;
    projections::iptv::ServerRedirector redirector(
        f.model(), loads,
        [&](std::int64_t line, std::int64_t stream, std::int64_t, core::Timestamp expires) {
            calls.push_back({line, stream, expires});
            return fmt::format("sig-{}-{}", line, calls.size());
        },
        std::chrono::seconds(45), 1);
    std::vector<std::string> urls;
    for (int i = 0; i < 4; ++i) {
        auto r = redirector.redirect(12, 1, "ts", f.clock.now());
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        urls.push_back(r->url);
        CHECK(r->expires_at == f.clock.now() + std::chrono::seconds(45));
    }
    CHECK(urls == std::vector<std::string>{
                      "http://127.0.0.1:8001/play/sig-12-1/1.ts",
                      "https://127.0.0.1/play/sig-12-2/1.ts",
                      "http://127.0.0.1:8003/play/sig-12-3/1.ts",
                      "http://127.0.0.1:8001/play/sig-12-4/1.ts",
                  });
    REQUIRE(calls.size() == 4);
    CHECK(calls[0].line_id == 12);
    CHECK(calls[0].stream_id == 1);
    CHECK(calls[0].expires_at == f.clock.now() + std::chrono::seconds(45));

    auto bad = redirector.redirect(12, 1, "mp4", f.clock.now());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "ext");
    CHECK(calls.size() == 4);  // nothing signed for a refused request
}

TEST_CASE("least connections and failover over the servers' load now") {
    ServersFixture f;
    const auto a = f.add_server("edge-a", 8001, R"("max_connections":50)");
    const auto b = f.add_server("edge-b", 8002, R"("max_connections":50)");
    const auto c = f.add_server("edge-c", 8003, R"("max_connections":50)");
    REQUIRE(f.call("POST", "/v1/iptv/server-groups",
                   fmt::format(R"({{"name":"lc","strategy":"least_connections",)"
                               R"("server_ids":[{},{},{}]}})",
                               a, b, c))
                .status == 201);
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":1})").status == 200);
    core::iptv::FixedServerLoads loads;
    loads.set(a, {20, 0});
    loads.set(b, {50, 0});  // full
    loads.set(c, {4, 0});
    projections::iptv::ServerRedirector redirector(
        f.model(), loads,
        [](std::int64_t, std::int64_t, std::int64_t, core::Timestamp) { return "t"; });
    auto first = redirector.choose(1);
    REQUIRE(first);
    CHECK(first->server_id == c);
    CHECK(first->failover == std::vector<std::int64_t>{a});
    CHECK(first->skipped.at(0).reason == "full (50/50 connections)");
    // c refused the viewer: the next one is a; then nothing is left.
    auto second = redirector.choose(1, {c});
    REQUIRE(second);
    CHECK(second->server_id == a);
    auto none = redirector.choose(1, {c, a});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == core::Errc::Unavailable);
    // A stream with no assignment uses every server.
    loads.set(b, {0, 0});
    CHECK(redirector.choose(77)->server_id == b);
}
