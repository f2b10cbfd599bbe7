// The programme guide over the API: XMLTV imports, /xmltv.php, get_short_epg and
// get_simple_data_table, with the shared guides of ../shared/data/iptv/epg.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "app/modules/iptv_module.hpp"
#include "core/base64.hpp"
#include "core/gzip.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "core/iptv/xmltv.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::check_problem;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

std::string read_guide(const char* name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/iptv/epg/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// `YYYY-MM-DD hh:mm:ss` in UTC, written independently of the server's formatter.
std::string utc_text(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/// Streams of the tvplus guide's channels: 24TV.tr by tvg-id (with its feed), A Haber by name
/// only, ATV by tvg-id in a bouquet of its own; and one stream no guide has.
struct EpgFixture : ApiFixture {
    std::string tvplus = read_guide("tvplus.com.tr.guide.xml");
    core::iptv::XmltvGuide parsed = core::iptv::parse_xmltv(tvplus);
    EpgFixture() {
        REQUIRE(call("POST", "/v1/iptv/imports/m3u?source=tr&category_from=none",
                     "#EXTM3U\n"
                     "#EXTINF:-1 tvg-id=\"24TV.tr@SD\",24 TV (1080p)\nhttp://a/1\n"
                     "#EXTINF:-1 tvg-id=\"\",A Haber [Geo-blocked]\nhttp://a/2\n"
                     "#EXTINF:-1 tvg-id=\"ATV.tr@SD\",ATV\nhttp://a/3\n"
                     "#EXTINF:-1 tvg-id=\"Nowhere.xx\",Nowhere TV\nhttp://a/4\n")
                    .status == 200);
        REQUIRE(
            call("POST", "/v1/iptv/bouquets", R"({"name":"ATV only","stream_ids":[3]})").status ==
            201);
        REQUIRE(call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                    .status == 201);
        REQUIRE(call("POST", "/v1/iptv/lines",
                     R"({"username":"bob","password":"Line-pass-01","bouquets":[1]})")
                    .status == 201);
        settle();
    }
    api::HttpResponse import(const std::string& query, const std::string& body,
                             std::map<std::string, std::string> headers = {}) {
        auto r = call("POST", "/v1/iptv/epg/imports" + query, body, true, std::move(headers));
        settle();
        return r;
    }
    /// Moves the clock to Unix time `t`.
    void set_clock(std::int64_t t) {
        clock.advance(std::chrono::seconds(t - core::unix_seconds(clock.now())));
    }
    api::HttpResponse player(const std::string& user, const std::string& extra) {
        return call("GET", "/player_api.php?username=" + user + "&password=Line-pass-01" + extra,
                    {}, false);
    }
    /// The programmes of `channel` in the parsed file, by start.
    std::map<std::int64_t, const core::iptv::XmltvProgramme*> file_programmes(
        const std::string& channel) const {
        std::map<std::int64_t, const core::iptv::XmltvProgramme*> out;
        for (const auto& p : parsed.programmes)
            if (p.channel == channel) out[p.start] = &p;
        return out;
    }
};

}  // namespace

TEST_CASE("both shared guides import through the API with their counts, mapped and unmapped") {
    EpgFixture f;
    auto r = f.import("?source=tvplus&priority=5", f.tvplus);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(num(doc, "channels") == 144);
    CHECK(num(doc, "programmes") == 4525);
    CHECK(num(doc, "changed") == 144);
    CHECK(num(doc, "mapped") == 3);  // 24TV.tr and ATV.tr by id, AHaber.tr by name
    CHECK(num(doc, "unmapped") == 141);
    CHECK(doc["invalid"].get_array().size() == 0);
    // The same guide again appends nothing.
    const auto size = f.log_size();
    auto again = f.import("?source=tvplus&priority=5", f.tvplus);
    REQUIRE(again.status == 200);
    CHECK(num(parse_json(p, again.body), "unchanged") == 144);
    CHECK(f.log_size() == size);

    auto e = f.import("?source=epgshare01", read_guide("epgshare01.online.content.xml"));
    REQUIRE_MESSAGE(e.status == 200, e.body);
    auto edoc = parse_json(p, e.body);
    CHECK(num(edoc, "channels") == 2);
    CHECK(num(edoc, "programmes") == 203);
    CHECK(num(edoc, "mapped") == 0);
    CHECK(num(edoc, "unmapped") == 2);
}

TEST_CASE("a gzip guide imports as the plain one") {
    EpgFixture f;
    const auto text = read_guide("epgshare01.online.content.xml");
    auto r = f.import("?source=gz", core::gzip(text), {{"content-encoding", "gzip"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, r.body), "programmes") == 203);
}

TEST_CASE("get_short_epg answers the Xtream shape and its base64 titles decode to the XMLTV text") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    const auto on_24tv = f.file_programmes("24TV.tr");
    REQUIRE(on_24tv.size() > 3);
    // Ten minutes into the second programme of 24TV.tr.
    const auto second = std::next(on_24tv.begin())->second;
    f.set_clock(second->start + 600);
    auto r = f.player("alice", "&action=get_short_epg&stream_id=1&limit=3");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto listings = parse_json(p, r.body)["epg_listings"].get_array();
    REQUIRE(!listings.error());
    REQUIRE(listings.size() == 3);
    auto next = std::next(on_24tv.begin());  // the programme on now, then the ones after it
    for (auto item : listings.value()) {
        const auto start = std::stoll(str(item, "start_timestamp"));
        REQUIRE(next != on_24tv.end());
        CHECK(start == next->first);
        const auto* in_file = next->second;
        ++next;
        CHECK(std::stoll(str(item, "stop_timestamp")) == in_file->stop);
        CHECK(core::base64_decode(str(item, "title")) == in_file->title);
        CHECK(core::base64_decode(str(item, "description")) == in_file->desc);
        CHECK(str(item, "start") == utc_text(in_file->start));
        CHECK(str(item, "end") == utc_text(in_file->stop));
        CHECK(str(item, "channel_id") == "24TV.tr");
        CHECK(str(item, "lang") == in_file->lang);
        CHECK(!str(item, "id").empty());
        CHECK(!str(item, "epg_id").empty());
        CHECK(item["now_playing"].error());  // only in get_simple_data_table
    }
    // A stream mapped by name answers under the guide's channel id.
    auto by_name = f.player("alice", "&action=get_short_epg&stream_id=2");
    auto named = parse_json(p, by_name.body)["epg_listings"].get_array();
    REQUIRE(!named.error());
    REQUIRE(named.size() > 0);
    CHECK(str(named.at(0), "channel_id") == "AHaber.tr");
    // A stream the guide does not have, or the line does not see: no listings.
    CHECK(f.player("alice", "&action=get_short_epg&stream_id=4").body == R"({"epg_listings":[]})");
    CHECK(f.player("bob", "&action=get_short_epg&stream_id=1").body == R"({"epg_listings":[]})");
}

TEST_CASE("get_simple_data_table lists the retention window and marks what is on now") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    const auto on_atv = f.file_programmes("ATV.tr");
    REQUIRE(on_atv.size() > 2);
    const auto* current = std::next(on_atv.begin())->second;
    f.set_clock(current->start + 1);
    auto r = f.player("bob", "&action=get_simple_data_table&stream_id=3");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto listings = parse_json(p, r.body)["epg_listings"].get_array();
    REQUIRE(!listings.error());
    CHECK(listings.size() == on_atv.size());  // the whole guide lies within 7 days
    int now_playing = 0;
    for (auto item : listings.value()) {
        const auto start = std::stoll(str(item, "start_timestamp"));
        CHECK(num(item, "has_archive") == 0);
        const auto on = num(item, "now_playing");
        if (on == 1) {
            ++now_playing;
            CHECK(start == current->start);
        }
        CHECK(core::base64_decode(str(item, "title")) == on_atv.at(start)->title);
    }
    CHECK(now_playing == 1);
    // Eight days after the guide ended nothing is served.
    f.set_clock(std::prev(on_atv.end())->second->stop + 8 * 86400);
    CHECK(f.player("bob", "&action=get_simple_data_table&stream_id=3").body ==
          R"({"epg_listings":[]})");
}

TEST_CASE("xmltv.php holds the line's channels under their epg_channel_id, gzip when asked") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    f.set_clock(f.parsed.programmes.front().start);
    auto r = f.call("GET", "/xmltv.php?username=alice&password=Line-pass-01", {}, false);
    REQUIRE(r.status == 200);
    auto guide = core::iptv::parse_xmltv(r.body);
    CHECK(guide.invalid.empty());
    REQUIRE(guide.channels.size() == 3);
    CHECK(guide.channels[0].id == "24TV.tr");
    CHECK(guide.channels[0].display_names == std::vector<std::string>{"24 TV (1080p)"});
    CHECK(guide.channels[1].id == "AHaber.tr");
    CHECK(guide.channels[2].id == "ATV.tr");
    std::map<std::string, std::size_t> per_channel;
    for (const auto& p : guide.programmes) ++per_channel[p.channel];
    for (const auto* id : {"24TV.tr", "AHaber.tr", "ATV.tr"})
        CHECK(per_channel[id] == f.file_programmes(id).size());
    // bob sees ATV only.
    auto bob = f.call("GET", "/xmltv.php?username=bob&password=Line-pass-01", {}, false,
                      {{"accept-encoding", "gzip, deflate"}});
    REQUIRE(bob.status == 200);
    bool gzipped = false;
    for (const auto& [k, v] : bob.headers) gzipped |= k == "Content-Encoding" && v == "gzip";
    CHECK(gzipped);
    auto plain = core::gunzip(bob.body, 1 << 26);
    REQUIRE(plain);
    auto bob_guide = core::iptv::parse_xmltv(*plain);
    REQUIRE(bob_guide.channels.size() == 1);
    CHECK(bob_guide.channels[0].id == "ATV.tr");
    CHECK(bob_guide.programmes.size() == f.file_programmes("ATV.tr").size());
    // Wrong credentials.
    CHECK(f.call("GET", "/xmltv.php?username=bob&password=nope", {}, false).status == 401);
}

TEST_CASE("xmltv.php answers from its cache until the guide or the catalogue changes") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    const auto first = f.file_programmes("24TV.tr").begin()->second;
    f.set_clock(first->start);
    auto guide = [&](bool gzip) {
        std::map<std::string, std::string> headers;
        if (gzip) headers["accept-encoding"] = "gzip";
        auto r =
            f.call("GET", "/xmltv.php?username=alice&password=Line-pass-01", {}, false, headers);
        REQUIRE(r.status == 200);
        auto text = gzip ? core::gunzip(r.body, 1 << 26).value_or("") : r.body;
        return core::iptv::parse_xmltv(text);
    };
    auto title_of_first = [&](const core::iptv::XmltvGuide& g) {
        for (const auto& p : g.programmes)
            if (p.channel == "24TV.tr" && p.start == first->start) return p.title;
        return std::string();
    };
    const auto before = guide(false);
    CHECK(title_of_first(before) == first->title);
    CHECK(guide(false).programmes.size() == before.programmes.size());  // from the cache
    CHECK(title_of_first(guide(true)) == first->title);
    // An edit moves the guide's version: both encodings render again.
    REQUIRE(f.call("PUT", "/v1/iptv/epg/programmes",
                   fmt::format(R"({{"source":"tvplus","channel_id":"24TV.tr","start":{},)"
                               R"("stop":{},"title":"Cached no more"}})",
                               first->start, first->stop))
                .status == 200);
    f.settle();
    CHECK(title_of_first(guide(false)) == "Cached no more");
    CHECK(title_of_first(guide(true)) == "Cached no more");
    // Past the retention window (hours later, counted from the hour) the programme leaves.
    f.set_clock(first->stop + 8 * 86400 + 3600);
    CHECK(title_of_first(guide(false)).empty());
}

TEST_CASE("bad EPG input is a problem naming the field, and nothing is appended") {
    EpgFixture f;
    const auto before = f.log_size();
    const auto guide = read_guide("epgshare01.online.content.xml");
    check_problem(f, f.import("", guide), 400, "source", before);
    check_problem(f, f.import("?source=a%20b", guide), 400, "source", before);
    check_problem(f, f.import("?source=a&priority=high", guide), 400, "priority", before);
    check_problem(f, f.import("?source=a&priority=1001", guide), 400, "priority", before);
    check_problem(f, f.import("?source=a", "\x1f\x8bnot gzip"), 400, "body", before);
    check_problem(f, f.import("?source=a", "this is not XML"), 422, "body", before);
    check_problem(f, f.player("alice", "&action=get_short_epg"), 400, "stream_id", before);
    check_problem(f, f.player("alice", "&action=get_short_epg&stream_id=x"), 400, "stream_id",
                  before);
    check_problem(f, f.player("alice", "&action=get_short_epg&stream_id=1&limit=0"), 400, "limit",
                  before);
}

TEST_CASE("a manual mapping ties a stream to a guide channel over the automatic one") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    const auto on_atv = f.file_programmes("ATV.tr");
    f.set_clock(on_atv.begin()->first);
    CHECK(f.player("alice", "&action=get_short_epg&stream_id=4").body == R"({"epg_listings":[]})");
    auto r = f.call("PUT", "/v1/iptv/epg/mappings/4", R"({"channel_id":"ATV.tr"})");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    f.settle();
    simdjson::dom::parser p;
    auto mapped = f.player("alice", "&action=get_short_epg&stream_id=4&limit=1");
    auto listings = parse_json(p, mapped.body)["epg_listings"].get_array();
    REQUIRE(!listings.error());
    REQUIRE(listings.size() == 1);
    // Under the stream's own epg_channel_id, as its playlist entry names it.
    CHECK(str(listings.at(0), "channel_id") == "Nowhere.xx");
    CHECK(core::base64_decode(str(listings.at(0), "title")) == on_atv.begin()->second->title);
    // The same mapping again appends nothing; an empty channel id unties the stream.
    const auto size = f.log_size();
    REQUIRE(f.call("PUT", "/v1/iptv/epg/mappings/4", R"({"channel_id":"ATV.tr"})").status == 200);
    CHECK(f.log_size() == size);
    REQUIRE(f.call("PUT", "/v1/iptv/epg/mappings/4", R"({"channel_id":""})").status == 200);
    f.settle();
    CHECK(f.player("alice", "&action=get_short_epg&stream_id=4").body == R"({"epg_listings":[]})");
    const auto before = f.log_size();
    check_problem(f, f.call("PUT", "/v1/iptv/epg/mappings/99", R"({"channel_id":"ATV.tr"})"), 404,
                  "id", before);
    check_problem(f, f.call("PUT", "/v1/iptv/epg/mappings/4", R"({"channel":"ATV.tr"})"), 400,
                  "channel", before);
}

TEST_CASE("the programme editor changes, adds and deletes programmes of an imported channel") {
    EpgFixture f;
    REQUIRE(f.import("?source=tvplus", f.tvplus).status == 200);
    const auto on_24tv = f.file_programmes("24TV.tr");
    const auto first = on_24tv.begin()->second;
    f.set_clock(first->start);
    auto titles = [&] {
        simdjson::dom::parser p;
        auto r = f.player("alice", "&action=get_simple_data_table&stream_id=1");
        std::map<std::int64_t, std::string> out;
        auto listings = parse_json(p, r.body)["epg_listings"].get_array();
        REQUIRE(!listings.error());
        for (auto item : listings.value())
            out[std::stoll(str(item, "start_timestamp"))] =
                *core::base64_decode(str(item, "title"));
        return out;
    };
    REQUIRE(titles().at(first->start) == first->title);
    // Change the first programme's title.
    auto changed = f.call("PUT", "/v1/iptv/epg/programmes",
                          fmt::format(R"({{"source":"tvplus","channel_id":"24TV.tr","start":{},)"
                                      R"("stop":{},"title":"Özel Haber","desc":"edited"}})",
                                      first->start, first->stop));
    REQUIRE_MESSAGE(changed.status == 200, changed.body);
    f.settle();
    CHECK(titles().at(first->start) == "Özel Haber");
    // Add one a year later; delete it; delete it again (nothing left to delete).
    const auto later = first->start + 365 * 86400;
    REQUIRE(f.call("PUT", "/v1/iptv/epg/programmes",
                   fmt::format(R"({{"source":"tvplus","channel_id":"24TV.tr","start":{},)"
                               R"("stop":{},"title":"New"}})",
                               later, later + 3600))
                .status == 200);
    f.settle();
    CHECK(titles().at(later) == "New");
    const auto size_before_delete = f.log_size();
    const auto target =
        fmt::format("/v1/iptv/epg/programmes?source=tvplus&channel_id=24TV.tr&start={}", later);
    REQUIRE(f.call("DELETE", target).status == 200);
    f.settle();
    CHECK(f.log_size() == size_before_delete + 1);
    CHECK_FALSE(titles().count(later));
    REQUIRE(f.call("DELETE", target).status == 200);
    CHECK(f.log_size() == size_before_delete + 1);
    CHECK(titles().size() == on_24tv.size());
    // Refusals name the field and append nothing.
    const auto before = f.log_size();
    check_problem(f,
                  f.call("PUT", "/v1/iptv/epg/programmes",
                         R"({"source":"tvplus","channel_id":"Nope.tr","start":10,"stop":20,)"
                         R"("title":"x"})"),
                  404, "channel_id", before);
    check_problem(f,
                  f.call("PUT", "/v1/iptv/epg/programmes",
                         R"({"source":"tvplus","channel_id":"24TV.tr","start":20,"stop":20,)"
                         R"("title":"x"})"),
                  400, "stop", before);
    check_problem(f,
                  f.call("PUT", "/v1/iptv/epg/programmes",
                         R"({"source":"tvplus","channel_id":"24TV.tr","start":10,"stop":20})"),
                  400, "title", before);
    check_problem(f, f.call("DELETE", "/v1/iptv/epg/programmes?source=tvplus&channel_id=24TV.tr"),
                  400, "start", before);
}

TEST_CASE("with the iptv-org tables loaded, streams get logos and map to guide channels by name") {
    ApiFixture f;
    api::IptvApi* iptv = nullptr;
    for (auto& m : f.modules)
        if (auto* module = dynamic_cast<app::IptvModule*>(m.get())) iptv = &module->api_state();
    REQUIRE(iptv);
    std::ifstream logos_in(std::string(SY_SHARED_DATA) + "/iptv/database/logos.csv");
    std::stringstream logos_csv;
    logos_csv << logos_in.rdbuf();
    const auto logos = core::iptv::read_logo_directory(logos_csv.str());
    iptv->logo_directory = &logos;
    // A directory where "Yirmi Dört" is another name of 24TV.tr (the guide calls it "24 TV").
    core::iptv::ChannelDirectory channels;
    channels.ids_by_name[core::iptv::channel_name_key("Yirmi Dört")] = {"24TV.tr"};
    iptv->channel_directory = &channels;
    REQUIRE(f.call("POST", "/v1/iptv/imports/m3u?source=au",
                   "#EXTM3U\n"
                   "#EXTINF:-1 tvg-id=\"10Bold.au@Adelaide\",10 Bold\nhttp://a/1\n"
                   "#EXTINF:-1 tvg-id=\"10Bold.au\" tvg-logo=\"http://own/logo.png\",10 Bold\n"
                   "http://a/2\n"
                   "#EXTINF:-1 tvg-id=\"\",Yirmi Dört (720p)\nhttp://a/3\n")
                .status == 200);
    auto r =
        f.call("POST", "/v1/iptv/epg/imports?source=tvplus", read_guide("tvplus.com.tr.guide.xml"));
    REQUIRE(r.status == 200);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, r.body), "mapped") == 1);
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                .status == 201);
    f.settle();
    auto streams = f.call("GET",
                          "/player_api.php?username=alice&password=Line-pass-01&action=get_live_"
                          "streams",
                          {}, false);
    auto list = parse_json(p, streams.body).get_array();
    REQUIRE(!list.error());
    REQUIRE(list.size() == 3);
    // 10Bold.au,,TRUE,,512,190,PNG,https://i.imgur.com/2xglh33.png in logos.csv
    CHECK(str(list.at(0), "stream_icon") == core::iptv::logo_for(logos, "10Bold.au"));
    CHECK(str(list.at(0), "stream_icon").starts_with("https://"));
    CHECK(str(list.at(1), "stream_icon") == "http://own/logo.png");  // its own logo stays
    auto epg = f.call("GET", "/xmltv.php?username=alice&password=Line-pass-01", {}, false);
    const auto guide = core::iptv::parse_xmltv(epg.body);
    REQUIRE(guide.channels.size() == 1);
    CHECK(guide.channels[0].id == "24TV.tr");
}
