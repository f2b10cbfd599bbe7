#include "events/identity/identity_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/identity/session_restriction.hpp"
#include "events/command_handler.hpp"
#include "events/identity/totp.hpp"
#include "events/identity/user_codec.hpp"
#include "events/json_reader.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::identity {

using namespace core::identity;
using core::Errc;

namespace {

/// NotFound naming `user_id` for a user that does not exist.
core::Result<void> require_user(const UserState& user) {
    if (!user.exists) return core::fail(Errc::NotFound, "user_id", "no such user");
    return {};
}

}  // namespace

struct IdentityService::Impl {
    Impl(EventStore& s, std::string t, const MasterKeyring& k, IdentityOptions o)
        : store(s),
          tenant(std::move(t)),
          keyring(k),
          options(std::move(o)),
          users(s, [](const RecordedEvent& e) { return decode_user_event(e); }) {
        // Verified against when the username is unknown, so both cases cost the same.
        dummy_hash = hash_password("not a password of anyone", options.hash_cost).value_or("");
    }

    /// Runs a command on one user's stream: `decide(user)` gives the events, appended with the
    /// revision they were decided on (nothing is appended when it decides none).
    template <class Decide>
    core::Result<AppendResult> on_user(const std::string& user_id, const core::DecisionContext& ctx,
                                       Decide decide) {
        return execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [user, rev] = SY_TRY(users.load(user_stream(user_id)));
            std::vector<UserEvent> events = SY_TRY(decide(user));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{user_stream(user_id), ExpectedRevision::at(rev),
                                             to_new_events(events, encode, ctx, tenant)}};
        });
    }

    /// The user id that claimed `username`, from its reservation stream.
    core::Result<std::optional<std::string>> user_id_of(const std::string& username) {
        auto events = SY_TRY(store.read_stream(username_stream(tenant, username), 0, 1));
        if (events.empty()) return std::optional<std::string>();
        return with_json_object(events[0].data, [](const JsonObject& o) {
            return std::optional<std::string>(o.str("user_id"));
        });
    }

    /// How `code` proves the second factor of `user`: a TOTP code of the seed in `sealed`, or
    /// one of the unspent backup codes (compared as keyed hashes, in constant time).
    SecondFactor check_factor(const UserState& user, const std::string& sealed,
                              const std::string& code, const core::DecisionContext& ctx) const {
        SecondFactor f;
        const bool digits =
            std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (code.size() == 6 && digits) {
            auto seed = keyring.open(sealed, "totp:" + user.user_id);
            if (seed) f.totp_step = totp_match(*seed, code, core::unix_seconds(ctx.now));
            return f;
        }
        if (!ctx.hash_secret || code.size() > 32) return f;
        std::string normalized;
        for (char c : code) {
            if (c != '-' && c != ' ')
                normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const auto hash = ctx.hash_secret(normalized);
        for (std::size_t i = 0; i < user.backup_code_hashes.size(); ++i) {
            const auto& stored = user.backup_code_hashes[i];
            if (stored.size() == hash.size() &&
                sodium_memcmp(stored.data(), hash.data(), hash.size()) == 0)
                f.backup_index = static_cast<int>(i);
        }
        return f;
    }

    /// Appends a refused-sign-in event to the tenant's `auth_failures-<tenant>` stream.
    core::Result<CommandOutcome<>> append_auth_event(EncodedEvent event,
                                                     const core::DecisionContext& ctx) {
        return outcome_of(
            SY_TRY(store.append({{"auth_failures-" + tenant,
                                  ExpectedRevision::any(),
                                  {make_new_event(std::move(event), ctx, tenant)}}})));
    }

    bool totp_required(Role role) const {
        const auto& r = options.totp_required_roles;
        return std::find(r.begin(), r.end(), role) != r.end();
    }

    EventStore& store;
    std::string tenant;
    const MasterKeyring& keyring;
    IdentityOptions options;
    AggregateLoader<UserState, UserEvent> users;
    std::string dummy_hash;
};

IdentityService::IdentityService(EventStore& store, std::string tenant,
                                 const MasterKeyring& keyring, IdentityOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), keyring, std::move(options))) {}
IdentityService::~IdentityService() = default;

const IdentityOptions& IdentityService::options() const { return impl_->options; }

core::Result<CommandOutcome<CreatedUser>> IdentityService::create_user(
    const Principal& creator, const NewUser& u, const core::DecisionContext& ctx) {
    SY_TRY(check_password_policy(impl_->options.password, u.password));
    CreateUser c;
    c.user_id = "u_" + new_uuid_v7(ctx.now);
    c.username = u.username;
    c.role = u.role;
    c.password_hash = SY_TRY(hash_password(u.password, impl_->options.hash_cost));
    // A reseller's users go under the reseller unless it names a sub-reseller.
    std::optional<std::string> parent_id = u.parent_id;
    if (!parent_id && creator.role == Role::Reseller) parent_id = creator.user_id;
    auto appended = execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
        std::optional<UserState> parent;
        if (parent_id) parent = SY_TRY(impl_->users.load(user_stream(*parent_id))).first;
        auto events = SY_TRY(decide(creator, parent ? &*parent : nullptr, c, ctx));
        const auto& tenant = impl_->tenant;
        return std::vector<StreamWrite>{
            {username_stream(tenant, u.username),
             ExpectedRevision::no_stream(),
             {make_new_event(encode(UsernameClaimed{u.username, c.user_id}), ctx, tenant)}},
            {user_stream(c.user_id), ExpectedRevision::no_stream(),
             to_new_events(events, encode, ctx, tenant)}};
    });
    if (!appended) {
        // The reservation stream exists: the name is taken (retries saw the same).
        if (appended.error().code == Errc::Conflict)
            return core::fail(Errc::Conflict, "username", "is taken");
        return tl::unexpected(appended.error());
    }
    return outcome_of(*appended, CreatedUser{c.user_id});
}

core::Result<CommandOutcome<StartedSession>> IdentityService::login(
    const std::string& username, const std::string& password,
    const std::optional<std::string>& totp, const core::DecisionContext& ctx) {
    auto refuse = [&](const char* reason) -> core::Result<CommandOutcome<StartedSession>> {
        SY_TRY(record_login_failure(username, reason, ctx));
        return core::fail(Errc::Unauthorized, "password", "wrong username or password");
    };
    auto user_id = SY_TRY(impl_->user_id_of(username));
    if (!user_id) {
        (void)verify_password(impl_->dummy_hash, password);
        return refuse("unknown_user");
    }
    auto [user, revision] = SY_TRY(impl_->users.load(user_stream(*user_id)));
    if (!user.exists || !verify_password(user.password_hash, password))
        return refuse("bad_password");
    if (user.totp_enabled() && !totp) {
        // The password was right: say what is missing (nothing is recorded; no attempt yet).
        return core::fail(Errc::Unauthorized, "totp",
                          "two-factor authentication is on: send the one-time code as totp");
    }
    StartedSession out;
    out.token = "syt_" + random_token(32);
    out.session_id = "s_" + new_uuid_v7(ctx.now);
    out.user_id = *user_id;
    const auto token_hash = sha256_hex(out.token);
    auto attempt = impl_->on_user(
        *user_id, ctx, [&](const UserState& current) -> core::Result<std::vector<UserEvent>> {
            std::vector<UserEvent> events;
            if (current.totp_enabled()) {
                auto factor = impl_->check_factor(current, current.totp_sealed, *totp, ctx);
                events = SY_TRY(decide_second_factor(current, factor));
            }
            // An expired password must be changed before anything else; then a required second
            // factor must be turned on.
            const auto max_age = std::chrono::duration_cast<std::chrono::microseconds>(
                impl_->options.password.max_age);
            out.password_expired =
                max_age.count() > 0 && ctx.now - current.password_changed_at > max_age;
            out.restriction = to_string(sign_in_restriction(
                out.password_expired, impl_->totp_required(current.role), current.totp_enabled()));
            // With two-factor on, the code was checked above (or the sign-in failed).
            auto started = decide_start_session(current, out.session_id, token_hash, ctx.actor.ip,
                                                impl_->options.session, ctx, out.restriction,
                                                current.totp_enabled());
            for (const auto& e : started) {
                if (auto* s = std::get_if<SessionStarted>(&e)) out.expires_at = s->expires_at;
            }
            events.insert(events.end(), started.begin(), started.end());
            return events;
        });
    if (!attempt && attempt.error().field == "totp") {
        SY_TRY(record_login_failure(username, "bad_totp", ctx));
        return tl::unexpected(attempt.error());
    }
    return outcome_of(SY_TRY(std::move(attempt)), std::move(out));
}

core::Result<CommandOutcome<>> IdentityService::record_login_failure(
    const std::string& username, const std::string& reason, const core::DecisionContext& ctx) {
    // Names outside the username rules are recorded cut short, never as given.
    return impl_->append_auth_event(
        encode(LoginFailed{username.substr(0, 64), ctx.actor.ip, reason}), ctx);
}

core::Result<CommandOutcome<>> IdentityService::record_lockout(const SourceLocked& lock,
                                                               const core::DecisionContext& ctx) {
    return impl_->append_auth_event(encode(lock), ctx);
}

core::Result<CommandOutcome<>> IdentityService::end_sessions(
    const std::string& user_id, const std::optional<std::string>& session_id,
    const core::DecisionContext& ctx) {
    return outcome_of(SY_TRY(impl_->on_user(
        user_id, ctx, [&](const UserState& user) -> core::Result<std::vector<UserEvent>> {
            SY_TRY(require_user(user));
            return decide_end_sessions(user, session_id, ctx);
        })));
}

core::Result<CommandOutcome<>> IdentityService::change_password(const std::string& user_id,
                                                                const std::string& current_password,
                                                                const std::string& new_password,
                                                                const core::DecisionContext& ctx) {
    auto [user, revision] = SY_TRY(impl_->users.load(user_stream(user_id)));
    if (!user.exists) return core::fail(Errc::NotFound, "user_id", "no such user");
    if (!verify_password(user.password_hash, current_password))
        return core::fail(Errc::Unauthorized, "current_password", "is wrong");
    SY_TRY(check_password_policy(impl_->options.password, new_password));
    // The current password and the last `history` ones may not come back.
    bool reused = verify_password(user.password_hash, new_password);
    const auto history = static_cast<std::size_t>(std::max(impl_->options.password.history, 0));
    const auto& previous = user.previous_hashes;
    for (std::size_t i = previous.size() > history ? previous.size() - history : 0;
         !reused && i < previous.size(); ++i) {
        reused = verify_password(previous[i], new_password);
    }
    const auto new_hash = SY_TRY(hash_password(new_password, impl_->options.hash_cost));
    return outcome_of(SY_TRY(impl_->on_user(
        user_id, ctx, [&](const UserState& current) -> core::Result<std::vector<UserEvent>> {
            if (current.password_hash != user.password_hash)
                return core::fail(Errc::Conflict, "password", "changed meanwhile; try again");
            return decide_change_password(current, new_hash, reused, ctx);
        })));
}

core::Result<CommandOutcome<TotpSetup>> IdentityService::totp_setup(
    const std::string& user_id, const core::DecisionContext& ctx) {
    std::string seed(20, '\0');  // 160 bits, the RFC 4226 recommendation for SHA-1
    randombytes_buf(seed.data(), seed.size());
    const auto sealed = impl_->keyring.seal(seed, "totp:" + user_id);
    TotpSetup out{base32_encode(seed), ""};
    auto appended = SY_TRY(impl_->on_user(
        user_id, ctx, [&](const UserState& user) -> core::Result<std::vector<UserEvent>> {
            SY_TRY(require_user(user));
            out.otpauth_uri = otpauth_uri(impl_->options.totp_issuer, user.username, seed);
            return decide_totp_setup(user, sealed, ctx);
        }));
    return outcome_of(appended, std::move(out));
}

core::Result<CommandOutcome<BackupCodes>> IdentityService::totp_enable(
    const std::string& user_id, const std::string& code, const core::DecisionContext& ctx) {
    if (!ctx.hash_secret)
        return core::fail(Errc::Internal, "totp", "no keyed hash for backup codes");
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < 10; ++i) {
        std::string bytes(7, '\0');
        randombytes_buf(bytes.data(), bytes.size());
        auto text = base32_encode(bytes).substr(0, 10);  // 50 random bits
        for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        hashes.push_back(ctx.hash_secret(text));
        codes.push_back(text.substr(0, 5) + "-" + text.substr(5));
    }
    auto appended = SY_TRY(impl_->on_user(
        user_id, ctx, [&](const UserState& user) -> core::Result<std::vector<UserEvent>> {
            SY_TRY(require_user(user));
            std::optional<std::int64_t> step;
            if (!user.totp_pending_sealed.empty())
                step = impl_->check_factor(user, user.totp_pending_sealed, code, ctx).totp_step;
            return decide_totp_enable(user, step, hashes, ctx);
        }));
    return outcome_of(appended, BackupCodes{std::move(codes)});
}

core::Result<CommandOutcome<>> IdentityService::totp_disable(const std::string& user_id,
                                                             const std::string& code,
                                                             const core::DecisionContext& ctx) {
    return outcome_of(SY_TRY(impl_->on_user(
        user_id, ctx, [&](const UserState& user) -> core::Result<std::vector<UserEvent>> {
            SY_TRY(require_user(user));
            auto factor = impl_->check_factor(user, user.totp_sealed, code, ctx);
            return decide_totp_disable(user, factor, ctx);
        })));
}

core::Result<CommandOutcome<>> IdentityService::set_allowlist(const Principal& editor,
                                                              const std::string& user_id,
                                                              std::vector<std::string> cidrs,
                                                              const core::DecisionContext& ctx) {
    return outcome_of(SY_TRY(impl_->on_user(user_id, ctx, [&](const UserState& user) {
        return decide_set_allowlist(editor, user, cidrs);
    })));
}

core::Result<int> IdentityService::reseal_secrets(const core::DecisionContext& ctx) {
    // Users with a seed are those with a two-factor setup in the log.
    std::set<std::string> users;
    for (const auto& stream : SY_TRY(streams_with_event(impl_->store, TotpSetupStarted::kType)))
        users.insert(stream.substr(5));  // user-<id>
    int resealed = 0;
    const auto& ring = impl_->keyring;
    for (const auto& user_id : users) {
        auto appended = SY_TRY(impl_->on_user(
            user_id, ctx, [&](const UserState& user) -> core::Result<std::vector<UserEvent>> {
                std::vector<UserEvent> events;
                const auto context = "totp:" + user_id;
                for (auto [sealed, pending] : {std::pair{&user.totp_sealed, false},
                                               std::pair{&user.totp_pending_sealed, true}}) {
                    if (sealed->empty() || ring.sealed_with_current(*sealed)) continue;
                    auto seed = SY_TRY(ring.open(*sealed, context));
                    events.push_back(TotpResealed{user_id, ring.seal(seed, context), pending});
                }
                return events;
            }));
        for (const auto& w : appended.writes) resealed += static_cast<int>(w.positions.size());
    }
    return resealed;
}

core::Result<UserState> IdentityService::user(const std::string& user_id) {
    auto [user, revision] = SY_TRY(impl_->users.load(user_stream(user_id)));
    if (!user.exists) return core::fail(Errc::NotFound, "user_id", "no such user");
    return user;
}

}  // namespace switchyard::events::identity
