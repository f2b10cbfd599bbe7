#pragma once
/// Decide and evolve for movies and series (pure; see core/iptv/vod.hpp).

#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/vod.hpp"
#include "core/result.hpp"

namespace switchyard::core::iptv {

// ---- commands ----

/// One movie of an import; `key` is the provider's `stream_id`.
struct MovieEntry {
    std::string key;
    MovieFields fields;
};
/// One episode of an import; `key` is the provider's episode `id`.
struct EpisodeEntry {
    std::string key;
    std::int64_t season{};
    std::int64_t episode_num{};
    EpisodeFields fields;
};
/// One series of an import; `key` is the provider's `series_id`.
struct SeriesEntry {
    std::string key;
    SeriesFields fields;
    std::vector<Season> seasons;
    std::vector<EpisodeEntry> episodes;
};
/// Imports the movies and series of one source (an Xtream provider). Entries must be valid
/// (check them with validate_movie_fields and friends first; the caller reports the others).
struct ImportVod {
    std::string source;  ///< Name of the source, e.g. `hellraiser`; 1 to 200 bytes.
    std::vector<MovieEntry> movies;
    std::vector<SeriesEntry> series;
};
/// Removes a movie from the catalogue.
struct RemoveMovie {
    std::int64_t movie_id{};
};
/// Removes a series (and its episodes) from the catalogue.
struct RemoveSeries {
    std::int64_t series_id{};
};

/// What subtitles are attached to.
enum class SubtitleTarget { Movie, Episode };
/// Attaches subtitles of one language to a movie or an episode, replacing that language's.
struct AttachSubtitle {
    SubtitleTarget target = SubtitleTarget::Movie;
    std::int64_t id{};           ///< The movie or episode.
    std::int64_t series_id = 0;  ///< The episode's series (Episode only).
    std::string language;        ///< BCP 47: `en`, `pt-BR`.
    std::vector<Cue> cues;       ///< Already shifted by the upload's offset.
};

/// Created and unchanged entries of one kind.
struct ImportCounts {
    std::int64_t created = 0;
    std::int64_t unchanged = 0;
};

/// The outcome of a VOD command: the events to append, the id addressed (0 for imports) and an
/// import's counts.
struct VodDecision {
    std::vector<VodEvent> events;
    std::int64_t id = 0;
    ImportCounts movies, series, episodes;
};

/// Imports: an entry whose provider key the source already mapped is unchanged (also when
/// listed twice in one import); new episodes of a known series are added to it. When anything
/// was created the events end with an XtreamImported summary; an import that creates nothing
/// decides no events (so a retry, or the same folder again, appends nothing).
/// @errors Invalid naming the field (`source`, `movies[i].name`, ...) of a malformed entry.
Result<VodDecision> decide(const VodState& s, const ImportVod& c, const DecisionContext& ctx);
/// @errors NotFound naming `movie_id`. A removed movie is a no-op.
Result<VodDecision> decide(const VodState& s, const RemoveMovie& c, const DecisionContext& ctx);
/// @errors NotFound naming `series_id`. A removed series is a no-op.
Result<VodDecision> decide(const VodState& s, const RemoveSeries& c, const DecisionContext& ctx);

/// Attaches subtitles; the same cues again decide nothing.
/// @errors Invalid naming `language` (not `ll` or `ll-XX`) or `body` (no cue, more than 50000
///         cues or 4 MiB of text); NotFound naming `id` for an unknown or removed movie or episode.
Result<VodDecision> decide(const VodState& s, const AttachSubtitle& c, const DecisionContext& ctx);
/// Checks a BCP 47 language tag as subtitles use it (`en`, `pt-BR`, `zh-Hant`).
/// @errors Invalid naming `language`.
Result<void> validate_language(std::string_view tag);

/// Checks a movie's fields. @errors Invalid naming the field.
Result<void> validate_movie_fields(const MovieFields& f);
/// Checks a series' fields. @errors Invalid naming the field.
Result<void> validate_series_fields(const SeriesFields& f);
/// Checks an episode's fields. @errors Invalid naming the field.
Result<void> validate_episode_fields(const EpisodeFields& f);

}  // namespace switchyard::core::iptv
