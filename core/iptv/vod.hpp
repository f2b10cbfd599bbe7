#pragma once
/// Video on demand: movies, and series with their seasons and episodes.
///
/// Each movie is an aggregate of its own (`movie-<id>`), each series another (`series-<id>`)
/// that holds its seasons and episodes, so that commands on different entries never contend.
/// Ids follow real Xtream Codes panels (XC_VM, Xtream UI): a movie's `stream_id` and an
/// episode's `id` are taken from the same `stream_id` space as live streams (the `stream` id
/// allocator), so that `/live/`, `/movie/` and `/series/` never name two things by one number;
/// a series' `series_id` has its own space (the `series` allocator). Their categories are the
/// catalogue's categories of kind `movie` and `series` (core/iptv/catalogue.hpp).
/// What an Xtream import already brought in is kept per import source, in the summary events
/// of that source (XtreamImported: provider key -> our id), so that importing the same
/// folder again creates nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/iptv/subtitles.hpp"
#include "core/time.hpp"

namespace switchyard::core::iptv {

/// The fields of a movie an operator (or an import) sets.
struct MovieFields {
    std::string name;                 ///< Display name, e.g. `The Equalizer 2 (CAM)`.
    std::string source_url;           ///< Where the file is fetched (http, https).
    std::string container_extension;  ///< File extension the player asks for, e.g. `mp4`, `mkv`.
    std::optional<std::int64_t> category_id;  ///< Movie category, or none.
    std::string tmdb_id;                      ///< TMDB movie id (digits) or empty.
    std::string plot;                         ///< Synopsis; may be empty.
    std::string cast;                         ///< Comma-separated names; may be empty.
    std::string director;                     ///< May be empty.
    std::string genre;                        ///< E.g. `Crime / Drama`; may be empty.
    std::string release_date;                 ///< `YYYY-MM-DD` or empty.
    std::int64_t duration_secs = 0;           ///< Running time in seconds; 0 when unknown.
    std::string rating;  ///< 0 to 10 as the panel writes it (`"6.3"`), or empty.
    std::string cover;   ///< Poster URL (Xtream `stream_icon`, `movie_image`).
    std::vector<std::string> backdrop_path;  ///< Backdrop image URLs.
    std::string youtube_trailer;             ///< YouTube video id or empty.
    friend bool operator==(const MovieFields&, const MovieFields&) = default;
};

/// The fields of a series (as `get_series` lists it).
struct SeriesFields {
    std::string name;
    std::optional<std::int64_t> category_id;  ///< Series category, or none.
    std::string cover;
    std::string plot, cast, director, genre;
    std::string release_date;  ///< `YYYY-MM-DD` or empty (Xtream `releaseDate`).
    std::string rating;        ///< 0 to 10 as the panel writes it, or empty.
    std::vector<std::string> backdrop_path;
    std::string youtube_trailer;
    std::int64_t episode_run_time_min = 0;  ///< Minutes; 0 when unknown.
    std::string tmdb_id;
    friend bool operator==(const SeriesFields&, const SeriesFields&) = default;
};

/// One season of a series (`get_series_info` `seasons[]`).
struct Season {
    std::int64_t season_number{};
    std::string name;      ///< E.g. `Season 1`.
    std::string air_date;  ///< `YYYY-MM-DD` or empty.
    std::string overview;
    std::string cover;
    friend bool operator==(const Season&, const Season&) = default;
};

/// The fields of one episode.
struct EpisodeFields {
    std::string title;
    std::string source_url;
    std::string container_extension;
    std::string plot;
    std::string release_date;
    std::int64_t duration_secs = 0;
    std::string rating;
    std::string movie_image;
    friend bool operator==(const EpisodeFields&, const EpisodeFields&) = default;
};

/// A provider's id and ours, recorded by an Xtream import.
struct ImportedKey {
    std::string key;    ///< The provider's id (its `stream_id`, `series_id`, episode `id`).
    std::int64_t id{};  ///< Ours.
    friend bool operator==(const ImportedKey&, const ImportedKey&) = default;
};

// ---- events ----

struct MovieAdded {
    static constexpr std::string_view kType = "iptv.movie.added";
    std::int64_t movie_id{};  ///< The Xtream `stream_id` (shared with live streams).
    MovieFields fields;
    Timestamp added;
    std::string source;  ///< Import source name; empty for API-created movies.
};
struct MovieRemoved {
    static constexpr std::string_view kType = "iptv.movie.removed";
    std::int64_t movie_id{};
};
struct SeriesAdded {
    static constexpr std::string_view kType = "iptv.series.added";
    std::int64_t series_id{};
    SeriesFields fields;
    std::vector<Season> seasons;
    Timestamp added;
    std::string source;
};
struct SeriesRemoved {
    static constexpr std::string_view kType = "iptv.series.removed";
    std::int64_t series_id{};
};
struct EpisodeAdded {
    static constexpr std::string_view kType = "iptv.episode.added";
    std::int64_t series_id{};
    std::int64_t episode_id{};  ///< From the `stream_id` space.
    std::int64_t season{};      ///< Season number, >= 0.
    std::int64_t episode_num{};
    EpisodeFields fields;
    Timestamp added;
};
/// Summary of one Xtream import (in the source's own stream): what it created and the provider
/// ids it mapped, so that the next import of the same source skips them.
struct XtreamImported {
    static constexpr std::string_view kType = "iptv.xtream.imported";
    std::string source;
    std::vector<ImportedKey> movies, series, episodes;
};

/// Subtitles of one language were attached to a movie or an episode (replacing that
/// language's earlier ones).
struct SubtitleAttached {
    static constexpr std::string_view kType = "iptv.subtitle.attached";
    std::string target;          ///< `movie` or `episode`.
    std::int64_t id{};           ///< The movie or episode id.
    std::int64_t series_id = 0;  ///< The episode's series; 0 for a movie.
    std::string language;        ///< BCP 47 tag, e.g. `en`, `pt-BR`.
    std::vector<Cue> cues;       ///< In time order, already shifted by the upload's offset.
};

using VodEvent = std::variant<MovieAdded, MovieRemoved, SeriesAdded, SeriesRemoved, EpisodeAdded,
                              XtreamImported, SubtitleAttached>;

// ---- state ----

struct Movie {
    std::int64_t id{};
    MovieFields fields;
    Timestamp added;
    std::string source;
    bool removed = false;
    std::map<std::string, std::vector<Cue>> subtitles;  ///< By language.
};
struct Episode {
    std::int64_t id{};
    std::int64_t season{};
    std::int64_t episode_num{};
    EpisodeFields fields;
    Timestamp added;
    std::map<std::string, std::vector<Cue>> subtitles;  ///< By language.
};
struct Series {
    std::int64_t id{};
    SeriesFields fields;
    std::vector<Season> seasons;
    std::vector<Episode> episodes;
    Timestamp added;
    std::string source;
    bool removed = false;
};

/// What VOD commands see: the movies and series they touch, and the provider keys an import
/// source already mapped. Removed entries stay as tombstones.
struct VodState {
    std::int64_t next_stream_id = 1;  ///< Next movie or episode id.
    std::int64_t next_series_id = 1;
    std::map<std::int64_t, Movie> movies;
    std::map<std::int64_t, Series> series;
    std::map<std::string, std::int64_t> movie_keys, series_keys, episode_keys;
};

/// Applies one event. Total.
void evolve(VodState& state, const VodEvent& event);

// ---- log streams ----

/// Stream of one movie.
inline std::string movie_stream(std::int64_t id) { return "movie-" + std::to_string(id); }
/// Stream of one series (its seasons and episodes too).
inline std::string series_stream(std::int64_t id) { return "series-" + std::to_string(id); }
/// The stream a VOD event belongs to; empty for XtreamImported (one per source, named by the
/// service).
std::string entity_stream(const VodEvent& event);

}  // namespace switchyard::core::iptv
