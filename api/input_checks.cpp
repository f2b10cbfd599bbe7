#include "api/input_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include <fmt/format.h>
#include <boost/url/grammar/parse.hpp>
#include <boost/url/rfc/authority_rule.hpp>

namespace switchyard::api {

using core::Errc;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// The media type (`type/subtype`, lower case) and the lower-cased charset parameter, if any.
std::pair<std::string, std::string> media_type(std::string_view value) {
    std::string type;
    std::string charset;
    bool first = true;
    while (true) {
        const auto semi = value.find(';');
        const auto part = trim(value.substr(0, semi));
        if (first) {
            type = lower(part);
            first = false;
        } else if (const auto eq = part.find('=');
                   eq != std::string_view::npos && lower(trim(part.substr(0, eq))) == "charset") {
            auto v = trim(part.substr(eq + 1));
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            charset = lower(v);
        }
        if (semi == std::string_view::npos) break;
        value.remove_prefix(semi + 1);
    }
    return {type, charset};
}

constexpr std::array<std::string_view, 6> kPlaylistTypes{"audio/x-mpegurl",
                                                         "audio/mpegurl",
                                                         "application/x-mpegurl",
                                                         "application/vnd.apple.mpegurl",
                                                         "text/plain",
                                                         "application/octet-stream"};

/// CDR files (POST /v1/voice/cdrs/imports): CSV or JSON as the switch wrote them.
constexpr std::array<std::string_view, 5> kCdrFileTypes{
    "text/csv", "application/csv", "application/json", "text/plain", "application/octet-stream"};

/// Subtitle files (POST /v1/iptv/{movies,episodes}/{id}/subtitles): SubRip or WebVTT.
constexpr std::array<std::string_view, 5> kSubtitleTypes{
    "application/x-subrip", "text/vtt", "text/srt", "text/plain", "application/octet-stream"};
/// XMLTV guides (POST /v1/iptv/epg/imports): XML as published, or gzip as downloaded.
constexpr std::array<std::string_view, 6> kGuideTypes{
    "application/xml",    "text/xml",   "application/gzip",
    "application/x-gzip", "text/plain", "application/octet-stream"};

}  // namespace

core::Result<void> check_content_type(const HttpRequest& request, const Route& route) {
    if (request.body.empty() || !route.pattern.starts_with("/v1/")) return {};
    const auto present = request.headers.find("content-type") != request.headers.end();
    const auto [type, charset] = media_type(request.header("content-type"));
    if (route.pattern == "/v1/iptv/imports/m3u" || route.pattern == "/v1/iptv/imports/m3u-vod") {
        if (!present ||
            std::find(kPlaylistTypes.begin(), kPlaylistTypes.end(), type) != kPlaylistTypes.end())
            return {};
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be audio/x-mpegurl, application/vnd.apple.mpegurl or "
                                      "text/plain for a playlist, not '{}'",
                                      type));
    }
    if (route.pattern == "/v1/iptv/movies/{id}/subtitles" ||
        route.pattern == "/v1/iptv/episodes/{id}/subtitles") {
        if (!present ||
            std::find(kSubtitleTypes.begin(), kSubtitleTypes.end(), type) != kSubtitleTypes.end())
            return {};
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be application/x-subrip, text/vtt or text/plain for "
                                      "subtitles, not '{}'",
                                      type));
    }
    if (route.pattern == "/v1/iptv/epg/imports") {
        if (!present ||
            std::find(kGuideTypes.begin(), kGuideTypes.end(), type) != kGuideTypes.end())
            return {};
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be application/xml, text/xml or application/gzip for "
                                      "an XMLTV guide, not '{}'",
                                      type));
    }
    if (route.pattern == "/v1/voice/cdrs/imports") {
        if (!present ||
            std::find(kCdrFileTypes.begin(), kCdrFileTypes.end(), type) != kCdrFileTypes.end())
            return {};
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be text/csv or application/json for a CDR file, "
                                      "not '{}'",
                                      type));
    }
    if (type != "application/json")
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be application/json for a JSON body, not '{}'",
                                      present ? type : std::string("absent")));
    if (!charset.empty() && charset != "utf-8")
        return core::fail(Errc::UnsupportedMediaType, "content-type",
                          fmt::format("must be UTF-8 JSON, not charset {}", charset));
    return {};
}

core::Result<void> check_idempotency_key(const HttpRequest& request) {
    const auto it = request.headers.find("idempotency-key");
    if (it == request.headers.end()) return {};
    const auto& key = it->second;
    if (key.empty() || key.size() > kMaxIdempotencyKey)
        return core::fail(
            Errc::Invalid, "idempotency-key",
            fmt::format("must be 1 to {} characters, not {}", kMaxIdempotencyKey, key.size()));
    if (!std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        return core::fail(Errc::Invalid, "idempotency-key",
                          "must be visible ASCII characters, without spaces or control characters");
    return {};
}

bool valid_host_header(std::string_view host) {
    if (host.empty()) return false;
    auto a = boost::urls::grammar::parse(host, boost::urls::authority_rule);
    if (!a) return false;
    if (a->has_userinfo()) return false;
    if (a->host_type() == boost::urls::host_type::name) {
        // A reg-name may hold percent-escapes and sub-delims; a Host header holds a DNS name.
        const auto name = a->encoded_host();
        if (name.empty() || name.size() > 253) return false;
        const bool dns = std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
        });
        if (!dns) return false;
    } else if (a->host_type() != boost::urls::host_type::ipv4 &&
               a->host_type() != boost::urls::host_type::ipv6) {
        return false;
    }
    if (a->has_port()) {
        const auto port = a->port();
        if (port.empty() || port.size() > 5) return false;
        if (std::stoul(std::string(port)) > 65535) return false;
    }
    return true;
}

}  // namespace switchyard::api
