#pragma once
/// The voice module's route quality part (issue 14 item 6): the QualityService over the log,
/// wired into routing (carrier figures for the `quality` strategy, the actions in force), its
/// webhook notifier when a URL is given, and its routes (api/routes/voice/quality.hpp).

#include <memory>
#include <string>

#include "adapters/voice/quality_webhook.hpp"
#include "api/router.hpp"
#include "api/routes/voice/quality.hpp"
#include "app/modules/module.hpp"
#include "events/voice/quality_service.hpp"
#include "events/voice/routing_service.hpp"

namespace switchyard::app {

/// The quality service, its notifier and its routes' state.
class VoiceQuality {
  public:
    /// Builds the service on `host` (not yet following the log) and gives `routing` its figures
    /// and actions; a non-empty `webhook_url` adds the notifier. `routing` must outlive it.
    VoiceQuality(ModuleHost& host, events::voice::RoutingService& routing,
                 const std::string& webhook_url);
    ~VoiceQuality();
    /// Starts following the log and the ticker.
    void start();
    /// Stops the service, then the notifier (after its queue). Idempotent.
    void stop();
    void add_routes(api::Router& router);
    events::voice::QualityService& service() { return *service_; }

  private:
    std::unique_ptr<adapters::voice::QualityWebhook> webhook_;
    std::unique_ptr<events::voice::QualityService> service_;
    std::unique_ptr<api::QualityApi> api_;
};

}  // namespace switchyard::app
