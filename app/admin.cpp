// `switchyard admin rotate-master-key`: a new master key, every sealed secret sealed again.
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "core/time.hpp"
#include "events/hotspot/controller_service.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/identity/identity_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/secret_box.hpp"
#include "events/vpn/vpn_service.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

int run_rotate_master_key(const AdminOptions& o) {
    const fs::path dir = o.data_dir;
    const auto key_file = dir / "master.key";
    if (!fs::exists(key_file)) {
        std::fprintf(stderr, "error: --data-dir: %s does not exist\n", key_file.c_str());
        return 1;
    }
    auto ring = events::MasterKeyring::load_or_create(key_file);
    if (!ring) {
        std::fprintf(stderr, "error: %s: %s\n", ring.error().field.c_str(),
                     ring.error().message.c_str());
        return 1;
    }
    auto store = events::open_rocksdb_event_store(dir / "log");
    if (!store) {
        std::fprintf(stderr,
                     "error: cannot open the log (%s); stop the server first: the embedded log "
                     "has one writer\n",
                     store.error().message.c_str());
        return 1;
    }
    const auto old_id = ring->current_id();
    // 1. The new key joins the ring (saved first: a crash from here on leaves both keys, and a
    //    second run finishes the job).
    ring->rotate();
    if (auto saved = ring->save(key_file); !saved) {
        std::fprintf(stderr, "error: %s\n", saved.error().message.c_str());
        return 1;
    }
    // 2. Every secret sealed under an older key is sealed again.
    events::identity::IdentityService identity(**store, "op", *ring);
    core::SystemClock clock;
    core::DecisionContext ctx;
    ctx.now = clock.now();
    ctx.actor = core::Actor{core::ActorKind::System, "rotate-master-key", ""};
    ctx.correlation_id = "rotate-master-key";
    auto resealed = identity.reseal_secrets(ctx);
    if (!resealed) {
        std::fprintf(stderr, "error: %s: %s (both keys kept; fix and run again)\n",
                     resealed.error().field.c_str(), resealed.error().message.c_str());
        return 1;
    }
    auto add = [&resealed](const core::Result<int>& n) {
        if (!n) {
            std::fprintf(stderr, "error: %s: %s (both keys kept; fix and run again)\n",
                         n.error().field.c_str(), n.error().message.c_str());
            return false;
        }
        *resealed += *n;
        return true;
    };
    events::vpn::VpnConfig no_files;  // resealing reads only the log
    events::vpn::VpnService vpn(**store, "op", *ring, no_files);
    if (!add(vpn.reseal_secrets(ctx))) return 1;
    // The hotspot's NAS secrets, account passwords and controller credentials.
    events::hotspot::HotspotService hotspot(**store, "op", *ring);
    if (!add(hotspot.reseal_secrets(ctx))) return 1;
    events::hotspot::ControllerService controllers(**store, hotspot, *ring);
    if (!add(controllers.reseal_secrets(ctx))) return 1;
    // 3. The old keys go: what they sealed in older events can no longer be opened.
    ring->retire_old_keys();
    if (auto saved = ring->save(key_file); !saved) {
        std::fprintf(stderr, "error: %s\n", saved.error().message.c_str());
        return 1;
    }
    std::printf("master key rotated: %s -> %s; %d secrets sealed again\n", old_id.c_str(),
                ring->current_id().c_str(), *resealed);
    return 0;
}

}  // namespace switchyard::app
