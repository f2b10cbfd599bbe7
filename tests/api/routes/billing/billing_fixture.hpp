#pragma once
/// What the billing route tests share: the billing module `serve` started in an ApiFixture,
/// and an account's balance read from the ledger's routes.

#include <cstdint>
#include <string>

#include "app/modules/billing_module.hpp"
#include "tests/api/api_fixture.hpp"

namespace switchyard::testing {

/// The fixture's billing module (fails the test when there is none).
inline app::BillingModule& billing(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) return *b;
    FAIL("no billing module");
    throw;
}

/// `account`'s EUR balance in its normal direction, in micro-units, now or as of `as_of`
/// (RFC 3339); 0 when the account has no posting (404).
inline std::int64_t balance(ApiFixture& f, const std::string& account,
                            const std::string& as_of = "") {
    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/billing/accounts/" + account + "?currency=EUR" +
                               (as_of.empty() ? "" : "&as_of=" + as_of));
    if (r.status == 404) return 0;
    REQUIRE_MESSAGE(r.status == 200, account << ": " << r.body);
    return num(parse_json(p, r.body), "balance_micros");
}

}  // namespace switchyard::testing
