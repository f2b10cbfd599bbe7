#include "api/routes/identity/identity_support.hpp"

#include "api/route_support.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api::identity {

core::Result<const projections::ReadModelView*> users_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::identity::kUsers);
    if (!v) return core::fail(Errc::Unavailable, "users", "the users read model is not open");
    return v;
}

core::Result<const projections::ReadModelView*> api_keys_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::identity::kApiKeys);
    if (!v) return core::fail(Errc::Unavailable, "api_keys", "the API keys read model is not open");
    return v;
}

IdentityRoute own_security_route(const char* pattern, IdentityHandler handler,
                                 const char* summary) {
    return {"POST", pattern, roles::everyone, handler, summary, Reach::SessionOnly};
}

core::Result<JsonBody> body_of(const HttpRequest& request,
                               std::initializer_list<const char*> allowed) {
    auto b = SY_TRY(JsonBody::parse(request.body));
    SY_TRY(b.only(allowed));
    return b;
}

core::DecisionContext caller_context(IdentityApi& api, const HttpRequest& request) {
    return decision_context(api.ctx, request, caller_of(request).actor);
}

core::Result<void> settle(ApiContext& ctx, const std::vector<events::Position>& positions) {
    if (!positions.empty() && !ctx.runner.wait_for(positions, ctx.max_wait))
        return core::fail(Errc::Timeout, "position", "the read models did not catch up in time");
    return {};
}

HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

core::Result<HttpResponse> settled_answer(ApiContext& ctx, int status, boost::json::object body,
                                          const std::vector<events::Position>& positions) {
    SY_TRY(settle(ctx, positions));
    return answer(status, std::move(body), positions);
}

core::Result<std::string> own_user_id(const HttpRequest& request, const char* message) {
    const auto& user_id = caller_of(request).principal.user_id;
    if (user_id.empty()) return core::fail(Errc::Invalid, "authorization", message);
    return user_id;
}

core::Result<core::identity::Role> role_field(const std::string& text) {
    core::identity::Role role{};
    if (!core::identity::parse_role(text, role))
        return core::fail(Errc::Invalid, "role",
                          "must be admin, reseller, support, customer or carrier");
    return role;
}

}  // namespace switchyard::api::identity
