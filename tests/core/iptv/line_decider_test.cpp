// The line rules as given / when / then.
#include <doctest/doctest.h>

#include "core/iptv/catalogue_decider.hpp"
#include "core/iptv/line_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;

namespace {

DecisionContext ctx() {
    DecisionContext c;
    c.now = from_unix_seconds(1'790'000'000);
    c.random_secret = "AbCdEfGhIjKlMnOpQrStUvWx";
    c.hash_secret = [](const std::string& p) { return "h(" + p + ")"; };
    return c;
}

CatalogueState catalogue_with_bouquet() {
    CatalogueState s;
    evolve(s, CatalogueEvent{BouquetCreated{1, "Basic", {}, {}}});
    return s;
}

CreateLine alice(std::string command_id = "req-1") {
    CreateLine c;
    c.command_id = std::move(command_id);
    c.username = "alice";
    return c;
}

LineState line_of(const LineDecision& d) {
    LineState s;
    for (const auto& e : d.line_events) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("a line without a password gets a generated one of at least 12 characters") {
    auto d = decide(LineRegistryState{}, CatalogueState{}, alice(), ctx());
    REQUIRE(d);
    REQUIRE(d->password);
    CHECK(d->password->size() >= 12);
    CHECK(*d->password == "AbCdEfGhIjKlMnOp");
    const auto& created = std::get<LineCreated>(d->line_events.at(0));
    CHECK(created.password_hash == "h(AbCdEfGhIjKlMnOp)");
    CHECK(created.line_id == 1);
    CHECK(std::get<UsernameClaimed>(d->registry_events.at(0)).username == "alice");
}

TEST_CASE("the password itself never reaches an event") {
    auto c = alice();
    c.password = "s3cret-pass";
    auto d = decide(LineRegistryState{}, CatalogueState{}, c, ctx());
    REQUIRE(d);
    const auto& created = std::get<LineCreated>(d->line_events.at(0));
    CHECK(created.password_hash != "s3cret-pass");
    CHECK(created.password_hash == "h(s3cret-pass)");
}

TEST_CASE("usernames are unique, a retry of the same request is not a clash") {
    auto retry = check_idempotent(LineRegistryState{}, [](const LineRegistryState& r) {
        return decide(r, CatalogueState{}, alice("req-1"), ctx());
    });
    CHECK(retry.second.line_id == retry.first.line_id);

    auto other = decide(retry.state, CatalogueState{}, alice("req-2"), ctx());
    REQUIRE_FALSE(other);
    CHECK(other.error().code == Errc::Conflict);
    CHECK(other.error().field == "username");
}

TEST_CASE("usernames that differ only in case are the same username") {
    LineRegistryState registry;
    auto first = decide(registry, CatalogueState{}, alice("req-1"), ctx());
    REQUIRE(first);
    for (const auto& e : first->registry_events) evolve(registry, e);
    auto upper = alice("req-2");
    upper.username = "ALICE";
    auto clash = decide(registry, CatalogueState{}, upper, ctx());
    REQUIRE_FALSE(clash);
    CHECK(clash.error().code == Errc::Conflict);
    // Released under its own spelling, the name is free in every spelling.
    evolve(registry, UsernameReleased{"alice", first->line_id});
    CHECK(decide(registry, CatalogueState{}, upper, ctx()));
}

TEST_CASE("line fields are validated, naming the field") {
    auto c = alice();
    c.username = "a b";
    CHECK(error_of(decide(LineRegistryState{}, CatalogueState{}, c, ctx())).field == "username");
    c = alice();
    c.password = "short";
    CHECK(error_of(decide(LineRegistryState{}, CatalogueState{}, c, ctx())).field == "password");
    c = alice();
    c.password = "has/slash-in-it";
    CHECK(error_of(decide(LineRegistryState{}, CatalogueState{}, c, ctx())).field == "password");
    c = alice();
    c.settings.max_connections = 0;
    CHECK(error_of(decide(LineRegistryState{}, CatalogueState{}, c, ctx())).field ==
          "max_connections");
    c = alice();
    c.settings.allowed_output_formats = {"ts", "flv"};
    CHECK(error_of(decide(LineRegistryState{}, CatalogueState{}, c, ctx())).field ==
          "allowed_output_formats[1]");
    c = alice();
    c.settings.bouquets = {1, 2};
    auto r = decide(LineRegistryState{}, catalogue_with_bouquet(), c, ctx());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::NotFound);
    CHECK(r.error().field == "bouquets[1]");
}

TEST_CASE("updating a line changes only what is given, and a repeat changes nothing") {
    auto created = decide(LineRegistryState{}, catalogue_with_bouquet(), alice(), ctx());
    REQUIRE(created);
    auto line = line_of(*created);
    UpdateLine u;
    u.line_id = 1;
    u.status = LineStatus::Banned;
    u.bouquets = std::vector<std::int64_t>{1};
    auto updated = check_idempotent(
        line, [&](const LineState& l) { return decide(l, catalogue_with_bouquet(), u, ctx()); });
    CHECK(updated.first.line_events.size() == 1);
    CHECK(updated.state.settings.status == LineStatus::Banned);
    CHECK(updated.state.settings.bouquets == std::vector<std::int64_t>{1});
    CHECK(updated.state.settings.max_connections == 1);
}

TEST_CASE("a password change stores a new hash, the same password again changes nothing") {
    auto created = decide(LineRegistryState{}, CatalogueState{}, alice(), ctx());
    REQUIRE(created);
    UpdateLine u;
    u.line_id = 1;
    u.password = "new-password-1";
    auto changed = check_idempotent(line_of(*created), [&](const LineState& l) {
        return decide(l, CatalogueState{}, u, ctx());
    });
    CHECK(changed.first.line_events.size() == 1);
    CHECK(changed.state.password_hash == "h(new-password-1)");
}

TEST_CASE("deleting a line releases its username, deleting again is a no-op") {
    auto created = decide(LineRegistryState{}, CatalogueState{}, alice(), ctx());
    REQUIRE(created);
    auto deleted = check_idempotent(
        line_of(*created), [](const LineState& l) { return decide(l, DeleteLine{1}, ctx()); });
    CHECK(std::get<UsernameReleased>(deleted.first.registry_events.at(0)).username == "alice");
    auto unknown = decide(LineState{}, DeleteLine{9}, ctx());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::NotFound);
    UpdateLine u;
    u.line_id = 1;
    u.is_trial = true;
    auto gone = decide(deleted.state, CatalogueState{}, u, ctx());
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == Errc::NotFound);
}

TEST_CASE("a line is usable only while active and before its expiry") {
    LineSettings s;
    const auto now = from_unix_seconds(1'790'000'000);
    CHECK(line_usable(s, now));
    s.exp_date = 1'790'000'000;
    CHECK_FALSE(line_usable(s, now));
    s.exp_date = 1'790'000'001;
    CHECK(line_usable(s, now));
    s.status = LineStatus::Disabled;
    CHECK_FALSE(line_usable(s, now));
    s.status = LineStatus::Banned;
    CHECK_FALSE(line_usable(s, now));
}
