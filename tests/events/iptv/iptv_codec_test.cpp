// Every IPTV event survives encode -> envelope -> decode unchanged, field by field.
#include <doctest/doctest.h>

#include "events/iptv/iptv_codec.hpp"
#include "tests/support/codec_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::events;
using switchyard::testing::error_of;

namespace {

auto encode = [](const auto& event) { return iptv::encode(event); };
const auto catalogue = testing::codec_of<CatalogueEvent>(encode, iptv::decode_catalogue_event);
const auto lines = testing::codec_of<LineEvent>(encode, iptv::decode_line_event);
const auto registry =
    testing::codec_of<LineRegistryEvent>(encode, iptv::decode_line_registry_event);
const auto claims = testing::codec_of<ClaimEvent>(encode, iptv::decode_claim_event);

StreamFields fields() {
    StreamFields f;
    f.name = "Allgäu TV \"HD\"";
    f.source_url =
        "http://tvallgaeu.iptv-playoutcenter.de:1935/tvallgaeu/tvallgaeu.stream_2/playlist.m3u8";
    f.tvg_id = "AllgauTV.de@SD";
    f.logo = "https://i.imgur.com/x.png";
    f.category_id = 3;
    f.epg_channel_id = "AllgauTV.de";
    f.http_referrer = "https://example.com/";
    f.user_agent = "Mozilla/5.0";
    return f;
}

}  // namespace

TEST_CASE("catalogue events round-trip") {
    const auto t = core::from_unix_seconds(1'790'000'000);
    catalogue.round_trip(CategoryCreated{1, "News", CategoryKind::Series, 0});
    catalogue.round_trip(CategoryRenamed{1, "World"});
    catalogue.round_trip(CategoryDeleted{1, 2, {3, 4}});
    catalogue.round_trip(CategoryDeleted{1, std::nullopt, {}});
    catalogue.round_trip(StreamAdded{9, fields(), t, "de"});
    auto no_cat = fields();
    no_cat.category_id.reset();
    catalogue.round_trip(StreamUpdated{9, no_cat});
    catalogue.round_trip(StreamRemoved{9});
    catalogue.round_trip(BouquetCreated{1, "Basic", {1, 2}, {9}});
    catalogue.round_trip(BouquetUpdated{1, "Basic+", {}, {9, 8}});
    catalogue.round_trip(BouquetDeleted{1});
    catalogue.round_trip(PlaylistImported{"us", 618, 600, 17, 1});
}

TEST_CASE("line and registry events round-trip") {
    LineSettings s;
    s.status = LineStatus::Disabled;
    s.exp_date = 1'800'000'000;
    s.max_connections = 3;
    s.is_trial = true;
    s.allowed_output_formats = {"ts"};
    s.bouquets = {2, 1};
    lines.round_trip(LineCreated{7, "alice", "ab12", s, core::from_unix_seconds(1'790'000'000)});
    lines.round_trip(LineUpdated{7, LineSettings{}});
    lines.round_trip(LinePasswordChanged{7, "cd34"});
    lines.round_trip(LineDeleted{7, "alice"});
    registry.round_trip(UsernameClaimed{"alice", 7, "req-1"});
    registry.round_trip(UsernameReleased{"alice", 7});
}

TEST_CASE("claim events round-trip, and an unknown claim kind is refused") {
    claims.round_trip(NameClaimed{ClaimKind::SourceUrl, "http://example.com/a.m3u8", 4});
    claims.round_trip(NameClaimed{ClaimKind::Category, "live/News", 2});
    claims.round_trip(NameReleased{ClaimKind::Bouquet, "Basic", 1});
    RecordedEvent e;
    e.type = "iptv.name.claimed";
    e.schema = 1;
    e.data = R"({"kind":"planet","name":"x","id":1})";
    CHECK(error_of(iptv::decode_claim_event(e)).field == "kind");
}

TEST_CASE("unknown types and malformed payloads are refused, naming the field") {
    RecordedEvent e;
    e.type = "iptv.stream.teleported";
    e.schema = 1;
    e.data = "{}";
    CHECK(error_of(iptv::decode_catalogue_event(e)).field == "type");
    e.type = "iptv.stream.removed";
    e.data = R"({"stream_id":"nine"})";
    CHECK(error_of(iptv::decode_catalogue_event(e)).field == "stream_id");
    e.schema = 2;
    CHECK(error_of(iptv::decode_catalogue_event(e)).field == "type");
}
