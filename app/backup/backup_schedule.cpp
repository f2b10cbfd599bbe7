#include "app/backup/backup_schedule.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "app/backup/backup_archive.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
using core::Errc;

namespace {
constexpr std::string_view kPrefix = "switchyard-";
constexpr std::string_view kSuffix = ".backup";
}  // namespace

std::string backup_file_name(core::Timestamp t) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
    const auto day = std::chrono::floor<std::chrono::days>(ms);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{ms - day};
    return fmt::format("{}{:04}{:02}{:02}T{:02}{:02}{:02}{:03}Z{}", kPrefix,
                       static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count(), hms.subseconds().count(), kSuffix);
}

bool is_backup_file_name(std::string_view name) {
    // switchyard-YYYYMMDDTHHMMSSmmmZ.backup
    if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
    const auto stamp = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    if (stamp.size() != 19 || stamp[8] != 'T' || stamp[18] != 'Z') return false;
    for (std::size_t i = 0; i < 18; ++i)
        if (i != 8 && !std::isdigit(static_cast<unsigned char>(stamp[i]))) return false;
    return true;
}

core::Result<std::vector<BackupEntry>> list_backups(const fs::path& dir) {
    std::vector<BackupEntry> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!it->is_regular_file(ec) || !is_backup_file_name(name)) continue;
        BackupEntry e;
        e.name = name;
        e.size_bytes = it->file_size(ec);
        if (auto m = read_backup_manifest(it->path())) {
            e.created = m->created;
            e.digest = m->digest;
            e.log_head = m->log_head;
            e.log_events = m->log_events;
            e.encrypted = m->encrypted;
        } else {
            e.problem = m.error().message;
        }
        out.push_back(std::move(e));
    }
    if (ec)
        return core::fail(Errc::Unavailable, "backup_dir",
                          fmt::format("cannot list {}: {}", dir.string(), ec.message()));
    std::sort(out.begin(), out.end(),
              [](const BackupEntry& a, const BackupEntry& b) { return a.name > b.name; });
    return out;
}

core::Result<std::vector<std::string>> prune_backups(const fs::path& dir, int keep) {
    auto all = SY_TRY(list_backups(dir));
    std::vector<std::string> deleted;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < all.size(); ++i) {
        std::error_code ec;
        fs::remove(dir / all[i].name, ec);
        if (ec)
            return core::fail(
                Errc::Unavailable, "backup_dir",
                fmt::format("cannot delete {}: {}", (dir / all[i].name).string(), ec.message()));
        deleted.push_back(all[i].name);
    }
    return deleted;
}

core::Result<std::chrono::seconds> parse_backup_interval(std::string_view text,
                                                         const std::string& field) {
    auto bad = [&] {
        return core::fail(Errc::Invalid, field,
                          fmt::format("expected a positive number with s, m, h or d (e.g. 6h), "
                                      "got '{}'",
                                      text));
    };
    if (text.size() < 2 || text.size() > 12) return bad();
    std::int64_t n = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return bad();
        n = n * 10 + (c - '0');
    }
    if (n <= 0) return bad();
    switch (text.back()) {
        case 's':
            return std::chrono::seconds(n);
        case 'm':
            return std::chrono::minutes(n);
        case 'h':
            return std::chrono::hours(n);
        case 'd':
            return std::chrono::days(n);
        default:
            return bad();
    }
}

}  // namespace switchyard::app
