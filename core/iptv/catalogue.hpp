#pragma once
/// The IPTV catalogue aggregate: categories, streams and bouquets of one operator.
/// One aggregate (stream `catalogue-<tenant>`) so that its rules hold without races: unique source
/// URLs, stable integer ids (the Xtream `stream_id`, `category_id`), no category deleted while it
/// holds streams, bouquets that reference only existing things.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
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
    friend bool operator==(const StreamFields&, const StreamFields&) = default;
};

// ---- events (past tense, plain data) ----

struct CategoryCreated {
    std::int64_t category_id{};
    std::string name;
    CategoryKind kind = CategoryKind::Live;
    std::int64_t parent_id = 0;
};
struct CategoryRenamed {
    std::int64_t category_id{};
    std::string name;
};
struct CategoryDeleted {
    std::int64_t category_id{};
    std::optional<std::int64_t> streams_moved_to;  ///< Where its streams went, if it had any.
    std::vector<std::int64_t> moved_stream_ids;
};
struct StreamAdded {
    std::int64_t stream_id{};
    StreamFields fields;
    Timestamp added;     ///< When it entered the catalogue (the Xtream `added`).
    std::string source;  ///< Import source name, or empty for API-created streams.
};
struct StreamUpdated {
    std::int64_t stream_id{};
    StreamFields fields;  ///< All fields after the change.
};
struct StreamRemoved {
    std::int64_t stream_id{};
};
struct BouquetCreated {
    std::int64_t bouquet_id{};
    std::string name;
    std::vector<std::int64_t> category_ids;  ///< Ordered.
    std::vector<std::int64_t> stream_ids;    ///< Ordered.
};
struct BouquetUpdated {
    std::int64_t bouquet_id{};
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
};
struct BouquetDeleted {
    std::int64_t bouquet_id{};
};
/// Summary of one M3U import; the streams and categories it created are events of their own.
struct PlaylistImported {
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

/// Stream name of the catalogue of a tenant.
inline std::string catalogue_stream(const std::string& tenant) { return "catalogue-" + tenant; }

}  // namespace switchyard::core::iptv
