// The voice_balances read model: an account's balance through top-ups and debits, its low and
// exhausted flags, the list by state and reach.
#include <doctest/doctest.h>

#include "events/voice/account_codec.hpp"
#include "projections/voice/balances.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::ProjectorHarness;

namespace {
void add(ProjectorHarness& h, const std::string& customer, const AccountEvent& e) {
    h.append(account_stream(customer), events::voice::encode(e));
}
}  // namespace

TEST_CASE("voice_balances: balance, low and exhausted, the list by state") {
    ProjectorHarness h(projections::voice::make_voice_balances_projector());
    add(h, "1", AccountOpened{{"1", "EUR", AccountKind::Prepaid, 0, 500'000}});
    add(h, "2", AccountOpened{{"2", "USD", AccountKind::Postpaid, 1'000'000, 0}});
    add(h, "1", AccountToppedUp{"pay-1", 1'000'000, "bank", "alice", 1'000'000});
    add(h, "1", AccountDebited{"cdr-1", "cdr-1", 600'000, 400'000});
    add(h, "2", AccountDebited{"cdr-2", "cdr-2", 1'000'000, -1'000'000});

    auto one = projections::voice::find_balance(h.view(), "1");
    REQUIRE(one);
    CHECK(one->balance_micros == 400'000);
    CHECK(one->low_balance);  // 0.40 < 0.50
    CHECK(!one->exhausted);
    auto two = projections::voice::find_balance(h.view(), "2");
    REQUIRE(two);
    CHECK(two->exhausted);  // -1.00 is the postpaid floor
    CHECK(two->terms.kind == AccountKind::Postpaid);

    projections::voice::BalanceFilter exhausted;
    exhausted.state = "exhausted";
    auto list = projections::voice::list_balances(h.view(), exhausted, 10);
    REQUIRE(list.size() == 1);
    CHECK(list[0].terms.customer_id == "2");
    projections::voice::BalanceFilter low;
    low.state = "low";
    CHECK(projections::voice::list_balances(h.view(), low, 10).size() == 2);
    low.reach = std::set<std::string>{"1"};
    CHECK(projections::voice::list_balances(h.view(), low, 10).size() == 1);
    // Topped up again: neither low nor exhausted.
    add(h, "1", AccountToppedUp{"pay-2", 1'000'000, "bank", "alice", 1'400'000});
    one = projections::voice::find_balance(h.view(), "1");
    CHECK(!one->low_balance);
    projections::voice::BalanceFilter after;
    after.after = "1";
    auto rest = projections::voice::list_balances(h.view(), after, 10);
    REQUIRE(rest.size() == 1);
    CHECK(rest[0].terms.customer_id == "2");
}
