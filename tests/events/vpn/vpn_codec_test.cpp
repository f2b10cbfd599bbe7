// Every VPN event survives encode -> recorded event -> decode field by field, with a value other
// than the default in every field; malformed payloads are refused, naming the field.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/vpn/vpn_codec.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using namespace std::chrono_literals;
using switchyard::testing::check_no_default_field;
using switchyard::testing::recorded;
using switchyard::testing::refused_field;
namespace codec = switchyard::events::vpn;
namespace json = boost::json;

namespace {

const core::Timestamp kAt = core::from_unix_seconds(1'790'000'000) + 123'456us;

/// Round-trips `event` as a `Variant`; with `full`, every field must hold a non-default value.
template <class Variant, class Event>
void round_trip(const Event& event, bool full = true) {
    if (full) check_no_default_field(event);
    testing::check_round_trip<Variant>(
        event, [](const Variant& v) { return codec::encode(v); },
        [](const events::RecordedEvent& e) -> core::Result<Variant> {
            if constexpr (std::is_same_v<Variant, NetworkEvent>) {
                return codec::decode_network_event(e);
            } else if constexpr (std::is_same_v<Variant, CustomerEvent>) {
                return codec::decode_customer_event(e);
            } else if constexpr (std::is_same_v<Variant, ServerAllocationEvent>) {
                return codec::decode_allocation_event(e);
            } else {
                return codec::decode_usage_event(e);
            }
        });
}

Plan plan() {
    Plan p;
    p.plan_id = "family";
    p.name = "Family";
    p.home_network_max = 5;
    p.personal_max = 7;
    p.type_max = {{"ip_camera", 2}, {"gaming_console", 1}};
    p.vip_access = true;
    p.dedicated_server_only = true;
    return p;
}

Server server() {
    Server s;
    s.server_id = "nyc";
    s.name = "New York";
    s.location = "US East";
    s.endpoint_host = "nyc.vpn.example.net";
    s.listen_port = 51821;
    s.public_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    s.private_key_sealed = "sealed:server-private";
    s.ipv4_pool = "10.8.1.0/24";
    s.ipv6_pool = "fd42:1::/64";
    s.dns = {"10.8.0.1", "fd42::1"};
    s.client_allowed_ips = "10.8.0.0/16";
    s.persistent_keepalive = 15;
    auto& p = s.policy;
    p.allowed_categories = {DeviceCategory::HomeNetwork};
    p.allowed_types = {"ip_camera", "nas"};
    p.bandwidth = BandwidthClass::Limited;
    p.streaming_optimized = true;
    p.vip_only = true;
    p.allowlist = {"u_vip"};
    p.dedicated_owner = "u_7";
    p.capacity = 250;
    return s;
}

Device device() {
    Device d;
    d.device_id = "auto_192_168_1_100";
    d.name = "Front camera";
    d.ip = "192.168.1.100";
    d.mac = "D8:1D:2E:AA:BB:CC";
    d.hostname = "front-camera";
    d.vendor = "Geeni";
    d.declared_type = "camera";
    d.icon = "camera";
    d.open_ports = {{554, "rtsp"}, {80, ""}};
    d.discovered_at = kAt - 1h;
    d.classification = {"ip_camera", DeviceCategory::HomeNetwork, true, {"declared camera"}};
    d.server_id = "nyc";
    d.server_reason = "New York has unlimited bandwidth";
    d.source = "scan";
    d.added_at = kAt;
    return d;
}

Peer peer() {
    Peer p;
    p.server_id = "nyc";
    p.public_key = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";
    p.private_key_sealed = "sealed:peer-private";
    p.preshared_key_sealed = "sealed:peer-psk";
    p.ipv4 = "10.8.1.2";
    p.ipv6 = "fd42:1::2";
    p.dns = {"10.8.0.1"};
    p.persistent_keepalive = 10;
    p.limits = {kAt + 24h, 5'000'000'000};
    p.enabled = false;
    p.disabled_reason = DisableReason::QuotaExceeded;
    return p;
}

PortForward forward() {
    return PortForward{3,      "auto_192_168_1_100",  "nyc",         "192.168.1.100", 554,
                       55'400, ForwardProtocol::Both, "RTSP stream", "disabled"};
}

/// The encoded data of `event` with `key` set to `value` (a malformed payload).
template <class Variant>
events::RecordedEvent with_field(const Variant& event, const char* key, json::value value) {
    auto encoded = codec::encode(event);
    auto o = json::parse(encoded.data).as_object();
    REQUIRE_MESSAGE(o.contains(key), key);
    o[key] = std::move(value);
    encoded.data = json::serialize(o);
    return recorded(encoded);
}

}  // namespace

TEST_CASE("the samples of the VPN codec tests set every field") {
    check_no_default_field(plan());
    check_no_default_field(server());
    check_no_default_field(server().policy);
    check_no_default_field(device());
    check_no_default_field(device().classification);
    check_no_default_field(peer());
    check_no_default_field(peer().limits);
    check_no_default_field(forward());
}

TEST_CASE("plan and server events round-trip") {
    round_trip<NetworkEvent>(PlanDefined{plan()});
    round_trip<NetworkEvent>(PlanDefined{Plan{"basic", "Basic"}}, false);  // unlimited maxima
    round_trip<NetworkEvent>(PlanRemoved{"family"});
    round_trip<NetworkEvent>(ServerDefined{server()});
    auto open = server();
    open.policy = ServerPolicy{};  // no owner, no capacity, default categories
    round_trip<NetworkEvent>(ServerDefined{open}, false);
    round_trip<NetworkEvent>(ServerRemoved{"nyc"});
}

TEST_CASE("customer events round-trip: subscription, devices, peers and port forwards") {
    round_trip<CustomerEvent>(PlanSubscribed{"family", "/u_r/"});
    round_trip<CustomerEvent>(DeviceAdded{device()});
    auto undated = device();
    undated.discovered_at.reset();
    round_trip<CustomerEvent>(DeviceAdded{undated}, false);
    round_trip<CustomerEvent>(DeviceServerAssigned{"cam", "dal", "manual assignment"});
    round_trip<CustomerEvent>(DeviceRemoved{"cam"});
    round_trip<CustomerEvent>(PeerCreated{"cam", peer()});
    Peer client_held = peer();  // the client keeps its private key; no limits; enabled
    client_held.private_key_sealed.clear();
    client_held.limits = {};
    client_held.enabled = true;
    client_held.disabled_reason.reset();
    round_trip<CustomerEvent>(PeerCreated{"cam", client_held}, false);
    round_trip<CustomerEvent>(PeerLimitsChanged{"cam", peer().limits});
    round_trip<CustomerEvent>(PeerLimitsChanged{"cam", PeerLimits{}}, false);
    round_trip<CustomerEvent>(PeerDisabled{"cam", DisableReason::Expired});
    round_trip<CustomerEvent>(PeerEnabled{"cam"});
    round_trip<CustomerEvent>(PeerRemoved{"cam"});
    round_trip<CustomerEvent>(PeerKeysResealed{"cam", "sealed:new-private", "sealed:new-psk"});
    round_trip<CustomerEvent>(PortForwardCreated{forward()});
    round_trip<CustomerEvent>(PortForwardUpdated{forward()});
    round_trip<CustomerEvent>(PortForwardRemoved{3});
}

TEST_CASE("server allocation and usage events round-trip") {
    round_trip<ServerAllocationEvent>(AddressesAssigned{"10.8.1.2", "fd42:1::2", "u_1", "cam"});
    round_trip<ServerAllocationEvent>(AddressesReleased{"10.8.1.2", "fd42:1::2"});
    round_trip<ServerAllocationEvent>(PortReserved{55'400, ForwardProtocol::Udp, "u_1", 3});
    round_trip<ServerAllocationEvent>(PortReleased{55'400, ForwardProtocol::Both});
    PeerUsageRecorded usage{"nyc", "u_1", "cam", peer().public_key, 100,
                            200,   1'000, 2'000, kAt - 5s,          kAt};
    round_trip<UsageEvent>(usage);
    usage.last_handshake.reset();  // never shaken hands
    round_trip<UsageEvent>(usage, false);
    round_trip<UsageEvent>(InterfaceReconciled{"nyc", "wg-nyc", 1, 2, 3, false, "no device", 4});
    round_trip<UsageEvent>(DiagnosticRan{"u_1", "ping", "192.0.2.1", 1, 250, true, 4096});
}

TEST_CASE("VPN decoders refuse unknown types, other schemas and malformed payloads") {
    auto network = [](const events::RecordedEvent& e) { return codec::decode_network_event(e); };
    auto customer = [](const events::RecordedEvent& e) { return codec::decode_customer_event(e); };
    auto allocation = [](const events::RecordedEvent& e) {
        return codec::decode_allocation_event(e);
    };
    auto usage = [](const events::RecordedEvent& e) { return codec::decode_usage_event(e); };

    CHECK(refused_field(network, recorded("vpn.plan.teleported", "{}")) == "type");
    CHECK(refused_field(network, recorded("vpn.plan.removed", R"({"plan_id":"x"})", 2)) == "type");
    CHECK(refused_field(customer, recorded("vpn.plan.defined", "{}")) == "type");  // other stream
    CHECK(refused_field(allocation, recorded("vpn.peer.created", "{}")) == "type");
    CHECK(refused_field(usage, recorded("vpn.port.reserved", "{}")) == "type");
    CHECK(refused_field(network, recorded("vpn.plan.removed", "not json")) == "data");
    CHECK(refused_field(network, recorded("vpn.plan.removed", "[1]")) == "data");

    CHECK(refused_field(network, with_field(NetworkEvent{PlanDefined{plan()}}, "plan_id", 7)) ==
          "plan_id");
    auto bad_policy = json::parse(codec::encode(NetworkEvent{ServerDefined{server()}}).data);
    bad_policy.as_object()["policy"].as_object()["bandwidth"] = "infinite";
    CHECK(refused_field(network, recorded("vpn.server.defined", json::serialize(bad_policy))) ==
          "policy.bandwidth");
    bad_policy.as_object()["policy"].as_object()["bandwidth"] = "limited";
    bad_policy.as_object()["policy"].as_object()["allowed_categories"] = json::array{"toasters"};
    CHECK(refused_field(network, recorded("vpn.server.defined", json::serialize(bad_policy))) ==
          "policy.allowed_categories");

    const CustomerEvent added = DeviceAdded{device()};
    CHECK(refused_field(customer, with_field(added, "category", "planet")) == "category");
    CHECK(refused_field(customer, with_field(added, "added_at", "yesterday")) == "added_at");
    CHECK(refused_field(customer, with_field(added, "discovered_at", "soon")) == "discovered_at");
    CHECK(refused_field(customer, with_field(added, "open_ports", json::array{1})) == "open_ports");
    const CustomerEvent created = PeerCreated{"cam", peer()};
    CHECK(refused_field(customer, with_field(created, "disabled_reason", "bored")) ==
          "disabled_reason");
    CHECK(refused_field(customer, with_field(created, "quota_bytes", "lots")) == "quota_bytes");
    CHECK(refused_field(customer, with_field(CustomerEvent{PeerDisabled{"cam"}}, "reason", "x")) ==
          "reason");
    CHECK(refused_field(customer, with_field(CustomerEvent{PortForwardCreated{forward()}},
                                             "protocol", "sctp")) == "protocol");

    CHECK(refused_field(allocation,
                        with_field(ServerAllocationEvent{PortReleased{1, ForwardProtocol::Tcp}},
                                   "external_port", "one")) == "external_port");
    CHECK(refused_field(usage, with_field(UsageEvent{InterfaceReconciled{"nyc", "wg0"}}, "ok",
                                          "yes")) == "ok");
}

TEST_CASE("the customer id of a stream is the part after vpn_customer-") {
    CHECK(codec::customer_of_stream("vpn_customer-u_1") == "u_1");
    CHECK(codec::customer_of_stream("vpn_server-nyc").empty());
    CHECK(codec::customer_of_stream("vpn_customer").empty());
}
