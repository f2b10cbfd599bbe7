#pragma once
/// Users of the platform and their sessions (DESIGN.md: identity). A user is the aggregate
/// `user-<id>`; its sessions live in the same stream, so the concurrency cap is decided against
/// one revision. The stream `username-<tenant>-<username>` reserves a username: created with
/// "no stream expected", a second claim of the same name conflicts.
///
/// Tenancy is a tree: the operator, then resellers (nested), then their customers and IPTV lines.
/// Every user and every owned resource carries an owner path: `/` for the operator's own, and
/// `<owner path of the reseller><reseller id>/` below a reseller, e.g. `/u_1/u_7/`. A principal's
/// scope is the owner path of what it may see: `/` for the operator's staff, its own subtree
/// (`<owner path><id>/`) for a reseller.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::identity {

/// Roles, as the specifications name them. They are ordered by their rights, partially (see
/// role_covers): `admin` holds every right; `reseller` holds its customers' rights (it acts for
/// them) and its own; `support` (reads the operator's data and audit trail), `customer` and
/// `carrier` stand beside each other, none above another, and none above `reseller`.
enum class Role { Admin, Reseller, Support, Customer, Carrier };
/// Wire name: `admin`, `reseller`, `support`, `customer`, `carrier`.
const char* to_string(Role role) noexcept;
/// Parses a wire name; false when unknown.
bool parse_role(std::string_view text, Role& out) noexcept;
/// Whether `holder` has every right of `other`: the same role, `admin` over all, `reseller`
/// over `customer` (the order documented at Role).
bool role_covers(Role holder, Role other) noexcept;

/// Who acts, as far as authorization goes: a signed-in user or an API key.
struct Principal {
    std::string id;  ///< User id (`u_...`) or key id (`k_...`).
    Role role = Role::Admin;
    std::string scope = "/";  ///< Owner-path prefix of everything this principal may reach.
    std::string user_id;      ///< The user behind a key or session; empty for operator keys.
    bool api_key = false;     ///< An API key; else a user's session (or a tool of the operator).
    std::vector<std::string> route_prefixes;  ///< An API key's allowed paths; empty = all.
    std::optional<Timestamp> expires_at;      ///< When an API key ends; none = never.
    /// When this credential last proved a second factor: the start of a session signed in with
    /// a TOTP or backup code. None for API keys and for sessions signed in without one.
    std::optional<Timestamp> second_factor_at;
};

/// How long a second factor proven at sign-in lets an admin's session make security changes.
inline constexpr std::chrono::minutes kFreshSecondFactor{10};

/// Security changes of an admin's session (its password, keys with admin rights) need a second
/// factor proven in the last kFreshSecondFactor: a sign-in with a TOTP or backup code. Other
/// roles need none, and so do API keys: a key is held to its own rights instead (it never
/// reaches passwords or second factors, and manages no key stronger than itself).
/// @errors Forbidden naming `totp` for an admin's session without a fresh second factor.
Result<void> require_fresh_second_factor(const Principal& principal, Timestamp now);

/// True when an owner path lies inside `scope` (`/u_1/` covers `/u_1/` and `/u_1/u_7/`).
bool in_scope(std::string_view scope, std::string_view owner_path) noexcept;

// ---- events ----

struct UsernameClaimed {
    static constexpr std::string_view kType = "identity.username.claimed";
    std::string username;  ///< As given (the stream name uses its lower-case form).
    std::string user_id;
};
struct UserCreated {
    static constexpr std::string_view kType = "identity.user.created";
    std::string user_id;  ///< `u_` + UUIDv7.
    std::string username;
    Role role = Role::Customer;
    std::string parent_id;      ///< The owning reseller; empty for the operator's own users.
    std::string owner_path;     ///< `/` or `/.../<parent_id>/`.
    std::string password_hash;  ///< argon2id PHC string; the password is never stored.
    Timestamp created_at;
};
struct PasswordChanged {
    static constexpr std::string_view kType = "identity.user.password_changed";
    std::string user_id;
    std::string password_hash;
    Timestamp changed_at;
};
struct SessionStarted {
    static constexpr std::string_view kType = "identity.session.started";
    std::string session_id;  ///< `s_` + UUIDv7.
    std::string user_id;
    std::string token_hash;  ///< SHA-256 hex of the token; the token is shown once.
    Timestamp started_at;
    Timestamp expires_at;  ///< Absolute end, whatever the activity.
    std::string ip;
    /// Empty for a full session; `password_expired` when the password is older than the policy
    /// allows (the session may only change it); `totp_enrollment` when the role requires
    /// two-factor authentication that the user has not enabled yet (it may only enable it).
    std::string restriction;
    bool second_factor = false;  ///< The sign-in proved a second factor (TOTP or backup code).
};
/// Why a session ended: `logout`, `revoked` (revoke all), `evicted` (over the concurrency cap).
struct SessionEnded {
    static constexpr std::string_view kType = "identity.session.ended";
    std::string session_id;
    std::string user_id;
    std::string reason;
    Timestamp ended_at;
};

/// Two-factor setup began: a new TOTP seed, sealed under the master key (events/secret_box.hpp).
struct TotpSetupStarted {
    static constexpr std::string_view kType = "identity.totp.setup_started";
    std::string user_id;
    std::string secret_sealed;
    Timestamp at;
};
/// Two-factor authentication is on: the seed of the setup, the step of the code that proved
/// it, and keyed hashes of 10 single-use backup codes.
struct TotpEnabled {
    static constexpr std::string_view kType = "identity.totp.enabled";
    std::string user_id;
    std::int64_t step{};
    std::vector<std::string> backup_code_hashes;
    Timestamp at;
};
/// A sign-in used the TOTP code of `step` (no code of that step or earlier is accepted again).
struct TotpUsed {
    static constexpr std::string_view kType = "identity.totp.used";
    std::string user_id;
    std::int64_t step{};
};
/// A sign-in used backup code `index` (0-9); it is spent.
struct BackupCodeUsed {
    static constexpr std::string_view kType = "identity.backup_code.used";
    std::string user_id;
    int index{};
};
struct TotpDisabled {
    static constexpr std::string_view kType = "identity.totp.disabled";
    std::string user_id;
    Timestamp at;
};
/// A TOTP seed sealed again under a new master key (`admin rotate-master-key`); `pending`
/// says whether it is the seed of an unfinished setup.
struct TotpResealed {
    static constexpr std::string_view kType = "identity.totp.resealed";
    std::string user_id;
    std::string secret_sealed;
    bool pending = false;
};
/// The networks (CIDR text, validated by the caller) the user may sign in and act from;
/// empty = anywhere.
struct AllowlistSet {
    static constexpr std::string_view kType = "identity.user.allowlist_set";
    std::string user_id;
    std::vector<std::string> cidrs;
};

using UserEvent =
    std::variant<UserCreated, PasswordChanged, SessionStarted, SessionEnded, TotpSetupStarted,
                 TotpEnabled, TotpUsed, BackupCodeUsed, TotpDisabled, AllowlistSet, TotpResealed>;

// ---- state ----

struct UserState {
    struct Session {
        std::string session_id, token_hash;
        Timestamp started_at, expires_at;
    };
    bool exists = false;
    std::string user_id, username, parent_id, owner_path, password_hash;
    Role role = Role::Customer;
    std::vector<std::string> previous_hashes;  ///< Older password hashes, newest last.
    Timestamp password_changed_at;
    std::vector<Session> sessions;    ///< Not ended, in start order (may be past expires_at).
    std::string totp_pending_sealed;  ///< Seed of a setup not yet enabled.
    std::string totp_sealed;          ///< Seed in use; empty when two-factor is off.
    std::int64_t last_totp_step = -1;
    std::vector<std::string> backup_code_hashes;  ///< Spent codes are empty strings.
    std::vector<std::string> allowlist;           ///< CIDR text; empty = anywhere.
    bool totp_enabled() const { return !totp_sealed.empty(); }
    /// The scope this user's own resources live in: `<owner_path><user_id>/`.
    std::string own_scope() const { return owner_path + user_id + "/"; }
};

void evolve(UserState& state, const UserEvent& event);

inline std::string user_stream(const std::string& user_id) { return "user-" + user_id; }
/// A username as it is compared: lower-cased (names are unique without regard to case).
std::string username_key(std::string_view username);
/// The reservation stream of a username: `username-<tenant>-<username_key>`.
std::string username_stream(const std::string& tenant, std::string_view username);

// ---- commands ----

/// Session limits (issue 4 defaults: 30 minutes idle, 12 hours absolute, 3 per user).
struct SessionPolicy {
    std::chrono::seconds idle_timeout = std::chrono::minutes(30);
    std::chrono::seconds absolute_lifetime = std::chrono::hours(12);
    std::size_t max_sessions = 3;
};

/// Creates a user. The password arrives hashed; the caller checked the policy.
struct CreateUser {
    std::string user_id;   ///< Chosen by the caller (`u_` + UUIDv7).
    std::string username;  ///< 3 to 64 of `A-Z a-z 0-9 . _ - @`.
    Role role = Role::Customer;
    std::optional<std::string> parent_id;  ///< Owning reseller; default: the creator if a
                                           ///< reseller, else the operator.
    std::string password_hash;
};

/// Decides a new user. `parent` is the state of the parent (when one is named or implied).
/// Rules: admins create any role anywhere; resellers create resellers and customers, only with
/// themselves or a reseller of their subtree as parent; nobody else creates users. A parent must
/// be a reseller. An admin's session creates admins only with a fresh second factor
/// (require_fresh_second_factor).
/// @errors Invalid naming `username`; Forbidden naming `role`, `parent_id` or `totp`; NotFound
///         naming `parent_id`.
Result<std::vector<UserEvent>> decide(const Principal& creator, const UserState* parent,
                                      const CreateUser& c, const DecisionContext& ctx);

/// Starts a session for a user whose password (and second factor) the caller verified.
/// Sessions past their absolute end do not count. At the cap, the oldest live sessions are
/// ended (`evicted`) to make room. `second_factor` says whether the sign-in proved one.
std::vector<UserEvent> decide_start_session(const UserState& user, const std::string& session_id,
                                            const std::string& token_hash, const std::string& ip,
                                            const SessionPolicy& policy, const DecisionContext& ctx,
                                            const std::string& restriction = {},
                                            bool second_factor = false);

/// How a sign-in proved the second factor, as the caller checked it against the opened seed.
struct SecondFactor {
    std::optional<std::int64_t> totp_step;  ///< The step a TOTP code matched.
    std::optional<int> backup_index;        ///< The backup code that matched.
};

/// The second-factor events of a sign-in of a user with two-factor on.
/// @errors Unauthorized naming `totp` when nothing matched, or when the code's step is not
///         after the last one used (a code is good once).
Result<std::vector<UserEvent>> decide_second_factor(const UserState& user, const SecondFactor& f);

/// Starts a two-factor setup with a sealed new seed. @errors Rejected naming `totp` when
/// two-factor is already on (disable it first).
Result<std::vector<UserEvent>> decide_totp_setup(const UserState& user,
                                                 const std::string& secret_sealed,
                                                 const DecisionContext& ctx);
/// Enables two-factor with the pending seed. @errors Rejected naming `totp` without a pending
/// setup; Unauthorized naming `code` when `step` is empty (the code did not match).
Result<std::vector<UserEvent>> decide_totp_enable(const UserState& user,
                                                  const std::optional<std::int64_t>& step,
                                                  std::vector<std::string> backup_code_hashes,
                                                  const DecisionContext& ctx);
/// Turns two-factor off after a matching code. @errors Rejected naming `totp` when it is off;
/// Unauthorized as decide_second_factor.
Result<std::vector<UserEvent>> decide_totp_disable(const UserState& user, const SecondFactor& f,
                                                   const DecisionContext& ctx);

/// Sets a user's allowlist. The user's own session, or an admin or reseller whose scope holds
/// the user and whose role covers the user's (role_covers), may.
/// @errors NotFound naming `id` for an unknown user or one outside the editor's rights;
///         Forbidden naming `authorization` for an API key of the user itself (a user's own
///         sign-in security needs the user's session).
Result<std::vector<UserEvent>> decide_set_allowlist(const Principal& editor, const UserState& user,
                                                    std::vector<std::string> cidrs);

/// Ends one session (`logout`) or all (`revoked`). Ending an unknown or ended session is a no-op.
std::vector<UserEvent> decide_end_sessions(const UserState& user,
                                           const std::optional<std::string>& session_id,
                                           const DecisionContext& ctx);

/// Changes the password to `new_hash`; `reused` says whether the caller found the new password
/// among the current and the last `history` hashes (argon2 checks are not the decider's job).
/// @errors NotFound for an unknown user; Invalid naming `password` when reused.
Result<std::vector<UserEvent>> decide_change_password(const UserState& user,
                                                      const std::string& new_hash, bool reused,
                                                      const DecisionContext& ctx);

}  // namespace switchyard::core::identity
