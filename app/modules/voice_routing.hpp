#pragma once
/// The voice module's routing part (issue 14 item 3): the routing service over the log, the
/// tariff registry and the voice reference data, and its read model. VoiceModule calls these.

#include <memory>
#include <vector>

#include "app/modules/module.hpp"
#include "events/voice/routing_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"
#include "projections/projector.hpp"

namespace switchyard::app {

/// The routing service of `host`'s tenant. `tariffs` and `voice` must outlive it. Quality
/// figures and carrier channel counts are set later (RoutingService::set_quality_source,
/// set_carrier_channels) by the parts that compute them.
std::unique_ptr<events::voice::RoutingService> make_voice_routing(
    ModuleHost& host, events::voice::TariffRegistry& tariffs, events::voice::VoiceService& voice);

/// Adds the `voice_routing.v1` read model.
void add_voice_routing_projectors(std::vector<std::unique_ptr<projections::Projector>>& out);

}  // namespace switchyard::app
