#pragma once
/// The IPTV catalogue: categories, streams and bouquets of one operator.
/// Each category, stream and bouquet is an aggregate of its own (`category-<id>`, `stream-<id>`,
/// `bouquet-<id>`), so that commands on different entries never contend and a command's cost
/// does not grow with the catalogue. Unique names (source URLs, category names per kind, bouquet
/// names) are held by claim streams, one per name (ClaimEvent); integer ids (the Xtream
/// `stream_id`, `category_id`) are reserved from the log in blocks (events/id_allocator.hpp).
/// The deciders (catalogue_decider.hpp) run on a CatalogueState that holds just the entries a
/// command touches, folded from their streams.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::iptv {

/// Xtream category kinds; only Live is served now, Movie (VOD) and Series are reserved.
enum class CategoryKind { Live, Movie, Series };
/// Wire name: `live`, `movie`, `series`.
const char* to_string(CategoryKind kind) noexcept;
/// Parses a wire name; false when unknown.
bool parse_category_kind(std::string_view text, CategoryKind& out) noexcept;

/// How a stream's FFmpeg worker transcodes it (adapters/ffmpeg TranscodeProfile as data; the
/// API checks it with adapters::ffmpeg::check_profile before it is stored). The default copies
/// the source's video and audio untouched.
struct StreamProfile {
    std::string name = "copy";
    std::string video_codec = "copy";     ///< copy, libx264, libx265 or mpeg2video.
    std::string audio_codec = "copy";     ///< copy, aac, libmp3lame or ac3.
    std::int64_t video_bitrate_kbps = 0;  ///< 0: the encoder's default.
    std::int64_t audio_bitrate_kbps = 0;  ///< 0: the encoder's default.
    std::int64_t width = 0;               ///< 0 (with height 0): the source's size.
    std::int64_t height = 0;
    std::string preset;  ///< x264/x265 speed preset; empty: the encoder's default.
    friend bool operator==(const StreamProfile&, const StreamProfile&) = default;
};

/// Longest archive a stream may keep, days (Xtream `tv_archive_duration`).
inline constexpr std::int64_t kMaxArchiveDays = 30;

/// The fields of a stream that an operator sets (everything but its id and added time).
struct StreamFields {
    std::string name;        ///< Display name, e.g. `ABC (720p)`.
    std::string source_url;  ///< Where the stream is pulled from (http, https, rtmp, rtsp, udp).
    std::string tvg_id;      ///< `tvg-id` of the playlist, e.g. `ABC.us@East`; may be empty.
    std::string logo;        ///< `tvg-logo` URL; may be empty.
    std::optional<std::int64_t> category_id;  ///< Live category, or none.
    std::string epg_channel_id;  ///< XMLTV channel id (tvg-id without `@Feed`); may be empty.
    std::string http_referrer;   ///< From `#EXTVLCOPT:http-referrer=`; may be empty.
    std::string user_agent;      ///< From `#EXTVLCOPT:http-user-agent=`; may be empty.
    /// `/live/` answers a redirect to `source_url` (the viewer sees the source) instead of
    /// restreaming it through an FFmpeg worker; an operator's deliberate choice. Default false.
    bool direct_source = false;
    StreamProfile profile;                 ///< How its FFmpeg worker transcodes it.
    bool always_on = false;                ///< Its worker runs without viewers.
    bool tv_archive = false;               ///< An archive is recorded (Xtream `tv_archive` 1).
    std::int64_t tv_archive_duration = 0;  ///< Days the archive keeps, 1 to 30; 0 without one.
    friend bool operator==(const StreamFields&, const StreamFields&) = default;
};

/// The XMLTV channel id of a `tvg-id`: the id without its feed (iptv-org's `@Feed` suffix),
/// e.g. `ABC.us@East` -> `ABC.us`. The default of StreamFields::epg_channel_id.
std::string epg_channel_of(std::string_view tvg_id);

// ---- events (past tense, plain data) ----

struct CategoryCreated {
    static constexpr std::string_view kType = "iptv.category.created";
    std::int64_t category_id{};
    std::string name;
    CategoryKind kind = CategoryKind::Live;
    std::int64_t parent_id = 0;
};
struct CategoryRenamed {
    static constexpr std::string_view kType = "iptv.category.renamed";
    std::int64_t category_id{};
    std::string name;
};
struct CategoryDeleted {
    static constexpr std::string_view kType = "iptv.category.deleted";
    std::int64_t category_id{};
    std::optional<std::int64_t> streams_moved_to;  ///< Where its streams went, if it had any.
    std::vector<std::int64_t> moved_stream_ids;
};
struct StreamAdded {
    static constexpr std::string_view kType = "iptv.stream.added";
    std::int64_t stream_id{};
    StreamFields fields;
    Timestamp added;     ///< When it entered the catalogue (the Xtream `added`).
    std::string source;  ///< Import source name, or empty for API-created streams.
};
struct StreamUpdated {
    static constexpr std::string_view kType = "iptv.stream.updated";
    std::int64_t stream_id{};
    StreamFields fields;  ///< All fields after the change.
};
struct StreamRemoved {
    static constexpr std::string_view kType = "iptv.stream.removed";
    std::int64_t stream_id{};
};
struct BouquetCreated {
    static constexpr std::string_view kType = "iptv.bouquet.created";
    std::int64_t bouquet_id{};
    std::string name;
    std::vector<std::int64_t> category_ids;  ///< Ordered.
    std::vector<std::int64_t> stream_ids;    ///< Ordered.
};
struct BouquetUpdated {
    static constexpr std::string_view kType = "iptv.bouquet.updated";
    std::int64_t bouquet_id{};
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
};
struct BouquetDeleted {
    static constexpr std::string_view kType = "iptv.bouquet.deleted";
    std::int64_t bouquet_id{};
};
/// Summary of one M3U import; the streams and categories it created are events of their own.
struct PlaylistImported {
    static constexpr std::string_view kType = "iptv.playlist.imported";
    std::string source;
    std::int64_t entries{};
    std::int64_t created{};
    std::int64_t unchanged{};
    std::int64_t invalid{};
};

using CatalogueEvent =
    std::variant<CategoryCreated, CategoryRenamed, CategoryDeleted, StreamAdded, StreamUpdated,
                 StreamRemoved, BouquetCreated, BouquetUpdated, BouquetDeleted, PlaylistImported>;

// ---- state ----

struct Category {
    std::int64_t id{};
    std::string name;
    CategoryKind kind = CategoryKind::Live;
    std::int64_t parent_id = 0;
    std::int64_t stream_count = 0;
    bool deleted = false;
    /// Where the streams of a deleted category went (none: they became uncategorized).
    std::optional<std::int64_t> moved_to;
};
struct Stream {
    std::int64_t id{};
    StreamFields fields;
    Timestamp added;
    std::string source;
    bool removed = false;
};
struct Bouquet {
    std::int64_t id{};
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
    bool deleted = false;
};

/// Everything the catalogue's rules need. Deleted things stay as tombstones so that a retried
/// delete is a no-op and ids are never reused.
struct CatalogueState {
    std::int64_t next_category_id = 1;
    std::int64_t next_stream_id = 1;
    std::int64_t next_bouquet_id = 1;
    std::map<std::int64_t, Category> categories;
    std::map<std::int64_t, Stream> streams;
    std::map<std::int64_t, Bouquet> bouquets;
    std::unordered_map<std::string, std::int64_t> stream_by_url;     ///< live streams only
    std::unordered_map<std::string, std::int64_t> category_by_name;  ///< `kind/name` of live ones
    std::unordered_map<std::string, std::int64_t> bouquet_by_name;   ///< live ones

    const Category* category(std::int64_t id) const;
    const Stream* stream(std::int64_t id) const;
    const Bouquet* bouquet(std::int64_t id) const;
};

// ---- unique names ----

/// What a unique name belongs to.
enum class ClaimKind { SourceUrl, Category, Bouquet };
/// Wire name: `source_url`, `category`, `bouquet`.
const char* to_string(ClaimKind kind) noexcept;
/// Parses a wire name; false when unknown.
bool parse_claim_kind(std::string_view text, ClaimKind& out) noexcept;

/// A catalogue entry took a unique name (in the name's claim stream).
struct NameClaimed {
    static constexpr std::string_view kType = "iptv.name.claimed";
    ClaimKind kind = ClaimKind::SourceUrl;
    std::string name;   ///< The source URL, `<kind>/<category name>` or the bouquet name.
    std::int64_t id{};  ///< The stream, category or bouquet that holds it.
};
/// A catalogue entry gave a unique name back (renamed, changed or deleted).
struct NameReleased {
    static constexpr std::string_view kType = "iptv.name.released";
    ClaimKind kind = ClaimKind::SourceUrl;
    std::string name;
    std::int64_t id{};
};
using ClaimEvent = std::variant<NameClaimed, NameReleased>;

/// Who holds one unique name.
struct ClaimState {
    std::optional<std::int64_t> id;  ///< The holder; none when free.
};
/// Applies one claim event. Total.
void evolve(ClaimState& state, const ClaimEvent& event);

/// The unique name of a category: its kind and name, e.g. `live/News`.
std::string category_claim_name(CategoryKind kind, std::string_view name);

/// A claim a decision takes (`claimed`) or gives back.
struct ClaimChange {
    ClaimKind kind = ClaimKind::SourceUrl;
    std::string name;
    std::int64_t id{};
    bool claimed = true;
};
/// The claims that `events` take and give back, applied in order to `before` (the state the
/// events were decided on): created entries claim their name, renamed or changed ones release
/// the old name and claim the new one, deleted ones release theirs.
std::vector<ClaimChange> claim_changes(const CatalogueState& before,
                                       const std::vector<CatalogueEvent>& events);

// ---- log streams ----

/// Stream of one category.
inline std::string category_stream(std::int64_t id) { return "category-" + std::to_string(id); }
/// Stream of one live stream (an Xtream `stream_id`).
inline std::string live_stream_stream(std::int64_t id) { return "stream-" + std::to_string(id); }
/// Stream of one bouquet.
inline std::string bouquet_stream(std::int64_t id) { return "bouquet-" + std::to_string(id); }
/// The stream a catalogue event belongs to; empty for PlaylistImported (one per source, named by
/// the service).
std::string entity_stream(const CatalogueEvent& event);

}  // namespace switchyard::core::iptv
