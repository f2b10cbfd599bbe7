#include "core/vpn/wireguard_config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/vpn/account.hpp"

namespace switchyard::core::vpn {

std::string authority(std::string_view host, std::int64_t port) {
    if (host.find(':') != std::string_view::npos) return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

std::string endpoint_of(const Server& server) {
    return authority(server.endpoint_host, server.listen_port);
}

Result<ClientConfigSource> client_config_source(const CustomerState& s, const NetworkState& network,
                                                const std::string& device_id) {
    SY_TRY(find_device(s, device_id, "id"));
    auto peer = s.peers.find(device_id);
    if (peer == s.peers.end())
        return fail(Errc::NotFound, "id",
                    fmt::format("device '{}' has no peer yet; POST its peer first", device_id));
    auto server = network.servers.find(peer->second.server_id);
    if (server == network.servers.end())
        return fail(Errc::NotFound, "server_id", "the peer's server no longer exists");
    return ClientConfigSource{&peer->second, &server->second};
}

std::string render_client_config(const Server& server, const Peer& peer,
                                 const std::optional<std::string>& private_key,
                                 const std::string& preshared_key) {
    std::string out = "[Interface]\n";
    if (private_key) {
        out += fmt::format("PrivateKey = {}\n", *private_key);
    } else {
        out += "# PrivateKey: the key pair was made on your device; add its private key here.\n";
    }
    out += fmt::format("Address = {}/32", peer.ipv4);
    if (!peer.ipv6.empty()) out += fmt::format(", {}/128", peer.ipv6);
    out += "\n";
    if (!peer.dns.empty()) out += fmt::format("DNS = {}\n", fmt::join(peer.dns, ", "));
    out += "\n[Peer]\n";
    out += fmt::format("PublicKey = {}\n", server.public_key);
    out += fmt::format("PresharedKey = {}\n", preshared_key);
    out += fmt::format("Endpoint = {}\n", endpoint_of(server));
    out += fmt::format("AllowedIPs = {}\n", server.client_allowed_ips);
    if (peer.persistent_keepalive > 0)
        out += fmt::format("PersistentKeepalive = {}\n", peer.persistent_keepalive);
    return out;
}

}  // namespace switchyard::core::vpn
