#include "events/identity/api_key_service.hpp"

#include "events/command_handler.hpp"
#include "events/identity/api_key_codec.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::identity {

using namespace core::identity;
using core::Errc;

namespace {

/// Appends the first event of a new key's stream.
core::Result<AppendResult> append_new_key(EventStore& store, const ApiKeyCreated& created,
                                          const core::DecisionContext& ctx,
                                          const std::string& tenant) {
    return store.append({StreamWrite{api_key_stream(created.key_id),
                                     ExpectedRevision::no_stream(),
                                     {make_new_event(encode(created), ctx, tenant)}}});
}

/// A fresh secret: the key, its listing prefix and its hash.
struct Secret {
    std::string key, prefix, hash;
};
Secret new_secret() {
    Secret s;
    s.key = "sy_" + random_token(32);
    s.prefix = s.key.substr(0, 10);
    s.hash = sha256_hex(s.key);
    return s;
}

}  // namespace

core::Result<CommandOutcome<CreatedApiKey>> create_api_key(EventStore& store,
                                                           const std::string& name,
                                                           const std::string& role,
                                                           const core::DecisionContext& ctx,
                                                           const std::string& tenant) {
    const auto secret = new_secret();
    ApiKeyCreated created{"k_" + new_uuid_v7(ctx.now), name, secret.prefix, secret.hash, role};
    auto appended = SY_TRY(append_new_key(store, created, ctx, tenant));
    return outcome_of(appended, CreatedApiKey{secret.key, created.key_id});
}

struct ApiKeyService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          keys(s, [](const RecordedEvent& e) { return decode_api_key_event(e); }) {}

    /// Appends `event` to a key the principal may change (check_key_change).
    core::Result<AppendResult> change(const Principal& principal, const std::string& key_id,
                                      const ApiKeyEvent& event, const core::DecisionContext& ctx) {
        const bool new_secret = std::holds_alternative<ApiKeyRotated>(event);
        return execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(keys.load(api_key_stream(key_id)));
            SY_TRY(check_key_change(principal, state, new_secret, ctx.now));
            return std::vector<StreamWrite>{{api_key_stream(key_id),
                                             ExpectedRevision::at(rev),
                                             {make_new_event(encode(event), ctx, tenant)}}};
        });
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<ApiKeyState, ApiKeyEvent> keys;
};

ApiKeyService::ApiKeyService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
ApiKeyService::~ApiKeyService() = default;

core::Result<CommandOutcome<CreatedApiKey>> ApiKeyService::create(
    const Principal& creator, const CreateApiKey& request, const core::DecisionContext& ctx) {
    auto created = SY_TRY(decide_create_key(creator, request, ctx.now));
    const auto secret = new_secret();
    created.key_id = "k_" + new_uuid_v7(ctx.now);
    created.prefix = secret.prefix;
    created.hash = secret.hash;
    auto appended = SY_TRY(append_new_key(impl_->store, created, ctx, impl_->tenant));
    return outcome_of(appended, CreatedApiKey{secret.key, created.key_id});
}

core::Result<CommandOutcome<CreatedApiKey>> ApiKeyService::rotate(
    const Principal& principal, const std::string& key_id, const core::DecisionContext& ctx) {
    const auto secret = new_secret();
    auto appended = SY_TRY(
        impl_->change(principal, key_id, ApiKeyRotated{key_id, secret.prefix, secret.hash}, ctx));
    return outcome_of(appended, CreatedApiKey{secret.key, key_id});
}

core::Result<CommandOutcome<>> ApiKeyService::revoke(const Principal& principal,
                                                     const std::string& key_id,
                                                     const core::DecisionContext& ctx) {
    return outcome_of(SY_TRY(impl_->change(principal, key_id, ApiKeyRevoked{key_id}, ctx)));
}

core::Result<CommandOutcome<>> ApiKeyService::record_use(const std::string& key_id,
                                                         const core::DecisionContext& ctx) {
    const ApiKeyEvent used = ApiKeyUsed{key_id, ctx.now};
    return outcome_of(SY_TRY(
        impl_->store.append({StreamWrite{api_key_stream(key_id),
                                         ExpectedRevision::any(),
                                         {make_new_event(encode(used), ctx, impl_->tenant)}}})));
}

}  // namespace switchyard::events::identity
