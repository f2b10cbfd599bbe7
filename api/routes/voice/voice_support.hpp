#pragma once
/// What the voice resource files (api/routes/voice/*.cpp) share: who may call what, running a
/// command and answering it, pages of string-keyed lists, and each resource's part of the
/// route table. Internal to api/routes/voice.

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/voice/voice_api.hpp"
#include "core/voice/account.hpp"
#include "core/voice/customer.hpp"
#include "core/voice/money.hpp"

namespace switchyard::api::voice {

using VoiceRoutes = std::vector<RouteDef<VoiceApi>>;

/// Who may call the voice routes beyond the shared sets of api/route_table.hpp.
namespace voice_roles {
using core::identity::Role;
/// A customer's own record and effective configuration: staff, resellers, and the customer.
inline const std::vector<Role> customer_read{Role::Admin, Role::Support, Role::Reseller,
                                             Role::Customer};
/// The operator's own business (assignments, carriers): admins and support read.
inline const std::vector<Role> operator_read{Role::Admin, Role::Support};
}  // namespace voice_roles

/// The decision context of a request's command: its caller is the actor.
inline core::DecisionContext context_of(VoiceApi& api, const HttpRequest& request) {
    return decision_context(api.ctx, request, caller_of(request).actor);
}

/// The command id of a creating request: `idem:<Idempotency-Key>` when sent, else the request's
/// correlation id (so a retry of the same request creates nothing twice).
std::string command_id_of(const HttpRequest& request, const core::DecisionContext& ctx);

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

/// True when the caller may see `customer`: staff see all, a reseller its subtree, a customer
/// user the customer it signs in as.
bool may_see(const HttpRequest& request, const core::voice::Customer& customer);

/// The customers (ids in decimal) the caller may see, for filtering CDRs, usage and balances:
/// nullopt for the operator's staff (every customer, and CDRs of no known customer), else the
/// customers `may_see` keeps. @errors the store's.
core::Result<std::optional<std::set<std::string>>> customer_reach(VoiceApi& api,
                                                                  const HttpRequest& request);

/// The account terms a customer's record implies: its currency, prepaid or postpaid from its
/// billing type, no credit limit and no low-balance threshold (balances.cpp).
core::voice::AccountTerms account_terms_of(const core::voice::Customer& customer);

/// A money amount as the API answers it: decimal text with 6 decimals (`10.000000`).
std::string money_text(core::voice::Micros amount);

/// Brings the tariff registry up to the log's head before a read that prices or lists decks:
/// after a start the registry catches up in the background. @errors the store's.
core::Result<void> current_tariffs(VoiceApi& api);

/// A price as rate decks write it: at least 4 decimals, up to 6 where they matter (`0.0508`,
/// `0.012345`).
std::string price_text(core::voice::Micros amount);

/// The `{id}` path parameter as text. @errors Invalid naming `id` when empty.
core::Result<std::string> text_param(const HttpRequest& request, const char* name = "id");

/// NotFound naming `field`: `<what> '<id>' does not exist`.
tl::unexpected<core::Error> not_found(const char* what, const std::string& id,
                                      const char* field = "id");

/// A page of a list whose items are ordered by a string key: items after `page.cursor`.
/// `items` holds (key, JSON) in key order.
std::string string_page(const PageRequest& page,
                        const std::vector<std::pair<std::string, boost::json::object>>& items);

/// Each resource's routes (api/routes/voice/<resource>.cpp).
VoiceRoutes category_routes();
VoiceRoutes customer_routes();
VoiceRoutes assignment_routes();
VoiceRoutes reference_routes();
VoiceRoutes deck_routes();  ///< api/routes/voice/decks.cpp
VoiceRoutes cost_routes();  ///< api/routes/voice/costs.cpp
VoiceRoutes cdr_routes();
VoiceRoutes balance_routes();
VoiceRoutes rerating_routes();
VoiceRoutes did_routes();        ///< api/routes/voice/dids.cpp
VoiceRoutes routing_routes();    ///< api/routes/voice/routing.cpp
VoiceRoutes trunk_routes();      ///< api/routes/voice/trunks.cpp
VoiceRoutes extension_routes();  ///< api/routes/voice/extensions.cpp

}  // namespace switchyard::api::voice
