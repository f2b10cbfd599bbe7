#pragma once
/// Movie metadata for the VOD catalogue from TMDB (The Movie Database, API v3), behind a small
/// interface so that imports and tests can use another source.
/// @source TMDB API v3: GET /movie/{movie_id}, GET /search/movie (developer.themoviedb.org);
///         images at `<image base><size><file path>` (GET /configuration `images.base_url`).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/iptv/vod.hpp"
#include "core/result.hpp"

namespace switchyard::adapters::iptv {

/// What a metadata source knows about one movie, in the catalogue's terms.
struct MovieMetadata {
    std::int64_t tmdb_id{};
    std::string title;
    std::string original_title;
    std::string overview;
    std::string release_date;  ///< `YYYY-MM-DD` or empty.
    std::string imdb_id;       ///< E.g. `tt0137523`; may be empty.
    std::int64_t runtime_min = 0;
    std::string rating;  ///< 0 to 10 with one decimal (`8.3`); empty without votes.
    std::vector<std::string> genres;
    std::string poster_url;    ///< Full URL; empty without a poster.
    std::string backdrop_url;  ///< Full URL; empty without one.
};

/// One result of a title search.
struct MovieMatch {
    std::int64_t tmdb_id{};
    std::string title;
    std::string release_date;
};

/// A source of movie metadata.
/// @thread an implementation may be called from several threads at once.
class MetadataClient {
  public:
    virtual ~MetadataClient() = default;
    /// The movie with this TMDB id.
    /// @errors NotFound when the source does not know it; Unauthorized for a refused key;
    ///         Unavailable or Timeout when the source cannot be reached; Invalid for an answer
    ///         that is not the expected JSON.
    virtual core::Result<MovieMetadata> movie(std::int64_t tmdb_id) = 0;
    /// Movies whose title matches, best first; `year` narrows to a release year.
    /// @errors as movie(), except NotFound (no match is an empty list).
    virtual core::Result<std::vector<MovieMatch>> search_movie(std::string_view title,
                                                               std::optional<int> year) = 0;
};

/// Where and how the TMDB client asks.
struct TmdbOptions {
    std::string base_url = "https://api.themoviedb.org/3";       ///< Default: TMDB's API v3.
    std::string api_key;                                         ///< v3 API key (`api_key=`).
    std::string image_base_url = "https://image.tmdb.org/t/p/";  ///< Default: TMDB's images.
    std::string poster_size = "w500";                            ///< Default: w500.
    std::string backdrop_size = "w1280";                         ///< Default: w1280.
    std::string language = "en-US";                              ///< Default: en-US.
    int timeout_ms = 10000;                                      ///< Per request. Default: 10 s.
};

/// A MetadataClient that asks TMDB's API v3 at `options.base_url` (libcurl, blocking).
std::unique_ptr<MetadataClient> make_tmdb_client(TmdbOptions options);

/// `fields` with what `m` knows filled in where the field is empty (the operator's and the
/// provider's values win): tmdb_id, plot, genre (` / `-joined), release_date, duration_secs,
/// rating, cover, backdrop_path.
core::iptv::MovieFields with_metadata(core::iptv::MovieFields fields, const MovieMetadata& m);

}  // namespace switchyard::adapters::iptv
