#include "app/modules/voice_quality.hpp"

#include <spdlog/spdlog.h>

namespace switchyard::app {

VoiceQuality::VoiceQuality(ModuleHost& host, events::voice::RoutingService& routing,
                           const std::string& webhook_url) {
    events::voice::QualityServiceOptions options;
    options.tenant = host.tenant;
    if (!webhook_url.empty()) {
        adapters::voice::QualityWebhookOptions hook;
        hook.url = webhook_url;
        webhook_ = std::make_unique<adapters::voice::QualityWebhook>(
            hook, host.clock, [this](const core::voice::QualityEvent& outcome) {
                if (auto r = service_->record(outcome); !r)
                    spdlog::warn("voice quality webhook: outcome not recorded: {}",
                                 r.error().message);
            });
        options.on_alert = [hook = webhook_.get()](const core::voice::QualityAlert& a,
                                                   const std::string& type) {
            hook->notify(a, type);
        };
    }
    service_ =
        std::make_unique<events::voice::QualityService>(host.store, host.clock, std::move(options));
    routing.set_quality_source(service_->quality_source());
    routing.set_route_quality(service_->route_quality());
    api_ = std::make_unique<api::QualityApi>(api::QualityApi{host.api, *service_});
}

VoiceQuality::~VoiceQuality() { stop(); }

void VoiceQuality::start() { service_->start(); }

void VoiceQuality::stop() {
    if (service_) service_->stop();
    if (webhook_) webhook_->stop();
}

void VoiceQuality::add_routes(api::Router& router) { api::add_quality_routes(router, *api_); }

}  // namespace switchyard::app
