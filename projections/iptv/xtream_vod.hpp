#pragma once
/// The `xtream_vod` read model: movies, series and episodes with their Xtream Codes JSON
/// pre-rendered, so that a player request is a lookup and a concatenation. Field names and
/// types follow real `player_api.php` answers: `get_vod_streams` and `get_series` as the
/// captures in ../shared/data/iptv/xtream (`stream_id`/`series_id`/`num` integers, `added`,
/// `rating`, `category_id`, `last_modified`, `episode_run_time` strings, `rating_5based` a
/// number, `stream_type` `movie` for movies and null for series); `get_vod_info` and
/// `get_series_info` as Xtream UI / XC_VM panels send them and client libraries read them
/// (tellytv/go.xtream-codes structs.go `VideoOnDemandInfo`, `Series`, `SeriesEpisode`; XC_VM
/// docs/en/api/xtreamcodes_api.md): `{"info":{...},"movie_data":{...}}` with `tmdb_id`,
/// `rating` and `added` strings and `duration_secs` an integer; `{"seasons":[...],"info":{...},
/// "episodes":{"<season>":[...]}}` with each episode's `id` and `added` strings and
/// `episode_num` and `season` integers.
///
/// Keys (ids as 8-byte big-endian): `m/<movie id>` -> MovieRow; `r/<series id>` -> SeriesRow;
/// `e/<series id><episode id>` -> EpisodeRow; `t/m<movie id>/<language>` and
/// `t/e<episode id>/<language>` -> the subtitles as WebVTT text; each row is its metadata JSON,
/// then a newline and its pre-rendered Xtream JSON parts (newline-separated). `v` -> the log
/// position of the last VOD event, which VodCache watches.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/iptv/vod.hpp"
#include "projections/projection_runner.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kXtreamVod = "xtream_vod.v1";

/// Creates the projector of `xtream_vod.v1`.
std::unique_ptr<Projector> make_xtream_vod_projector();

struct MovieRow {
    std::int64_t id{};
    std::optional<std::int64_t> category_id;
    std::string name, cover, source_url, container_extension, source;
    std::int64_t added{};     ///< Unix seconds.
    std::string xtream_tail;  ///< `get_vod_streams` entry after `{"num":N,` (ends with `}`).
    std::string info_json;    ///< The whole `get_vod_info` answer.
};

struct EpisodeRow {
    std::int64_t id{};
    std::int64_t series_id{};
    std::int64_t season{};
    std::int64_t episode_num{};
    std::string title, source_url, container_extension;
    std::string xtream_json;  ///< The episode object of `get_series_info`.
};

struct SeriesRow {
    std::int64_t id{};
    std::optional<std::int64_t> category_id;
    std::string name, cover, source;
    std::int64_t added{};
    std::vector<core::iptv::Season> seasons;
    std::string xtream_tail;  ///< `get_series` entry after `{"num":N,`.
    std::string info_json;    ///< The `info` object of `get_series_info`.
};

/// Which categories a line sees: all (a line without bouquets) or those its bouquets list.
struct VodVisibility {
    bool all = true;
    std::unordered_set<std::int64_t> categories;
    bool sees(std::optional<std::int64_t> category_id) const {
        return all || (category_id && categories.count(*category_id) > 0);
    }
};

/// An immutable copy of the model at one checkpoint.
class VodSnapshot {
  public:
    /// Reads the whole model.
    static std::shared_ptr<const VodSnapshot> load(const ReadModelView& view);

    const std::vector<MovieRow>& movies() const { return movies_; }
    const std::vector<SeriesRow>& series() const { return series_; }
    const MovieRow* movie(std::int64_t id) const;
    const SeriesRow* series_by_id(std::int64_t id) const;
    /// An episode by its id (the `/series/` file name).
    const EpisodeRow* episode(std::int64_t id) const;
    /// The episodes of a series, by season then episode number.
    std::vector<const EpisodeRow*> episodes_of(std::int64_t series_id) const;

    /// `get_vod_streams` body: the movies `v` sees, as a JSON array; `category_id` filters.
    std::string vod_streams_json(const VodVisibility& v,
                                 std::optional<std::int64_t> category_id) const;
    /// `get_series` body, likewise.
    std::string series_json(const VodVisibility& v, std::optional<std::int64_t> category_id) const;
    /// `get_vod_info` body of a movie `v` sees; none when it does not exist or is not visible.
    std::optional<std::string> vod_info_json(const VodVisibility& v, std::int64_t id) const;
    /// `get_series_info` body of a series `v` sees: `{"seasons":[...],"info":{...},
    /// "episodes":{"<season number>":[...]}}` (seasons listed by the series, and any season
    /// an episode has, with `episode_count`); none when not visible.
    std::optional<std::string> series_info_json(const VodVisibility& v, std::int64_t id) const;

  private:
    std::vector<MovieRow> movies_;
    std::vector<SeriesRow> series_;
    std::vector<EpisodeRow> episodes_;
    std::unordered_map<std::int64_t, std::size_t> movie_index_, series_index_, episode_index_;
    std::unordered_map<std::int64_t, std::vector<std::size_t>> episodes_by_series_;
};

/// What subtitles belong to.
enum class SubtitleOf { Movie, Episode };
/// The subtitles of a movie or an episode in `language` as WebVTT text; none when there are
/// none.
std::optional<std::string> find_subtitles(const ReadModelView& view, SubtitleOf of, std::int64_t id,
                                          std::string_view language);

/// Keeps the latest snapshot and reloads it when the model's checkpoint moves.
/// @thread safe.
class VodCache {
  public:
    explicit VodCache(const ProjectionRunner& runner) : runner_(runner) {}
    std::shared_ptr<const VodSnapshot> get();

  private:
    const ProjectionRunner& runner_;
    std::mutex mu_;
    std::string version_;
    std::shared_ptr<const VodSnapshot> snapshot_;
};

}  // namespace switchyard::projections::iptv
