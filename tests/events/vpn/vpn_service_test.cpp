// The VPN command side: keys that wg(8) agrees with, and secrets that survive a master key
// rotation.
#include <doctest/doctest.h>

#include <cstdio>

#include "events/memory_event_store.hpp"
#include "events/vpn/vpn_service.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;

namespace {

std::string pipe_through(const std::string& command, const std::string& input) {
    // Writes `input` to a file and runs `command < file`: wg reads keys from stdin.
    char path[] = "/tmp/sy-wgkey-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    close(fd);
    std::string out;
    FILE* p = popen((command + " < " + path).c_str(), "r");
    REQUIRE(p);
    char buf[256];
    while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
    std::remove(path);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

}  // namespace

TEST_CASE("generated WireGuard keys are the ones wg pubkey derives") {
    for (int i = 0; i < 3; ++i) {
        auto k = events::vpn::generate_wireguard_keys();
        CHECK(k.private_key.size() == 44);
        CHECK(pipe_through("wg pubkey", k.private_key + "\n") == k.public_key);
        CHECK(events::vpn::wireguard_public_key(k.private_key).value() == k.public_key);
    }
    auto wg_made = pipe_through("wg genkey", "");
    CHECK(events::vpn::wireguard_public_key(wg_made).value() ==
          pipe_through("wg pubkey", wg_made + "\n"));
    CHECK_FALSE(events::vpn::wireguard_public_key("not a key"));
}

TEST_CASE("server and peer secrets are sealed again when the master key rotates") {
    auto store = events::make_memory_event_store();
    auto ring = events::MasterKeyring::generate();
    events::vpn::VpnConfig config;
    config.rules.types.push_back({"laptop", DeviceCategory::Personal, false, "Laptop", "", {}});
    config.rules.fallback_type = "laptop";
    config.default_plans.push_back(Plan{"basic", "Basic", 3, 3, {}, false, false});
    events::vpn::VpnService vpn(*store, "op", ring, config);
    REQUIRE(vpn.seed_default_plans(ctx()));
    Server s;
    s.server_id = "nyc";
    s.name = "New York";
    s.endpoint_host = "nyc.example.net";
    s.ipv4_pool = "10.8.0.0/24";
    REQUIRE(vpn.execute(DefineServer{s}, ctx()));
    REQUIRE(vpn.execute(Subscribe{"u_1", "basic", "/"}, ctx()));
    AddDevices add;
    add.customer_id = "u_1";
    add.devices.push_back(DeviceInput{"lap", "", "", "", "", "laptop"});
    REQUIRE(vpn.execute(add, ctx()));
    REQUIRE(vpn.execute(CreatePeer{"u_1", "lap"}, ctx()));
    const auto server_key = vpn.server_private_key("nyc").value();
    const auto secrets = vpn.peer_secrets("u_1", "lap").value();
    REQUIRE(secrets.private_key);

    ring.rotate();
    CHECK(vpn.reseal_secrets(ctx()).value() == 3);  // the server key, the peer key and its PSK
    ring.retire_old_keys();
    CHECK(vpn.server_private_key("nyc").value() == server_key);
    auto again = vpn.peer_secrets("u_1", "lap").value();
    CHECK(again.private_key == secrets.private_key);
    CHECK(again.preshared_key == secrets.preshared_key);
    CHECK(vpn.reseal_secrets(ctx()).value() == 0);
}
