#pragma once
/// The DID part of the voice module (issue 14 item 5): builds the DID service with its KYC
/// document store under the data directory. VoiceModule::start calls make_did_service and
/// hands the service to the routes (api::VoiceApi::dids).

#include <memory>

#include "app/modules/module.hpp"
#include "events/voice/did_service.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::app {

/// The DID service of `host`'s tenant: orders check customers in `voice`; KYC documents go to
/// `<host.data_dir>/kyc/<tenant>/` (no store when `host.data_dir` is empty: uploads answer
/// 503). The trunk resolver of inbound plans is left unset: the trunks part sets it with
/// DidService::set_trunk_resolver.
std::unique_ptr<events::voice::DidService> make_did_service(ModuleHost& host,
                                                            events::voice::VoiceService& voice);

}  // namespace switchyard::app
