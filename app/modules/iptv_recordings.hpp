#pragma once
/// The recorder of the IPTV module: makes the scheduled recordings. A recording is cut from its
/// stream's archive (api::StreamArchive): once its span has been archived (its end plus one
/// segment has passed), the archive segments that overlap [start, end) are joined into
/// `<dir>/<recording id>.ts` (whole segments: the file may begin up to one segment early and
/// end up to one segment late). No ffmpeg of its own runs, so a recording costs no second
/// upstream pull. Completed recordings older than the retention are deleted with their files.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "api/routes/iptv/stream_archive.hpp"
#include "core/time.hpp"
#include "events/iptv/recording_service.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

/// Tunables of the recorder.
struct RecorderOptions {
    std::filesystem::path dir;  ///< Where recording files go; created if missing.
    /// Completed recordings are deleted this long after their end. Default: 30 days.
    std::chrono::seconds retention = std::chrono::hours(24 * 30);
};

/// Makes recordings from the archive. @thread safe.
class IptvRecorder {
  public:
    /// Everything given must outlive the recorder.
    IptvRecorder(RecorderOptions options, events::iptv::RecordingService& recordings,
                 const projections::ProjectionRunner& runner, const api::StreamArchive& archive,
                 const core::Clock& clock);
    ~IptvRecorder();

    /// One pass over the library: starts recordings whose span began, cuts those whose span
    /// is archived (completed, or failed when nothing was archived), deletes expired ones and
    /// the files of deleted ones. @returns the commands that changed something.
    int tick();
    /// Runs tick() every `period` on a thread of its own until stop().
    void start(std::chrono::milliseconds period = std::chrono::milliseconds(1000));
    void stop();

  private:
    RecorderOptions options_;
    events::iptv::RecordingService& recordings_;
    const projections::ProjectionRunner& runner_;
    const api::StreamArchive& archive_;
    const core::Clock& clock_;
    std::mutex mu_, thread_mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::app
