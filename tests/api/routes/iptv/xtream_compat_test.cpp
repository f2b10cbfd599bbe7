// Xtream Codes compatibility against real panel answers (../shared/data/iptv/xtream) and the
// shared iptv-org playlists: JSON types of user_info and server_info, unknown actions, one
// tvg-id in get.php and player_api.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/iptv/m3u.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

const std::filesystem::path kIptvData = std::filesystem::path(SY_SHARED_DATA) / "iptv";

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The JSON type of an element, by name.
std::string type_of(simdjson::dom::element e) {
    switch (e.type()) {
        case simdjson::dom::element_type::ARRAY:
            return "array";
        case simdjson::dom::element_type::OBJECT:
            return "object";
        case simdjson::dom::element_type::INT64:
        case simdjson::dom::element_type::UINT64:
            return "integer";
        case simdjson::dom::element_type::DOUBLE:
            return "double";
        case simdjson::dom::element_type::STRING:
            return "string";
        case simdjson::dom::element_type::BOOL:
            return "bool";
        case simdjson::dom::element_type::NULL_VALUE:
            return "null";
    }
    return "?";
}

/// Checks that `ours` has every field of `real` with the same JSON type, and that a port is a
/// digit string; names the provider and the field on failure.
void same_types(simdjson::dom::object real, simdjson::dom::element ours, const std::string& where) {
    for (auto [key, value] : real) {
        const std::string name(key);
        auto mine = ours[name];
        INFO(where, ".", name);
        REQUIRE_MESSAGE(!mine.error(), "missing");
        CHECK(type_of(mine.value()) == type_of(value));
        if (name.find("port") != std::string::npos) {
            const std::string_view digits = mine.get_string().value();
            CHECK(!digits.empty());
            CHECK(digits.find_first_not_of("0123456789") == std::string_view::npos);
        }
    }
}

struct LineFixture : ApiFixture {
    std::string password = "Line-pass-01";
    LineFixture() {
        REQUIRE(call("POST", "/v1/iptv/lines",
                     R"({"username":"alice","password":"Line-pass-01","exp_date":1800000000})")
                    .status == 201);
        settle();
    }
    api::HttpResponse player(const std::string& extra = {}) {
        return call("GET", "/player_api.php?username=alice&password=" + password + extra, {},
                    false);
    }
};

}  // namespace

TEST_CASE("user_info and server_info carry every field of real panels with the same JSON types") {
    for (const char* scheme : {"http://tv.example.net:8080", "https://tv.example.net:8443"}) {
        LineFixture f;
        auto url = api::PublicUrl::parse(scheme, "--public-url");
        REQUIRE(url);
        f.ctx->public_url = *url;
        simdjson::dom::parser ours_parser;
        const auto body = f.player().body;
        auto ours = parse_json(ours_parser, body);
        for (const char* provider : {"hellraiser", "iris"}) {
            simdjson::dom::parser real_parser;
            const auto text = read_text(kIptvData / "xtream" / provider / "auth.json");
            auto real = parse_json(real_parser, text);
            const std::string where = std::string(provider) + " " + scheme;
            same_types(real["user_info"].get_object().value(), ours["user_info"],
                       where + " user_info");
            same_types(real["server_info"].get_object().value(), ours["server_info"],
                       where + " server_info");
        }
        // The port players use is the one the server answers on, named by server_protocol.
        auto server = ours["server_info"];
        const bool https = std::string_view(scheme).starts_with("https");
        CHECK(str(server, "server_protocol") == (https ? "https" : "http"));
        CHECK(str(server, https ? "https_port" : "port") == (https ? "8443" : "8080"));
    }
}

TEST_CASE("an action a panel does not know answers like no action: user_info and server_info") {
    LineFixture f;
    const auto account = f.player();
    REQUIRE(account.status == 200);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, account.body)["user_info"], "auth") == 1);
    for (const char* action : {"get_profile", "get_server_info", "bogus", "", "GET_LIVE_STREAMS"}) {
        auto r = f.player(std::string("&action=") + action);
        CHECK_MESSAGE(r.status == 200, action);
        CHECK_MESSAGE(r.body == account.body, action);
    }
    // Actions that answer lists keep answering lists.
    for (const char* action : {"get_live_streams", "get_live_categories"}) {
        auto r = f.player(std::string("&action=") + action);
        CHECK_MESSAGE(r.body.front() == '[', action);
    }
}

TEST_CASE("get.php m3u_plus and player_api give every stream of the shared playlists one tvg-id") {
    LineFixture f;
    std::size_t feed_ids = 0;  // entries whose source tvg-id names a feed (`2GB.au@SD`)
    for (const auto& entry : std::filesystem::directory_iterator(kIptvData / "m3u")) {
        const auto text = read_text(entry.path());
        for (const auto& e : core::iptv::parse_m3u(text).entries) {
            auto id = e.attributes.find("tvg-id");
            if (id != e.attributes.end() && id->second.find('@') != std::string::npos) ++feed_ids;
        }
        const auto source = entry.path().stem().string();
        auto r = f.call("POST", "/v1/iptv/imports/m3u?source=" + source, text);
        REQUIRE_MESSAGE(r.status == 200, r.body);
    }
    f.settle();
    CHECK(feed_ids > 2000);  // the fault this test guards against would show on these

    simdjson::dom::parser p;
    const auto streams_body = f.player("&action=get_live_streams").body;
    std::map<std::int64_t, std::string> epg_channel;  // stream_id -> epg_channel_id ("" for null)
    simdjson::dom::array streams = parse_json(p, streams_body).get_array().value();
    for (auto s : streams) {
        auto id = s["epg_channel_id"];
        epg_channel[s["stream_id"].get_int64().value()] =
            id.is_null() ? std::string() : std::string(id.get_string().value());
    }
    REQUIRE(epg_channel.size() > 2000);

    auto playlist = f.call(
        "GET", "/get.php?username=alice&password=" + f.password + "&type=m3u_plus", {}, false);
    REQUIRE(playlist.status == 200);
    const auto parsed = core::iptv::parse_m3u(playlist.body);
    REQUIRE(parsed.entries.size() == epg_channel.size());
    std::size_t matched = 0, with_guide = 0;
    for (const auto& e : parsed.entries) {
        const auto slash = e.url.rfind('/');
        const auto dot = e.url.rfind('.');
        REQUIRE(slash != std::string::npos);
        const auto id = std::stoll(e.url.substr(slash + 1, dot - slash - 1));
        const auto tvg = e.attributes.count("tvg-id") ? e.attributes.at("tvg-id") : std::string();
        CHECK_MESSAGE(tvg == epg_channel.at(id), e.title);
        CHECK(tvg.find('@') == std::string::npos);
        if (tvg == epg_channel.at(id)) ++matched;
        if (!tvg.empty()) ++with_guide;
    }
    CHECK(matched == parsed.entries.size());
    CHECK(with_guide > 2000);
}
