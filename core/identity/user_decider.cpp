#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/identity/user.hpp"
#include "core/overloaded.hpp"

namespace switchyard::core::identity {

namespace {

constexpr std::pair<Role, const char*> kRoles[] = {{Role::Admin, "admin"},
                                                   {Role::Reseller, "reseller"},
                                                   {Role::Support, "support"},
                                                   {Role::Customer, "customer"},
                                                   {Role::Carrier, "carrier"}};

bool valid_username(std::string_view u) {
    if (u.size() < 3 || u.size() > 64) return false;
    return std::all_of(u.begin(), u.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
               c == '@';
    });
}

}  // namespace

const char* to_string(Role role) noexcept {
    for (const auto& [r, name] : kRoles) {
        if (r == role) return name;
    }
    return "customer";
}

bool role_covers(Role holder, Role other) noexcept {
    return holder == other || holder == Role::Admin ||
           (holder == Role::Reseller && other == Role::Customer);
}

Result<void> require_fresh_second_factor(const Principal& p, Timestamp now) {
    if (p.role != Role::Admin || p.api_key) return {};
    const auto window = std::chrono::duration_cast<std::chrono::microseconds>(kFreshSecondFactor);
    if (p.second_factor_at && now - *p.second_factor_at <= window) return {};
    return fail(Errc::Forbidden, "totp",
                fmt::format("an admin's security change needs a sign-in with the second factor "
                            "(totp) in the last {} minutes: sign in again",
                            kFreshSecondFactor.count()));
}

bool parse_role(std::string_view text, Role& out) noexcept {
    for (const auto& [r, name] : kRoles) {
        if (text == name) {
            out = r;
            return true;
        }
    }
    return false;
}

bool in_scope(std::string_view scope, std::string_view owner_path) noexcept {
    return !scope.empty() && owner_path.starts_with(scope);
}

std::string username_key(std::string_view username) {
    std::string lower(username);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

std::string username_stream(const std::string& tenant, std::string_view username) {
    return "username-" + tenant + "-" + username_key(username);
}

void evolve(UserState& s, const UserEvent& event) {
    std::visit(
        Overloaded{
            [&](const UserCreated& e) {
                s.exists = true;
                s.user_id = e.user_id;
                s.username = e.username;
                s.role = e.role;
                s.parent_id = e.parent_id;
                s.owner_path = e.owner_path;
                s.password_hash = e.password_hash;
                s.password_changed_at = e.created_at;
            },
            [&](const PasswordChanged& e) {
                s.previous_hashes.push_back(s.password_hash);
                if (s.previous_hashes.size() > 16)
                    s.previous_hashes.erase(s.previous_hashes.begin());
                s.password_hash = e.password_hash;
                s.password_changed_at = e.changed_at;
            },
            [&](const SessionStarted& e) {
                s.sessions.push_back({e.session_id, e.token_hash, e.started_at, e.expires_at});
            },
            [&](const SessionEnded& e) {
                std::erase_if(s.sessions, [&](const UserState::Session& x) {
                    return x.session_id == e.session_id;
                });
            },
            [&](const TotpSetupStarted& e) { s.totp_pending_sealed = e.secret_sealed; },
            [&](const TotpEnabled& e) {
                s.totp_sealed = s.totp_pending_sealed;
                s.totp_pending_sealed.clear();
                s.last_totp_step = e.step;
                s.backup_code_hashes = e.backup_code_hashes;
            },
            [&](const TotpUsed& e) { s.last_totp_step = std::max(s.last_totp_step, e.step); },
            [&](const BackupCodeUsed& e) {
                if (e.index >= 0 && static_cast<std::size_t>(e.index) < s.backup_code_hashes.size())
                    s.backup_code_hashes[static_cast<std::size_t>(e.index)].clear();
            },
            [&](const AllowlistSet& e) { s.allowlist = e.cidrs; },
            [&](const TotpResealed& e) {
                (e.pending ? s.totp_pending_sealed : s.totp_sealed) = e.secret_sealed;
            },
            [&](const TotpDisabled&) {
                s.totp_sealed.clear();
                s.totp_pending_sealed.clear();
                s.backup_code_hashes.clear();
            },
        },
        event);
}

Result<std::vector<UserEvent>> decide(const Principal& creator, const UserState* parent,
                                      const CreateUser& c, const DecisionContext& ctx) {
    if (!valid_username(c.username)) {
        return fail(Errc::Invalid, "username", "must be 3 to 64 characters of A-Z a-z 0-9 . _ - @");
    }
    if (creator.role != Role::Admin && creator.role != Role::Reseller)
        return fail(Errc::Forbidden, "role",
                    fmt::format("a {} may not create users", to_string(creator.role)));
    if (creator.role == Role::Reseller && c.role != Role::Reseller && c.role != Role::Customer)
        return fail(Errc::Forbidden, "role",
                    fmt::format("a reseller may create resellers and customers, not a {}",
                                to_string(c.role)));
    // Another admin account would outlive a stolen session, like an admin key.
    if (c.role == Role::Admin) SY_TRY(require_fresh_second_factor(creator, ctx.now));
    UserCreated created;
    created.user_id = c.user_id;
    created.username = c.username;
    created.role = c.role;
    created.password_hash = c.password_hash;
    created.created_at = ctx.now;
    if (parent) {
        if (!parent->exists) return fail(Errc::NotFound, "parent_id", "no such user");
        if (parent->role != Role::Reseller)
            return fail(Errc::Invalid, "parent_id", "the parent must be a reseller");
        // A reseller may place users under itself or a reseller of its own subtree.
        if (!in_scope(creator.scope, parent->own_scope()))
            return fail(Errc::Forbidden, "parent_id", "the parent is outside your subtree");
        created.parent_id = parent->user_id;
        created.owner_path = parent->own_scope();
    } else {
        if (creator.role == Role::Reseller)
            return fail(Errc::Invalid, "parent_id", "a reseller's users need a parent");
        created.owner_path = "/";
    }
    if (c.role == Role::Admin || c.role == Role::Support) {
        if (created.owner_path != "/")
            return fail(
                Errc::Invalid, "role",
                fmt::format("a {} belongs to the operator, not to a reseller", to_string(c.role)));
    }
    return std::vector<UserEvent>{created};
}

std::vector<UserEvent> decide_start_session(const UserState& user, const std::string& session_id,
                                            const std::string& token_hash, const std::string& ip,
                                            const SessionPolicy& policy, const DecisionContext& ctx,
                                            const std::string& restriction, bool second_factor) {
    std::vector<UserEvent> out;
    std::vector<const UserState::Session*> live;
    for (const auto& s : user.sessions) {
        if (s.expires_at > ctx.now) live.push_back(&s);
    }
    // Oldest first (sessions are kept in start order): end enough to stay within the cap.
    const std::size_t keep = policy.max_sessions > 0 ? policy.max_sessions - 1 : 0;
    for (std::size_t i = 0; live.size() > keep && i < live.size() - keep; ++i)
        out.push_back(SessionEnded{live[i]->session_id, user.user_id, "evicted", ctx.now});
    const auto lifetime =
        std::chrono::duration_cast<std::chrono::microseconds>(policy.absolute_lifetime);
    out.push_back(SessionStarted{session_id, user.user_id, token_hash, ctx.now, ctx.now + lifetime,
                                 ip, restriction, second_factor});
    return out;
}

std::vector<UserEvent> decide_end_sessions(const UserState& user,
                                           const std::optional<std::string>& session_id,
                                           const DecisionContext& ctx) {
    std::vector<UserEvent> out;
    for (const auto& s : user.sessions) {
        if (session_id && s.session_id != *session_id) continue;
        out.push_back(
            SessionEnded{s.session_id, user.user_id, session_id ? "logout" : "revoked", ctx.now});
    }
    return out;
}

Result<std::vector<UserEvent>> decide_second_factor(const UserState& user, const SecondFactor& f) {
    if (f.totp_step) {
        if (*f.totp_step <= user.last_totp_step)
            return fail(Errc::Unauthorized, "totp",
                        "this code was used already; wait for the next");
        return std::vector<UserEvent>{TotpUsed{user.user_id, *f.totp_step}};
    }
    if (f.backup_index)
        return std::vector<UserEvent>{BackupCodeUsed{user.user_id, *f.backup_index}};
    return fail(Errc::Unauthorized, "totp", "the one-time code is wrong");
}

Result<std::vector<UserEvent>> decide_totp_setup(const UserState& user,
                                                 const std::string& secret_sealed,
                                                 const DecisionContext& ctx) {
    if (user.totp_enabled())
        return fail(Errc::Rejected, "totp", "two-factor authentication is on; disable it first");
    return std::vector<UserEvent>{TotpSetupStarted{user.user_id, secret_sealed, ctx.now}};
}

Result<std::vector<UserEvent>> decide_totp_enable(const UserState& user,
                                                  const std::optional<std::int64_t>& step,
                                                  std::vector<std::string> backup_code_hashes,
                                                  const DecisionContext& ctx) {
    if (user.totp_enabled())
        return fail(Errc::Rejected, "totp", "two-factor authentication is already on");
    if (user.totp_pending_sealed.empty())
        return fail(Errc::Rejected, "totp", "start with POST /v1/auth/2fa/setup");
    if (!step) return fail(Errc::Unauthorized, "code", "does not match the new secret");
    return std::vector<UserEvent>{
        TotpEnabled{user.user_id, *step, std::move(backup_code_hashes), ctx.now}};
}

Result<std::vector<UserEvent>> decide_totp_disable(const UserState& user, const SecondFactor& f,
                                                   const DecisionContext& ctx) {
    if (!user.totp_enabled())
        return fail(Errc::Rejected, "totp", "two-factor authentication is off");
    auto used = SY_TRY(decide_second_factor(user, f));
    used.push_back(TotpDisabled{user.user_id, ctx.now});
    return used;
}

Result<std::vector<UserEvent>> decide_set_allowlist(const Principal& editor, const UserState& user,
                                                    std::vector<std::string> cidrs) {
    const bool self = !editor.user_id.empty() && editor.user_id == user.user_id;
    if (!user.exists || (!self && !in_scope(editor.scope, user.owner_path)) ||
        (!self && editor.role != Role::Admin && editor.role != Role::Reseller) ||
        (!self && !role_covers(editor.role, user.role)))
        return fail(Errc::NotFound, "id", "no such user");
    if (self && editor.api_key)
        return fail(Errc::Forbidden, "authorization",
                    "an API key may not change its owner's allowlist; use the user's session");
    return std::vector<UserEvent>{AllowlistSet{user.user_id, std::move(cidrs)}};
}

Result<std::vector<UserEvent>> decide_change_password(const UserState& user,
                                                      const std::string& new_hash, bool reused,
                                                      const DecisionContext& ctx) {
    if (!user.exists) return fail(Errc::NotFound, "user_id", "no such user");
    if (reused) return fail(Errc::Invalid, "password", "must differ from your recent passwords");
    return std::vector<UserEvent>{PasswordChanged{user.user_id, new_hash, ctx.now}};
}

}  // namespace switchyard::core::identity
