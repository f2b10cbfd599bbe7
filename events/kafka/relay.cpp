#include "events/kafka/relay.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "events/envelope_codec.hpp"
#include "events/kafka/kafka_event_store.hpp"

namespace switchyard::events::kafka {

using core::Errc;

core::Result<Checkpoint> load_relay_checkpoint(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return Checkpoint{};
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    auto c = Checkpoint::parse(text);
    if (!c)
        return core::fail(Errc::Internal, "checkpoint",
                          fmt::format("{} is not a checkpoint", file.string()));
    return c;
}

namespace {

core::Result<void> store_checkpoint(const std::filesystem::path& file, const Checkpoint& c) {
    const auto tmp = file.string() + ".tmp";
    const auto text = c.to_string() + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return core::fail(Errc::Internal, "checkpoint", fmt::format("cannot write {}", tmp));
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) {
        return core::fail(Errc::Internal, "checkpoint",
                          fmt::format("cannot write {}", file.string()));
    }
    return {};
}

}  // namespace

core::Result<std::int64_t> relay(
    EventStore& source, TransactionalProducer& producer, const RelayOptions& options,
    const std::atomic<bool>& stop,
    const std::function<void(std::int64_t, const Checkpoint&)>& progress) {
    std::error_code ec;
    std::filesystem::create_directories(options.checkpoint_file.parent_path(), ec);
    auto checkpoint = SY_TRY(load_relay_checkpoint(options.checkpoint_file));
    std::int64_t relayed = 0;
    while (!stop) {
        auto batch = SY_TRY(source.read_all(checkpoint, options.batch));
        if (batch.empty()) {
            if (!options.follow) break;
            source.wait_for_events(checkpoint, std::chrono::milliseconds(200));
            continue;
        }
        std::vector<OutRecord> records;
        records.reserve(batch.size());
        for (const auto& e : batch) {
            records.push_back(OutRecord{
                topic_for(options.topic_prefix, e.type),
                e.stream,
                encode_envelope(e, false),
                {{"type", e.type}, {"schema", std::to_string(e.schema)}, {"event_id", e.id}}});
        }
        SY_TRY(producer.commit(records));
        for (const auto& e : batch) checkpoint.advance(e.position);
        SY_TRY(store_checkpoint(options.checkpoint_file, checkpoint));
        relayed += static_cast<std::int64_t>(batch.size());
        if (progress) progress(relayed, checkpoint);
    }
    return relayed;
}

}  // namespace switchyard::events::kafka
