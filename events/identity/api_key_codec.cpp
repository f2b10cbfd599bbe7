#include "events/identity/api_key_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::identity {

using namespace core::identity;

namespace {

/// The payloads of the API key events (events/codec_kit.hpp).
struct Codec {
    static auto payload(As<ApiKeyCreated>) {
        using E = ApiKeyCreated;
        // Fields added after the first keys: absent means operator-wide, all routes, forever.
        return fields(field("key_id", &E::key_id), field("name", &E::name),
                      field("prefix", &E::prefix), field("hash", &E::hash), field("role", &E::role),
                      optional_field("owner_path", &E::owner_path),
                      optional_field("user_id", &E::user_id),
                      optional_field("route_prefixes", &E::route_prefixes),
                      optional_field("expires_at", &E::expires_at));
    }
    static auto payload(As<ApiKeyRotated>) {
        using E = ApiKeyRotated;
        return fields(field("key_id", &E::key_id), field("prefix", &E::prefix),
                      field("hash", &E::hash));
    }
    static auto payload(As<ApiKeyRevoked>) {
        return fields(field("key_id", &ApiKeyRevoked::key_id));
    }
    static auto payload(As<ApiKeyUsed>) {
        return fields(field("key_id", &ApiKeyUsed::key_id), field("at", &ApiKeyUsed::at));
    }
};

}  // namespace

EncodedEvent encode(const ApiKeyEvent& event) { return encode_as<Codec>(event); }

bool is_api_key_event(const std::string& type) { return is_type_of<ApiKeyEvent>(type); }

core::Result<ApiKeyEvent> decode_api_key_event(const RecordedEvent& e) {
    return decode_as<Codec, ApiKeyEvent>(e);
}

}  // namespace switchyard::events::identity
