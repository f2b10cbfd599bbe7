// Customer SIP trunks: each rule of core/voice/trunk_decider.hpp, given/when/then.
#include <doctest/doctest.h>

#include "core/voice/trunk_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

DecisionContext ctx() {
    DecisionContext c;
    c.now = parse_rfc3339("2026-03-02T10:00:00Z").value();
    return c;
}

DirectoryState directory() {
    DirectoryState d;
    for (std::int64_t id : {1, 2}) {
        Customer c;
        c.customer_id = id;
        c.name = "customer " + std::to_string(id);
        d.customers[id] = c;
    }
    return d;
}

ReferenceState reference() {
    ReferenceState r;
    r.items<CodecSet>()["g711"] = {CodecSet{"g711", "G.711", {"pcma", "pcmu"}}, false};
    r.items<CodecSet>()["old"] = {CodecSet{"old", "Old", {"gsm"}}, true};
    return r;
}

Trunk ip_trunk(std::string id, std::int64_t customer, std::vector<std::string> ips) {
    Trunk t;
    t.trunk_id = std::move(id);
    t.customer_id = customer;
    t.name = "trunk " + t.trunk_id;
    t.source_ips = std::move(ips);
    return t;
}

Result<std::vector<TrunkEvent>> define(const TrunkState& s, Trunk t,
                                       DefineMode mode = DefineMode::Create,
                                       std::string command = "") {
    return decide(s, directory(), reference(), DefineTrunk{std::move(t), mode, std::move(command)},
                  ctx());
}

TrunkState given(std::vector<Trunk> trunks) {
    TrunkState s;
    for (auto& t : trunks) evolve(s, TrunkEvent{TrunkDefined{t, ""}});
    return s;
}

}  // namespace

TEST_CASE("ip blocks: bare addresses are /32 and /128, host bits and bad prefixes refused") {
    std::string error;
    auto a = IpBlock::parse("192.0.2.7", error);
    REQUIRE(a);
    CHECK(a->prefix == 32);
    CHECK(a->contains("192.0.2.7"));
    CHECK_FALSE(a->contains("192.0.2.8"));
    auto net = IpBlock::parse("192.0.2.0/24", error);
    REQUIRE(net);
    CHECK(net->contains("192.0.2.200"));
    CHECK(net->overlaps(*a));
    CHECK_FALSE(net->contains("2001:db8::1"));
    auto v6 = IpBlock::parse("2001:db8::/32", error);
    REQUIRE(v6);
    CHECK(v6->contains("2001:db8:ffff::1"));
    CHECK_FALSE(v6->overlaps(*net));
    CHECK_FALSE(IpBlock::parse("192.0.2.1/24", error));
    CHECK(error.find("host bits") != std::string::npos);
    CHECK_FALSE(IpBlock::parse("192.0.2.0/33", error));
    CHECK_FALSE(IpBlock::parse("example.com", error));
}

TEST_CASE("a trunk is created with the decider's time and its id") {
    auto events = define({}, ip_trunk("acme-1", 1, {"192.0.2.0/24"}));
    REQUIRE(events.has_value());
    REQUIRE(events->size() == 1);
    const auto& e = std::get<TrunkDefined>(events->front());
    CHECK(e.trunk.trunk_id == "acme-1");
    CHECK(e.trunk.created_at == ctx().now);
}

TEST_CASE("a trunk needs an address block or a digest username") {
    CHECK(error_of(define({}, ip_trunk("t1", 1, {}))).field == "source_ips");
    auto t = ip_trunk("t1", 1, {});
    t.username = "acme";
    CHECK(define({}, t).has_value());
}

TEST_CASE("a block overlapping another customer's trunk is a conflict naming source_ips") {
    const auto s = given({ip_trunk("a", 1, {"192.0.2.0/24"})});
    auto e = error_of(define(s, ip_trunk("b", 2, {"192.0.2.128/25"})));
    CHECK(e.code == Errc::Conflict);
    CHECK(e.field == "source_ips");
    // The same customer may nest a narrower block (the longest match tells them apart) ...
    CHECK(define(s, ip_trunk("c", 1, {"192.0.2.128/25"})).has_value());
    // ... but not repeat a block: an INVITE must identify exactly one trunk.
    CHECK(error_of(define(s, ip_trunk("d", 1, {"192.0.2.0/24"}))).code == Errc::Conflict);
}

TEST_CASE("a digest username belongs to one trunk of the tenant") {
    auto a = ip_trunk("a", 1, {});
    a.username = "acme";
    const auto s = given({a});
    auto b = ip_trunk("b", 2, {});
    b.username = "acme";
    auto e = error_of(define(s, b));
    CHECK(e.code == Errc::Conflict);
    CHECK(e.field == "username");
}

TEST_CASE("unknown customer, codec set and retired codec set are refused by name") {
    CHECK(error_of(define({}, ip_trunk("a", 9, {"192.0.2.1"}))).field == "customer_id");
    auto t = ip_trunk("a", 1, {"192.0.2.1"});
    t.codec_set_id = "nope";
    auto e = error_of(define({}, t));
    CHECK(e.code == Errc::NotFound);
    CHECK(e.field == "codec_set_id");
    t.codec_set_id = "old";
    CHECK(error_of(define({}, t)).code == Errc::Rejected);
    t.codec_set_id = "g711";
    CHECK(define({}, t).has_value());
}

TEST_CASE("caller-ID rules: E.164 prefixes, replace and set need a default CLI") {
    auto t = ip_trunk("a", 1, {"192.0.2.1"});
    t.cli_prefixes = {"+4930"};
    CHECK(error_of(define({}, t)).field == "cli_prefixes");
    t.cli_prefixes = {"4930"};
    t.cli_policy = CliPolicy::Replace;
    CHECK(error_of(define({}, t)).field == "cli_policy");
    t.cli_policy = CliPolicy::Reject;
    t.pai_policy = PaiPolicy::Set;
    CHECK(error_of(define({}, t)).field == "pai_policy");
    t.default_cli = "4930123000";
    CHECK(define({}, t).has_value());
}

TEST_CASE("create is idempotent on its command id, and update keeps customer and created_at") {
    auto t = ip_trunk("a", 1, {"192.0.2.1"});
    TrunkState s;
    auto first = define(s, t, DefineMode::Create, "cmd-1");
    REQUIRE(first.has_value());
    for (const auto& e : *first) evolve(s, e);
    auto again = define(s, t, DefineMode::Create, "cmd-1");
    REQUIRE(again.has_value());
    CHECK(again->empty());
    CHECK(error_of(define(s, t, DefineMode::Create, "cmd-2")).code == Errc::Conflict);
    auto moved = t;
    moved.customer_id = 2;
    CHECK(error_of(define(s, moved, DefineMode::Update)).code == Errc::Rejected);
    auto same = define(s, s.trunks.at("a").trunk, DefineMode::Update);
    REQUIRE(same.has_value());
    CHECK(same->empty());
}

TEST_CASE("a password needs a digest username, and a new username drops the HA1") {
    auto t = ip_trunk("a", 1, {"192.0.2.1"});
    auto s = given({t});
    TrunkCredential cred{"acme", "sip.example.com", "sy1:k:sealed"};
    CHECK(error_of(decide(s, SetTrunkPassword{"a", cred}, ctx())).field == "username");
    t.username = "acme";
    evolve(s, TrunkEvent{TrunkDefined{t, ""}});
    auto set = decide(s, SetTrunkPassword{"a", cred}, ctx());
    REQUIRE(set.has_value());
    for (const auto& e : *set) evolve(s, e);
    CHECK(s.trunks.at("a").credential.has_value());
    t.username = "acme2";
    evolve(s, TrunkEvent{TrunkDefined{t, ""}});
    CHECK_FALSE(s.trunks.at("a").credential.has_value());
    CHECK(s.usernames.count("acme") == 0);
    CHECK(s.usernames.at("acme2") == "a");
}

TEST_CASE("removing a trunk frees its id, and removing it again decides nothing") {
    auto s = given({ip_trunk("a", 1, {"192.0.2.1"})});
    auto removed = decide(s, RemoveTrunk{"a"}, ctx());
    REQUIRE(removed.has_value());
    REQUIRE(removed->size() == 1);
    for (const auto& e : *removed) evolve(s, e);
    auto again = decide(s, RemoveTrunk{"a"}, ctx());
    REQUIRE(again.has_value());
    CHECK(again->empty());
    CHECK(error_of(decide(s, RemoveTrunk{"never"}, ctx())).code == Errc::NotFound);
    CHECK(define(s, ip_trunk("b", 2, {"192.0.2.1"})).has_value());
}

TEST_CASE("every trunk command is idempotent") {
    using switchyard::testing::check_idempotent;
    check_idempotent(TrunkState{}, [](const TrunkState& s) {
        return define(s, ip_trunk("a", 1, {"192.0.2.1"}), DefineMode::Create, "cmd-1");
    });
    auto t = ip_trunk("a", 1, {"192.0.2.1"});
    const auto s = given({t});
    t.cps = 7;
    check_idempotent(s, [&](const TrunkState& st) { return define(st, t, DefineMode::Update); });
    check_idempotent(s, [](const TrunkState& st) { return decide(st, RemoveTrunk{"a"}, ctx()); });
}
