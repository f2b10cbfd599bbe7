// Every user and session event survives encode -> recorded event -> decode field by field, with
// a value other than the default in every field; the events without a decoder (claims, failed
// sign-ins, locks) are written with every field; malformed payloads are refused, naming the
// field.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/identity/user_codec.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::identity;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

namespace codec = switchyard::events::identity;
namespace json = boost::json;

const auto users = codec_of<UserEvent>([](const UserEvent& e) { return codec::encode(e); },
                                       codec::decode_user_event);
const core::Timestamp kAt = core::from_unix_seconds(1'790'000'000) + 654'321us;

/// The payload of an event that has no decoder, as a JSON object; its type must be `type`.
json::object written(const events::EncodedEvent& encoded, const char* type) {
    CHECK(encoded.type == type);
    CHECK(encoded.schema == 1);
    return json::parse(encoded.data).as_object();
}

}  // namespace

TEST_CASE("user events round-trip: creation, password, sessions, two-factor, allowlist") {
    users.round_trip_full(
        UserCreated{"u_7", "acme", Role::Reseller, "u_1", "/u_1/", "$argon2id$x", kAt});
    users.round_trip(UserCreated{"u_1", "root", Role::Admin, "", "/", "$argon2id$y", kAt});
    users.round_trip_full(PasswordChanged{"u_7", "$argon2id$z", kAt});
    users.round_trip_full(SessionStarted{"s_1", "u_7", "ab12", kAt, kAt + 12h, "192.0.2.1",
                                         "password_expired", true});
    // A full session without a second factor.
    users.round_trip(
        SessionStarted{"s_2", "u_7", "cd34", kAt, kAt + 12h, "2001:db8::1", "", false});
    users.round_trip_full(SessionEnded{"s_1", "u_7", "evicted", kAt});
    users.round_trip_full(TotpSetupStarted{"u_7", "sealed:seed", kAt});
    users.round_trip_full(TotpEnabled{"u_7", 59'666'666, {"h0", "h1", ""}, kAt});
    users.round_trip_full(TotpUsed{"u_7", 59'666'667});
    users.round_trip_full(BackupCodeUsed{"u_7", 9});
    users.round_trip_full(TotpDisabled{"u_7", kAt});
    users.round_trip_full(AllowlistSet{"u_7", {"192.0.2.0/24", "2001:db8::/32"}});
    users.round_trip(AllowlistSet{"u_7", {}});  // anywhere again
    users.round_trip_full(TotpResealed{"u_7", "sealed:again", true});
}

TEST_CASE("claims, failed sign-ins and source locks are written with every field") {
    auto claim =
        written(codec::encode(UsernameClaimed{"Acme", "u_7"}), "identity.username.claimed");
    CHECK(claim == json::object{{"username", "Acme"}, {"user_id", "u_7"}});
    auto failed = written(codec::encode(codec::LoginFailed{"acme", "203.0.113.5", "bad_totp"}),
                          "identity.login.failed");
    CHECK(failed ==
          json::object{{"username", "acme"}, {"ip", "203.0.113.5"}, {"reason", "bad_totp"}});
    auto locked = written(codec::encode(codec::SourceLocked{"203.0.113.5", kAt, 10, "xtream"}),
                          "identity.source.locked");
    CHECK(locked == json::object{{"ip", "203.0.113.5"},
                                 {"until", core::format_rfc3339(kAt)},
                                 {"failures", 10},
                                 {"surface", "xtream"}});
    CHECK(failed.find("password") == failed.end());
}

TEST_CASE("the user stream's types are its eleven event types and no other") {
    int user_types = 0;
    for (const char* type :
         {"identity.user.created", "identity.user.password_changed", "identity.session.started",
          "identity.session.ended", "identity.totp.setup_started", "identity.totp.enabled",
          "identity.totp.used", "identity.backup_code.used", "identity.totp.disabled",
          "identity.user.allowlist_set", "identity.totp.resealed"}) {
        CHECK_MESSAGE(codec::is_user_event(type), type);
        user_types += codec::is_user_event(type) ? 1 : 0;
    }
    CHECK(user_types == 11);
    for (const char* type : {"identity.username.claimed", "identity.login.failed",
                             "identity.source.locked", "identity.api_key.created", ""})
        CHECK_FALSE_MESSAGE(codec::is_user_event(type), type);
}

TEST_CASE("user decoders refuse other types, other schemas and malformed payloads") {
    const auto& decode = users.decode;
    CHECK(refused_field(decode, recorded("identity.username.claimed", "{}")) == "type");
    CHECK(refused_field(decode, recorded("identity.totp.used", R"({"user_id":"u","step":1})", 2)) ==
          "type");
    CHECK(refused_field(decode, recorded("identity.totp.used", "{")) == "data");
    CHECK(refused_field(decode, recorded("identity.totp.used", R"("text")")) == "data");

    auto malformed = [&](const UserEvent& e, const char* key, json::value value) {
        auto encoded = codec::encode(e);
        auto o = json::parse(encoded.data).as_object();
        REQUIRE_MESSAGE(o.contains(key), key);
        o[key] = std::move(value);
        return refused_field(decode, recorded(encoded.type, json::serialize(o)));
    };
    const UserEvent user = UserCreated{"u_7", "acme", Role::Reseller, "u_1", "/u_1/", "h", kAt};
    CHECK(malformed(user, "role", "emperor") == "role");
    CHECK(malformed(user, "created_at", "2026-13-01T00:00:00Z") == "created_at");
    CHECK(malformed(user, "username", nullptr) == "username");
    const UserEvent session = SessionStarted{"s_1", "u_7", "ab", kAt, kAt, "ip", "", false};
    CHECK(malformed(session, "expires_at", 1'790'000'000) == "expires_at");
    CHECK(malformed(TotpEnabled{"u_7", 1, {"h"}, kAt}, "backup_code_hashes", json::array{1}) ==
          "backup_code_hashes");
    CHECK(malformed(TotpUsed{"u_7", 1}, "step", 1.5) == "step");
    CHECK(malformed(TotpResealed{"u_7", "s", true}, "pending", "true") == "pending");
    CHECK(malformed(AllowlistSet{"u_7", {"192.0.2.0/24"}}, "cidrs", "192.0.2.0/24") == "cidrs");
}
