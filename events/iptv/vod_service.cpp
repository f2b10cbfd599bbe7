#include "events/iptv/vod_service.hpp"

#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "events/id_allocator.hpp"
#include "events/iptv/vod_codec.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// Ids given to entries a first, planning decision creates; the real ids are taken after it.
constexpr std::int64_t kPlanBase = std::int64_t{1} << 60;

}  // namespace

struct VodService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          states(s, decode_vod_event),
          stream_ids(s, "iptv", tenant, "stream"),
          series_ids(s, "iptv", tenant, "series") {}

    /// The writes of `events`, grouped by stream in order: `revisions` holds the streams the
    /// attempt read; a stream it did not read is a new entry's and must not exist.
    std::vector<StreamWrite> writes_for(
        const std::vector<VodEvent>& events,
        const std::unordered_map<std::string, std::int64_t>& revisions,
        const std::string& summary_stream, const core::DecisionContext& ctx) {
        std::vector<StreamWrite> out;
        std::unordered_map<std::string, std::size_t> index;
        for (const auto& e : events) {
            auto stream = entity_stream(e);
            if (stream.empty()) stream = summary_stream;
            auto [it, inserted] = index.try_emplace(stream, out.size());
            if (inserted) {
                auto known = revisions.find(stream);
                out.push_back({stream,
                               ExpectedRevision::at(known == revisions.end() ? -1 : known->second),
                               {}});
            }
            out[it->second].events.push_back(make_new_event(encode(e), ctx, tenant));
        }
        return out;
    }

    /// Runs a command on one entry's stream.
    template <class Command>
    core::Result<CommandOutcome<VodDetail>> run_one(const Command& c, const std::string& stream,
                                                    const core::DecisionContext& ctx) {
        VodDecision decision;
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(states.load(stream));
                decision = SY_TRY(decide(state, c, ctx));
                if (decision.events.empty()) return std::vector<StreamWrite>{};
                return writes_for(decision.events, {{stream, revision}}, "", ctx);
            }));
        return outcome_of(appended, VodDetail{decision.id, {}, {}, {}});
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<VodState, VodEvent> states;
    IdAllocator stream_ids, series_ids;
};

VodService::VodService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
VodService::~VodService() = default;

std::string VodService::import_stream(const std::string& source) const {
    return fmt::format("iptv_xtream-{}-{}", impl_->tenant, sha256_hex(source).substr(0, 40));
}

core::Result<CommandOutcome<VodDetail>> VodService::execute(const ImportVod& c,
                                                            const core::DecisionContext& ctx) {
    const auto summary_stream = import_stream(c.source);
    VodDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            std::unordered_map<std::string, std::int64_t> revisions;
            auto [state, revision] = SY_TRY(impl_->states.load(summary_stream));
            revisions[summary_stream] = revision;
            state.next_stream_id = state.next_series_id = kPlanBase;
            decision = SY_TRY(decide(state, c, ctx));
            std::int64_t streams = 0, series = 0;
            std::set<std::int64_t> known_series;  // series that get episodes, not created now
            for (const auto& e : decision.events) {
                if (std::holds_alternative<MovieAdded>(e)) ++streams;
                if (std::holds_alternative<SeriesAdded>(e)) ++series;
                if (const auto* ep = std::get_if<EpisodeAdded>(&e)) {
                    ++streams;
                    if (ep->series_id < kPlanBase) known_series.insert(ep->series_id);
                }
            }
            if (decision.events.empty()) return std::vector<StreamWrite>{};
            if (streams) state.next_stream_id = SY_TRY(impl_->stream_ids.take(streams, ctx));
            if (series) state.next_series_id = SY_TRY(impl_->series_ids.take(series, ctx));
            decision = SY_TRY(decide(state, c, ctx));
            for (auto id : known_series) {
                const auto stream = series_stream(id);
                revisions[stream] = SY_TRY(impl_->states.load(stream)).second;
            }
            return impl_->writes_for(decision.events, revisions, summary_stream, ctx);
        }));
    return outcome_of(appended, VodDetail{0, decision.movies, decision.series, decision.episodes});
}

core::Result<CommandOutcome<VodDetail>> VodService::execute(const RemoveMovie& c,
                                                            const core::DecisionContext& ctx) {
    return impl_->run_one(c, movie_stream(c.movie_id), ctx);
}

core::Result<CommandOutcome<VodDetail>> VodService::execute(const RemoveSeries& c,
                                                            const core::DecisionContext& ctx) {
    return impl_->run_one(c, series_stream(c.series_id), ctx);
}

}  // namespace switchyard::events::iptv

namespace switchyard::events::iptv {

core::Result<CommandOutcome<VodDetail>> VodService::execute(const AttachSubtitle& c,
                                                            const core::DecisionContext& ctx) {
    return impl_->run_one(
        c, c.target == SubtitleTarget::Movie ? movie_stream(c.id) : series_stream(c.series_id),
        ctx);
}

}  // namespace switchyard::events::iptv
