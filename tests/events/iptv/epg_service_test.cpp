// The EPG command side: the import decider, its codec round trip and the service on a memory log.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/iptv/epg.hpp"
#include "core/iptv/xmltv.hpp"
#include "events/envelope_codec.hpp"
#include "events/iptv/epg_codec.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/memory_event_store.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;

namespace {

std::string read_guide(const char* name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/iptv/epg/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

ImportGuide import_of(const char* file, std::string source, std::int64_t priority = 0) {
    auto guide = parse_xmltv(read_guide(file));
    return {std::move(source), priority, std::move(guide.channels), std::move(guide.programmes),
            static_cast<std::int64_t>(guide.invalid.size())};
}

core::DecisionContext context() {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'734'350'000);
    return ctx;
}

EpgSourceState fold(const std::vector<EpgEvent>& events) {
    EpgSourceState s;
    for (const auto& e : events) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("a guide import is one channel_guide.replaced per guide channel and a summary") {
    const auto cmd = import_of("tvplus.com.tr.guide.xml", "tvplus", 10);
    auto d = decide(EpgSourceState{}, cmd, context());
    REQUIRE(d);
    CHECK(d->events.size() == cmd.channels.size() + 1);
    CHECK(d->summary.channels == 144);
    CHECK(d->summary.programmes == 4525);
    CHECK(d->summary.changed == 144);
    CHECK(d->summary.unchanged == 0);
    std::size_t programmes = 0;
    for (const auto& e : d->events) {
        if (const auto* r = std::get_if<ChannelGuideReplaced>(&e)) {
            programmes += r->programmes.size();
            CHECK(r->source == "tvplus");
            CHECK(r->priority == 10);
            for (std::size_t i = 1; i < r->programmes.size(); ++i)
                CHECK(r->programmes[i - 1].start < r->programmes[i].start);
            if (!r->programmes.empty()) {
                CHECK(r->window_start == r->programmes.front().start);
                CHECK(r->window_end >= r->programmes.back().stop);
            }
        }
    }
    CHECK(programmes == cmd.programmes.size());
    REQUIRE(std::holds_alternative<EpgImported>(d->events.back()));
    CHECK(std::get<EpgImported>(d->events.back()).changed == 144);
}

TEST_CASE("re-importing the same guide decides nothing, a changed channel only that channel") {
    auto cmd = import_of("epgshare01.online.content.xml", "epgshare");
    auto first = decide(EpgSourceState{}, cmd, context());
    REQUIRE(first);
    const auto state = fold(first->events);
    auto again = decide(state, cmd, context());
    REQUIRE(again);
    CHECK(again->events.empty());
    CHECK(again->summary.unchanged == 2);
    CHECK(again->summary.changed == 0);
    cmd.programmes.back().title = "changed";
    auto changed = decide(state, cmd, context());
    REQUIRE(changed);
    REQUIRE(changed->events.size() == 2);
    CHECK(std::get<ChannelGuideReplaced>(changed->events[0]).channel_id ==
          cmd.programmes.back().channel);
    CHECK(changed->summary.unchanged == 1);
}

TEST_CASE("an import refuses a bad source name, priority or an empty guide") {
    auto cmd = import_of("epgshare01.online.content.xml", "bad name");
    auto bad_source = decide(EpgSourceState{}, cmd, context());
    REQUIRE_FALSE(bad_source);
    CHECK(bad_source.error().field == "source");
    cmd.source = "ok";
    cmd.priority = 1001;
    auto bad_priority = decide(EpgSourceState{}, cmd, context());
    REQUIRE_FALSE(bad_priority);
    CHECK(bad_priority.error().field == "priority");
    auto empty = decide(EpgSourceState{}, ImportGuide{"ok", 0, {}, {}, 0}, context());
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == core::Errc::Rejected);
    CHECK(empty.error().field == "body");
}

TEST_CASE("the EPG events survive their codec with every field") {
    const auto cmd = import_of("tvplus.com.tr.guide.xml", "tvplus", 3);
    auto d = decide(EpgSourceState{}, cmd, context());
    REQUIRE(d);
    for (const auto& e : d->events) {
        const auto enc = events::iptv::encode(e);
        events::RecordedEvent r;
        r.type = enc.type;
        r.schema = enc.schema;
        r.data = enc.data;
        auto back = events::iptv::decode_epg_event(r);
        REQUIRE_MESSAGE(back, enc.type);
        if (const auto* g = std::get_if<ChannelGuideReplaced>(&e)) {
            REQUIRE(std::holds_alternative<ChannelGuideReplaced>(*back));
            CHECK(std::get<ChannelGuideReplaced>(*back) == *g);
        } else {
            const auto& s = std::get<EpgImported>(e);
            const auto& b = std::get<EpgImported>(*back);
            CHECK(b.source == s.source);
            CHECK(b.channels == s.channels);
            CHECK(b.programmes == s.programmes);
            CHECK(b.changed == s.changed);
        }
    }
}

TEST_CASE("the service appends an import in one write and a re-import appends nothing") {
    auto store = events::make_memory_event_store();
    events::iptv::EpgService service(*store, "op");
    const auto cmd = import_of("tvplus.com.tr.guide.xml", "tvplus");
    auto first = service.execute(cmd, context());
    REQUIRE(first);
    CHECK(first->changed);
    CHECK(first->summary.programmes == 4525);
    const auto size = store->head().total();
    CHECK(size == 145);
    auto stream = store->read_stream(service.source_stream("tvplus"), 0, 1000);
    REQUIRE(stream);
    CHECK(stream->size() == 145);
    auto again = service.execute(cmd, context());
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(again->summary.unchanged == 144);
    CHECK(store->head().total() == size);
}

TEST_CASE("the EPG events the service writes are kept for their schema check") {
    auto store = events::make_memory_event_store();
    events::iptv::EpgService service(*store, "op");
    REQUIRE(service.execute(import_of("epgshare01.online.content.xml", "epgshare", 2), context()));
    REQUIRE(service.execute(SetEpgMapping{4, "AlJazeera.English.net"}, context()));
    REQUIRE(service.execute(SetEpgMapping{4, ""}, context()));
    EpgProgramme edited{1'739'000'000, 1'739'003'600, "Edited", "", "by hand", {"News"}, "", "",
                        "en"};
    REQUIRE(service.execute(SaveProgramme{"epgshare", "AlJazeera.English.net", edited}, context()));
    REQUIRE(service.execute(DeleteProgramme{"epgshare", "AlJazeera.English.net", edited.start},
                            context()));
    // Editing a channel the source never had is refused.
    auto unknown = service.execute(SaveProgramme{"epgshare", "Nope.tr", edited}, context());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "channel_id");
    auto all = store->read_all(events::Checkpoint{}, 100'000);
    REQUIRE(all);
    std::set<std::string> types;
    std::string ndjson;
    for (const auto& e : *all) {
        types.insert(e.type);
        ndjson += events::encode_envelope(e) + "\n";
    }
    CHECK(types == std::set<std::string>{"iptv.channel_guide.replaced", "iptv.epg.imported",
                                         "iptv.epg_mapping.set", "iptv.programme.saved",
                                         "iptv.programme.deleted"});
    CHECK(all->size() == 7);
#ifdef SY_EVENTS_OUT_EPG
    std::ofstream(SY_EVENTS_OUT_EPG) << ndjson;
#endif
}
