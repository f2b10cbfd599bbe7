#include "events/identity/api_key_codec.hpp"

#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::events::identity {

namespace json = boost::json;
using namespace core::identity;

namespace {

EncodedEvent make(const char* type, const json::object& o) { return {type, 1, json::serialize(o)}; }

}  // namespace

EncodedEvent encode(const ApiKeyEvent& event) {
    if (auto* e = std::get_if<ApiKeyCreated>(&event)) {
        json::object o{{"key_id", e->key_id}, {"name", e->name}, {"prefix", e->prefix},
                       {"hash", e->hash},     {"role", e->role}, {"owner_path", e->owner_path}};
        if (!e->user_id.empty()) o["user_id"] = e->user_id;
        if (!e->route_prefixes.empty())
            o["route_prefixes"] = json::array(e->route_prefixes.begin(), e->route_prefixes.end());
        if (e->expires_at) o["expires_at"] = core::format_rfc3339(*e->expires_at);
        return make("identity.api_key.created", o);
    }
    if (auto* e = std::get_if<ApiKeyRotated>(&event))
        return make("identity.api_key.rotated",
                    {{"key_id", e->key_id}, {"prefix", e->prefix}, {"hash", e->hash}});
    if (auto* e = std::get_if<ApiKeyRevoked>(&event))
        return make("identity.api_key.revoked", {{"key_id", e->key_id}});
    const auto& u = std::get<ApiKeyUsed>(event);
    return make("identity.api_key.used",
                {{"key_id", u.key_id}, {"at", core::format_rfc3339(u.at)}});
}

bool is_api_key_event(const std::string& type) {
    return type == "identity.api_key.created" || type == "identity.api_key.rotated" ||
           type == "identity.api_key.revoked" || type == "identity.api_key.used";
}

core::Result<ApiKeyEvent> decode_api_key_event(const RecordedEvent& e) {
    if (e.schema != 1 || !is_api_key_event(e.type))
        return core::fail(core::Errc::Invalid, "type", "not an API key event of schema 1");
    return with_json_object(e.data, [&](const JsonObject& o) -> ApiKeyEvent {
        if (e.type == "identity.api_key.created") {
            ApiKeyCreated k{o.str("key_id"), o.str("name"), o.str("prefix"), o.str("hash"),
                            o.str("role")};
            // Fields added after the first keys: absent means operator-wide, all routes, forever.
            auto owner = o.opt_str("owner_path");
            k.owner_path = owner.empty() ? "/" : owner;
            k.user_id = o.opt_str("user_id");
            if (o.has("route_prefixes")) k.route_prefixes = o.str_list("route_prefixes");
            if (auto t = o.opt_str("expires_at"); !t.empty()) {
                auto parsed = core::parse_rfc3339(t);
                if (!parsed) throw FieldError{"expires_at"};
                k.expires_at = *parsed;
            }
            return k;
        }
        if (e.type == "identity.api_key.rotated")
            return ApiKeyRotated{o.str("key_id"), o.str("prefix"), o.str("hash")};
        if (e.type == "identity.api_key.revoked") return ApiKeyRevoked{o.str("key_id")};
        return ApiKeyUsed{o.str("key_id"), o.time("at")};
    });
}

}  // namespace switchyard::events::identity
