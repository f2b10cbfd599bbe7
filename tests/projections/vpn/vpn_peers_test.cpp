// The peers each WireGuard server should carry: created with the customer's peer, changed by
// limits, disabling, enabling and resealing, gone with the peer or its device.
#include <doctest/doctest.h>

#include "events/vpn/vpn_codec.hpp"
#include "projections/vpn/vpn_peers.hpp"
#include "tests/projections/projector_harness.hpp"
#include "tests/support/same_fields.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using namespace switchyard::projections::vpn;

namespace {

/// The model, fed events of customers' streams; `on` lists a server's peers.
struct Peers : testing::ProjectorHarness {
    Peers() : ProjectorHarness(make_vpn_peers_projector()) {}
    void add(const std::string& customer, const CustomerEvent& e) {
        append(customer_stream(customer), events::vpn::encode(e));
    }
    std::vector<PeerRow> on(const std::string& server) { return list_server_peers(view(), server); }
};

/// A peer on `server` whose keys, IPv6 address and limits follow from its IPv4 address.
Peer peer(const std::string& server, const std::string& ipv4) {
    const auto host = ipv4.substr(ipv4.rfind('.') + 1);
    return {.server_id = server,
            .public_key = "pk-" + ipv4,
            .private_key_sealed = "sealed:private",
            .preshared_key_sealed = "sealed:psk",
            .ipv4 = ipv4,
            .ipv6 = "fd42::" + host,
            .limits = {core::from_unix_seconds(1'800'000'000), 1'000'000}};
}

/// The row of `peer("nyc", ipv4)` of `customer`'s `device`.
PeerRow row(const std::string& customer, const std::string& device, const std::string& ipv4) {
    const auto p = peer("nyc", ipv4);
    return {p.server_id, customer, device, p.public_key, p.preshared_key_sealed,
            p.ipv4,      p.ipv6,   true,   "",           1'800'000'000,
            1'000'000};
}

}  // namespace

TEST_CASE("a created peer is on its server's list with its keys, addresses and limits") {
    Peers m;
    m.add("u_2", PeerCreated{"cam", peer("nyc", "10.8.1.3")});
    m.add("u_1", PeerCreated{"lap", peer("nyc", "10.8.1.2")});
    m.add("u_1", PeerCreated{"tab", peer("dal", "10.8.2.2")});
    auto nyc = m.on("nyc");
    REQUIRE(nyc.size() == 2);  // in (customer, device) order
    testing::check_same_fields(nyc[0], row("u_1", "lap", "10.8.1.2"));
    testing::check_same_fields(nyc[1], row("u_2", "cam", "10.8.1.3"));
    REQUIRE(m.on("dal").size() == 1);
    CHECK(m.on("dal")[0].device_id == "tab");
    CHECK(m.on("tor").empty());
}

TEST_CASE("limits, disabling, enabling and resealing change the peer's row") {
    Peers m;
    m.add("u_1", PeerCreated{"lap", peer("nyc", "10.8.1.2")});
    m.add("u_1", PeerLimitsChanged{"lap", PeerLimits{std::nullopt, 42}});
    m.add("u_1", PeerDisabled{"lap", DisableReason::QuotaExceeded});
    auto expected = row("u_1", "lap", "10.8.1.2");
    expected.expires_at.reset();
    expected.quota_bytes = 42;
    expected.enabled = false;
    expected.disabled_reason = "quota_exceeded";
    REQUIRE(m.on("nyc").size() == 1);
    testing::check_same_fields(m.on("nyc")[0], expected);

    m.add("u_1", PeerEnabled{"lap"});
    m.add("u_1", PeerKeysResealed{"lap", "sealed:private-2", "sealed:psk-2"});
    expected.enabled = true;
    expected.disabled_reason.clear();
    expected.preshared_key_sealed = "sealed:psk-2";
    REQUIRE(m.on("nyc").size() == 1);
    testing::check_same_fields(m.on("nyc")[0], expected);
}

TEST_CASE("a removed peer or device leaves its server's list, other peers stay") {
    Peers m;
    m.add("u_1", PeerCreated{"lap", peer("nyc", "10.8.1.2")});
    m.add("u_1", PeerCreated{"cam", peer("nyc", "10.8.1.3")});
    m.add("u_1", PeerCreated{"tab", peer("nyc", "10.8.1.4")});
    m.add("u_1", PeerRemoved{"lap"});
    m.add("u_1", DeviceRemoved{"cam"});
    auto nyc = m.on("nyc");
    REQUIRE(nyc.size() == 1);
    CHECK(nyc[0].device_id == "tab");
    // Changes to a peer that is gone do not bring it back.
    m.add("u_1", PeerEnabled{"lap"});
    m.add("u_1", PeerLimitsChanged{"cam", PeerLimits{}});
    CHECK(m.on("nyc").size() == 1);
}

TEST_CASE("peer events outside a customer's stream are not peers") {
    Peers m;
    m.append("vpn_server-nyc",
             events::vpn::encode(CustomerEvent{PeerCreated{"x", peer("nyc", "10.8.1.9")}}));
    CHECK(m.on("nyc").empty());
}
