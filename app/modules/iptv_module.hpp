#pragma once
/// The IPTV module: the catalogue (categories, streams, bouquets), movies and series, lines,
/// M3U and Xtream provider imports, subtitles and the Xtream Codes surface (core/iptv,
/// events/iptv, projections/iptv, adapters/iptv, api/routes/iptv).

#include <memory>

#include "api/routes/iptv/iptv_api.hpp"
#include "app/modules/module.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/vod_service.hpp"

namespace switchyard::app {

class IptvModule final : public Module {
  public:
    std::string name() const override { return "iptv"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    /// `switchyard import m3u` and `switchyard import xtream`.
    void add_subcommands(CLI::App& app, std::vector<Subcommand>& out) override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;

  private:
    std::unique_ptr<events::iptv::IptvService> iptv_;
    std::unique_ptr<projections::iptv::CatalogueCache> catalogue_;
    std::unique_ptr<events::iptv::VodService> vod_;
    std::unique_ptr<projections::iptv::VodCache> vod_catalogue_;
    std::unique_ptr<api::IptvApi> api_;
};

}  // namespace switchyard::app
