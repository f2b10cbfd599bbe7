#include "events/identity/api_key_codec.hpp"

#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::events::identity {

EncodedEvent encode(const core::identity::ApiKeyCreated& e) {
    boost::json::object o{{"key_id", e.key_id},
                          {"name", e.name},
                          {"prefix", e.prefix},
                          {"hash", e.hash},
                          {"role", e.role}};
    return {"identity.api_key.created", 1, boost::json::serialize(o)};
}

core::Result<core::identity::ApiKeyCreated> decode_api_key_created(const RecordedEvent& e) {
    if (e.type != "identity.api_key.created" || e.schema != 1) {
        return core::fail(core::Errc::Invalid, "type", "not identity.api_key.created v1");
    }
    return with_json_object(e.data, [](const JsonObject& o) {
        return core::identity::ApiKeyCreated{o.str("key_id"), o.str("name"), o.str("prefix"),
                                             o.str("hash"), o.str("role")};
    });
}

}  // namespace switchyard::events::identity
