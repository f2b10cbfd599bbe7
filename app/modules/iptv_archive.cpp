#include "app/modules/iptv_archive.hpp"

#include <spdlog/spdlog.h>

namespace switchyard::app {

IptvArchive::IptvArchive(adapters::ffmpeg::ArchiveOptions options,
                         projections::iptv::CatalogueCache& catalogue, const core::Clock& clock,
                         std::chrono::seconds retention_unit)
    : recorder_(std::move(options)),
      catalogue_(catalogue),
      clock_(clock),
      retention_unit_(retention_unit) {}

IptvArchive::~IptvArchive() { stop(); }

std::size_t IptvArchive::sync() {
    std::lock_guard lock(mu_);
    auto snap = catalogue_.get();
    std::set<std::int64_t> wanted;
    for (const auto& s : snap->streams()) {
        if (!s.tv_archive || s.tv_archive_duration <= 0) continue;
        wanted.insert(s.id);
        auto started = recorder_.record({s.id, s.source_url, s.http_referrer, s.user_agent},
                                        retention_unit_ * s.tv_archive_duration);
        if (!started)
            spdlog::warn("stream {}: the archive cannot start: {}", s.id, started.error().message);
    }
    for (auto id : recording_)
        if (!wanted.count(id)) recorder_.purge(id);
    recording_ = std::move(wanted);
    return recorder_.tick(clock_.now());
}

void IptvArchive::start(std::chrono::milliseconds period) {
    std::lock_guard lock(thread_mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this, period] {
        std::unique_lock l(thread_mu_);
        while (!stopping_) {
            l.unlock();
            sync();
            l.lock();
            cv_.wait_for(l, period, [&] { return stopping_; });
        }
    });
}

void IptvArchive::stop() {
    {
        std::lock_guard lock(thread_mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::vector<api::ArchivedSegment> IptvArchive::segments(std::int64_t stream_id) const {
    std::vector<api::ArchivedSegment> out;
    for (const auto& s : recorder_.segments(stream_id))
        out.push_back({s.start, s.file, s.size_bytes});
    return out;
}

std::chrono::seconds IptvArchive::segment_length() const {
    return std::chrono::seconds(recorder_.segment_seconds());
}

}  // namespace switchyard::app
