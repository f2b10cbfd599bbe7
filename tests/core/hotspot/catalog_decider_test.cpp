// NAS and plans of a tenant's catalog: given events / when command / then events or an error
// naming the field, and every command's idempotency by command id.
#include <doctest/doctest.h>

#include "core/hotspot/catalog_decider.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;
using switchyard::testing::hotspot::at;
using switchyard::testing::hotspot::hour;
using switchyard::testing::hotspot::lobby;

namespace {

DefineNas define(Nas n, std::string secret = "s3cret-radius-key", std::string id = "c1") {
    return DefineNas{std::move(n), std::move(secret), DefineMode::Create, std::move(id)};
}

std::string refused_field(const CatalogState& s, const DefineNas& c) {
    return error_of(decide(s, c, at())).field;
}
std::string refused_field(const CatalogState& s, const DefinePlan& c) {
    return error_of(decide(s, c, at())).field;
}

}  // namespace

TEST_CASE("the vendor wire names, aliases and CoA ports") {
    Vendor v{};
    for (auto [name, expected] : {std::pair{"mikrotik", Vendor::Mikrotik},
                                  {"omada", Vendor::Omada},
                                  {"ruijie", Vendor::Ruijie},
                                  {"meraki", Vendor::Meraki},
                                  {"chillispot", Vendor::Chillispot},
                                  {"cisco", Vendor::Cisco},
                                  {"generic", Vendor::Generic}}) {
        REQUIRE(parse_vendor(name, v));
        CHECK(v == expected);
        CHECK(std::string(to_string(v)) == name);
    }
    REQUIRE(parse_vendor("coova", v));
    CHECK(v == Vendor::Chillispot);
    CHECK_FALSE(parse_vendor("Mikrotik", v));
    CHECK_FALSE(parse_vendor("", v));
    // RouterOS /radius incoming listens on 1700; RFC 5176 section 3 assigns 3799.
    CHECK(default_coa_port(Vendor::Mikrotik) == 1700);
    CHECK(default_coa_port(Vendor::Omada) == 3799);
    CHECK(default_coa_port(Vendor::Generic) == 3799);
}

TEST_CASE("the other enums read back their wire names and refuse others") {
    ServiceType s{};
    CHECK((parse_service_type("pppoe", s) && s == ServiceType::Pppoe));
    CHECK(std::string(to_string(ServiceType::Hotspot)) == "hotspot");
    TimeFrom t{};
    CHECK((parse_time_from("purchase", t) && t == TimeFrom::Purchase));
    CHECK(std::string(to_string(TimeFrom::FirstLogin)) == "first_login");
    DataDirection d{};
    CHECK((parse_data_direction("upload", d) && d == DataDirection::Upload));
    CHECK(std::string(to_string(DataDirection::Download)) == "download");
    AccountStatus a{};
    CHECK((parse_account_status("exhausted", a) && a == AccountStatus::Exhausted));
    CHECK(std::string(to_string(AccountStatus::Disabled)) == "disabled");
    VoucherState v{};
    CHECK((parse_voucher_state("revoked", v) && v == VoucherState::Revoked));
    CHECK(std::string(to_string(VoucherState::Unused)) == "unused");
    CHECK_FALSE(parse_service_type("PPPoE", s));
    CHECK_FALSE(parse_time_from("login", t));
    CHECK_FALSE(parse_data_direction("both", d));
    CHECK_FALSE(parse_account_status("", a));
    CHECK_FALSE(parse_voucher_state("used", v));
}

TEST_CASE("a MikroTik NAS without a CoA port gets 1700, and defining it again by id does nothing") {
    auto r = check_idempotent(
        CatalogState{}, [](const CatalogState& s) { return decide(s, define(lobby()), at()); });
    REQUIRE(r.first.size() == 1);
    const auto& e = std::get<NasDefined>(r.first[0]);
    CHECK(e.nas.coa_port == 1700);
    CHECK(e.nas.address == "192.0.2.10");
    CHECK(e.command_id == "c1");
    CHECK(r.state.nas.at("lobby").secret_sealed == "sy1:mk_test:sealed-lobby");
}

TEST_CASE("a NAS is refused naming the field that is wrong") {
    const CatalogState none;
    auto n = lobby();
    n.nas_id = "Lobby";
    CHECK(refused_field(none, define(n)) == "nas_id");
    n = lobby();
    n.address = "192.0.2.300";
    CHECK(refused_field(none, define(n)) == "address");
    n.address = "nas.example.com";
    CHECK(refused_field(none, define(n)) == "address");
    n.address = "10.0.0.0/33";
    CHECK(refused_field(none, define(n)) == "address");
    n = lobby();
    n.name = "";
    CHECK(refused_field(none, define(n)) == "name");
    n = lobby();
    n.timezone = "berlin";
    CHECK(refused_field(none, define(n)) == "timezone");
    n = lobby();
    n.coa_address = "not-an-ip";
    CHECK(refused_field(none, define(n)) == "coa_address");
    n = lobby();
    n.owner_path = "u_1";
    CHECK(refused_field(none, define(n)) == "owner_path");
    CHECK(refused_field(none, define(lobby(), "short")) == "secret");
    CHECK(refused_field(none, define(lobby(), "")) == "secret");
    CHECK(refused_field(none, define(lobby(), "has a blank")) == "secret");
    CHECK(refused_field(none, define(lobby(), std::string(129, 'x'))) == "secret");
    // CIDR blocks and IPv6 are fine.
    n = lobby();
    n.address = "2001:db8:10::/48";
    CHECK(decide(none, define(n), at()).has_value());
}

TEST_CASE("a NAS id or address taken is a conflict, an update keeps the secret and the state") {
    auto stored = lobby();
    stored.coa_port = 1700;  // as decided
    auto s = given<CatalogState, CatalogEvent>({NasDefined{stored, "c0"}});
    auto dup = lobby();
    dup.address = "192.0.2.11";
    auto e = error_of(decide(s, define(dup, "s3cret-radius-key", "c2"), at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "nas_id");
    auto other = lobby();
    other.nas_id = "pool";
    e = error_of(decide(s, define(other, "s3cret-radius-key", "c3"), at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "address");

    auto renamed = lobby();
    renamed.name = "Lobby (new)";
    renamed.secret_sealed.clear();
    renamed.coa_port = 1700;
    DefineNas update{renamed, "", DefineMode::Update, "c4"};
    auto events = decide(s, update, at());
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK(std::get<NasDefined>((*events)[0]).nas.secret_sealed == "sy1:mk_test:sealed-lobby");
    // The same fields without a new secret change nothing, whatever the command id.
    auto same = lobby();
    same.secret_sealed.clear();
    same.coa_port = 1700;
    CHECK(decide(s, DefineNas{same, "", DefineMode::Update, "c5"}, at())->empty());
    auto missing = lobby();
    missing.nas_id = "ghost";
    e = error_of(decide(s, DefineNas{missing, "", DefineMode::Update, "c6"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "nas_id");
}

TEST_CASE("disabling and enabling a NAS, each idempotent") {
    auto s = given<CatalogState, CatalogEvent>({NasDefined{lobby(), "c0"}});
    auto off = check_idempotent(s, [](const CatalogState& st) {
        return decide(st, DisableNas{"lobby", "stolen", "d1"}, at());
    });
    CHECK(off.state.nas.at("lobby").disabled);
    // Disabled again by another request: nothing either.
    CHECK(decide(off.state, DisableNas{"lobby", "", "d2"}, at())->empty());
    auto on = check_idempotent(off.state, [](const CatalogState& st) {
        return decide(st, EnableNas{"lobby", "e1"}, at());
    });
    CHECK_FALSE(on.state.nas.at("lobby").disabled);
    CHECK(error_of(decide(s, DisableNas{"ghost", "", "d3"}, at())).code == core::Errc::NotFound);
    CHECK(error_of(decide(s, EnableNas{"ghost", "e3"}, at())).field == "nas_id");
}

TEST_CASE(
    "a NAS is found by its address or the longest CIDR block holding it, a disabled one "
    "never") {
    auto wide = lobby();
    wide.nas_id = "campus";
    wide.address = "10.0.0.0/8";
    auto narrow = lobby();
    narrow.nas_id = "library";
    narrow.address = "10.20.0.0/16";
    auto host = lobby();
    host.nas_id = "gate";
    host.address = "10.20.30.40/32";
    auto v6 = lobby();
    v6.nas_id = "v6";
    v6.address = "2001:db8::1";
    auto s = given<CatalogState, CatalogEvent>({NasDefined{lobby(), "a"}, NasDefined{wide, "b"},
                                                NasDefined{narrow, "c"}, NasDefined{host, "d"},
                                                NasDefined{v6, "e"}});
    CHECK(find_nas_by_address(s, "192.0.2.10")->nas_id == "lobby");
    CHECK(find_nas_by_address(s, "10.1.2.3")->nas_id == "campus");
    CHECK(find_nas_by_address(s, "10.20.1.1")->nas_id == "library");
    CHECK(find_nas_by_address(s, "10.20.30.40")->nas_id == "gate");
    CHECK(find_nas_by_address(s, "2001:0db8:0:0::1")->nas_id == "v6");
    CHECK_FALSE(find_nas_by_address(s, "192.0.2.11"));
    CHECK_FALSE(find_nas_by_address(s, "11.0.0.1"));
    CHECK_FALSE(find_nas_by_address(s, "garbage"));
    evolve(s, NasDisabled{"library", "", "x"});
    CHECK(find_nas_by_address(s, "10.20.1.1")->nas_id == "campus");
}

TEST_CASE("a plan is defined once per command id, and updated keeping its retirement") {
    auto r = check_idempotent(CatalogState{}, [](const CatalogState& s) {
        return decide(s, DefinePlan{hour(), DefineMode::Create, "p1"}, at());
    });
    CHECK(r.state.plans.at("1h") == hour());
    auto e = error_of(decide(r.state, DefinePlan{hour(), DefineMode::Create, "p2"}, at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "plan_id");
    auto retired = check_idempotent(r.state, [](const CatalogState& s) {
        return decide(s, RetirePlan{"1h", "r1"}, at());
    });
    CHECK(retired.state.plans.at("1h").retired);
    CHECK(decide(retired.state, RetirePlan{"1h", "r2"}, at())->empty());
    auto cheaper = hour();
    cheaper.price_micros = 2'000'000;
    auto updated = decide(retired.state, DefinePlan{cheaper, DefineMode::Update, "p3"}, at());
    REQUIRE(updated);
    REQUIRE(updated->size() == 1);
    CHECK(std::get<PlanDefined>((*updated)[0]).plan.retired);
    CHECK(error_of(decide(r.state, RetirePlan{"2h", "r3"}, at())).code == core::Errc::NotFound);
}

TEST_CASE("a plan is refused naming the limit that is not positive or out of range") {
    const CatalogState none;
    auto define = [](Plan p) { return DefinePlan{std::move(p), DefineMode::Create, "p"}; };
    auto p = hour();
    p.duration_seconds = 0;
    CHECK(refused_field(none, define(p)) == "duration_seconds");
    p = hour();
    p.data_limit_bytes = -1;
    CHECK(refused_field(none, define(p)) == "data_limit_bytes");
    p = hour();
    p.download_kbps = 0;
    CHECK(refused_field(none, define(p)) == "download_kbps");
    p = hour();
    p.upload_kbps = -512;
    CHECK(refused_field(none, define(p)) == "upload_kbps");
    p = hour();
    p.session_time_seconds = 0;
    CHECK(refused_field(none, define(p)) == "session_time_seconds");
    p = hour();
    p.idle_timeout_seconds = -1;
    CHECK(refused_field(none, define(p)) == "idle_timeout_seconds");
    p = hour();
    p.shared_users = 0;
    CHECK(refused_field(none, define(p)) == "shared_users");
    p = hour();
    p.price_micros = -1;
    CHECK(refused_field(none, define(p)) == "price_micros");
    p = hour();
    p.currency = "EURO";
    CHECK(refused_field(none, define(p)) == "currency");
    p = hour();
    p.valid_from = core::from_unix_seconds(2'000);
    p.valid_until = core::from_unix_seconds(1'000);
    CHECK(refused_field(none, define(p)) == "valid_until");
    p = hour();
    p.address_pool = "pool with blanks";
    CHECK(refused_field(none, define(p)) == "address_pool");
    p = hour();
    p.plan_id = "";
    CHECK(refused_field(none, define(p)) == "plan_id");
    // Unlimited everything is a plan too.
    Plan open;
    open.plan_id = "free";
    open.name = "Free";
    CHECK(decide(none, define(open), at()).has_value());
}

TEST_CASE("MikroTik bursts exceed the rate, with a threshold up to the rate and a time") {
    auto p = hour();  // 2048/512
    p.burst = Burst{4096, 1024, 1536, 384, 16};
    CHECK(check_burst(p).has_value());
    auto b = p;
    b.burst.download_kbps = 2048;
    CHECK(error_of(check_burst(b)).field == "burst.download_kbps");
    b = p;
    b.burst.upload_kbps = 100;
    CHECK(error_of(check_burst(b)).field == "burst.upload_kbps");
    b = p;
    b.burst.threshold_download_kbps = 3000;
    CHECK(error_of(check_burst(b)).field == "burst.threshold_download_kbps");
    b = p;
    b.burst.threshold_upload_kbps = 0;
    CHECK(error_of(check_burst(b)).field == "burst.threshold_upload_kbps");
    b = p;
    b.burst.seconds = 0;
    CHECK(error_of(check_burst(b)).field == "burst.seconds");
    b = p;
    b.download_kbps.reset();
    CHECK(error_of(check_burst(b)).field == "burst.download_kbps");
}

TEST_CASE("a price is decimal text with at most 6 decimals, never negative") {
    CHECK(parse_price("2.50").value() == 2'500'000);
    CHECK(parse_price("0").value() == 0);
    CHECK(parse_price("0.000001").value() == 1);
    CHECK(parse_price("1000").value() == 1'000'000'000);
    CHECK(error_of(parse_price("-1")).field == "price");
    CHECK(error_of(parse_price("0.0000001")).field == "price");
    CHECK(error_of(parse_price("")).field == "price");
    CHECK(error_of(parse_price("abc")).field == "price");
}
