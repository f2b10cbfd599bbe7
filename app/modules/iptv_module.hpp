#pragma once
/// The IPTV module: the catalogue (categories, streams, bouquets), lines, M3U imports and the
/// Xtream Codes surface (core/iptv, events/iptv, projections/iptv, api/routes/iptv).

#include <memory>

#include "api/routes/iptv/iptv_api.hpp"
#include "app/modules/module.hpp"
#include "events/iptv/iptv_service.hpp"

namespace switchyard::app {

class IptvModule final : public Module {
  public:
    std::string name() const override { return "iptv"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    /// `switchyard import m3u`.
    void add_subcommands(CLI::App& app, std::vector<Subcommand>& out) override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;

  private:
    std::unique_ptr<events::iptv::IptvService> iptv_;
    std::unique_ptr<projections::iptv::CatalogueCache> catalogue_;
    std::unique_ptr<api::IptvApi> api_;
};

}  // namespace switchyard::app
