#pragma once
/// What the billing route files share (api/routes/billing/*.cpp): who reads the books, the
/// decision context of a request, a command's answer with its position, and a read model
/// caught up with the caller's last command. Include only in those .cpp files.

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/route_support.hpp"
#include "api/routes/billing/billing_api.hpp"

namespace switchyard::api::billing_routes {

/// Who reads the operator's books, plans and subscriptions: admins and support staff
/// (resellers have their own credits).
inline const std::vector<core::identity::Role> kBooksRead{core::identity::Role::Admin,
                                                          core::identity::Role::Support};

inline core::DecisionContext context_of(BillingApi& api, const HttpRequest& r) {
    return decision_context(api.ctx, r, caller_of(r).actor);
}

/// The path parameter `name` (`{payment_id}`), or empty.
inline std::string param(const HttpRequest& r, const char* name) {
    auto it = r.params.find(name);
    return it == r.params.end() ? "" : it->second;
}

/// A command's answer: `body` with the position of its append.
inline HttpResponse answer(int status, boost::json::object body,
                           const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

/// The read model `name` once it holds the caller's last command (`X-Min-Position`).
/// @errors Unavailable naming `billing` when the model is not open; as wait_for_position.
inline core::Result<const projections::ReadModelView*> ready_view(BillingApi& api, HttpRequest& r,
                                                                  const char* name) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = api.ctx.runner.view(name);
    if (!view)
        return core::fail(core::Errc::Unavailable, "billing",
                          std::string("the read model ") + name + " is not open");
    return view;
}

}  // namespace switchyard::api::billing_routes
