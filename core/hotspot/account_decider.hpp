#pragma once
/// Decide and evolve for hotspot and PPPoE accounts (pure; see core/hotspot/account.hpp).
/// Commands that need a plan are decided against the tenant's catalog (core/hotspot/catalog.hpp).
/// A command whose command id the account has seen decides nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/account.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/result.hpp"

namespace switchyard::core::hotspot {

/// Creates an account. The events layer seals `password` into `account.password_sealed`
/// first; `service`, `status`, `created_at`, `expires_at` and `first_login_at` are decided.
struct CreateAccount {
    Account account;       ///< username, plan_id, mac (may be empty), owner_path.
    std::string password;  ///< In clear: 4 to 128 characters, no control characters.
    std::string command_id;
};
/// Moves an account to another plan (or renews a spent one on the same plan); its allowance
/// starts again from now: time from now, data and online time from `usage`.
struct ChangePlan {
    std::string username;
    std::string plan_id;
    std::string command_id;
    /// The account's usage totals across all its sessions now (events/hotspot SessionService
    /// usage()); recorded in the event as the base the new allowance counts from.
    Usage usage;
};
struct ChangePassword {
    std::string username;
    std::string password;         ///< In clear, checked as for CreateAccount.
    std::string password_sealed;  ///< Sealed by the events layer.
    std::string command_id;
};
/// Binds the account to a MAC, or removes the binding when `mac` is empty.
struct BindMac {
    std::string username;
    std::string mac;  ///< Any form normalize_mac accepts.
    std::string command_id;
};
struct DisableAccount {
    std::string username;
    std::string reason;  ///< At most 256 characters.
    std::string command_id;
};
struct EnableAccount {
    std::string username;
    std::string command_id;
};
/// The first Access-Accept or Accounting-Start of the account, at `at`.
struct RecordFirstLogin {
    std::string username;
    Timestamp at{};
    std::string command_id;
};
/// Records that the account's expires_at has passed (the expiry timer).
struct ExpireAccount {
    std::string username;
    std::string command_id;
};
/// Records that a limit is used up (the accounting side, from interim counters).
struct MarkExhausted {
    std::string username;
    ExhaustedLimit limit = ExhaustedLimit::Data;
    std::string command_id;
};
/// Adds time, data or online time (staff, or a stacked voucher with `voucher_code`).
struct ExtendAccount {
    std::string username;
    std::int64_t add_seconds = 0;
    std::int64_t add_data_bytes = 0;
    std::int64_t add_session_seconds = 0;
    std::string voucher_code;
    std::string command_id;
};

void evolve(AccountState& state, const AccountEvent& event);

/// @errors Invalid naming `username` (not 1 to 64 of `[A-Za-z0-9._@+-]`), `password`, `mac`
///         (see normalize_mac), `owner_path`, `command_id`; NotFound naming `plan_id` for an
///         unknown plan; Rejected naming `plan_id` for a retired plan, one outside its validity
///         window, or one of another reseller; Conflict naming `username` when the account
///         exists.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const CatalogState& catalog,
                                         const CreateAccount& c, const DecisionContext& ctx);
/// The same plan again decides nothing unless the account is expired or exhausted (a renewal).
/// @errors NotFound naming `username`; NotFound/Rejected naming `plan_id` as for CreateAccount.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const CatalogState& catalog,
                                         const ChangePlan& c, const DecisionContext& ctx);
/// @errors NotFound naming `username`; Invalid naming `password`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const ChangePassword& c,
                                         const DecisionContext& ctx);
/// The binding it already has decides nothing. @errors NotFound naming `username`; Invalid
/// naming `mac`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const BindMac& c,
                                         const DecisionContext& ctx);
/// @errors NotFound naming `username`; Invalid naming `reason`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const DisableAccount& c,
                                         const DecisionContext& ctx);
/// @errors NotFound naming `username`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const EnableAccount& c,
                                         const DecisionContext& ctx);
/// A second login decides nothing. @errors NotFound naming `username`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const CatalogState& catalog,
                                         const RecordFirstLogin& c, const DecisionContext& ctx);
/// An account already expired decides nothing. @errors NotFound naming `username`; Rejected
/// naming `expires_at` when it has no expiry or it lies after ctx.now.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const ExpireAccount& c,
                                         const DecisionContext& ctx);
/// An account already exhausted decides nothing. @errors NotFound naming `username`.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const MarkExhausted& c,
                                         const DecisionContext& ctx);
/// Time is added from max(now, expires_at), so an expired account gets the full time.
/// @errors NotFound naming `username`; Invalid naming `add_seconds`, `add_data_bytes` or
///         `add_session_seconds` when negative or above ten years / 2^60 bytes, or when all are
///         zero.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const ExtendAccount& c,
                                         const DecisionContext& ctx);

/// True for a RADIUS User-Name an account may have: 1 to 64 of `[A-Za-z0-9._@+-]`.
bool valid_username(std::string_view username) noexcept;

/// A MAC address in the canonical form `aa:bb:cc:dd:ee:ff`, from `AA:BB:CC:DD:EE:FF`,
/// `aa-bb-cc-dd-ee-ff` (RFC 3580 section 3.21 Calling-Station-Id), `aabb.ccdd.eeff` (Cisco) or
/// `aabbccddeeff`. @returns none for anything else.
std::optional<std::string> normalize_mac(std::string_view text);

/// The plan `plan_id` of `catalog` when an account of `owner_path` may be put on it at `now`.
/// @errors NotFound naming `field` for an unknown plan; Rejected naming `field` for a retired
///         plan, one outside its validity window (valid_from, valid_until), or a plan of
///         another reseller (its owner path does not cover `owner_path`).
Result<Plan> usable_plan(const CatalogState& catalog, const std::string& plan_id,
                         const std::string& owner_path, Timestamp now, const char* field);

/// The status an account has at `now` when nothing (staff) holds it: expired when expires_at
/// has passed, exhausted when a limit is used up, else active.
AccountStatus natural_status(const AccountState& s, Timestamp now);

}  // namespace switchyard::core::hotspot
