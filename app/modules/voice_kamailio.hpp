#pragma once
/// The voice module's Kamailio call path (issue 14): the CallService
/// (events/voice/call_service.hpp) over the three call-path parts, and its HTTP surface
/// (api/routes/voice/kamailio.hpp). Until the real trunk directory, router and admission are
/// given, unwired stand-ins answer every routing question Unavailable (Kamailio then refuses
/// the call `503 Routing Unavailable`, the documented policy when Switchyard cannot decide) and
/// every HA1 NotFound; events about calls are still recorded.

#include <functional>
#include <memory>
#include <optional>

#include "api/router.hpp"
#include "api/routes/voice/kamailio.hpp"
#include "app/modules/module.hpp"
#include "core/voice/call_path.hpp"
#include "events/voice/call_service.hpp"
#include "events/voice/cdr_service.hpp"

namespace switchyard::app {

/// The parts that answer a routing question; any left null is the unwired stand-in. They
/// must outlive the module.
struct CallPathParts {
    const core::voice::TrunkDirectory* trunks = nullptr;
    const core::voice::CallRouter* router = nullptr;
    core::voice::CallAdmission* admission = nullptr;
    /// The inbound plan of a dialled number that is an active DID
    /// (events/voice/call_service.hpp CallServiceOptions::did_plan); empty = no DIDs.
    std::function<std::optional<core::voice::RoutePlan>(const std::string& number)> did_plan;
    /// Extensions and ring groups (CallServiceOptions::extension_route, expand_did_plan,
    /// extension_ha1); empty = none.
    decltype(events::voice::CallServiceOptions::extension_route) extension_route;
    decltype(events::voice::CallServiceOptions::expand_did_plan) expand_did_plan;
    decltype(events::voice::CallServiceOptions::extension_ha1) extension_ha1;
};

/// The CallService, its routes' state, and the stand-ins it may use.
class VoiceCallPath {
  public:
    /// Builds the CallService over `parts` and `cdrs` and runs its recover() (open calls back
    /// into the admission, overdue ones closed). @errors the store's, from recover().
    static core::Result<std::unique_ptr<VoiceCallPath>> start(ModuleHost& host,
                                                              events::voice::CdrService& cdrs,
                                                              const CallPathParts& parts);
    ~VoiceCallPath();
    /// Adds the Kamailio routes and `GET /v1/voice/calls/{id}`.
    void add_routes(api::Router& router);
    events::voice::CallService& calls() { return *calls_; }

  private:
    VoiceCallPath() = default;
    struct Unwired;
    std::unique_ptr<Unwired> unwired_;
    std::unique_ptr<events::voice::CallService> calls_;
    std::unique_ptr<api::KamailioApi> api_;
};

}  // namespace switchyard::app
