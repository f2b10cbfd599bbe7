#pragma once
/// The `epg_guide` read model: the programmes of every XMLTV guide channel from every EPG
/// source, keyed by guide channel, source and start time, and the queries that serve the best
/// source of a channel (the highest priority; on a tie the source name that sorts first).
///
/// Keys (`\n` separates parts: channel ids never hold one, XML normalizes it to a space):
/// `c/<channel id>\n<source>` -> ChannelSourceRow JSON (`{"channel_id", "source", "priority",
/// "display_names", "icon", "starts"}`, `starts` the start times it holds, ascending);
/// `p/<channel id>\n<source>\n<start as 8-byte big-endian>` -> the programme JSON
/// (`{"start", "stop", "title", ...}` as in iptv.channel_guide.replaced);
/// `m/<stream id as 8-byte big-endian>` -> the guide channel id the operator tied it to.
/// Programmes that started more than kKeepDays before the event that replaces their channel's
/// guide are dropped from the model; queries apply the served retention window.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/iptv/epg.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kEpgGuide = "epg_guide.v1";
/// How long programmes stay in the model after they start, counted in event time.
inline constexpr std::int64_t kKeepDays = 30;

/// Creates the projector of `epg_guide.v1`.
std::unique_ptr<Projector> make_epg_guide_projector();

/// One guide channel as one source has it.
struct ChannelSourceRow {
    std::string channel_id;
    std::string source;
    std::int64_t priority{};
    std::vector<std::string> display_names;
    std::string icon;
    std::vector<std::int64_t> starts;  ///< Start times (Unix seconds) of its programmes.
};

/// Every guide channel with the source that serves it (its best source), in channel id order.
std::vector<ChannelSourceRow> guide_channels(const ReadModelView& view);
/// The best source of one guide channel, or nullopt when no source has it.
std::optional<ChannelSourceRow> guide_channel(const ReadModelView& view,
                                              const std::string& channel_id);

/// The position ("partition:offset") of the last guide event the model holds; empty for a model
/// built before the version row existed.
std::string guide_version(const ReadModelView& view);

/// The manual mappings: stream id -> guide channel id.
std::map<std::int64_t, std::string> epg_overrides(const ReadModelView& view);

/// Programmes of `row` (a channel's source) that end after `from` and start before `until`
/// (Unix seconds), ordered by start, at most `limit` (0: no limit).
std::vector<core::iptv::EpgProgramme> guide_programmes(const ReadModelView& view,
                                                       const ChannelSourceRow& row,
                                                       std::int64_t from, std::int64_t until,
                                                       std::size_t limit = 0);

}  // namespace switchyard::projections::iptv
