#include "projections/identity/api_keys.hpp"

#include <boost/json.hpp>

#include "events/identity/api_key_codec.hpp"
#include "events/json_reader.hpp"

namespace switchyard::projections::identity {

namespace {

class ApiKeysProjector final : public Projector {
  public:
    std::string name() const override { return kApiKeys; }
    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        if (e.type != "identity.api_key.created") return {};
        auto k = SY_TRY(events::identity::decode_api_key_created(e));
        boost::json::object o{
            {"key_id", k.key_id}, {"name", k.name}, {"prefix", k.prefix}, {"role", k.role}};
        w.put("h/" + k.hash, boost::json::serialize(o));
        return {};
    }
};

}  // namespace

std::unique_ptr<Projector> make_api_keys_projector() {
    return std::make_unique<ApiKeysProjector>();
}

std::optional<ApiKeyRow> find_api_key(const ReadModelView& view, const std::string& hash) {
    auto v = view.get("h/" + hash);
    if (!v) return std::nullopt;
    auto r = events::with_json_object(*v, [](const events::JsonObject& o) {
        return ApiKeyRow{o.str("key_id"), o.str("name"), o.str("prefix"), o.str("role")};
    });
    if (!r) return std::nullopt;
    return *r;
}

}  // namespace switchyard::projections::identity
