#include "events/voice/extension_service.hpp"

#include <algorithm>
#include <mutex>

#include "core/text.hpp"
#include "events/codec_kit.hpp"
#include "events/voice/trunk_service.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kRule =
    fields(field("condition", &ForwardRule::condition, parse_forward_condition),
           field("kind", &ForwardRule::kind, parse_target_kind),
           field("value", &ForwardRule::value), optional_field("after_s", &ForwardRule::after_s));

constexpr auto kExtension = fields(
    field("extension_id", &Extension::extension_id), field("customer_id", &Extension::customer_id),
    field("number", &Extension::number), field("name", &Extension::name),
    field("username", &Extension::username), objects("forwards", &Extension::forwards, kRule),
    field("created_at", &Extension::created_at));

constexpr auto kCredential = fields(field("username", &ExtensionCredential::username),
                                    field("realm", &ExtensionCredential::realm),
                                    field("ha1_sealed", &ExtensionCredential::ha1_sealed));

constexpr auto kMember =
    fields(field("extension_id", &RingMember::extension_id), field("ring_s", &RingMember::ring_s));

constexpr auto kRingGroup = fields(
    field("ring_group_id", &RingGroup::ring_group_id),
    field("customer_id", &RingGroup::customer_id), field("number", &RingGroup::number),
    field("name", &RingGroup::name), field("strategy", &RingGroup::strategy, parse_ring_strategy),
    field("ring_s", &RingGroup::ring_s), objects("members", &RingGroup::members, kMember),
    field("fallback_kind", &RingGroup::fallback_kind, parse_target_kind),
    field("fallback_value", &RingGroup::fallback_value));

constexpr auto kMediaServer = fields(
    field("media_server_id", &MediaServer::media_server_id),
    field("customer_id", &MediaServer::customer_id), field("name", &MediaServer::name),
    field("uri", &MediaServer::uri), field("purpose", &MediaServer::purpose, parse_media_purpose));

struct Codec {
    static auto payload(As<ExtensionDefined>) {
        return fields(flat(&ExtensionDefined::extension, kExtension));
    }
    static auto payload(As<ExtensionPasswordSet>) {
        return fields(field("extension_id", &ExtensionPasswordSet::extension_id),
                      flat(&ExtensionPasswordSet::credential, kCredential));
    }
    static auto payload(As<ExtensionRemoved>) {
        return fields(field("extension_id", &ExtensionRemoved::extension_id));
    }
    static auto payload(As<RingGroupDefined>) {
        return fields(flat(&RingGroupDefined::ring_group, kRingGroup));
    }
    static auto payload(As<RingGroupRemoved>) {
        return fields(field("ring_group_id", &RingGroupRemoved::ring_group_id));
    }
    static auto payload(As<MediaServerDefined>) {
        return fields(flat(&MediaServerDefined::media_server, kMediaServer));
    }
    static auto payload(As<MediaServerRemoved>) {
        return fields(field("media_server_id", &MediaServerRemoved::media_server_id));
    }
};

}  // namespace

EncodedEvent encode(const PbxEvent& event) { return encode_as<Codec>(event); }

core::Result<PbxEvent> decode_pbx_event(const RecordedEvent& event) {
    return decode_as<Codec, PbxEvent>(event);
}

json::object extension_json(const ExtensionEntry& e) {
    auto o = to_json(e.extension, kExtension);
    o["password_set"] = e.credential.has_value();
    o["realm"] = e.credential ? e.credential->realm : std::string();
    return o;
}

json::object ring_group_json(const RingGroup& g) {
    auto o = to_json(g, kRingGroup);
    o.erase("fallback_kind");
    o.erase("fallback_value");
    if (g.fallback_kind == TargetKind::None)
        o["fallback"] = nullptr;
    else
        o["fallback"] =
            json::object{{"kind", to_string(g.fallback_kind)}, {"value", g.fallback_value}};
    return o;
}

json::object media_server_json(const MediaServer& m) { return to_json(m, kMediaServer); }

std::string extension_ha1_context(const std::string& tenant, const std::string& extension_id) {
    return "voice-extension-ha1:" + tenant + ":" + extension_id;
}

struct ExtensionService::Impl {
    Impl(EventStore& s, std::string t, const MasterKeyring& k, std::string r)
        : store(s),
          tenant(std::move(t)),
          keyring(k),
          realm(std::move(r)),
          loader(s, decode_pbx_event) {}

    EventStore& store;
    std::string tenant;
    const MasterKeyring& keyring;
    std::string realm;
    AggregateLoader<PbxState, PbxEvent> loader;
    std::mutex mu;
    NumberRoutes number_routes;

    template <class Decide>
    core::Result<CommandOutcome<>> run(const core::DecisionContext& ctx, Decide decide) {
        const auto stream = pbx_stream(tenant);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(loader.snapshot(stream));
                auto events = SY_TRY(decide(*state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    PbxPlanOptions plan_options() {
        PbxPlanOptions o;
        o.domain = realm;
        std::lock_guard lock(mu);
        o.number_routes = number_routes;
        return o;
    }
};

ExtensionService::ExtensionService(EventStore& store, std::string tenant,
                                   const MasterKeyring& keyring, std::string realm)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), keyring, std::move(realm))) {}

ExtensionService::~ExtensionService() = default;

#define SY_PBX_EXECUTE(Command)                                                                  \
    core::Result<CommandOutcome<>> ExtensionService::execute(const Command& c,                   \
                                                             const core::DecisionContext& ctx) { \
        return impl_->run(ctx, [&](const PbxState& s) { return decide(s, c, ctx); });            \
    }
SY_PBX_EXECUTE(DefineExtension)
SY_PBX_EXECUTE(RemoveExtension)
SY_PBX_EXECUTE(DefineRingGroup)
SY_PBX_EXECUTE(RemoveRingGroup)
SY_PBX_EXECUTE(DefineMediaServer)
SY_PBX_EXECUTE(RemoveMediaServer)
#undef SY_PBX_EXECUTE

core::Result<CommandOutcome<>> ExtensionService::set_password(const std::string& extension_id,
                                                              const std::string& password,
                                                              const core::DecisionContext& ctx) {
    if (password.size() < 8 || password.size() > 128 || core::has_control_chars(password) ||
        !core::is_valid_utf8(password))
        return core::fail(core::Errc::Invalid, "password", "must be 8 to 128 printable characters");
    return impl_->run(ctx, [&](const PbxState& s) {
        SetExtensionPassword c;
        c.extension_id = extension_id;
        if (auto it = s.extensions.find(extension_id); it != s.extensions.end()) {
            const auto& username = it->second.extension.username;
            c.credential.username = username;
            c.credential.realm = impl_->realm;
            auto ha1 = digest_ha1(username, impl_->realm, password);
            c.credential.ha1_sealed =
                impl_->keyring.seal(ha1, extension_ha1_context(impl_->tenant, extension_id));
            std::fill(ha1.begin(), ha1.end(), '\0');
        }
        return decide(s, c, ctx);
    });
}

core::Result<std::shared_ptr<const PbxState>> ExtensionService::state() const {
    return SY_TRY(impl_->loader.snapshot(pbx_stream(impl_->tenant))).first;
}

const std::string& ExtensionService::realm() const { return impl_->realm; }

core::Result<std::string> ExtensionService::ha1(const std::string& username,
                                                const std::string& realm) const {
    const auto s = SY_TRY(state());
    auto user = s->usernames.find(username);
    if (user == s->usernames.end())
        return core::fail(core::Errc::NotFound, "username", "no extension has this username");
    const auto& entry = s->extensions.at(user->second);
    if (!entry.credential || entry.credential->username != username)
        return core::fail(core::Errc::NotFound, "username", "the extension has no password set");
    if (entry.credential->realm != realm)
        return core::fail(core::Errc::NotFound, "realm",
                          "the password was set for another realm; set it again");
    return impl_->keyring.open(entry.credential->ha1_sealed,
                               extension_ha1_context(impl_->tenant, user->second));
}

std::optional<std::variant<RoutePlan, CallRefusal>> ExtensionService::route(
    const CallSetup& setup) const {
    auto s = state();
    if (!s) return std::nullopt;
    const auto& st = **s;
    if (st.extensions.empty()) return std::nullopt;
    if (setup.auth_user.empty()) {
        for (const auto& [key, target] : st.numbers)
            if (key.substr(key.find('/') + 1) == setup.ruri_user)
                return CallRefusal{407, "Proxy Authentication Required", "challenge"};
        return std::nullopt;
    }
    auto user = st.usernames.find(setup.auth_user);
    if (user == st.usernames.end()) return std::nullopt;
    const auto customer = st.extensions.at(user->second).extension.customer_id;
    auto target = find_number(st, customer, setup.ruri_user);
    if (!target) return CallRefusal{404, "No Such Extension", "no_route"};
    auto plan = plan_for(st, customer, target->first, target->second, impl_->plan_options());
    if (!plan) return CallRefusal{480, "Temporarily Unavailable", "no_route"};
    return *plan;
}

RoutePlan ExtensionService::expand(RoutePlan plan) const {
    const bool any = std::any_of(plan.routes.begin(), plan.routes.end(), [](const RouteOption& r) {
        return r.uri.starts_with("extension:") || r.uri.starts_with("ring_group:");
    });
    if (!any) return plan;
    auto s = state();
    RoutePlan out;
    out.route_group_id = plan.route_group_id;
    out.strategy = plan.strategy;
    out.skipped = plan.skipped;
    const auto options = impl_->plan_options();
    for (auto& r : plan.routes) {
        const auto colon = r.uri.find(':');
        const auto scheme = r.uri.substr(0, colon);
        if (scheme != "extension" && scheme != "ring_group") {
            out.routes.push_back(std::move(r));
            continue;
        }
        std::int64_t customer = 0;
        try {
            customer = std::stoll(r.carrier_id);
        } catch (...) {
            customer = 0;
        }
        const auto id = r.uri.substr(colon + 1);
        std::optional<RoutePlan> sub;
        if (s)
            sub = plan_for(**s, customer,
                           scheme == "extension" ? TargetKind::Extension : TargetKind::RingGroup,
                           id, options);
        if (!sub) {
            out.skipped.push_back(SkippedRoute{"", id, "unknown_target", r.why});
            continue;
        }
        const auto offset = static_cast<std::int64_t>(out.routes.size());
        for (auto& x : sub->routes) {
            for (auto* n : {&x.on_busy, &x.on_no_answer, &x.on_unavailable})
                if (*n) *n += offset;
            out.routes.push_back(std::move(x));
        }
        for (auto& k : sub->skipped) out.skipped.push_back(std::move(k));
    }
    out.max_attempts = static_cast<std::int64_t>(out.routes.size());
    return out;
}

void ExtensionService::set_number_routes(NumberRoutes routes) {
    std::lock_guard lock(impl_->mu);
    impl_->number_routes = std::move(routes);
}

}  // namespace switchyard::events::voice
