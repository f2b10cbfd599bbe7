#pragma once
/// Records what the FFmpeg workers report (adapters/ffmpeg/stream_workers.hpp WorkerEvent) as
/// `iptv.stream.started`, `.stopped`, `.failed` and `.probed` events through the StreamService.
/// The listener only queues: the appends (which wait for the log's fsync) run on a thread of
/// the recorder's own, so that a slow disk never holds up the workers' tick.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/ffmpeg/stream_workers.hpp"
#include "core/iptv/catalogue.hpp"
#include "core/iptv/stream_lifecycle.hpp"
#include "core/time.hpp"
#include "events/iptv/stream_service.hpp"

namespace switchyard::app {

/// The FFmpeg transcoding profile of a stream's stored profile (same fields; sizes narrowed to
/// int, out-of-range values clamped to what check_profile refuses).
adapters::ffmpeg::TranscodeProfile transcode_profile_of(const core::iptv::StreamProfile& p);

/// The lifecycle event a worker event says, at `now`. A failure's `next_retry` is `now` plus
/// the workers' backoff for its attempt (`backoff_first` doubled per failure in a row, at most
/// `backoff_max`, as StreamWorkers waits); none when down. A probe's frame rate is kept in
/// thousandths (`fps_milli`); a probe that failed (no ProbeResult) says nothing (nullopt).
std::optional<core::iptv::StreamLifecycleEvent> lifecycle_event_of(
    const adapters::ffmpeg::WorkerEvent& e, core::Timestamp now,
    const adapters::ffmpeg::WorkerOptions& options);

/// Appends the workers' events in the order they came, one at a time, on its own thread.
/// An append that fails is logged (spdlog) and dropped: the workers carry on regardless.
/// @thread safe.
class StreamEventRecorder {
  public:
    /// `streams` and `clock` must outlive the recorder; `options` gives the backoff.
    StreamEventRecorder(events::iptv::StreamService& streams, const core::Clock& clock,
                        adapters::ffmpeg::WorkerOptions options);
    /// Appends what is queued, then stops the thread.
    ~StreamEventRecorder();
    StreamEventRecorder(const StreamEventRecorder&) = delete;
    StreamEventRecorder& operator=(const StreamEventRecorder&) = delete;

    /// Queues one event (it returns at once).
    void push(const adapters::ffmpeg::WorkerEvent& e);
    /// Waits until every event queued so far is appended (tests, shutdown).
    void flush();
    /// Appends that failed so far.
    std::int64_t failed_appends() const;

  private:
    void run();

    events::iptv::StreamService& streams_;
    const core::Clock& clock_;
    adapters::ffmpeg::WorkerOptions options_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::pair<adapters::ffmpeg::WorkerEvent, core::Timestamp>> queue_;
    std::int64_t pushed_ = 0, done_ = 0, failed_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

/// The listener to give StreamWorkers: it queues each event on `recorder`.
adapters::ffmpeg::WorkerListener stream_event_listener(StreamEventRecorder& recorder);

}  // namespace switchyard::app
