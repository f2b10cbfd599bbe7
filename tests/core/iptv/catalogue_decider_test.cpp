// The catalogue's rules as given / when / then.
#include <doctest/doctest.h>

#include "core/iptv/catalogue_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;
namespace testing = switchyard::testing;
using switchyard::testing::error_of;

namespace {

DecisionContext ctx() {
    DecisionContext c;
    c.now = from_unix_seconds(1'790'000'000);
    c.actor = Actor{ActorKind::ApiKey, "k_test", "127.0.0.1"};
    return c;
}

CatalogueState given(const std::vector<CatalogueEvent>& events) {
    return testing::given<CatalogueState>(events);
}

template <class Command>
Result<CatalogueDecision> when(const std::vector<CatalogueEvent>& history, const Command& c) {
    return decide(given(history), c, ctx());
}

/// Deciding the same command again after its events were applied yields nothing new, and the
/// same id.
template <class Command>
void check_idempotent(const std::vector<CatalogueEvent>& history, const Command& c) {
    auto twice = testing::check_idempotent(
        given(history), [&](const CatalogueState& s) { return decide(s, c, ctx()); });
    CHECK(twice.second.id == twice.first.id);
}

StreamFields abc() {
    StreamFields f;
    f.name = "ABC (720p)";
    f.source_url = "http://41.205.93.154/ABC/index.m3u8";
    f.tvg_id = "ABC.us@East";
    f.epg_channel_id = "ABC.us";
    return f;
}

const CategoryCreated news{1, "News", CategoryKind::Live, 0};
const CategoryCreated sport{2, "Sport", CategoryKind::Live, 0};
StreamAdded abc_in_news() {
    auto f = abc();
    f.category_id = 1;
    return StreamAdded{1, f, from_unix_seconds(1'790'000'000), "us"};
}

}  // namespace

TEST_CASE("a new category gets the next id") {
    auto d = when({news}, CreateCategory{"Sport"});
    REQUIRE(d);
    REQUIRE(d->events.size() == 1);
    CHECK(std::get<CategoryCreated>(d->events[0]).category_id == 2);
    CHECK(d->id == 2);
}

TEST_CASE("a category name must be 1 to 200 bytes of text") {
    CHECK(error_of(when({}, CreateCategory{""})).field == "name");
    CHECK(error_of(when({}, CreateCategory{std::string(201, 'x')})).code == Errc::Invalid);
    CHECK(error_of(when({}, CreateCategory{"bad\x01"})).code == Errc::Invalid);
}

TEST_CASE("a category with streams cannot be deleted without moving them") {
    auto refused = when({news, sport, abc_in_news()}, DeleteCategory{1, std::nullopt});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::Rejected);
    CHECK(refused.error().field == "move_streams_to");

    auto moved = when({news, sport, abc_in_news()}, DeleteCategory{1, 2});
    REQUIRE(moved);
    const auto& e = std::get<CategoryDeleted>(moved->events.at(0));
    CHECK(e.moved_stream_ids == std::vector<std::int64_t>{1});
    auto after = given({news, sport, abc_in_news(), e});
    CHECK(after.stream(1)->fields.category_id == 2);
    CHECK(after.categories.at(2).stream_count == 1);
    CHECK(after.category(1) == nullptr);
    CHECK(after.categories.at(1).moved_to == 2);

    CHECK(error_of(when({news, abc_in_news()}, DeleteCategory{1, 9})).code == Errc::NotFound);
    CHECK(error_of(when({news, abc_in_news()}, DeleteCategory{1, 1})).code == Errc::Invalid);
}

TEST_CASE("an empty category can be deleted and ids are never reused") {
    auto d = when({news}, DeleteCategory{1, std::nullopt});
    REQUIRE(d);
    auto s = given({news, d->events.at(0)});
    auto again = decide(s, CreateCategory{"News"}, ctx());
    REQUIRE(again);
    CHECK(again->id == 2);
}

TEST_CASE("a stream must reference an existing live category") {
    auto f = abc();
    f.category_id = 7;
    CHECK(error_of(when({news}, AddStream{f, ""})).code == Errc::NotFound);
    f.category_id = 1;
    CHECK(error_of(when({CategoryCreated{1, "Films", CategoryKind::Movie, 0}}, AddStream{f, ""}))
              .code == Errc::Rejected);
}

TEST_CASE("stream fields are validated") {
    auto f = abc();
    f.source_url = "ftp://example.com/x";
    CHECK(error_of(when({}, AddStream{f, ""})).field == "source_url");
    f.source_url = "http://example.com/a b";
    CHECK(error_of(when({}, AddStream{f, ""})).field == "source_url");
    f = abc();
    f.name.clear();
    CHECK(error_of(when({}, AddStream{f, ""})).field == "name");
}

TEST_CASE("a second stream with the same source URL but other fields conflicts") {
    auto f = abc();
    f.name = "Another name";
    auto r = when({news, abc_in_news()}, AddStream{f, ""});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::Conflict);
}

TEST_CASE("bouquets must reference existing categories and streams, once each") {
    CHECK(error_of(when({news}, CreateBouquet{"Basic", {1, 3}, {}})).field == "category_ids[1]");
    CHECK(error_of(when({news, abc_in_news()}, CreateBouquet{"Basic", {}, {1, 1}})).field ==
          "stream_ids[1]");
    CHECK(error_of(when({news, abc_in_news()}, CreateBouquet{"Basic", {}, {2}})).code ==
          Errc::NotFound);
    auto ok = when({news, abc_in_news()}, CreateBouquet{"Basic", {1}, {1}});
    REQUIRE(ok);
    CHECK(ok->id == 1);
}

TEST_CASE("removing a stream takes it out of bouquets") {
    auto s = given({news, abc_in_news(), BouquetCreated{1, "Basic", {}, {1}}, StreamRemoved{1}});
    CHECK(s.bouquet(1)->stream_ids.empty());
    CHECK(s.stream_by_url.empty());
    CHECK(s.categories.at(1).stream_count == 0);
}

TEST_CASE("an import creates categories by name, skips known URLs and ends with a summary") {
    ImportEntry a{2, abc(), "News"};
    ImportEntry b{4, abc(), "News"};  // same URL twice in one file
    auto other = abc();
    other.source_url = "https://example.com/other.m3u8";
    ImportEntry c{6, other, "Kids"};
    auto d = when({news}, ImportPlaylist{"us", {a, b, c}, 1});
    REQUIRE(d);
    REQUIRE(d->summary);
    CHECK(d->summary->created == 2);
    CHECK(d->summary->unchanged == 1);
    CHECK(d->summary->invalid == 1);
    CHECK(d->summary->entries == 4);
    // Kids created once; the ABC stream lands in the existing News (id 1).
    int categories = 0, streams = 0;
    for (const auto& e : d->events) {
        if (std::holds_alternative<CategoryCreated>(e)) ++categories;
        if (auto* s = std::get_if<StreamAdded>(&e)) {
            ++streams;
            if (s->fields.source_url == abc().source_url) CHECK(s->fields.category_id == 1);
        }
    }
    CHECK(categories == 1);
    CHECK(streams == 2);
    CHECK(std::holds_alternative<PlaylistImported>(d->events.back()));
}

TEST_CASE("every catalogue command is idempotent on retry") {
    check_idempotent({}, CreateCategory{"News"});
    check_idempotent({news}, RenameCategory{1, "World News"});
    check_idempotent({news}, DeleteCategory{1, std::nullopt});
    check_idempotent({news, sport, abc_in_news()}, DeleteCategory{1, 2});
    check_idempotent({news}, AddStream{abc(), "us"});
    auto changed = abc();
    changed.name = "ABC East";
    check_idempotent({news, abc_in_news()}, UpdateStream{1, changed});
    check_idempotent({news, abc_in_news()}, RemoveStream{1});
    check_idempotent({news, abc_in_news()}, CreateBouquet{"Basic", {1}, {1}});
    check_idempotent({news, abc_in_news(), BouquetCreated{1, "Basic", {}, {}}},
                     UpdateBouquet{1, "Basic", {1}, {}});
    check_idempotent({BouquetCreated{1, "Basic", {}, {}}}, DeleteBouquet{1});
    check_idempotent({}, ImportPlaylist{"us", {ImportEntry{2, abc(), "News"}}, 0});
}

TEST_CASE("unknown ids are NotFound") {
    CHECK(error_of(when({}, RenameCategory{5, "x"})).code == Errc::NotFound);
    CHECK(error_of(when({}, UpdateStream{5, abc()})).code == Errc::NotFound);
    CHECK(error_of(when({}, RemoveStream{5})).code == Errc::NotFound);
    CHECK(error_of(when({}, UpdateBouquet{5, "x", {}, {}})).code == Errc::NotFound);
    CHECK(error_of(when({}, DeleteBouquet{5})).code == Errc::NotFound);
}

TEST_CASE("claims follow the names: created entries take theirs, renamed and removed give back") {
    auto s = given({news, abc_in_news(), BouquetCreated{1, "Basic", {}, {}}});
    auto changes = claim_changes(s, {CategoryRenamed{1, "World"}, StreamRemoved{1},
                                     BouquetUpdated{1, "Basic", {1}, {}}, BouquetDeleted{1}});
    REQUIRE(changes.size() == 4);
    CHECK(changes[0].name == "live/News");
    CHECK_FALSE(changes[0].claimed);
    CHECK(changes[1].name == "live/World");
    CHECK(changes[1].claimed);
    CHECK(changes[2].kind == ClaimKind::SourceUrl);
    CHECK(changes[2].name == abc().source_url);
    CHECK_FALSE(changes[2].claimed);
    // An update that keeps the name claims nothing; the deletion gives "Basic" back.
    CHECK(changes[3].kind == ClaimKind::Bouquet);
    CHECK_FALSE(changes[3].claimed);
    auto created = claim_changes(CatalogueState{}, {news, abc_in_news()});
    REQUIRE(created.size() == 2);
    CHECK(created[0].claimed);
    CHECK(created[1].id == 1);
}

TEST_CASE("the XMLTV channel of a tvg-id is the id without its feed") {
    CHECK(epg_channel_of("ABC.us@East") == "ABC.us");
    CHECK(epg_channel_of("2GB.au@SD") == "2GB.au");
    CHECK(epg_channel_of("NoFeed.de") == "NoFeed.de");
    CHECK(epg_channel_of("") == "");
}
