// Scheduled backups: archive names, the listing of a backup directory, the retention, the
// interval option.
#include <doctest/doctest.h>

#include <fstream>

#include "app/backup/backup_schedule.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
namespace fs = std::filesystem;
using switchyard::testing::TempDir;

TEST_CASE("backup names carry the UTC time to the millisecond and sort by it") {
    const auto t = *core::parse_rfc3339("2026-12-01T09:05:07.123456Z");
    CHECK(app::backup_file_name(t) == "switchyard-20261201T090507123Z.backup");
    CHECK(app::is_backup_file_name(app::backup_file_name(t)));
    CHECK(app::backup_file_name(t) < app::backup_file_name(t + std::chrono::milliseconds(1)));
    CHECK(app::backup_file_name(t + std::chrono::hours(24 * 40)) >
          app::backup_file_name(t + std::chrono::hours(23)));
    CHECK_FALSE(app::is_backup_file_name("switchyard-20261201T090507123Z.backup.tmp"));
    CHECK_FALSE(app::is_backup_file_name("notes.backup"));
    CHECK_FALSE(app::is_backup_file_name("switchyard-2026120xT090507123Z.backup"));
}

TEST_CASE("the retention keeps the newest N archives and nothing else is touched") {
    TempDir tmp;
    const auto t = *core::parse_rfc3339("2026-12-01T00:00:00Z");
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
        // Out of order on purpose: the names, not the file times, say which is newer.
        const int k = (i * 3) % 5;
        names.push_back(app::backup_file_name(t + std::chrono::hours(k)));
        std::ofstream(tmp.path() / names.back()) << "not a real archive " << k;
    }
    std::ofstream(tmp.path() / "README") << "mine";
    auto listed = app::list_backups(tmp.path());
    REQUIRE(listed);
    REQUIRE(listed->size() == 5);
    CHECK(listed->front().name == app::backup_file_name(t + std::chrono::hours(4)));
    // An archive that is no backup is listed with the reason, not hidden.
    CHECK(listed->front().problem.find("not a Switchyard backup") != std::string::npos);

    auto deleted = app::prune_backups(tmp.path(), 2);
    REQUIRE(deleted);
    CHECK(deleted->size() == 3);
    auto left = app::list_backups(tmp.path());
    REQUIRE(left);
    REQUIRE(left->size() == 2);
    CHECK((*left)[0].name == app::backup_file_name(t + std::chrono::hours(4)));
    CHECK((*left)[1].name == app::backup_file_name(t + std::chrono::hours(3)));
    CHECK(fs::exists(tmp.path() / "README"));
    // Keeping more than there are deletes nothing; a missing directory lists nothing.
    CHECK(app::prune_backups(tmp.path(), 10)->empty());
    CHECK(app::list_backups(tmp.path() / "missing")->empty());
}

TEST_CASE("the backup interval takes a positive number with s, m, h or d") {
    using std::chrono::seconds;
    CHECK(*app::parse_backup_interval("90s", "backup_every") == seconds(90));
    CHECK(*app::parse_backup_interval("15m", "backup_every") == seconds(900));
    CHECK(*app::parse_backup_interval("6h", "backup_every") == seconds(6 * 3600));
    CHECK(*app::parse_backup_interval("1d", "backup_every") == seconds(86400));
    for (const char* bad : {"", "0s", "5", "5w", "-1h", "h", "1.5h", "99999999999999d"}) {
        CAPTURE(bad);
        auto r = app::parse_backup_interval(bad, "backup_every");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Invalid);
        CHECK(r.error().field == "backup_every");
    }
}
