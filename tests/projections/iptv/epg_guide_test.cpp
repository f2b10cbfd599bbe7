// The epg_guide read model: programmes by guide channel, source and start; the best source of a
// channel by priority; window replacement and the keep window.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "core/iptv/epg.hpp"
#include "core/iptv/xmltv.hpp"
#include "events/iptv/epg_codec.hpp"
#include "projections/iptv/epg_guide.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::projections;

namespace {

/// An in-memory ProjectionWrites + ReadModelView.
class GuideModel final : public ProjectionWrites, public ReadModelView {
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
    std::size_t size() const { return rows_.size(); }

  private:
    std::optional<std::string> find(std::string_view key) const {
        auto it = rows_.find(std::string(key));
        if (it == rows_.end()) return std::nullopt;
        return it->second;
    }
    std::map<std::string, std::string> rows_;
};

struct Guide {
    std::unique_ptr<Projector> projector = iptv::make_epg_guide_projector();
    GuideModel model;
    std::int64_t next_offset = 0;

    /// Decides `cmd` on an empty source and projects its events at event time `now`.
    void import(const ImportGuide& cmd, std::int64_t now) {
        core::DecisionContext ctx;
        ctx.now = core::from_unix_seconds(now);
        auto d = decide(EpgSourceState{}, cmd, ctx);
        REQUIRE(d);
        for (const auto& e : d->events) {
            auto enc = events::iptv::encode(e);
            events::RecordedEvent r;
            r.type = enc.type;
            r.schema = enc.schema;
            r.data = enc.data;
            r.time = ctx.now;
            r.position = events::Position{0, next_offset++};
            REQUIRE(projector->project(r, model));
        }
    }
};

XmltvGuide read_guide(const char* name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/iptv/epg/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_xmltv(ss.str());
}

ImportGuide import_of(const XmltvGuide& g, std::string source, std::int64_t priority) {
    return {std::move(source), priority, g.channels, g.programmes, 0};
}

XmltvProgramme programme(std::string channel, std::int64_t start, std::int64_t stop,
                         std::string title) {
    XmltvProgramme p;
    p.channel = std::move(channel);
    p.start = start;
    p.stop = stop;
    p.title = std::move(title);
    return p;
}

}  // namespace

TEST_CASE("the tvplus guide projects every channel and programme, ordered by start") {
    const auto g = read_guide("tvplus.com.tr.guide.xml");
    Guide guide;
    guide.import(import_of(g, "tvplus", 0), g.programmes.front().start);
    const auto channels = iptv::guide_channels(guide.model);
    CHECK(channels.size() == g.channels.size());
    std::size_t programmes = 0;
    for (const auto& c : channels) {
        const auto listed = iptv::guide_programmes(guide.model, c, 0, INT64_MAX);
        CHECK(listed.size() == c.starts.size());
        for (std::size_t i = 1; i < listed.size(); ++i)
            CHECK(listed[i - 1].start < listed[i].start);
        programmes += listed.size();
    }
    CHECK(programmes == g.programmes.size());
    // The first programme of 24TV.tr as the file has it.
    const auto atv = iptv::guide_channel(guide.model, "24TV.tr");
    REQUIRE(atv);
    CHECK(atv->display_names == g.channels.front().display_names);
    const auto first = iptv::guide_programmes(guide.model, *atv, 0, INT64_MAX, 1);
    REQUIRE(first.size() == 1);
    CHECK(first[0].title == g.programmes.front().title);
    CHECK(first[0].start == g.programmes.front().start);
    CHECK(first[0].categories == g.programmes.front().categories);
    // From a moment inside a programme: that programme first (it is still on).
    const auto mid = g.programmes.front().start + 60;
    const auto now = iptv::guide_programmes(guide.model, *atv, mid, INT64_MAX, 2);
    REQUIRE(now.size() == 2);
    CHECK(now[0].start == g.programmes.front().start);
}

TEST_CASE("two sources of one channel: the higher priority serves") {
    const std::int64_t t = 1'734'300'000;
    Guide guide;
    ImportGuide low{"low", 1, {}, {programme("a.tr", t, t + 600, "low one")}, 0};
    ImportGuide high{"high", 5, {}, {programme("a.tr", t, t + 900, "high one")}, 0};
    guide.import(low, t);
    guide.import(high, t);
    auto best = iptv::guide_channel(guide.model, "a.tr");
    REQUIRE(best);
    CHECK(best->source == "high");
    auto listed = iptv::guide_programmes(guide.model, *best, 0, INT64_MAX);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].title == "high one");
    const auto all = iptv::guide_channels(guide.model);
    REQUIRE(all.size() == 1);
    CHECK(all[0].source == "high");
    // The low source raised above: it serves now.
    low.priority = 9;
    guide.import(low, t);
    CHECK(iptv::guide_channel(guide.model, "a.tr")->source == "low");
}

TEST_CASE("a new guide replaces its window and keeps earlier programmes") {
    const std::int64_t t = 1'734'300'000;
    Guide guide;
    guide.import({"s",
                  0,
                  {},
                  {programme("a.tr", t, t + 100, "one"), programme("a.tr", t + 100, t + 200, "two"),
                   programme("a.tr", t + 200, t + 300, "three")},
                  0},
                 t);
    guide.import({"s",
                  0,
                  {},
                  {programme("a.tr", t + 100, t + 250, "two bis"),
                   programme("a.tr", t + 250, t + 400, "four")},
                  0},
                 t);
    const auto row = iptv::guide_channel(guide.model, "a.tr");
    REQUIRE(row);
    const auto listed = iptv::guide_programmes(guide.model, *row, 0, INT64_MAX);
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].title == "one");
    CHECK(listed[1].title == "two bis");
    CHECK(listed[2].title == "four");
    // Forty days later the old programmes leave the model on the next import.
    const auto later = t + 40 * 86400;
    guide.import({"s", 0, {}, {programme("a.tr", later, later + 100, "new")}, 0}, later);
    const auto kept = iptv::guide_programmes(guide.model, *iptv::guide_channel(guide.model, "a.tr"),
                                             0, INT64_MAX);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].title == "new");
}
