#include "projections/identity/api_keys.hpp"

#include "events/identity/api_key_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::identity {

namespace json = events::json;
using namespace core::identity;

namespace {

core::Result<void> apply_key_event(const ApiKeyEvent& event, const events::RecordedEvent& e,
                                   ProjectionWrites& w) {
    if (auto* k = std::get_if<ApiKeyCreated>(&event)) {
        json::object o{{"key_id", k->key_id},
                       {"name", k->name},
                       {"prefix", k->prefix},
                       {"role", k->role},
                       {"owner_path", k->owner_path},
                       {"user_id", events::opt_string(k->user_id)},
                       {"route_prefixes", events::strings(k->route_prefixes)},
                       {"expires_at", events::opt_time(k->expires_at)},
                       {"created_at", core::format_rfc3339(e.time)},
                       {"last_used_at", nullptr},
                       {"revoked", false}};
        w.put("k/" + k->key_id, json::serialize(o));
        w.put("x/" + k->key_id, k->hash);
        w.put("h/" + k->hash, k->key_id);
        w.put("o/" + k->owner_path + k->key_id, k->key_id);
        return {};
    }
    const auto key_id = std::visit([](const auto& ev) { return ev.key_id; }, event);
    const auto hash = w.get("x/" + key_id).value_or("");
    update_json_object(w, "k/" + key_id, [&](json::object& o) {
        if (auto* r = std::get_if<ApiKeyRotated>(&event)) {
            w.erase("h/" + hash);
            w.put("h/" + r->hash, key_id);
            w.put("x/" + key_id, r->hash);
            o["prefix"] = r->prefix;
        } else if (std::holds_alternative<ApiKeyRevoked>(event)) {
            w.erase("h/" + hash);
            w.erase("o/" + std::string(o.at("owner_path").as_string()) + key_id);
            o["revoked"] = true;
        } else if (auto* u = std::get_if<ApiKeyUsed>(&event)) {
            o["last_used_at"] = core::format_rfc3339(u->at);
        }
    });
    return {};
}

std::optional<ApiKeyRow> decode_key(std::string_view text) {
    return decode_json_row(text, [&](const events::JsonObject& o) {
        return ApiKeyRow{o.str("key_id"),
                         o.str("name"),
                         o.str("prefix"),
                         o.str("role"),
                         o.str("owner_path"),
                         o.opt_str("user_id"),
                         o.str_list("route_prefixes"),
                         o.opt_time("expires_at"),
                         o.boolean("revoked"),
                         std::string(text)};
    });
}

}  // namespace

std::unique_ptr<Projector> make_api_keys_projector() {
    return make_projector<ApiKeyEvent>(kApiKeys, events::identity::decode_api_key_event,
                                       apply_key_event);
}

std::optional<ApiKeyRow> find_api_key_by_id(const ReadModelView& view, const std::string& key_id) {
    auto v = view.get("k/" + key_id);
    return v ? decode_key(*v) : std::nullopt;
}

std::optional<ApiKeyRow> find_api_key(const ReadModelView& view, const std::string& hash) {
    auto id = view.get("h/" + hash);
    return id ? find_api_key_by_id(view, *id) : std::nullopt;
}

void scan_api_keys(const ReadModelView& view, const std::string& scope,
                   const std::function<bool(const ApiKeyRow&)>& fn) {
    view.scan("o/" + scope, "", [&](std::string_view, std::string_view key_id) {
        auto k = find_api_key_by_id(view, std::string(key_id));
        return !k || fn(*k);
    });
}

}  // namespace switchyard::projections::identity
