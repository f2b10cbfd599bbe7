#include "events/identity/user_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::identity {

using namespace core::identity;

namespace {

/// The payloads of the user, session and sign-in events (events/codec_kit.hpp).
struct Codec {
    // ---- outside a user's stream ----
    static json::object put(const UsernameClaimed& e) {
        return {{"username", e.username}, {"user_id", e.user_id}};
    }
    static json::object put(const LoginFailed& e) {
        return {{"username", e.username}, {"ip", e.ip}, {"reason", e.reason}};
    }
    static json::object put(const SourceLocked& e) {
        return {{"ip", e.ip},
                {"until", core::format_rfc3339(e.until)},
                {"failures", e.failures},
                {"surface", e.surface}};
    }

    // ---- a user's stream (`user-<id>`) ----
    static json::object put(const UserCreated& e) {
        json::object o{{"user_id", e.user_id},
                       {"username", e.username},
                       {"role", to_string(e.role)},
                       {"owner_path", e.owner_path},
                       {"password_hash", e.password_hash},
                       {"created_at", core::format_rfc3339(e.created_at)}};
        if (!e.parent_id.empty()) o["parent_id"] = e.parent_id;
        return o;
    }
    static UserCreated get(const JsonObject& o, As<UserCreated>) {
        return {o.str("user_id"),       o.str("username"),   o.enumerated("role", parse_role),
                o.opt_str("parent_id"), o.str("owner_path"), o.str("password_hash"),
                o.time("created_at")};
    }
    static json::object put(const PasswordChanged& e) {
        return {{"user_id", e.user_id},
                {"password_hash", e.password_hash},
                {"changed_at", core::format_rfc3339(e.changed_at)}};
    }
    static PasswordChanged get(const JsonObject& o, As<PasswordChanged>) {
        return {o.str("user_id"), o.str("password_hash"), o.time("changed_at")};
    }
    static json::object put(const SessionStarted& e) {
        json::object o{{"session_id", e.session_id},
                       {"user_id", e.user_id},
                       {"token_hash", e.token_hash},
                       {"started_at", core::format_rfc3339(e.started_at)},
                       {"expires_at", core::format_rfc3339(e.expires_at)},
                       {"ip", e.ip}};
        if (!e.restriction.empty()) o["restriction"] = e.restriction;
        if (e.second_factor) o["second_factor"] = true;
        return o;
    }
    static SessionStarted get(const JsonObject& o, As<SessionStarted>) {
        return {o.str("session_id"),      o.str("user_id"),
                o.str("token_hash"),      o.time("started_at"),
                o.time("expires_at"),     o.str("ip"),
                o.opt_str("restriction"), o.opt_boolean("second_factor", false)};
    }
    static json::object put(const SessionEnded& e) {
        return {{"session_id", e.session_id},
                {"user_id", e.user_id},
                {"reason", e.reason},
                {"ended_at", core::format_rfc3339(e.ended_at)}};
    }
    static SessionEnded get(const JsonObject& o, As<SessionEnded>) {
        return {o.str("session_id"), o.str("user_id"), o.str("reason"), o.time("ended_at")};
    }
    static json::object put(const TotpSetupStarted& e) {
        return {{"user_id", e.user_id},
                {"secret_sealed", e.secret_sealed},
                {"at", core::format_rfc3339(e.at)}};
    }
    static TotpSetupStarted get(const JsonObject& o, As<TotpSetupStarted>) {
        return {o.str("user_id"), o.str("secret_sealed"), o.time("at")};
    }
    static json::object put(const TotpEnabled& e) {
        return {{"user_id", e.user_id},
                {"step", e.step},
                {"backup_code_hashes", strings(e.backup_code_hashes)},
                {"at", core::format_rfc3339(e.at)}};
    }
    static TotpEnabled get(const JsonObject& o, As<TotpEnabled>) {
        return {o.str("user_id"), o.i64("step"), o.str_list("backup_code_hashes"), o.time("at")};
    }
    static json::object put(const TotpUsed& e) {
        return {{"user_id", e.user_id}, {"step", e.step}};
    }
    static TotpUsed get(const JsonObject& o, As<TotpUsed>) {
        return {o.str("user_id"), o.i64("step")};
    }
    static json::object put(const BackupCodeUsed& e) {
        return {{"user_id", e.user_id}, {"index", e.index}};
    }
    static BackupCodeUsed get(const JsonObject& o, As<BackupCodeUsed>) {
        return {o.str("user_id"), static_cast<int>(o.i64("index"))};
    }
    static json::object put(const TotpResealed& e) {
        return {{"user_id", e.user_id}, {"secret_sealed", e.secret_sealed}, {"pending", e.pending}};
    }
    static TotpResealed get(const JsonObject& o, As<TotpResealed>) {
        return {o.str("user_id"), o.str("secret_sealed"), o.boolean("pending")};
    }
    static json::object put(const AllowlistSet& e) {
        return {{"user_id", e.user_id}, {"cidrs", strings(e.cidrs)}};
    }
    static AllowlistSet get(const JsonObject& o, As<AllowlistSet>) {
        return {o.str("user_id"), o.str_list("cidrs")};
    }
    static json::object put(const TotpDisabled& e) {
        return {{"user_id", e.user_id}, {"at", core::format_rfc3339(e.at)}};
    }
    static TotpDisabled get(const JsonObject& o, As<TotpDisabled>) {
        return {o.str("user_id"), o.time("at")};
    }
};

}  // namespace

EncodedEvent encode(const UsernameClaimed& event) { return encode_event<Codec>(event); }
EncodedEvent encode(const LoginFailed& event) { return encode_event<Codec>(event); }
EncodedEvent encode(const SourceLocked& event) { return encode_event<Codec>(event); }
EncodedEvent encode(const UserEvent& event) { return encode_as<Codec>(event); }

bool is_user_event(const std::string& type) { return is_type_of<UserEvent>(type); }

core::Result<UserEvent> decode_user_event(const RecordedEvent& e) {
    return decode_as<Codec, UserEvent>(e);
}

}  // namespace switchyard::events::identity
