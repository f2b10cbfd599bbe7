// `switchyard replay`: rebuild one read model from the log and compare it with the live one.
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "app/modules/module.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

int run_replay(const ReplayOptions& o) {
    auto err = [](const core::Error& e) {
        std::fprintf(stderr, "error: %s: %s\n", e.field.c_str(), e.message.c_str());
        return 2;
    };
    const fs::path dir = o.data_dir;
    auto projector = app::make_projector(o.projection);
    if (!projector) {
        std::fprintf(stderr, "error: --projection: no read model named '%s'\n",
                     o.projection.c_str());
        return 2;
    }
    const auto name = projector->name();
    events::RocksDbEventStoreOptions log_options;
    log_options.read_only = true;
    auto store = events::open_rocksdb_event_store(dir / "log", log_options);
    if (!store) return err(store.error());

    std::vector<std::unique_ptr<projections::Projector>> live_set;
    live_set.push_back(app::make_projector(name));
    auto live = projections::ProjectionRunner::open(dir / "readmodels", std::move(live_set),
                                                    {.read_only = true});
    if (!live) return err(live.error());
    auto live_at = (*live)->checkpoint(name);
    if (!live_at) return err(live_at.error());

    events::Checkpoint until = *live_at;
    if (!o.until.empty()) {
        auto parsed = events::Checkpoint::parse(o.until);
        if (!parsed) return err(parsed.error());
        until = *parsed;
    }
    std::error_code ec;
    const auto tmp =
        fs::temp_directory_path() / ("switchyard-replay-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    int rc = 0;
    {
        std::vector<std::unique_ptr<projections::Projector>> set;
        set.push_back(std::move(projector));
        auto rebuilt = projections::ProjectionRunner::open(tmp, std::move(set));
        if (!rebuilt) return err(rebuilt.error());
        if (auto r = (*rebuilt)->catch_up(**store, until); !r) return err(r.error());
        auto rebuilt_digest = (*rebuilt)->digest(name);
        auto live_digest = (*live)->digest(name);
        if (!rebuilt_digest || !live_digest)
            return err(rebuilt_digest ? live_digest.error() : rebuilt_digest.error());
        const auto rebuilt_at = (*rebuilt)->checkpoint(name).value_or(events::Checkpoint{});
        std::printf("projection %s\n", name.c_str());
        std::printf("rebuilt  %s  at %s\n", rebuilt_digest->c_str(),
                    rebuilt_at.to_string().c_str());
        std::printf("live     %s  at %s\n", live_digest->c_str(), live_at->to_string().c_str());
        if (*rebuilt_digest == *live_digest) {
            std::printf("digests match\n");
        } else {
            std::printf(
                "digests DIFFER%s\n",
                rebuilt_at == *live_at ? "" : " (the two models stand at different positions)");
            rc = 1;
        }
    }
    fs::remove_all(tmp, ec);
    return rc;
}

}  // namespace switchyard::app
