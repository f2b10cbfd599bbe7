#include "api/routes/vpn/vpn_support.hpp"

#include <boost/json.hpp>

#include "core/vpn/account.hpp"
#include "events/vpn/vpn_json.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using core::Errc;

core::Result<CustomerRef> customer_of(VpnApi& api, const HttpRequest& request) {
    const auto& caller = caller_of(request).principal;
    const auto* users = api.ctx.runner.view(projections::identity::kUsers);
    if (!users) return core::fail(Errc::Unavailable, "users", "the users read model is not open");
    auto id = SY_TRY(core::vpn::account_customer_id(caller, request.query_param("customer_id")));
    std::optional<core::vpn::AccountHolder> holder;
    if (auto user = projections::identity::find_user(*users, id))
        holder = core::vpn::AccountHolder{user->role, user->owner_path};
    SY_TRY(core::vpn::check_account_holder(caller, id, holder));
    return CustomerRef{std::move(id), holder->owner_path};
}

HttpResponse answer(int status, json::object body, const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

HttpResponse json_ok(const json::object& body) { return json_response(200, json::serialize(body)); }

json::object spec_ok(json::object data) { return {{"success", true}, {"data", std::move(data)}}; }

json::object device_view(const core::vpn::CustomerState& s, const core::vpn::Device& d) {
    auto o = events::vpn::device_json(d);
    o["id"] = d.device_id;  // the scan's name for it
    auto peer = s.peers.find(d.device_id);
    o["peer"] = peer == s.peers.end()
                    ? json::value(nullptr)
                    : json::value(events::vpn::peer_json(d.device_id, peer->second, false));
    return o;
}

json::object forward_view(const core::vpn::NetworkState& network, const core::vpn::CustomerState& s,
                          const core::vpn::PortForward& f) {
    auto d = s.devices.find(f.device_id);
    const bool known = d != s.devices.end();
    return {{"id", f.forward_id},
            {"device_id", f.device_id},
            {"device_name", known ? d->second.name : f.device_id},
            {"device_type", known ? d->second.classification.type : std::string()},
            {"server_id", f.server_id},
            {"local_ip", f.local_ip},
            {"local_port", f.local_port},
            {"external_port", f.external_port},
            {"protocol", core::vpn::to_string(f.protocol)},
            {"description", f.description},
            {"access_url", core::vpn::forward_access_url(network, f)},
            {"status", f.status}};
}

json::object limits_view(const core::vpn::Plan& plan, const core::vpn::CustomerState& s) {
    auto opt = [](const std::optional<std::int64_t>& v) {
        return v ? json::value(*v) : json::value(nullptr);
    };
    json::object o;
    for (const auto& l : core::vpn::plan_limits(plan, s))
        o[l.name] = json::object{
            {"current", l.current}, {"max", opt(l.max)}, {"remaining", opt(l.remaining)}};
    return o;
}

core::Result<std::optional<core::vpn::ForwardProtocol>> protocol_of(const JsonBody& body) {
    auto text = SY_TRY(body.opt_string("protocol"));
    if (!text) return std::nullopt;
    core::vpn::ForwardProtocol protocol{};
    if (!core::vpn::parse_forward_protocol(*text, protocol))
        return core::fail(Errc::Invalid, "protocol", "must be tcp, udp or both");
    return protocol;
}

}  // namespace switchyard::api::vpn
