#pragma once
/// Renders a device's WireGuard client configuration in the wg-quick(8) format: an
/// [Interface] with the peer's private key, tunnel addresses and DNS, and a [Peer] for the
/// server with its public key, the preshared key, the endpoint, AllowedIPs and keepalive.

#include <optional>
#include <string>

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
std::string endpoint_of(const Server& server);

}  // namespace switchyard::core::vpn
