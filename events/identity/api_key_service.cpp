#include "events/identity/api_key_service.hpp"

#include "core/identity/api_key.hpp"
#include "events/command_handler.hpp"
#include "events/identity/api_key_codec.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::identity {

core::Result<CreatedApiKey> create_api_key(EventStore& store, const std::string& name,
                                           const std::string& role,
                                           const core::DecisionContext& ctx,
                                           const std::string& tenant) {
    CreatedApiKey out;
    out.key = "sy_" + random_token(32);
    out.key_id = "k_" + new_uuid_v7(ctx.now);
    core::identity::ApiKeyCreated created{out.key_id, name, out.key.substr(0, 10),
                                          sha256_hex(out.key), role};
    auto enc = encode(created);
    auto appended = SY_TRY(
        store.append({StreamWrite{core::identity::api_key_stream(out.key_id),
                                  ExpectedRevision::no_stream(),
                                  {make_new_event(enc.type, enc.schema, enc.data, ctx, tenant)}}}));
    out.positions = appended.last_positions();
    return out;
}

}  // namespace switchyard::events::identity
