#pragma once
/// The subcommands of `switchyard`; each returns the process exit code.

#include <string>
#include <vector>

#include "app/modules/module.hpp"

namespace switchyard::app {

struct ServeOptions {
    std::string data_dir = "./var";
    std::string listen = "127.0.0.1:8080";
    int io_threads = 0;
    std::string log;  ///< Empty: the embedded log in <data_dir>/log; else `kafka://HOST:PORT,...`.
    std::vector<std::string> admin_allow;      ///< CIDR networks admins may come from.
    std::vector<std::string> trusted_proxies;  ///< CIDR networks whose X-Forwarded-For counts.
    int anonymous_per_minute = 60;
    int authenticated_per_minute = 120;
    std::string tls_cert, tls_key;  ///< PEM files; both set: HTTPS with HSTS.
    /// Base of the media URLs players get (`http[s]://host[:port]`); empty: the listen address,
    /// or a valid Host header.
    std::string public_url;
};
/// `serve`: opens the log and read models in the data dir, creates the admin key on first start,
/// starts every module (their services, routes and workers), serves HTTP until SIGINT or
/// SIGTERM. Exit 1 when it cannot start.
int run_serve(const ServeOptions& options, const Modules& modules);

/// `openapi`: prints the OpenAPI document of every module's routes (app/openapi.hpp) to stdout,
/// or writes it to `output`. Exit 1 when the modules cannot start or the file cannot be written.
int run_openapi(const std::string& output);

struct ImportOptions {
    std::vector<std::string> files;
    std::string server;
    std::string data_dir;
    std::string source;
    std::string category_from = "group-title";
};
/// `import m3u`: posts each file, reports progress on stderr and the reports as JSON on stdout.
/// Exit 1 when a request fails.
int run_import_m3u(const ImportOptions& options);

struct ReplayOptions {
    std::string data_dir;
    std::string projection;
    /// Empty: where the live model stands; else a checkpoint (`0:2607`) or an RFC 3339 time
    /// (every event up to that time: events/log_time.hpp).
    std::string until;
};
/// What a replay found.
struct ReplayReport {
    std::string projection;  ///< Versioned name.
    std::string rebuilt_digest, live_digest;
    events::Checkpoint rebuilt_at, live_at;
    events::Checkpoint until;  ///< Where the rebuild was asked to stop.
};
/// Rebuilds one read model from the log of `data_dir` (read-only; the server stopped) into a
/// temporary directory, up to `until`, and digests it and the live model.
/// @errors Invalid naming `--projection` (unknown model) or `--until` (neither a checkpoint nor
///         an RFC 3339 time); the log's and the read models' errors.
core::Result<ReplayReport> replay_projection(const ReplayOptions& options);
/// `replay`: replay_projection, printing both digests; exit 1 when they differ, 2 on errors.
int run_replay(const ReplayOptions& options);

struct TailOptions {
    std::string server;
    std::string data_dir;
    std::string from;
    bool no_follow = false;
};
/// `events tail`: prints envelopes as NDJSON from `/v1/events`.
int run_events_tail(const TailOptions& options);

struct MockKafkaOptions {
    int brokers = 3;
};
/// `mock-kafka`: starts librdkafka's mock cluster, prints the bootstrap servers as the first line
/// on stdout and runs until SIGINT or SIGTERM.
int run_mock_kafka(const MockKafkaOptions& options);

struct RelayCommandOptions {
    std::string data_dir;
    std::string to;
    bool once = false;
};
/// `relay`: publishes the embedded log of `data_dir` to Kafka from the stored relay checkpoint
/// (`<data_dir>/relay/checkpoint`), following the running server's log (RocksDB secondary).
int run_relay(const RelayCommandOptions& options);

struct ExportOptions {
    std::string data_dir;
    std::string log;
    std::string format = "ndjson";
    std::string from, to;
    std::vector<std::string> types;
};
/// `events export`: writes the events of the embedded log (`data_dir`) or of a Kafka log (`log`)
/// to stdout as NDJSON envelopes or CSV (RFC 4180), filtered by time and type; progress on stderr.
int run_events_export(const ExportOptions& options);

struct AuditExportOptions {
    std::string server;
    std::string data_dir;  ///< For the API key (or `$SWITCHYARD_API_KEY`).
    std::string format = "csv";
    std::string actor, resource, type, from, to;
};
/// `audit export`: pages through `GET /v1/audit` with the same filters and writes CSV
/// (RFC 4180: time, actor_kind, actor_id, ip, type, resource, event_id, position,
/// correlation_id, before, after) or JSON (one array of the rows) to stdout; progress on stderr.
/// Exit 1 with the server's problem on stderr when a request fails.
int run_audit_export(const AuditExportOptions& options);

struct AdminOptions {
    std::string data_dir = "./var";
};
/// `admin rotate-master-key`: with the server stopped, adds a new master key to
/// DATA_DIR/master.key, seals every TOTP seed in the embedded log again under it (events
/// `identity.totp.resealed`), then retires the old keys. Exit 1 when the log is in use or a
/// secret cannot be opened (both keys are kept then; a second run finishes).
int run_rotate_master_key(const AdminOptions& options);

/// The API key: `$SWITCHYARD_API_KEY`, else `<data_dir>/admin.key`; empty when neither.
std::string api_key_from(const std::string& data_dir);

}  // namespace switchyard::app
