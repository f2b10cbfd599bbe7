#include "app/modules/iptv_module.hpp"

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/modules/iptv_xtream_cli.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::app {

void IptvModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::iptv::make_xtream_catalogue_projector());
    out.push_back(projections::iptv::make_line_directory_projector());
    out.push_back(projections::iptv::make_xtream_vod_projector());
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
}

core::Result<void> IptvModule::start(ModuleHost& host) {
    iptv_ = std::make_unique<events::iptv::IptvService>(host.store, host.tenant);
    catalogue_ = std::make_unique<projections::iptv::CatalogueCache>(host.runner);
    vod_ = std::make_unique<events::iptv::VodService>(host.store, host.tenant);
    vod_catalogue_ = std::make_unique<projections::iptv::VodCache>(host.runner);
    api_ = std::make_unique<api::IptvApi>(
        api::IptvApi{host.api, *iptv_, *catalogue_, *vod_, *vod_catalogue_});
    return {};
}

void IptvModule::add_routes(api::Router& router) { api::add_iptv_routes(router, *api_); }

}  // namespace switchyard::app
