#include "events/iptv/vod_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// A movie's fields, written flat into `iptv.movie.added`.
constexpr auto kMovieFields = fields(
    field("name", &MovieFields::name), field("source_url", &MovieFields::source_url),
    field("container_extension", &MovieFields::container_extension),
    field("category_id", &MovieFields::category_id), field("tmdb_id", &MovieFields::tmdb_id),
    field("plot", &MovieFields::plot), field("cast", &MovieFields::cast),
    field("director", &MovieFields::director), field("genre", &MovieFields::genre),
    field("release_date", &MovieFields::release_date),
    field("duration_secs", &MovieFields::duration_secs), field("rating", &MovieFields::rating),
    field("cover", &MovieFields::cover), field("backdrop_path", &MovieFields::backdrop_path),
    field("youtube_trailer", &MovieFields::youtube_trailer));

/// A series' fields, written flat into `iptv.series.added`.
constexpr auto kSeriesFields = fields(
    field("name", &SeriesFields::name), field("category_id", &SeriesFields::category_id),
    field("cover", &SeriesFields::cover), field("plot", &SeriesFields::plot),
    field("cast", &SeriesFields::cast), field("director", &SeriesFields::director),
    field("genre", &SeriesFields::genre), field("release_date", &SeriesFields::release_date),
    field("rating", &SeriesFields::rating), field("backdrop_path", &SeriesFields::backdrop_path),
    field("youtube_trailer", &SeriesFields::youtube_trailer),
    field("episode_run_time_min", &SeriesFields::episode_run_time_min),
    field("tmdb_id", &SeriesFields::tmdb_id));

constexpr auto kSeason =
    fields(field("season_number", &Season::season_number), field("name", &Season::name),
           field("air_date", &Season::air_date), field("overview", &Season::overview),
           field("cover", &Season::cover));

constexpr auto kEpisodeFields = fields(
    field("title", &EpisodeFields::title), field("source_url", &EpisodeFields::source_url),
    field("container_extension", &EpisodeFields::container_extension),
    field("plot", &EpisodeFields::plot), field("release_date", &EpisodeFields::release_date),
    field("duration_secs", &EpisodeFields::duration_secs), field("rating", &EpisodeFields::rating),
    field("movie_image", &EpisodeFields::movie_image));

constexpr auto kImportedKey =
    fields(field("key", &ImportedKey::key), field("id", &ImportedKey::id));

constexpr auto kCue = fields(field("start_ms", &Cue::start_ms), field("end_ms", &Cue::end_ms),
                             field("text", &Cue::text));

/// The payloads of the VOD events (events/codec_kit.hpp).
struct Codec {
    static auto payload(As<MovieAdded>) {
        using E = MovieAdded;
        return fields(field("movie_id", &E::movie_id), flat(&E::fields, kMovieFields),
                      field("added", &E::added), field("source", &E::source));
    }
    static auto payload(As<MovieRemoved>) {
        return fields(field("movie_id", &MovieRemoved::movie_id));
    }
    static auto payload(As<SeriesAdded>) {
        using E = SeriesAdded;
        return fields(field("series_id", &E::series_id), flat(&E::fields, kSeriesFields),
                      objects("seasons", &E::seasons, kSeason), field("added", &E::added),
                      field("source", &E::source));
    }
    static auto payload(As<SeriesRemoved>) {
        return fields(field("series_id", &SeriesRemoved::series_id));
    }
    static auto payload(As<EpisodeAdded>) {
        using E = EpisodeAdded;
        return fields(field("series_id", &E::series_id), field("episode_id", &E::episode_id),
                      field("season", &E::season), field("episode_num", &E::episode_num),
                      flat(&E::fields, kEpisodeFields), field("added", &E::added));
    }
    static auto payload(As<SubtitleAttached>) {
        using E = SubtitleAttached;
        return fields(field("target", &E::target), field("id", &E::id),
                      field("series_id", &E::series_id), field("language", &E::language),
                      objects("cues", &E::cues, kCue));
    }
    static auto payload(As<XtreamImported>) {
        using E = XtreamImported;
        return fields(field("source", &E::source), objects("movies", &E::movies, kImportedKey),
                      objects("series", &E::series, kImportedKey),
                      objects("episodes", &E::episodes, kImportedKey));
    }
};

}  // namespace

EncodedEvent encode(const VodEvent& event) { return encode_as<Codec>(event); }
core::Result<VodEvent> decode_vod_event(const RecordedEvent& e) {
    return decode_as<Codec, VodEvent>(e);
}

}  // namespace switchyard::events::iptv
