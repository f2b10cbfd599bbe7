// Deciders of the VPN line: classification, limits, server selection, peers and port allocation
// (given events / when command / then events or error), with the shipped data files.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/vpn/address_pool.hpp"
#include "core/vpn/customer_decider.hpp"
#include "core/vpn/diagnostics.hpp"
#include "core/vpn/network_decider.hpp"
#include "core/vpn/port_forward_template.hpp"
#include "core/vpn/selection.hpp"
#include "core/vpn/usage.hpp"
#include "core/vpn/wireguard_config.hpp"
#include "events/vpn/vpn_config.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;

namespace {

const events::vpn::VpnConfig& config() {
    static const auto c = [] {
        auto r = events::vpn::load_vpn_config(SY_CONFIG_DIR "/vpn", SY_IEEE_DATA);
        REQUIRE(r);
        return std::move(*r);
    }();
    return c;
}

const std::string kKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const std::string kClientKey = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

Server server(std::string id, std::string name, int n) {
    Server s;
    s.server_id = std::move(id);
    s.name = std::move(name);
    s.endpoint_host = s.server_id + ".vpn.example.net";
    s.public_key = kKey;
    s.ipv4_pool = "10.8." + std::to_string(n) + ".0/24";
    s.ipv6_pool = "fd42:" + std::to_string(n) + "::/64";
    s.dns = {"10.8.0.1"};
    return s;
}

/// The example servers of the TrueVault specification (docs/vpn.md).
NetworkState truevault_network() {
    NetworkState n;
    for (auto& p : config().default_plans) evolve(n, PlanDefined{p});
    auto ny = server("nyc", "New York", 1);
    auto dallas = server("dal", "Dallas", 2);
    dallas.policy.allowed_categories = {DeviceCategory::Personal};
    dallas.policy.bandwidth = BandwidthClass::Limited;
    dallas.policy.streaming_optimized = true;
    auto toronto = server("tor", "Toronto", 3);
    toronto.policy = dallas.policy;
    auto stl = server("stl", "St. Louis", 4);
    stl.policy.vip_only = true;
    stl.policy.dedicated_owner = "u_vip";
    for (auto* s : {&ny, &dallas, &toronto, &stl}) evolve(n, ServerDefined{*s});
    return n;
}

CustomerState subscribed(const std::string& plan) {
    CustomerState s;
    evolve(s, PlanSubscribed{plan, "/"});
    return s;
}

DeviceInput device(std::string id, std::string type, std::string mac = "",
                   std::vector<OpenPort> ports = {}) {
    DeviceInput d;
    d.device_id = std::move(id);
    d.type = std::move(type);
    d.mac = std::move(mac);
    d.open_ports = std::move(ports);
    return d;
}

CustomerDecision when(CustomerState& s, const NetworkState& n, std::vector<DeviceInput> devices,
                      const std::string& customer = "u_1") {
    AddDevices c;
    c.customer_id = customer;
    c.devices = std::move(devices);
    c.source = "scan";
    auto d = decide(s, n, config().rules, c, ctx());
    REQUIRE(d);
    for (const auto& e : d->events) evolve(s, e);
    return *d;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// A MAC address inside the first registry block whose organization contains `org`.
std::string mac_of(const std::string& org) {
    std::ifstream in(SY_IEEE_DATA "/oui.txt");
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("(hex)") != std::string::npos && line.find(org) != std::string::npos)
            return line.substr(0, 2) + ":" + line.substr(3, 2) + ":" + line.substr(6, 2) +
                   ":12:34:56";
    }
    FAIL("no registry block for ", org);
    return {};
}

}  // namespace

TEST_CASE("the shipped classification rules, plans and templates load") {
    const auto& c = config();
    CHECK(c.rules.find("camera")->type == "ip_camera");
    CHECK(c.rules.find("XBOX")->type == "gaming_console");
    CHECK(c.default_plans.size() == 4);
    CHECK(c.templates.size() == 3);
    CHECK(c.oui.size() > 40000);
}

TEST_CASE("the specification's printer template maps 9100 to 91000 and is refused with why") {
    const auto& refused = config().refused_templates;
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].template_id == "network_printer");
    CHECK(refused[0].error.field == "ports[0].external_port");
    CHECK(contains(refused[0].error.message, "91000 is not a port (1-65535)"));
}

TEST_CASE("classification weighs the declared type, the registry vendor, ports and hostname") {
    const auto& rules = config().rules;
    SUBCASE("the specification's camera: declared, RTSP port and hostname agree") {
        auto c = classify(
            rules,
            {"ip_camera", "Geeni", std::nullopt, "front-camera", {{554, "rtsp"}, {80, "http"}}});
        CHECK(c.type == "ip_camera");
        CHECK(c.category == DeviceCategory::HomeNetwork);
        CHECK(c.high_bandwidth);
        CHECK(c.reasons.size() == 5);
        CHECK(contains(c.reasons[2], "open port 554 (rtsp)"));
    }
    SUBCASE("a camera declared as a laptop is still a camera") {
        auto c = classify(
            rules,
            {"laptop", "", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "", {{554, "rtsp"}}});
        CHECK(c.type == "ip_camera");
        CHECK(contains(c.reasons[0], "(outweighed)"));
    }
    SUBCASE("no evidence falls back to the configured type") {
        auto c = classify(rules, {"", "", std::nullopt, "", {}});
        CHECK(c.type == "unknown");
        CHECK(c.category == DeviceCategory::Personal);
    }
    SUBCASE("an unknown declared type is said, and the ports decide") {
        auto c = classify(rules, {"toaster", "", std::nullopt, "", {{3074, ""}}});
        CHECK(c.type == "gaming_console");
        CHECK(contains(c.reasons[0], "not a known type"));
    }
}

TEST_CASE("real MAC addresses classify through the IEEE registry") {
    const auto& c = config();
    auto hik = mac_of("Hikvision");
    auto vendor = c.oui.vendor(hik);
    REQUIRE(vendor);
    auto cls = classify(c.rules, {"", "", vendor, "", {}});
    CHECK(cls.type == "ip_camera");
    auto sony = c.oui.vendor(mac_of("Sony Interactive Entertainment"));
    REQUIRE(sony);
    CHECK(classify(c.rules, {"", "", sony, "", {}}).type == "gaming_console");
    auto brother = c.oui.vendor(mac_of("Brother"));
    CHECK(classify(c.rules, {"", "", brother, "", {}}).type == "printer");
}

TEST_CASE("a family scan adds a camera and a console to New York, with reasons") {
    auto n = truevault_network();
    auto s = subscribed("family");
    auto d = when(s, n,
                  {device("auto_192_168_1_100", "ip_camera", "D8:1D:2E:AA:BB:CC", {{554, "rtsp"}}),
                   device("auto_192_168_1_50", "gaming_console", "00:1A:2B:3C:4D:5E")});
    REQUIRE(d.devices.size() == 2);
    CHECK(d.devices[0].added);
    CHECK(d.devices[0].server_name == "New York");
    CHECK(d.devices[0].reason ==
          "Camera requires unlimited bandwidth: New York has unlimited bandwidth");
    CHECK(d.devices[1].server_id == "nyc");
    CHECK(contains(d.devices[1].reason, "Gaming console requires low latency"));
    CHECK(count_devices(s).categories[DeviceCategory::HomeNetwork] == 2);
}

TEST_CASE("personal devices prefer a streaming-optimized server") {
    auto n = truevault_network();
    auto s = subscribed("family");
    auto d = when(s, n, {device("lap", "laptop")});
    CHECK(d.devices[0].server_id == "dal");
    CHECK(contains(d.devices[0].reason, "streaming-optimized"));
}

TEST_CASE("basic allows one camera: the second is skipped with the plan's rule") {
    auto n = truevault_network();
    auto s = subscribed("basic");
    auto d = when(s, n, {device("c1", "camera"), device("c2", "camera")});
    CHECK(d.devices[0].added);
    CHECK_FALSE(d.devices[1].added);
    CHECK(d.devices[1].reason == "plan Basic allows at most 1 ip_camera; 1 in use");
    CHECK(d.events.size() == 1);
}

TEST_CASE("basic allows three personal devices") {
    auto n = truevault_network();
    auto s = subscribed("basic");
    auto d = when(s, n,
                  {device("p1", "laptop"), device("p2", "phone"), device("p3", "tablet"),
                   device("p4", "e_reader")});
    CHECK(d.events.size() == 3);
    CHECK(d.devices[3].reason == "plan Basic allows 3 personal devices; 3 are in use");
}

TEST_CASE("a device already on the account is skipped, by id or by MAC") {
    auto n = truevault_network();
    auto scan = check_idempotent(subscribed("family"), [&](const CustomerState& c) {
        return decide(c, n, config().rules,
                      AddDevices{"u_1", {device("a", "laptop", "00:11:22:33:44:55")}, "scan"},
                      ctx());
    });
    auto s = scan.state;
    auto d = when(s, n, {device("a", "laptop"), device("b", "laptop", "00-11-22-33-44-55")});
    CHECK(d.events.empty());
    CHECK(d.devices[0].reason == "already on the account (same id)");
    CHECK(d.devices[1].reason == "already on the account (same MAC address)");
}

TEST_CASE("a camera with no unrestricted server is refused with the upgrade that allows it") {
    auto n = truevault_network();
    n.servers.erase("nyc");
    auto s = subscribed("basic");
    auto d = when(s, n, {device("cam", "ip_camera")});
    CHECK_FALSE(d.devices[0].added);
    CHECK(contains(d.devices[0].reason, "no server on plan Basic takes ip_camera"));
    CHECK(contains(d.devices[0].reason, "upgrade to Dedicated (a dedicated server)"));
}

TEST_CASE("a dedicated-plan customer's devices all go to their own server") {
    auto n = truevault_network();
    auto own = server("own", "My Server", 9);
    own.policy.dedicated_owner = "u_7";
    evolve(n, ServerDefined{own});
    auto s = subscribed("dedicated");
    auto d = when(s, n, {device("cam", "ip_camera"), device("lap", "laptop")}, "u_7");
    CHECK(d.devices[0].server_id == "own");
    CHECK(contains(d.devices[0].reason, "dedicated server My Server"));
    CHECK(d.devices[1].server_id == "own");
}

TEST_CASE("the VIP server takes its named customer and refuses others") {
    auto n = truevault_network();
    const auto& stl = n.servers.at("stl");
    CHECK_FALSE(access_refusal(stl, n.plans.at("vip"), "u_vip", 0));
    auto why = access_refusal(stl, n.plans.at("vip"), "u_other", 0);
    REQUIRE(why);
    CHECK(*why == "St. Louis is dedicated to another customer");
}

TEST_CASE("a manual assignment that the policy forbids is refused with the reason") {
    auto n = truevault_network();
    auto s = subscribed("family");
    auto in = device("cam", "ip_camera");
    in.server_id = "dal";
    auto d = when(s, n, {in});
    CHECK_FALSE(d.devices[0].added);
    CHECK(d.devices[0].reason == "Dallas does not accept home_network devices (ip_camera)");
    SUBCASE("and moving an added camera there too") {
        when(s, n, {device("cam", "ip_camera")});
        auto r = decide(s, n, config().rules, AssignServer{"u_1", "cam", "dal", 0}, ctx());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Rejected);
    }
}

TEST_CASE("a server at capacity is skipped by selection and refuses a peer") {
    auto n = truevault_network();
    n.servers.at("nyc").policy.capacity = 1;
    auto s = subscribed("family");
    auto d = when(s, n, {device("lap", "laptop")});
    AddDevices c{"u_1", {device("cam", "ip_camera")}, "scan", {{"nyc", 1}}};
    auto r = decide(s, n, config().rules, c, ctx());
    REQUIRE(r);
    CHECK_FALSE(r->devices[0].added);
}

TEST_CASE("scans are refused whole when a field is malformed, naming it") {
    auto n = truevault_network();
    auto s = subscribed("family");
    auto bad = device("x", "laptop", "not-a-mac");
    auto r = decide(s, n, config().rules, AddDevices{"u_1", {device("ok", "laptop"), bad}}, ctx());
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "devices[1].mac");
    auto port = device("y", "laptop", "", {{70000, ""}});
    r = decide(s, n, config().rules, AddDevices{"u_1", {port}}, ctx());
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "devices[0].open_ports[0].port");
    r = decide(CustomerState{}, n, config().rules, AddDevices{"u_1", {device("z", "laptop")}},
               ctx());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::Errc::Rejected);
}

TEST_CASE("a device added by itself is refused where a scan would skip it") {
    auto n = truevault_network();
    auto s = subscribed("basic");  // one camera
    when(s, n, {device("cam", "ip_camera", "00:11:22:33:44:55")});
    auto single = [&](DeviceInput d) {
        return decide(s, n, config().rules, AddDevices{"u_1", {std::move(d)}, "api", {}, true},
                      ctx());
    };
    auto same_id = single(device("cam", "laptop"));
    REQUIRE_FALSE(same_id);
    CHECK(same_id.error().code == core::Errc::Conflict);
    CHECK(same_id.error().field == "id");
    CHECK(same_id.error().message == "already on the account (same id)");
    auto same_mac = single(device("other", "laptop", "00-11-22-33-44-55"));
    REQUIRE_FALSE(same_mac);
    CHECK(same_mac.error().code == core::Errc::Conflict);
    CHECK(same_mac.error().field == "id");
    auto over = single(device("cam2", "ip_camera"));
    REQUIRE_FALSE(over);
    CHECK(over.error().code == core::Errc::Rejected);
    CHECK(over.error().field == "server_id");
    CHECK(over.error().message == "plan Basic allows at most 1 ip_camera; 1 in use");
    auto policy = device("lap", "laptop");
    policy.server_id = "stl";  // VIP only
    auto refused = single(policy);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Rejected);
    CHECK(refused.error().field == "server_id");
    auto malformed = single(device("x", "laptop", "not-a-mac"));
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().field == "mac");  // no `devices[0].` for a device by itself
    auto added = single(device("lap", "laptop"));
    REQUIRE(added);
    CHECK(added->devices.at(0).added);
    CHECK(added->events.size() == 1);
}

TEST_CASE("a scan's discovered_at may leave out the offset and is then read as UTC") {
    auto local = parse_discovered_at("2026-01-14T12:00:00");
    REQUIRE(local);
    CHECK(core::format_rfc3339(*local).rfind("2026-01-14T12:00:00", 0) == 0);
    CHECK(parse_discovered_at("2026-01-14T12:00:00+01:00") ==
          core::parse_rfc3339("2026-01-14T11:00:00Z"));
    for (const char* bad : {"yesterday", "2026-01-14", "2026-01-14 12:00:00", ""})
        CHECK_FALSE(parse_discovered_at(bad));
}

TEST_CASE("changing to a plan smaller than what is in use is refused") {
    auto n = truevault_network();
    auto s = subscribed("family");
    when(s, n, {device("c1", "camera"), device("c2", "camera")});
    auto r = decide(s, n, Subscribe{"u_1", "basic", "/"}, ctx());
    REQUIRE_FALSE(r);
    CHECK(contains(r.error().message, "allows 1 ip_camera but the customer has 2"));
    CHECK(decide(s, n, Subscribe{"u_1", "vip", "/"}, ctx()));
}

TEST_CASE("peers get the next free addresses of their server's pools") {
    auto n = truevault_network();
    auto s = subscribed("family");
    when(s, n, {device("a", "laptop"), device("b", "laptop")});
    ServerAllocationState alloc;
    auto peer = [&](const std::string& id) {
        auto r = decide(s, n, alloc, CreatePeer{"u_1", id, kClientKey, "", "psk"}, ctx());
        REQUIRE(r);
        for (auto& e : r->events) evolve(s, e);
        for (auto& e : r->allocations.at("dal")) evolve(alloc, e);
        return s.peers.at(id);
    };
    auto a = peer("a");
    CHECK(a.ipv4 == "10.8.2.2");
    CHECK(a.ipv6 == "fd42:2::2");
    CHECK(a.dns == std::vector<std::string>{"10.8.0.1"});
    CHECK(peer("b").ipv4 == "10.8.2.3");
    SUBCASE("a removed peer gives its address back") {
        auto r = decide(s, RemovePeer{"u_1", "a"}, ctx());
        REQUIRE(r);
        for (auto& e : r->allocations.at("dal")) evolve(alloc, e);
        for (auto& e : r->events) evolve(s, e);
        CHECK(peer("a").ipv4 == "10.8.2.2");
    }
    SUBCASE("a second peer for a device conflicts") {
        auto r = decide(s, n, alloc, CreatePeer{"u_1", "a", kClientKey, "", "psk"}, ctx());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Conflict);
    }
    SUBCASE("a malformed public key is refused") {
        when(s, n, {device("c", "laptop")});
        auto r = decide(s, n, alloc, CreatePeer{"u_1", "c", "short", "", "psk"}, ctx());
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "public_key");
    }
    SUBCASE("disabling is recorded once; enabling clears the reason") {
        auto off = check_idempotent(s, [](const CustomerState& c) {
            return decide(c, DisablePeer{"u_1", "a", DisableReason::QuotaExceeded}, ctx());
        });
        CHECK(off.first.events.size() == 1);
        s = off.state;
        CHECK(s.peers.at("a").disabled_reason == DisableReason::QuotaExceeded);
        auto other_reason = decide(s, DisablePeer{"u_1", "a", DisableReason::Expired}, ctx());
        REQUIRE(other_reason);
        CHECK(other_reason->events.empty());
        auto on = check_idempotent(s, [](const CustomerState& c) {
            return decide(c, UpdatePeer{"u_1", "a", true, std::nullopt}, ctx());
        });
        CHECK(on.first.events.size() == 1);
        CHECK(on.state.peers.at("a").enabled);
        CHECK_FALSE(on.state.peers.at("a").disabled_reason);
    }
}

TEST_CASE("external ports are unique per server and protocol, and allocated when not given") {
    auto n = truevault_network();
    auto s = subscribed("family");
    auto cam = device("cam", "ip_camera");
    cam.ip = "192.168.1.100";
    when(s, n, {cam});
    ServerAllocationState alloc;
    auto forward = [&](std::vector<ForwardSpec> ports) {
        auto r = decide(s, n, alloc, CreatePortForwards{"u_1", "cam", std::move(ports), ""}, ctx());
        if (r) {
            for (auto& e : r->events) evolve(s, e);
            for (auto& e : r->allocations["nyc"]) evolve(alloc, e);
        }
        return r;
    };
    auto first = forward({{"", 554, 55400, ForwardProtocol::Tcp, "RTSP stream"}});
    REQUIRE(first);
    CHECK(s.forwards.at(first->forward_ids[0]).local_ip == "192.168.1.100");
    auto taken = forward({{"", 80, 55400, ForwardProtocol::Tcp, ""}});
    REQUIRE_FALSE(taken);
    CHECK(taken.error().code == core::Errc::Conflict);
    CHECK(taken.error().message == "tcp 55400 is already forwarded on New York");
    CHECK(forward({{"", 80, 55400, ForwardProtocol::Udp, ""}}));
    auto both = forward({{"", 81, 55400, ForwardProtocol::Both, ""}});
    REQUIRE_FALSE(both);
    auto allocated = forward({{"", 81, std::nullopt, ForwardProtocol::Both, ""}});
    REQUIRE(allocated);
    CHECK(s.forwards.at(allocated->forward_ids[0]).external_port == kFirstAllocatedPort);
    auto next = forward({{"", 82, std::nullopt, ForwardProtocol::Tcp, ""}});
    CHECK(s.forwards.at(next->forward_ids[0]).external_port == kFirstAllocatedPort + 1);
    SUBCASE("the server's WireGuard port is not forwarded") {
        auto r = forward({{"", 1, 51820, ForwardProtocol::Udp, ""}});
        REQUIRE_FALSE(r);
    }
    SUBCASE("a port outside 1-65535 is refused, naming the field") {
        auto r = forward({{"", 9100, 91000, ForwardProtocol::Tcp, ""}});
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "external_port");
        auto r2 = forward(
            {{"", 1, 6310, ForwardProtocol::Tcp, ""}, {"", 0, 6311, ForwardProtocol::Tcp, ""}});
        REQUIRE_FALSE(r2);
        CHECK(r2.error().field == "ports[1].local_port");
    }
    SUBCASE("a template is all or nothing") {
        auto r = forward({{"", 3074, 30740, ForwardProtocol::Udp, ""},
                          {"", 88, 55400, ForwardProtocol::Udp, ""}});
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "ports[1].external_port");
        CHECK_FALSE(alloc.udp_ports.count(30740));
    }
    SUBCASE("removing the device releases its ports") {
        auto r = decide(s, RemoveDevice{"u_1", "cam"}, ctx());
        REQUIRE(r);
        for (auto& e : r->allocations["nyc"]) evolve(alloc, e);
        CHECK(alloc.tcp_ports.empty());
        CHECK(alloc.udp_ports.empty());
    }
}

TEST_CASE("address pools count hosts and skip the IPv4 broadcast address") {
    std::string why;
    auto p = AddressPool::parse("10.0.0.0/30", why);
    REQUIRE(p);
    CHECK(p->host(1) == "10.0.0.1");
    CHECK(p->host(2) == "10.0.0.2");
    CHECK_FALSE(p->host(3));
    CHECK_FALSE(p->first_free({"10.0.0.2"}));
    CHECK_FALSE(AddressPool::parse("10.0.0.1/24", why));
    CHECK(why == "has host bits set");
    auto v6 = AddressPool::parse("fd00::/64", why);
    CHECK(v6->host(257) == "fd00::101");
    CHECK_FALSE(AddressPool::parse("10.0.0.0/31", why));
}

TEST_CASE("usage deltas survive counter resets") {
    CHECK(counter_delta(100, 250) == 150);
    CHECK(counter_delta(250, 40) == 40);  // the interface restarted and counts from zero
    CHECK(usage_month(core::from_unix_seconds(1'790'000'000)) == "2026-09");
}

TEST_CASE("a usage query's month is YYYY-MM, else the month of now") {
    const auto now = core::from_unix_seconds(1'790'000'000);
    CHECK(usage_month_of("", now).value() == "2026-09");
    CHECK(usage_month_of("2025-12", now).value() == "2025-12");
    for (const char* bad : {"2025-13", "2025-1", "202512", "2025-12-01", "last month"}) {
        auto r = usage_month_of(bad, now);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Invalid);
        CHECK(r.error().field == "month");
    }
}

TEST_CASE("diagnostics run only ping, traceroute and dns on a host or address") {
    auto ping = diagnostic_command("ping", "192.0.2.1");
    REQUIRE(ping);
    CHECK(ping->argv.front() == "ping");
    CHECK(ping->argv.back() == "192.0.2.1");
    CHECK(diagnostic_command("dns", "example.com")->argv[0] == "dig");
    CHECK(diagnostic_command("dns", "2001:db8::1")->argv[4] == "-x");
    for (const char* bad : {"-f", "8.8.8.8; rm -rf /", "$(id)", "a b", "", "example..com"}) {
        auto r = diagnostic_command("ping", bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "target");
    }
    CHECK(error_of(diagnostic_command("bash", "example.com")).field == "tool");
}

TEST_CASE("a diagnostic run is recorded with its outcome and the size of its output") {
    auto cmd = diagnostic_command("dns", "example.com");
    REQUIRE(cmd);
    const DiagnosticResult result{1, true, 2000, "timed out\n", false};
    const auto ran = diagnostic_ran("u_1", *cmd, result);
    CHECK(ran.customer_id == "u_1");
    CHECK(ran.tool == "dns");
    CHECK(ran.target == "example.com");
    CHECK(ran.exit_code == 1);
    CHECK(ran.timed_out);
    CHECK(ran.duration_ms == 2000);
    CHECK(ran.output_bytes == 10);
}

TEST_CASE("a client configuration names the server key, endpoint and addresses") {
    auto n = truevault_network();
    Peer p;
    p.ipv4 = "10.8.1.2";
    p.ipv6 = "fd42:1::2";
    p.dns = {"10.8.0.1"};
    auto text = render_client_config(n.servers.at("nyc"), p, std::string("PRIV"), "PSK");
    CHECK(contains(text, "PrivateKey = PRIV\n"));
    CHECK(contains(text, "Address = 10.8.1.2/32, fd42:1::2/128\n"));
    CHECK(contains(text, "Endpoint = nyc.vpn.example.net:51820\n"));
    CHECK(contains(text, "PresharedKey = PSK\n"));
    auto held = render_client_config(n.servers.at("nyc"), p, std::nullopt, "PSK");
    CHECK_FALSE(contains(held, "PrivateKey ="));
}

TEST_CASE("a client configuration needs the device, its peer and the peer's server") {
    auto n = truevault_network();
    auto s = subscribed("family");
    when(s, n, {device("lap", "laptop")});
    auto no_device = client_config_source(s, n, "tv");
    REQUIRE_FALSE(no_device);
    CHECK(no_device.error().code == core::Errc::NotFound);
    CHECK(no_device.error().field == "id");
    auto no_peer = client_config_source(s, n, "lap");
    REQUIRE_FALSE(no_peer);
    CHECK(no_peer.error().field == "id");
    CHECK(contains(no_peer.error().message, "POST its peer first"));
    auto r = decide(s, n, ServerAllocationState{}, CreatePeer{"u_1", "lap", kClientKey, "", "psk"},
                    ctx());
    REQUIRE(r);
    for (auto& e : r->events) evolve(s, e);
    auto found = client_config_source(s, n, "lap");
    REQUIRE(found);
    CHECK(found->server->server_id == "dal");
    CHECK(found->peer->ipv4 == "10.8.2.2");
    n.servers.erase("dal");
    auto gone = client_config_source(s, n, "lap");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == core::Errc::NotFound);
    CHECK(gone.error().field == "server_id");
}

TEST_CASE("an endpoint's authority brackets an IPv6 host") {
    CHECK(authority("nyc.vpn.example.net", 51820) == "nyc.vpn.example.net:51820");
    CHECK(authority("192.0.2.7", 443) == "192.0.2.7:443");
    CHECK(authority("2001:db8::7", 51820) == "[2001:db8::7]:51820");
}

TEST_CASE("a template's ports take the request's local IP, a refused or unknown one is named") {
    const auto& cfg = config();
    auto xbox = template_ports(cfg.templates, cfg.refused_templates, "xbox", "192.168.1.50");
    REQUIRE(xbox);
    REQUIRE(xbox->size() == 3);
    for (const auto& p : *xbox) CHECK(p.local_ip == "192.168.1.50");
    auto refused =
        template_ports(cfg.templates, cfg.refused_templates, "network_printer", "192.168.1.20");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Rejected);
    CHECK(refused.error().field == "template");
    CHECK(contains(refused.error().message, "ports[0].external_port"));
    auto unknown = template_ports(cfg.templates, cfg.refused_templates, "toaster", "");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == core::Errc::NotFound);
    CHECK(unknown.error().field == "template");
}

TEST_CASE("plans and servers are validated when defined") {
    NetworkState n;
    Plan bad{"Bad Id", "x"};
    CHECK(error_of(decide(n, DefinePlan{bad}, ctx())).field == "plan_id");
    auto s = server("nyc", "New York", 1);
    s.ipv4_pool = "10.8.1.0/33";
    CHECK(error_of(decide(n, DefineServer{s}, ctx())).field == "ipv4_pool");
    s = server("nyc", "New York", 1);
    s.dns = {"resolver"};
    CHECK(error_of(decide(n, DefineServer{s}, ctx())).field == "dns");
    s = server("nyc", "New York", 1);
    // The same definition again: no event.
    n = check_idempotent(n, [&](const NetworkState& net) {
            return decide(net, DefineServer{s}, ctx());
        }).state;
    auto clash = server("nyc2", "New York 2", 2);
    clash.endpoint_host = s.endpoint_host;
    CHECK(error_of(decide(n, DefineServer{clash}, ctx())).code == core::Errc::Conflict);
    SUBCASE("seeding happens only into an empty offer") {
        auto seeded = check_idempotent(n, [](const NetworkState& net) {
            return decide(net, SeedPlans{config().default_plans}, ctx());
        });
        CHECK(seeded.first.size() == 4);
    }
}

TEST_CASE("a new server's pool is refused when too large, overlapping or holding its endpoint") {
    NetworkState n;
    auto nyc = server("nyc", "New York", 1);
    auto first = decide(n, DefineServer{nyc}, ctx());
    REQUIRE(first);
    evolve(n, (*first)[0]);
    auto refused = [&](Server s, core::Errc code, const std::string& field) {
        auto r = decide(n, DefineServer{s}, ctx());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().field == field);
        return r.error().message;
    };
    auto s = server("dal", "Dallas", 2);
    SUBCASE("the whole address space and blocks shorter than /16 or /48") {
        s.ipv4_pool = "0.0.0.0/0";
        CHECK(refused(s, core::Errc::Invalid, "ipv4_pool").find("/16") != std::string::npos);
        s.ipv4_pool = "10.0.0.0/8";
        refused(s, core::Errc::Invalid, "ipv4_pool");
        s.ipv4_pool = "10.9.0.0/16";  // the shortest allowed
        s.ipv6_pool = "::/0";
        CHECK(refused(s, core::Errc::Invalid, "ipv6_pool").find("/48") != std::string::npos);
        s.ipv6_pool = "fd43::/48";
        CHECK(decide(n, DefineServer{s}, ctx()));
    }
    SUBCASE("a pool overlapping another server's, IPv4 and IPv6, either one containing the other") {
        s.ipv4_pool = "10.8.1.128/25";  // inside New York's 10.8.1.0/24
        CHECK(refused(s, core::Errc::Conflict, "ipv4_pool").find("nyc") != std::string::npos);
        s.ipv4_pool = "10.8.0.0/16";  // around it
        refused(s, core::Errc::Conflict, "ipv4_pool");
        s.ipv4_pool = "10.8.2.0/24";
        s.ipv6_pool = "fd42:1::/64";  // New York's own
        refused(s, core::Errc::Conflict, "ipv6_pool");
        s.ipv6_pool = "fd42:2::/64";
        CHECK(decide(n, DefineServer{s}, ctx()));
    }
    SUBCASE("a pool holding the server's own endpoint address") {
        s.endpoint_host = "10.8.2.1";
        CHECK(refused(s, core::Errc::Invalid, "ipv4_pool").find("10.8.2.1") != std::string::npos);
        s.endpoint_host = "fd42:2::1";
        refused(s, core::Errc::Invalid, "ipv6_pool");
        s.endpoint_host = "203.0.113.7";
        CHECK(decide(n, DefineServer{s}, ctx()));
    }
    SUBCASE("redefining an existing server does not trip over its own pools") {
        nyc.name = "New York City";
        CHECK(decide(n, DefineServer{nyc}, ctx())->size() == 1);
    }
}

TEST_CASE("a peer's expiry must lie after now, when created and when changed") {
    auto n = truevault_network();
    auto s = subscribed("family");
    when(s, n, {device("a", "laptop")});
    ServerAllocationState alloc;
    CreatePeer c{"u_1", "a", kClientKey, "", "psk"};
    c.limits.expires_at = ctx().now;  // now is not later than now
    auto past = decide(s, n, alloc, c, ctx());
    REQUIRE_FALSE(past);
    CHECK(past.error().code == core::Errc::Rejected);
    CHECK(past.error().field == "expires_at");
    CHECK(past.error().message.find("not in the future") != std::string::npos);
    c.limits.expires_at = ctx().now + std::chrono::hours(1);
    auto made = decide(s, n, alloc, c, ctx());
    REQUIRE(made);
    for (auto& e : made->events) evolve(s, e);
    // Later, once that hour has passed, a quota change keeps the expiry as it is...
    auto later = ctx();
    later.now += std::chrono::hours(2);
    PeerLimits quota = s.peers.at("a").limits;
    quota.quota_bytes = 1000;
    CHECK(decide(s, UpdatePeer{"u_1", "a", std::nullopt, quota}, later));
    // ...but a new expiry in the past is refused.
    PeerLimits back = quota;
    back.expires_at = later.now - std::chrono::minutes(1);
    auto r = decide(s, UpdatePeer{"u_1", "a", std::nullopt, back}, later);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "expires_at");
}
