#pragma once
/// JSON shapes of plans and servers, shared by the event codec, the config loader and the API.
/// Include only in .cpp files (it pulls in Boost.JSON and simdjson).

#include <boost/json.hpp>

#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"
#include "events/json_reader.hpp"

namespace switchyard::events::vpn {

/// A plan as in `vpn.plan.defined` and config/vpn/plans.json.
boost::json::object plan_json(const core::vpn::Plan& plan);
/// @throws FieldError naming a missing or mistyped field (caught by with_json_object).
core::vpn::Plan get_plan(const JsonObject& o);
/// A device as in `vpn.device.added` (the API shows it so, with its peer).
boost::json::object device_json(const core::vpn::Device& device);
/// A peer as in `vpn.peer.created`; without `with_secret` (the API's view) the sealed keys
/// give way to `key_held_by` (`switchyard` or `client`).
boost::json::object peer_json(const std::string& device_id, const core::vpn::Peer& peer,
                              bool with_secret);
/// A server as in `vpn.server.defined`; the sealed private key only when `with_secret`.
boost::json::object server_json(const core::vpn::Server& server, bool with_secret);
/// @throws FieldError as get_plan.
core::vpn::Server get_server(const JsonObject& o);

}  // namespace switchyard::events::vpn
