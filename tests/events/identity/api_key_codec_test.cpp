// Every API key event survives encode -> recorded event -> decode field by field, with a value
// other than the default in every field; keys written before owners, route prefixes and expiry
// existed still read; malformed payloads are refused, naming the field.
#include <doctest/doctest.h>

#include "events/identity/api_key_codec.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::identity;
using namespace switchyard::testing;

namespace {

namespace codec = switchyard::events::identity;

const auto keys = codec_of<ApiKeyEvent>([](const ApiKeyEvent& e) { return codec::encode(e); },
                                        codec::decode_api_key_event);
const core::Timestamp kAt = core::from_unix_seconds(1'790'000'000) + std::chrono::microseconds(7);

ApiKeyCreated key() {
    return ApiKeyCreated{"k_1",      "billing", "sy_ab12cd", std::string(64, 'f'),
                         "reseller", "/u_1/",   "u_1",       {"/v1/iptv/lines", "/v1/vpn"},
                         kAt};
}

}  // namespace

TEST_CASE("API key events round-trip") {
    keys.round_trip_full(key());
    ApiKeyCreated bootstrap{"k_0", "bootstrap admin", "sy_00", std::string(64, 'a'), "admin"};
    keys.round_trip(bootstrap);  // operator-wide, all routes, forever, no user
    keys.round_trip_full(ApiKeyRotated{"k_1", "sy_ef34gh", std::string(64, 'e')});
    keys.round_trip_full(ApiKeyRevoked{"k_1"});
    keys.round_trip_full(ApiKeyUsed{"k_1", kAt});
}

TEST_CASE("a key written before owners, route prefixes and expiry reads as operator-wide") {
    auto old = keys.decode(recorded("identity.api_key.created",
                                    R"({"key_id":"k_0","name":"first","prefix":"sy_00",)"
                                    R"("hash":"aa","role":"admin"})"));
    REQUIRE(old);
    check_same_fields(*old,
                      ApiKeyEvent{ApiKeyCreated{
                          "k_0", "first", "sy_00", "aa", "admin", "/", "", {}, std::nullopt}});
}

TEST_CASE("the API key stream's types are created, rotated, revoked and used") {
    for (const char* type : {"identity.api_key.created", "identity.api_key.rotated",
                             "identity.api_key.revoked", "identity.api_key.used"})
        CHECK_MESSAGE(codec::is_api_key_event(type), type);
    for (const char* type : {"identity.api_key.deleted", "identity.user.created", ""})
        CHECK_FALSE_MESSAGE(codec::is_api_key_event(type), type);
}

TEST_CASE("API key decoders refuse other types, other schemas and malformed payloads") {
    const auto& d = keys.decode;
    CHECK(refused_field(d, recorded("identity.user.created", "{}")) == "type");
    CHECK(refused_field(d, recorded("identity.api_key.revoked", R"({"key_id":"k"})", 2)) == "type");
    CHECK(refused_field(d, recorded("identity.api_key.revoked", "nope")) == "data");
    CHECK(refused_field(d, recorded("identity.api_key.revoked", R"({"key_id":1})")) == "key_id");
    CHECK(refused_field(d, recorded("identity.api_key.used", R"({"key_id":"k","at":"noon"})")) ==
          "at");
    CHECK(refused_field(
              d, recorded("identity.api_key.rotated", R"({"key_id":"k","prefix":"p"})")) == "hash");
    const std::string created =
        R"({"key_id":"k","name":"n","prefix":"p","hash":"h","role":"admin")";
    CHECK(refused_field(d, recorded("identity.api_key.created",
                                    created + R"(,"expires_at":"never"})")) == "expires_at");
    CHECK(refused_field(d, recorded("identity.api_key.created",
                                    created + R"(,"route_prefixes":"/v1/"})")) == "route_prefixes");
    CHECK(refused_field(d, recorded("identity.api_key.created", created + R"(,"owner_path":7})")) ==
          "owner_path");
}
