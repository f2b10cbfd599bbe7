#include "core/iptv/vod_decider.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::iptv {

namespace {

struct Evolver {
    VodState& s;
    void operator()(const MovieAdded& e) {
        s.movies[e.movie_id] = Movie{e.movie_id, e.fields, e.added, e.source, false, {}};
        s.next_stream_id = std::max(s.next_stream_id, e.movie_id + 1);
    }
    void operator()(const MovieRemoved& e) {
        if (auto it = s.movies.find(e.movie_id); it != s.movies.end()) it->second.removed = true;
    }
    void operator()(const SeriesAdded& e) {
        s.series[e.series_id] =
            Series{e.series_id, e.fields, e.seasons, {}, e.added, e.source, false};
        s.next_series_id = std::max(s.next_series_id, e.series_id + 1);
    }
    void operator()(const SeriesRemoved& e) {
        if (auto it = s.series.find(e.series_id); it != s.series.end()) it->second.removed = true;
    }
    void operator()(const EpisodeAdded& e) {
        if (auto it = s.series.find(e.series_id); it != s.series.end()) {
            it->second.episodes.push_back(
                Episode{e.episode_id, e.season, e.episode_num, e.fields, e.added, {}});
        }
        s.next_stream_id = std::max(s.next_stream_id, e.episode_id + 1);
    }
    void operator()(const SubtitleAttached& e) {
        if (e.target == "movie") {
            if (auto it = s.movies.find(e.id); it != s.movies.end())
                it->second.subtitles[e.language] = e.cues;
            return;
        }
        if (auto it = s.series.find(e.series_id); it != s.series.end())
            for (auto& ep : it->second.episodes)
                if (ep.id == e.id) ep.subtitles[e.language] = e.cues;
    }
    void operator()(const XtreamImported& e) {
        for (const auto& k : e.movies) s.movie_keys[k.key] = k.id;
        for (const auto& k : e.series) s.series_keys[k.key] = k.id;
        for (const auto& k : e.episodes) s.episode_keys[k.key] = k.id;
    }
};

/// A short text: 1 (when `required`) to `max` bytes of UTF-8 without control characters.
Result<void> check_text(std::string_view v, const std::string& field, std::size_t max,
                        bool required = false) {
    if (required && v.empty()) return fail(Errc::Invalid, field, "must not be empty");
    if (v.size() > max)
        return fail(Errc::Invalid, field, fmt::format("must have at most {} bytes", max));
    if (!is_valid_utf8(v) || has_control_chars(v))
        return fail(Errc::Invalid, field, "must be UTF-8 text without control characters");
    return {};
}
/// A long text (plot, overview): UTF-8, at most 16 KiB; line breaks allowed.
Result<void> check_long_text(std::string_view v, const std::string& field) {
    if (v.size() > 16384) return fail(Errc::Invalid, field, "must have at most 16384 bytes");
    if (!is_valid_utf8(v)) return fail(Errc::Invalid, field, "must be UTF-8 text");
    return {};
}
/// A media URL: http or https, at most 2048 bytes, no white space.
Result<void> check_source_url(std::string_view v, const std::string& field) {
    if (v.empty() || v.size() > 2048)
        return fail(Errc::Invalid, field, "must have 1 to 2048 bytes");
    if (!starts_with_ci(v, "http://") && !starts_with_ci(v, "https://"))
        return fail(Errc::Invalid, field, "must be an http or https URL");
    if (v.find_first_of(" \t\r\n") != std::string_view::npos || !is_valid_utf8(v))
        return fail(Errc::Invalid, field, "must not contain white space");
    return {};
}
/// A container extension: 1 to 8 ASCII letters or digits (`mp4`, `mkv`, `MKV` as some panels
/// write it).
Result<void> check_extension(std::string_view v, const std::string& field) {
    if (v.empty() || v.size() > 8 || !std::all_of(v.begin(), v.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }))
        return fail(Errc::Invalid, field, "must be 1 to 8 letters or digits");
    return {};
}
Result<void> check_images(const std::vector<std::string>& urls, const std::string& field) {
    if (urls.size() > 32) return fail(Errc::Invalid, field, "must list at most 32 URLs");
    for (std::size_t i = 0; i < urls.size(); ++i)
        SY_TRY(check_text(urls[i], fmt::format("{}[{}]", field, i), 2048));
    return {};
}

std::string prefixed(const std::string& prefix, const std::string& field) {
    return prefix + "." + field;
}
/// Re-roots an error's field under `prefix` (`name` -> `movies[3].name`).
template <class T>
Result<T> under(const std::string& prefix, Result<T> r) {
    if (!r) r.error().field = prefixed(prefix, r.error().field);
    return r;
}

}  // namespace

void evolve(VodState& state, const VodEvent& event) { std::visit(Evolver{state}, event); }

std::string entity_stream(const VodEvent& event) {
    return std::visit(Overloaded{[](const MovieAdded& e) { return movie_stream(e.movie_id); },
                                 [](const MovieRemoved& e) { return movie_stream(e.movie_id); },
                                 [](const SeriesAdded& e) { return series_stream(e.series_id); },
                                 [](const SeriesRemoved& e) { return series_stream(e.series_id); },
                                 [](const EpisodeAdded& e) { return series_stream(e.series_id); },
                                 [](const XtreamImported&) { return std::string(); },
                                 [](const SubtitleAttached& e) {
                                     return e.target == "movie" ? movie_stream(e.id)
                                                                : series_stream(e.series_id);
                                 }},
                      event);
}

Result<void> validate_movie_fields(const MovieFields& f) {
    SY_TRY(check_text(f.name, "name", 200, true));
    SY_TRY(check_source_url(f.source_url, "source_url"));
    SY_TRY(check_extension(f.container_extension, "container_extension"));
    if (f.category_id && *f.category_id <= 0)
        return fail(Errc::Invalid, "category_id", "must be a positive integer");
    if (!std::all_of(f.tmdb_id.begin(), f.tmdb_id.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        f.tmdb_id.size() > 12)
        return fail(Errc::Invalid, "tmdb_id", "must be up to 12 digits");
    SY_TRY(check_long_text(f.plot, "plot"));
    SY_TRY(check_text(f.cast, "cast", 4096));
    SY_TRY(check_text(f.director, "director", 1024));
    SY_TRY(check_text(f.genre, "genre", 512));
    SY_TRY(check_text(f.release_date, "release_date", 32));
    if (f.duration_secs < 0 || f.duration_secs > 1'000'000)
        return fail(Errc::Invalid, "duration_secs", "must be 0 to 1000000 seconds");
    SY_TRY(check_text(f.rating, "rating", 16));
    SY_TRY(check_text(f.cover, "cover", 2048));
    SY_TRY(check_images(f.backdrop_path, "backdrop_path"));
    SY_TRY(check_text(f.youtube_trailer, "youtube_trailer", 256));
    return {};
}

Result<void> validate_series_fields(const SeriesFields& f) {
    SY_TRY(check_text(f.name, "name", 200, true));
    if (f.category_id && *f.category_id <= 0)
        return fail(Errc::Invalid, "category_id", "must be a positive integer");
    SY_TRY(check_text(f.cover, "cover", 2048));
    SY_TRY(check_long_text(f.plot, "plot"));
    SY_TRY(check_text(f.cast, "cast", 4096));
    SY_TRY(check_text(f.director, "director", 1024));
    SY_TRY(check_text(f.genre, "genre", 512));
    SY_TRY(check_text(f.release_date, "release_date", 32));
    SY_TRY(check_text(f.rating, "rating", 16));
    SY_TRY(check_images(f.backdrop_path, "backdrop_path"));
    SY_TRY(check_text(f.youtube_trailer, "youtube_trailer", 256));
    if (f.episode_run_time_min < 0 || f.episode_run_time_min > 100'000)
        return fail(Errc::Invalid, "episode_run_time", "must be 0 to 100000 minutes");
    SY_TRY(check_text(f.tmdb_id, "tmdb_id", 12));
    return {};
}

Result<void> validate_episode_fields(const EpisodeFields& f) {
    SY_TRY(check_text(f.title, "title", 400, true));
    SY_TRY(check_source_url(f.source_url, "source_url"));
    SY_TRY(check_extension(f.container_extension, "container_extension"));
    SY_TRY(check_long_text(f.plot, "plot"));
    SY_TRY(check_text(f.release_date, "release_date", 32));
    if (f.duration_secs < 0 || f.duration_secs > 1'000'000)
        return fail(Errc::Invalid, "duration_secs", "must be 0 to 1000000 seconds");
    SY_TRY(check_text(f.rating, "rating", 16));
    SY_TRY(check_text(f.movie_image, "movie_image", 2048));
    return {};
}

Result<VodDecision> decide(const VodState& s, const ImportVod& c, const DecisionContext& ctx) {
    SY_TRY(check_text(c.source, "source", 200, true));
    VodDecision d;
    VodState next = s;  // evolve a copy so that keys listed twice dedupe
    XtreamImported summary{c.source, {}, {}, {}};
    auto emit = [&](VodEvent e) {
        evolve(next, e);
        d.events.push_back(std::move(e));
    };
    for (std::size_t i = 0; i < c.movies.size(); ++i) {
        const auto& m = c.movies[i];
        const auto at = fmt::format("movies[{}]", i);
        SY_TRY(under(at, validate_movie_fields(m.fields)));
        if (m.key.empty()) return fail(Errc::Invalid, prefixed(at, "key"), "must not be empty");
        if (next.movie_keys.count(m.key)) {
            ++d.movies.unchanged;
            continue;
        }
        const auto id = next.next_stream_id;
        emit(MovieAdded{id, m.fields, ctx.now, c.source});
        next.movie_keys[m.key] = id;
        summary.movies.push_back({m.key, id});
        ++d.movies.created;
    }
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& sr = c.series[i];
        const auto at = fmt::format("series[{}]", i);
        SY_TRY(under(at, validate_series_fields(sr.fields)));
        if (sr.key.empty()) return fail(Errc::Invalid, prefixed(at, "key"), "must not be empty");
        std::set<std::int64_t> season_numbers;
        for (std::size_t j = 0; j < sr.seasons.size(); ++j) {
            const auto field = fmt::format("{}.seasons[{}]", at, j);
            const auto& season = sr.seasons[j];
            if (season.season_number < 0 || season.season_number > 10'000)
                return fail(Errc::Invalid, prefixed(field, "season_number"), "must be 0 to 10000");
            if (!season_numbers.insert(season.season_number).second)
                return fail(Errc::Invalid, prefixed(field, "season_number"), "is listed twice");
            SY_TRY(under(field, check_text(season.name, "name", 200)));
            SY_TRY(under(field, check_long_text(season.overview, "overview")));
        }
        std::int64_t series_id = 0;
        if (auto known = next.series_keys.find(sr.key); known != next.series_keys.end()) {
            series_id = known->second;
            ++d.series.unchanged;
        } else {
            series_id = next.next_series_id;
            emit(SeriesAdded{series_id, sr.fields, sr.seasons, ctx.now, c.source});
            next.series_keys[sr.key] = series_id;
            summary.series.push_back({sr.key, series_id});
            ++d.series.created;
        }
        for (std::size_t j = 0; j < sr.episodes.size(); ++j) {
            const auto& ep = sr.episodes[j];
            const auto field = fmt::format("{}.episodes[{}]", at, j);
            SY_TRY(under(field, validate_episode_fields(ep.fields)));
            if (ep.key.empty())
                return fail(Errc::Invalid, prefixed(field, "key"), "must not be empty");
            if (ep.season < 0 || ep.season > 10'000)
                return fail(Errc::Invalid, prefixed(field, "season"), "must be 0 to 10000");
            if (ep.episode_num < 0 || ep.episode_num > 100'000)
                return fail(Errc::Invalid, prefixed(field, "episode_num"), "must be 0 to 100000");
            if (next.episode_keys.count(ep.key)) {
                ++d.episodes.unchanged;
                continue;
            }
            const auto id = next.next_stream_id;
            emit(EpisodeAdded{series_id, id, ep.season, ep.episode_num, ep.fields, ctx.now});
            next.episode_keys[ep.key] = id;
            summary.episodes.push_back({ep.key, id});
            ++d.episodes.created;
        }
    }
    if (!summary.movies.empty() || !summary.series.empty() || !summary.episodes.empty())
        emit(std::move(summary));
    return d;
}

Result<VodDecision> decide(const VodState& s, const RemoveMovie& c, const DecisionContext&) {
    auto it = s.movies.find(c.movie_id);
    if (it == s.movies.end())
        return fail(Errc::NotFound, "movie_id", fmt::format("movie {} does not exist", c.movie_id));
    if (it->second.removed) return VodDecision{{}, c.movie_id, {}, {}, {}};
    return VodDecision{{MovieRemoved{c.movie_id}}, c.movie_id, {}, {}, {}};
}

Result<VodDecision> decide(const VodState& s, const RemoveSeries& c, const DecisionContext&) {
    auto it = s.series.find(c.series_id);
    if (it == s.series.end())
        return fail(Errc::NotFound, "series_id",
                    fmt::format("series {} does not exist", c.series_id));
    if (it->second.removed) return VodDecision{{}, c.series_id, {}, {}, {}};
    return VodDecision{{SeriesRemoved{c.series_id}}, c.series_id, {}, {}, {}};
}

}  // namespace switchyard::core::iptv

namespace switchyard::core::iptv {

Result<void> validate_language(std::string_view tag) {
    // 2 or 3 lower-case letters, then optional subtags of 2 to 8 letters or digits.
    std::size_t i = 0;
    while (i < tag.size() && tag[i] >= 'a' && tag[i] <= 'z') ++i;
    bool ok = i >= 2 && i <= 3;
    while (ok && i < tag.size()) {
        if (tag[i] != '-') {
            ok = false;
            break;
        }
        const auto begin = ++i;
        while (i < tag.size() && std::isalnum(static_cast<unsigned char>(tag[i]))) ++i;
        ok = i - begin >= 2 && i - begin <= 8;
    }
    if (!ok) return fail(Errc::Invalid, "language", "must be a language tag such as en or pt-BR");
    return {};
}

Result<VodDecision> decide(const VodState& s, const AttachSubtitle& c, const DecisionContext&) {
    SY_TRY(validate_language(c.language));
    if (c.cues.empty()) return fail(Errc::Invalid, "body", "holds no cue");
    if (c.cues.size() > 50'000) return fail(Errc::Invalid, "body", "holds more than 50000 cues");
    std::size_t bytes = 0;
    for (const auto& cue : c.cues) bytes += cue.text.size();
    if (bytes > (4u << 20)) return fail(Errc::Invalid, "body", "holds more than 4 MiB of text");
    const std::map<std::string, std::vector<Cue>>* current = nullptr;
    if (c.target == SubtitleTarget::Movie) {
        auto it = s.movies.find(c.id);
        if (it == s.movies.end() || it->second.removed)
            return fail(Errc::NotFound, "id", fmt::format("movie {} does not exist", c.id));
        current = &it->second.subtitles;
    } else {
        auto it = s.series.find(c.series_id);
        if (it != s.series.end() && !it->second.removed)
            for (const auto& ep : it->second.episodes)
                if (ep.id == c.id) current = &ep.subtitles;
        if (!current)
            return fail(Errc::NotFound, "id", fmt::format("episode {} does not exist", c.id));
    }
    if (auto known = current->find(c.language); known != current->end() && known->second == c.cues)
        return VodDecision{{}, c.id, {}, {}, {}};
    return VodDecision{
        {SubtitleAttached{c.target == SubtitleTarget::Movie ? "movie" : "episode", c.id,
                          c.target == SubtitleTarget::Movie ? 0 : c.series_id, c.language, c.cues}},
        c.id,
        {},
        {},
        {}};
}

}  // namespace switchyard::core::iptv
