// DIDs (given events / when command / then events or an error): countries and providers, the
// inventory import, every allowed and refused status change, KYC gating activation, fees once
// per period, porting, and the inbound routing plan.
#include <doctest/doctest.h>

#include "core/voice/did_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

// 2026-09-21T14:13:20Z
const core::Timestamp kNow = core::from_unix_seconds(1'790'000'000);

core::DecisionContext ctx(core::Timestamp now = kNow) {
    core::DecisionContext c;
    c.now = now;
    return c;
}

DidInventory berlin(std::string number = "493012345678") {
    DidInventory d;
    d.number = std::move(number);
    d.country = "DE";
    d.provider_id = "didco";
    d.type = DidType::Local;
    d.area = "Berlin";
    d.currency = "EUR";
    d.setup_cost = 500'000;
    d.monthly_cost = 1'000'000;
    d.setup_price = 2'000'000;    // 2.00 EUR
    d.monthly_price = 3'500'000;  // 3.50 EUR
    d.channels = 2;
    return d;
}

DidInventory london() {
    auto d = berlin("442071234567");
    d.country = "GB";
    d.area = "London";
    d.currency = "GBP";
    return d;
}

/// DE requires an ID and a proof of address; GB requires nothing.
std::vector<DidEvent> stocked() {
    return {DidCountryDefined{{"DE", "Germany", {"id", "proof_of_address"}}},
            DidCountryDefined{{"GB", "United Kingdom", {}}},
            DidProviderDefined{{"didco", "DID Co", "EUR", "REST v2"}},
            DidImported{berlin(), "", kNow}, DidImported{london(), "", kNow}};
}

std::vector<DidEvent> with(std::vector<DidEvent> base, std::vector<DidEvent> more) {
    for (auto& e : more) base.push_back(std::move(e));
    return base;
}

template <class E>
const E& as(const DidEvent& e) {
    REQUIRE(std::holds_alternative<E>(e));
    return std::get<E>(e);
}

std::vector<DidEvent> kyc_pending() {
    return with(stocked(), {DidOrdered{"493012345678", 7, true, kNow}});
}

}  // namespace

TEST_CASE("a country is defined once and its KYC types are checked") {
    const auto s = given<DidState>(std::vector<DidEvent>{});
    check_idempotent(s, [](const DidState& st) {
        return decide(st, DefineDidCountry{{"DE", "Germany", {"id"}}}, ctx());
    });
    CHECK(error_of(decide(s, DefineDidCountry{{"XX", "Nowhere", {}}}, ctx())).field == "country");
    CHECK(error_of(decide(s, DefineDidCountry{{"de", "Germany", {}}}, ctx())).field == "country");
    CHECK(error_of(decide(s, DefineDidCountry{{"DE", "Germany", {"ID card"}}}, ctx())).field ==
          "kyc_documents");
    CHECK(error_of(decide(s, DefineDidCountry{{"DE", "Germany", {"id", "id"}}}, ctx())).field ==
          "kyc_documents");
    CHECK(error_of(decide(s, DefineDidProvider{{"DID Co", "x", "EUR", ""}}, ctx())).field ==
          "provider_id");
    CHECK(error_of(decide(s, DefineDidProvider{{"didco", "x", "EURO", ""}}, ctx())).field ==
          "currency");
}

TEST_CASE("an import takes good rows and refuses bad ones by line and is idempotent") {
    auto s =
        given<DidState>(std::vector<DidEvent>{DidCountryDefined{{"DE", "Germany", {}}},
                                              DidProviderDefined{{"didco", "DID Co", "EUR", ""}}});
    ImportDids c;
    c.file = "stock.csv";
    c.command_id = "idem:1";
    auto no_currency = berlin("493099999999");
    no_currency.currency = "";  // the provider's
    auto unknown_country = berlin("33123456789");
    unknown_country.country = "FR";
    auto unknown_provider = berlin("493088888888");
    unknown_provider.provider_id = "nobody";
    auto negative = berlin("493077777777");
    negative.monthly_price = -1;
    c.rows = {{2, berlin()},         {3, no_currency}, {4, unknown_country},
              {5, unknown_provider}, {6, negative},    {7, berlin()}};
    const auto d = decide_import(s, c, ctx());
    CHECK(d.imported == 2);
    REQUIRE(d.events.size() == 2);
    CHECK(as<DidImported>(d.events[1]).did.currency == "EUR");
    CHECK(as<DidImported>(d.events[1]).command_id == "idem:1");
    REQUIRE(d.errors.size() == 4);
    CHECK(d.errors[0] == RowError{"stock.csv", 4, "country", "country 'FR' is not defined"});
    CHECK(d.errors[1].line == 5);
    CHECK(d.errors[1].field == "provider");
    CHECK(d.errors[2].line == 6);
    CHECK(d.errors[2].field == "monthly_price");
    CHECK(d.errors[3] ==
          RowError{"stock.csv", 7, "number", "number 493012345678 is already on line 2"});

    for (const auto& e : d.events) evolve(s, e);
    // The same command id again: nothing, even if the rows differ now.
    auto again = c;
    again.rows[0].did.monthly_price = 1;
    CHECK(decide_import(s, again, ctx()).replayed);
    CHECK(decide_import(s, again, ctx()).events.empty());
    // Another import with the same rows: nothing changed, nothing written.
    again = c;
    again.command_id = "idem:2";
    const auto same = decide_import(s, again, ctx());
    CHECK(same.events.empty());
    CHECK(same.unchanged == 2);
    // A changed price updates that number only.
    again.command_id = "idem:3";
    again.rows[0].did.monthly_price = 4'000'000;
    const auto changed = decide_import(s, again, ctx());
    CHECK(changed.updated == 1);
    CHECK(changed.unchanged == 1);
    REQUIRE(changed.events.size() == 1);
}

TEST_CASE("ordering a DID in a country without KYC activates it and charges its fees") {
    const auto s = given<DidState>(stocked());
    const auto twice = check_idempotent(s, [](const DidState& st) {
        return decide(st, OrderDid{"+442071234567", 7}, ctx());
    });
    const auto& ev = twice.first;
    REQUIRE(ev.size() == 4);
    CHECK_FALSE(as<DidOrdered>(ev[0]).kyc_required);
    CHECK(as<DidActivated>(ev[1]).customer_id == 7);
    const auto& setup = as<DidFeeCharged>(ev[2]);
    CHECK(setup.kind == FeeKind::Setup);
    CHECK(setup.amount_micros == 2'000'000);
    CHECK(setup.currency == "GBP");
    CHECK(setup.period == "2026-09");
    const auto& monthly = as<DidFeeCharged>(ev[3]);
    CHECK(monthly.kind == FeeKind::Monthly);
    CHECK(monthly.amount_micros == 3'500'000);
    CHECK(monthly.period == "2026-09");
    const auto& did = twice.state.dids.at("442071234567");
    CHECK(did.status == DidStatus::Active);
    CHECK(did.activated_at == kNow);
}

TEST_CASE("a DID in a KYC country is pending until every required document is approved") {
    auto s = given<DidState>(stocked());
    auto ordered = decide(s, OrderDid{"493012345678", 7}, ctx());
    REQUIRE(ordered);
    REQUIRE(ordered->size() == 1);  // no activation, no fee
    CHECK(as<DidOrdered>(ordered->front()).kyc_required);
    evolve(s, ordered->front());
    CHECK(s.dids.at("493012345678").status == DidStatus::PendingKyc);
    CHECK(missing_kyc(s, s.dids.at("493012345678")) ==
          std::vector<std::string>{"id", "proof_of_address"});

    const std::string sha_a(64, 'a'), sha_b(64, 'b'), sha_c(64, 'c');
    // A type the country does not ask for.
    CHECK(error_of(decide(s,
                          SubmitKyc{"493012345678", "business_registration", sha_a,
                                    "application/pdf", 10},
                          ctx()))
              .field == "doc_type");
    auto id = decide(s, SubmitKyc{"493012345678", "id", sha_a, "image/png", 10}, ctx());
    REQUIRE(id);
    CHECK(as<KycSubmitted>(id->front()).document_id == 1);
    evolve(s, id->front());
    // The same file again is a retry; another file of the same type conflicts.
    CHECK(decide(s, SubmitKyc{"493012345678", "id", sha_a, "image/png", 10}, ctx())->empty());
    CHECK(
        error_of(decide(s, SubmitKyc{"493012345678", "id", sha_b, "image/png", 10}, ctx())).code ==
        core::Errc::Conflict);
    // Rejection needs a reason; then a new document of that type may come.
    CHECK(error_of(decide(s, RejectKyc{"493012345678", 1, ""}, ctx())).field == "reason");
    auto rejected = decide(s, RejectKyc{"493012345678", 1, "blurred"}, ctx());
    REQUIRE(rejected);
    evolve(s, rejected->front());
    CHECK(error_of(decide(s, ApproveKyc{"493012345678", 1}, ctx())).field == "document_id");
    CHECK(decide(s, RejectKyc{"493012345678", 1, "blurred"}, ctx())->empty());
    auto id2 = decide(s, SubmitKyc{"493012345678", "id", sha_b, "image/jpeg", 10}, ctx());
    REQUIRE(id2);
    CHECK(as<KycSubmitted>(id2->front()).document_id == 2);
    evolve(s, id2->front());
    auto poa = decide(
        s, SubmitKyc{"493012345678", "proof_of_address", sha_c, "application/pdf", 10}, ctx());
    REQUIRE(poa);
    evolve(s, poa->front());

    // Approving one of two: still pending.
    auto a2 = decide(s, ApproveKyc{"493012345678", 2}, ctx());
    REQUIRE(a2);
    REQUIRE(a2->size() == 1);
    evolve(s, a2->front());
    CHECK(s.dids.at("493012345678").status == DidStatus::PendingKyc);
    CHECK(error_of(decide(s, RejectKyc{"493012345678", 2, "late"}, ctx())).field == "document_id");
    // Approving the last: activated, fees charged.
    const auto twice = check_idempotent(s, [](const DidState& st) {
        return decide(st, ApproveKyc{"493012345678", 3}, ctx());
    });
    REQUIRE(twice.first.size() == 4);
    CHECK(as<DidActivated>(twice.first[1]).customer_id == 7);
    CHECK(as<DidFeeCharged>(twice.first[2]).currency == "EUR");
    CHECK(twice.state.dids.at("493012345678").status == DidStatus::Active);
    CHECK(error_of(decide(s, ApproveKyc{"493012345678", 9}, ctx())).code == core::Errc::NotFound);
}

TEST_CASE("every status change is allowed only from its states") {
    const auto s = given<DidState>(stocked());
    const std::string n = "493012345678";
    // available
    CHECK(error_of(decide(s, SuspendDid{n, "fraud"}, ctx())).field == "status");
    CHECK(error_of(decide(s, ResumeDid{n}, ctx())).field == "status");
    CHECK(error_of(decide(s, ReleaseDid{n}, ctx())).field == "status");
    CHECK(error_of(decide(s, SetDidRouting{n, {}}, ctx())).field == "status");
    CHECK(error_of(decide(s, SubmitKyc{n, "id", std::string(64, 'a'), "image/png", 1}, ctx()))
              .field == "status");
    CHECK(error_of(decide(s, OrderDid{"4930", 7}, ctx())).field == "number");
    CHECK(error_of(decide(s, OrderDid{"491111111111", 7}, ctx())).code == core::Errc::NotFound);
    CHECK(error_of(decide(s, OrderDid{n, 0}, ctx())).field == "customer_id");

    // reserved for 7: another customer can neither reserve nor order; 7 can order.
    auto r = given<DidState>(with(stocked(), {DidReserved{n, 7, kNow}}));
    CHECK(decide(r, ReserveDid{n, 7}, ctx())->empty());
    CHECK(error_of(decide(r, ReserveDid{n, 8}, ctx())).field == "status");
    CHECK(error_of(decide(r, OrderDid{n, 8}, ctx())).field == "status");
    CHECK(decide(r, OrderDid{n, 7}, ctx())->size() == 1);
    CHECK(error_of(decide(r, SuspendDid{n, "x"}, ctx())).field == "status");
    CHECK(decide(r, ReleaseDid{n}, ctx())->size() == 1);

    // pending_kyc: no suspension, no second order by another customer.
    auto p = given<DidState>(kyc_pending());
    CHECK(error_of(decide(p, SuspendDid{n, "x"}, ctx())).field == "status");
    CHECK(error_of(decide(p, OrderDid{n, 8}, ctx())).field == "status");
    CHECK(decide(p, OrderDid{n, 7}, ctx())->empty());

    // active -> suspended -> active -> released -> restocked
    auto a = given<DidState>(with(stocked(), {DidOrdered{"442071234567", 7, false, kNow},
                                              DidActivated{"442071234567", 7, kNow}}));
    const std::string g = "442071234567";
    CHECK(error_of(decide(a, SuspendDid{g, ""}, ctx())).field == "reason");
    CHECK(error_of(decide(a, ResumeDid{g}, ctx())).field == "status");
    CHECK(error_of(decide(a, ReserveDid{g, 7}, ctx())).field == "status");
    const auto suspended = check_idempotent(a, [&](const DidState& st) {
        return decide(st, SuspendDid{g, "unpaid"}, ctx());
    });
    CHECK(suspended.state.dids.at(g).status == DidStatus::Suspended);
    auto resumed = decide(suspended.state, ResumeDid{g}, ctx());
    REQUIRE(resumed);
    CHECK(std::holds_alternative<DidResumed>(resumed->front()));
    const auto released =
        check_idempotent(a, [&](const DidState& st) { return decide(st, ReleaseDid{g}, ctx()); });
    const auto& rel = released.state.dids.at(g);
    CHECK(rel.status == DidStatus::Released);
    CHECK(rel.customer_id == 0);
    CHECK(error_of(decide(released.state, OrderDid{g, 7}, ctx())).field == "status");
    // Imported again: available, with its history reset.
    auto back = released.state;
    ImportDids restock;
    restock.rows = {{2, london()}};
    const auto d = decide_import(back, restock, ctx());
    CHECK(d.updated == 1);
    for (const auto& e : d.events) evolve(back, e);
    CHECK(back.dids.at(g).status == DidStatus::Available);
    CHECK_FALSE(back.dids.at(g).setup_charged);
}

TEST_CASE("the monthly fee is charged once per DID and period from the month of activation") {
    // Activated in September 2026 (its September fee charged at activation).
    auto s = given<DidState>(stocked());
    const auto ordered = decide(s, OrderDid{"442071234567", 7}, ctx());
    REQUIRE(ordered);
    for (const auto& e : *ordered) evolve(s, e);
    CHECK(decide(s, ChargeMonthly{"2026-09"}, ctx())->empty());
    CHECK(decide(s, ChargeMonthly{"2026-08"}, ctx())->empty());  // before activation
    const auto oct = check_idempotent(
        s, [](const DidState& st) { return decide(st, ChargeMonthly{"2026-10"}, ctx()); });
    REQUIRE(oct.first.size() == 1);
    const auto& fee = as<DidFeeCharged>(oct.first.front());
    CHECK(fee.number == "442071234567");
    CHECK(fee.customer_id == 7);
    CHECK(fee.period == "2026-10");
    CHECK(fee.amount_micros == 3'500'000);
    // Suspended DIDs are still charged; released ones are not.
    auto suspended = s;
    evolve(suspended, DidSuspended{"442071234567", "unpaid", kNow});
    CHECK(decide(suspended, ChargeMonthly{"2026-11"}, ctx())->size() == 1);
    auto released = s;
    evolve(released, DidReleased{"442071234567", 7, kNow});
    CHECK(decide(released, ChargeMonthly{"2026-11"}, ctx())->empty());
    for (const char* bad : {"2026-13", "2026-9", "26-09", "1999-12", ""})
        CHECK(error_of(decide(s, ChargeMonthly{bad}, ctx())).field == "period");
}

TEST_CASE("porting follows its table and a port-out releases the DID") {
    const std::string n = "442071234567";
    auto a =
        given<DidState>(with(stocked(), {DidOrdered{n, 7, false, kNow}, DidActivated{n, 7, kNow}}));
    CHECK(error_of(decide(a, SetPortStatus{n, PortStatus::PortedOut}, ctx())).field ==
          "port_status");
    CHECK(error_of(decide(a, SetPortStatus{n, PortStatus::PortInCompleted}, ctx())).field ==
          "port_status");
    const auto req = check_idempotent(a, [&](const DidState& st) {
        return decide(st, SetPortStatus{n, PortStatus::PortOutRequested}, ctx());
    });
    CHECK(req.state.dids.at(n).port_status_since == kNow);
    auto out = decide(req.state, SetPortStatus{n, PortStatus::PortedOut}, ctx());
    REQUIRE(out);
    REQUIRE(out->size() == 2);
    CHECK(as<DidReleased>((*out)[1]).customer_id == 7);
    // Cancelling a request goes back to none.
    CHECK(decide(req.state, SetPortStatus{n, PortStatus::None}, ctx())->size() == 1);
    // A port-out needs a DID in service.
    const auto avail = given<DidState>(stocked());
    CHECK(
        error_of(decide(avail, SetPortStatus{"493012345678", PortStatus::PortOutRequested}, ctx()))
            .field == "port_status");
    // Port-in: none -> requested -> completed.
    auto in = decide(avail, SetPortStatus{"493012345678", PortStatus::PortInRequested}, ctx());
    REQUIRE(in);
    auto st = avail;
    evolve(st, in->front());
    CHECK(decide(st, SetPortStatus{"493012345678", PortStatus::PortInCompleted}, ctx())->size() ==
          1);
}

TEST_CASE("inbound routing lists the targets in order and resolves trunks") {
    const std::string n = "442071234567";
    auto a =
        given<DidState>(with(stocked(), {DidOrdered{n, 7, false, kNow}, DidActivated{n, 7, kNow}}));
    const std::vector<DidTarget> targets{{DidTargetKind::Trunk, "acme-main"},
                                         {DidTargetKind::Trunk, "ghost"},
                                         {DidTargetKind::Uri, "sip:backup@192.0.2.9:5070"}};
    const auto set = check_idempotent(a, [&](const DidState& st) {
        return decide(st, SetDidRouting{n, targets}, ctx());
    });
    CHECK(error_of(decide(a, SetDidRouting{n, {{DidTargetKind::Uri, "http://x"}}}, ctx())).field ==
          "targets");
    CHECK(error_of(decide(a, SetDidRouting{n, {{DidTargetKind::Trunk, "a b"}}}, ctx())).field ==
          "targets");
    CHECK(
        error_of(decide(a, SetDidRouting{n, std::vector<DidTarget>(9, targets[2])}, ctx())).field ==
        "targets");

    const auto resolve = [](const std::string& trunk) -> std::optional<std::string> {
        if (trunk == "acme-main") return "127.0.0.1:5080";
        return std::nullopt;
    };
    const auto plan = inbound_plan(set.state.dids.at(n), resolve);
    REQUIRE(plan);
    CHECK(plan->route_group_id == "did:442071234567");
    CHECK(plan->max_attempts == 2);
    REQUIRE(plan->routes.size() == 2);
    CHECK(plan->routes[0].uri == "sip:442071234567@127.0.0.1:5080");
    CHECK(plan->routes[0].gateway_id == "acme-main");
    CHECK(plan->routes[0].why == "did inbound #1");
    CHECK(plan->routes[1].uri == "sip:backup@192.0.2.9:5070");
    CHECK(plan->routes[1].why == "did inbound #3");
    REQUIRE(plan->skipped.size() == 1);
    CHECK(plan->skipped[0].gateway_id == "ghost");
    CHECK(plan->skipped[0].reason == "unresolved_trunk");

    // Suspended or without routing: no plan.
    auto suspended = set.state;
    evolve(suspended, DidSuspended{n, "unpaid", kNow});
    CHECK_FALSE(inbound_plan(suspended.dids.at(n), resolve));
    CHECK_FALSE(inbound_plan(a.dids.at(n), resolve));
}

TEST_CASE("DID numbers and periods are read strictly") {
    CHECK(did_number("+442071234567") == "442071234567");
    CHECK(did_number("442071234567") == "442071234567");
    CHECK_FALSE(did_number("0442071234567"));
    CHECK_FALSE(did_number("12345"));
    CHECK_FALSE(did_number("1234567890123456"));
    CHECK_FALSE(did_number("44 20"));
    CHECK(month_of(kNow) == "2026-09");
    CHECK(valid_period("2026-12"));
    CHECK_FALSE(valid_period("2026-00"));
}
