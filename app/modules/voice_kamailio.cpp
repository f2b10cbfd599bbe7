#include "app/modules/voice_kamailio.hpp"

#include <spdlog/spdlog.h>

namespace switchyard::app {

using namespace core::voice;

/// Every question answered Unavailable / NotFound: no routing without the real parts.
struct VoiceCallPath::Unwired final : TrunkDirectory, CallRouter, CallAdmission {
    core::Result<std::variant<TrunkMatch, CallRefusal>> identify(const CallSetup&) const override {
        return core::fail(core::Errc::Unavailable, "trunk", "no trunk directory is wired");
    }
    core::Result<std::string> ha1(const std::string&, const std::string&) const override {
        return core::fail(core::Errc::NotFound, "username", "no trunk directory is wired");
    }
    core::Result<RoutePlan> plan(const TrunkMatch&, core::Timestamp) const override {
        return core::fail(core::Errc::Unavailable, "route", "no call router is wired");
    }
    core::Result<std::variant<Admission, CallRefusal>> admit(const CallSetup&, const TrunkMatch&,
                                                             const RoutePlan&) override {
        return core::fail(core::Errc::Unavailable, "admission", "no call admission is wired");
    }
    void moved(const std::string&, const std::string&) override {}
    void release(const std::string&) override {}
};

VoiceCallPath::~VoiceCallPath() = default;

core::Result<std::unique_ptr<VoiceCallPath>> VoiceCallPath::start(ModuleHost& host,
                                                                  events::voice::CdrService& cdrs,
                                                                  const CallPathParts& parts) {
    std::unique_ptr<VoiceCallPath> out(new VoiceCallPath());
    out->unwired_ = std::make_unique<Unwired>();
    events::voice::CallServiceOptions options;
    options.tenant = host.tenant;
    options.did_plan = parts.did_plan;
    options.extension_route = parts.extension_route;
    options.expand_did_plan = parts.expand_did_plan;
    options.extension_ha1 = parts.extension_ha1;
    out->calls_ = std::make_unique<events::voice::CallService>(
        host.store, parts.trunks ? *parts.trunks : *out->unwired_,
        parts.router ? *parts.router : *out->unwired_,
        parts.admission ? *parts.admission : *out->unwired_, cdrs, options);
    core::DecisionContext ctx;
    ctx.now = host.clock.now();
    ctx.actor = {core::ActorKind::System, "voice-call-path", ""};
    ctx.correlation_id = "voice-call-recover";
    auto recovered = SY_TRY(out->calls_->recover(ctx));
    if (recovered.restored || recovered.closed)
        spdlog::info("voice calls: {} open calls restored, {} overdue closed", recovered.restored,
                     recovered.closed);
    out->api_ = std::make_unique<api::KamailioApi>(api::KamailioApi{host.api, *out->calls_});
    return out;
}

void VoiceCallPath::add_routes(api::Router& router) { api::add_kamailio_routes(router, *api_); }

}  // namespace switchyard::app
