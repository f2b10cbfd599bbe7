// `switchyard replay`: rebuild one read model from the log and compare it with the live one.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "app/modules/module.hpp"
#include "events/log_time.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

namespace {

/// Where `--until` stops: a checkpoint as given, or the log's checkpoint at an RFC 3339 time.
core::Result<events::Checkpoint> until_of(const std::string& text, events::EventStore& store) {
    if (auto t = core::parse_rfc3339(text)) return events::checkpoint_at_time(store, *t);
    auto parsed = events::Checkpoint::parse(text);
    if (!parsed)
        return core::fail(core::Errc::Invalid, "--until",
                          "neither a checkpoint (0:2607) nor an RFC 3339 time "
                          "(2026-10-31T23:59:59Z): " +
                              text);
    return *parsed;
}

}  // namespace

core::Result<ReplayReport> replay_projection(const ReplayOptions& o) {
    const fs::path dir = o.data_dir;
    auto projector = app::make_projector(o.projection);
    if (!projector)
        return core::fail(core::Errc::Invalid, "--projection",
                          "no read model named '" + o.projection + "'");
    ReplayReport report;
    report.projection = projector->name();
    const auto& name = report.projection;
    events::RocksDbEventStoreOptions log_options;
    log_options.read_only = true;
    auto store = SY_TRY(events::open_rocksdb_event_store(dir / "log", log_options));

    std::vector<std::unique_ptr<projections::Projector>> live_set;
    live_set.push_back(app::make_projector(name));
    auto live = SY_TRY(projections::ProjectionRunner::open(dir / "readmodels", std::move(live_set),
                                                           {.read_only = true}));
    report.live_at = SY_TRY(live->checkpoint(name));
    report.until = o.until.empty() ? report.live_at : SY_TRY(until_of(o.until, *store));
    const auto& until = report.until;

    std::error_code ec;
    const auto tmp =
        fs::temp_directory_path() / ("switchyard-replay-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    auto rebuild = [&]() -> core::Result<void> {
        std::vector<std::unique_ptr<projections::Projector>> set;
        set.push_back(std::move(projector));
        auto rebuilt = SY_TRY(projections::ProjectionRunner::open(tmp, std::move(set)));
        SY_TRY(rebuilt->catch_up(*store, until));
        report.rebuilt_digest = SY_TRY(rebuilt->digest(name));
        report.live_digest = SY_TRY(live->digest(name));
        report.rebuilt_at = rebuilt->checkpoint(name).value_or(events::Checkpoint{});
        return {};
    };
    auto done = rebuild();
    fs::remove_all(tmp, ec);
    if (!done) return core::fail(done.error());
    return report;
}

int run_replay(const ReplayOptions& o) {
    auto report = replay_projection(o);
    if (!report) {
        std::fprintf(stderr, "error: %s: %s\n", report.error().field.c_str(),
                     report.error().message.c_str());
        return 2;
    }
    const auto& r = *report;
    std::printf("projection %s\n", r.projection.c_str());
    if (!o.until.empty())
        std::printf(
            "until    %s = checkpoint %s\n", o.until.c_str(),
            r.until.to_string().empty() ? "(before the first event)" : r.until.to_string().c_str());
    std::printf("rebuilt  %s  at %s\n", r.rebuilt_digest.c_str(), r.rebuilt_at.to_string().c_str());
    std::printf("live     %s  at %s\n", r.live_digest.c_str(), r.live_at.to_string().c_str());
    if (r.rebuilt_digest == r.live_digest) {
        std::printf("digests match\n");
        return 0;
    }
    std::printf("digests DIFFER%s\n",
                r.rebuilt_at == r.live_at ? "" : " (the two models stand at different positions)");
    return 1;
}

}  // namespace switchyard::app
