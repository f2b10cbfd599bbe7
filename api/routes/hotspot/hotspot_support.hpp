#pragma once
/// What the hotspot resource files (api/routes/hotspot/*.cpp) share: who may call what, the
/// caller's reach (a reseller's subtree), running a command and answering it, the read models,
/// and each resource's part of the route table. Internal to api/routes/hotspot.

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/hotspot/hotspot_api.hpp"
#include "projections/projector.hpp"

namespace switchyard::api::hotspot {

using HotspotRoutes = std::vector<RouteDef<HotspotApi>>;

/// Who may call the hotspot routes.
namespace hotspot_roles {
using core::identity::Role;
/// Reads: the operator's admins and support staff, and resellers (their subtree).
inline const std::vector<Role> read{Role::Admin, Role::Support, Role::Reseller};
/// The catalog (NAS with their RADIUS secrets, plans and prices): admins and resellers.
inline const std::vector<Role> catalog{Role::Admin, Role::Reseller};
/// Day-to-day work at the front desk (accounts, voucher batches, redemptions): admins,
/// support staff and resellers.
inline const std::vector<Role> desk{Role::Admin, Role::Support, Role::Reseller};
}  // namespace hotspot_roles

/// The decision context of a request's command: its caller is the actor.
inline core::DecisionContext context_of(HotspotApi& api, const HttpRequest& request) {
    return decision_context(api.ctx, request, caller_of(request).actor);
}

/// The command id of a request: `idem:<Idempotency-Key>` when sent, else the request's
/// correlation id (`X-Request-Id`), so a retry of the same request changes nothing twice.
std::string command_id_of(const HttpRequest& request, const core::DecisionContext& ctx);

/// True when the caller reaches `owner_path`: the operator's staff everything, a reseller its
/// subtree (core/identity in_scope).
bool may_reach(const HttpRequest& request, const std::string& owner_path);

/// The owner path of what the caller creates: a reseller's scope, else `/`.
std::string owner_path_of(const HttpRequest& request);

/// The caller's scope for lists: `/` for the operator's staff, a reseller's subtree.
const std::string& scope_of(const HttpRequest& request);

/// A command's answer: `body` with the `position` it appended at, and the position header.
HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions);
/// The answer of a creating command: 201 when it appended, 200 when it was a retry.
template <class Outcome>
HttpResponse answer_created(boost::json::object body, const Outcome& outcome) {
    return answer(outcome.changed ? 201 : 200, std::move(body), outcome.positions);
}
/// A read's answer: 200 with `body` as JSON.
HttpResponse json_ok(const boost::json::object& body);

/// The path parameter `name` as text. @errors Invalid naming `name` when empty.
core::Result<std::string> text_param(const HttpRequest& request, const char* name = "id");

/// NotFound naming `field`: `<what> '<id>' does not exist`.
tl::unexpected<core::Error> not_found(const char* what, const std::string& id,
                                      const char* field = "id");

/// The read model `name`. @errors Unavailable naming `what` when it is not open.
core::Result<const projections::ReadModelView*> view_of(HotspotApi& api, const char* name,
                                                        const char* what);

/// An id derived from a name when the body gives none: lower case, runs of other characters
/// than `[a-z0-9_-]` as one `-`, trimmed of `-`, at most 32 characters (`Lobby AP` ->
/// `lobby-ap`). May be empty.
std::string id_from_name(std::string_view name);

/// A price as decimal text with at least two decimals (`2.50`, `0.00`, `1.125`).
std::string price_text(core::hotspot::Micros micros);

/// An optional RFC 3339 timestamp member. @errors Invalid naming `key` when present and not a
/// string or not RFC 3339.
core::Result<std::optional<core::Timestamp>> opt_time(const JsonBody& b, const char* key);

/// Each resource's routes (api/routes/hotspot/<resource>.cpp).
HotspotRoutes nas_routes();
HotspotRoutes plan_routes();
HotspotRoutes account_routes();
HotspotRoutes voucher_routes();

}  // namespace switchyard::api::hotspot
