#pragma once
/// The electronic programme guide (EPG): XMLTV guides imported from named sources. Each source
/// is an aggregate (`iptv_epg-<tenant>-<hash of its name>`, named by the service); one import
/// of a guide is one append of one `iptv.channel_guide.replaced` per guide channel that
/// changed, and an `iptv.epg.imported` summary. When two sources carry the same guide channel,
/// the one with the higher priority is served (projections/iptv/epg_guide.hpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/xmltv.hpp"
#include "core/result.hpp"

namespace switchyard::core::iptv {

/// One programme of a guide channel. Times are UTC Unix seconds.
struct EpgProgramme {
    std::int64_t start{};
    std::int64_t stop{};
    std::string title;
    std::string sub_title;
    std::string desc;
    std::vector<std::string> categories;
    std::string episode_num;
    std::string icon;
    std::string lang;
    friend bool operator==(const EpgProgramme&, const EpgProgramme&) = default;
};

// ---- events ----

/// The programmes of one guide channel from one source, for the window they cover, replace what
/// that source had for the channel in that window.
struct ChannelGuideReplaced {
    static constexpr std::string_view kType = "iptv.channel_guide.replaced";
    std::string source;       ///< Source name, e.g. `tvplus`.
    std::int64_t priority{};  ///< The source's priority at this import; higher wins.
    std::string channel_id;   ///< XMLTV channel id, e.g. `24TV.tr`.
    std::vector<std::string> display_names;
    std::string icon;
    std::int64_t window_start{};  ///< Earliest programme start (Unix seconds); 0 without any.
    std::int64_t window_end{};    ///< Latest programme stop (Unix seconds); 0 without any.
    std::vector<EpgProgramme> programmes;  ///< Ordered by start.
    friend bool operator==(const ChannelGuideReplaced&, const ChannelGuideReplaced&) = default;
};

/// Summary of one guide import that changed something.
struct EpgImported {
    static constexpr std::string_view kType = "iptv.epg.imported";
    std::string source;
    std::int64_t priority{};
    std::int64_t channels{};    ///< Guide channels in the guide.
    std::int64_t programmes{};  ///< Programmes in the guide.
    std::int64_t changed{};     ///< Channels whose guide was replaced.
    std::int64_t unchanged{};   ///< Channels whose guide was already the same.
    std::int64_t invalid{};     ///< Items the parser refused.
};

/// The operator tied a stream to a guide channel by hand (or untied it: empty `channel_id`).
/// Overrides win over the automatic mapping (core/iptv/epg_mapping.hpp).
struct EpgMappingSet {
    static constexpr std::string_view kType = "iptv.epg_mapping.set";
    std::int64_t stream_id{};
    std::string channel_id;  ///< XMLTV channel id; empty: back to the automatic mapping.
};

/// The operator created or changed one programme of a source's guide channel (the programme
/// editor); it replaces the programme with the same start.
struct ProgrammeSaved {
    static constexpr std::string_view kType = "iptv.programme.saved";
    std::string source;
    std::string channel_id;
    EpgProgramme programme;
};
/// The operator deleted the programme starting at `start` from a source's guide channel.
struct ProgrammeDeleted {
    static constexpr std::string_view kType = "iptv.programme.deleted";
    std::string source;
    std::string channel_id;
    std::int64_t start{};  ///< Unix seconds.
};

using EpgEvent = std::variant<ChannelGuideReplaced, EpgImported, EpgMappingSet, ProgrammeSaved,
                              ProgrammeDeleted>;

// ---- state ----

/// What one source has imported: the last guide of each channel.
struct EpgSourceState {
    std::map<std::string, ChannelGuideReplaced> channels;
};
/// Applies one event. Total.
void evolve(EpgSourceState& state, const EpgEvent& event);

/// The manual mapping of one stream (stream `iptv_epg_mapping-<tenant>-<stream id>`).
struct EpgMappingState {
    std::string channel_id;  ///< Empty: none.
};
/// Applies one event. Total.
void evolve(EpgMappingState& state, const EpgEvent& event);

// ---- commands ----

/// Imports a parsed guide from a source.
struct ImportGuide {
    std::string source;         ///< 1 to 100 bytes of `A-Z a-z 0-9 . _ -`.
    std::int64_t priority = 0;  ///< 0 to 1000.
    std::vector<XmltvChannel> channels;
    std::vector<XmltvProgramme> programmes;
    std::int64_t invalid = 0;  ///< Items the parser refused (reported in the summary).
};

/// The events of an import and its summary (also when nothing changed).
struct EpgDecision {
    std::vector<EpgEvent> events;
    EpgImported summary;
};

/// Decides an import: the programmes are grouped by channel (channels that programmes name
/// without a `<channel>` element count too) and ordered by start; a channel whose guide,
/// names, icon and priority equal what the source last imported for it is unchanged. When
/// nothing changed there are no events (so a re-import appends nothing).
/// @errors Invalid naming `source` or `priority` when out of range; Rejected naming `body` when
///         the guide has neither channels nor programmes.
Result<EpgDecision> decide(const EpgSourceState& state, const ImportGuide& command,
                           const DecisionContext& ctx);

/// Ties a stream to a guide channel, or unties it with an empty `channel_id`.
struct SetEpgMapping {
    std::int64_t stream_id{};  ///< A stream of the catalogue (checked by the caller).
    std::string channel_id;    ///< Up to 200 bytes, no control characters; empty unties.
};
/// Decides a manual mapping: no events when the stream already has it.
/// @errors Invalid naming `stream_id` (not positive) or `channel_id` (too long, control
///         characters).
Result<std::vector<EpgEvent>> decide(const EpgMappingState& state, const SetEpgMapping& command,
                                     const DecisionContext& ctx);

/// Creates or changes one programme of a guide channel that `source` imported; the programme
/// with the same start is replaced. To move a programme, delete it and save it anew.
struct SaveProgramme {
    std::string source;
    std::string channel_id;
    EpgProgramme programme;  ///< `stop` after `start`; `title` 1 to 1000 bytes.
};
/// Deletes the programme starting at `start` from a guide channel of `source`.
struct DeleteProgramme {
    std::string source;
    std::string channel_id;
    std::int64_t start{};
};
/// Decides an edit on the source's state. No events when the programme is already so (or,
/// for a deletion, already gone).
/// @errors Invalid naming `source`, `stop`, `title`, `desc` or `start`; NotFound naming
///         `channel_id` when the source has no such guide channel.
Result<std::vector<EpgEvent>> decide(const EpgSourceState& state, const SaveProgramme& command,
                                     const DecisionContext& ctx);
Result<std::vector<EpgEvent>> decide(const EpgSourceState& state, const DeleteProgramme& command,
                                     const DecisionContext& ctx);

/// Checks a source name. @errors Invalid naming `source`.
Result<void> validate_epg_source(std::string_view source);

}  // namespace switchyard::core::iptv
