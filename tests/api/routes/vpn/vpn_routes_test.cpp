// The VPN line over HTTP: the TrueVault scan and port forwarding shapes, limits under
// concurrent scans, templates, peers and their client configuration, diagnostics.
#include <doctest/doctest.h>

#include <barrier>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "adapters/process/process.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// The request of truevault-vpn-expansion.md 1.4, as written there.
const char* kSpecScan = R"({
  "devices": [
    {
      "id": "auto_192_168_1_100",
      "ip": "192.168.1.100",
      "mac": "D8:1D:2E:AA:BB:CC",
      "hostname": "front-camera",
      "vendor": "Geeni",
      "type": "ip_camera",
      "type_name": "Geeni Camera",
      "icon": "📷",
      "open_ports": [
        {"port": 554, "service": "rtsp"},
        {"port": 80, "service": "http"}
      ],
      "discovered_at": "2026-01-14T12:00:00"
    },
    {
      "id": "auto_192_168_1_50",
      "ip": "192.168.1.50",
      "mac": "00:1A:2B:3C:4D:5E",
      "hostname": "xbox-series-x",
      "vendor": "Microsoft",
      "type": "gaming_console",
      "type_name": "Xbox Series X",
      "icon": "🎮",
      "open_ports": [
        {"port": 3074, "service": "xbox-live"}
      ],
      "discovered_at": "2026-01-14T12:00:00"
    }
  ]
})";

/// The operator's side: default plans, New York (everything) and Dallas (personal only).
struct VpnWorld {
    ApiFixture& f;
    explicit VpnWorld(ApiFixture& fixture) : f(fixture) {
        core::DecisionContext d;
        d.now = f.clock.now();
        REQUIRE(f.vpn->seed_default_plans(d));
        auto ny = f.call("PUT", "/v1/vpn/servers/nyc",
                         R"({"name":"New York","endpoint_host":"nyc.vpn.example.net",
                             "ipv4_pool":"10.8.1.0/24","ipv6_pool":"fd42:1::/64",
                             "dns":["10.8.1.1"]})");
        REQUIRE_MESSAGE(ny.status == 200, ny.body);
        auto dallas = f.call("PUT", "/v1/vpn/servers/dal",
                             R"({"name":"Dallas","endpoint_host":"dal.vpn.example.net",
                                 "ipv4_pool":"10.8.2.0/24",
                                 "policy":{"allowed_categories":["personal"],
                                           "bandwidth":"limited","streaming_optimized":true}})");
        REQUIRE_MESSAGE(dallas.status == 200, dallas.body);
    }

    /// A customer user on `plan`; returns {user id, session token}.
    std::pair<std::string, std::string> customer(const std::string& name, const std::string& plan) {
        const auto id = create_user(f, f.key, name, "customer");
        auto s = f.call("PUT", "/v1/vpn/subscription?customer_id=" + id,
                        fmt::format(R"({{"plan_id":"{}"}})", plan));
        REQUIRE_MESSAGE(s.status == 200, s.body);
        return {id, sign_in(f, name)};
    }

    api::HttpResponse as(const std::string& token, const std::string& method,
                         const std::string& target, const std::string& body = {}) {
        return testing::as(f, token, method, target, body);
    }

    /// A `family` customer with a device `laptop` on the account; returns its session token.
    std::string laptop_owner(const std::string& name) {
        auto [id, token] = customer(name, "family");
        auto r = as(token, "POST", "/v1/vpn/devices", R"({"id":"laptop","type":"laptop"})");
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return token;
    }

    /// Checks that `method target` with `body` as `token` is refused with `status` naming
    /// `field`, and that nothing was appended.
    void check_refused(const std::string& token, const std::string& method,
                       const std::string& target, const std::string& body, int status,
                       const std::string& field) {
        const auto before = f.log_size();
        check_problem(f, as(token, method, target, body), status, field, before);
    }

    /// Sends `POST target` with `bodies[i]` as `tokens[i]`, both at the same moment (two threads
    /// released together); the answers in the same order.
    std::array<api::HttpResponse, 2> at_once(const std::string& target,
                                             const std::array<std::string, 2>& tokens,
                                             const std::array<std::string, 2>& bodies) {
        std::barrier start(2);
        std::array<api::HttpResponse, 2> answers;
        auto send = [&](std::size_t i) {
            api::HttpRequest r;
            r.method = "POST";
            r.target = target;
            r.body = bodies[i];
            r.remote_ip = "127.0.0.1";
            r.headers["authorization"] = bearer(tokens[i]);
            r.headers["content-type"] = "application/json";
            REQUIRE(api::parse_target(r));
            start.arrive_and_wait();
            answers[i] = f.router->dispatch(r);
        };
        std::thread a(send, 0), b(send, 1);
        a.join();
        b.join();
        return answers;
    }
};

std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
    return out;
}

}  // namespace

TEST_CASE("the specification's scan request is accepted and answered in its response shape") {
    ApiFixture f;
    VpnWorld w(f);
    auto [id, token] = w.customer("alice", "family");
    auto r = w.as(token, "POST", "/v1/vpn/scans", kSpecScan);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(doc["success"].get_bool().value());
    auto data = doc["data"];
    CHECK(num(data, "devices_received") == 2);
    CHECK(num(data, "devices_added") == 2);
    CHECK(num(data, "devices_skipped") == 0);
    auto recs = data["recommendations"].get_array().value();
    REQUIRE(recs.size() == 2);
    CHECK(str(recs.at(0), "device_id") == "auto_192_168_1_100");
    CHECK(str(recs.at(0), "device_name") == "Geeni Camera");
    CHECK(str(recs.at(0), "recommended_server") == "New York");
    CHECK(str(recs.at(0), "reason").rfind("Camera requires unlimited bandwidth", 0) == 0);
    CHECK(str(recs.at(1), "reason").rfind("Gaming console requires low latency", 0) == 0);
    auto home = data["limits"]["home_network_devices"];
    CHECK(num(home, "current") == 2);
    CHECK(num(home, "max") == 5);
    CHECK(num(home, "remaining") == 3);
    auto personal = data["limits"]["personal_devices"];
    CHECK(num(personal, "current") == 0);
    CHECK(num(personal, "remaining") == 5);
    CHECK(num(data["limits"]["ip_camera"], "remaining") == 1);

    SUBCASE("the devices carry their classification and the same scan again adds nothing") {
        auto d = w.as(token, "GET", "/v1/vpn/devices/auto_192_168_1_100");
        REQUIRE(d.status == 200);
        simdjson::dom::parser p2;
        auto dev = parse_json(p2, d.body);
        CHECK(str(dev, "type") == "ip_camera");
        CHECK(str(dev, "category") == "home_network");
        CHECK(str(dev, "server_id") == "nyc");
        CHECK(dev["reasons"].get_array().value().size() >= 4);
        CHECK(str(dev, "discovered_at").rfind("2026-01-14T12:00:00", 0) == 0);
        const auto before = f.log_size();
        auto again = w.as(token, "POST", "/v1/vpn/scans", kSpecScan);
        simdjson::dom::parser p3;
        CHECK(num(parse_json(p3, again.body)["data"], "devices_skipped") == 2);
        CHECK(f.log_size() == before);
    }
    SUBCASE("an admin scans for the customer with ?customer_id=") {
        auto other = f.call("POST", "/v1/vpn/scans?customer_id=" + id,
                            R"({"devices":[{"id":"lap","type":"laptop"}]})");
        REQUIRE_MESSAGE(other.status == 200, other.body);
        auto list = w.as(token, "GET", "/v1/vpn/devices");
        simdjson::dom::parser p4;
        CHECK(parse_json(p4, list.body)["devices"].get_array().value().size() == 3);
    }
}

TEST_CASE("malformed scans are refused naming the field, and nothing is appended") {
    ApiFixture f;
    VpnWorld w(f);
    auto [id, token] = w.customer("bob", "basic");
    const auto before = f.log_size();
    w.check_refused(token, "POST", "/v1/vpn/scans",
                    R"({"devices":[{"id":"a"},{"id":"b","mac":"zz:zz"}]})", 400, "devices[1].mac");
    w.check_refused(token, "POST", "/v1/vpn/scans",
                    R"({"devices":[{"id":"a","open_ports":[{"port":99999}]}]})", 400,
                    "devices[0].open_ports[0].port");
    w.check_refused(token, "POST", "/v1/vpn/scans", R"({"devices":[{"id":"a","shell":1}]})", 400,
                    "devices[0].shell");
    w.check_refused(token, "POST", "/v1/vpn/scans",
                    R"({"devices":[{"id":"a","discovered_at":"yesterday"}]})", 400,
                    "devices[0].discovered_at");
    w.check_refused(token, "POST", "/v1/vpn/scans?customer_id=u_someone", R"({"devices":[]})", 404,
                    "customer_id");
    check_problem(f, f.call("POST", "/v1/vpn/scans", R"({"devices":[]})"), 400, "customer_id",
                  before);
}

TEST_CASE("two scans sent at the same moment cannot together exceed a limit") {
    ApiFixture f;
    VpnWorld w(f);
    constexpr int kRounds = 12;
    int both_added = 0, one_added = 0;
    for (int round = 0; round < kRounds; ++round) {
        auto [id, token] = w.customer(fmt::format("racer{}", round), "basic");  // 1 camera
        auto camera = [](int i) {
            return fmt::format(R"({{"devices":[{{"id":"cam{}","type":"ip_camera"}}]}})", i);
        };
        auto answers = w.at_once("/v1/vpn/scans", {token, token}, {camera(0), camera(1)});
        int added = 0;
        for (const auto& answer : answers) {
            REQUIRE_MESSAGE(answer.status == 200, answer.body);
            simdjson::dom::parser p;
            added += static_cast<int>(num(parse_json(p, answer.body)["data"], "devices_added"));
        }
        auto state = f.vpn->customer(id);
        REQUIRE(state);
        CHECK(state->devices.size() == 1);
        (added == 2 ? both_added : one_added) += 1;
    }
    CHECK(both_added == 0);
    CHECK(one_added == kRounds);
}

TEST_CASE("port forwards take the specification's request and answer with an access URL") {
    ApiFixture f;
    VpnWorld w(f);
    auto [id, token] = w.customer("carol", "family");
    REQUIRE(w.as(token, "POST", "/v1/vpn/scans", kSpecScan).status == 200);
    auto r = w.as(token, "POST", "/v1/vpn/port-forwards",
                  R"({"device_id":"auto_192_168_1_100","device_name":"Front Door Camera",
                      "device_type":"camera","local_ip":"192.168.1.100","local_port":554,
                      "external_port":55400,"protocol":"tcp","description":"RTSP stream"})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(doc["success"].get_bool().value());
    CHECK(num(doc["data"], "forward_id") == 1);
    CHECK(str(doc["data"], "access_url") == "nyc.vpn.example.net:55400");
    CHECK(str(doc["data"], "status") == "active");

    SUBCASE("the list has the specification's fields") {
        auto list = w.as(token, "GET", "/v1/vpn/port-forwards");
        simdjson::dom::parser p2;
        auto fw = parse_json(p2, list.body)["data"]["forwards"].get_array().value().at(0);
        CHECK(num(fw, "id") == 1);
        CHECK(str(fw, "device_name") == "Geeni Camera");
        CHECK(str(fw, "local_ip") == "192.168.1.100");
        CHECK(num(fw, "local_port") == 554);
        CHECK(num(fw, "external_port") == 55400);
        CHECK(str(fw, "protocol") == "tcp");
        CHECK(str(fw, "access_url") == "nyc.vpn.example.net:55400");
    }
    SUBCASE("another customer cannot take the same port on the same server") {
        auto [id2, token2] = w.customer("dave", "family");
        REQUIRE(w.as(token2, "POST", "/v1/vpn/scans", kSpecScan).status == 200);
        w.check_refused(token2, "POST", "/v1/vpn/port-forwards",
                        R"({"device_id":"auto_192_168_1_100","local_port":554,
                               "external_port":55400})",
                        409, "external_port");
        auto allocated = w.as(token2, "POST", "/v1/vpn/port-forwards",
                              R"({"device_id":"auto_192_168_1_100","local_port":554})");
        REQUIRE_MESSAGE(allocated.status == 201, allocated.body);
        simdjson::dom::parser p3;
        CHECK(str(parse_json(p3, allocated.body)["data"], "access_url") ==
              "nyc.vpn.example.net:20000");
    }
    SUBCASE("a template applies all its ports") {
        auto t = w.as(token, "POST", "/v1/vpn/port-forwards",
                      R"({"device_id":"auto_192_168_1_50","template":"xbox"})");
        REQUIRE_MESSAGE(t.status == 201, t.body);
        simdjson::dom::parser p4;
        CHECK(parse_json(p4, t.body)["data"]["forwards"].get_array().value().size() == 3);
    }
    SUBCASE("delete answers the specification's message") {
        auto d = w.as(token, "DELETE", "/v1/vpn/port-forwards/1");
        REQUIRE(d.status == 200);
        simdjson::dom::parser p5;
        CHECK(str(parse_json(p5, d.body), "message") == "Port forwarding rule deleted");
        CHECK(w.as(token, "GET", "/v1/vpn/port-forwards/1").status == 404);
    }
}

TEST_CASE("the printer template maps 9100 to 91000: it is refused, and so is 91000 in a request") {
    ApiFixture f;
    VpnWorld w(f);
    auto [id, token] = w.customer("erin", "family");
    REQUIRE(w.as(token, "POST", "/v1/vpn/devices",
                 R"({"id":"printer","type":"printer","ip":"192.168.1.20"})")
                .status == 201);
    auto list = w.as(token, "GET", "/v1/vpn/port-forward-templates");
    simdjson::dom::parser p;
    auto refused = parse_json(p, list.body)["refused"].get_array().value();
    REQUIRE(refused.size() == 1);
    CHECK(str(refused.at(0), "template_id") == "network_printer");
    CHECK(str(refused.at(0), "field") == "ports[0].external_port");
    w.check_refused(token, "POST", "/v1/vpn/port-forwards",
                    R"({"device_id":"printer","template":"network_printer"})", 422, "template");
    w.check_refused(token, "POST", "/v1/vpn/port-forwards",
                    R"({"device_id":"printer","local_port":9100,"external_port":91000})", 400,
                    "external_port");
}

TEST_CASE("a device gets a WireGuard peer, its configuration and a QR code of it") {
    ApiFixture f;
    VpnWorld w(f);
    const auto token = w.laptop_owner("frank");
    auto peer = w.as(token, "POST", "/v1/vpn/devices/laptop/peer",
                     R"({"quota_bytes":1000000,"expires_at":"2027-01-01T00:00:00Z"})");
    REQUIRE_MESSAGE(peer.status == 201, peer.body);
    simdjson::dom::parser p;
    auto pj = parse_json(p, peer.body);
    CHECK(str(pj, "server_id") == "dal");
    CHECK(str(pj, "ipv4") == "10.8.2.2");
    CHECK(str(pj, "key_held_by") == "switchyard");
    const auto public_key = str(pj, "public_key");

    auto conf = w.as(token, "GET", "/v1/vpn/devices/laptop/wireguard.conf");
    REQUIRE_MESSAGE(conf.status == 200, conf.body);
    CHECK(conf.content_type.rfind("text/plain", 0) == 0);
    const auto& text = conf.body;
    auto field = [&](const std::string& name) {
        auto at = text.find(name + " = ");
        REQUIRE_MESSAGE(at != std::string::npos, name);
        auto start = at + name.size() + 3;
        return text.substr(start, text.find('\n', start) - start);
    };
    // The private key in the configuration belongs to the peer's public key.
    CHECK(events::vpn::wireguard_public_key(field("PrivateKey")).value() == public_key);
    CHECK(field("Address") == "10.8.2.2/32");
    CHECK(field("Endpoint") == "dal.vpn.example.net:51820");
    const auto psk = field("PresharedKey");
    CHECK(psk.size() == 44);
    // No secret is in the log in clear.
    auto all = f.store->read_all({}, 100000);
    REQUIRE(all);
    for (const auto& e : *all) {
        CHECK(e.data.find(psk) == std::string::npos);
        CHECK(e.data.find(field("PrivateKey")) == std::string::npos);
    }

    auto png = w.as(token, "GET", "/v1/vpn/devices/laptop/wireguard.png");
    REQUIRE(png.status == 200);
    CHECK(png.content_type == "image/png");
    const auto file = f.dir.path() / "peer.png";
    std::ofstream(file, std::ios::binary) << png.body;
    // QR codes only: a 1D decoder may read a false barcode in the modules (a second symbol).
    auto decoded = run("zbarimg --raw -q -Sdisable -Sqrcode.enable " + file.string());
    while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
    CHECK(decoded + "\n" == text);

    SUBCASE("a client-supplied public key: Switchyard never holds the private key") {
        auto pair = events::vpn::generate_wireguard_keys();
        REQUIRE(w.as(token, "POST", "/v1/vpn/devices", R"({"id":"phone","type":"phone"})").status ==
                201);
        auto own = w.as(token, "POST", "/v1/vpn/devices/phone/peer",
                        fmt::format(R"({{"public_key":"{}"}})", pair.public_key));
        REQUIRE_MESSAGE(own.status == 201, own.body);
        simdjson::dom::parser p2;
        CHECK(str(parse_json(p2, own.body), "key_held_by") == "client");
        auto c = w.as(token, "GET", "/v1/vpn/devices/phone/wireguard.conf");
        CHECK(c.body.find("PrivateKey =") == std::string::npos);
        CHECK(c.body.find("Address = 10.8.2.3/32") != std::string::npos);
    }
    SUBCASE("disabling records the reason, and support may not read the configuration") {
        auto off = w.as(token, "PATCH", "/v1/vpn/devices/laptop/peer", R"({"enabled":false})");
        REQUIRE(off.status == 200);
        simdjson::dom::parser p3;
        CHECK(str(parse_json(p3, off.body), "disabled_reason") == "manual");
    }
    SUBCASE("a malformed client key is refused") {
        REQUIRE(w.as(token, "POST", "/v1/vpn/devices", R"({"id":"tab","type":"tablet"})").status ==
                201);
        w.check_refused(token, "POST", "/v1/vpn/devices/tab/peer", R"({"public_key":"abc"})", 400,
                        "public_key");
    }
}

TEST_CASE("a camera forced onto a personal-only server is refused with the reason") {
    ApiFixture f;
    VpnWorld w(f);
    auto [id, token] = w.customer("gina", "family");
    w.check_refused(token, "POST", "/v1/vpn/devices",
                    R"({"id":"cam","type":"ip_camera","server_id":"dal"})", 422, "server_id");
}

TEST_CASE("diagnostics run only validated tools, are rate limited and audited") {
    ApiFixture f;
    VpnWorld w(f);
    f.vpn_api->run_diagnostic = [](const core::vpn::DiagnosticCommand& c) {
        auto r = adapters::run_process(c.argv, "", c.timeout_ms, core::vpn::kMaxDiagnosticOutput);
        return core::vpn::DiagnosticResult{r.exit_code, r.timed_out, r.duration_ms,
                                           std::move(r.output), r.truncated};
    };
    f.ctx->security.diagnostics_per_minute = 1;
    auto [id, token] = w.customer("hank", "family");
    const auto before = f.log_size();
    w.check_refused(token, "POST", "/v1/vpn/diagnostics",
                    R"({"tool":"ping","target":"127.0.0.1; cat /etc/shadow"})", 400, "target");
    w.check_refused(token, "POST", "/v1/vpn/diagnostics", R"({"tool":"sh","target":"x"})", 400,
                    "tool");
    auto ok = w.as(token, "POST", "/v1/vpn/diagnostics", R"({"tool":"dns","target":"127.0.0.1"})");
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, ok.body);
    CHECK(str(doc, "tool") == "dns");
    CHECK_FALSE(doc["timed_out"].get_bool().value());
    CHECK(f.log_size() == before + 1);  // vpn.diagnostic.ran, for the audit trail
    auto limited =
        w.as(token, "POST", "/v1/vpn/diagnostics", R"({"tool":"dns","target":"127.0.0.1"})");
    CHECK(limited.status == 429);
}

TEST_CASE("customers racing for one server get distinct addresses and one external port each") {
    ApiFixture f;
    VpnWorld w(f);
    constexpr int kRounds = 6;
    for (int round = 0; round < kRounds; ++round) {
        std::array<std::pair<std::string, std::string>, 2> who{
            w.customer(fmt::format("alpha{}", round), "family"),
            w.customer(fmt::format("bravo{}", round), "family")};
        for (const auto& [id, token] : who)
            REQUIRE(w.as(token, "POST", "/v1/vpn/devices",
                         R"({"id":"cam","type":"ip_camera","ip":"192.168.1.9"})")
                        .status == 201);
        auto race = [&](const std::string& target, const std::string& body) {
            return w.at_once(target, {who[0].second, who[1].second}, {body, body});
        };
        auto peers = race("/v1/vpn/devices/cam/peer", "{}");
        std::set<std::string> addresses;
        for (const auto& p : peers) {
            REQUIRE_MESSAGE(p.status == 201, p.body);
            simdjson::dom::parser parser;
            addresses.insert(str(parse_json(parser, p.body), "ipv4"));
        }
        CHECK(addresses.size() == 2);
        auto forwards =
            race("/v1/vpn/port-forwards",
                 fmt::format(R"({{"device_id":"cam","local_port":554,"external_port":{}}})",
                             40000 + round));
        std::multiset<int> statuses{forwards[0].status, forwards[1].status};
        CHECK(statuses == std::multiset<int>{201, 409});
    }
    auto alloc = f.vpn->allocations("nyc");
    REQUIRE(alloc);
    CHECK(alloc->peers == 2 * kRounds);
    CHECK(alloc->tcp_ports.size() == kRounds);
}

TEST_CASE("server pools that are huge, overlap another server's or hold the endpoint are 4xx") {
    ApiFixture f;
    VpnWorld w(f);
    const auto before = f.log_size();
    auto put = [&](const std::string& v4, const std::string& v6, const std::string& endpoint) {
        return f.call(
            "PUT", "/v1/vpn/servers/tor",
            fmt::format(R"({{"name":"Toronto","endpoint_host":"{}","ipv4_pool":"{}"{}}})", endpoint,
                        v4, v6.empty() ? "" : fmt::format(R"(,"ipv6_pool":"{}")", v6)));
    };
    check_problem(f, put("0.0.0.0/0", "", "tor.vpn.example.net"), 400, "ipv4_pool", before);
    check_problem(f, put("10.8.3.0/24", "::/0", "tor.vpn.example.net"), 400, "ipv6_pool", before);
    check_problem(f, put("10.8.0.0/16", "", "tor.vpn.example.net"), 409, "ipv4_pool", before);
    check_problem(f, put("10.8.3.0/24", "fd42:1::/80", "tor.vpn.example.net"), 409, "ipv6_pool",
                  before);
    check_problem(f, put("10.8.3.0/24", "", "10.8.3.1"), 400, "ipv4_pool", before);
    auto ok = put("10.8.3.0/24", "fd42:3::/64", "tor.vpn.example.net");
    CHECK_MESSAGE(ok.status == 200, ok.body);
}

TEST_CASE("a peer whose expiry has passed is refused naming expires_at, on create and change") {
    ApiFixture f;
    VpnWorld w(f);
    const auto token = w.laptop_owner("gina");
    // The fixture's clock stands in 2026: 2020 is past.
    auto refused_in_2020 = [&](const char* method) {
        f.settle();
        w.check_refused(token, method, "/v1/vpn/devices/laptop/peer",
                        R"({"expires_at":"2020-01-01T00:00:00Z"})", 422, "expires_at");
    };
    refused_in_2020("POST");
    REQUIRE(w.as(token, "POST", "/v1/vpn/devices/laptop/peer", R"({"quota_bytes":5})").status ==
            201);
    refused_in_2020("PATCH");
}
