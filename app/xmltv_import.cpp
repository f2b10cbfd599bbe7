#include "app/xmltv_import.hpp"

#include <curl/curl.h>

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

bool is_url(const std::string& s) { return s.starts_with("http://") || s.starts_with("https://"); }

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

/// GET of a guide URL: redirects followed, gzip and deflate accepted (decoded by libcurl).
core::Result<std::string> fetch(const std::string& url) {
    CURL* curl = curl_easy_init();
    if (!curl) return core::fail(core::Errc::Internal, "url", "libcurl did not start");
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
    const auto rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK)
        return core::fail(core::Errc::Unavailable, "url",
                          fmt::format("{}: {}", url, curl_easy_strerror(rc)));
    if (status >= 400)
        return core::fail(core::Errc::Unavailable, "url", fmt::format("{}: HTTP {}", url, status));
    return body;
}

std::int64_t number(const json::object& o, const char* key) {
    return o.contains(key) && o.at(key).is_int64() ? o.at(key).as_int64() : 0;
}

}  // namespace

std::string default_guide_source(const std::string& guide) {
    std::string name = guide;
    if (auto q = name.find_first_of("?#"); q != std::string::npos) name.resize(q);
    if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    return name.empty() ? "guide" : name;
}

int run_import_xmltv(const XmltvImportOptions& o) {
    const auto key = api_key_from(o.data_dir);
    if (key.empty()) {
        std::fprintf(stderr, "error: no API key: set SWITCHYARD_API_KEY or pass --data-dir\n");
        return 1;
    }
    auto server = o.server;
    while (!server.empty() && server.back() == '/') server.pop_back();
    json::array reports;
    int status = 0;
    std::int64_t channels = 0, programmes = 0, mapped = 0, unmapped = 0;
    for (std::size_t i = 0; i < o.guides.size(); ++i) {
        const auto& guide = o.guides[i];
        std::fprintf(stderr, "[%zu/%zu] %s: %s\n", i + 1, o.guides.size(), guide.c_str(),
                     is_url(guide) ? "fetching" : "reading");
        auto body = is_url(guide) ? fetch(guide) : read_file(fs::path(guide));
        if (!body) {
            std::fprintf(stderr, "error: %s\n", body.error().message.c_str());
            return 1;
        }
        const auto source = o.source.empty() ? default_guide_source(guide) : o.source;
        std::fprintf(stderr, "[%zu/%zu] %s: posting %zu bytes as source %s\n", i + 1,
                     o.guides.size(), guide.c_str(), body->size(), source.c_str());
        const auto url = fmt::format("{}/v1/iptv/epg/imports?source={}&priority={}", server,
                                     url_encode(source), o.priority);
        auto resp = http_request(
            "POST", url, {"Authorization: Bearer " + key, "Content-Type: application/xml"}, *body);
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
            r["guide"] = guide;
            channels += number(r, "channels");
            programmes += number(r, "programmes");
            mapped += number(r, "mapped");
            unmapped += number(r, "unmapped");
            std::fprintf(stderr,
                         "[%zu/%zu] %s: HTTP %ld, %lld channels, %lld programmes, %lld mapped, "
                         "%lld unmapped, %lld changed, %zu invalid\n",
                         i + 1, o.guides.size(), guide.c_str(), resp->status,
                         static_cast<long long>(number(r, "channels")),
                         static_cast<long long>(number(r, "programmes")),
                         static_cast<long long>(number(r, "mapped")),
                         static_cast<long long>(number(r, "unmapped")),
                         static_cast<long long>(number(r, "changed")),
                         r.contains("invalid") && r.at("invalid").is_array()
                             ? r.at("invalid").as_array().size()
                             : std::size_t{0});
        }
        reports.push_back(std::move(report));
    }
    const json::object summary{{"channels", channels},
                               {"programmes", programmes},
                               {"mapped", mapped},
                               {"unmapped", unmapped},
                               {"guides", std::move(reports)}};
    std::printf("%s\n", json::serialize(summary).c_str());
    return status;
}

}  // namespace switchyard::app
