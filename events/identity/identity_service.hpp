#pragma once
/// The identity command side: users, passwords and sessions of one tenant
/// (core/identity/user.hpp). Password checks (argon2id) happen here, outside the deciders.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/identity/password.hpp"
#include "events/identity/user_codec.hpp"
#include "events/secret_box.hpp"

namespace switchyard::events::identity {

/// Policies of the identity module; defaults as documented on each type.
struct IdentityOptions {
    PasswordPolicy password;
    PasswordHashCost hash_cost;
    core::identity::SessionPolicy session;
    /// Roles whose users must use two-factor authentication: until they enable it, their
    /// sessions may only enable it. Default: admins.
    std::vector<core::identity::Role> totp_required_roles{core::identity::Role::Admin};
    std::string totp_issuer = "Switchyard";  ///< Shown by authenticator apps.
};

/// A started two-factor setup: what the user scans or types into an authenticator app.
struct TotpSetup {
    std::string secret;       ///< base32 (RFC 4648), 160 random bits.
    std::string otpauth_uri;  ///< `otpauth://totp/...` for a QR code.
};

/// The backup codes of an enabled two-factor authentication: 10 single-use codes
/// (`xxxxx-xxxxx`), shown once; the log keeps keyed hashes.
struct BackupCodes {
    std::vector<std::string> codes;
};

/// A new user's id (`u_` + UUIDv7).
struct CreatedUser {
    std::string user_id;
};

/// A user to create, as the API receives it.
struct NewUser {
    std::string username, password;
    core::identity::Role role = core::identity::Role::Customer;
    std::optional<std::string> parent_id;
};

/// A started session. `token` is shown once: only its SHA-256 is stored.
struct StartedSession {
    std::string token;  ///< `syt_` + 43 URL-safe characters (256 random bits).
    std::string session_id, user_id;
    core::Timestamp expires_at;
    bool password_expired = false;  ///< The password is older than the policy allows.
    /// `password_expired` (change it first) or `totp_enrollment` (the role requires two-factor
    /// authentication that is not on yet); empty for a full session.
    std::string restriction;
};

/// @thread safe.
class IdentityService {
  public:
    /// `keyring` seals TOTP seeds (it must outlive the service).
    IdentityService(EventStore& store, std::string tenant, const MasterKeyring& keyring,
                    IdentityOptions options = {});
    ~IdentityService();

    const IdentityOptions& options() const;

    /// Creates a user after checking the password policy; appends the username claim and
    /// `identity.user.created` atomically.
    /// @errors Invalid naming `password` (policy) or `username`; Conflict naming `username` when
    ///         it is taken; Forbidden / NotFound as core::identity::decide.
    core::Result<CommandOutcome<CreatedUser>> create_user(const core::identity::Principal& creator,
                                                          const NewUser& user,
                                                          const core::DecisionContext& ctx);

    /// Checks username and password and starts a session (evicting the oldest over the cap).
    /// A failure appends `identity.login.failed` and answers Unauthorized without saying which
    /// of the two was wrong; unknown users cost the same argon2 work as known ones.
    /// With two-factor on, `totp` must hold a current TOTP code (6 digits, once per step) or
    /// an unspent backup code; a missing or wrong one is Unauthorized naming `totp`.
    core::Result<CommandOutcome<StartedSession>> login(const std::string& username,
                                                       const std::string& password,
                                                       const std::optional<std::string>& totp,
                                                       const core::DecisionContext& ctx);

    /// Starts a two-factor setup (RFC 6238: SHA-1, 30 s, 6 digits) with a new sealed seed.
    /// @errors Rejected naming `totp` when two-factor is on.
    core::Result<CommandOutcome<TotpSetup>> totp_setup(const std::string& user_id,
                                                       const core::DecisionContext& ctx);
    /// Enables two-factor once `code` matches the pending seed; returns 10 single-use backup
    /// codes (`xxxxx-xxxxx`, shown once, stored as keyed hashes via `ctx.hash_secret`).
    /// @errors Unauthorized naming `code`; Rejected naming `totp` without a pending setup.
    core::Result<CommandOutcome<BackupCodes>> totp_enable(const std::string& user_id,
                                                          const std::string& code,
                                                          const core::DecisionContext& ctx);
    /// Turns two-factor off after a current code or a backup code.
    core::Result<CommandOutcome<>> totp_disable(const std::string& user_id, const std::string& code,
                                                const core::DecisionContext& ctx);

    /// Appends `identity.login.failed` (used by callers that refuse a login before checking it,
    /// e.g. a locked-out source).
    core::Result<CommandOutcome<>> record_login_failure(const std::string& username,
                                                        const std::string& reason,
                                                        const core::DecisionContext& ctx);

    /// Appends `identity.source.locked` (a lockout began).
    core::Result<CommandOutcome<>> record_lockout(const SourceLocked& lock,
                                                  const core::DecisionContext& ctx);

    /// Ends one session of the user (logout), or all of them when `session_id` is empty.
    /// Unchanged when nothing was live.
    core::Result<CommandOutcome<>> end_sessions(const std::string& user_id,
                                                const std::optional<std::string>& session_id,
                                                const core::DecisionContext& ctx);

    /// Changes a user's password: the current one must verify, the new one must meet the policy
    /// and differ from the current and the last `history` ones. Ends no session.
    /// @errors Unauthorized naming `current_password`; Invalid naming `password`.
    core::Result<CommandOutcome<>> change_password(const std::string& user_id,
                                                   const std::string& current_password,
                                                   const std::string& new_password,
                                                   const core::DecisionContext& ctx);

    /// Sets the networks `user_id` may act from (CIDR text the caller validated; empty =
    /// anywhere). @errors NotFound naming `id` as core::identity::decide_set_allowlist.
    core::Result<CommandOutcome<>> set_allowlist(const core::identity::Principal& editor,
                                                 const std::string& user_id,
                                                 std::vector<std::string> cidrs,
                                                 const core::DecisionContext& ctx);

    /// Seals every TOTP seed again under the keyring's current key (after `rotate`): each seed
    /// not sealed with it is opened with an older key and appended as `identity.totp.resealed`.
    /// @returns how many seeds were sealed again. @errors Invalid naming `sealed` when a seed
    ///          cannot be opened (its key is gone); the store's errors.
    core::Result<int> reseal_secrets(const core::DecisionContext& ctx);

    /// The user's current state. @errors NotFound naming `user_id`.
    core::Result<core::identity::UserState> user(const std::string& user_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::identity
