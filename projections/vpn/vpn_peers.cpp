#include "projections/vpn/vpn_peers.hpp"

#include <boost/json.hpp>

#include "core/overloaded.hpp"
#include "events/json_reader.hpp"
#include "events/vpn/vpn_codec.hpp"

namespace switchyard::projections::vpn {

namespace json = boost::json;
using namespace core::vpn;

namespace {

// s/<server>/<customer>/<device> -> PeerRow; d/<customer>/<device> -> server id.
std::string row_key(const std::string& server, const std::string& customer,
                    const std::string& device) {
    return "s/" + server + "/" + customer + "/" + device;
}
std::string index_key(const std::string& customer, const std::string& device) {
    return "d/" + customer + "/" + device;
}

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

std::string encode(const PeerRow& r) {
    return json::serialize(json::object{{"server_id", r.server_id},
                                        {"customer_id", r.customer_id},
                                        {"device_id", r.device_id},
                                        {"public_key", r.public_key},
                                        {"preshared_key_sealed", r.preshared_key_sealed},
                                        {"ipv4", r.ipv4},
                                        {"ipv6", r.ipv6},
                                        {"enabled", r.enabled},
                                        {"disabled_reason", r.disabled_reason},
                                        {"expires_at", opt(r.expires_at)},
                                        {"quota_bytes", opt(r.quota_bytes)}});
}

std::optional<PeerRow> decode(std::string_view value) {
    auto r = events::with_json_object(value, [](const events::JsonObject& o) {
        PeerRow r;
        r.server_id = o.str("server_id");
        r.customer_id = o.str("customer_id");
        r.device_id = o.str("device_id");
        r.public_key = o.str("public_key");
        r.preshared_key_sealed = o.str("preshared_key_sealed");
        r.ipv4 = o.str("ipv4");
        r.ipv6 = o.str("ipv6");
        r.enabled = o.boolean("enabled");
        r.disabled_reason = o.str("disabled_reason");
        r.expires_at = o.opt_i64("expires_at");
        r.quota_bytes = o.opt_i64("quota_bytes");
        return r;
    });
    if (!r) return std::nullopt;
    return *r;
}

std::optional<std::int64_t> seconds(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::unix_seconds(*t);
}

class VpnPeersProjector final : public Projector {
  public:
    std::string name() const override { return kVpnPeers; }

    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        if (e.type.rfind("vpn.peer.", 0) != 0 && e.type != "vpn.device.removed") return {};
        if (e.type == "vpn.peer.usage_recorded") return {};
        const auto customer = events::vpn::customer_of_stream(e.stream);
        if (customer.empty()) return {};
        auto event = SY_TRY(events::vpn::decode_customer_event(e));
        // Updates a peer's row in place, found through the device index.
        auto update = [&](const std::string& device, auto&& fn) {
            auto server = w.get(index_key(customer, device));
            if (!server) return;
            const auto key = row_key(*server, customer, device);
            auto row = w.get(key);
            if (!row) return;
            auto r = decode(*row);
            if (!r) return;
            fn(*r);
            w.put(key, encode(*r));
        };
        auto remove = [&](const std::string& device) {
            auto server = w.get(index_key(customer, device));
            if (!server) return;
            w.erase(row_key(*server, customer, device));
            w.erase(index_key(customer, device));
        };
        std::visit(core::Overloaded{
                       [&](const PeerCreated& p) {
                           PeerRow r;
                           r.server_id = p.peer.server_id;
                           r.customer_id = customer;
                           r.device_id = p.device_id;
                           r.public_key = p.peer.public_key;
                           r.preshared_key_sealed = p.peer.preshared_key_sealed;
                           r.ipv4 = p.peer.ipv4;
                           r.ipv6 = p.peer.ipv6;
                           r.enabled = p.peer.enabled;
                           r.expires_at = seconds(p.peer.limits.expires_at);
                           r.quota_bytes = p.peer.limits.quota_bytes;
                           w.put(row_key(r.server_id, customer, r.device_id), encode(r));
                           w.put(index_key(customer, r.device_id), r.server_id);
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
                           update(p.device_id, [&](PeerRow& r) {
                               r.preshared_key_sealed = p.preshared_key_sealed;
                           });
                       },
                       [&](const PeerRemoved& p) { remove(p.device_id); },
                       [&](const DeviceRemoved& p) { remove(p.device_id); },
                       [](const auto&) {},
                   },
                   event);
        return {};
    }
};

}  // namespace

std::unique_ptr<Projector> make_vpn_peers_projector() {
    return std::make_unique<VpnPeersProjector>();
}

std::vector<PeerRow> list_server_peers(const ReadModelView& view, const std::string& server_id) {
    std::vector<PeerRow> out;
    view.scan("s/" + server_id + "/", "", [&](std::string_view, std::string_view value) {
        if (auto r = decode(value)) out.push_back(std::move(*r));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::vpn
