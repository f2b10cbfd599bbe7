// The trunk events: each payload has exactly its schema's properties and reads back equal.
#include <doctest/doctest.h>

#include "events/voice/trunk_codec.hpp"
#include "tests/events/voice/schema_keys.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;

namespace {

Trunk full_trunk() {
    Trunk t;
    t.trunk_id = "acme-1";
    t.customer_id = 7;
    t.name = "Acme PBX";
    t.source_ips = {"192.0.2.0/24", "2001:db8::1"};
    t.username = "acme-pbx";
    t.tech_prefix = "#77";
    t.cli_prefixes = {"4930555"};
    t.cli_policy = CliPolicy::Replace;
    t.default_cli = "4930555000";
    t.pai_policy = PaiPolicy::Set;
    t.codec_set_id = "g711";
    t.channels = 30;
    t.cps = 5;
    t.pop_id = "fra1";
    t.status = TrunkStatus::Disabled;
    t.created_at = core::from_unix_seconds(1'790'000'000);
    return t;
}

TrunkEvent round_trip(const TrunkEvent& e) {
    const auto enc = events::voice::encode(e);
    testing::check_against_schema(enc);
    events::RecordedEvent r;
    r.type = enc.type;
    r.schema = enc.schema;
    r.data = enc.data;
    auto back = events::voice::decode_trunk_event(r);
    REQUIRE_MESSAGE(back.has_value(), enc.data);
    return *back;
}

}  // namespace

TEST_CASE("trunk events round-trip and match their schemas") {
    auto d = std::get<TrunkDefined>(round_trip(TrunkDefined{full_trunk(), "idem:1"}));
    CHECK(d.trunk == full_trunk());
    CHECK(d.command_id == "idem:1");
    TrunkPasswordSet p{"acme-1", {"acme-pbx", "sip.example.com", "sy1:mk_1:abc"}};
    auto p2 = std::get<TrunkPasswordSet>(round_trip(p));
    CHECK(p2.credential == p.credential);
    CHECK(std::get<TrunkRemoved>(round_trip(TrunkRemoved{"acme-1"})).trunk_id == "acme-1");
}

TEST_CASE("the API's view of a trunk has no sealed HA1") {
    TrunkEntry e{full_trunk(), TrunkCredential{"acme-pbx", "sip.example.com", "sy1:mk_1:abc"}};
    const auto o = events::voice::trunk_entry_json(e);
    CHECK(o.at("password_set").as_bool());
    CHECK(o.at("realm").as_string() == "sip.example.com");
    CHECK_FALSE(o.contains("ha1_sealed"));
}
