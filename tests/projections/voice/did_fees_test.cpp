// The voice_did_fees read model: fees by period in (number, kind) order, paged, other DID
// events ignored.
#include <doctest/doctest.h>

#include "events/voice/did_codec.hpp"
#include "projections/voice/dids.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::ProjectorHarness;

TEST_CASE("DID fees are listed by period in number and kind order") {
    ProjectorHarness h(projections::voice::make_voice_did_fees_projector());
    const auto at = core::from_unix_seconds(1'790'000'000);
    auto add = [&](const DidEvent& e) { h.append("voice_dids-op", events::voice::encode(e)); };
    add(DidActivated{"493012345678", 7, at});
    add(DidFeeCharged{"493012345678", 7, FeeKind::Setup, "2026-09", 2'000'000, "EUR", at});
    add(DidFeeCharged{"493012345678", 7, FeeKind::Monthly, "2026-09", 3'500'000, "EUR", at});
    add(DidFeeCharged{"442071234567", 8, FeeKind::Monthly, "2026-09", 1'250'000, "GBP", at});
    add(DidFeeCharged{"493012345678", 7, FeeKind::Monthly, "2026-10", 3'500'000, "EUR", at});

    const auto sept = projections::voice::list_did_fees(h.view(), "2026-09", "", 10);
    REQUIRE(sept.size() == 3);
    CHECK(sept[0].number == "442071234567");
    CHECK(sept[0].currency == "GBP");
    CHECK(sept[1].kind == FeeKind::Monthly);
    CHECK(sept[1].amount_micros == 3'500'000);
    CHECK(sept[2].kind == FeeKind::Setup);
    CHECK(sept[2].customer_id == 7);
    const auto page =
        projections::voice::list_did_fees(h.view(), "2026-09", "493012345678/monthly", 10);
    REQUIRE(page.size() == 1);
    CHECK(page[0].kind == FeeKind::Setup);
    CHECK(projections::voice::list_did_fees(h.view(), "2026-10", "", 10).size() == 1);
    CHECK(projections::voice::list_did_fees(h.view(), "2026-11", "", 10).empty());
    CHECK(projections::voice::list_did_fees(h.view(), "2026-09", "", 2).size() == 2);
}
