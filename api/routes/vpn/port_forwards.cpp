// Port forwarding through a device's tunnel (TrueVault 2.4 and 2.5 request and response
// shapes): the templates, and a customer's forwards. Ports, their allocation and the
// templates' refusals are core/vpn's.
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/account.hpp"
#include "core/vpn/port_forward_template.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using core::Errc;
using namespace core::vpn;

namespace {

/// A template in the shape of config/vpn/port_forward_templates.json.
json::object template_view(const PortForwardTemplate& t) {
    json::array ports;
    for (const auto& p : t.ports)
        ports.push_back(json::object{
            {"local", p.local_port},
            {"external", p.external_port ? json::value(*p.external_port) : json::value(nullptr)},
            {"protocol", to_string(p.protocol)},
            {"description", p.description}});
    return {{"template_id", t.template_id}, {"name", t.name}, {"ports", ports}};
}

/// GET /v1/vpn/port-forward-templates -> {"templates":[...],"refused":[{..,"field","reason"}]}
core::Result<HttpResponse> list_templates(VpnApi& api, HttpRequest&) {
    const auto& cfg = api.vpn.config();
    json::array templates, refused;
    for (const auto& t : cfg.templates) templates.push_back(template_view(t));
    for (const auto& t : cfg.refused_templates)
        refused.push_back(json::object{{"template_id", t.template_id},
                                       {"name", t.name},
                                       {"field", t.error.field},
                                       {"reason", t.error.message}});
    return json_ok({{"templates", templates}, {"refused", refused}});
}

/// The one port of a request without a template.
core::Result<ForwardSpec> forward_spec(const JsonBody& b) {
    ForwardSpec f;
    f.local_ip = SY_TRY(b.opt_string("local_ip")).value_or("");
    auto local = SY_TRY(b.opt_int("local_port"));
    if (!local) return core::fail(Errc::Invalid, "local_port", "is required");
    f.local_port = *local;
    f.external_port = SY_TRY(b.opt_nullable_int("external_port")).value_or(std::nullopt);
    f.protocol = SY_TRY(protocol_of(b)).value_or(f.protocol);
    f.description = SY_TRY(b.opt_string("description")).value_or("");
    return f;
}

/// GET /v1/vpn/port-forwards -> {"success":true,"data":{"forwards":[...]}}
core::Result<HttpResponse> list_forwards(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    auto n = SY_TRY(api.vpn.network());
    json::array forwards;
    for (const auto& [id, f] : s.forwards) forwards.push_back(forward_view(n, s, f));
    return json_ok(spec_ok({{"forwards", forwards}}));
}

/// POST /v1/vpn/port-forwards {"device_id", one port or "template"} -> 201 {"success":true,
/// "data":{"forwards":[...]}}, with `forward_id`, `access_url` and `status` of a single one.
core::Result<HttpResponse> create_forwards(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    // The specification's request also names the device's name and type; they are the
    // device's own and are accepted and ignored.
    SY_TRY(b.only({"device_id", "device_name", "device_type", "local_ip", "local_port",
                   "external_port", "protocol", "description", "template"}));
    CreatePortForwards cmd;
    cmd.customer_id = c.customer_id;
    cmd.device_id = SY_TRY(b.string("device_id"));
    if (auto name = SY_TRY(b.opt_string("template"))) {
        const auto local_ip = SY_TRY(b.opt_string("local_ip")).value_or("");
        const auto& cfg = api.vpn.config();
        cmd.ports = SY_TRY(template_ports(cfg.templates, cfg.refused_templates, *name, local_ip));
    } else {
        cmd.ports.push_back(SY_TRY(forward_spec(b)));
    }
    auto o = SY_TRY(execute(api, r, cmd));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    auto n = SY_TRY(api.vpn.network());
    json::array forwards;
    for (auto id : o.forward_ids) forwards.push_back(forward_view(n, s, s.forwards.at(id)));
    json::object data;
    if (forwards.size() == 1) {
        const auto& f = s.forwards.at(o.forward_ids[0]);
        data = {{"forward_id", f.forward_id},
                {"access_url", forward_access_url(n, f)},
                {"status", f.status}};
    }
    data["forwards"] = std::move(forwards);
    return answer(201, spec_ok(std::move(data)), o.positions);
}

/// GET /v1/vpn/port-forwards/{id}
core::Result<HttpResponse> read_forward(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto id = SY_TRY(id_param(r, "id"));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    const PortForward* f = SY_TRY(find_forward(s, id, "id"));
    return json_ok(forward_view(SY_TRY(api.vpn.network()), s, *f));
}

/// PATCH /v1/vpn/port-forwards/{id}: absent fields keep their value.
core::Result<HttpResponse> update_forward(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(
        b.only({"local_ip", "local_port", "external_port", "protocol", "description", "status"}));
    UpdatePortForward cmd;
    cmd.customer_id = c.customer_id;
    cmd.forward_id = SY_TRY(id_param(r, "id"));
    cmd.local_ip = SY_TRY(b.opt_string("local_ip"));
    cmd.local_port = SY_TRY(b.opt_int("local_port"));
    cmd.external_port = SY_TRY(b.opt_int("external_port"));
    cmd.protocol = SY_TRY(protocol_of(b));
    cmd.description = SY_TRY(b.opt_string("description"));
    cmd.status = SY_TRY(b.opt_string("status"));
    auto o = SY_TRY(execute(api, r, cmd));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    return answer(200, forward_view(SY_TRY(api.vpn.network()), s, s.forwards.at(cmd.forward_id)),
                  o.positions);
}

/// DELETE /v1/vpn/port-forwards/{id} -> the specification's message.
core::Result<HttpResponse> remove_forward(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    const auto forward_id = SY_TRY(id_param(r, "id"));
    auto o = SY_TRY(execute(api, r, RemovePortForward{c.customer_id, forward_id}));
    return answer(200, {{"success", true}, {"message", "Port forwarding rule deleted"}},
                  o.positions);
}

}  // namespace

VpnRoutes port_forward_routes() {
    return {
        {
            "GET",
            "/v1/vpn/port-forward-templates",
            vpn_roles::read,
            list_templates,
            "The port forwarding templates, and those refused when loaded with why.",
        },
        {
            "GET",
            "/v1/vpn/port-forwards",
            vpn_roles::read,
            list_forwards,
            "The customer's port forwards with their access URLs.",
        },
        {
            "POST",
            "/v1/vpn/port-forwards",
            vpn_roles::account,
            create_forwards,
            "Forwards one port, or a template's ports, of a device through its server; an "
            "external port is allocated when none is named.",
        },
        {
            "GET",
            "/v1/vpn/port-forwards/{id}",
            vpn_roles::read,
            read_forward,
            "One port forward.",
        },
        {
            "PATCH",
            "/v1/vpn/port-forwards/{id}",
            vpn_roles::account,
            update_forward,
            "Changes a port forward's ports, protocol, description or status.",
        },
        {
            "DELETE",
            "/v1/vpn/port-forwards/{id}",
            vpn_roles::account,
            remove_forward,
            "Removes a port forward, releasing its external port.",
        },
    };
}

}  // namespace switchyard::api::vpn
