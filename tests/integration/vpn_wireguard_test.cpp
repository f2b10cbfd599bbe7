// From a scan to a working WireGuard tunnel through the API alone, on real interfaces: a server
// and a client network namespace joined by veth, wireguard-go on both. Switchyard configures
// the server interface through its adapter; the client uses the configuration Switchyard
// rendered. Needs root, network namespaces, /dev/net/tun and the WireGuard tools: where they
// are missing it reports Skipped to ctest (tests/support/skip.hpp), and fails under CI=true.
#include <doctest/doctest.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard::testing;
namespace json = boost::json;

namespace {

int sh(const std::string& command, std::string* out = nullptr) {
    return run(command + " 2>&1", out);
}

/// Two namespaces, a veth pair between them, wireguard-go in each; torn down on exit.
struct Topology {
    std::string server_ns, client_ns, server_if, client_if;
    explicit Topology(const std::string& tag)
        : server_ns("sy-s-" + tag),
          client_ns("sy-c-" + tag),
          server_if("sys" + tag),
          client_if("syc" + tag) {
        const auto veth_s = "vs" + tag, veth_c = "vc" + tag;
        for (const auto& c : {
                 fmt::format("ip netns add {}", server_ns),
                 fmt::format("ip netns add {}", client_ns),
                 fmt::format("ip link add {} netns {} type veth peer name {} netns {}", veth_s,
                             server_ns, veth_c, client_ns),
                 fmt::format("ip -n {} addr add 192.0.2.1/24 dev {}", server_ns, veth_s),
                 fmt::format("ip -n {} link set {} up", server_ns, veth_s),
                 fmt::format("ip -n {} link set lo up", server_ns),
                 fmt::format("ip -n {} addr add 192.0.2.2/24 dev {}", client_ns, veth_c),
                 fmt::format("ip -n {} link set {} up", client_ns, veth_c),
                 fmt::format("ip -n {} link set lo up", client_ns),
                 // wireguard-go refuses to start where the kernel module exists unless told.
                 fmt::format("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec {} "
                             "wireguard-go {}",
                             server_ns, server_if),
                 fmt::format("ip -n {} addr add 10.77.0.1/24 dev {}", server_ns, server_if),
                 fmt::format("ip -n {} link set {} up", server_ns, server_if),
                 fmt::format("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec {} "
                             "wireguard-go {}",
                             client_ns, client_if),
             }) {
            std::string out;
            REQUIRE_MESSAGE(sh(c, &out) == 0, c, "\n", out);
        }
    }
    ~Topology() {
        // wireguard-go outlives its namespace: stop it by its command line, then the rest.
        for (const auto& name : {server_if, client_if}) {
            sh(fmt::format("pkill -f -x 'wireguard-go {}'", name));
            sh(fmt::format("rm -f /var/run/wireguard/{}.sock", name));
        }
        sh("ip netns del " + server_ns);
        sh("ip netns del " + client_ns);
    }
    bool ping(int count = 1) const {
        return sh(fmt::format("ip netns exec {} ping -n -c {} -W 1 -i 0.2 10.77.0.1", client_ns,
                              count)) == 0;
    }
    /// Deletes and recreates the server interface: counters start from zero again.
    void restart_server_interface() const {
        for (const auto& c : {
                 fmt::format("ip -n {} link del {}", server_ns, server_if),
                 fmt::format("sleep 1; WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns "
                             "exec {} wireguard-go {}",
                             server_ns, server_if),
                 fmt::format("ip -n {} addr add 10.77.0.1/24 dev {}", server_ns, server_if),
                 fmt::format("ip -n {} link set {} up", server_ns, server_if),
             }) {
            std::string out;
            REQUIRE_MESSAGE(sh(c, &out) == 0, c, "\n", out);
        }
    }
    std::string server_peers() const {
        std::string out;
        sh(fmt::format("ip netns exec {} wg show {} peers", server_ns, server_if), &out);
        return out;
    }
};

/// Why this machine cannot run the test; none when it can.
std::optional<std::string> cannot_run() {
    if (geteuid() != 0) return "network namespaces need root (CI machines run as root)";
    std::string have;
    if (sh("command -v wireguard-go wg ip ping", &have) != 0)
        return "wireguard-go, wireguard-tools, iproute2 and iputils-ping are needed "
               "(scripts/setup installs them); found: " +
               have;
    if (sh("test -c /dev/net/tun") != 0) return "wireguard-go needs /dev/net/tun";
    const auto probe = "sy-probe-" + std::to_string(getpid());
    std::string out;
    if (sh("ip netns add " + probe, &out) != 0)
        return "this machine does not let us create a network namespace: " + out;
    sh("ip netns del " + probe);
    return std::nullopt;
}

template <class Fn>
bool eventually(Fn fn, int seconds = 15) {
    for (int i = 0; i < seconds * 5; ++i) {
        if (fn()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

json::object body_of(const Response& r) {
    REQUIRE_MESSAGE(r.status < 300, r.status, " ", r.body);
    return json::parse(r.body).as_object();
}

}  // namespace

/// `switchyard serve` with the WireGuard adapter on `net`'s server interface; the operator's
/// server `edge` on the veth address; a customer `ivy` on the family plan whose laptop scanned
/// in, got its peer and configured the client namespace with the rendered configuration; the
/// adapter has put the peer on the interface and the tunnel carries ping.
struct Tunnel {
    TempDir tmp;
    fs::path data_dir;
    std::unique_ptr<Server> server;
    std::string key, base, customer, token, public_key, conf;

    explicit Tunnel(const Topology& net) : data_dir(tmp.path() / "data") {
        const int port = free_port();
        server = std::make_unique<Server>(
            data_dir, port, std::string{},
            std::vector<std::string>{"--wireguard",
                                     fmt::format("edge={}@{}", net.server_if, net.server_ns),
                                     "--wireguard-interval-ms", "300"});
        key = slurp(data_dir / "admin.key");
        while (!key.empty() && key.back() == '\n') key.pop_back();
        base = server->base;

        // The operator: a server on the veth address, its pool routed to clients.
        body_of(http("PUT", base + "/v1/vpn/servers/edge",
                     R"({"name":"Edge","endpoint_host":"192.0.2.1","listen_port":51820,
                         "ipv4_pool":"10.77.0.0/24","client_allowed_ips":"10.77.0.0/24",
                         "persistent_keepalive":0})",
                     key));
        customer = std::string(
            body_of(http("POST", base + "/v1/users",
                         R"({"username":"ivy","password":"Corr3ct-Horse","role":"customer"})", key))
                .at("user_id")
                .as_string());
        body_of(http("PUT", base + "/v1/vpn/subscription?customer_id=" + customer,
                     R"({"plan_id":"family"})", key));

        // The customer, with their own session only: scan, peer, configuration.
        token = std::string(body_of(http("POST", base + "/v1/auth/login",
                                         R"({"username":"ivy","password":"Corr3ct-Horse"})"))
                                .at("token")
                                .as_string());
        auto scan =
            body_of(http("POST", base + "/v1/vpn/scans",
                         R"({"devices":[{"id":"laptop","hostname":"ivy-laptop","type":"laptop",
                     "mac":"02:00:00:00:00:01"}]})",
                         token));
        REQUIRE(scan.at("data").as_object().at("devices_added").as_int64() == 1);
        auto peer = body_of(http("POST", base + "/v1/vpn/devices/laptop/peer", "{}", token));
        public_key = std::string(peer.at("public_key").as_string());
        auto rendered = http("GET", base + "/v1/vpn/devices/laptop/wireguard.conf", {}, token);
        REQUIRE(rendered.status == 200);
        conf = rendered.body;

        // The client takes the rendered configuration: wg(8) reads the keys, endpoint and
        // allowed IPs; Address is wg-quick's, so it is set with ip(8).
        std::string wg_conf, address;
        {
            std::istringstream in(conf);
            std::string line;
            while (std::getline(in, line)) {
                if (line.rfind("Address = ", 0) == 0) {
                    address = line.substr(10);
                    continue;
                }
                if (line.rfind("DNS = ", 0) == 0) continue;
                wg_conf += line + "\n";
            }
        }
        REQUIRE(address == "10.77.0.2/32");
        const auto conf_file = tmp.path() / "client.conf";
        std::ofstream(conf_file) << wg_conf;
        for (const auto& c :
             {fmt::format("ip netns exec {} wg setconf {} {}", net.client_ns, net.client_if,
                          conf_file.string()),
              fmt::format("ip -n {} addr add {} dev {}", net.client_ns, address, net.client_if),
              fmt::format("ip -n {} link set {} up", net.client_ns, net.client_if),
              fmt::format("ip -n {} route add 10.77.0.0/24 dev {}", net.client_ns,
                          net.client_if)}) {
            std::string out;
            REQUIRE_MESSAGE(sh(c, &out) == 0, c, "\n", out);
        }

        // The adapter puts the peer on the server interface; the tunnel carries ping.
        REQUIRE(
            eventually([&] { return net.server_peers().find(public_key) != std::string::npos; }));
        CHECK(eventually([&] { return net.ping(); }));
    }
};

TEST_CASE("a scan becomes a WireGuard tunnel: ping passes, disabling and the quota cut it") {
    if (auto why = cannot_run()) {
        skip(*why);
        return;
    }
    const auto tag = std::to_string(getpid() % 100000);
    Topology net(tag);
    Tunnel t(net);
    const auto& base = t.base;
    const auto& token = t.token;
    const auto& public_key = t.public_key;
    const auto& conf = t.conf;
    const auto& data_dir = t.data_dir;
    auto& server = *t.server;

    // Disabled in Switchyard: the adapter removes the peer; ping fails.
    body_of(http("PATCH", base + "/v1/vpn/devices/laptop/peer", R"({"enabled":false})", token));
    CHECK(eventually([&] { return net.server_peers().find(public_key) == std::string::npos; }));
    CHECK_FALSE(net.ping(2));

    // Enabled again: ping passes again.
    body_of(http("PATCH", base + "/v1/vpn/devices/laptop/peer", R"({"enabled":true})", token));
    CHECK(eventually([&] { return net.ping(); }));
    CHECK(net.ping(5));

    // The usage read model holds the traffic.
    std::int64_t used = 0;
    CHECK(eventually([&] {
        auto u = json::parse(http("GET", base + "/v1/vpn/usage", {}, token).body).as_object();
        used = u.at("total").as_object().at("total_bytes").as_int64();
        return used > 0 && !u.at("devices").as_array().empty();
    }));

    // The interface is recreated (counters from zero): the adapter puts the key, the port and
    // the peer back, and the month's usage keeps growing from where it was.
    net.restart_server_interface();
    CHECK(eventually([&] { return net.ping(); }, 30));
    CHECK(net.ping(5));
    std::int64_t after_restart = 0;
    CHECK(eventually([&] {
        auto u = json::parse(http("GET", base + "/v1/vpn/usage", {}, token).body).as_object();
        after_restart = u.at("total").as_object().at("total_bytes").as_int64();
        return after_restart > used;
    }));
    used = after_restart;

    // A quota just above what is used: more traffic passes it and the peer is cut by itself.
    body_of(http("PATCH", base + "/v1/vpn/devices/laptop/peer",
                 fmt::format(R"({{"quota_bytes":{}}})", used + 3000), token));
    sh(fmt::format("ip netns exec {} ping -n -c 10 -i 0.2 -s 1000 -W 1 10.77.0.1", net.client_ns));
    std::string reason;
    CHECK(eventually([&] {
        auto d =
            json::parse(http("GET", base + "/v1/vpn/devices/laptop", {}, token).body).as_object();
        const auto& p = d.at("peer").as_object();
        if (p.at("disabled_reason").is_string()) reason = p.at("disabled_reason").as_string();
        return !p.at("enabled").as_bool();
    }));
    CHECK(reason == "quota_exceeded");
    CHECK(eventually([&] { return net.server_peers().find(public_key) == std::string::npos; }));
    CHECK_FALSE(net.ping(2));
    auto after = json::parse(http("GET", base + "/v1/vpn/usage", {}, token).body).as_object();
    CHECK(after.at("total").as_object().at("total_bytes").as_int64() > used + 3000);

    // Expiry cuts the peer too, with its reason: an expiry in the past is refused, so one two
    // seconds ahead, which the next reconciliation passes find passed.
    const auto soon =
        switchyard::core::format_rfc3339(std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now() + std::chrono::seconds(2)));
    body_of(http("PATCH", base + "/v1/vpn/devices/laptop/peer",
                 fmt::format(R"({{"quota_bytes":null,"enabled":true,"expires_at":"{}"}})", soon),
                 token));
    CHECK(eventually([&] {
        auto d =
            json::parse(http("GET", base + "/v1/vpn/devices/laptop", {}, token).body).as_object();
        const auto& p = d.at("peer").as_object();
        return p.at("disabled_reason").is_string() &&
               p.at("disabled_reason").as_string() == "expired";
    }));
    CHECK_FALSE(net.ping(2));

    // The log: the adapter's records are there, and no key is in clear.
    std::string ndjson;
    REQUIRE(run(fmt::format("'{}' events tail --server {} --data-dir '{}' --no-follow",
                            SY_SWITCHYARD, base, data_dir.string()),
                &ndjson) == 0);
    CHECK(ndjson.find("vpn.peer.usage_recorded") != std::string::npos);
    CHECK(ndjson.find("vpn.interface.reconciled") != std::string::npos);
    CHECK(ndjson.find("\"ok\":false") != std::string::npos);  // the pass that found no interface
    CHECK(ndjson.find("\"reason\":\"quota_exceeded\"") != std::string::npos);
    for (const char* field : {"PrivateKey = ", "PresharedKey = "}) {
        auto at = conf.find(field);
        REQUIRE(at != std::string::npos);
        const auto secret = conf.substr(at + std::strlen(field), 44);
        CHECK(ndjson.find(secret) == std::string::npos);
    }
    std::ofstream(SY_EVENTS_OUT_VPN) << ndjson;
    CHECK(server.stop() == 0);
}

TEST_CASE("an unpaid VPN subscription takes the peer off the interface, and paying puts it back") {
    if (auto why = cannot_run()) {
        skip(*why);
        return;
    }
    const auto tag = std::to_string(getpid() % 100000 + 1);
    Topology net(tag);
    Tunnel t(net);
    const auto& base = t.base;
    const auto& key = t.key;

    // A plan billed by the minute, without grace; a wallet holding one minute.
    body_of(http("POST", base + "/v1/billing/plans",
                 R"({"plan_id":"vpn-minute","name":"VPN by the minute","line":"vpn",
                     "interval":"minute","grace_days":0,
                     "prices":[{"currency":"EUR","amount_micros":1000000}]})",
                 key));
    body_of(http("POST", base + "/v1/billing/accounts",
                 R"({"account":"wallet:ivy","currency":"EUR"})", key));
    const auto top_up = [&](const std::string& id) {
        body_of(http("POST", base + "/v1/billing/entries",
                     fmt::format(R"({{"entry_id":"{}","currency":"EUR","memo":"top-up",
                                     "postings":[{{"account":"gateway_clearing:bank","debit_micros":1000000}},
                                                 {{"account":"wallet:ivy","credit_micros":1000000}}]}})",
                                 id),
                     key));
    };
    top_up("top-up-1");
    auto sub = body_of(http("POST", base + "/v1/billing/subscriptions",
                            fmt::format(R"({{"subscription_id":"sub-ivy","customer_id":"ivy",
                                            "plan_id":"vpn-minute","currency":"EUR",
                                            "payer":"wallet:ivy","service_id":"{}"}})",
                                        t.customer),
                            key));
    CHECK(sub.at("status").as_string() == "active");

    // At the minute's end the renewal fails: suspended, the peer is disabled as unpaid and the
    // adapter takes it off the interface; the tunnel stops.
    const auto off = [&] { return net.server_peers().find(t.public_key) == std::string::npos; };
    std::chrono::system_clock::time_point gone{};
    REQUIRE(eventually(
        [&] {
            if (!off()) return false;
            gone = std::chrono::system_clock::now();
            return true;
        },
        90));
    auto s = body_of(http("GET", base + "/v1/billing/subscriptions/sub-ivy", {}, key));
    CHECK(s.at("status").as_string() == "suspended");
    const auto suspended_at =
        switchyard::core::parse_rfc3339(std::string(s.at("updated_at").as_string()));
    REQUIRE(suspended_at);
    MESSAGE("suspension to the peer off the interface (polled every 200 ms): ",
            std::chrono::duration_cast<std::chrono::milliseconds>(gone - *suspended_at).count(),
            " ms");
    auto device =
        body_of(http("GET", base + "/v1/vpn/devices/laptop?customer_id=" + t.customer, {}, key));
    CHECK(device.at("peer").as_object().at("disabled_reason").as_string() == "unpaid");
    CHECK_FALSE(net.ping(2));

    // Paying reinstates it: the peer is enabled and back on the interface; ping passes.
    top_up("top-up-2");
    auto paid =
        body_of(http("POST", base + "/v1/billing/subscriptions/sub-ivy/renewal", "{}", key));
    CHECK(paid.at("status").as_string() == "active");
    CHECK(eventually([&] { return !off(); }));
    CHECK(eventually([&] { return net.ping(); }));
    CHECK(t.server->stop() == 0);
}
