#include "adapters/ffmpeg/archive_recorder.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "adapters/process/child_process.hpp"

namespace switchyard::adapters::ffmpeg {

namespace fs = std::filesystem;

std::string archive_segment_name(core::Timestamp start) {
    const auto secs = std::chrono::floor<std::chrono::seconds>(start);
    const auto day = std::chrono::floor<std::chrono::days>(secs);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{secs - day};
    return fmt::format("{:04}-{:02}-{:02}:{:02}-{:02}-{:02}.ts", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::optional<core::Timestamp> parse_archive_segment_name(std::string_view name) {
    // YYYY-MM-DD:HH-MM-SS.ts
    if (name.size() != 22 || !name.ends_with(".ts")) return std::nullopt;
    int y, mo, d, h, mi, s;
    char tail[4] = {};
    const std::string text(name);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d:%2d-%2d-%2d.%2s", &y, &mo, &d, &h, &mi, &s, tail) !=
        7)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                          std::chrono::day(d)};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    return core::Timestamp(std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                           std::chrono::minutes(mi) + std::chrono::seconds(s));
}

std::vector<ArchiveSegment> list_archive_segments(const fs::path& dir, bool complete_only) {
    std::vector<ArchiveSegment> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto start = parse_archive_segment_name(entry.path().filename().string());
        if (!start) continue;
        std::error_code size_ec;
        const auto size = entry.file_size(size_ec);
        out.push_back({*start, entry.path(), size_ec ? 0 : size});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
    if (complete_only && !out.empty()) out.pop_back();
    return out;
}

std::vector<std::string> archive_argv(const StreamSource& source, const fs::path& dir,
                                      int segment_seconds, const std::string& program) {
    std::vector<std::string> a = {"env",      "TZ=UTC",   program,     "-hide_banner",
                                  "-nostdin", "-nostats", "-loglevel", "warning"};
    if (source.url.starts_with("http://") || source.url.starts_with("https://")) {
        if (!source.user_agent.empty()) a.insert(a.end(), {"-user_agent", source.user_agent});
        if (!source.http_referrer.empty())
            a.insert(a.end(), {"-headers", "Referer: " + source.http_referrer + "\r\n"});
        a.insert(a.end(), {"-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_delay_max",
                           "5", "-rw_timeout", "10000000"});
    }
    a.insert(a.end(), {"-i", source.url, "-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy", "-f",
                       "segment", "-segment_format", "mpegts", "-segment_time",
                       std::to_string(segment_seconds), "-segment_atclocktime", "1", "-strftime",
                       "1", (dir / "%Y-%m-%d:%H-%M-%S.ts").string()});
    return a;
}

struct ArchiveRecorder::Impl {
    struct Archive {
        StreamSource source;
        std::chrono::seconds retention{0};
        ChildProcess process;
    };

    explicit Impl(ArchiveOptions o) : options(std::move(o)) {
        std::error_code ec;
        fs::create_directories(options.root, ec);
    }

    fs::path dir(std::int64_t id) const { return options.root / std::to_string(id); }

    core::Result<void> start(std::int64_t id, Archive& a) {
        fs::create_directories(dir(id));
        auto child = ChildProcess::start(
            archive_argv(a.source, dir(id), options.segment_seconds, options.ffmpeg),
            dir(id) / "ffmpeg.log");
        if (!child) return tl::unexpected(child.error());
        a.process = std::move(*child);
        return {};
    }

    ArchiveOptions options;
    mutable std::mutex mu;
    std::map<std::int64_t, Archive> archives;
};

ArchiveRecorder::ArchiveRecorder(ArchiveOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ArchiveRecorder::~ArchiveRecorder() {
    std::lock_guard lock(impl_->mu);
    for (auto& [id, a] : impl_->archives) a.process.stop();
}

core::Result<void> ArchiveRecorder::record(const StreamSource& source,
                                           std::chrono::seconds retention) {
    if (source.url.empty()) return core::fail(core::Errc::Invalid, "url", "must not be empty");
    if (retention.count() <= 0)
        return core::fail(core::Errc::Invalid, "retention", "must be positive");
    std::lock_guard lock(impl_->mu);
    auto& a = impl_->archives[source.stream_id];
    a.retention = retention;
    const bool changed = a.source.url != source.url ||
                         a.source.http_referrer != source.http_referrer ||
                         a.source.user_agent != source.user_agent;
    a.source = source;
    if (changed && a.process.pid() > 0) a.process.stop();
    if (a.process.pid() > 0) return {};
    return impl_->start(source.stream_id, a);
}

void ArchiveRecorder::stop(std::int64_t stream_id) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->archives.find(stream_id);
    if (it == impl_->archives.end()) return;
    it->second.process.stop();
    impl_->archives.erase(it);
}

void ArchiveRecorder::purge(std::int64_t stream_id) {
    stop(stream_id);
    std::error_code ec;
    fs::remove_all(impl_->dir(stream_id), ec);
}

std::size_t ArchiveRecorder::tick(core::Timestamp now) {
    std::lock_guard lock(impl_->mu);
    std::size_t deleted = 0;
    for (auto& [id, a] : impl_->archives) {
        if (a.process.poll()) (void)impl_->start(id, a);  // exited: start again
        for (const auto& s : list_archive_segments(impl_->dir(id), false)) {
            if (s.start + a.retention >= now) break;
            std::error_code ec;
            if (fs::remove(s.file, ec)) ++deleted;
        }
    }
    return deleted;
}

bool ArchiveRecorder::recording(std::int64_t stream_id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->archives.find(stream_id);
    return it != impl_->archives.end() && it->second.process.pid() > 0;
}

std::vector<ArchiveSegment> ArchiveRecorder::segments(std::int64_t stream_id) const {
    return list_archive_segments(impl_->dir(stream_id), recording(stream_id));
}

fs::path ArchiveRecorder::directory(std::int64_t stream_id) const { return impl_->dir(stream_id); }

int ArchiveRecorder::segment_seconds() const { return impl_->options.segment_seconds; }

}  // namespace switchyard::adapters::ffmpeg
