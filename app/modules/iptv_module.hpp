#pragma once
/// The IPTV module: the catalogue (categories, streams, bouquets), movies and series, lines,
/// M3U and Xtream provider imports, subtitles and the Xtream Codes surface (core/iptv,
/// events/iptv, projections/iptv, adapters/iptv, api/routes/iptv).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/ffmpeg/stream_workers.hpp"
#include "adapters/geoip/geoip_database.hpp"
#include "adapters/iptv/guide_fetcher.hpp"
#include "adapters/iptv/server_health.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "api/routes/iptv/vod_sources.hpp"
#include "app/modules/iptv_archive.hpp"
#include "app/modules/iptv_recordings.hpp"
#include "app/modules/iptv_stream_events.hpp"
#include "app/modules/module.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "events/iptv/connection_service.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/server_service.hpp"
#include "events/iptv/stream_service.hpp"
#include "events/iptv/vod_service.hpp"
#include "projections/iptv/server_redirect.hpp"

namespace switchyard::app {

/// `switchyard serve` options of the IPTV module.
struct IptvOptions {
    /// iptv-org `channels.csv` for mapping streams to guide channels by name; empty: none.
    std::string channels_csv;
    /// iptv-org `logos.csv`: imported streams without a logo get their channel's; empty: none.
    std::string logos_csv;
    /// Programmes that ended more than this many days ago are not served. Default: 7.
    int epg_retention_days = 7;
    /// Guides fetched on a schedule, each `NAME[:PRIORITY]=URL` (adapters/iptv/guide_fetcher.hpp).
    std::vector<std::string> epg_urls;
    /// Between two fetches of the scheduled guides, minutes. Default: 360.
    int epg_interval_min = 360;
    /// MaxMind DB (`.mmdb`, e.g. GeoLite2-Country) for the country of each connection; empty:
    /// none. Opened at start (adapters/geoip/geoip_database.hpp).
    std::string geoip_db;
    /// Between two health checks of the streaming servers, milliseconds; 0: no checks.
    /// Default: 10000.
    int server_check_interval_ms = 10000;
    /// Timeout of one health check, milliseconds. Default: 2000.
    int server_check_timeout_ms = 2000;
    /// Failed checks in a row before a server is down, good ones before it is up. Default: 3, 2.
    int server_check_fall = 3;
    int server_check_rise = 2;
    /// A connection lease lasts this long without renewal, seconds. Default: 30.
    int lease_timeout_s = 30;
    /// The streaming server this process is (its id in `/v1/iptv/servers`), written on the
    /// connections it serves; 0: the main server. Default: 0.
    std::int64_t server_id = 0;
    /// On a streaming server process (an edge, with `server_id`): the main server's base URL;
    /// viewers of `/play/` are admitted and their leases kept through it (app/modules/
    /// iptv_edge.hpp). Empty: this process decides its own leases. Default: empty.
    std::string main_url;
    /// With `main_url`: a file whose first line is an admin API key of the main server.
    std::string main_key_file;
    /// The FFmpeg workers' output directories; empty: `<data dir>/streams` (no live delivery
    /// when there is no data directory either).
    std::string stream_dir;
    /// The ffmpeg binary. Default: `ffmpeg` (found on PATH).
    std::string ffmpeg = "ffmpeg";
    /// A worker stops this long after its last viewer, seconds. Default: 30.
    int stream_idle_s = 30;
    /// `/movie/` and `/series/` redirect players to the source instead of restreaming it (the
    /// viewer then sees the source's URL and no connection is counted). Default: false.
    bool vod_redirect = false;
    /// Where the streams' archives (timeshift) are kept; empty: no archive. Default: empty.
    std::string archive_dir;
    /// Length of one archive segment, seconds. Default: 60 (as Xtream panels).
    int archive_segment_seconds = 60;
    /// What one day of `tv_archive_duration` keeps, seconds (tests shorten it). Default: 86400.
    int archive_day_seconds = 86'400;
    /// Where recordings are kept (they need the archive); empty: `<archive_dir>/recordings`.
    std::string recordings_dir;
    /// Completed recordings are deleted this many days after their end. Default: 30.
    int recording_retention_days = 30;
};

/// The FFmpeg workers as the delivery routes see them (iptv_module.cpp).
class WorkerOutputs;

class IptvModule final : public Module {
  public:
    std::string name() const override { return "iptv"; }
    /// `--iptv-channels-csv`, `--iptv-logos-csv`, `--epg-retention-days`, `--epg-url`,
    /// `--epg-interval-min`, `--geoip-db`, `--server-check-interval-ms`,
    /// `--server-check-timeout-ms`, `--server-check-fall`, `--server-check-rise`,
    /// `--iptv-lease-timeout-s`, `--stream-dir`, `--ffmpeg`, `--stream-idle-s`,
    /// `--iptv-vod-redirect`,
    /// `--iptv-archive-dir`, `--iptv-archive-segment-seconds`, `--iptv-recordings-dir`,
    /// `--iptv-recording-retention-days`.
    void add_serve_options(CLI::App& serve) override;
    IptvOptions options;
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    /// `switchyard import m3u`, `switchyard import xtream`, `switchyard import xmltv`.
    void add_subcommands(CLI::App& app, std::vector<Subcommand>& out) override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    /// The IPTV routes' state (tests set its data tables); valid after start().
    api::IptvApi& api_state() { return *api_; }
    /// The streaming servers' command side; valid after start().
    events::iptv::ServerService& servers() { return *servers_; }
    /// The `--geoip-db` database; null when none was given. Valid after start().
    const adapters::geoip::GeoIpDatabase* geoip() const { return geoip_.get(); }
    /// Where the servers' load comes from (the server list, the redirect chooser); `loads` must
    /// outlive the module. Default: the monitoring read model's open connections and bandwidth.
    void set_server_loads(const core::iptv::ServerLoads& loads) { api_->server_loads = &loads; }
    /// The scheduled guide fetcher, when `--epg-url` names guides; the servers' health checks,
    /// unless `--server-check-interval-ms 0`; the loop that ticks the FFmpeg workers and
    /// closes expired connection leases, about once a second; the archive's recorders and the
    /// recorder, when `--iptv-archive-dir` is set.
    core::Result<void> start_workers(ModuleHost& host) override;
    /// Stops the loop, every FFmpeg worker, the recorder and the archive.
    void stop() override;
    /// Receives what the FFmpeg workers report (started, stopped, failed, probed) besides the
    /// lifecycle recorder (worker_event_listener); empty: nothing else.
    std::function<void(const adapters::ffmpeg::WorkerEvent&)> on_worker_event;
    /// The FFmpeg workers; null when live delivery is not set up (no stream directory).
    adapters::ffmpeg::StreamWorkers* workers() { return workers_.get(); }
    /// The connection leases; valid after start().
    events::iptv::ConnectionService& connections() { return *connections_; }
    /// What the FFmpeg workers report, recorded as `iptv.stream.*` lifecycle events (queued,
    /// appended off the workers' thread); valid after start(). The module's workers report to
    /// it, then to `on_worker_event`.
    adapters::ffmpeg::WorkerListener worker_event_listener();
    /// The stream lifecycle recorder (tests flush it); valid after start().
    StreamEventRecorder& stream_events() { return *stream_events_; }
    /// The archive; null without `archive_dir`. Valid after start().
    IptvArchive* archive() { return archive_.get(); }
    /// The recording commands; valid after start().
    events::iptv::RecordingService& recordings() { return *recordings_; }

  private:
    void discover_leases();
    /// Gives the workers the always-on streams of the catalogue (the loop, every 5 s or so).
    void configure_always_on();
    void run_loop();
    std::unique_ptr<events::iptv::IptvService> iptv_;
    std::unique_ptr<events::iptv::EpgService> epg_;
    std::unique_ptr<core::iptv::ChannelDirectory> channel_directory_;
    std::unique_ptr<core::iptv::LogoDirectory> logo_directory_;
    std::unique_ptr<adapters::iptv::GuideFetcher> fetcher_;
    std::unique_ptr<projections::iptv::CatalogueCache> catalogue_;
    std::unique_ptr<events::iptv::VodService> vod_;
    std::unique_ptr<projections::iptv::VodCache> vod_catalogue_;
    std::unique_ptr<events::iptv::ServerService> servers_;
    core::iptv::FixedServerLoads no_loads_;
    /// The servers' load from the monitoring read model (projections/iptv/connection_monitor).
    std::unique_ptr<core::iptv::ServerLoads> monitored_loads_;
    /// Whatever api_->server_loads is at each call (set_server_loads may change it).
    std::unique_ptr<core::iptv::ServerLoads> current_loads_;
    /// Sends `/live/` viewers to the streaming servers (the main server only).
    std::unique_ptr<projections::iptv::ServerRedirector> redirector_;
    std::unique_ptr<adapters::iptv::ServerHealthChecker> health_;
    std::unique_ptr<adapters::geoip::GeoIpDatabase> geoip_;
    std::unique_ptr<api::IptvApi> api_;
    std::unique_ptr<events::iptv::ConnectionService> connections_;
    std::unique_ptr<adapters::ffmpeg::StreamWorkers> workers_;
    std::unique_ptr<api::LiveOutputs> live_;
    std::unique_ptr<api::MainServer> main_server_;
    WorkerOutputs* worker_outputs_ = nullptr;  ///< live_, when the workers run here
    std::unique_ptr<api::VodSources> vod_sources_;
    const core::Clock* clock_ = nullptr;
    std::string tenant_;
    std::thread loop_;
    std::mutex loop_mu_;
    std::condition_variable loop_cv_;
    bool loop_stop_ = false;
    std::int64_t loop_ticks_ = 0;
    std::unique_ptr<events::iptv::StreamService> streams_;
    std::unique_ptr<StreamEventRecorder> stream_events_;
    std::unique_ptr<IptvArchive> archive_;
    std::unique_ptr<events::iptv::RecordingService> recordings_;
    std::unique_ptr<IptvRecorder> recorder_;
};

}  // namespace switchyard::app
