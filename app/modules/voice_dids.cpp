#include "app/modules/voice_dids.hpp"

namespace switchyard::app {

std::unique_ptr<events::voice::DidService> make_did_service(ModuleHost& host,
                                                            events::voice::VoiceService& voice) {
    std::shared_ptr<const events::voice::KycStore> kyc;
    if (!host.data_dir.empty()) kyc = std::make_shared<events::voice::KycStore>(host.data_dir);
    return std::make_unique<events::voice::DidService>(host.store, host.tenant, &voice,
                                                       std::move(kyc));
}

}  // namespace switchyard::app
