// The module list. Adding a module: one line here (docs/adding-a-module.md).
#include "app/modules/backup_module.hpp"
#include "app/modules/billing_module.hpp"
#include "app/modules/hotspot_module.hpp"
#include "app/modules/identity_module.hpp"
#include "app/modules/iptv_module.hpp"
#include "app/modules/module.hpp"
#include "app/modules/voice_module.hpp"
#include "app/modules/vpn_module.hpp"

namespace switchyard::app {

Modules make_modules() {
    Modules m;
    m.push_back(std::make_unique<IdentityModule>());
    m.push_back(std::make_unique<IptvModule>());
    m.push_back(std::make_unique<VpnModule>());
    m.push_back(std::make_unique<VoiceModule>());
    m.push_back(std::make_unique<HotspotModule>());
    m.push_back(std::make_unique<BillingModule>());
    m.push_back(std::make_unique<BackupModule>());
    return m;
}

}  // namespace switchyard::app
