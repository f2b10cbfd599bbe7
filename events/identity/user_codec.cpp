#include "events/identity/user_codec.hpp"
#include "core/overloaded.hpp"

#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::events::identity {

namespace json = boost::json;
using namespace core::identity;

namespace {

EncodedEvent make(const char* type, const json::object& o) { return {type, 1, json::serialize(o)}; }

}  // namespace

EncodedEvent encode(const UsernameClaimed& e) {
    return make("identity.username.claimed", {{"username", e.username}, {"user_id", e.user_id}});
}

EncodedEvent encode(const LoginFailed& e) {
    return make("identity.login.failed",
                {{"username", e.username}, {"ip", e.ip}, {"reason", e.reason}});
}

EncodedEvent encode(const SourceLocked& e) {
    return make("identity.source.locked", {{"ip", e.ip},
                                           {"until", core::format_rfc3339(e.until)},
                                           {"failures", e.failures},
                                           {"surface", e.surface}});
}

EncodedEvent encode(const UserEvent& event) {
    return std::visit(
        core::Overloaded{
            [](const UserCreated& e) {
                json::object o{{"user_id", e.user_id},
                               {"username", e.username},
                               {"role", to_string(e.role)},
                               {"owner_path", e.owner_path},
                               {"password_hash", e.password_hash},
                               {"created_at", core::format_rfc3339(e.created_at)}};
                if (!e.parent_id.empty()) o["parent_id"] = e.parent_id;
                return make("identity.user.created", o);
            },
            [](const PasswordChanged& e) {
                return make("identity.user.password_changed",
                            {{"user_id", e.user_id},
                             {"password_hash", e.password_hash},
                             {"changed_at", core::format_rfc3339(e.changed_at)}});
            },
            [](const SessionStarted& e) {
                json::object o{{"session_id", e.session_id},
                               {"user_id", e.user_id},
                               {"token_hash", e.token_hash},
                               {"started_at", core::format_rfc3339(e.started_at)},
                               {"expires_at", core::format_rfc3339(e.expires_at)},
                               {"ip", e.ip}};
                if (!e.restriction.empty()) o["restriction"] = e.restriction;
                if (e.second_factor) o["second_factor"] = true;
                return make("identity.session.started", o);
            },
            [](const SessionEnded& e) {
                return make("identity.session.ended",
                            {{"session_id", e.session_id},
                             {"user_id", e.user_id},
                             {"reason", e.reason},
                             {"ended_at", core::format_rfc3339(e.ended_at)}});
            },
            [](const TotpSetupStarted& e) {
                return make("identity.totp.setup_started", {{"user_id", e.user_id},
                                                            {"secret_sealed", e.secret_sealed},
                                                            {"at", core::format_rfc3339(e.at)}});
            },
            [](const TotpEnabled& e) {
                json::array hashes;
                for (const auto& h : e.backup_code_hashes) hashes.emplace_back(h);
                return make("identity.totp.enabled", {{"user_id", e.user_id},
                                                      {"step", e.step},
                                                      {"backup_code_hashes", hashes},
                                                      {"at", core::format_rfc3339(e.at)}});
            },
            [](const TotpUsed& e) {
                return make("identity.totp.used", {{"user_id", e.user_id}, {"step", e.step}});
            },
            [](const BackupCodeUsed& e) {
                return make("identity.backup_code.used",
                            {{"user_id", e.user_id}, {"index", e.index}});
            },
            [](const TotpResealed& e) {
                return make("identity.totp.resealed", {{"user_id", e.user_id},
                                                       {"secret_sealed", e.secret_sealed},
                                                       {"pending", e.pending}});
            },
            [](const AllowlistSet& e) {
                json::array cidrs(e.cidrs.begin(), e.cidrs.end());
                return make("identity.user.allowlist_set",
                            {{"user_id", e.user_id}, {"cidrs", cidrs}});
            },
            [](const TotpDisabled& e) {
                return make("identity.totp.disabled",
                            {{"user_id", e.user_id}, {"at", core::format_rfc3339(e.at)}});
            },
        },
        event);
}

bool is_user_event(const std::string& type) {
    static const char* const kTypes[] = {
        "identity.user.created",       "identity.user.password_changed", "identity.session.started",
        "identity.session.ended",      "identity.totp.setup_started",    "identity.totp.enabled",
        "identity.totp.used",          "identity.backup_code.used",      "identity.totp.disabled",
        "identity.user.allowlist_set", "identity.totp.resealed"};
    for (const auto* t : kTypes) {
        if (type == t) return true;
    }
    return false;
}

core::Result<UserEvent> decode_user_event(const RecordedEvent& e) {
    if (e.schema != 1 || !is_user_event(e.type))
        return core::fail(core::Errc::Invalid, "type", "not a user event of schema 1");
    return with_json_object(e.data, [&](const JsonObject& o) -> UserEvent {
        const auto& t = e.type;
        if (t == "identity.user.created") {
            Role role{};
            if (!parse_role(o.str("role"), role)) throw FieldError{"role"};
            return UserCreated{o.str("user_id"),       o.str("username"),   role,
                               o.opt_str("parent_id"), o.str("owner_path"), o.str("password_hash"),
                               o.time("created_at")};
        }
        if (t == "identity.user.password_changed")
            return PasswordChanged{o.str("user_id"), o.str("password_hash"), o.time("changed_at")};
        if (t == "identity.session.started")
            return SessionStarted{o.str("session_id"),      o.str("user_id"),
                                  o.str("token_hash"),      o.time("started_at"),
                                  o.time("expires_at"),     o.str("ip"),
                                  o.opt_str("restriction"), o.opt_boolean("second_factor", false)};
        if (t == "identity.session.ended")
            return SessionEnded{o.str("session_id"), o.str("user_id"), o.str("reason"),
                                o.time("ended_at")};
        if (t == "identity.totp.setup_started")
            return TotpSetupStarted{o.str("user_id"), o.str("secret_sealed"), o.time("at")};
        if (t == "identity.totp.enabled")
            return TotpEnabled{o.str("user_id"), o.i64("step"), o.str_list("backup_code_hashes"),
                               o.time("at")};
        if (t == "identity.totp.used") return TotpUsed{o.str("user_id"), o.i64("step")};
        if (t == "identity.backup_code.used")
            return BackupCodeUsed{o.str("user_id"), static_cast<int>(o.i64("index"))};
        if (t == "identity.totp.resealed")
            return TotpResealed{o.str("user_id"), o.str("secret_sealed"), o.boolean("pending")};
        if (t == "identity.user.allowlist_set")
            return AllowlistSet{o.str("user_id"), o.str_list("cidrs")};
        return TotpDisabled{o.str("user_id"), o.time("at")};
    });
}

}  // namespace switchyard::events::identity
