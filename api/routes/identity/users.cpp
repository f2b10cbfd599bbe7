// Users: GET /v1/users, GET /v1/users/{id}, POST /v1/users, PUT /v1/users/{id}/allowlist.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/route_support.hpp"
#include "api/routes/identity/identity_support.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api::identity {

namespace {

/// The user of a POST /v1/users body {username, password, role, parent?}.
core::Result<events::identity::NewUser> new_user_of(const HttpRequest& r) {
    auto b = SY_TRY(body_of(r, {"username", "password", "role", "parent"}));
    events::identity::NewUser u;
    u.username = SY_TRY(b.string("username"));
    u.password = SY_TRY(b.string("password"));
    u.role = SY_TRY(role_field(SY_TRY(b.string("role"))));
    u.parent_id = SY_TRY(b.opt_string("parent"));
    return u;
}

/// POST /v1/users -> 201 with the new user as GET /v1/users/{id} shows it.
core::Result<HttpResponse> create_user(IdentityApi& api, HttpRequest& r) {
    const auto u = SY_TRY(new_user_of(r));
    auto created = api.identity.create_user(caller_of(r).principal, u, caller_context(api, r));
    if (!created) {
        // The decider names the stored field; this request calls it `parent`.
        auto e = created.error();
        if (e.field == "parent_id") e.field = "parent";
        return tl::unexpected(std::move(e));
    }
    const auto user_id = created->user_id;
    const auto positions = created->positions;
    SY_TRY(settle(api.ctx, positions));
    auto row = projections::identity::find_user(*SY_TRY(users_view(api.ctx)), user_id);
    if (!row) return core::fail(Errc::Internal, "user_id", "the new user is not visible");
    return answer(201, json::parse(row->json).as_object(), positions);
}

/// GET /v1/users?cursor=&limit= -> the users in the caller's scope, in owner-path order.
core::Result<HttpResponse> list_users(IdentityApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = SY_TRY(users_view(api.ctx));
    const auto page = SY_TRY(page_query(r));
    PageWriter out(page);
    projections::identity::scan_users(*view, caller_of(r).principal.scope, page.cursor,
                                      [&](const projections::identity::UserRow& u,
                                          const std::string& key) { return out.add(u.json, key); });
    return json_response(200, out.body());
}

/// GET /v1/users/{id}: a user in the caller's scope.
core::Result<HttpResponse> get_user(IdentityApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto& id = r.params.at("id");
    auto user = projections::identity::find_user(*SY_TRY(users_view(api.ctx)), id);
    // Outside the caller's subtree a user does not exist, as far as the caller knows.
    if (!user || !core::identity::in_scope(caller_of(r).principal.scope, user->owner_path))
        return core::fail(Errc::NotFound, "id", fmt::format("user {} does not exist", id));
    return json_response(200, user->json);
}

/// The networks of a PUT /v1/users/{id}/allowlist body {cidrs}: at most 100, each CIDR text.
core::Result<std::vector<std::string>> allowlist_of(const HttpRequest& r) {
    auto b = SY_TRY(body_of(r, {"cidrs"}));
    auto cidrs = SY_TRY(b.opt_string_list("cidrs"));
    if (!cidrs) return core::fail(Errc::Invalid, "cidrs", "is required (an array)");
    if (cidrs->size() > 100)
        return core::fail(Errc::Invalid, "cidrs", "holds at most 100 networks");
    for (const auto& c : *cidrs) SY_TRY(Cidr::parse(c, "cidrs"));
    return std::move(*cidrs);
}

/// PUT /v1/users/{id}/allowlist {cidrs}: the networks the user may sign in and act from.
core::Result<HttpResponse> set_allowlist(IdentityApi& api, HttpRequest& r) {
    const auto cidrs = SY_TRY(allowlist_of(r));
    const auto& id = r.params.at("id");
    auto positions = SY_TRY(api.identity.set_allowlist(caller_of(r).principal, id, cidrs,
                                                       caller_context(api, r)))
                         .positions;
    json::object body{{"user_id", id}, {"cidrs", json::array(cidrs.begin(), cidrs.end())}};
    return settled_answer(api.ctx, 200, std::move(body), positions);
}

}  // namespace

std::vector<IdentityRoute> user_routes() {
    return {
        {"POST", "/v1/users", roles::sellers, create_user,
         "Creates a user (admins any role; resellers resellers and customers below themselves)."},
        {"GET", "/v1/users", roles::staff_read, list_users,
         "The users in the caller's scope, cursor-paginated."},
        {"PUT", "/v1/users/{id}/allowlist", roles::everyone, set_allowlist,
         "Sets the networks (CIDR) a user may sign in and act from: the user itself, or an "
         "admin or reseller above it; empty = anywhere."},
        {"GET", "/v1/users/{id}", roles::staff_read, get_user, "One user in the caller's scope."},
    };
}

}  // namespace switchyard::api::identity
