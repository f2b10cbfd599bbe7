#pragma once
/// The hotspot controllers as the API drives them: api::ControllerClient over the adapters of
/// adapters/hotspot (MikrotikController, OmadaController, MerakiController), built from a
/// controller definition and its secrets in clear (api/routes/hotspot/controllers.hpp).

#include "api/routes/hotspot/controllers.hpp"
#include "core/time.hpp"

namespace switchyard::app {

/// The factory the controller routes call per request: a fresh adapter for the definition
/// (MikroTik: address, port, tls, username, password, hotspot server; Omada: base URL, portal
/// URL, Omada ID, site, Open API client, hotspot operator; Meraki: base URL, API key, network,
/// SSID), timeouts from the definition or the adapter's default.
/// @param clock must outlive the factory (the adapters compute expiries from it).
api::ControllerFactory make_controller_factory(const core::Clock& clock);

}  // namespace switchyard::app
