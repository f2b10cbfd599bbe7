// A customer's devices: scans (TrueVault 1.4 request and response shapes), adding one device,
// reading, moving to another server and removing. Classification, limits and server choice
// are core/vpn's.
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/account.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using core::Errc;
using namespace core::vpn;

namespace {

core::Result<std::vector<OpenPort>> open_ports_of(const JsonBody& b) {
    std::vector<OpenPort> out;
    if (auto ports = SY_TRY(b.opt_object_list("open_ports"))) {
        for (const auto& p : *ports) {
            SY_TRY(p.only({"port", "service"}));
            auto port = SY_TRY(p.opt_int("port"));
            if (!port) return core::fail(Errc::Invalid, p.prefix() + "port", "is required");
            auto service = SY_TRY(p.opt_string("service")).value_or("");
            out.push_back({*port, std::move(service)});
        }
    }
    return out;
}

/// Reads one device of a scan, or of an add request (which may name its `server_id`).
core::Result<DeviceInput> device_input(const JsonBody& b, bool scan) {
    if (scan) {
        SY_TRY(b.only({"id", "ip", "mac", "hostname", "vendor", "type", "type_name", "icon",
                       "open_ports", "discovered_at"}));
    } else {
        SY_TRY(b.only({"id", "ip", "mac", "hostname", "vendor", "type", "type_name", "icon",
                       "open_ports", "discovered_at", "server_id"}));
    }
    DeviceInput d;
    d.device_id = SY_TRY(b.string("id"));
    for (auto [key, slot] :
         {std::pair{"ip", &d.ip}, std::pair{"mac", &d.mac}, std::pair{"hostname", &d.hostname},
          std::pair{"vendor", &d.vendor}, std::pair{"type", &d.type},
          std::pair{"type_name", &d.type_name}, std::pair{"icon", &d.icon}})
        *slot = SY_TRY(b.opt_string(key)).value_or("");
    if (!scan) d.server_id = SY_TRY(b.opt_string("server_id")).value_or("");
    d.open_ports = SY_TRY(open_ports_of(b));
    if (auto at = SY_TRY(b.opt_string("discovered_at"))) {
        d.discovered_at = parse_discovered_at(*at);
        if (!d.discovered_at)
            return core::fail(Errc::Invalid, b.prefix() + "discovered_at",
                              "must be a date-time such as 2026-01-14T12:00:00 (UTC) or RFC 3339");
    }
    return d;
}

/// The TrueVault 1.4 scan response's `data`: counts, recommendations and skipped devices.
json::object scan_result(const AddDevices& cmd, const CustomerDecision& decision) {
    json::array recommendations, skipped;
    std::int64_t added = 0;
    for (const auto& d : decision.devices) {
        if (d.added) {
            ++added;
            recommendations.push_back(json::object{{"device_id", d.device_id},
                                                   {"device_name", d.name},
                                                   {"recommended_server", d.server_name},
                                                   {"server_id", d.server_id},
                                                   {"reason", d.reason}});
        } else {
            skipped.push_back(json::object{
                {"device_id", d.device_id}, {"device_name", d.name}, {"reason", d.reason}});
        }
    }
    const auto received = static_cast<std::int64_t>(cmd.devices.size());
    return {{"devices_received", received},
            {"devices_added", added},
            {"devices_skipped", received - added},
            {"recommendations", std::move(recommendations)},
            {"skipped", std::move(skipped)}};
}

/// POST /v1/vpn/scans {"devices":[...]} -> {"success":true,"data":{...,"limits"}}
core::Result<HttpResponse> scan(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"devices"}));
    auto list = SY_TRY(b.opt_object_list("devices"));
    if (!list) return core::fail(Errc::Invalid, "devices", "is required");
    AddDevices cmd;
    cmd.customer_id = c.customer_id;
    cmd.source = "scan";
    for (const auto& d : *list) cmd.devices.push_back(SY_TRY(device_input(d, true)));
    auto o = SY_TRY(execute(api, r, cmd));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    auto n = SY_TRY(api.vpn.network());
    auto data = scan_result(cmd, o);
    if (auto plan = n.plans.find(s.plan_id); plan != n.plans.end())
        data["limits"] = limits_view(plan->second, s);
    return answer(200, spec_ok(std::move(data)), o.positions);
}

/// GET /v1/vpn/devices -> {"devices":[device]}
core::Result<HttpResponse> list_devices(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    json::array devices;
    for (const auto& [id, d] : s.devices) devices.push_back(device_view(s, d));
    return json_ok({{"devices", devices}});
}

/// POST /v1/vpn/devices {device} -> 201 the device; refused where a scan would skip it.
core::Result<HttpResponse> add_device(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto device = SY_TRY(device_input(b, false));
    AddDevices cmd{c.customer_id, {std::move(device)}, "api", {}, true};
    auto o = SY_TRY(execute(api, r, cmd));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    return answer(201, device_view(s, s.devices.at(o.devices.at(0).device_id)), o.positions);
}

/// GET /v1/vpn/devices/{id}
core::Result<HttpResponse> read_device(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    const Device* d = SY_TRY(find_device(s, r.params["id"], "id"));
    return json_ok(device_view(s, *d));
}

/// PATCH /v1/vpn/devices/{id} {"server_id"} -> the device on its new server.
core::Result<HttpResponse> assign_server(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"server_id"}));
    auto server_id = SY_TRY(b.string("server_id"));
    AssignServer cmd{c.customer_id, r.params["id"], std::move(server_id)};
    auto o = SY_TRY(execute(api, r, cmd));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    return answer(200, device_view(s, s.devices.at(cmd.device_id)), o.positions);
}

/// DELETE /v1/vpn/devices/{id}: the device with its peer and forwards.
core::Result<HttpResponse> remove_device(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    return removed(api, r, RemoveDevice{c.customer_id, r.params["id"]}, r.params["id"], "id");
}

}  // namespace

VpnRoutes device_routes() {
    return {
        {
            "POST",
            "/v1/vpn/scans",
            vpn_roles::account,
            scan,
            "A network scan (TrueVault 1.4): adds the devices within the plan, each on the server "
            "that suits it, and says why; known devices are skipped.",
        },
        {
            "GET",
            "/v1/vpn/devices",
            vpn_roles::read,
            list_devices,
            "The customer's devices with their classification, server and peer.",
        },
        {
            "POST",
            "/v1/vpn/devices",
            vpn_roles::account,
            add_device,
            "Adds one device, optionally on a named server.",
        },
        {
            "GET",
            "/v1/vpn/devices/{id}",
            vpn_roles::read,
            read_device,
            "One device.",
        },
        {
            "PATCH",
            "/v1/vpn/devices/{id}",
            vpn_roles::account,
            assign_server,
            "Moves a device (without a peer) to another server its policy allows.",
        },
        {
            "DELETE",
            "/v1/vpn/devices/{id}",
            vpn_roles::account,
            remove_device,
            "Removes a device with its peer and port forwards.",
        },
    };
}

}  // namespace switchyard::api::vpn
