#include "adapters/ffmpeg/stream_workers.hpp"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <system_error>

#include "adapters/process/child_process.hpp"

namespace switchyard::adapters::ffmpeg {

namespace fs = std::filesystem;

const char* to_string(WorkerState state) noexcept {
    switch (state) {
        case WorkerState::Idle:
            return "idle";
        case WorkerState::Starting:
            return "starting";
        case WorkerState::Running:
            return "running";
        case WorkerState::Backoff:
            return "backoff";
        case WorkerState::Down:
            return "down";
    }
    return "idle";
}

namespace {

/// The last non-empty line of a log file (ffmpeg's reason for exiting), at most 300 bytes.
std::string last_line(const fs::path& log) {
    std::ifstream in(log, std::ios::binary);
    std::string line, last;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) last = line;
    }
    if (last.size() > 300) last.resize(300);
    return last;
}

}  // namespace

struct StreamWorkers::Impl {
    struct Worker {
        StreamSource source;
        TranscodeProfile profile;
        bool always_on = false;
        bool changed = false;  ///< Source or profile changed while running: restart.
        WorkerState state = WorkerState::Idle;
        ChildProcess process;
        std::int64_t viewers = 0;
        int failures = 0;
        std::string reason;
        core::Timestamp started_at{};
        core::Timestamp idle_since{};
        core::Timestamp retry_at{};
        std::optional<ProbeResult> probe;
        std::future<core::Result<ProbeResult>> probing;
    };

    WorkerOptions options;
    WorkerListener listener;
    mutable std::mutex mu;
    std::map<std::int64_t, Worker> workers;

    fs::path dir(std::int64_t id) const { return options.root / std::to_string(id); }

    /// Kills the workers an earlier process left running (their pid files name them).
    void kill_leftovers() {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(options.root, ec)) {
            const auto pid_file = entry.path() / "ffmpeg.pid";
            std::ifstream in(pid_file);
            pid_t pid = -1;
            if (in >> pid && process_matches(pid, entry.path().string())) kill(-pid, SIGKILL);
            fs::remove(pid_file, ec);
        }
    }

    /// Starts ffmpeg for `id` (lock held). A failure to start counts as a failure.
    void start(std::int64_t id, Worker& w, core::Timestamp now, std::vector<WorkerEvent>& out) {
        const auto d = dir(id);
        std::error_code ec;
        fs::remove_all(d, ec);  // a stale playlist must not look ready
        fs::create_directories(d, ec);
        HlsOutput hls{d, options.segment_seconds, options.list_size};
        auto child = ChildProcess::start(ffmpeg_argv(w.source, w.profile, hls, options.ffmpeg),
                                         d / "ffmpeg.log");
        w.changed = false;
        if (!child) {
            fail(id, w, now, child.error().message, out);
            return;
        }
        w.process = std::move(*child);
        std::ofstream(d / "ffmpeg.pid") << w.process.pid() << "\n";
        w.state = WorkerState::Starting;
        w.started_at = now;
        w.idle_since = now;
        if (options.probe_sources) {
            w.probing = std::async(
                std::launch::async,
                [url = w.source.url, timeout = options.probe_timeout_ms,
                 program = options.ffprobe] { return ffmpeg::probe(url, timeout, program); });
        }
    }

    /// Records a failure (lock held): backoff, or down after too many in a row.
    void fail(std::int64_t id, Worker& w, core::Timestamp now, std::string reason,
              std::vector<WorkerEvent>& out) {
        const auto pid = w.process.pid();
        w.process.stop(std::chrono::milliseconds(500));
        ++w.failures;
        w.reason = reason.empty() ? "ffmpeg exited" : std::move(reason);
        const bool down = w.failures >= options.failures_before_down;
        if (down) {
            w.state = WorkerState::Down;
        } else {
            auto delay = options.backoff_first;
            for (int i = 1; i < w.failures && delay < options.backoff_max; ++i) delay *= 2;
            w.retry_at = now + std::min(delay, options.backoff_max);
            w.state = WorkerState::Backoff;
        }
        out.push_back({WorkerEvent::Kind::Failed, id, pid, w.reason, w.failures, down, {}});
    }

    /// Takes the process out for stopping outside the lock, and reports why.
    void stop(std::int64_t id, Worker& w, std::string reason, std::vector<ChildProcess>& stopping,
              std::vector<WorkerEvent>& out) {
        const auto pid = w.process.pid();
        const bool was_up = w.state == WorkerState::Starting || w.state == WorkerState::Running;
        if (pid > 0) stopping.push_back(std::move(w.process));
        w.process = ChildProcess();
        w.state = WorkerState::Idle;
        std::error_code ec;
        fs::remove(dir(id) / "ffmpeg.pid", ec);
        if (was_up)
            out.push_back({WorkerEvent::Kind::Stopped, id, pid, std::move(reason), 0, false, {}});
    }

    void emit(std::vector<ChildProcess>& stopping, const std::vector<WorkerEvent>& events) {
        for (auto& p : stopping) p.stop();
        if (!listener) return;
        for (const auto& e : events) listener(e);
    }
};

StreamWorkers::StreamWorkers(WorkerOptions options, WorkerListener listener)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->listener = std::move(listener);
    std::error_code ec;
    fs::create_directories(impl_->options.root, ec);
    impl_->kill_leftovers();
}

StreamWorkers::~StreamWorkers() { stop_all(); }

core::Result<void> StreamWorkers::configure(const StreamSource& source,
                                            const TranscodeProfile& profile, bool always_on) {
    if (source.url.empty()) return core::fail(core::Errc::Invalid, "url", "must not be empty");
    SY_TRY(check_profile(profile));
    std::lock_guard lock(impl_->mu);
    auto& w = impl_->workers[source.stream_id];
    const bool differs = w.source.url != source.url || w.source.user_agent != source.user_agent ||
                         w.source.http_referrer != source.http_referrer || !(w.profile == profile);
    w.source = source;
    w.profile = profile;
    w.always_on = always_on;
    if (differs && w.process.pid() > 0) w.changed = true;
    if (w.state == WorkerState::Down) {
        w.state = WorkerState::Idle;
        w.failures = 0;
    }
    return {};
}

void StreamWorkers::remove(std::int64_t stream_id) {
    std::vector<ChildProcess> stopping;
    std::vector<WorkerEvent> events;
    {
        std::lock_guard lock(impl_->mu);
        auto it = impl_->workers.find(stream_id);
        if (it == impl_->workers.end()) return;
        impl_->stop(stream_id, it->second, "removed", stopping, events);
        impl_->workers.erase(it);
    }
    impl_->emit(stopping, events);
}

core::Result<std::filesystem::path> StreamWorkers::acquire(std::int64_t stream_id,
                                                           core::Timestamp now) {
    std::vector<WorkerEvent> events;
    std::vector<ChildProcess> stopping;
    fs::path out;
    {
        std::lock_guard lock(impl_->mu);
        auto it = impl_->workers.find(stream_id);
        if (it == impl_->workers.end())
            return core::fail(core::Errc::NotFound, "stream_id", "no such stream on this server");
        auto& w = it->second;
        if (w.state == WorkerState::Down)
            return core::fail(core::Errc::Unavailable, "stream_id",
                              "the stream is down: " + w.reason);
        ++w.viewers;
        if (w.state == WorkerState::Idle) impl_->start(stream_id, w, now, events);
        out = impl_->dir(stream_id);
    }
    impl_->emit(stopping, events);
    return out;
}

void StreamWorkers::release(std::int64_t stream_id, core::Timestamp now) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->workers.find(stream_id);
    if (it == impl_->workers.end() || it->second.viewers == 0) return;
    if (--it->second.viewers == 0) it->second.idle_since = now;
}

void StreamWorkers::retry(std::int64_t stream_id) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->workers.find(stream_id);
    if (it == impl_->workers.end() || it->second.state != WorkerState::Down) return;
    it->second.state = WorkerState::Idle;
    it->second.failures = 0;
}

void StreamWorkers::tick(core::Timestamp now) {
    std::vector<WorkerEvent> events;
    std::vector<ChildProcess> stopping;
    {
        std::lock_guard lock(impl_->mu);
        const auto& o = impl_->options;
        for (auto& [id, w] : impl_->workers) {
            if (w.probing.valid() &&
                w.probing.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                auto probed = w.probing.get();
                WorkerEvent e{WorkerEvent::Kind::Probed, id, w.process.pid(), {}, 0, false, {}};
                if (probed) {
                    w.probe = *probed;
                    e.probe = *probed;
                } else {
                    e.reason = probed.error().message;
                }
                events.push_back(std::move(e));
            }
            if (w.state == WorkerState::Starting || w.state == WorkerState::Running) {
                if (auto status = w.process.poll()) {
                    auto reason = last_line(impl_->dir(id) / "ffmpeg.log");
                    if (reason.empty())
                        reason = "ffmpeg exited with status " + std::to_string(*status);
                    impl_->fail(id, w, now, std::move(reason), events);
                    continue;
                }
            }
            const bool wanted = w.viewers > 0 || w.always_on;
            switch (w.state) {
                case WorkerState::Starting: {
                    std::error_code ec;
                    if (fs::exists(impl_->dir(id) / std::string(kPlaylistName), ec)) {
                        w.state = WorkerState::Running;
                        w.failures = 0;
                        events.push_back(
                            {WorkerEvent::Kind::Started, id, w.process.pid(), {}, 0, false, {}});
                    } else if (now - w.started_at >= o.ready_timeout) {
                        impl_->fail(id, w, now,
                                    "no playlist within " +
                                        std::to_string(o.ready_timeout.count() / 1000) + " s",
                                    events);
                    }
                    break;
                }
                case WorkerState::Running:
                    if (w.changed) {
                        impl_->stop(id, w, "changed", stopping, events);
                        if (wanted) impl_->start(id, w, now, events);
                    } else if (!wanted && now - w.idle_since >= o.idle_timeout) {
                        impl_->stop(id, w, "idle", stopping, events);
                    }
                    break;
                case WorkerState::Backoff:
                    if (now >= w.retry_at) {
                        w.state = WorkerState::Idle;
                        if (wanted) impl_->start(id, w, now, events);
                    }
                    break;
                case WorkerState::Idle:
                    if (w.always_on) impl_->start(id, w, now, events);
                    break;
                case WorkerState::Down:
                    break;
            }
        }
    }
    impl_->emit(stopping, events);
}

void StreamWorkers::stop_all() {
    std::vector<WorkerEvent> events;
    std::vector<ChildProcess> stopping;
    {
        std::lock_guard lock(impl_->mu);
        for (auto& [id, w] : impl_->workers) impl_->stop(id, w, "shutdown", stopping, events);
    }
    impl_->emit(stopping, events);
}

bool StreamWorkers::ready(std::int64_t stream_id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->workers.find(stream_id);
    return it != impl_->workers.end() && it->second.state == WorkerState::Running;
}

std::vector<WorkerStatus> StreamWorkers::status() const {
    std::lock_guard lock(impl_->mu);
    std::vector<WorkerStatus> out;
    for (const auto& [id, w] : impl_->workers)
        out.push_back(
            {id, w.state, w.process.pid(), w.viewers, w.failures, w.always_on, w.reason, w.probe});
    return out;
}

std::filesystem::path StreamWorkers::directory(std::int64_t stream_id) const {
    return impl_->dir(stream_id);
}

}  // namespace switchyard::adapters::ffmpeg
