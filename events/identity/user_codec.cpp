#include "events/identity/user_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::identity {

using namespace core::identity;

namespace {

/// The payloads of the user, session and sign-in events (events/codec_kit.hpp).
struct Codec {
    // ---- outside a user's stream ----
    static auto payload(As<UsernameClaimed>) {
        return fields(field("username", &UsernameClaimed::username),
                      field("user_id", &UsernameClaimed::user_id));
    }
    static auto payload(As<LoginFailed>) {
        using E = LoginFailed;
        return fields(field("username", &E::username), field("ip", &E::ip),
                      field("reason", &E::reason));
    }
    static auto payload(As<SourceLocked>) {
        using E = SourceLocked;
        return fields(field("ip", &E::ip), field("until", &E::until),
                      field("failures", &E::failures), field("surface", &E::surface));
    }

    // ---- a user's stream (`user-<id>`) ----
    static auto payload(As<UserCreated>) {
        using E = UserCreated;
        return fields(field("user_id", &E::user_id), field("username", &E::username),
                      field("role", &E::role, parse_role), field("owner_path", &E::owner_path),
                      field("password_hash", &E::password_hash),
                      field("created_at", &E::created_at),
                      optional_field("parent_id", &E::parent_id));
    }
    static auto payload(As<PasswordChanged>) {
        using E = PasswordChanged;
        return fields(field("user_id", &E::user_id), field("password_hash", &E::password_hash),
                      field("changed_at", &E::changed_at));
    }
    static auto payload(As<SessionStarted>) {
        using E = SessionStarted;
        return fields(field("session_id", &E::session_id), field("user_id", &E::user_id),
                      field("token_hash", &E::token_hash), field("started_at", &E::started_at),
                      field("expires_at", &E::expires_at), field("ip", &E::ip),
                      optional_field("restriction", &E::restriction),
                      optional_field("second_factor", &E::second_factor));
    }
    static auto payload(As<SessionEnded>) {
        using E = SessionEnded;
        return fields(field("session_id", &E::session_id), field("user_id", &E::user_id),
                      field("reason", &E::reason), field("ended_at", &E::ended_at));
    }
    static auto payload(As<TotpSetupStarted>) {
        using E = TotpSetupStarted;
        return fields(field("user_id", &E::user_id), field("secret_sealed", &E::secret_sealed),
                      field("at", &E::at));
    }
    static auto payload(As<TotpEnabled>) {
        using E = TotpEnabled;
        return fields(field("user_id", &E::user_id), field("step", &E::step),
                      field("backup_code_hashes", &E::backup_code_hashes), field("at", &E::at));
    }
    static auto payload(As<TotpUsed>) {
        return fields(field("user_id", &TotpUsed::user_id), field("step", &TotpUsed::step));
    }
    static auto payload(As<BackupCodeUsed>) {
        return fields(field("user_id", &BackupCodeUsed::user_id),
                      field("index", &BackupCodeUsed::index));
    }
    static auto payload(As<TotpResealed>) {
        using E = TotpResealed;
        return fields(field("user_id", &E::user_id), field("secret_sealed", &E::secret_sealed),
                      field("pending", &E::pending));
    }
    static auto payload(As<AllowlistSet>) {
        return fields(field("user_id", &AllowlistSet::user_id),
                      field("cidrs", &AllowlistSet::cidrs));
    }
    static auto payload(As<TotpDisabled>) {
        return fields(field("user_id", &TotpDisabled::user_id), field("at", &TotpDisabled::at));
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
