#include "events/identity/api_key_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::identity {

using namespace core::identity;

namespace {

/// The payloads of the API key events (events/codec_kit.hpp).
struct Codec {
    static json::object put(const ApiKeyCreated& e) {
        json::object o{{"key_id", e.key_id}, {"name", e.name}, {"prefix", e.prefix},
                       {"hash", e.hash},     {"role", e.role}, {"owner_path", e.owner_path}};
        if (!e.user_id.empty()) o["user_id"] = e.user_id;
        if (!e.route_prefixes.empty()) o["route_prefixes"] = strings(e.route_prefixes);
        if (e.expires_at) o["expires_at"] = core::format_rfc3339(*e.expires_at);
        return o;
    }
    static ApiKeyCreated get(const JsonObject& o, As<ApiKeyCreated>) {
        // Fields added after the first keys: absent means operator-wide, all routes, forever.
        auto owner = o.opt_str("owner_path");
        return {o.str("key_id"),
                o.str("name"),
                o.str("prefix"),
                o.str("hash"),
                o.str("role"),
                owner.empty() ? "/" : owner,
                o.opt_str("user_id"),
                o.has("route_prefixes") ? o.str_list("route_prefixes") : std::vector<std::string>{},
                o.opt_time("expires_at")};
    }
    static json::object put(const ApiKeyRotated& e) {
        return {{"key_id", e.key_id}, {"prefix", e.prefix}, {"hash", e.hash}};
    }
    static ApiKeyRotated get(const JsonObject& o, As<ApiKeyRotated>) {
        return {o.str("key_id"), o.str("prefix"), o.str("hash")};
    }
    static json::object put(const ApiKeyRevoked& e) { return {{"key_id", e.key_id}}; }
    static ApiKeyRevoked get(const JsonObject& o, As<ApiKeyRevoked>) { return {o.str("key_id")}; }
    static json::object put(const ApiKeyUsed& e) {
        return {{"key_id", e.key_id}, {"at", core::format_rfc3339(e.at)}};
    }
    static ApiKeyUsed get(const JsonObject& o, As<ApiKeyUsed>) {
        return {o.str("key_id"), o.time("at")};
    }
};

}  // namespace

EncodedEvent encode(const ApiKeyEvent& event) { return encode_as<Codec>(event); }

bool is_api_key_event(const std::string& type) { return is_type_of<ApiKeyEvent>(type); }

core::Result<ApiKeyEvent> decode_api_key_event(const RecordedEvent& e) {
    return decode_as<Codec, ApiKeyEvent>(e);
}

}  // namespace switchyard::events::identity
