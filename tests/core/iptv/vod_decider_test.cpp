// Movies and series: imports by provider key, removals; every command idempotent.
#include <doctest/doctest.h>

#include "core/iptv/vod_decider.hpp"
#include "tests/support/decider_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using switchyard::testing::check_idempotent;
using switchyard::testing::decided;
using switchyard::testing::given;

namespace {

core::DecisionContext at_time() {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    return ctx;
}

MovieEntry movie(std::string key, std::string name) {
    MovieEntry m;
    m.key = key;
    m.fields.name = std::move(name);
    m.fields.container_extension = "mkv";
    m.fields.source_url = "http://provider:8080/movie/u/p/" + key + ".mkv";
    m.fields.rating = "6.3";
    return m;
}

EpisodeEntry episode(std::string key, std::int64_t season, std::int64_t num) {
    EpisodeEntry e;
    e.key = key;
    e.season = season;
    e.episode_num = num;
    e.fields.title = "Episode " + key;
    e.fields.container_extension = "mp4";
    e.fields.source_url = "http://provider:8080/series/u/p/" + key + ".mp4";
    return e;
}

SeriesEntry series(std::string key, std::vector<EpisodeEntry> episodes) {
    SeriesEntry s;
    s.key = key;
    s.fields.name = "Series " + key;
    s.seasons = {Season{1, "Season 1", "2005-09-22", "", ""}};
    s.episodes = std::move(episodes);
    return s;
}

ImportVod sample() {
    return ImportVod{"hellraiser",
                     {movie("130529", "The Equalizer 2 (CAM)"), movie("7", "Other")},
                     {series("3", {episode("901", 1, 1), episode("902", 1, 2)})}};
}

template <class E>
std::vector<E> all_of(const std::vector<VodEvent>& events) {
    std::vector<E> out;
    for (const auto& e : events)
        if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
    return out;
}

}  // namespace

TEST_CASE("an Xtream import creates each movie, series and episode once, and again nothing") {
    const auto ctx = at_time();
    auto twice =
        check_idempotent(VodState{}, [&](const VodState& s) { return decide(s, sample(), ctx); });
    const auto& first = twice.first;
    CHECK(first.movies.created == 2);
    CHECK(first.series.created == 1);
    CHECK(first.episodes.created == 2);
    const auto movies = all_of<MovieAdded>(first.events);
    REQUIRE(movies.size() == 2);
    // Movies and episodes share the stream_id space: four distinct, consecutive ids.
    const auto episodes = all_of<EpisodeAdded>(first.events);
    REQUIRE(episodes.size() == 2);
    CHECK(movies[1].movie_id == movies[0].movie_id + 1);
    CHECK(episodes[0].episode_id == movies[1].movie_id + 1);
    CHECK(episodes[1].episode_id == episodes[0].episode_id + 1);
    CHECK(episodes[0].series_id == all_of<SeriesAdded>(first.events).at(0).series_id);
    // The summary closes the events and maps the provider keys.
    const auto* summary = std::get_if<XtreamImported>(&first.events.back());
    REQUIRE(summary);
    CHECK(summary->movies ==
          std::vector<ImportedKey>{{"130529", movies[0].movie_id}, {"7", movies[1].movie_id}});
    CHECK(twice.second.movies.unchanged == 2);
    CHECK(twice.second.series.unchanged == 1);
    CHECK(twice.second.episodes.unchanged == 2);
}

TEST_CASE("a movie listed twice in one import is created once") {
    auto c = sample();
    c.movies.push_back(movie("130529", "The Equalizer 2 (CAM)"));
    auto d = decided(decide(VodState{}, c, at_time()));
    CHECK(d.movies.created == 2);
    CHECK(d.movies.unchanged == 1);
    CHECK(all_of<MovieAdded>(d.events).size() == 2);
}

TEST_CASE("new episodes of an imported series are added to the series") {
    const auto ctx = at_time();
    auto first = decided(decide(VodState{}, sample(), ctx));
    auto state = given<VodState>(first.events);
    auto c = sample();
    c.series[0].episodes.push_back(episode("903", 2, 1));
    auto d = decided(decide(state, c, ctx));
    CHECK(d.series.unchanged == 1);
    CHECK(d.episodes.created == 1);
    CHECK(d.episodes.unchanged == 2);
    const auto added = all_of<EpisodeAdded>(d.events);
    REQUIRE(added.size() == 1);
    CHECK(added[0].series_id == all_of<SeriesAdded>(first.events).at(0).series_id);
    CHECK(added[0].season == 2);
    CHECK(all_of<SeriesAdded>(d.events).empty());
}

TEST_CASE("an import refuses a malformed entry naming its field") {
    auto c = sample();
    c.movies[1].fields.name.clear();
    auto r = decide(VodState{}, c, at_time());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::Errc::Invalid);
    CHECK(r.error().field == "movies[1].name");

    c = sample();
    c.series[0].episodes[1].fields.container_extension = "MP4 ";
    r = decide(VodState{}, c, at_time());
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "series[0].episodes[1].container_extension");

    c = sample();
    c.movies[0].fields.source_url = "file:///etc/passwd";
    r = decide(VodState{}, c, at_time());
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "movies[0].source_url");
}

TEST_CASE("removing a movie or a series takes effect once") {
    const auto ctx = at_time();
    auto imported = given<VodState>(decided(decide(VodState{}, sample(), ctx)).events);
    const auto movie_id = imported.movies.begin()->first;
    const auto series_id = imported.series.begin()->first;
    auto movie_twice = check_idempotent(
        imported, [&](const VodState& s) { return decide(s, RemoveMovie{movie_id}, ctx); });
    CHECK(movie_twice.second.id == movie_id);
    check_idempotent(imported,
                     [&](const VodState& s) { return decide(s, RemoveSeries{series_id}, ctx); });
    auto missing = decide(imported, RemoveMovie{movie_id + 1000}, ctx);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::NotFound);
    CHECK(missing.error().field == "movie_id");
}

TEST_CASE("subtitles attach to a movie or an episode once per language and cues") {
    const auto ctx = at_time();
    auto imported = given<VodState>(decided(decide(VodState{}, sample(), ctx)).events);
    const auto movie_id = imported.movies.begin()->first;
    const auto& series = imported.series.begin()->second;
    const std::vector<Cue> cues{{1000, 2000, "Hello."}};
    auto movie = check_idempotent(imported, [&](const VodState& s) {
        return decide(s, AttachSubtitle{SubtitleTarget::Movie, movie_id, 0, "en", cues}, ctx);
    });
    const auto* attached = std::get_if<SubtitleAttached>(&movie.first.events.at(0));
    REQUIRE(attached);
    CHECK(attached->target == "movie");
    CHECK(entity_stream(movie.first.events.at(0)) == movie_stream(movie_id));
    // Other cues for the same language replace them: a new event.
    auto replaced = decided(
        decide(movie.state,
               AttachSubtitle{SubtitleTarget::Movie, movie_id, 0, "en", {{0, 500, "Hi"}}}, ctx));
    CHECK(replaced.events.size() == 1);
    const auto episode_id = series.episodes.at(1).id;
    auto episode = check_idempotent(imported, [&](const VodState& s) {
        return decide(
            s, AttachSubtitle{SubtitleTarget::Episode, episode_id, series.id, "pt-BR", cues}, ctx);
    });
    CHECK(entity_stream(episode.first.events.at(0)) == series_stream(series.id));
    auto bad =
        decide(imported, AttachSubtitle{SubtitleTarget::Movie, movie_id, 0, "EN", cues}, ctx);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "language");
    auto missing = decide(
        imported, AttachSubtitle{SubtitleTarget::Episode, movie_id, series.id, "en", cues}, ctx);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::NotFound);
}
