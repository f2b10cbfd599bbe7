#include "projections/vpn/vpn_peers.hpp"

#include "core/overloaded.hpp"
#include "events/vpn/vpn_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::vpn {

using namespace core::vpn;

namespace {

// The layout of vpn_peers.hpp: rows by server, and the index from a device to its server.
std::string row_key(const std::string& server, const std::string& customer,
                    const std::string& device) {
    return key_of("s", server, customer, device);
}
std::string index_key(const std::string& customer, const std::string& device) {
    return key_of("d", customer, device);
}

constexpr auto kPeers = json_rows<PeerRow>(
    fields(field("server_id", &PeerRow::server_id), field("customer_id", &PeerRow::customer_id),
           field("device_id", &PeerRow::device_id), field("public_key", &PeerRow::public_key),
           field("preshared_key_sealed", &PeerRow::preshared_key_sealed),
           field("ipv4", &PeerRow::ipv4), field("ipv6", &PeerRow::ipv6),
           field("enabled", &PeerRow::enabled), field("disabled_reason", &PeerRow::disabled_reason),
           field("expires_at", &PeerRow::expires_at), field("quota_bytes", &PeerRow::quota_bytes)));

std::optional<std::int64_t> seconds(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::unix_seconds(*t);
}

core::Result<void> apply_customer_event(const CustomerEvent& event, const events::RecordedEvent& e,
                                        ProjectionWrites& w) {
    const auto customer = events::vpn::customer_of_stream(e.stream);
    if (customer.empty()) return {};
    // Updates a peer's row in place, found through the device index.
    auto update = [&](const std::string& device, auto&& change) {
        if (auto server = w.get(index_key(customer, device)))
            kPeers.update(w, row_key(*server, customer, device), change);
    };
    auto remove = [&](const std::string& device) {
        auto server = w.get(index_key(customer, device));
        if (!server) return;
        w.erase(row_key(*server, customer, device));
        w.erase(index_key(customer, device));
    };
    std::visit(core::Overloaded{
                   [&](const PeerCreated& p) {
                       const auto& peer = p.peer;
                       kPeers.put(w, row_key(peer.server_id, customer, p.device_id),
                                  {peer.server_id, customer, p.device_id, peer.public_key,
                                   peer.preshared_key_sealed, peer.ipv4, peer.ipv6, peer.enabled,
                                   "", seconds(peer.limits.expires_at), peer.limits.quota_bytes});
                       w.put(index_key(customer, p.device_id), peer.server_id);
                   },
                   [&](const PeerLimitsChanged& p) {
                       update(p.device_id, [&](PeerRow& r) {
                           r.expires_at = seconds(p.limits.expires_at);
                           r.quota_bytes = p.limits.quota_bytes;
                       });
                   },
                   [&](const PeerDisabled& p) {
                       update(p.device_id, [&](PeerRow& r) {
                           r.enabled = false;
                           r.disabled_reason = to_string(p.reason);
                       });
                   },
                   [&](const PeerEnabled& p) {
                       update(p.device_id, [&](PeerRow& r) {
                           r.enabled = true;
                           r.disabled_reason.clear();
                       });
                   },
                   [&](const PeerKeysResealed& p) {
                       update(p.device_id,
                              [&](PeerRow& r) { r.preshared_key_sealed = p.preshared_key_sealed; });
                   },
                   [&](const PeerRemoved& p) { remove(p.device_id); },
                   [&](const DeviceRemoved& p) { remove(p.device_id); },
                   [](const auto&) {},
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_vpn_peers_projector() {
    return make_projector<CustomerEvent>(
        kVpnPeers, events::vpn::decode_customer_event, apply_customer_event,
        events::is_one_of<PeerCreated, PeerLimitsChanged, PeerDisabled, PeerEnabled,
                          PeerKeysResealed, PeerRemoved, DeviceRemoved>);
}

std::vector<PeerRow> list_server_peers(const ReadModelView& view, const std::string& server_id) {
    std::vector<PeerRow> out;
    view.scan(key_of("s", server_id) + "/", "", [&](std::string_view, std::string_view value) {
        if (auto r = kPeers.decode(value)) out.push_back(std::move(*r));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::vpn
