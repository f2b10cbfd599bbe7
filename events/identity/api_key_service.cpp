#include "events/identity/api_key_service.hpp"

#include <sodium.h>

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
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(out.key.data()),
                       out.key.size());
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    core::identity::ApiKeyCreated created{out.key_id, name, out.key.substr(0, 10), hex, role};
    auto enc = encode(created);
    auto appended = SY_TRY(
        store.append({StreamWrite{core::identity::api_key_stream(out.key_id),
                                  ExpectedRevision::no_stream(),
                                  {make_new_event(enc.type, enc.schema, enc.data, ctx, tenant)}}}));
    out.positions = appended.last_positions();
    return out;
}

}  // namespace switchyard::events::identity
