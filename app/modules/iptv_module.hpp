#pragma once
/// The IPTV module: the catalogue (categories, streams, bouquets), movies and series, lines,
/// M3U and Xtream provider imports, subtitles and the Xtream Codes surface (core/iptv,
/// events/iptv, projections/iptv, adapters/iptv, api/routes/iptv).

#include <memory>
#include <string>
#include <vector>

#include "adapters/iptv/guide_fetcher.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "app/modules/iptv_archive.hpp"
#include "app/modules/iptv_recordings.hpp"
#include "app/modules/iptv_stream_events.hpp"
#include "app/modules/module.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/stream_service.hpp"
#include "events/iptv/vod_service.hpp"

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

class IptvModule final : public Module {
  public:
    std::string name() const override { return "iptv"; }
    /// `--iptv-channels-csv`, `--iptv-logos-csv`, `--epg-retention-days`, `--epg-url`,
    /// `--epg-interval-min`, `--iptv-archive-dir`, `--iptv-archive-segment-seconds`,
    /// `--iptv-recordings-dir`,
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
    /// The scheduled guide fetcher, when `--epg-url` names guides; the archive's recorders,
    /// and the recorder, when `--iptv-archive-dir` is set.
    core::Result<void> start_workers(ModuleHost& host) override;
    void stop() override;
    /// What the FFmpeg workers report, recorded as `iptv.stream.*` lifecycle events (queued,
    /// appended off the workers' thread); valid after start(). The workers' construction sets
    /// `on_worker_event` to it.
    adapters::ffmpeg::WorkerListener worker_event_listener();
    /// The stream lifecycle recorder (tests flush it); valid after start().
    StreamEventRecorder& stream_events() { return *stream_events_; }
    /// The archive; null without `archive_dir`. Valid after start().
    IptvArchive* archive() { return archive_.get(); }
    /// The recording commands; valid after start().
    events::iptv::RecordingService& recordings() { return *recordings_; }

  private:
    std::unique_ptr<events::iptv::IptvService> iptv_;
    std::unique_ptr<events::iptv::EpgService> epg_;
    std::unique_ptr<core::iptv::ChannelDirectory> channel_directory_;
    std::unique_ptr<core::iptv::LogoDirectory> logo_directory_;
    std::unique_ptr<adapters::iptv::GuideFetcher> fetcher_;
    std::unique_ptr<projections::iptv::CatalogueCache> catalogue_;
    std::unique_ptr<events::iptv::VodService> vod_;
    std::unique_ptr<projections::iptv::VodCache> vod_catalogue_;
    std::unique_ptr<api::IptvApi> api_;
    std::unique_ptr<events::iptv::StreamService> streams_;
    std::unique_ptr<StreamEventRecorder> stream_events_;
    std::unique_ptr<IptvArchive> archive_;
    std::unique_ptr<events::iptv::RecordingService> recordings_;
    std::unique_ptr<IptvRecorder> recorder_;
};

}  // namespace switchyard::app
