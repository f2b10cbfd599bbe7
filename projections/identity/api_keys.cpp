#include "projections/identity/api_keys.hpp"

#include <boost/json.hpp>

#include "events/identity/api_key_codec.hpp"
#include "events/json_reader.hpp"

namespace switchyard::projections::identity {

namespace json = boost::json;
using namespace core::identity;

namespace {

class ApiKeysProjector final : public Projector {
  public:
    std::string name() const override { return kApiKeys; }
    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        if (!events::identity::is_api_key_event(e.type)) return {};
        auto event = SY_TRY(events::identity::decode_api_key_event(e));
        if (auto* k = std::get_if<ApiKeyCreated>(&event)) {
            json::object o{
                {"key_id", k->key_id},
                {"name", k->name},
                {"prefix", k->prefix},
                {"role", k->role},
                {"owner_path", k->owner_path},
                {"user_id", k->user_id.empty() ? json::value(nullptr) : json::value(k->user_id)},
                {"route_prefixes", json::array(k->route_prefixes.begin(), k->route_prefixes.end())},
                {"expires_at", k->expires_at ? json::value(core::format_rfc3339(*k->expires_at))
                                             : json::value(nullptr)},
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
        auto row = w.get("k/" + key_id);
        if (!row) return {};
        auto o = json::parse(*row).as_object();
        const auto hash = w.get("x/" + key_id).value_or("");
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
        w.put("k/" + key_id, json::serialize(o));
        return {};
    }
};

std::optional<ApiKeyRow> decode(std::string_view text) {
    auto r = events::with_json_object(text, [&](const events::JsonObject& o) {
        ApiKeyRow k;
        k.key_id = o.str("key_id");
        k.name = o.str("name");
        k.prefix = o.str("prefix");
        k.role = o.str("role");
        k.owner_path = o.str("owner_path");
        k.user_id = o.opt_str("user_id");
        k.route_prefixes = o.str_list("route_prefixes");
        if (auto t = o.opt_str("expires_at"); !t.empty()) k.expires_at = core::parse_rfc3339(t);
        k.revoked = o.boolean("revoked");
        k.json = std::string(text);
        return k;
    });
    if (!r) return std::nullopt;
    return *r;
}

}  // namespace

std::unique_ptr<Projector> make_api_keys_projector() {
    return std::make_unique<ApiKeysProjector>();
}

std::optional<ApiKeyRow> find_api_key_by_id(const ReadModelView& view, const std::string& key_id) {
    auto v = view.get("k/" + key_id);
    if (!v) return std::nullopt;
    return decode(*v);
}

std::optional<ApiKeyRow> find_api_key(const ReadModelView& view, const std::string& hash) {
    auto id = view.get("h/" + hash);
    if (!id) return std::nullopt;
    return find_api_key_by_id(view, *id);
}

void scan_api_keys(const ReadModelView& view, const std::string& scope,
                   const std::function<bool(const ApiKeyRow&)>& fn) {
    view.scan("o/" + scope, "", [&](std::string_view, std::string_view key_id) {
        auto k = find_api_key_by_id(view, std::string(key_id));
        return !k || fn(*k);
    });
}

}  // namespace switchyard::projections::identity
