// The voice line over HTTP. Each resource's handlers and routes are in its own file here; a new
// resource adds its table to the list below.
#include "api/routes/voice/voice_support.hpp"

namespace switchyard::api {

void add_voice_routes(Router& router, VoiceApi& api) {
    for (auto* part :
         {voice::category_routes, voice::customer_routes, voice::assignment_routes,
          voice::reference_routes, voice::deck_routes, voice::cost_routes, voice::cdr_routes,
          voice::balance_routes, voice::rerating_routes, voice::did_routes, voice::routing_routes,
          voice::trunk_routes, voice::extension_routes})
        add_routes(router, api, "voice", part());
}

}  // namespace switchyard::api
