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

/// Encodes `in` as a `Variant`, decodes it with `decode` and compares field by field.
template <class Event, class Variant, class Decode>
void round_trip(const Event& in, Decode decode) {
    testing::check_round_trip<Variant>(
        in, [](const Variant& v) { return iptv::encode(v); }, decode);
}

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
    auto d = [](const RecordedEvent& e) { return iptv::decode_catalogue_event(e); };
    const auto t = core::from_unix_seconds(1'790'000'000);
    round_trip<CategoryCreated, CatalogueEvent>(CategoryCreated{1, "News", CategoryKind::Series, 0},
                                                d);
    round_trip<CategoryRenamed, CatalogueEvent>(CategoryRenamed{1, "World"}, d);
    round_trip<CategoryDeleted, CatalogueEvent>(CategoryDeleted{1, 2, {3, 4}}, d);
    round_trip<CategoryDeleted, CatalogueEvent>(CategoryDeleted{1, std::nullopt, {}}, d);
    round_trip<StreamAdded, CatalogueEvent>(StreamAdded{9, fields(), t, "de"}, d);
    auto no_cat = fields();
    no_cat.category_id.reset();
    round_trip<StreamUpdated, CatalogueEvent>(StreamUpdated{9, no_cat}, d);
    round_trip<StreamRemoved, CatalogueEvent>(StreamRemoved{9}, d);
    round_trip<BouquetCreated, CatalogueEvent>(BouquetCreated{1, "Basic", {1, 2}, {9}}, d);
    round_trip<BouquetUpdated, CatalogueEvent>(BouquetUpdated{1, "Basic+", {}, {9, 8}}, d);
    round_trip<BouquetDeleted, CatalogueEvent>(BouquetDeleted{1}, d);
    round_trip<PlaylistImported, CatalogueEvent>(PlaylistImported{"us", 618, 600, 17, 1}, d);
}

TEST_CASE("line and registry events round-trip") {
    auto dl = [](const RecordedEvent& e) { return iptv::decode_line_event(e); };
    auto dr = [](const RecordedEvent& e) { return iptv::decode_line_registry_event(e); };
    LineSettings s;
    s.status = LineStatus::Disabled;
    s.exp_date = 1'800'000'000;
    s.max_connections = 3;
    s.is_trial = true;
    s.allowed_output_formats = {"ts"};
    s.bouquets = {2, 1};
    round_trip<LineCreated, LineEvent>(
        LineCreated{7, "alice", "ab12", s, core::from_unix_seconds(1'790'000'000)}, dl);
    round_trip<LineUpdated, LineEvent>(LineUpdated{7, LineSettings{}}, dl);
    round_trip<LinePasswordChanged, LineEvent>(LinePasswordChanged{7, "cd34"}, dl);
    round_trip<LineDeleted, LineEvent>(LineDeleted{7, "alice"}, dl);
    round_trip<UsernameClaimed, LineRegistryEvent>(UsernameClaimed{"alice", 7, "req-1"}, dr);
    round_trip<UsernameReleased, LineRegistryEvent>(UsernameReleased{"alice", 7}, dr);
}

TEST_CASE("claim events round-trip, and an unknown claim kind is refused") {
    auto dc = [](const RecordedEvent& e) { return iptv::decode_claim_event(e); };
    round_trip<NameClaimed, ClaimEvent>(
        NameClaimed{ClaimKind::SourceUrl, "http://example.com/a.m3u8", 4}, dc);
    round_trip<NameClaimed, ClaimEvent>(NameClaimed{ClaimKind::Category, "live/News", 2}, dc);
    round_trip<NameReleased, ClaimEvent>(NameReleased{ClaimKind::Bouquet, "Basic", 1}, dc);
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
