#include "app/modules/voice_trunks.hpp"

namespace switchyard::app {

VoiceTrunkParts make_voice_trunks(ModuleHost& host, api::VoiceApi& api, const std::string& realm,
                                  std::int64_t max_duration_s) {
    VoiceTrunkParts parts;
    parts.trunks = std::make_unique<events::voice::TrunkService>(host.store, host.tenant, api.voice,
                                                                 api.tariffs, host.keyring, realm);
    events::voice::AdmissionOptions options;
    options.max_duration_s = max_duration_s;
    const core::Clock* clock = &host.clock;
    options.now = [clock] { return clock->now(); };
    parts.admission = std::make_unique<events::voice::AdmissionService>(
        events::voice::admission_sources(api.voice, api.tariffs, api.accounts, *parts.trunks),
        std::move(options));
    api.trunks = parts.trunks.get();
    api.admission = parts.admission.get();
    return parts;
}

}  // namespace switchyard::app
