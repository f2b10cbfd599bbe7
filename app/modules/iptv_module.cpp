#include "app/modules/iptv_module.hpp"

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/modules/iptv_xtream_cli.hpp"
#include "app/xmltv_import.hpp"
#include "projections/iptv/epg_guide.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/recording_library.hpp"
#include "projections/iptv/stream_status.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::app {

void IptvModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::iptv::make_xtream_catalogue_projector());
    out.push_back(projections::iptv::make_line_directory_projector());
    out.push_back(projections::iptv::make_xtream_vod_projector());
    out.push_back(projections::iptv::make_epg_guide_projector());
    out.push_back(projections::iptv::make_stream_status_projector());
    out.push_back(projections::iptv::make_recording_library_projector());
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

void IptvModule::stop() {
    if (fetcher_) fetcher_->stop();
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
    stream_events_ = std::make_unique<StreamEventRecorder>(*streams_, host.clock,
                                                           adapters::ffmpeg::WorkerOptions{});
    api_ = std::make_unique<api::IptvApi>(
        api::IptvApi{host.api, *iptv_, *catalogue_, *vod_, *vod_catalogue_});
    api_->epg = epg_.get();
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
    return {};
}

void IptvModule::add_routes(api::Router& router) { api::add_iptv_routes(router, *api_); }

}  // namespace switchyard::app
