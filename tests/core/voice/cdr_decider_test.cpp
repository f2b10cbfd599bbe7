#include <doctest/doctest.h>

#include "core/voice/cdr_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

const DecisionContext kCtx{from_unix_seconds(1'767'225'600), {}, "req-1", {}, {}};

SideCost side(Micros cost, std::int64_t version = 1) {
    SideCost s;
    s.deck_id = "card";
    s.deck_version = version;
    s.currency = "EUR";
    s.cost_micros = cost;
    return s;
}

CdrRated rated(Micros sell) {
    CdrRated e;
    e.cdr_id = "c1";
    e.record.switch_key = "uuid-1";
    e.customer_id = "cust-1";
    e.sell = side(sell);
    e.debit_micros = sell;
    return e;
}

}  // namespace

TEST_CASE("a CDR is rated once, the same CDR again is a duplicate") {
    auto twice = check_idempotent(
        CdrState{}, [](const CdrState& s) { return decide(s, RateCdr{rated(20'000)}, kCtx); });
    CHECK(twice.state.status == CdrStatus::Rated);
    // Once rated, it is not marked unrated either.
    auto u = decide(twice.state, MarkCdrUnrated{{"c1", {}, "", UnratedReason::NoRate, "x"}}, kCtx);
    REQUIRE(u);
    CHECK(u->empty());
}

TEST_CASE("an unrated CDR is kept once and rated after the fix") {
    const CdrUnrated unrated{"c1", {}, "", UnratedReason::UnknownCustomer, "accountcode 77"};
    auto twice = check_idempotent(
        CdrState{}, [&](const CdrState& s) { return decide(s, MarkCdrUnrated{unrated}, kCtx); });
    CHECK(twice.state.status == CdrStatus::Unrated);
    auto fixed = check_idempotent(
        twice.state, [](const CdrState& s) { return decide(s, RateCdr{rated(5'000)}, kCtx); });
    CHECK(fixed.state.status == CdrStatus::Rated);
    CHECK(fixed.state.sell.cost_micros == 5'000);
}

TEST_CASE("re-rating records the old and new cost once, and nothing when the cost is equal") {
    const auto state = given<CdrState>(std::vector<CdrEvent>{rated(20'000)});
    auto same = decide(state, RerateCdr{"c1", side(20'000, 2), std::nullopt}, kCtx);
    REQUIRE(same);
    CHECK(same->empty());
    auto twice = check_idempotent(state, [](const CdrState& s) {
        return decide(s, RerateCdr{"c1", side(26'000, 2), std::nullopt}, kCtx);
    });
    const auto& e = std::get<CdrRerated>(twice.first[0]);
    CHECK(e.old_sell_micros == 20'000);
    CHECK(e.sell.cost_micros == 26'000);
    CHECK(e.delta_micros == 6'000);
    CHECK(e.rerating == 1);
    CHECK(twice.state.reratings == 1);
    auto back = decide(twice.state, RerateCdr{"c1", side(20'000, 3), std::nullopt}, kCtx);
    REQUIRE(back);
    CHECK(std::get<CdrRerated>(back->front()).delta_micros == -6'000);
    CHECK(std::get<CdrRerated>(back->front()).rerating == 2);
}

TEST_CASE("an unknown or unrated CDR is not re-rated") {
    CHECK(error_of(decide(CdrState{}, RerateCdr{"c1", side(1)}, kCtx)).code == Errc::NotFound);
    const auto unrated =
        given<CdrState>(std::vector<CdrEvent>{CdrUnrated{"c1", {}, "", UnratedReason::NoRate, ""}});
    CHECK(error_of(decide(unrated, RerateCdr{"c1", side(1)}, kCtx)).code == Errc::Rejected);
}
