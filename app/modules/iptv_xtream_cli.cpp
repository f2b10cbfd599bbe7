#include "app/modules/iptv_xtream_cli.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/data_dir.hpp"
#include "app/http_client.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* kAnswers[] = {"get_live_categories.json",   "get_live_streams.json",
                                    "get_vod_categories.json",    "get_vod_streams.json",
                                    "get_series_categories.json", "get_series.json"};

/// The JSON of a file. @returns false (after printing why) when it cannot be read or parsed.
bool read_json(const fs::path& file, json::value& out) {
    auto text = read_file(file);
    if (!text) {
        std::fprintf(stderr, "error: %s\n", text.error().message.c_str());
        return false;
    }
    boost::system::error_code ec;
    out = json::parse(*text, ec);
    if (ec) {
        std::fprintf(stderr, "error: %s: not JSON (%s)\n", file.c_str(), ec.message().c_str());
        return false;
    }
    return true;
}

}  // namespace

int run_import_xtream(const XtreamImportOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    const fs::path dir = o.dir;
    json::object body;
    for (const char* name : kAnswers) {
        if (!read_json(dir / name, body[name])) return 1;
    }
    if (fs::exists(dir / "auth.json") && !read_json(dir / "auth.json", body["auth.json"])) return 1;
    if (const auto info_dir = dir / "get_series_info"; fs::is_directory(info_dir)) {
        json::object infos;
        for (const auto& entry : fs::directory_iterator(info_dir)) {
            if (entry.path().extension() != ".json") continue;
            if (!read_json(entry.path(), infos[entry.path().stem().string()])) return 1;
        }
        body["get_series_info.json"] = std::move(infos);
    }
    if (!o.provider_url.empty() || !o.provider_username.empty() || !o.provider_password.empty())
        body["provider"] = json::object{{"url", o.provider_url},
                                        {"username", o.provider_username},
                                        {"password", o.provider_password}};
    auto source = o.source;
    if (source.empty()) source = fs::absolute(dir).lexically_normal().filename().string();
    if (source.empty()) source = fs::absolute(dir).parent_path().filename().string();
    std::string server = o.server;
    while (!server.empty() && server.back() == '/') server.pop_back();
    const auto url = fmt::format("{}/v1/iptv/imports/xtream?source={}", server, url_encode(source));
    auto resp = http_request("POST", url,
                             {"Authorization: Bearer " + key, "Content-Type: application/json"},
                             json::serialize(body));
    if (!resp) {
        std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
        return 1;
    }
    std::printf("%s\n", resp->body.c_str());
    std::fprintf(stderr, "%s: HTTP %ld\n", source.c_str(), resp->status);
    return resp->status == 200 ? 0 : 1;
}

}  // namespace switchyard::app
