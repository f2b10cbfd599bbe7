// How a CDR finds its customer and carrier (app/modules/voice_parties.cpp): a Kamailio call's
// record (events/voice/call_service.hpp call_record_of) names the customer by id in
// `accountcode` and the carrier by id in `trunk`; the other sources keep their lookups
// (accountcode, trunk, source address, caller rule), so a switch's accountcode equal to a
// customer id does not name that customer.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "app/modules/voice_parties.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace switchyard::core::voice;

namespace {

api::VoiceApi& voice_api(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* v = dynamic_cast<app::VoiceModule*>(m.get())) return v->api_state();
    FAIL("no voice module");
    throw;
}

core::DecisionContext ctx_of(ApiFixture& f) {
    core::DecisionContext ctx;
    ctx.now = f.clock.now();
    ctx.actor = core::Actor{core::ActorKind::System, "test", ""};
    ctx.correlation_id = "test";
    return ctx;
}

}  // namespace

TEST_CASE("a Kamailio CDR finds its customer by id and its carrier by id, other sources do not") {
    ApiFixture f;
    for (auto& m : f.modules)
        if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) REQUIRE(voice->seed(ctx_of(f)));
    REQUIRE(f.call("POST", "/v1/voice/groups",
                   R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/voice/carriers",
                   R"({"carrier_id":"carrier_a","name":"Carrier A","trunk_hosts":["10.0.0.1"],)"
                   R"("currency":"EUR"})")
                .status == 201);
    auto& api = voice_api(f);
    REQUIRE(api.decks.create(CreateDeck{{"card", "Retail", DeckKind::Sell, "", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             ctx_of(f)));
    REQUIRE(api.decks.create(CreateDeck{{"a-buy", "A buy", DeckKind::Buy, "carrier_a", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             ctx_of(f)));
    // No accountcodes, trunks, source addresses or caller rules: only its id names it.
    auto created =
        f.call("POST", "/v1/voice/customers",
               R"({"name":"Acme","country":"DE","currency":"EUR",)"
               R"("billing_type":"prepaid","category_id":"sip_trunk","group_id":"gold"})");
    REQUIRE_MESSAGE(created.status == 201, created.body);
    simdjson::dom::parser p;
    const auto id = num(parse_json(p, created.body), "customer_id");
    REQUIRE(f.call("POST", "/v1/voice/assignments",
                   fmt::format(R"({{"kind":"rate_card","value":"card","scope":"customer",)"
                               R"("target":"{}"}})",
                               id))
                .status == 201);
    f.settle();
    const auto o = app::cdr_service_options("op", api.voice, api.tariffs);

    CallRecord r;
    r.source = CdrSource::Kamailio;
    r.accountcode = std::to_string(id);
    r.trunk = "carrier_a";
    r.dst_channel = "sip:4915551234@127.0.0.1:5070";
    auto customer = o.customer(r);
    REQUIRE_MESSAGE(customer, (customer ? "" : customer.error().message));
    CHECK(customer->customer_id == std::to_string(id));
    CHECK(customer->sell_deck_id == "card");
    auto carrier = o.carrier(r);
    REQUIRE_MESSAGE(carrier, (carrier ? "" : carrier.error().message));
    CHECK(carrier->carrier_id == "carrier_a");
    CHECK(carrier->buy_deck_id == "a-buy");

    SUBCASE("an unknown customer id or carrier id is not found, not guessed") {
        r.accountcode = std::to_string(id + 1);
        CHECK(!o.customer(r));
        r.trunk = "carrier_b";
        r.dst_channel = "sip:4915551234@10.0.0.1";  // carrier A's host: not looked at
        CHECK(!o.carrier(r));
    }
    SUBCASE("another source's accountcode equal to the id is not the customer") {
        r.source = CdrSource::Json;
        CHECK(!o.customer(r));
        CHECK(o.carrier(r));  // a trunk named by carrier id still is the carrier
    }
}
