// Subcommands that talk to a running server: `import m3u`, `events tail`.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/commands.hpp"
#include "app/data_dir.hpp"
#include "app/http_client.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string api_key_from(const std::string& data_dir) {
    if (const char* env = std::getenv("SWITCHYARD_API_KEY"); env && *env) return env;
    if (data_dir.empty()) return {};
    auto text = read_file(fs::path(data_dir) / "admin.key");
    if (!text) return {};
    auto key = *text;
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    return key;
}

namespace {
std::string trim_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}
}  // namespace

int run_import_m3u(const ImportOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    json::array reports;
    int status = 0;
    std::int64_t created = 0, unchanged = 0, invalid = 0, entries = 0;
    for (std::size_t i = 0; i < o.files.size(); ++i) {
        const fs::path file = o.files[i];
        auto body = read_file(file);
        if (!body) {
            std::fprintf(stderr, "error: %s\n", body.error().message.c_str());
            return 1;
        }
        const auto source = o.source.empty() ? file.stem().string() : o.source;
        const auto url =
            fmt::format("{}/v1/iptv/imports/m3u?source={}&category_from={}", trim_slash(o.server),
                        url_encode(source), url_encode(o.category_from));
        auto resp = http_request(
            "POST", url, {"Authorization: Bearer " + key, "Content-Type: audio/x-mpegurl"}, *body);
        if (!resp) {
            std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
            return 1;
        }
        json::value report;
        try {
            report = json::parse(resp->body);
        } catch (const std::exception&) {
            report = json::object{{"status", resp->status}, {"body", resp->body}};
        }
        if (resp->status != 200) status = 1;
        if (report.is_object()) {
            auto& r = report.as_object();
            r["file"] = file.string();
            auto num = [&](const char* k) {
                return r.contains(k) && r.at(k).is_int64() ? r.at(k).as_int64() : 0;
            };
            const auto bad = r.contains("invalid") && r.at("invalid").is_array()
                                 ? static_cast<std::int64_t>(r.at("invalid").as_array().size())
                                 : 0;
            entries += num("entries");
            created += num("created");
            unchanged += num("unchanged");
            invalid += bad;
            std::fprintf(stderr,
                         "[%zu/%zu] %s: HTTP %ld, %lld entries, %lld created, %lld unchanged, %lld "
                         "invalid\n",
                         i + 1, o.files.size(), file.filename().c_str(), resp->status,
                         static_cast<long long>(num("entries")),
                         static_cast<long long>(num("created")),
                         static_cast<long long>(num("unchanged")), static_cast<long long>(bad));
        }
        reports.push_back(std::move(report));
    }
    json::object summary{{"entries", entries},
                         {"created", created},
                         {"unchanged", unchanged},
                         {"invalid", invalid},
                         {"files", std::move(reports)}};
    std::printf("%s\n", json::serialize(summary).c_str());
    return status;
}

int run_events_tail(const TailOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    std::string from = o.from;
    for (;;) {
        const auto url =
            fmt::format("{}/v1/events?from={}&limit=1000&wait_ms={}", trim_slash(o.server),
                        url_encode(from), o.no_follow ? 0 : 10000);
        auto resp = http_request("GET", url, {"Authorization: Bearer " + key});
        if (!resp) {
            std::fprintf(stderr, "error: %s\n", resp.error().message.c_str());
            return 1;
        }
        if (resp->status != 200) {
            std::fprintf(stderr, "error: HTTP %ld: %s\n", resp->status, resp->body.c_str());
            return 1;
        }
        auto page = json::parse(resp->body).as_object();
        const auto& list = page.at("events").as_array();
        for (const auto& e : list) std::printf("%s\n", json::serialize(e).c_str());
        std::fflush(stdout);
        from = std::string(page.at("next").as_string());
        if (list.empty() && o.no_follow) return 0;
    }
}

}  // namespace switchyard::app
