// A customer's WireGuard traffic in a calendar month (UTC), in all and per device, from the
// vpn_usage read model.
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/usage.hpp"
#include "projections/vpn/vpn_usage.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using core::Errc;

namespace {

json::object totals_view(const projections::vpn::UsageTotals& t) {
    return {{"rx_bytes", t.rx_bytes},
            {"tx_bytes", t.tx_bytes},
            {"total_bytes", t.total()},
            {"last_handshake", t.last_handshake ? json::value(core::format_rfc3339(
                                                      core::from_unix_seconds(*t.last_handshake)))
                                                : json::value(nullptr)}};
}

/// GET /v1/vpn/usage?month=YYYY-MM -> {"customer_id","month","total",
/// "devices":[{"device_id",...}]}; the current month when none is named.
core::Result<HttpResponse> read_usage(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    SY_TRY(wait_for_position(api.ctx, r));
    const auto month =
        SY_TRY(core::vpn::usage_month_of(r.query_param("month"), api.ctx.clock.now()));
    const auto* view = api.ctx.runner.view(projections::vpn::kVpnUsage);
    if (!view) return core::fail(Errc::Unavailable, "usage", "the usage read model is not open");
    auto u = projections::vpn::customer_usage(*view, c.customer_id, month);
    json::array devices;
    for (const auto& [id, t] : u.devices) {
        auto o = totals_view(t);
        o["device_id"] = id;
        devices.push_back(std::move(o));
    }
    return json_ok({{"customer_id", c.customer_id},
                    {"month", month},
                    {"total", totals_view(u.total)},
                    {"devices", devices}});
}

}  // namespace

VpnRoutes usage_routes() {
    return {
        {
            "GET",
            "/v1/vpn/usage",
            vpn_roles::read,
            read_usage,
            "The customer's traffic in a month (`month=YYYY-MM`, default this one), per device.",
        },
    };
}

}  // namespace switchyard::api::vpn
