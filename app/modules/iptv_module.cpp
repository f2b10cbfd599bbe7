#include "app/modules/iptv_module.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/modules/iptv_edge.hpp"
#include "app/modules/iptv_vod_sources.hpp"
#include "app/modules/iptv_xtream_cli.hpp"
#include "app/modules/service_switches.hpp"
#include "app/xmltv_import.hpp"
#include "projections/iptv/connection_monitor.hpp"
#include "projections/iptv/epg_guide.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/recording_library.hpp"
#include "projections/iptv/stream_servers.hpp"
#include "projections/iptv/stream_status.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::app {

/// api::LiveOutputs over the FFmpeg workers: a stream is configured from the catalogue's fields
/// (source, transcoding profile, always-on) on its first acquire and again when they changed;
/// the module's loop configures the always-on streams without a viewer (configure()).
class WorkerOutputs final : public api::LiveOutputs {
  public:
    WorkerOutputs(adapters::ffmpeg::StreamWorkers& workers, const core::Clock& clock)
        : workers_(workers), clock_(clock) {}

    core::Result<std::filesystem::path> acquire(const api::LiveSource& source) override {
        SY_TRY(configure(source));
        return workers_.acquire(source.stream_id, clock_.now());
    }
    void release(std::int64_t stream_id) override { workers_.release(stream_id, clock_.now()); }
    bool ready(std::int64_t stream_id) const override { return workers_.ready(stream_id); }
    std::filesystem::path directory(std::int64_t stream_id) const override {
        return workers_.directory(stream_id);
    }

    /// Hands the stream's fields to its worker when they differ from what it was given last.
    /// @errors as StreamWorkers::configure.
    core::Result<void> configure(const api::LiveSource& source) {
        std::lock_guard lock(mu_);
        auto it = configured_.find(source.stream_id);
        if (it != configured_.end() && same(it->second, source)) return {};
        SY_TRY(workers_.configure(
            {source.stream_id, source.source_url, source.http_referrer, source.user_agent},
            transcode_profile_of(source.profile), source.always_on));
        configured_[source.stream_id] = source;
        return {};
    }

  private:
    static bool same(const api::LiveSource& a, const api::LiveSource& b) {
        return a.source_url == b.source_url && a.user_agent == b.user_agent &&
               a.http_referrer == b.http_referrer && a.profile == b.profile &&
               a.always_on == b.always_on;
    }

    adapters::ffmpeg::StreamWorkers& workers_;
    const core::Clock& clock_;
    std::mutex mu_;
    std::map<std::int64_t, api::LiveSource> configured_;
};

namespace {

/// The loads the IPTV API holds now (IptvModule::set_server_loads may replace them).
class CurrentServerLoads final : public core::iptv::ServerLoads {
  public:
    explicit CurrentServerLoads(const api::IptvApi& api) : api_(api) {}
    core::iptv::ServerLoad load(std::int64_t server_id) const override {
        return api_.server_loads ? api_.server_loads->load(server_id) : core::iptv::ServerLoad{};
    }

  private:
    const api::IptvApi& api_;
};

}  // namespace

void IptvModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::iptv::make_xtream_catalogue_projector());
    out.push_back(projections::iptv::make_line_directory_projector());
    out.push_back(projections::iptv::make_xtream_vod_projector());
    out.push_back(projections::iptv::make_epg_guide_projector());
    out.push_back(projections::iptv::make_stream_servers_projector());
    out.push_back(projections::iptv::make_stream_status_projector());
    out.push_back(projections::iptv::make_recording_library_projector());
    out.push_back(projections::iptv::make_iptv_monitor_projector());
}

void IptvModule::add_serve_options(CLI::App& serve) {
    serve.add_option("--iptv-channels-csv", options.channels_csv,
                     "iptv-org channels.csv: map streams to EPG guide channels by name too");
    serve.add_option("--iptv-logos-csv", options.logos_csv,
                     "iptv-org logos.csv: imported streams without a logo get their channel's");
    serve
        .add_option("--epg-retention-days", options.epg_retention_days,
                    "Programmes that ended more than this many days ago are not served")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
    serve.add_option("--epg-url", options.epg_urls,
                     "NAME[:PRIORITY]=URL: fetch this XMLTV guide on a schedule (repeat)");
    serve
        .add_option("--epg-interval-min", options.epg_interval_min,
                    "Minutes between two fetches of the --epg-url guides")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    serve.add_option("--geoip-db", options.geoip_db,
                     "MaxMind DB (.mmdb, e.g. GeoLite2-Country) for the country of connections");
    serve
        .add_option("--server-check-interval-ms", options.server_check_interval_ms,
                    "Milliseconds between two health checks of the streaming servers; 0: none")
        ->check(CLI::Range(0, 86'400'000))
        ->capture_default_str();
    serve
        .add_option("--server-check-timeout-ms", options.server_check_timeout_ms,
                    "Timeout of one health check of a streaming server, milliseconds")
        ->check(CLI::Range(1, 600'000))
        ->capture_default_str();
    serve
        .add_option("--server-check-fall", options.server_check_fall,
                    "Failed health checks in a row before a streaming server is down")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    serve
        .add_option("--server-check-rise", options.server_check_rise,
                    "Good health checks in a row before a streaming server is up again")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    serve
        .add_option("--iptv-lease-timeout-s", options.lease_timeout_s,
                    "Seconds a player's connection lease lasts without renewal")
        ->check(CLI::Range(3, 3600))
        ->capture_default_str();
    serve
        .add_option("--iptv-server-id", options.server_id,
                    "The streaming server this process is (its id in /v1/iptv/servers); 0: main")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 53))
        ->capture_default_str();
    serve.add_option("--iptv-main", options.main_url,
                     "On a streaming server (--iptv-server-id): the main server's URL, which "
                     "admits its viewers and keeps their leases");
    serve.add_option("--iptv-main-key-file", options.main_key_file,
                     "With --iptv-main: a file holding an admin API key of the main server");
    serve.add_option("--stream-dir", options.stream_dir,
                     "FFmpeg workers' output directory (default: <data dir>/streams)");
    serve.add_option("--ffmpeg", options.ffmpeg, "The ffmpeg binary")->capture_default_str();
    serve.add_flag("--iptv-vod-redirect", options.vod_redirect,
                   "Redirect /movie/ and /series/ players to the source instead of restreaming");
    serve
        .add_option("--stream-idle-s", options.stream_idle_s,
                    "Seconds a stream's worker runs after its last viewer left")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    serve.add_option("--iptv-archive-dir", options.archive_dir,
                     "Keep the archives of streams with tv_archive here (timeshift); empty: none");
    serve
        .add_option("--iptv-archive-segment-seconds", options.archive_segment_seconds,
                    "Length of one archive segment, seconds")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    serve.add_option("--iptv-recordings-dir", options.recordings_dir,
                     "Keep recordings here (default: <archive dir>/recordings)");
    serve
        .add_option("--iptv-recording-retention-days", options.recording_retention_days,
                    "Delete completed recordings this many days after their end")
        ->check(CLI::Range(1, 3650))
        ->capture_default_str();
}

core::Result<void> IptvModule::start_workers(ModuleHost& host) {
    if (options.server_check_interval_ms > 0) {
        health_ = std::make_unique<adapters::iptv::ServerHealthChecker>(
            *servers_,
            adapters::iptv::HealthCheckOptions{
                std::chrono::milliseconds(options.server_check_timeout_ms),
                options.server_check_fall, options.server_check_rise},
            host.clock);
        health_->start(std::chrono::milliseconds(options.server_check_interval_ms));
    }
    discover_leases();
    loop_ = std::thread([this] { run_loop(); });
    if (archive_) archive_->start();
    if (recorder_) recorder_->start();
    if (options.epg_urls.empty()) return {};
    std::vector<adapters::iptv::GuideFeed> feeds;
    for (const auto& text : options.epg_urls)
        feeds.push_back(SY_TRY(adapters::iptv::GuideFeed::parse(text)));
    fetcher_ = std::make_unique<adapters::iptv::GuideFetcher>(*epg_, std::move(feeds), host.clock);
    fetcher_->start(std::chrono::minutes(options.epg_interval_min));
    return {};
}

void IptvModule::discover_leases() {
    if (auto found = connections_->discover_lines(); !found)
        spdlog::warn("iptv: cannot list the lines with leases: {}", found.error().message);
}

void IptvModule::configure_always_on() {
    const auto snapshot = catalogue_->get();
    for (const auto& row : snapshot->streams()) {
        if (!row.always_on || row.direct_source) continue;
        auto done = worker_outputs_->configure({row.id, row.source_url, row.user_agent,
                                                row.http_referrer, row.profile, row.always_on});
        if (!done)
            spdlog::warn("iptv: stream {} cannot run always-on: {}", row.id, done.error().message);
    }
}

void IptvModule::run_loop() {
    std::unique_lock lock(loop_mu_);
    while (!loop_stop_) {
        lock.unlock();
        if (workers_) {
            if (++loop_ticks_ % 10 == 1) configure_always_on();
            workers_->tick(clock_->now());
        }
        core::DecisionContext d;
        d.now = clock_->now();
        if (auto swept = connections_->sweep(d); !swept)
            spdlog::warn("iptv: closing expired leases failed: {}", swept.error().message);
        lock.lock();
        loop_cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return loop_stop_; });
    }
}

void IptvModule::stop() {
    if (fetcher_) fetcher_->stop();
    if (health_) health_->stop();
    {
        std::lock_guard lock(loop_mu_);
        loop_stop_ = true;
    }
    loop_cv_.notify_all();
    if (loop_.joinable()) loop_.join();
    if (workers_) workers_->stop_all();
    if (recorder_) recorder_->stop();
    if (archive_) archive_->stop();
    if (stream_events_) stream_events_->flush();
}

adapters::ffmpeg::WorkerListener IptvModule::worker_event_listener() {
    return stream_event_listener(*stream_events_);
}

void IptvModule::add_subcommands(CLI::App& app, std::vector<Subcommand>& out) {
    auto import = std::make_shared<ImportOptions>();
    auto* import_cmd = app.add_subcommand("import", "Import data into a running server");
    auto* m3u_cmd =
        import_cmd->add_subcommand("m3u", "Import M3U playlists through POST /v1/iptv/imports/m3u");
    import_cmd->require_subcommand(1);
    m3u_cmd->add_option("files", import->files, "Playlist files")
        ->required()
        ->check(CLI::ExistingFile);
    m3u_cmd->add_option("--server", import->server, "Server base URL")->required();
    m3u_cmd->add_option("--data-dir", import->data_dir,
                        "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    m3u_cmd->add_option("--source", import->source,
                        "Source name (default: each file's name without extension)");
    m3u_cmd->add_option("--category-from", import->category_from, "group-title, country or none")
        ->capture_default_str();
    out.push_back({m3u_cmd, [import] { return run_import_m3u(*import); }});

    auto xtream = std::make_shared<XtreamImportOptions>();
    auto* xtream_cmd = import_cmd->add_subcommand(
        "xtream",
        "Import an Xtream provider's player_api.php answers (a folder of get_*.json files) "
        "through POST /v1/iptv/imports/xtream");
    xtream_cmd->add_option("dir", xtream->dir, "Folder of the provider's answers")
        ->required()
        ->check(CLI::ExistingDirectory);
    xtream_cmd->add_option("--server", xtream->server, "Server base URL")->required();
    xtream_cmd->add_option("--data-dir", xtream->data_dir,
                           "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    xtream_cmd->add_option("--source", xtream->source, "Source name (default: the folder's name)");
    xtream_cmd->add_option("--provider-url", xtream->provider_url,
                           "Provider base URL (default: server_info of auth.json)");
    xtream_cmd->add_option("--provider-username", xtream->provider_username,
                           "Provider username (default: user_info of auth.json)");
    xtream_cmd->add_option("--provider-password", xtream->provider_password,
                           "Provider password (default: user_info of auth.json)");
    out.push_back({xtream_cmd, [xtream] { return run_import_xtream(*xtream); }});

    auto xmltv = std::make_shared<XmltvImportOptions>();
    auto* xmltv_cmd = import_cmd->add_subcommand(
        "xmltv", "Import XMLTV guides (files or URLs) through POST /v1/iptv/epg/imports");
    xmltv_cmd->add_option("guides", xmltv->guides, "Guide files or http(s) URLs")->required();
    xmltv_cmd->add_option("--server", xmltv->server, "Server base URL")->required();
    xmltv_cmd->add_option("--data-dir", xmltv->data_dir,
                          "Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY)");
    xmltv_cmd->add_option("--source", xmltv->source,
                          "Source name (default: each guide's file name up to its first dot)");
    xmltv_cmd->add_option("--priority", xmltv->priority, "0 to 1000; the higher wins a channel")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    out.push_back({xmltv_cmd, [xmltv] { return run_import_xmltv(*xmltv); }});
}

core::Result<void> IptvModule::start(ModuleHost& host) {
    iptv_ = std::make_unique<events::iptv::IptvService>(host.store, host.tenant);
    catalogue_ = std::make_unique<projections::iptv::CatalogueCache>(host.runner);
    vod_ = std::make_unique<events::iptv::VodService>(host.store, host.tenant);
    vod_catalogue_ = std::make_unique<projections::iptv::VodCache>(host.runner);
    epg_ = std::make_unique<events::iptv::EpgService>(host.store, host.tenant);
    streams_ = std::make_unique<events::iptv::StreamService>(host.store, host.tenant);
    recordings_ = std::make_unique<events::iptv::RecordingService>(host.store, host.tenant);
    std::filesystem::path stream_dir = options.stream_dir;
    if (stream_dir.empty() && !host.data_dir.empty()) stream_dir = host.data_dir / "streams";
    adapters::ffmpeg::WorkerOptions worker_options;
    worker_options.root = stream_dir;
    worker_options.ffmpeg = options.ffmpeg;
    worker_options.idle_timeout = std::chrono::seconds(options.stream_idle_s);
    stream_events_ = std::make_unique<StreamEventRecorder>(*streams_, host.clock, worker_options);
    api_ = std::make_unique<api::IptvApi>(
        api::IptvApi{host.api, *iptv_, *catalogue_, *vod_, *vod_catalogue_});
    api_->epg = epg_.get();
    servers_ = std::make_unique<events::iptv::ServerService>(host.store, host.tenant);
    api_->servers = servers_.get();
    api_->server_loads = &no_loads_;
    if (const auto* monitor = host.runner.view(projections::iptv::kIptvMonitor)) {
        monitored_loads_ = std::make_unique<projections::iptv::MonitoredServerLoads>(*monitor);
        api_->server_loads = monitored_loads_.get();
    }
    const auto* stream_servers = host.runner.view(projections::iptv::kStreamServers);
    if (options.server_id == 0 && stream_servers) {
        // A redirect URL lasts as long as a player may reload the same playlist URL.
        current_loads_ = std::make_unique<CurrentServerLoads>(*api_);
        redirector_ = std::make_unique<projections::iptv::ServerRedirector>(
            *stream_servers, *current_loads_,
            [ctx = &host.api](std::int64_t line, std::int64_t stream, std::int64_t server,
                              core::Timestamp expires) {
                return api::server_media_token(*ctx, line, stream, server, expires);
            },
            std::chrono::hours(24));
        api_->redirector = redirector_.get();
    }
    if (!options.geoip_db.empty())
        geoip_ = SY_TRY(adapters::geoip::GeoIpDatabase::open(options.geoip_db));
    if (!options.archive_dir.empty()) {
        archive_ = std::make_unique<IptvArchive>(
            adapters::ffmpeg::ArchiveOptions{options.archive_dir, options.archive_segment_seconds},
            *catalogue_, host.clock, std::chrono::seconds(options.archive_day_seconds));
        api_->archive = archive_.get();
        const auto dir = options.recordings_dir.empty()
                             ? std::filesystem::path(options.archive_dir) / "recordings"
                             : std::filesystem::path(options.recordings_dir);
        recorder_ = std::make_unique<IptvRecorder>(
            RecorderOptions{dir, std::chrono::hours(24) * options.recording_retention_days},
            *recordings_, host.runner, *archive_, host.clock);
    }
    api_->recordings = recordings_.get();
    api_->check_profile = [](const core::iptv::StreamProfile& p) {
        return adapters::ffmpeg::check_profile(transcode_profile_of(p));
    };
    api_->epg_retention_days = options.epg_retention_days;
    clock_ = &host.clock;
    tenant_ = host.tenant;
    connections_ = std::make_unique<events::iptv::ConnectionService>(
        host.store, host.tenant, std::chrono::seconds(options.lease_timeout_s));
    api_->connections = connections_.get();
    connections_->set_lease_origin(
        options.server_id, [geoip = geoip_.get()](const std::string& ip) -> std::string {
            if (!geoip) return {};
            auto country = geoip->lookup(ip);
            return country && *country ? (*country)->iso_code : std::string();
        });
    if (!options.main_url.empty()) {
        if (options.server_id == 0)
            return core::fail(core::Errc::Invalid, "iptv-main",
                              "--iptv-main needs --iptv-server-id (this server's id there)");
        std::ifstream in(options.main_key_file, std::ios::binary);
        std::string key;
        if (options.main_key_file.empty() || !in || !std::getline(in, key) || key.empty())
            return core::fail(core::Errc::Invalid, "iptv-main-key-file",
                              "--iptv-main needs --iptv-main-key-file with an API key on its "
                              "first line");
        while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
        main_server_ = std::make_unique<MainServerClient>(options.main_url, options.server_id, key,
                                                          host.clock);
        api_->main_server = main_server_.get();
    }
    if (!options.vod_redirect) {
        vod_sources_ = std::make_unique<CurlVodSources>();
        api_->vod_sources = vod_sources_.get();
    }
    if (!stream_dir.empty()) {
        workers_ = std::make_unique<adapters::ffmpeg::StreamWorkers>(
            worker_options,
            [this, record = worker_event_listener()](const adapters::ffmpeg::WorkerEvent& e) {
                record(e);
                if (on_worker_event) on_worker_event(e);
            });
        auto outputs = std::make_unique<WorkerOutputs>(*workers_, host.clock);
        worker_outputs_ = outputs.get();
        live_ = std::move(outputs);
        api_->live = live_.get();
    }
    if (!options.channels_csv.empty()) {
        std::ifstream in(options.channels_csv, std::ios::binary);
        if (!in)
            return core::fail(core::Errc::Invalid, "iptv-channels-csv",
                              "cannot read " + options.channels_csv);
        std::stringstream text;
        text << in.rdbuf();
        channel_directory_ = std::make_unique<core::iptv::ChannelDirectory>(
            core::iptv::read_channel_directory(text.str()));
        if (channel_directory_->channels == 0)
            return core::fail(core::Errc::Invalid, "iptv-channels-csv",
                              options.channels_csv + " has no id,name columns or no rows");
        api_->channel_directory = channel_directory_.get();
    }
    if (!options.logos_csv.empty()) {
        std::ifstream in(options.logos_csv, std::ios::binary);
        if (!in)
            return core::fail(core::Errc::Invalid, "iptv-logos-csv",
                              "cannot read " + options.logos_csv);
        std::stringstream text;
        text << in.rdbuf();
        logo_directory_ = std::make_unique<core::iptv::LogoDirectory>(
            core::iptv::read_logo_directory(text.str()));
        if (logo_directory_->logos == 0)
            return core::fail(core::Errc::Invalid, "iptv-logos-csv",
                              options.logos_csv + " has no channel,url columns or no rows");
        api_->logo_directory = logo_directory_.get();
    }
    host.service_switches["iptv"] = iptv_service_switch(*iptv_, *connections_);
    host.service_owners["iptv"] = iptv_service_owner(*iptv_);
    return {};
}

void IptvModule::add_routes(api::Router& router) { api::add_iptv_routes(router, *api_); }

}  // namespace switchyard::app
