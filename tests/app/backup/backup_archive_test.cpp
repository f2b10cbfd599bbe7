// Backups of a data directory holding a real catalogue (../shared/data/iptv/m3u): backed up,
// restored, and compared event by event and read model by read model; the refusals (wrong
// passphrase, corrupted or truncated archive, non-empty target).
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/backup/backup_archive.hpp"
#include "app/data_dir.hpp"
#include "app/modules/module.hpp"
#include "core/iptv/m3u.hpp"
#include "events/envelope_codec.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/secret_box.hpp"
#include "projections/projection_runner.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
namespace fs = std::filesystem;
using switchyard::testing::TempDir;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

/// A data directory as `serve` leaves it: the log with two real playlists imported, every read
/// model caught up, the master key and the server secret.
struct DataDir {
    TempDir tmp;
    fs::path dir = tmp.path() / "var";
    std::unique_ptr<events::EventStore> store;
    std::unique_ptr<projections::ProjectionRunner> runner;

    DataDir() {
        REQUIRE(app::secure_data_dir(dir));
        REQUIRE(app::load_or_create_secret(dir / "server.secret", 32));
        REQUIRE(events::MasterKeyring::load_or_create(dir / "master.key"));
        auto s = events::open_rocksdb_event_store(dir / "log");
        REQUIRE(s);
        store = std::move(*s);
        auto r = projections::ProjectionRunner::open(dir / "readmodels", app::all_projectors());
        REQUIRE(r);
        runner = std::move(*r);
        import("uk.m3u");
        import("nl.m3u");
        REQUIRE(runner->catch_up(*store, std::nullopt));
    }

    void import(const std::string& file) {
        const auto text = slurp(fs::path(SY_SHARED_DATA) / "iptv" / "m3u" / file);
        REQUIRE(!text.empty());
        std::vector<core::iptv::M3uProblem> invalid;
        auto command =
            core::iptv::make_import(core::iptv::parse_m3u(text), file.substr(0, file.find('.')),
                                    core::iptv::CategoryFrom::GroupTitle, invalid);
        REQUIRE(!command.entries.empty());
        events::iptv::IptvService iptv(*store, "op");
        core::DecisionContext ctx;
        ctx.now = core::from_unix_seconds(1764583200);
        ctx.actor = core::Actor{core::ActorKind::System, "test", ""};
        ctx.correlation_id = "import-" + file;
        REQUIRE(iptv.execute(command, ctx));
    }

    /// Stops the "server": the log and read models close.
    void close() {
        runner.reset();
        store.reset();
    }
};

/// Every event of the log in `data_dir`, as envelope text with its position, in log order.
std::vector<std::string> all_events(events::EventStore& store) {
    std::vector<std::string> out;
    events::Checkpoint from;
    for (;;) {
        auto batch = store.read_all(from, 512);
        REQUIRE(batch);
        if (batch->empty()) break;
        for (const auto& e : *batch) {
            out.push_back(events::encode_envelope(e));
            from.advance(e.position);
        }
    }
    return out;
}
std::vector<std::string> all_events(const fs::path& data_dir) {
    events::RocksDbEventStoreOptions read_only;
    read_only.read_only = true;
    auto store = events::open_rocksdb_event_store(data_dir / "log", read_only);
    REQUIRE(store);
    return all_events(**store);
}

/// Every read model's digest (ProjectionRunner::digest), by projector name.
std::map<std::string, std::string> model_digests(projections::ProjectionRunner& runner) {
    std::map<std::string, std::string> out;
    for (const auto& name : runner.names()) {
        auto d = runner.digest(name);
        REQUIRE(d);
        out[name] = *d;
    }
    return out;
}
std::map<std::string, std::string> model_digests(const fs::path& data_dir) {
    auto runner = projections::ProjectionRunner::open(data_dir / "readmodels",
                                                      app::all_projectors(), {.read_only = true});
    REQUIRE(runner);
    return model_digests(**runner);
}

app::BackupOptions plain_options(const fs::path& work) {
    app::BackupOptions o;
    o.created = "2026-12-01T10:00:00Z";
    o.work_dir = work;
    return o;
}

/// The archive with one byte changed at `offset`.
void flip_byte(const fs::path& archive, std::size_t offset) {
    auto bytes = slurp(archive);
    REQUIRE(offset < bytes.size());
    bytes[offset] = static_cast<char>(bytes[offset] ^ 0x20);
    write(archive, bytes);
}

}  // namespace

TEST_CASE("a backup of a stopped server restores to the same events, read models and keys") {
    DataDir data;
    const auto live_events = all_events(*data.store);
    const auto live_models = model_digests(*data.runner);
    const auto head = data.store->head();
    data.close();
    REQUIRE(live_events.size() > 100);

    const auto archive = data.tmp.path() / "var.backup";
    auto written = app::create_backup(data.dir, archive, plain_options(data.tmp.path()));
    REQUIRE_MESSAGE(written, (written ? "" : written.error().message));
    CHECK(written->log_head == head.to_string());
    CHECK(written->log_events == static_cast<std::int64_t>(live_events.size()));
    CHECK_FALSE(written->encrypted);
    CHECK(written->databases.count("log/log") == 1);
    CHECK(written->databases.count("readmodels/xtream_catalogue.v1") == 1);
    // The key files travel with the log: without the master key its sealed secrets are lost.
    std::map<std::string, std::uint64_t> sizes;
    for (const auto& f : written->files) sizes[f.path] = f.size_bytes;
    CHECK(sizes.count("master.key") == 1);
    CHECK(sizes["server.secret"] == 32);
    CHECK(written->total_bytes() > 0);
    // The manifest in the archive is the one returned, readable without restoring.
    auto manifest = app::read_backup_manifest(archive);
    REQUIRE(manifest);
    CHECK(manifest->digest == written->digest);
    CHECK(manifest->files.size() == written->files.size());

    const auto restored_dir = data.tmp.path() / "restored";
    auto restored = app::restore_backup(archive, restored_dir, "");
    REQUIRE_MESSAGE(restored, (restored ? "" : restored.error().message));
    CHECK(restored->digest == written->digest);
    CHECK(all_events(restored_dir) == live_events);
    CHECK(model_digests(restored_dir) == live_models);
    CHECK(slurp(restored_dir / "master.key") == slurp(data.dir / "master.key"));
    CHECK(slurp(restored_dir / "server.secret") == slurp(data.dir / "server.secret"));

    // The restored directory is a working one: the log opens for writing, and read models
    // rebuilt from it equal the restored ones.
    auto store = events::open_rocksdb_event_store(restored_dir / "log");
    REQUIRE(store);
    CHECK((*store)->head() == head);
    const auto rebuilt_dir = data.tmp.path() / "rebuilt";
    auto rebuilt = projections::ProjectionRunner::open(rebuilt_dir, app::all_projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(**store, std::nullopt));
    CHECK(model_digests(**rebuilt) == live_models);
}

TEST_CASE("a backup taken while the server runs holds the log and read models as they stood") {
    DataDir data;  // log and read models stay open, as in a running server
    const auto archive = data.tmp.path() / "live.backup";
    auto written = app::create_backup(data.dir, archive, plain_options(data.tmp.path()));
    REQUIRE_MESSAGE(written, (written ? "" : written.error().message));
    const auto live_events = all_events(*data.store);
    CHECK(written->log_events == static_cast<std::int64_t>(live_events.size()));
    CHECK(written->log_head == data.store->head().to_string());

    // The server goes on writing; the backup keeps what it had.
    data.import("fr.m3u");
    CHECK(all_events(*data.store).size() > live_events.size());

    const auto restored_dir = data.tmp.path() / "restored";
    auto restored = app::restore_backup(archive, restored_dir, "");
    REQUIRE_MESSAGE(restored, (restored ? "" : restored.error().message));
    CHECK(all_events(restored_dir) == live_events);
    // The live read models are written without WAL: the backup holds them as last flushed
    // (atomic_flush: rows and checkpoints together), never ahead of the log. Opened as `serve`
    // opens them, they catch up and equal a rebuild from the restored log.
    auto store = events::open_rocksdb_event_store(restored_dir / "log");
    REQUIRE(store);
    auto resumed =
        projections::ProjectionRunner::open(restored_dir / "readmodels", app::all_projectors());
    REQUIRE(resumed);
    for (const auto& name : (*resumed)->names()) {
        CAPTURE(name);
        auto at = (*resumed)->checkpoint(name);
        REQUIRE(at);
        CHECK((*store)->head().covers(*at));
    }
    REQUIRE((*resumed)->catch_up(**store, std::nullopt));
    auto rebuilt =
        projections::ProjectionRunner::open(data.tmp.path() / "rebuilt", app::all_projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(**store, std::nullopt));
    CHECK(model_digests(**resumed) == model_digests(**rebuilt));
    CHECK(model_digests(**resumed).size() > 3);
}

TEST_CASE("an encrypted backup opens only with its passphrase, and nothing is restored without") {
    DataDir data;
    const auto live_events = all_events(*data.store);
    data.close();
    const auto archive = data.tmp.path() / "secret.backup";
    auto options = plain_options(data.tmp.path());
    options.passphrase = "correct horse battery staple";
    auto written = app::create_backup(data.dir, archive, options);
    REQUIRE_MESSAGE(written, (written ? "" : written.error().message));
    CHECK(written->encrypted);
    // The key files are not in the archive in clear.
    const auto bytes = slurp(archive);
    CHECK(bytes.find(slurp(data.dir / "server.secret")) == std::string::npos);

    const auto target = data.tmp.path() / "restored";
    auto none = app::restore_backup(archive, target, "");
    REQUIRE_FALSE(none);
    CHECK(none.error().code == core::Errc::Unauthorized);
    CHECK(none.error().field == "passphrase");
    CHECK_FALSE(fs::exists(target));

    auto wrong = app::restore_backup(archive, target, "correct horse battery stapler");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == core::Errc::Unauthorized);
    CHECK(wrong.error().field == "passphrase");
    CHECK(wrong.error().message.find("wrong passphrase") != std::string::npos);
    CHECK_FALSE(fs::exists(target));

    auto right = app::restore_backup(archive, target, options.passphrase);
    REQUIRE_MESSAGE(right, (right ? "" : right.error().message));
    CHECK(all_events(target) == live_events);
}

TEST_CASE("a flipped byte or a cut in the archive is refused, naming what failed") {
    DataDir data;
    data.close();
    for (const bool encrypted : {false, true}) {
        CAPTURE(encrypted);
        auto options = plain_options(data.tmp.path());
        if (encrypted) options.passphrase = "s3cret passphrase";
        const auto good = data.tmp.path() / (encrypted ? "e.backup" : "p.backup");
        auto written = app::create_backup(data.dir, good, options);
        REQUIRE_MESSAGE(written, (written ? "" : written.error().message));
        const auto size = fs::file_size(good);
        REQUIRE(size > 4096);
        struct Damage {
            const char* what;
            std::size_t offset;  ///< Flipped byte; `size` means: cut the archive in half.
            const char* says;    ///< Part of the message naming what failed.
        };
        const std::vector<Damage> damages{
            {"magic", 0, "not a Switchyard backup"},
            {"manifest", 30, "manifest"},
            {"body middle", size / 2, encrypted ? "does not authenticate" : ""},
            {"last byte", size - 1, encrypted ? "does not authenticate" : ""},
            {"cut", size, "truncated"},
        };
        for (const auto& d : damages) {
            CAPTURE(d.what);
            const auto bad = data.tmp.path() / "bad.backup";
            fs::copy_file(good, bad, fs::copy_options::overwrite_existing);
            if (d.offset == size)
                fs::resize_file(bad, size / 2);
            else
                flip_byte(bad, d.offset);
            const auto target = data.tmp.path() / "target";
            auto r = app::restore_backup(bad, target, options.passphrase);
            REQUIRE_FALSE(r);
            CHECK(r.error().code == core::Errc::Invalid);
            CHECK(r.error().field == "archive");
            CHECK_MESSAGE(r.error().message.find(d.says) != std::string::npos, r.error().message);
            CHECK_FALSE(fs::exists(target));
        }
    }
}

TEST_CASE("a restore refuses a data directory that is not empty and leaves it as it was") {
    DataDir data;
    data.close();
    const auto archive = data.tmp.path() / "var.backup";
    REQUIRE(app::create_backup(data.dir, archive, plain_options(data.tmp.path())));
    const auto target = data.tmp.path() / "busy";
    fs::create_directories(target);
    write(target / "notes.txt", "mine");
    auto r = app::restore_backup(archive, target, "");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::Errc::Conflict);
    CHECK(r.error().field == "data_dir");
    CHECK(slurp(target / "notes.txt") == "mine");
    CHECK(std::distance(fs::directory_iterator(target), fs::directory_iterator()) == 1);
    // An empty existing directory is fine.
    const auto empty = data.tmp.path() / "empty";
    fs::create_directories(empty);
    CHECK(app::restore_backup(archive, empty, ""));
}

TEST_CASE("a backup refuses a directory without a log") {
    TempDir tmp;
    auto r = app::create_backup(tmp.path(), tmp.path() / "x.backup", plain_options(tmp.path()));
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "data_dir");
    CHECK_FALSE(fs::exists(tmp.path() / "x.backup"));
}
