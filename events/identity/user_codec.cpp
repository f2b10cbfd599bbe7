#include "events/identity/user_codec.hpp"

#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::events::identity {

namespace json = boost::json;
using namespace core::identity;

namespace {

EncodedEvent make(const char* type, const json::object& o) { return {type, 1, json::serialize(o)}; }

core::Timestamp time_of(const JsonObject& o, const char* key) {
    auto t = core::parse_rfc3339(o.str(key));
    if (!t) throw FieldError{key};
    return *t;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

EncodedEvent encode(const UsernameClaimed& e) {
    return make("identity.username.claimed", {{"username", e.username}, {"user_id", e.user_id}});
}

EncodedEvent encode(const LoginFailed& e) {
    return make("identity.login.failed",
                {{"username", e.username}, {"ip", e.ip}, {"reason", e.reason}});
}

EncodedEvent encode(const UserEvent& event) {
    return std::visit(Overloaded{
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
                              return make("identity.session.started",
                                          {{"session_id", e.session_id},
                                           {"user_id", e.user_id},
                                           {"token_hash", e.token_hash},
                                           {"started_at", core::format_rfc3339(e.started_at)},
                                           {"expires_at", core::format_rfc3339(e.expires_at)},
                                           {"ip", e.ip}});
                          },
                          [](const SessionEnded& e) {
                              return make("identity.session.ended",
                                          {{"session_id", e.session_id},
                                           {"user_id", e.user_id},
                                           {"reason", e.reason},
                                           {"ended_at", core::format_rfc3339(e.ended_at)}});
                          },
                      },
                      event);
}

bool is_user_event(const std::string& type) {
    return type == "identity.user.created" || type == "identity.user.password_changed" ||
           type == "identity.session.started" || type == "identity.session.ended";
}

core::Result<UserEvent> decode_user_event(const RecordedEvent& e) {
    if (e.schema != 1 || !is_user_event(e.type))
        return core::fail(core::Errc::Invalid, "type", "not a user event of schema 1");
    return with_json_object(e.data, [&](const JsonObject& o) -> UserEvent {
        if (e.type == "identity.user.created") {
            Role role{};
            if (!parse_role(o.str("role"), role)) throw FieldError{"role"};
            return UserCreated{o.str("user_id"),        o.str("username"),   role,
                               o.opt_str("parent_id"),  o.str("owner_path"), o.str("password_hash"),
                               time_of(o, "created_at")};
        }
        if (e.type == "identity.user.password_changed")
            return PasswordChanged{o.str("user_id"), o.str("password_hash"),
                                   time_of(o, "changed_at")};
        if (e.type == "identity.session.started")
            return SessionStarted{o.str("session_id"),      o.str("user_id"),
                                  o.str("token_hash"),      time_of(o, "started_at"),
                                  time_of(o, "expires_at"), o.str("ip")};
        return SessionEnded{o.str("session_id"), o.str("user_id"), o.str("reason"),
                            time_of(o, "ended_at")};
    });
}

}  // namespace switchyard::events::identity
