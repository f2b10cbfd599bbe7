#pragma once
/// The voice module's customer SIP trunks and call admission (issue 14 items 2 and 4): built
/// on the module's voice, tariff and account services and wired into its API state.

#include <memory>
#include <string>

#include "api/routes/voice/voice_api.hpp"
#include "app/modules/module.hpp"
#include "events/voice/admission_service.hpp"
#include "events/voice/trunk_service.hpp"

namespace switchyard::app {

/// The trunk directory and the admission service of one tenant.
struct VoiceTrunkParts {
    std::unique_ptr<events::voice::TrunkService> trunks;
    std::unique_ptr<events::voice::AdmissionService> admission;
};

/// Builds the trunk service (HA1s sealed with `host.keyring` for `realm`) and the admission
/// service over the voice, tariff and account services (events/voice/admission_service.hpp
/// admission_sources; grants at most `max_duration_s`), and points `api` at both.
/// Every argument must outlive the parts.
VoiceTrunkParts make_voice_trunks(ModuleHost& host, api::VoiceApi& api, const std::string& realm,
                                  std::int64_t max_duration_s);

}  // namespace switchyard::app
