#pragma once
/// The VPN command side: loads the offer, customer and server-allocation aggregates, runs the
/// pure deciders (core/vpn/*_decider.hpp) and appends their events with expected revisions,
/// retrying on conflict. Makes the WireGuard keys (libsodium X25519) and seals the private ones
/// under the master key (events/secret_box.hpp).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/vpn/customer_decider.hpp"
#include "core/vpn/network_decider.hpp"
#include "core/vpn/usage.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/secret_box.hpp"
#include "events/vpn/vpn_config.hpp"

namespace switchyard::events::vpn {

/// A WireGuard key pair in base64 (as `wg genkey` / `wg pubkey` print them).
struct WireguardKeyPair {
    std::string private_key, public_key;
};
/// A fresh X25519 key pair; the private key is clamped as Curve25519 requires.
WireguardKeyPair generate_wireguard_keys();
/// The public key of a base64 private key. @errors Invalid naming `private_key` when malformed.
core::Result<std::string> wireguard_public_key(const std::string& private_key);
/// A fresh 32-byte preshared key in base64.
std::string generate_preshared_key();

/// A peer's secrets in clear, for rendering its client configuration.
struct PeerSecrets {
    std::optional<std::string> private_key;  ///< None when the client holds it.
    std::string preshared_key;
};

/// VPN commands of one tenant.
/// @thread safe.
class VpnService {
  public:
    /// @param keyring seals server and peer private keys; must outlive the service.
    VpnService(EventStore& store, std::string tenant, const MasterKeyring& keyring,
               const VpnConfig& config);
    ~VpnService();

    /// Appends the default plans when the offer never had any. @errors the store's.
    core::Result<CommandOutcome<>> seed_default_plans(const core::DecisionContext& ctx);

    /// Offer commands decided on the offer alone: DefinePlan, RemovePlan. Errors as
    /// core/vpn/network_decider.hpp.
    template <OneOf<core::vpn::DefinePlan, core::vpn::RemovePlan> Command>
    core::Result<CommandOutcome<>> execute(const Command& c, const core::DecisionContext& ctx) {
        return on_network(ctx, [&](const core::vpn::NetworkState& s) { return decide(s, c, ctx); });
    }
    /// A new server gets a key pair.
    core::Result<CommandOutcome<>> execute(core::vpn::DefineServer c,
                                           const core::DecisionContext& ctx);
    /// Also holds the server's allocations: a server with peers is not removed.
    core::Result<CommandOutcome<>> execute(const core::vpn::RemoveServer& c,
                                           const core::DecisionContext& ctx);

    /// Customer commands decided on the customer's state alone: RemoveDevice, UpdatePeer,
    /// DisablePeer, RemovePeer, RemovePortForward. Errors as core/vpn/customer_decider.hpp.
    template <OneOf<core::vpn::RemoveDevice, core::vpn::UpdatePeer, core::vpn::DisablePeer,
                    core::vpn::RemovePeer, core::vpn::RemovePortForward>
                  Command>
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        const Command& c, const core::DecisionContext& ctx) {
        return on_customer(c.customer_id, ctx,
                           [&](const core::vpn::CustomerState& s) { return decide(s, c, ctx); });
    }
    /// Customer commands decided against the offer too; errors as core/vpn/customer_decider.hpp.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        const core::vpn::Subscribe& c, const core::DecisionContext& ctx);
    /// Looks up each device's MAC in the IEEE registry and the servers' loads first.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        core::vpn::AddDevices c, const core::DecisionContext& ctx);
    /// Reads the load of the server first.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        core::vpn::AssignServer c, const core::DecisionContext& ctx);
    /// Generates the key pair when `c.public_key` is empty (the private key is then sealed and
    /// kept); with a client's public key no private key is ever held. Always makes a fresh
    /// preshared key.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        core::vpn::CreatePeer c, const core::DecisionContext& ctx);
    /// Port forwards, decided against the allocations of the device's or forward's server.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        const core::vpn::CreatePortForwards& c, const core::DecisionContext& ctx);
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> execute(
        const core::vpn::UpdatePortForward& c, const core::DecisionContext& ctx);

    /// Appends an observation (usage, a reconciliation, a diagnostic run) without an expected
    /// revision: to `vpn_usage-<server>` or `vpn_diagnostics-<tenant>`. @errors the store's.
    core::Result<CommandOutcome<>> record(const std::vector<core::vpn::UsageEvent>& events,
                                          const core::DecisionContext& ctx);

    /// Seals every server and peer secret sealed under an older key again (master key rotation).
    /// @returns how many secrets were sealed again. @errors the store's; Invalid when a secret
    ///          cannot be opened.
    core::Result<int> reseal_secrets(const core::DecisionContext& ctx);

    /// Current states, for the command side's own reads and for tests.
    core::Result<core::vpn::NetworkState> network();
    core::Result<core::vpn::CustomerState> customer(const std::string& customer_id);
    core::Result<core::vpn::ServerAllocationState> allocations(const std::string& server_id);

    /// The clear secrets of a device's peer. @errors NotFound when it has no peer; Invalid when
    /// a sealed key cannot be opened.
    core::Result<PeerSecrets> peer_secrets(const std::string& customer_id,
                                           const std::string& device_id);
    /// The clear private key of a server. @errors NotFound for an unknown server.
    core::Result<std::string> server_private_key(const std::string& server_id);

    const VpnConfig& config() const;

  private:
    /// Decides with `decide` on the offer and appends what it decided.
    core::Result<CommandOutcome<>> on_network(
        const core::DecisionContext& ctx,
        const std::function<core::Result<std::vector<core::vpn::NetworkEvent>>(
            const core::vpn::NetworkState&)>& decide);
    /// Decides with `decide` on one customer's state and appends what it decided.
    core::Result<CommandOutcome<core::vpn::CustomerDecision>> on_customer(
        const std::string& customer_id, const core::DecisionContext& ctx,
        const std::function<
            core::Result<core::vpn::CustomerDecision>(const core::vpn::CustomerState&)>& decide);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Sealing contexts: a sealed secret opens only for the thing it was sealed for.
std::string server_key_context(const std::string& server_id);
std::string peer_key_context(const std::string& customer_id, const std::string& device_id);
std::string peer_psk_context(const std::string& customer_id, const std::string& device_id);

}  // namespace switchyard::events::vpn
