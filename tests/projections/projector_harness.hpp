#pragma once
/// One projector fed the way the server feeds it: events appended to a memory log, projected by a
/// ProjectionRunner into its RocksDB read model, read back through the model's view. A test
/// derives from it to name its events' streams.

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/command_handler.hpp"
#include "events/encoded_event.hpp"
#include "events/memory_event_store.hpp"
#include "projections/projection_runner.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::testing {

class ProjectorHarness {
  public:
    /// Opens a runner over an empty memory log with `projector` as its only model.
    explicit ProjectorHarness(std::unique_ptr<projections::Projector> projector)
        : name_(projector->name()) {
        std::vector<std::unique_ptr<projections::Projector>> projectors;
        projectors.push_back(std::move(projector));
        auto runner = projections::ProjectionRunner::open(dir_.path(), std::move(projectors));
        REQUIRE(runner);
        runner_ = std::move(*runner);
    }

    /// Appends `event` to `stream` (whatever its revision), with `time` as its event time.
    void append(const std::string& stream, const events::EncodedEvent& event,
                core::Timestamp time = core::from_unix_seconds(1'790'000'000)) {
        core::DecisionContext ctx;
        ctx.now = time;
        auto e = events::make_new_event(event.type, event.schema, event.data, ctx, "op");
        REQUIRE(store_->append({{stream, events::ExpectedRevision::any(), {std::move(e)}}}));
    }

    /// The model after projecting everything appended so far.
    const projections::ReadModelView& view() {
        REQUIRE(runner_->catch_up(*store_, std::nullopt));
        const auto* view = runner_->view(name_);
        REQUIRE(view != nullptr);
        return *view;
    }

  private:
    TempDir dir_;
    std::unique_ptr<events::EventStore> store_ = events::make_memory_event_store();
    std::string name_;
    std::unique_ptr<projections::ProjectionRunner> runner_;
};

}  // namespace switchyard::testing
