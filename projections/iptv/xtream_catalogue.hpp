#pragma once
/// The `xtream_catalogue` read model: live categories, streams and bouquets, with the Xtream
/// Codes JSON of each stream and category pre-rendered, so that a player request is a lookup and
/// a concatenation. Field names and types follow real `player_api.php` answers
/// (../shared/data/iptv/xtream: `stream_id` and `num` integers, `added` and `category_id` strings).
///
/// Keys (ids as 8-byte big-endian, so that rows sort by id): `s/<stream id>` -> the stream's
/// Xtream JSON tail, a newline, and its StreamRow JSON; `c/<category id>` -> the CategoryRow
/// JSON, a newline, and its Xtream JSON; `b/<bouquet id>` -> BouquetRow JSON
/// (`{"id", "name", "category_ids", "stream_ids"}`); `v` -> the log position of the last
/// catalogue event (`<partition>:<offset>`), which CatalogueCache watches.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/iptv/catalogue.hpp"
#include "projections/projection_runner.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kXtreamCatalogue = "xtream_catalogue.v1";

/// Creates the projector of `xtream_catalogue.v1`.
std::unique_ptr<Projector> make_xtream_catalogue_projector();

/// A live stream as the read model holds it.
struct StreamRow {
    std::int64_t id{};
    std::optional<std::int64_t> category_id;
    std::string name, source_url, tvg_id, logo, epg_channel_id, http_referrer, user_agent, source;
    std::int64_t added{};        ///< Unix seconds.
    std::string xtream_tail;     ///< Xtream JSON of the stream after `{"num":N,` (ends with `}`).
    bool direct_source = false;  ///< `/live/` redirects to the source (StreamFields).
    core::iptv::StreamProfile profile;     ///< How its FFmpeg worker transcodes it.
    bool always_on = false;                ///< Its worker runs without viewers.
    bool tv_archive = false;               ///< An archive is recorded.
    std::int64_t tv_archive_duration = 0;  ///< Days the archive keeps; 0 without one.
};

struct CategoryRow {
    std::int64_t id{};
    std::string name;
    std::string kind;  ///< `live`, `movie`, `series`
    std::int64_t parent_id{};
    std::string xtream_json;  ///< `{"category_id":"1","category_name":"News","parent_id":0}`
};

struct BouquetRow {
    std::int64_t id{};
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
};

/// An immutable copy of the model at one checkpoint, with the answers for lines without
/// bouquets (the whole catalogue) rendered in advance.
class CatalogueSnapshot {
  public:
    /// Reads the whole model.
    static std::shared_ptr<const CatalogueSnapshot> load(const ReadModelView& view);

    const std::vector<StreamRow>& streams() const { return streams_; }
    const std::vector<CategoryRow>& categories() const { return categories_; }
    const std::vector<BouquetRow>& bouquets() const { return bouquets_; }
    const StreamRow* stream(std::int64_t id) const;
    const CategoryRow* category(std::int64_t id) const;
    const BouquetRow* bouquet(std::int64_t id) const;

    /// Streams a line with `bouquets` sees, in bouquet order (the whole catalogue in id order
    /// when `bouquets` is empty), each once.
    std::vector<const StreamRow*> visible_streams(const std::vector<std::int64_t>& bouquets) const;

    /// `get_live_streams` body: a JSON array; `category_id` filters when set.
    std::string live_streams_json(const std::vector<std::int64_t>& bouquets,
                                  std::optional<std::int64_t> category_id) const;
    /// `get_live_categories` body: live categories holding a visible stream, as a JSON array.
    std::string live_categories_json(const std::vector<std::int64_t>& bouquets) const;

  private:
    std::vector<StreamRow> streams_;
    std::vector<CategoryRow> categories_;
    std::vector<BouquetRow> bouquets_;
    std::unordered_map<std::int64_t, std::size_t> stream_index_, category_index_, bouquet_index_;
    std::string all_streams_json_;
    std::string all_categories_json_;
};

/// Keeps the latest snapshot and reloads it when the model's checkpoint moves.
/// @thread safe.
class CatalogueCache {
  public:
    explicit CatalogueCache(const ProjectionRunner& runner) : runner_(runner) {}
    std::shared_ptr<const CatalogueSnapshot> get();

  private:
    const ProjectionRunner& runner_;
    std::mutex mu_;
    std::string version_;  ///< Position of the last catalogue event the snapshot holds.
    std::shared_ptr<const CatalogueSnapshot> snapshot_;
};

}  // namespace switchyard::projections::iptv
