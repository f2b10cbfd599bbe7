// Voice reference data: POPs, tiers, codecs, codec sets, channel plans, carriers (given
// events / when command / then events or an error), each command with its idempotency check.
#include <doctest/doctest.h>

#include "core/voice/reference_codes.hpp"
#include "core/voice/reference_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

Pop fra() { return {"fra1", "Frankfurt 1", "eu-central", {"sip.fra1.example.net:5060"}}; }

Codec codec(std::string id, std::string name, std::int64_t pt) {
    return {std::move(id), std::move(name), pt, 8000};
}

Carrier acme() {
    Carrier c;
    c.carrier_id = "acme";
    c.name = "Acme Wholesale";
    c.trunk_hosts = {"198.51.100.7", "sbc.acme.example:5080"};
    c.currency = "USD";
    c.tech_prefix = "0711#";
    return c;
}

}  // namespace

TEST_CASE("a POP is created once, a retry decides nothing, another POP under its id conflicts") {
    auto twice = check_idempotent(ReferenceState{}, [](const ReferenceState& s) {
        return decide(s, DefineItem<Pop>{fra()}, ctx());
    });
    REQUIRE(twice.first.size() == 1);
    CHECK(std::get<ItemDefined<Pop>>(twice.first[0]).item == fra());
    auto other = fra();
    other.region = "eu-west";
    auto clash = decide(twice.state, DefineItem<Pop>{other}, ctx());
    CHECK(error_of(clash).code == core::Errc::Conflict);
    CHECK(error_of(clash).field == "pop_id");
    // The same change as an update is accepted once.
    auto updated = check_idempotent(twice.state, [&](const ReferenceState& s) {
        return decide(s, DefineItem<Pop>{other, DefineMode::Update}, ctx());
    });
    CHECK(updated.state.live<Pop>("fra1")->region == "eu-west");
}

TEST_CASE("a POP's SIP addresses are host:port") {
    auto refused = [](std::vector<std::string> addresses) {
        auto p = fra();
        p.sip_addresses = std::move(addresses);
        return error_of(decide(ReferenceState{}, DefineItem<Pop>{p}, ctx())).field;
    };
    CHECK(refused({}) == "sip_addresses");
    CHECK(refused({"sip.example.net"}) == "sip_addresses");        // no port
    CHECK(refused({"sip.example.net:0"}) == "sip_addresses");      // port 0
    CHECK(refused({"sip.example.net:70000"}) == "sip_addresses");  // beyond 65535
    CHECK(refused({"2001:db8::1:5060"}) == "sip_addresses");       // IPv6 without brackets
    CHECK(refused({"sip example:5060"}) == "sip_addresses");
    auto ok = fra();
    ok.sip_addresses = {"192.0.2.1:5060", "[2001:db8::1]:5061"};
    CHECK(decide(ReferenceState{}, DefineItem<Pop>{ok}, ctx()));
    CHECK(valid_host_port("[2001:db8::1]", false));
    CHECK_FALSE(valid_host_port("[2001:db8::1]", true));
}

TEST_CASE("an update or retirement needs the item, retiring twice decides nothing") {
    auto missing = decide(ReferenceState{}, DefineItem<Pop>{fra(), DefineMode::Update}, ctx());
    CHECK(error_of(missing).code == core::Errc::NotFound);
    CHECK(error_of(missing).field == "pop_id");
    auto s = given<ReferenceState>(std::vector<ReferenceEvent>{ItemDefined<Pop>{fra()}});
    auto twice = check_idempotent(
        s, [](const ReferenceState& st) { return decide(st, RetireItem<Pop>{"fra1"}, ctx()); });
    CHECK(twice.state.live<Pop>("fra1") == nullptr);
    CHECK(twice.state.items<Pop>().at("fra1").retired);
    // A retired item is not changed or re-created.
    auto changed = decide(twice.state, DefineItem<Pop>{fra(), DefineMode::Update}, ctx());
    CHECK(error_of(changed).code == core::Errc::Rejected);
    auto again = decide(twice.state, DefineItem<Pop>{fra()}, ctx());
    CHECK(error_of(again).code == core::Errc::Conflict);
    auto unknown = decide(s, RetireItem<Carrier>{"nope"}, ctx());
    CHECK(error_of(unknown).field == "carrier_id");
}

TEST_CASE("voice tiers: targets in range, seeded only into an empty tier list") {
    VoiceTier t{"premium", "Premium", "CLI routes", 60, 240, 3000, 1};
    check_idempotent(ReferenceState{}, [&](const ReferenceState& s) {
        return decide(s, DefineItem<VoiceTier>{t}, ctx());
    });
    auto bad = t;
    bad.asr_percent = 101;
    CHECK(error_of(decide(ReferenceState{}, DefineItem<VoiceTier>{bad}, ctx())).field ==
          "asr_percent");
    bad = t;
    bad.pdd_ms = -1;
    CHECK(error_of(decide(ReferenceState{}, DefineItem<VoiceTier>{bad}, ctx())).field == "pdd_ms");

    auto standard = t;
    standard.tier_id = "standard";
    SeedTiers seed{{t, standard}};
    auto twice = check_idempotent(ReferenceState{},
                                  [&](const ReferenceState& s) { return decide(s, seed, ctx()); });
    CHECK(twice.first.size() == 2);
    // Retiring every tier does not bring the seed back.
    auto s = twice.state;
    evolve(s, ItemRetired<VoiceTier>{"premium"});
    evolve(s, ItemRetired<VoiceTier>{"standard"});
    CHECK(decide(s, seed, ctx())->empty());
    bad = t;
    bad.tier_id = "Bad";
    CHECK(error_of(decide(ReferenceState{}, SeedTiers{{t, bad}}, ctx())).field ==
          "tiers[1].tier_id");
}

TEST_CASE("codecs have RTP payload types 0-127, a codec set names live codecs") {
    // RFC 3551 table 4: PCMU is payload type 0, PCMA 8, G729 18, all at 8000 Hz.
    auto s = given<ReferenceState>(std::vector<ReferenceEvent>{
        ItemDefined<Codec>{codec("pcmu", "PCMU", 0)}, ItemDefined<Codec>{codec("pcma", "PCMA", 8)},
        ItemDefined<Codec>{codec("g729", "G729", 18)}, ItemRetired<Codec>{"g729"}});
    CHECK(error_of(decide(s, DefineItem<Codec>{codec("x", "X", 128)}, ctx())).field ==
          "payload_type");
    auto zero_rate = codec("x", "X", 96);
    zero_rate.clock_rate = 0;
    CHECK(error_of(decide(s, DefineItem<Codec>{zero_rate}, ctx())).field == "clock_rate");

    CodecSet g711{"g711", "G.711", {"pcma", "pcmu"}};
    check_idempotent(
        s, [&](const ReferenceState& st) { return decide(st, DefineItem<CodecSet>{g711}, ctx()); });
    auto with = [&](std::vector<std::string> codecs) {
        CodecSet c{"set", "Set", std::move(codecs)};
        return decide(s, DefineItem<CodecSet>{c}, ctx());
    };
    CHECK(error_of(with({})).field == "codecs");
    CHECK(error_of(with({"pcmu", "pcmu"})).field == "codecs");
    CHECK(error_of(with({"opus"})).code == core::Errc::NotFound);
    CHECK(error_of(with({"g729"})).code == core::Errc::Rejected);
}

TEST_CASE("channel plans hold at least one channel and one call per second") {
    ChannelPlan p{"c30", "30 channels", 30, 5};
    check_idempotent(ReferenceState{}, [&](const ReferenceState& s) {
        return decide(s, DefineItem<ChannelPlan>{p}, ctx());
    });
    auto bad = p;
    bad.channels = 0;
    CHECK(error_of(decide(ReferenceState{}, DefineItem<ChannelPlan>{bad}, ctx())).field ==
          "channels");
    bad = p;
    bad.cps = 0;
    CHECK(error_of(decide(ReferenceState{}, DefineItem<ChannelPlan>{bad}, ctx())).field == "cps");
}

TEST_CASE("carriers: trunk hosts, an ISO 4217 currency, a tech prefix of digits, # and *") {
    auto twice = check_idempotent(ReferenceState{}, [](const ReferenceState& s) {
        return decide(s, DefineItem<Carrier>{acme()}, ctx());
    });
    CHECK(twice.state.live<Carrier>("acme")->status == CarrierStatus::Active);
    auto refused = [](auto change) {
        auto c = acme();
        change(c);
        return error_of(decide(ReferenceState{}, DefineItem<Carrier>{c}, ctx())).field;
    };
    CHECK(refused([](Carrier& c) { c.trunk_hosts = {}; }) == "trunk_hosts");
    CHECK(refused([](Carrier& c) { c.trunk_hosts = {"bad host"}; }) == "trunk_hosts");
    CHECK(refused([](Carrier& c) { c.currency = "usd"; }) == "currency");
    CHECK(refused([](Carrier& c) { c.currency = "XXX"; }) == "currency");
    CHECK(refused([](Carrier& c) { c.tech_prefix = "07-11"; }) == "tech_prefix");
    CHECK(refused([](Carrier& c) { c.carrier_id = ""; }) == "carrier_id");
    CarrierStatus st{};
    CHECK(parse_carrier_status("suspended", st));
    CHECK(st == CarrierStatus::Suspended);
    CHECK_FALSE(parse_carrier_status("retired", st));  // retiring is its own command
}

TEST_CASE("the ISO code lists hold the codes and refuse lookalikes") {
    CHECK(is_iso3166_alpha2("DE"));
    CHECK(is_iso3166_alpha2("GB"));
    CHECK(is_iso3166_alpha2("ZW"));
    CHECK_FALSE(is_iso3166_alpha2("UK"));
    CHECK_FALSE(is_iso3166_alpha2("EU"));
    CHECK_FALSE(is_iso3166_alpha2("de"));
    CHECK(is_iso4217("EUR"));
    CHECK(is_iso4217("USD"));
    CHECK(is_iso4217("JPY"));
    CHECK_FALSE(is_iso4217("EURO"));
    CHECK_FALSE(is_iso4217("US"));
}
