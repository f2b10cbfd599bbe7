#include "app/modules/iptv_recordings.hpp"

#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "projections/iptv/recording_library.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
using namespace core::iptv;

IptvRecorder::IptvRecorder(RecorderOptions options, events::iptv::RecordingService& recordings,
                           const projections::ProjectionRunner& runner,
                           const api::StreamArchive& archive, const core::Clock& clock)
    : options_(std::move(options)),
      recordings_(recordings),
      runner_(runner),
      archive_(archive),
      clock_(clock) {
    std::error_code ec;
    fs::create_directories(options_.dir, ec);
}

IptvRecorder::~IptvRecorder() { stop(); }

int IptvRecorder::tick() {
    std::lock_guard lock(mu_);
    const auto* view = runner_.view(projections::iptv::kRecordingLibrary);
    if (!view) return 0;
    const auto now = clock_.now();
    core::DecisionContext ctx;
    ctx.now = now;
    ctx.actor = core::Actor{core::ActorKind::System, "recorder", ""};
    int changed = 0;
    const auto run = [&](const auto& command) {
        ctx.correlation_id = "recording-" + std::to_string(command.recording_id);
        auto r = recordings_.execute(command, ctx);
        if (!r)
            spdlog::warn("recording {}: {}: {}", command.recording_id, r.error().field,
                         r.error().message);
        else if (r->changed)
            ++changed;
    };
    const auto length = archive_.segment_length();
    std::int64_t after = 0;
    for (;;) {
        auto rows = projections::iptv::list_recordings(*view, after, 256);
        if (rows.empty()) break;
        for (const auto& row : rows) {
            after = row.recording_id;
            const auto file = options_.dir / fmt::format("{}.ts", row.recording_id);
            if (row.status == "deleted") {
                std::error_code ec;
                fs::remove(file, ec);
                continue;
            }
            if (row.status == "completed") {
                if (row.end + options_.retention < now) {
                    run(DeleteRecording{row.recording_id, "retention"});
                    std::error_code ec;
                    fs::remove(file, ec);
                }
                continue;
            }
            if (row.status != "scheduled" && row.status != "recording") continue;
            if (row.status == "scheduled" && row.start <= now)
                run(StartRecording{row.recording_id});
            if (now < row.end + length) continue;  // not archived yet
            std::ofstream out(file, std::ios::binary | std::ios::trunc);
            std::int64_t size = 0, pieces = 0;
            for (const auto& seg : archive_.segments(row.stream_id)) {
                if (seg.start >= row.end || seg.start + length <= row.start) continue;
                std::ifstream in(seg.file, std::ios::binary);
                if (!in) continue;
                out << in.rdbuf();
                size += static_cast<std::int64_t>(seg.size_bytes);
                ++pieces;
            }
            out.close();
            if (pieces == 0 || !out) {
                std::error_code ec;
                fs::remove(file, ec);
                run(FailRecording{row.recording_id,
                                  pieces == 0 ? "nothing of the span is in the stream's archive"
                                              : "the recording file cannot be written"});
                continue;
            }
            std::error_code ec;
            const auto written = fs::file_size(file, ec);
            run(CompleteRecording{row.recording_id, file.string(),
                                  ec ? size : static_cast<std::int64_t>(written), pieces});
        }
    }
    return changed;
}

void IptvRecorder::start(std::chrono::milliseconds period) {
    std::lock_guard lock(thread_mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this, period] {
        std::unique_lock l(thread_mu_);
        while (!stopping_) {
            l.unlock();
            tick();
            l.lock();
            cv_.wait_for(l, period, [&] { return stopping_; });
        }
    });
}

void IptvRecorder::stop() {
    {
        std::lock_guard lock(thread_mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace switchyard::app
