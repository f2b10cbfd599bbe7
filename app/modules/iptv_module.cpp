#include "app/modules/iptv_module.hpp"

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/xtream_catalogue.hpp"

namespace switchyard::app {

void IptvModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::iptv::make_xtream_catalogue_projector());
    out.push_back(projections::iptv::make_line_directory_projector());
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
}

core::Result<void> IptvModule::start(ModuleHost& host) {
    iptv_ = std::make_unique<events::iptv::IptvService>(host.store, host.tenant);
    catalogue_ = std::make_unique<projections::iptv::CatalogueCache>(host.runner);
    api_ = std::make_unique<api::IptvApi>(api::IptvApi{host.api, *iptv_, *catalogue_});
    return {};
}

void IptvModule::add_routes(api::Router& router) { api::add_iptv_routes(router, *api_); }

}  // namespace switchyard::app
