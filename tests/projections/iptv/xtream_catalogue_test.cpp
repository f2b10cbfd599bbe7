#include <doctest/doctest.h>

#include <simdjson.h>

#include "events/iptv/iptv_codec.hpp"
#include "projections/iptv/xtream_catalogue.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::projections;

namespace {

/// An in-memory ProjectionWrites + ReadModelView.
class MapModel final : public ProjectionWrites, public ReadModelView {
  public:
    std::optional<std::string> get(std::string_view key) override { return find(key); }
    std::optional<std::string> get(std::string_view key) const override { return find(key); }
    void put(std::string_view k, std::string_view v) override {
        rows_[std::string(k)] = std::string(v);
    }
    void erase(std::string_view k) override { rows_.erase(std::string(k)); }
    void scan(std::string_view prefix, std::string_view start,
              const std::function<bool(std::string_view, std::string_view)>& fn) const override {
        for (auto it = rows_.lower_bound(std::string(start.empty() ? prefix : start));
             it != rows_.end(); ++it) {
            if (!std::string_view(it->first).starts_with(prefix) || !fn(it->first, it->second))
                break;
        }
    }

  private:
    std::optional<std::string> find(std::string_view key) const {
        auto it = rows_.find(std::string(key));
        if (it == rows_.end()) return std::nullopt;
        return it->second;
    }
    std::map<std::string, std::string> rows_;
};

/// The catalogue projector and its model in memory, fed events at offsets 0, 1, 2...
struct Catalogue {
    std::unique_ptr<Projector> projector = iptv::make_xtream_catalogue_projector();
    MapModel model;
    std::int64_t next_offset = 0;

    Catalogue& apply(const CatalogueEvent& e) {
        auto enc = events::iptv::encode(e);
        events::RecordedEvent r;
        r.type = enc.type;
        r.data = enc.data;
        r.position = events::Position{0, next_offset++};
        REQUIRE(projector->project(r, model));
        return *this;
    }
    std::shared_ptr<const iptv::CatalogueSnapshot> snapshot() const {
        return iptv::CatalogueSnapshot::load(model);
    }
};

const auto kAdded = core::from_unix_seconds(1'790'000'000);

StreamFields stream(const char* name, const char* url, std::optional<std::int64_t> cat) {
    StreamFields f;
    f.name = name;
    f.source_url = url;
    f.category_id = cat;
    f.tvg_id = std::string(name) + ".us@SD";
    f.epg_channel_id = std::string(name) + ".us";
    return f;
}

}  // namespace

TEST_CASE("get_live_streams carries the field names and types real Xtream players expect") {
    auto snap =
        Catalogue{}
            .apply(CategoryCreated{1, "News", CategoryKind::Live, 0})
            .apply(StreamAdded{1, stream("ABC", "http://a/1", 1), kAdded, "us"})
            .apply(StreamAdded{2, stream("NoCat", "http://a/2", std::nullopt), kAdded, "us"})
            .snapshot();
    auto body = snap->live_streams_json({}, std::nullopt);
    simdjson::dom::parser parser;
    auto arr = parser.parse(body).get_array().value();
    REQUIRE(arr.size() == 2);
    auto first = arr.at(0).get_object().value();
    CHECK(first["num"].get_int64().value() == 1);
    CHECK(first["stream_id"].get_int64().value() == 1);
    CHECK(std::string_view(first["name"].get_string().value()) == "ABC");
    CHECK(std::string_view(first["stream_type"].get_string().value()) == "live");
    CHECK(std::string_view(first["added"].get_string().value()) == "1790000000");
    CHECK(std::string_view(first["category_id"].get_string().value()) == "1");
    CHECK(std::string_view(first["epg_channel_id"].get_string().value()) == "ABC.us");
    CHECK(first["tv_archive"].get_int64().value() == 0);
    auto second = arr.at(1).get_object().value();
    CHECK(second["num"].get_int64().value() == 2);
    CHECK(second["category_id"].is_null());

    auto cats = parser.parse(snap->live_categories_json({})).get_array().value();
    REQUIRE(cats.size() == 1);
    CHECK(std::string_view(cats.at(0)["category_id"].get_string().value()) == "1");
    CHECK(std::string_view(cats.at(0)["category_name"].get_string().value()) == "News");
    CHECK(cats.at(0)["parent_id"].get_int64().value() == 0);
}

TEST_CASE("a line sees only its bouquets, in bouquet order, each stream once") {
    Catalogue c;
    c.apply(CategoryCreated{1, "News", CategoryKind::Live, 0});
    c.apply(CategoryCreated{2, "Kids", CategoryKind::Live, 0});
    for (std::int64_t id : {1, 2, 3}) {
        const std::string name(1, static_cast<char>('A' + id - 1));
        c.apply(StreamAdded{
            id, stream(name.c_str(), ("http://a/" + std::to_string(id)).c_str(), id == 1 ? 1 : 2),
            kAdded, ""});
    }
    c.apply(BouquetCreated{1, "Kids", {2}, {}});
    c.apply(BouquetCreated{2, "Pick", {}, {1, 3}});
    auto snap = c.snapshot();
    auto ids = [&](std::vector<std::int64_t> bouquets) {
        std::vector<std::int64_t> out;
        for (const auto* s : snap->visible_streams(bouquets)) out.push_back(s->id);
        return out;
    };
    CHECK(ids({}) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(ids({1}) == std::vector<std::int64_t>{2, 3});
    CHECK(ids({2, 1}) == std::vector<std::int64_t>{1, 3, 2});
    CHECK(ids({9}).empty());
    simdjson::dom::parser parser;
    auto cats = parser.parse(snap->live_categories_json({2})).get_array().value();
    CHECK(cats.size() == 2);
    auto filtered = parser.parse(snap->live_streams_json({1}, 2)).get_array().value();
    CHECK(filtered.size() == 2);
}

TEST_CASE("moving streams when a category is deleted re-renders them") {
    auto snap = Catalogue{}
                    .apply(CategoryCreated{1, "Old", CategoryKind::Live, 0})
                    .apply(CategoryCreated{2, "New", CategoryKind::Live, 0})
                    .apply(StreamAdded{1, stream("A", "http://a/1", 1), kAdded, ""})
                    .apply(CategoryDeleted{1, 2, {1}})
                    .snapshot();
    REQUIRE(snap->stream(1));
    CHECK(snap->stream(1)->category_id == 2);
    CHECK(snap->live_streams_json({}, std::nullopt).find("\"category_id\":\"2\"") !=
          std::string::npos);
    CHECK(snap->category(1) == nullptr);
}
