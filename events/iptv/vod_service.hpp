#pragma once
/// The command side of movies and series: loads the entries a command touches (each movie and
/// each series is a stream of its own; an import source's provider keys are in its summary
/// stream), runs the pure deciders (core/iptv/vod_decider.hpp) and appends their events with
/// expected revisions, deciding again on conflict. An import is one append, however many
/// entries it creates.

#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/vod_decider.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What a VOD command gives back (in a CommandOutcome): the id it addressed (0 for imports) and
/// an import's counts per kind.
struct VodDetail {
    std::int64_t id = 0;
    core::iptv::ImportCounts movies, series, episodes;
};

/// Movie and series commands of one tenant. Movie and episode ids come from the tenant's
/// `stream` id allocator (the Xtream `stream_id` space live streams use), series ids from its
/// `series` allocator.
/// @thread safe.
class VodService {
  public:
    VodService(EventStore& store, std::string tenant);
    ~VodService();

    /// Errors as the deciders, plus the store's errors.
    core::Result<CommandOutcome<VodDetail>> execute(const core::iptv::ImportVod& c,
                                                    const core::DecisionContext& ctx);
    core::Result<CommandOutcome<VodDetail>> execute(const core::iptv::RemoveMovie& c,
                                                    const core::DecisionContext& ctx);
    core::Result<CommandOutcome<VodDetail>> execute(const core::iptv::RemoveSeries& c,
                                                    const core::DecisionContext& ctx);
    /// Attaches subtitles to a movie (its stream) or an episode (its series' stream).
    core::Result<CommandOutcome<VodDetail>> execute(const core::iptv::AttachSubtitle& c,
                                                    const core::DecisionContext& ctx);

    /// The stream of an import source's summaries: `iptv_xtream-<tenant>-<first 40 hex of the
    /// SHA-256 of the source name>`.
    std::string import_stream(const std::string& source) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
