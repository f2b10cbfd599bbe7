#pragma once
/// Renders a device's WireGuard client configuration in the wg-quick(8) format: an
/// [Interface] with the peer's private key, tunnel addresses and DNS, and a [Peer] for the
/// server with its public key, the preshared key, the endpoint, AllowedIPs and keepalive.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::core::vpn {

/// The client configuration text.
/// @param private_key the peer's private key in base64, or none when the client holds it (the
///        line is then left for the client to fill, with a comment saying so).
/// @param preshared_key base64.
std::string render_client_config(const Server& server, const Peer& peer,
                                 const std::optional<std::string>& private_key,
                                 const std::string& preshared_key);

/// `host:port`, with brackets around an IPv6 host (RFC 3986 authority form).
std::string authority(std::string_view host, std::int64_t port);

/// The server's endpoint as clients dial it: authority(endpoint_host, listen_port).
std::string endpoint_of(const Server& server);

/// What a device's client configuration is rendered from: its peer and the peer's server.
struct ClientConfigSource {
    const Peer* peer = nullptr;
    const Server* server = nullptr;
};

/// Finds what the client configuration of `device_id` needs.
/// @errors NotFound naming `id` for an unknown device or a device without a peer yet; NotFound
///         naming `server_id` when the peer's server no longer exists.
Result<ClientConfigSource> client_config_source(const CustomerState& s, const NetworkState& network,
                                                const std::string& device_id);

}  // namespace switchyard::core::vpn
