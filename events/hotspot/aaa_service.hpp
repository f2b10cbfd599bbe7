#pragma once
/// The whole rlm_rest decision of the hotspot module (issue 13 items 4 and 5), in memory:
/// authorize, authenticate, post-auth and accounting requests as FreeRADIUS 3.2's rlm_rest
/// sends them (events/hotspot/rlm_rest_json.hpp), answered with the status code and JSON body
/// rlm_rest maps to its module results.
///
/// Lookups: the NAS by the request's NAS-IP-Address (HotspotService::nas_by_address), the
/// account, its plan and password (HotspotService, folded in memory), its usage and open
/// sessions (SessionService, running totals). After an Accept, post-auth records the first
/// login (RecordFirstLogin). Accounting applies SessionService; when the usage an interim
/// update brings crosses a limit, it appends MarkExhausted (data or online time) or
/// ExpireAccount (wall clock), which the enforcement worker turns into a Disconnect-Request.

#include <string>
#include <string_view>

#include "core/decision_context.hpp"
#include "core/hotspot/authorize.hpp"
#include "core/result.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/rlm_rest_json.hpp"
#include "events/hotspot/session_service.hpp"
#include "events/hotspot/vendor_profiles.hpp"

namespace switchyard::events::hotspot {

/// The rlm_rest sections (the `action` query parameter of the shipped URIs).
enum class RestAction { Authorize, Authenticate, PostAuth, Accounting };
/// Parses `authorize`, `authenticate`, `post-auth`, `accounting`; false otherwise.
bool parse_rest_action(std::string_view text, RestAction& out) noexcept;

/// The answer to one rlm_rest call and what was decided, for logs and tests.
struct AaaAnswer {
    RestAnswer answer;
    /// Authorize/authenticate/post-auth: the decision (accept, reason, reply attributes).
    core::hotspot::AuthorizeDecision decision;
    /// Accounting: what it appended and which limits it found crossed (wire names of
    /// core::hotspot::EnforcementReason, e.g. `data_used`), one per account.
    AccountingOutcome accounting;
    std::vector<std::string> crossed;
};

/// The rlm_rest decisions of one tenant.
/// @thread safe.
class AaaService {
  public:
    /// All references must outlive the service.
    AaaService(HotspotService& hotspot, SessionService& sessions, const VendorProfiles& profiles);

    /// Loads the sessions of every NAS of the catalog (SessionService::preload), so usage is
    /// complete before the first request. @errors the store's.
    core::Result<void> start();

    /// One rlm_rest call. `body` is the JSON body (empty for a GET authorize from a stock
    /// configuration); `path_user` the User-Name segment of the URI (used when there is no
    /// body). `ctx.now` is the request's time; ctx also carries the actor of appended events.
    /// @returns authorize: 200 with control:Cleartext-Password and reply attributes, or 401
    ///          with reply:Reply-Message (unknown NAS, unknown user, expired, quota used, too
    ///          many sessions ...); authenticate: 204 or 401 `Wrong password.`; post-auth: 204;
    ///          accounting: 204 (also for a duplicate), 401 with a Reply-Message for an unknown
    ///          NAS, 400 naming the attribute for a bad request or counters going backwards.
    ///          A body that is not rlm_rest JSON answers 400 naming the attribute or `body`.
    AaaAnswer handle(RestAction action, std::string_view body, std::string_view path_user,
                     const core::DecisionContext& ctx);

  private:
    struct Lookup;
    core::hotspot::AuthorizeDecision decide(const AccessRequest& request, bool have_nas_ip,
                                            core::Timestamp now, Lookup& found);
    /// An unused voucher's first login: fills `in` and `found` with the account the voucher
    /// would become, or answers the refusal (revoked, expired, redeemed elsewhere). None and
    /// nothing filled when the name is no voucher code.
    std::optional<core::hotspot::AuthorizeDecision> voucher_first_login(
        const AccessRequest& request, core::Timestamp now, Lookup& found,
        core::hotspot::AuthorizeInput& in);
    AaaAnswer accounting(const RestRequest& request, const core::DecisionContext& ctx);
    HotspotService& hotspot_;
    SessionService& sessions_;
    const VendorProfiles& profiles_;
};

/// A 400 answer naming the field: `{"error":"invalid","field":...,"detail":...}`.
RestAnswer bad_request_answer(const core::Error& error);

}  // namespace switchyard::events::hotspot
