// Customer SIP trunks on the memory log: identify() across source addresses (CIDR, IPv6, the
// longest block), digest usernames, the challenge, the caller-ID, PAI and codec rules; HA1 by
// RFC 2617; the password in no event.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "events/memory_event_store.hpp"
#include "events/voice/trunk_codec.hpp"
#include "events/voice/trunk_service.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

core::DecisionContext ctx(std::int64_t seconds = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + seconds);
    c.correlation_id = "req-" + std::to_string(seconds);
    return c;
}

constexpr const char* kRealm = "sip.example.com";

struct World {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::voice::VoiceService voice{*store, "op"};
    events::voice::TariffRegistry tariffs;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    events::voice::TrunkService trunks{*store, "op", voice, tariffs, keyring, kRealm};
    std::int64_t acme = 0, globex = 0;

    World() {
        REQUIRE(voice.execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}},
                              ctx()));
        REQUIRE(voice.execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, ctx()));
        REQUIRE(voice.execute(DefineItem<Codec>{Codec{"pcma", "PCMA", 8, 8000}}, ctx()));
        REQUIRE(voice.execute(DefineItem<Codec>{Codec{"pcmu", "PCMU", 0, 8000}}, ctx()));
        REQUIRE(voice.execute(DefineItem<Codec>{Codec{"g729", "G729", 18, 8000}}, ctx()));
        REQUIRE(voice.execute(DefineItem<CodecSet>{CodecSet{"g711", "G.711", {"pcma", "pcmu"}}},
                              ctx()));
        acme = customer("Acme", {"4930555"});
        globex = customer("Globex", {});
        Assignment a;
        a.kind = ItemKind::RouteGroup;
        a.value = "premium-de";
        a.scope = AssignmentScope::Customer;
        a.target = std::to_string(acme);
        REQUIRE(voice.execute(CreateAssignment{a, "as-1"}, ctx()));
    }

    std::int64_t customer(std::string name, std::vector<std::string> caller_prefixes) {
        Customer c;
        c.name = std::move(name);
        c.country = "DE";
        c.currency = "EUR";
        c.category_id = "sip_trunk";
        c.group_id = "gold";
        c.caller_prefixes = std::move(caller_prefixes);
        auto o = voice.execute(CreateCustomer{c, "c-" + c.name}, ctx());
        REQUIRE(o);
        return o->id;
    }

    void define(Trunk t) {
        auto o = trunks.execute(DefineTrunk{std::move(t), DefineMode::Create, ""}, ctx());
        REQUIRE_MESSAGE(o.has_value(), (o ? "" : o.error().field + " " + o.error().message));
    }

    std::variant<TrunkMatch, CallRefusal> identify(const CallSetup& s) {
        auto r = trunks.identify(s);
        REQUIRE(r.has_value());
        return *r;
    }
};

Trunk trunk(std::string id, std::int64_t customer, std::vector<std::string> ips,
            std::string username = "") {
    Trunk t;
    t.trunk_id = std::move(id);
    t.customer_id = customer;
    t.name = t.trunk_id;
    t.source_ips = std::move(ips);
    t.username = std::move(username);
    return t;
}

CallSetup invite(std::string source_ip, std::string ruri = "4930123456",
                 std::string from = "4930555000") {
    CallSetup s;
    s.call_id = "call-1";
    s.source_ip = std::move(source_ip);
    s.ruri_user = std::move(ruri);
    s.from_user = std::move(from);
    s.setup_at = core::from_unix_seconds(1'790'000'100);
    return s;
}

TrunkMatch matched(const std::variant<TrunkMatch, CallRefusal>& a) {
    REQUIRE_MESSAGE(
        std::holds_alternative<TrunkMatch>(a), "refused: ",
        std::holds_alternative<CallRefusal>(a) ? std::get<CallRefusal>(a).code : std::string());
    return std::get<TrunkMatch>(a);
}

CallRefusal refused(const std::variant<TrunkMatch, CallRefusal>& a) {
    REQUIRE(std::holds_alternative<CallRefusal>(a));
    return std::get<CallRefusal>(a);
}

}  // namespace

TEST_CASE("HA1 is the RFC 2617 example's for Mufasa") {
    CHECK(events::voice::digest_ha1("Mufasa", "testrealm@host.com", "Circle Of Life") ==
          "939e7578ed9e3c518a452acee763bce9");
}

TEST_CASE("identify by source address: the longest block wins, IPv6 too") {
    World w;
    w.define(trunk("acme-wide", w.acme, {"192.0.2.0/24"}));
    w.define(trunk("acme-narrow", w.acme, {"192.0.2.128/25", "2001:db8:1::/48"}));
    w.define(trunk("globex", w.globex, {"198.51.100.7"}));
    CHECK(matched(w.identify(invite("192.0.2.5"))).trunk_id == "acme-wide");
    CHECK(matched(w.identify(invite("192.0.2.130"))).trunk_id == "acme-narrow");
    CHECK(matched(w.identify(invite("2001:db8:1::99"))).trunk_id == "acme-narrow");
    const auto g = matched(w.identify(invite("198.51.100.7", "4930123456", "4940111")));
    CHECK(g.trunk_id == "globex");
    CHECK(g.customer_id == w.globex);
    CHECK(g.currency == "EUR");
    CHECK(g.route_group_id.empty());
    const auto r = refused(w.identify(invite("203.0.113.1")));
    CHECK(r.sip_code == 403);
    CHECK(r.code == "unknown_trunk");
}

TEST_CASE("identify by digest username, and no credentials for a digest trunk is a challenge") {
    World w;
    w.define(trunk("acme-ip", w.acme, {"192.0.2.0/24"}));
    w.define(trunk("acme-pbx", w.acme, {}, "acme-pbx"));
    auto s = invite("203.0.113.9");
    s.auth_user = "acme-pbx";
    CHECK(matched(w.identify(s)).trunk_id == "acme-pbx");
    s.auth_user = "nobody";
    CHECK(refused(w.identify(s)).code == "unknown_trunk");
    s.auth_user.clear();
    const auto r = refused(w.identify(s));
    CHECK(r.code == "challenge");
    CHECK(r.sip_code == 407);
    // An IP trunk still answers by address without credentials.
    CHECK(matched(w.identify(invite("192.0.2.1"))).trunk_id == "acme-ip");
}

TEST_CASE("a trunk with addresses and a username needs both") {
    World w;
    w.define(trunk("both", w.acme, {"192.0.2.0/24"}, "both-user"));
    CHECK(refused(w.identify(invite("192.0.2.1"))).code == "challenge");
    auto s = invite("192.0.2.1");
    s.auth_user = "both-user";
    CHECK(matched(w.identify(s)).trunk_id == "both");
    s.source_ip = "203.0.113.1";
    CHECK(refused(w.identify(s)).code == "unknown_trunk");
}

TEST_CASE("the tech prefix is stripped and the number read as E.164, and route group assigned") {
    World w;
    auto t = trunk("acme", w.acme, {"192.0.2.1"});
    t.tech_prefix = "#77";
    w.define(t);
    const auto m = matched(w.identify(invite("192.0.2.1", "#77+4930123456")));
    CHECK(m.destination == "4930123456");
    CHECK(m.tech_prefix == "#77");
    CHECK(m.route_group_id == "premium-de");
    // A national number of the customer's country (DE).
    CHECK(matched(w.identify(invite("192.0.2.1", "#77030123456"))).destination == "4930123456");
    CHECK(matched(w.identify(invite("192.0.2.1", "#7700441632960000"))).destination ==
          "441632960000");
}

TEST_CASE("caller-ID rules: reject outside the ranges, or replace with the default CLI") {
    World w;
    auto t = trunk("acme", w.acme, {"192.0.2.1"});
    t.cli_prefixes = {"4930555"};
    w.define(t);
    CHECK(matched(w.identify(invite("192.0.2.1", "4930123456", "+4930555123"))).caller ==
          "4930555123");
    const auto r = refused(w.identify(invite("192.0.2.1", "4930123456", "4940999")));
    CHECK(r.code == "cli_not_allowed");
    CHECK(r.sip_code == 403);
    t.cli_policy = CliPolicy::Replace;
    t.default_cli = "4930555000";
    REQUIRE(w.trunks.execute(DefineTrunk{t, DefineMode::Update, ""}, ctx(1)));
    CHECK(matched(w.identify(invite("192.0.2.1", "4930123456", "4940999"))).caller == "4930555000");
}

TEST_CASE("the customer's caller prefixes apply when the trunk has none") {
    World w;
    w.define(trunk("acme", w.acme, {"192.0.2.1"}));  // Acme's caller prefix: 4930555
    CHECK(refused(w.identify(invite("192.0.2.1", "4930123456", "4940999"))).code ==
          "cli_not_allowed");
}

TEST_CASE("P-Asserted-Identity: pass, strip, set from the default CLI") {
    World w;
    auto t = trunk("acme", w.acme, {"192.0.2.1"});
    t.default_cli = "4930555000";
    w.define(t);
    auto s = invite("192.0.2.1");
    s.pai_user = "4930555777";
    CHECK(matched(w.identify(s)).pai_user == "4930555777");
    t.pai_policy = PaiPolicy::Strip;
    REQUIRE(w.trunks.execute(DefineTrunk{t, DefineMode::Update, ""}, ctx(1)));
    CHECK(matched(w.identify(s)).pai_user.empty());
    t.pai_policy = PaiPolicy::Set;
    REQUIRE(w.trunks.execute(DefineTrunk{t, DefineMode::Update, ""}, ctx(2)));
    CHECK(matched(w.identify(s)).pai_user == "4930555000");
}

TEST_CASE(
    "codecs: an offer sharing none with the codec set is 488, and none offered is not checked") {
    World w;
    auto t = trunk("acme", w.acme, {"192.0.2.1"});
    t.codec_set_id = "g711";
    w.define(t);
    auto s = invite("192.0.2.1");
    s.codecs = {"G729"};
    const auto r = refused(w.identify(s));
    CHECK(r.sip_code == 488);
    CHECK(r.code == "codec_not_allowed");
    s.codecs = {"G729", "pcma"};
    CHECK(matched(w.identify(s)).trunk_id == "acme");
    s.codecs.clear();
    CHECK(matched(w.identify(s)).trunk_id == "acme");
}

TEST_CASE("a suspended customer's trunk is refused 403 customer_suspended") {
    World w;
    w.define(trunk("globex", w.globex, {"198.51.100.7"}));
    auto c = w.voice.effective_config(w.globex)->customer;
    c.status = CustomerStatus::Suspended;
    REQUIRE(w.voice.execute(UpdateCustomer{c}, ctx(1)));
    const auto r = refused(w.identify(invite("198.51.100.7", "4930123456", "4940111")));
    CHECK(r.code == "customer_suspended");
    CHECK(r.sip_code == 403);
}

TEST_CASE("a password is kept as a sealed HA1 for the realm: in no event, not for other realms") {
    World w;
    w.define(trunk("acme-pbx", w.acme, {}, "acme-pbx"));
    const std::string password = "s3cret-Passw0rd";
    CHECK(error_of(w.trunks.ha1("acme-pbx", kRealm)).field == "username");  // none set yet
    REQUIRE(w.trunks.set_password("acme-pbx", password, ctx(1)));
    const auto expected = events::voice::digest_ha1("acme-pbx", kRealm, password);
    auto ha1 = w.trunks.ha1("acme-pbx", kRealm);
    REQUIRE(ha1.has_value());
    CHECK(*ha1 == expected);
    CHECK(error_of(w.trunks.ha1("acme-pbx", "other.example.com")).field == "realm");
    CHECK(error_of(w.trunks.ha1("nobody", kRealm)).code == core::Errc::NotFound);
    auto all = w.store->read_all({}, 10000);
    REQUIRE(all.has_value());
    bool seen = false;
    for (const auto& e : *all) {
        CHECK(e.data.find(password) == std::string::npos);
        CHECK(e.data.find(expected) == std::string::npos);
        if (e.type == "voice.trunk.password_set") seen = true;
    }
    CHECK(seen);
    // What the API shows of the trunk says a password is set, and nothing of it.
    auto entry = w.trunks.find("acme-pbx");
    REQUIRE(entry.has_value());
    REQUIRE(entry->has_value());
    const auto shown = boost::json::serialize(events::voice::trunk_entry_json(**entry));
    CHECK(shown.find("\"password_set\":true") != std::string::npos);
    CHECK(shown.find("sy1:") == std::string::npos);
    CHECK(shown.find(expected) == std::string::npos);
    CHECK(error_of(w.trunks.set_password("acme-pbx", "short", ctx(2))).field == "password");
}

TEST_CASE("a master key rotation reseals the HA1s, which still verify") {
    World w;
    w.define(trunk("acme-pbx", w.acme, {}, "acme-pbx"));
    w.define(trunk("acme-ip", w.acme, {"192.0.2.1"}));
    REQUIRE(w.trunks.set_password("acme-pbx", "s3cret-Passw0rd", ctx(1)));
    w.keyring.rotate();
    auto n = w.trunks.reseal_ha1s(ctx(2));
    REQUIRE(n.has_value());
    CHECK(*n == 1);
    auto again = w.trunks.reseal_ha1s(ctx(3));
    REQUIRE(again.has_value());
    CHECK(*again == 0);
    w.keyring.retire_old_keys();
    auto ha1 = w.trunks.ha1("acme-pbx", kRealm);
    REQUIRE(ha1.has_value());
    CHECK(*ha1 == events::voice::digest_ha1("acme-pbx", kRealm, "s3cret-Passw0rd"));
}
