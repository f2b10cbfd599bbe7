#include "projections/vpn/vpn_usage.hpp"

#include <boost/json.hpp>

#include "core/vpn/usage.hpp"
#include "events/json_reader.hpp"
#include "events/vpn/vpn_codec.hpp"

namespace switchyard::projections::vpn {

namespace json = boost::json;
using namespace core::vpn;

namespace {

// m/<customer>/<month>/<device> and c/<customer>/<month> -> UsageTotals;
// k/<server>/<public key> -> PeerCounters.
std::string device_key(const std::string& customer, const std::string& month,
                       const std::string& device) {
    return "m/" + customer + "/" + month + "/" + device;
}
std::string customer_key(const std::string& customer, const std::string& month) {
    return "c/" + customer + "/" + month;
}
std::string counters_key(const std::string& server, const std::string& public_key) {
    return "k/" + server + "/" + public_key;
}

std::string encode(const UsageTotals& t) {
    return json::serialize(
        json::object{{"rx_bytes", t.rx_bytes},
                     {"tx_bytes", t.tx_bytes},
                     {"last_handshake",
                      t.last_handshake ? json::value(*t.last_handshake) : json::value(nullptr)}});
}

UsageTotals decode(std::optional<std::string_view> value) {
    if (!value) return {};
    auto r = events::with_json_object(*value, [](const events::JsonObject& o) {
        return UsageTotals{o.i64("rx_bytes"), o.i64("tx_bytes"), o.opt_i64("last_handshake")};
    });
    return r ? *r : UsageTotals{};
}

class VpnUsageProjector final : public Projector {
  public:
    std::string name() const override { return kVpnUsage; }

    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        if (e.type != "vpn.peer.usage_recorded") return {};
        auto event = SY_TRY(events::vpn::decode_usage_event(e));
        const auto& u = std::get<PeerUsageRecorded>(event);
        const auto month = usage_month(u.at);
        std::optional<std::int64_t> handshake;
        if (u.last_handshake) handshake = core::unix_seconds(*u.last_handshake);
        for (const auto& key :
             {device_key(u.customer_id, month, u.device_id), customer_key(u.customer_id, month)}) {
            auto t = decode(w.get(key));
            t.rx_bytes += u.rx_bytes;
            t.tx_bytes += u.tx_bytes;
            if (handshake && (!t.last_handshake || *handshake > *t.last_handshake))
                t.last_handshake = handshake;
            w.put(key, encode(t));
        }
        w.put(counters_key(u.server_id, u.public_key),
              json::serialize(
                  json::object{{"rx_counter", u.rx_counter}, {"tx_counter", u.tx_counter}}));
        return {};
    }
};

}  // namespace

std::unique_ptr<Projector> make_vpn_usage_projector() {
    return std::make_unique<VpnUsageProjector>();
}

UsageTotals device_usage(const ReadModelView& view, const std::string& customer_id,
                         const std::string& device_id, const std::string& month) {
    auto v = view.get(device_key(customer_id, month, device_id));
    return v ? decode(std::string_view(*v)) : UsageTotals{};
}

CustomerUsage customer_usage(const ReadModelView& view, const std::string& customer_id,
                             const std::string& month) {
    CustomerUsage out;
    if (auto v = view.get(customer_key(customer_id, month)))
        out.total = decode(std::string_view(*v));
    const auto prefix = "m/" + customer_id + "/" + month + "/";
    view.scan(prefix, "", [&](std::string_view key, std::string_view value) {
        out.devices.emplace_back(std::string(key.substr(prefix.size())), decode(value));
        return true;
    });
    return out;
}

std::optional<PeerCounters> last_counters(const ReadModelView& view, const std::string& server_id,
                                          const std::string& public_key) {
    auto v = view.get(counters_key(server_id, public_key));
    if (!v) return std::nullopt;
    auto r = events::with_json_object(*v, [](const events::JsonObject& o) {
        return PeerCounters{o.i64("rx_counter"), o.i64("tx_counter")};
    });
    if (!r) return std::nullopt;
    return *r;
}

}  // namespace switchyard::projections::vpn
