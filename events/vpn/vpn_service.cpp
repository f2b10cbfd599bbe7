#include "events/vpn/vpn_service.hpp"

#include <sodium.h>

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "events/command_handler.hpp"
#include "events/vpn/vpn_codec.hpp"

namespace switchyard::events::vpn {

using namespace core::vpn;

namespace {

void sodium_ready() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

std::string base64(const unsigned char* bytes, std::size_t n) {
    std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

}  // namespace

WireguardKeyPair generate_wireguard_keys() {
    sodium_ready();
    unsigned char priv[crypto_scalarmult_curve25519_BYTES];
    unsigned char pub[crypto_scalarmult_curve25519_BYTES];
    randombytes_buf(priv, sizeof priv);
    priv[0] &= 248;
    priv[31] &= 127;
    priv[31] |= 64;
    crypto_scalarmult_curve25519_base(pub, priv);
    WireguardKeyPair k{base64(priv, sizeof priv), base64(pub, sizeof pub)};
    sodium_memzero(priv, sizeof priv);
    return k;
}

core::Result<std::string> wireguard_public_key(const std::string& private_key) {
    sodium_ready();
    unsigned char priv[crypto_scalarmult_curve25519_BYTES];
    std::size_t len = 0;
    if (sodium_base642bin(priv, sizeof priv, private_key.data(), private_key.size(), nullptr, &len,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != sizeof priv)
        return core::fail(core::Errc::Invalid, "private_key", "must be the base64 of 32 bytes");
    unsigned char pub[crypto_scalarmult_curve25519_BYTES];
    if (crypto_scalarmult_curve25519_base(pub, priv) != 0)
        return core::fail(core::Errc::Invalid, "private_key", "is not a usable X25519 key");
    sodium_memzero(priv, sizeof priv);
    return base64(pub, sizeof pub);
}

std::string generate_preshared_key() {
    sodium_ready();
    unsigned char k[32];
    randombytes_buf(k, sizeof k);
    auto out = base64(k, sizeof k);
    sodium_memzero(k, sizeof k);
    return out;
}

std::string server_key_context(const std::string& server_id) {
    return "vpn.server.private_key:" + server_id;
}
std::string peer_key_context(const std::string& customer_id, const std::string& device_id) {
    return fmt::format("vpn.peer.private_key:{}/{}", customer_id, device_id);
}
std::string peer_psk_context(const std::string& customer_id, const std::string& device_id) {
    return fmt::format("vpn.peer.preshared_key:{}/{}", customer_id, device_id);
}

struct VpnService::Impl {
    Impl(EventStore& s, std::string t, const MasterKeyring& k, const VpnConfig& c)
        : store(s),
          tenant(std::move(t)),
          keyring(k),
          config(c),
          network(s, decode_network_event),
          customers(s, decode_customer_event),
          allocations(s, decode_allocation_event) {}

    /// Streams one customer attempt read, to hold their revisions in its append.
    struct Reads {
        Impl& impl;
        std::int64_t network_rev = -2;  ///< -2: not read.
        std::map<std::string, std::int64_t> allocation_revs;

        core::Result<NetworkState> offer() {
            auto [s, rev] = SY_TRY(impl.network.load(network_stream(impl.tenant)));
            network_rev = rev;
            return std::move(s);
        }
        core::Result<ServerAllocationState> allocation(const std::string& server_id) {
            auto [s, rev] = SY_TRY(impl.allocations.load(server_allocation_stream(server_id)));
            allocation_revs[server_id] = rev;
            return std::move(s);
        }
    };

    template <class Fn>
    core::Result<CommandOutcome<CustomerDecision>> run_customer(const std::string& customer_id,
                                                                const core::DecisionContext& ctx,
                                                                Fn&& fn) {
        if (customer_id.empty())
            return core::fail(core::Errc::Invalid, "customer_id", "is required");
        const auto stream = customer_stream(customer_id);
        CustomerDecision decision;
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                Reads reads{*this};
                auto [state, rev] = SY_TRY(customers.load(stream));
                decision = SY_TRY(fn(state, reads));
                if (decision.events.empty()) return std::vector<StreamWrite>{};
                std::vector<StreamWrite> writes{
                    {stream, ExpectedRevision::at(rev),
                     to_new_events(decision.events, encode, ctx, tenant)}};
                for (const auto& [server_id, events] : decision.allocations) {
                    if (events.empty()) continue;
                    auto it = reads.allocation_revs.find(server_id);
                    if (it == reads.allocation_revs.end()) {
                        SY_TRY(reads.allocation(server_id));
                        it = reads.allocation_revs.find(server_id);
                    }
                    writes.push_back({server_allocation_stream(server_id),
                                      ExpectedRevision::at(it->second),
                                      to_new_events(events, encode, ctx, tenant)});
                }
                // What was decided against this offer revision holds only while it stands.
                if (reads.network_rev != -2)
                    writes.push_back(
                        {network_stream(tenant), ExpectedRevision::at(reads.network_rev), {}});
                return writes;
            }));
        return outcome_of(appended, std::move(decision));
    }

    /// A customer command decided against the offer and the allocations of the server that
    /// `server_of(state)` names (none or unknown: empty allocations).
    template <class Command, class ServerOf>
    core::Result<CommandOutcome<CustomerDecision>> run_on_server(const std::string& customer_id,
                                                                 const Command& c,
                                                                 const core::DecisionContext& ctx,
                                                                 ServerOf server_of) {
        return run_customer(
            customer_id, ctx,
            [&](const CustomerState& s, Reads& reads) -> core::Result<CustomerDecision> {
                auto n = SY_TRY(reads.offer());
                ServerAllocationState alloc;
                const std::string server = server_of(s);
                if (!server.empty() && n.servers.count(server))
                    alloc = SY_TRY(reads.allocation(server));
                return decide(s, n, alloc, c, ctx);
            });
    }

    template <class Fn>
    core::Result<CommandOutcome<>> run_network(const core::DecisionContext& ctx, Fn&& fn) {
        const auto stream = network_stream(tenant);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(network.load(stream));
                std::vector<StreamWrite> extra;
                auto events = SY_TRY(fn(state, extra));
                if (events.empty()) return std::vector<StreamWrite>{};
                extra.insert(extra.begin(),
                             StreamWrite{stream, ExpectedRevision::at(rev),
                                         to_new_events(events, encode, ctx, tenant)});
                return extra;
            }));
        return outcome_of(appended);
    }

    std::map<std::string, std::int64_t> loads(const NetworkState& n) {
        std::map<std::string, std::int64_t> out;
        for (const auto& [id, s] : n.servers) {
            auto a = allocations.load(server_allocation_stream(id));
            out[id] = a ? a->first.peers : 0;
        }
        return out;
    }

    EventStore& store;
    std::string tenant;
    const MasterKeyring& keyring;
    const VpnConfig& config;
    AggregateLoader<NetworkState, NetworkEvent> network;
    AggregateLoader<CustomerState, CustomerEvent> customers;
    AggregateLoader<ServerAllocationState, ServerAllocationEvent> allocations;
};

VpnService::VpnService(EventStore& store, std::string tenant, const MasterKeyring& keyring,
                       const VpnConfig& config)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), keyring, config)) {}
VpnService::~VpnService() = default;

const VpnConfig& VpnService::config() const { return impl_->config; }

core::Result<CommandOutcome<>> VpnService::seed_default_plans(const core::DecisionContext& ctx) {
    return impl_->run_network(ctx, [&](const NetworkState& s, std::vector<StreamWrite>&) {
        return decide(s, SeedPlans{impl_->config.default_plans}, ctx);
    });
}

core::Result<CommandOutcome<>> VpnService::execute(DefineServer c,
                                                   const core::DecisionContext& ctx) {
    // A new server gets its key pair once, outside the retried attempt.
    std::optional<WireguardKeyPair> keys;
    return impl_->run_network(ctx, [&](const NetworkState& s, std::vector<StreamWrite>&) {
        auto server = c.server;
        if (!s.servers.count(server.server_id)) {
            if (!keys) keys = generate_wireguard_keys();
            server.public_key = keys->public_key;
            server.private_key_sealed =
                impl_->keyring.seal(keys->private_key, server_key_context(server.server_id));
        } else {
            server.public_key.clear();  // keep the existing pair
            server.private_key_sealed.clear();
        }
        return decide(s, DefineServer{std::move(server)}, ctx);
    });
}

core::Result<CommandOutcome<>> VpnService::execute(const RemoveServer& c,
                                                   const core::DecisionContext& ctx) {
    return impl_->run_network(
        ctx,
        [&](const NetworkState& s,
            std::vector<StreamWrite>& extra) -> core::Result<std::vector<NetworkEvent>> {
            const auto stream = server_allocation_stream(c.server_id);
            auto [alloc, rev] = SY_TRY(impl_->allocations.load(stream));
            auto events = SY_TRY(decide(s, alloc, c, ctx));
            extra.push_back({stream, ExpectedRevision::at(rev), {}});
            return events;
        });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    const Subscribe& c, const core::DecisionContext& ctx) {
    return impl_->run_customer(
        c.customer_id, ctx,
        [&](const CustomerState& s, Impl::Reads& reads) -> core::Result<CustomerDecision> {
            auto n = SY_TRY(reads.offer());
            return decide(s, n, c, ctx);
        });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    AddDevices c, const core::DecisionContext& ctx) {
    for (auto& d : c.devices)
        if (!d.oui_vendor && !d.mac.empty()) d.oui_vendor = impl_->config.oui.vendor(d.mac);
    return impl_->run_customer(
        c.customer_id, ctx,
        [&](const CustomerState& s, Impl::Reads& reads) -> core::Result<CustomerDecision> {
            auto n = SY_TRY(reads.offer());
            c.load = impl_->loads(n);
            return decide(s, n, impl_->config.rules, c, ctx);
        });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    AssignServer c, const core::DecisionContext& ctx) {
    return impl_->run_customer(
        c.customer_id, ctx,
        [&](const CustomerState& s, Impl::Reads& reads) -> core::Result<CustomerDecision> {
            auto n = SY_TRY(reads.offer());
            if (n.servers.count(c.server_id)) c.load = SY_TRY(reads.allocation(c.server_id)).peers;
            return decide(s, n, impl_->config.rules, c, ctx);
        });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    CreatePeer c, const core::DecisionContext& ctx) {
    std::optional<WireguardKeyPair> keys;
    if (c.public_key.empty()) {
        keys = generate_wireguard_keys();
        c.public_key = keys->public_key;
        c.private_key_sealed =
            impl_->keyring.seal(keys->private_key, peer_key_context(c.customer_id, c.device_id));
    } else {
        c.private_key_sealed.clear();
    }
    c.preshared_key_sealed =
        impl_->keyring.seal(generate_preshared_key(), peer_psk_context(c.customer_id, c.device_id));
    return impl_->run_on_server(c.customer_id, c, ctx, [&](const CustomerState& s) {
        auto d = s.devices.find(c.device_id);
        return d == s.devices.end() ? std::string() : d->second.server_id;
    });
}

namespace {

/// The server a forward command works on: the device's, or the forward's.
std::string forward_server_of(const CustomerState& s, const std::string& device_id,
                              std::int64_t forward_id) {
    if (auto f = s.forwards.find(forward_id); f != s.forwards.end()) return f->second.server_id;
    if (auto d = s.devices.find(device_id); d != s.devices.end()) return d->second.server_id;
    return {};
}

}  // namespace

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    const CreatePortForwards& c, const core::DecisionContext& ctx) {
    return impl_->run_on_server(c.customer_id, c, ctx, [&](const CustomerState& s) {
        return forward_server_of(s, c.device_id, 0);
    });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::execute(
    const UpdatePortForward& c, const core::DecisionContext& ctx) {
    return impl_->run_on_server(c.customer_id, c, ctx, [&](const CustomerState& s) {
        return forward_server_of(s, "", c.forward_id);
    });
}

core::Result<CommandOutcome<>> VpnService::record(const std::vector<UsageEvent>& events,
                                                  const core::DecisionContext& ctx) {
    std::map<std::string, std::vector<UsageEvent>> by_stream;
    for (const auto& e : events) {
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, DiagnosticRan>) {
                    by_stream[diagnostics_stream(impl_->tenant)].push_back(e);
                } else {
                    by_stream[usage_stream(v.server_id)].push_back(e);
                }
            },
            e);
    }
    std::vector<StreamWrite> writes;
    for (const auto& [stream, evs] : by_stream)
        writes.push_back(
            {stream, ExpectedRevision::any(), to_new_events(evs, encode, ctx, impl_->tenant)});
    if (writes.empty()) return CommandOutcome<>{};
    return outcome_of(SY_TRY(impl_->store.append(std::move(writes))));
}

core::Result<int> VpnService::reseal_secrets(const core::DecisionContext& ctx) {
    const auto& ring = impl_->keyring;
    int resealed = 0;
    // Servers: a replacement definition carrying the key sealed again.
    auto n = SY_TRY(network());
    for (const auto& [id, server] : n.servers) {
        if (ring.sealed_with_current(server.private_key_sealed)) continue;
        auto clear = SY_TRY(ring.open(server.private_key_sealed, server_key_context(id)));
        auto again = server;
        again.private_key_sealed = ring.seal(clear, server_key_context(id));
        auto r =
            SY_TRY(impl_->run_network(ctx, [&](const NetworkState&, std::vector<StreamWrite>&) {
                return core::Result<std::vector<NetworkEvent>>(
                    std::vector<NetworkEvent>{ServerDefined{again}});
            }));
        if (r.changed) ++resealed;
    }
    // Customers: every stream that ever had a peer.
    std::set<std::string> customers;
    for (const auto& stream : SY_TRY(streams_with_event(impl_->store, PeerCreated::kType)))
        customers.insert(customer_of_stream(stream));
    for (const auto& customer_id : customers) {
        auto r = SY_TRY(impl_->run_customer(
            customer_id, ctx,
            [&](const CustomerState& s, Impl::Reads&) -> core::Result<CustomerDecision> {
                CustomerDecision d;
                for (const auto& [device_id, p] : s.peers) {
                    const bool key_ok = p.private_key_sealed.empty() ||
                                        ring.sealed_with_current(p.private_key_sealed);
                    if (key_ok && ring.sealed_with_current(p.preshared_key_sealed)) continue;
                    PeerKeysResealed e{device_id, "", ""};
                    if (!p.private_key_sealed.empty()) {
                        const auto context = peer_key_context(customer_id, device_id);
                        e.private_key_sealed =
                            ring.seal(SY_TRY(ring.open(p.private_key_sealed, context)), context);
                    }
                    const auto context = peer_psk_context(customer_id, device_id);
                    e.preshared_key_sealed =
                        ring.seal(SY_TRY(ring.open(p.preshared_key_sealed, context)), context);
                    d.events.push_back(std::move(e));
                }
                return d;
            }));
        for (const auto& e : r.events) {
            const auto& k = std::get<PeerKeysResealed>(e);
            resealed += k.private_key_sealed.empty() ? 1 : 2;
        }
    }
    return resealed;
}

core::Result<CommandOutcome<>> VpnService::on_network(
    const core::DecisionContext& ctx,
    const std::function<core::Result<std::vector<NetworkEvent>>(const NetworkState&)>& decide) {
    return impl_->run_network(
        ctx, [&](const NetworkState& s, std::vector<StreamWrite>&) { return decide(s); });
}

core::Result<CommandOutcome<CustomerDecision>> VpnService::on_customer(
    const std::string& customer_id, const core::DecisionContext& ctx,
    const std::function<core::Result<CustomerDecision>(const CustomerState&)>& decide) {
    return impl_->run_customer(customer_id, ctx,
                               [&](const CustomerState& s, Impl::Reads&) { return decide(s); });
}

core::Result<NetworkState> VpnService::network() {
    auto [s, rev] = SY_TRY(impl_->network.load(network_stream(impl_->tenant)));
    return std::move(s);
}

core::Result<CustomerState> VpnService::customer(const std::string& customer_id) {
    auto [s, rev] = SY_TRY(impl_->customers.load(customer_stream(customer_id)));
    return std::move(s);
}

core::Result<ServerAllocationState> VpnService::allocations(const std::string& server_id) {
    auto [s, rev] = SY_TRY(impl_->allocations.load(server_allocation_stream(server_id)));
    return std::move(s);
}

core::Result<PeerSecrets> VpnService::peer_secrets(const std::string& customer_id,
                                                   const std::string& device_id) {
    auto s = SY_TRY(customer(customer_id));
    auto it = s.peers.find(device_id);
    if (it == s.peers.end())
        return core::fail(core::Errc::NotFound, "device_id",
                          fmt::format("device '{}' has no peer", device_id));
    PeerSecrets out;
    if (!it->second.private_key_sealed.empty())
        out.private_key = SY_TRY(impl_->keyring.open(it->second.private_key_sealed,
                                                     peer_key_context(customer_id, device_id)));
    out.preshared_key = SY_TRY(impl_->keyring.open(it->second.preshared_key_sealed,
                                                   peer_psk_context(customer_id, device_id)));
    return out;
}

core::Result<std::string> VpnService::server_private_key(const std::string& server_id) {
    auto n = SY_TRY(network());
    auto it = n.servers.find(server_id);
    if (it == n.servers.end())
        return core::fail(core::Errc::NotFound, "server_id",
                          fmt::format("server '{}' does not exist", server_id));
    return impl_->keyring.open(it->second.private_key_sealed, server_key_context(server_id));
}

}  // namespace switchyard::events::vpn
