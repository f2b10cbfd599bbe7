// Backups with the real binary: `serve` with scheduled backups and their retention, the
// listing route, `admin backup` beside the running server, `admin restore`, and `serve` on the
// restored directory answering with the same catalogue.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/envelope_codec.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

/// Every event of the embedded log in `data_dir` (read-only), as envelope text, in log order.
std::vector<events::RecordedEvent> log_events(const fs::path& data_dir) {
    events::RocksDbEventStoreOptions read_only;
    read_only.read_only = true;
    auto store = events::open_rocksdb_event_store(data_dir / "log", read_only);
    REQUIRE(store);
    std::vector<events::RecordedEvent> out;
    events::Checkpoint from;
    for (;;) {
        auto batch = (*store)->read_all(from, 512);
        REQUIRE(batch);
        if (batch->empty()) break;
        for (auto& e : *batch) {
            from.advance(e.position);
            out.push_back(std::move(e));
        }
    }
    return out;
}

/// True once a `platform.backup.completed` event in the log says the retention deleted an
/// older archive.
bool retention_recorded(const std::string& base, const std::string& key) {
    auto r = http("GET", base + "/v1/events?from=0:0&limit=5000", {}, key);
    REQUIRE(r.status == 200);
    const auto body = json::parse(r.body);
    for (const auto& e : body.as_object().at("events").as_array()) {
        const auto& o = e.as_object();
        if (o.at("type").as_string() != "platform.backup.completed") continue;
        const auto& data = o.at("data");
        const auto payload = data.is_string() ? json::parse(data.as_string()) : data;
        if (payload.as_object().at("deleted").as_int64() >= 1) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("serve keeps the newest scheduled backups and a restored copy serves the same log") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    const auto backup_dir = tmp.path() / "backups";
    const auto archive = tmp.path() / "manual.backup";
    std::size_t streams = 0;
    std::string catalogue_page;  // GET /v1/iptv/streams on the original server
    {
        Server server(
            data_dir, free_port(), {},
            {"--backup-dir", backup_dir.string(), "--backup-every", "1s", "--backup-keep", "2"});
        const auto key = slurp(data_dir / "admin.key").substr(0, 46);
        const auto playlist = slurp(fs::path(SY_SHARED_DATA) / "iptv" / "m3u" / "uk.m3u");
        auto imported = http("POST", server.base + "/v1/iptv/imports/m3u?source=uk", playlist, key,
                             "audio/x-mpegurl");
        REQUIRE_MESSAGE(imported.status == 200, imported.body);
        streams = static_cast<std::size_t>(
            json::parse(imported.body).as_object().at("created").as_int64());
        REQUIRE(streams > 10);

        // A backup beside the running server.
        std::string out;
        REQUIRE(run(fmt::format("'{}' admin backup --data-dir '{}' --output '{}' 2>&1",
                                SY_SWITCHYARD, data_dir.string(), archive.string()),
                    &out) == 0);
        CHECK_MESSAGE(out.find("verified:") != std::string::npos, out);
        CHECK_MESSAGE(out.find("digest:") != std::string::npos, out);

        // The schedule runs every second; after four runs only the newest two are left.
        json::array listed;
        for (int i = 0; i < 600; ++i) {
            auto r = http("GET", server.base + "/v1/admin/backups", {}, key);
            REQUIRE_MESSAGE(r.status == 200, r.body);
            listed = json::parse(r.body).as_object().at("backups").as_array();
            if (listed.size() == 2 && retention_recorded(server.base, key)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        REQUIRE(listed.size() == 2);
        // The schedule keeps running: an archive listed a moment ago may have been rotated
        // away since, but only by two newer ones (names sort by time; `.tmp` is in progress).
        auto newer_on_disk = [&](const std::string& name) {
            int n = 0;
            for (const auto& e : fs::directory_iterator(backup_dir)) {
                const auto other = e.path().filename().string();
                n += !other.ends_with(".tmp") && other > name;
            }
            return n;
        };
        for (const auto& b : listed) {
            const auto& o = b.as_object();
            CHECK(o.at("digest").as_string().size() == 64);
            CHECK(o.at("size_bytes").as_int64() > 0);
            CHECK(!o.at("created").as_string().empty());
            const std::string name(o.at("name").as_string());
            CHECK_MESSAGE((fs::exists(backup_dir / name) || newer_on_disk(name) >= 2), name);
        }
        CHECK(listed[0].as_object().at("name").as_string() >
              listed[1].as_object().at("name").as_string());
        auto page = http("GET", server.base + "/v1/iptv/streams", {}, key);
        REQUIRE(page.status == 200);
        catalogue_page = page.body;
        CHECK(catalogue_page.find("stream_id") != std::string::npos);
        // Only the admin may list them.
        CHECK(http("GET", server.base + "/v1/admin/backups").status == 401);
        CHECK(server.stop() == 0);
    }
    const auto original = log_events(data_dir);
    int completed = 0;
    for (const auto& e : original) completed += e.type == "platform.backup.completed";
    CHECK(completed >= 3);

    // A restore refuses a directory in use, then restores into a new one.
    const auto restored = tmp.path() / "restored";
    std::string out;
    CHECK(run(fmt::format("'{}' admin restore --input '{}' --data-dir '{}' 2>&1", SY_SWITCHYARD,
                          archive.string(), data_dir.string()),
              &out) == 1);
    CHECK_MESSAGE(out.find("not empty") != std::string::npos, out);
    REQUIRE(run(fmt::format("'{}' admin restore --input '{}' --data-dir '{}' 2>&1", SY_SWITCHYARD,
                            archive.string(), restored.string()),
                &out) == 0);
    CHECK_MESSAGE(out.find("verified:") != std::string::npos, out);

    // The restored log is the original up to the moment of the backup: the same events.
    const auto copy = log_events(restored);
    REQUIRE(copy.size() > 2);
    REQUIRE(copy.size() <= original.size());
    for (std::size_t i = 0; i < copy.size(); ++i) {
        CAPTURE(i);
        CHECK(events::encode_envelope(copy[i]) == events::encode_envelope(original[i]));
    }

    // serve works on it: the same admin key, the same catalogue.
    Server server(restored, free_port());
    const auto key = slurp(restored / "admin.key").substr(0, 46);
    auto page = http("GET", server.base + "/v1/iptv/streams", {}, key);
    REQUIRE_MESSAGE(page.status == 200, page.body);
    CHECK(page.body == catalogue_page);
}
