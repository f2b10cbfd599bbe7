// Every VPN event survives encode -> recorded event -> decode field by field, with a value other
// than the default in every field; malformed payloads are refused, naming the field.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/vpn/vpn_codec.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using namespace switchyard::testing;
using namespace std::chrono_literals;
namespace codec = switchyard::events::vpn;
namespace json = boost::json;

namespace {

const core::Timestamp kAt = core::from_unix_seconds(1'790'000'000) + 123'456us;

auto encode = [](const auto& event) { return codec::encode(event); };
const auto network = codec_of<NetworkEvent>(encode, codec::decode_network_event);
const auto customer = codec_of<CustomerEvent>(encode, codec::decode_customer_event);
const auto allocation = codec_of<ServerAllocationEvent>(encode, codec::decode_allocation_event);
const auto usage = codec_of<UsageEvent>(encode, codec::decode_usage_event);

Plan plan() {
    return {.plan_id = "family",
            .name = "Family",
            .home_network_max = 5,
            .personal_max = 7,
            .type_max = {{"ip_camera", 2}, {"gaming_console", 1}},
            .vip_access = true,
            .dedicated_server_only = true};
}

ServerPolicy policy() {
    return {.allowed_categories = {DeviceCategory::HomeNetwork},
            .allowed_types = {"ip_camera"},
            .bandwidth = BandwidthClass::Limited,
            .streaming_optimized = true,
            .vip_only = true,
            .allowlist = {"u_vip"},
            .dedicated_owner = "u_7",
            .capacity = 250};
}

Server server() {
    return {.server_id = "nyc",
            .name = "New York",
            .location = "US East",
            .endpoint_host = "nyc.vpn.example.net",
            .listen_port = 51821,
            .public_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            .private_key_sealed = "sealed:server-private",
            .ipv4_pool = "10.8.1.0/24",
            .ipv6_pool = "fd42:1::/64",
            .dns = {"10.8.0.1", "fd42::1"},
            .client_allowed_ips = "10.8.0.0/16",
            .persistent_keepalive = 15,
            .policy = policy()};
}

Device device() {
    return {.device_id = "auto_192_168_1_100",
            .name = "Front camera",
            .ip = "192.168.1.100",
            .mac = "D8:1D:2E:AA:BB:CC",
            .hostname = "front-camera",
            .vendor = "Geeni",
            .declared_type = "camera",
            .icon = "camera",
            .open_ports = {{554, "rtsp"}, {80, ""}},
            .discovered_at = kAt - 1h,
            .classification = {"ip_camera", DeviceCategory::HomeNetwork, true, {"declared"}},
            .server_id = "nyc",
            .server_reason = "New York has unlimited bandwidth",
            .source = "scan",
            .added_at = kAt};
}

/// A peer whose keys Switchyard holds, disabled for its quota (fields in declaration order).
Peer peer() {
    return Peer{"nyc",
                "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=",
                "sealed:peer-private",
                "sealed:psk",
                "10.8.1.2",
                "fd42:1::2",
                {"10.8.0.1"},
                10,
                {kAt + 24h, 5'000'000'000},
                false,
                DisableReason::QuotaExceeded};
}

PortForward forward() {
    return {.forward_id = 3,
            .device_id = "auto_192_168_1_100",
            .server_id = "nyc",
            .local_ip = "192.168.1.100",
            .local_port = 554,
            .external_port = 55'400,
            .protocol = ForwardProtocol::Both,
            .description = "RTSP stream",
            .status = "disabled"};
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
    check_no_default_field(policy());
    check_no_default_field(device());
    check_no_default_field(device().classification);
    check_no_default_field(peer());
    check_no_default_field(peer().limits);
    check_no_default_field(forward());
}

TEST_CASE("plan and server events round-trip") {
    network.round_trip_full(PlanDefined{plan()});
    network.round_trip(PlanDefined{Plan{"basic", "Basic"}});  // unlimited maxima
    network.round_trip_full(PlanRemoved{"family"});
    network.round_trip_full(ServerDefined{server()});
    auto open = server();
    open.policy = ServerPolicy{};  // no owner, no capacity, default categories
    network.round_trip(ServerDefined{open});
    network.round_trip_full(ServerRemoved{"nyc"});
}

TEST_CASE("customer events round-trip: subscription, devices, peers and port forwards") {
    customer.round_trip_full(PlanSubscribed{"family", "/u_r/"});
    customer.round_trip_full(DeviceAdded{device()});
    auto undated = device();
    undated.discovered_at.reset();
    customer.round_trip(DeviceAdded{undated});
    customer.round_trip_full(DeviceServerAssigned{"cam", "dal", "manual assignment"});
    customer.round_trip_full(DeviceRemoved{"cam"});
    customer.round_trip_full(PeerCreated{"cam", peer()});
    Peer client_held = peer();  // the client keeps its private key; no limits; enabled
    client_held.private_key_sealed.clear();
    client_held.limits = {};
    client_held.enabled = true;
    client_held.disabled_reason.reset();
    customer.round_trip(PeerCreated{"cam", client_held});
    customer.round_trip_full(PeerLimitsChanged{"cam", peer().limits});
    customer.round_trip(PeerLimitsChanged{"cam", PeerLimits{}});
    customer.round_trip_full(PeerDisabled{"cam", DisableReason::Expired});
    customer.round_trip_full(PeerEnabled{"cam"});
    customer.round_trip_full(PeerRemoved{"cam"});
    customer.round_trip_full(PeerKeysResealed{"cam", "sealed:new-private", "sealed:new-psk"});
    customer.round_trip_full(PortForwardCreated{forward()});
    customer.round_trip_full(PortForwardUpdated{forward()});
    customer.round_trip_full(PortForwardRemoved{3});
}

TEST_CASE("server allocation and usage events round-trip") {
    allocation.round_trip_full(AddressesAssigned{"10.8.1.2", "fd42:1::2", "u_1", "cam"});
    allocation.round_trip_full(AddressesReleased{"10.8.1.2", "fd42:1::2"});
    allocation.round_trip_full(PortReserved{55'400, ForwardProtocol::Udp, "u_1", 3});
    allocation.round_trip_full(PortReleased{55'400, ForwardProtocol::Both});
    PeerUsageRecorded recorded_usage{"nyc", "u_1", "cam", peer().public_key, 100,
                                     200,   1'000, 2'000, kAt - 5s,          kAt};
    usage.round_trip_full(recorded_usage);
    recorded_usage.last_handshake.reset();  // never shaken hands
    usage.round_trip(recorded_usage);
    usage.round_trip_full(InterfaceReconciled{"nyc", "wg-nyc", 1, 2, 3, false, "no device", 4});
    usage.round_trip_full(DiagnosticRan{"u_1", "ping", "192.0.2.1", 1, 250, true, 4096});
}

TEST_CASE("VPN decoders refuse unknown types, other schemas and malformed payloads") {
    CHECK(refused_field(network.decode, recorded("vpn.plan.teleported", "{}")) == "type");
    CHECK(refused_field(network.decode, recorded("vpn.plan.removed", R"({"plan_id":"x"})", 2)) ==
          "type");
    CHECK(refused_field(customer.decode, recorded("vpn.plan.defined", "{}")) ==
          "type");  // other stream
    CHECK(refused_field(allocation.decode, recorded("vpn.peer.created", "{}")) == "type");
    CHECK(refused_field(usage.decode, recorded("vpn.port.reserved", "{}")) == "type");
    CHECK(refused_field(network.decode, recorded("vpn.plan.removed", "not json")) == "data");
    CHECK(refused_field(network.decode, recorded("vpn.plan.removed", "[1]")) == "data");

    CHECK(refused_field(network.decode,
                        with_field(NetworkEvent{PlanDefined{plan()}}, "plan_id", 7)) == "plan_id");
    auto bad_policy = json::parse(codec::encode(NetworkEvent{ServerDefined{server()}}).data);
    bad_policy.as_object()["policy"].as_object()["bandwidth"] = "infinite";
    CHECK(refused_field(network.decode,
                        recorded("vpn.server.defined", json::serialize(bad_policy))) ==
          "policy.bandwidth");
    bad_policy.as_object()["policy"].as_object()["bandwidth"] = "limited";
    bad_policy.as_object()["policy"].as_object()["allowed_categories"] = json::array{"toasters"};
    CHECK(refused_field(network.decode,
                        recorded("vpn.server.defined", json::serialize(bad_policy))) ==
          "policy.allowed_categories");

    const CustomerEvent added = DeviceAdded{device()};
    CHECK(refused_field(customer.decode, with_field(added, "category", "planet")) == "category");
    CHECK(refused_field(customer.decode, with_field(added, "added_at", "yesterday")) == "added_at");
    CHECK(refused_field(customer.decode, with_field(added, "discovered_at", "soon")) ==
          "discovered_at");
    CHECK(refused_field(customer.decode, with_field(added, "open_ports", json::array{1})) ==
          "open_ports");
    const CustomerEvent created = PeerCreated{"cam", peer()};
    CHECK(refused_field(customer.decode, with_field(created, "disabled_reason", "bored")) ==
          "disabled_reason");
    CHECK(refused_field(customer.decode, with_field(created, "quota_bytes", "lots")) ==
          "quota_bytes");
    CHECK(refused_field(customer.decode,
                        with_field(CustomerEvent{PeerDisabled{"cam"}}, "reason", "x")) == "reason");
    CHECK(refused_field(customer.decode, with_field(CustomerEvent{PortForwardCreated{forward()}},
                                                    "protocol", "sctp")) == "protocol");

    CHECK(refused_field(allocation.decode,
                        with_field(ServerAllocationEvent{PortReleased{1, ForwardProtocol::Tcp}},
                                   "external_port", "one")) == "external_port");
    CHECK(refused_field(usage.decode, with_field(UsageEvent{InterfaceReconciled{"nyc", "wg0"}},
                                                 "ok", "yes")) == "ok");
}

TEST_CASE("the customer id of a stream is the part after vpn_customer-") {
    CHECK(codec::customer_of_stream("vpn_customer-u_1") == "u_1");
    CHECK(codec::customer_of_stream("vpn_server-nyc").empty());
    CHECK(codec::customer_of_stream("vpn_customer").empty());
}
