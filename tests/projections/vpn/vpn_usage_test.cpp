// WireGuard traffic summed per device and per customer per calendar month (UTC) from usage
// deltas, with the latest handshake; and the last interface counters of each peer.
#include <doctest/doctest.h>

#include "events/vpn/vpn_codec.hpp"
#include "projections/vpn/vpn_usage.hpp"
#include "tests/projections/projector_harness.hpp"
#include "tests/support/same_fields.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using namespace switchyard::projections::vpn;
using namespace std::chrono_literals;

namespace {

// 2026-09-21 and the first second of October (UTC).
const auto kSeptember = core::from_unix_seconds(1'790'000'000);
const auto kOctober = core::from_unix_seconds(1'790'812'800);

/// The model, fed usage records of server `nyc`.
struct Usage : testing::ProjectorHarness {
    Usage() : ProjectorHarness(make_vpn_usage_projector()) {}
    /// Records `rx`/`tx` bytes of `device` at `at`, with counters `counter` and a handshake.
    void record(const std::string& customer, const std::string& device, std::int64_t rx,
                std::int64_t tx, core::Timestamp at,
                std::optional<core::Timestamp> handshake = std::nullopt, std::int64_t counter = 0) {
        const PeerUsageRecorded u{"nyc", customer, device,      "pk-" + device, rx,
                                  tx,    counter,  counter * 2, handshake,      at};
        append(usage_stream("nyc"), events::vpn::encode(UsageEvent{u}));
    }
};

}  // namespace

TEST_CASE("usage deltas add up per device and per customer within a month") {
    Usage m;
    REQUIRE(usage_month(kSeptember) == "2026-09");
    REQUIRE(usage_month(kOctober) == "2026-10");
    REQUIRE(usage_month(kOctober - 1s) == "2026-09");
    m.record("u_1", "lap", 100, 1'000, kSeptember, kSeptember - 60s);
    m.record("u_1", "lap", 50, 500, kSeptember + 1h, kSeptember - 120s);  // an older handshake
    m.record("u_1", "cam", 7, 70, kOctober - 1s);
    m.record("u_2", "tab", 1, 1, kSeptember);
    m.record("u_1", "lap", 5, 5, kOctober);

    testing::check_same_fields(device_usage(m.view(), "u_1", "lap", "2026-09"),
                               UsageTotals{150, 1'500, 1'790'000'000 - 60});
    testing::check_same_fields(device_usage(m.view(), "u_1", "cam", "2026-09"),
                               UsageTotals{7, 70, std::nullopt});
    testing::check_same_fields(device_usage(m.view(), "u_1", "lap", "2026-10"),
                               UsageTotals{5, 5, std::nullopt});
    CHECK(device_usage(m.view(), "u_1", "lap", "2026-08").total() == 0);

    auto september = customer_usage(m.view(), "u_1", "2026-09");
    testing::check_same_fields(september.total, UsageTotals{157, 1'570, 1'790'000'000 - 60});
    REQUIRE(september.devices.size() == 2);  // in device id order
    CHECK(september.devices[0].first == "cam");
    CHECK(september.devices[0].second.total() == 77);
    CHECK(september.devices[1].first == "lap");
    CHECK(september.devices[1].second.total() == 1'650);
    CHECK(customer_usage(m.view(), "u_2", "2026-09").total.total() == 2);
    auto none = customer_usage(m.view(), "u_3", "2026-09");
    CHECK(none.total.total() == 0);
    CHECK(none.devices.empty());
}

TEST_CASE("the last counters of a peer are those of its latest record") {
    Usage m;
    CHECK_FALSE(last_counters(m.view(), "nyc", "pk-lap"));
    m.record("u_1", "lap", 10, 10, kSeptember, std::nullopt, 5'000);
    m.record("u_1", "lap", 10, 10, kSeptember + 1min, std::nullopt, 40);  // counters were reset
    auto counters = last_counters(m.view(), "nyc", "pk-lap");
    REQUIRE(counters);
    CHECK(counters->rx_counter == 40);
    CHECK(counters->tx_counter == 80);
    CHECK_FALSE(last_counters(m.view(), "dal", "pk-lap"));
}
