#pragma once
/// The RADIUS authorize and authenticate decisions of the hotspot module, pure: given what the
/// caller looked up (the NAS, the account, its plan, its usage and open sessions), whether
/// FreeRADIUS answers Access-Accept (with control:Cleartext-Password and the plan's reply
/// attributes for the NAS's vendor) or Access-Reject (with a Reply-Message in plain words).
/// The caller turns the decision into an rlm_rest reply (events/hotspot/rlm_rest_json.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hotspot/account_decider.hpp"  // normalize_mac
#include "core/hotspot/model.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// Why an Access-Request is refused. Wire names are the snake_case of the value
/// (`unknown_nas`, `unknown_user`, `unknown_plan`, `disabled`, `expired`, `time_used`,
/// `quota_used`, `too_many_sessions`, `mac_mismatch`, `plan_not_valid_yet`,
/// `plan_not_valid_anymore`, `wrong_service`, `wrong_password`).
enum class RejectReason {
    UnknownNas,           ///< No NAS with the request's address, or it is disabled.
    UnknownUser,          ///< No account with the User-Name.
    UnknownPlan,          ///< The account's plan is missing.
    Disabled,             ///< Staff disabled the account.
    Expired,              ///< The wall-clock time ran out.
    TimeUsed,             ///< The online time is used up.
    QuotaUsed,            ///< The data is used up.
    TooManySessions,      ///< As many sessions open as the plan's shared users.
    MacMismatch,          ///< The account is bound to another device (Calling-Station-Id).
    PlanNotValidYet,      ///< Before the plan's valid_from.
    PlanNotValidAnymore,  ///< After the plan's valid_until.
    WrongService,         ///< A PPPoE account on a hotspot plan or the reverse (not checked
                          ///< by authorize(); for callers that know the service).
    WrongPassword,        ///< authenticate(): the password does not match.
};

/// The wire name of a reason (see RejectReason).
std::string_view reject_reason_name(RejectReason r) noexcept;

/// The Reply-Message of a reason: one plain English sentence a user can act on, e.g.
/// `Your time has expired.`.
std::string_view reject_message(RejectReason r) noexcept;

/// What authorize() needs. Pointers are borrowed for the call; a null NAS or account means
/// the lookup found none.
struct AuthorizeInput {
    const Nas* nas = nullptr;
    const VendorProfile* profile = nullptr;  ///< The NAS vendor's profile; required with a NAS.
    const Account* account = nullptr;
    const Plan* plan = nullptr;  ///< The account's plan; null = missing.
    /// The account's password in clear (the caller opens Account::password_sealed).
    std::string cleartext_password;
    Usage usage;                       ///< Across all its sessions, closed and open.
    std::int64_t active_sessions = 0;  ///< Its sessions open now (any NAS).
    std::string calling_station_id;    ///< The request's Calling-Station-Id (the MAC).
    Timestamp now{};
};

/// The decision for one Access-Request.
struct AuthorizeDecision {
    bool accept = false;
    RejectReason reason = RejectReason::UnknownUser;  ///< When !accept.
    std::string reply_message;                        ///< When !accept: reject_message(reason).
    /// When accept: the value of control:Cleartext-Password (so PAP and CHAP both work).
    std::string cleartext_password;
    /// When accept: the reply attributes (reply_attributes(), or expired_pool_attributes()
    /// when the account is out of time or data and its plan has an expired pool).
    std::vector<ReplyAttribute> reply;
    /// Accepted into the plan's expired pool (walled garden) instead of a reject; `reason`
    /// says why (expired, time_used or quota_used).
    bool expired_pool = false;
    /// This accept is the account's first login under a `first_login` plan: the caller records
    /// it (the accounts decider's first-login event) with `first_login_at` = now and
    /// `expires_at` below, once FreeRADIUS has sent the Access-Accept (post-auth), so that a
    /// refused password does not start the clock.
    bool first_login = false;
    std::optional<Timestamp> expires_at;  ///< When first_login: now + plan duration.
};

/// The authorize decision, checking in this order: unknown NAS (none or disabled), unknown
/// user, unknown plan, disabled, MAC binding (Calling-Station-Id in any of the forms
/// `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`, `aabbccddeeff`), plan validity
/// window, wall-clock expiry, online time, data, shared users. An account that is expired, out
/// of time or out of data whose plan has an expired pool is accepted into that pool.
/// @source RFC 2865 sections 4.2-4.4 (Accept, Reject, Reply-Message 5.18).
AuthorizeDecision authorize(const AuthorizeInput& in);

/// The authenticate decision (rlm_rest `authenticate`, a POST carrying User-Password, used when
/// authorize answered `control:Auth-Type := rest`): authorize()'s decision, turned into a
/// WrongPassword reject when `given_password` is not the account's password. An accept keeps
/// authorize()'s reply attributes.
AuthorizeDecision authenticate(const AuthorizeInput& in, std::string_view given_password);

/// The PAP check (FreeRADIUS `Auth-Type rest` posting User-Password): true when `given`
/// equals `cleartext`, compared in time independent of where they differ.
bool password_matches(std::string_view given, std::string_view cleartext) noexcept;

}  // namespace switchyard::core::hotspot
