// Scheduled guide imports: feeds parsed from the command line; guides fetched (file URLs here,
// gzip accepted), imported, and not imported again while unchanged.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/iptv/guide_fetcher.hpp"
#include "core/gzip.hpp"
#include "events/memory_event_store.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using adapters::iptv::GuideFeed;

namespace {

std::string read_guide(const char* name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/iptv/epg/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

}  // namespace

TEST_CASE("a guide feed is NAME[:PRIORITY]=URL") {
    auto f = GuideFeed::parse("tvplus:7=https://example.org/guide.xml.gz");
    REQUIRE(f);
    CHECK(f->source == "tvplus");
    CHECK(f->priority == 7);
    CHECK(f->url == "https://example.org/guide.xml.gz");
    auto plain = GuideFeed::parse("epg=file:///tmp/a.xml");
    REQUIRE(plain);
    CHECK(plain->priority == 0);
    for (const char* bad :
         {"no-url", "=http://x", "a b=http://x", "a:x=http://x", "a:1001=http://x", "a=ftp://x"}) {
        auto r = GuideFeed::parse(bad);
        REQUIRE_FALSE_MESSAGE(r, bad);
        CHECK(r.error().field == "epg-url");
    }
}

TEST_CASE("the fetcher imports a gzip guide once and again only when it changed") {
    testing::TempDir dir;
    const auto file = dir.path() / "guide.xml.gz";
    write(file, core::gzip(read_guide("epgshare01.online.content.xml")));
    auto store = events::make_memory_event_store();
    events::iptv::EpgService epg(*store, "op");
    testing::FixedClock clock{core::from_unix_seconds(1'739'000'000)};
    adapters::iptv::GuideFetcher fetcher(
        epg, {*GuideFeed::parse("epgshare:2=file://" + file.string())}, clock);
    auto first = fetcher.run_once();
    REQUIRE(first.size() == 1);
    CHECK(first[0].error.empty());
    CHECK(first[0].changed);
    CHECK(first[0].summary.channels == 2);
    CHECK(first[0].summary.programmes == 203);
    CHECK(first[0].summary.priority == 2);
    const auto size = store->head().total();
    CHECK(size == 3);
    auto second = fetcher.run_once();
    CHECK(second[0].error.empty());
    CHECK_FALSE(second[0].changed);
    CHECK(store->head().total() == size);
    // A newer guide in the same place is fetched and imported.
    write(file, read_guide("tvplus.com.tr.guide.xml"));
    std::filesystem::last_write_time(
        file, std::filesystem::last_write_time(file) + std::chrono::seconds(10));
    auto third = fetcher.run_once();
    CHECK(third[0].error.empty());
    CHECK(third[0].changed);
    CHECK(third[0].summary.programmes == 4525);
    CHECK(store->head().total() == size + 145);
}

TEST_CASE("a guide that cannot be fetched is reported and appends nothing") {
    testing::TempDir dir;
    auto store = events::make_memory_event_store();
    events::iptv::EpgService epg(*store, "op");
    testing::FixedClock clock{core::from_unix_seconds(1'739'000'000)};
    adapters::iptv::GuideFetcher fetcher(
        epg, {*GuideFeed::parse("gone=file://" + (dir.path() / "missing.xml").string())}, clock);
    auto out = fetcher.run_once();
    REQUIRE(out.size() == 1);
    CHECK_FALSE(out[0].error.empty());
    CHECK(store->head().total() == 0);
}
