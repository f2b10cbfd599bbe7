#include "app/modules/voice_routing.hpp"

#include "projections/voice/routing.hpp"

namespace switchyard::app {

std::unique_ptr<events::voice::RoutingService> make_voice_routing(
    ModuleHost& host, events::voice::TariffRegistry& tariffs, events::voice::VoiceService& voice) {
    return std::make_unique<events::voice::RoutingService>(host.store, host.tenant, tariffs, voice);
}

void add_voice_routing_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) {
    out.push_back(projections::voice::make_voice_routing_projector());
}

}  // namespace switchyard::app
