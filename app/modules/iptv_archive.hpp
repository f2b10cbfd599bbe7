#pragma once
/// The IPTV module's archive: keeps an adapters::ffmpeg::ArchiveRecorder recording exactly the
/// catalogue's streams that have `tv_archive` on (retention `tv_archive_duration` days), and
/// serves its segments to the timeshift routes (api::StreamArchive).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/ffmpeg/archive_recorder.hpp"
#include "api/routes/iptv/stream_archive.hpp"
#include "core/time.hpp"
#include "projections/iptv/xtream_catalogue.hpp"

namespace switchyard::app {

/// The archive of the catalogue's archived streams. @thread safe.
class IptvArchive final : public api::StreamArchive {
  public:
    /// `catalogue` and `clock` must outlive it. `retention_unit` is one day in production
    /// (`tv_archive_duration` counts days); tests shorten it.
    IptvArchive(adapters::ffmpeg::ArchiveOptions options,
                projections::iptv::CatalogueCache& catalogue, const core::Clock& clock,
                std::chrono::seconds retention_unit = std::chrono::hours(24));
    ~IptvArchive() override;

    /// Starts and stops recorders to match the catalogue, restarts exited ones, applies
    /// retention. @returns the segments retention deleted.
    std::size_t sync();
    /// Runs sync() every `period` on a thread of its own until stop().
    void start(std::chrono::milliseconds period = std::chrono::milliseconds(1000));
    void stop();

    std::vector<api::ArchivedSegment> segments(std::int64_t stream_id) const override;
    std::chrono::seconds segment_length() const override;
    /// The recorder (tests look at its directories).
    adapters::ffmpeg::ArchiveRecorder& recorder() { return recorder_; }

  private:
    adapters::ffmpeg::ArchiveRecorder recorder_;
    projections::iptv::CatalogueCache& catalogue_;
    const core::Clock& clock_;
    std::chrono::seconds retention_unit_;
    std::mutex mu_;
    std::set<std::int64_t> recording_;
    std::mutex thread_mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::app
