#include "app/modules/iptv_stream_events.hpp"

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>

namespace switchyard::app {

using adapters::ffmpeg::WorkerEvent;
using namespace core::iptv;

adapters::ffmpeg::TranscodeProfile transcode_profile_of(const StreamProfile& p) {
    const auto narrow = [](std::int64_t v) {
        return static_cast<int>(std::clamp<std::int64_t>(v, -1, 1'000'000));
    };
    return {p.name,
            p.video_codec,
            p.audio_codec,
            p.video_bitrate_kbps,
            p.audio_bitrate_kbps,
            narrow(p.width),
            narrow(p.height),
            p.preset};
}

std::optional<StreamLifecycleEvent> lifecycle_event_of(
    const WorkerEvent& e, core::Timestamp now, const adapters::ffmpeg::WorkerOptions& options) {
    const std::int64_t pid = e.pid;
    switch (e.kind) {
        case WorkerEvent::Kind::Started:
            return StreamStarted{e.stream_id, pid};
        case WorkerEvent::Kind::Stopped:
            return StreamStopped{e.stream_id, pid, e.reason};
        case WorkerEvent::Kind::Failed: {
            StreamFailed f{e.stream_id, pid, e.reason, e.failures, e.down, std::nullopt};
            if (!e.down) {
                auto delay = options.backoff_first;
                for (int i = 1; i < e.failures && delay < options.backoff_max; ++i) delay *= 2;
                f.next_retry = now + std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::min(delay, options.backoff_max));
            }
            return f;
        }
        case WorkerEvent::Kind::Probed: {
            if (!e.probe) return std::nullopt;
            const auto& p = *e.probe;
            return StreamProbed{
                e.stream_id,   pid,     p.format, p.video_codec,
                p.audio_codec, p.width, p.height, std::llround(p.frame_rate * 1000.0),
                p.bitrate_bps};
        }
    }
    return std::nullopt;
}

StreamEventRecorder::StreamEventRecorder(events::iptv::StreamService& streams,
                                         const core::Clock& clock,
                                         adapters::ffmpeg::WorkerOptions options)
    : streams_(streams), clock_(clock), options_(std::move(options)) {
    thread_ = std::thread([this] { run(); });
}

StreamEventRecorder::~StreamEventRecorder() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void StreamEventRecorder::push(const WorkerEvent& e) {
    {
        std::lock_guard lock(mu_);
        queue_.emplace_back(e, clock_.now());
        ++pushed_;
    }
    cv_.notify_all();
}

void StreamEventRecorder::flush() {
    std::unique_lock lock(mu_);
    const auto target = pushed_;
    cv_.wait(lock, [&] { return done_ >= target; });
}

std::int64_t StreamEventRecorder::failed_appends() const {
    std::lock_guard lock(mu_);
    return failed_;
}

void StreamEventRecorder::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything is appended
        auto [e, at] = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        bool ok = true;
        if (auto event = lifecycle_event_of(e, at, options_)) {
            core::DecisionContext ctx;
            ctx.now = at;
            ctx.actor = core::Actor{core::ActorKind::System, "ffmpeg-workers", ""};
            ctx.correlation_id = "stream-" + std::to_string(e.stream_id);
            auto r = streams_.record(*event, ctx);
            if (!r) {
                ok = false;
                spdlog::warn("stream {}: recording a worker event failed: {}: {}", e.stream_id,
                             r.error().field, r.error().message);
            }
        }
        lock.lock();
        if (!ok) ++failed_;
        ++done_;
        cv_.notify_all();
    }
}

adapters::ffmpeg::WorkerListener stream_event_listener(StreamEventRecorder& recorder) {
    return [&recorder](const WorkerEvent& e) { recorder.push(e); };
}

}  // namespace switchyard::app
