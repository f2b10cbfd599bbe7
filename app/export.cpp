// `switchyard events export`: events for analysis, as NDJSON or CSV.
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "core/text.hpp"
#include "events/envelope_codec.hpp"
#include "events/kafka/kafka_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

int run_events_export(const ExportOptions& o) {
    auto fail = [](const core::Error& e) {
        std::fprintf(stderr, "error: %s: %s\n", e.field.c_str(), e.message.c_str());
        return 1;
    };
    if (o.data_dir.empty() == o.log.empty()) {
        std::fprintf(stderr, "error: give exactly one of --data-dir and --log\n");
        return 1;
    }
    if (o.format != "ndjson" && o.format != "csv") {
        std::fprintf(stderr, "error: --format: must be ndjson or csv\n");
        return 1;
    }
    std::optional<core::Timestamp> from, to;
    for (auto [text, slot, name] :
         {std::tuple{&o.from, &from, "--from"}, std::tuple{&o.to, &to, "--to"}}) {
        if (text->empty()) continue;
        auto t = core::parse_rfc3339(*text);
        if (!t) {
            std::fprintf(
                stderr, "error: %s: must be an RFC 3339 time such as 2026-11-01T00:00:00Z\n", name);
            return 1;
        }
        *slot = *t;
    }
    const std::set<std::string> types(o.types.begin(), o.types.end());

    core::Result<std::unique_ptr<events::EventStore>> store =
        core::fail(core::Errc::Internal, "", "");
    fs::path secondary;
    if (!o.data_dir.empty()) {
        // A secondary instance reads the log of a running server as well as of a stopped one.
        events::RocksDbEventStoreOptions options;
        secondary = fs::temp_directory_path() / ("switchyard-export-" + std::to_string(::getpid()));
        options.secondary_dir = secondary;
        store = events::open_rocksdb_event_store(fs::path(o.data_dir) / "log", options);
    } else {
        auto brokers = events::kafka::parse_kafka_url(o.log);
        if (!brokers) return fail(brokers.error());
        events::kafka::KafkaEventStoreOptions options;
        options.brokers = *brokers;
        options.read_only = true;
        store = events::kafka::open_kafka_event_store(options);
    }
    if (!store) return fail(store.error());
    const auto total = (*store)->head().total();
    if (o.format == "csv") {
        std::printf(
            "position,time,type,schema,stream,revision,id,actor_kind,actor_id,actor_ip,tenant,"
            "correlation_id,data\n");
    }
    events::Checkpoint cursor;
    std::int64_t read = 0, written = 0;
    for (;;) {
        auto batch = (*store)->read_all(cursor, 4096);
        if (!batch) return fail(batch.error());
        if (batch->empty()) break;
        for (const auto& e : *batch) {
            cursor.advance(e.position);
            ++read;
            if ((from && e.time < *from) || (to && e.time >= *to)) continue;
            if (!types.empty() && !types.count(e.type)) continue;
            ++written;
            if (o.format == "ndjson") {
                std::printf("%s\n", events::encode_envelope(e).c_str());
            } else {
                const auto position = events::format_positions({e.position});
                std::printf(
                    "%s,%s,%s,%d,%s,%lld,%s,%s,%s,%s,%s,%s,%s\n", core::csv_field(position).c_str(),
                    core::format_rfc3339(e.time).c_str(), core::csv_field(e.type).c_str(), e.schema,
                    core::csv_field(e.stream).c_str(), static_cast<long long>(e.revision),
                    e.id.c_str(), core::to_string(e.actor.kind),
                    core::csv_field(e.actor.id).c_str(), core::csv_field(e.actor.ip).c_str(),
                    core::csv_field(e.tenant).c_str(), core::csv_field(e.correlation_id).c_str(),
                    core::csv_field(e.data).c_str());
            }
        }
        std::fprintf(stderr, "\rread %lld of %lld events, wrote %lld", static_cast<long long>(read),
                     static_cast<long long>(total), static_cast<long long>(written));
    }
    std::fprintf(stderr, "\rread %lld of %lld events, wrote %lld\n", static_cast<long long>(read),
                 static_cast<long long>(total), static_cast<long long>(written));
    std::fflush(stdout);
    std::error_code ec;
    if (!secondary.empty()) fs::remove_all(secondary, ec);
    return 0;
}

}  // namespace switchyard::app
