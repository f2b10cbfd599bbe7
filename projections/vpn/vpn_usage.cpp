#include "projections/vpn/vpn_usage.hpp"

#include "core/vpn/usage.hpp"
#include "events/vpn/vpn_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::vpn {

using namespace core::vpn;

namespace {

// The layout of vpn_usage.hpp: totals per device and per customer, counters per peer.
std::string device_key(const std::string& customer, const std::string& month,
                       const std::string& device) {
    return key_of("m", customer, month, device);
}
std::string customer_key(const std::string& customer, const std::string& month) {
    return key_of("c", customer, month);
}
std::string counters_key(const std::string& server, const std::string& public_key) {
    return key_of("k", server, public_key);
}

constexpr auto kTotals = json_rows<UsageTotals>(
    fields(field("rx_bytes", &UsageTotals::rx_bytes), field("tx_bytes", &UsageTotals::tx_bytes),
           field("last_handshake", &UsageTotals::last_handshake)));
constexpr auto kCounters =
    json_rows<PeerCounters>(fields(field("rx_counter", &PeerCounters::rx_counter),
                                   field("tx_counter", &PeerCounters::tx_counter)));

core::Result<void> apply_usage(const UsageEvent& event, const events::RecordedEvent&,
                               ProjectionWrites& w) {
    const auto* u = std::get_if<PeerUsageRecorded>(&event);
    if (!u) return {};
    const auto month = usage_month(u->at);
    std::optional<std::int64_t> handshake;
    if (u->last_handshake) handshake = core::unix_seconds(*u->last_handshake);
    for (const auto& key :
         {device_key(u->customer_id, month, u->device_id), customer_key(u->customer_id, month)}) {
        auto t = kTotals.find(w, key).value_or(UsageTotals{});
        t.rx_bytes += u->rx_bytes;
        t.tx_bytes += u->tx_bytes;
        if (handshake && (!t.last_handshake || *handshake > *t.last_handshake))
            t.last_handshake = handshake;
        kTotals.put(w, key, t);
    }
    kCounters.put(w, counters_key(u->server_id, u->public_key), {u->rx_counter, u->tx_counter});
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_vpn_usage_projector() {
    return make_projector<UsageEvent>(kVpnUsage, events::vpn::decode_usage_event, apply_usage,
                                      events::is_one_of<PeerUsageRecorded>);
}

UsageTotals device_usage(const ReadModelView& view, const std::string& customer_id,
                         const std::string& device_id, const std::string& month) {
    return kTotals.find(view, device_key(customer_id, month, device_id)).value_or(UsageTotals{});
}

CustomerUsage customer_usage(const ReadModelView& view, const std::string& customer_id,
                             const std::string& month) {
    CustomerUsage out;
    out.total = kTotals.find(view, customer_key(customer_id, month)).value_or(UsageTotals{});
    const auto prefix = key_of("m", customer_id, month) + "/";
    view.scan(prefix, "", [&](std::string_view key, std::string_view value) {
        out.devices.emplace_back(std::string(key.substr(prefix.size())),
                                 kTotals.decode(value).value_or(UsageTotals{}));
        return true;
    });
    return out;
}

std::optional<PeerCounters> last_counters(const ReadModelView& view, const std::string& server_id,
                                          const std::string& public_key) {
    return kCounters.find(view, counters_key(server_id, public_key));
}

}  // namespace switchyard::projections::vpn
