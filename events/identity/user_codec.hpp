#pragma once
/// JSON payloads of the user and session events (schemas/events/identity/*.v1.json):
/// `identity.username.claimed`, `identity.user.created`, `identity.user.password_changed`,
/// `identity.session.started`, `identity.session.ended`, and `identity.login.failed`.

#include <string>
#include <string_view>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::identity {

EncodedEvent encode(const core::identity::UsernameClaimed& event);
EncodedEvent encode(const core::identity::UserEvent& event);

/// A failed sign-in: who was tried, from where, and why (`unknown_user`, `bad_password`,
/// `bad_totp`, `locked`). Never the password.
struct LoginFailed {
    static constexpr std::string_view kType = "identity.login.failed";
    std::string username, ip, reason;
};
EncodedEvent encode(const LoginFailed& event);

/// A source address was locked out after too many failed sign-ins (API users or IPTV lines),
/// until `until`.
struct SourceLocked {
    static constexpr std::string_view kType = "identity.source.locked";
    std::string ip;
    core::Timestamp until;
    int failures{};
    std::string surface;  ///< `api` (/v1/auth/login) or `xtream` (line authentication).
};
EncodedEvent encode(const SourceLocked& event);

/// True for the event types of the `user-<id>` stream.
bool is_user_event(const std::string& type);
/// @errors Invalid for another type or a malformed payload.
core::Result<core::identity::UserEvent> decode_user_event(const RecordedEvent& event);

}  // namespace switchyard::events::identity
