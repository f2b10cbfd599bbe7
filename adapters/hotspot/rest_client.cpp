#include "adapters/hotspot/rest_client.hpp"

#include <strings.h>

#include <algorithm>

#include <curl/curl.h>
#include <fmt/format.h>

namespace switchyard::adapters::hotspot {

namespace {
std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}
std::size_t collect_header(char* data, std::size_t size, std::size_t n, void* out) {
    std::string line(data, size * n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) static_cast<std::vector<std::string>*>(out)->push_back(std::move(line));
    return size * n;
}
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
void ensure_curl() { static CurlGlobal global; }
}  // namespace

std::string RestResponse::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (h.size() > name.size() && h[name.size()] == ':' &&
            strncasecmp(h.c_str(), std::string(name).c_str(), name.size()) == 0) {
            auto v = h.substr(name.size() + 1);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            return v;
        }
    }
    return {};
}

std::string RestResponse::cookie(std::string_view name) const {
    const std::string prefix = std::string(name) + "=";
    for (const auto& h : headers) {
        if (h.size() < 11 || strncasecmp(h.c_str(), "set-cookie:", 11) != 0) continue;
        auto v = h.substr(11);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        if (!v.starts_with(prefix)) continue;
        return v.substr(prefix.size(), v.find(';') == std::string::npos
                                           ? std::string::npos
                                           : v.find(';') - prefix.size());
    }
    return {};
}

core::Result<RestResponse> rest_call(const RestRequest& request) {
    ensure_curl();
    CURL* curl = curl_easy_init();
    if (!curl) return core::fail(core::Errc::Internal, "curl", "cannot create a curl handle");
    RestResponse out;
    curl_slist* list = nullptr;
    for (const auto& h : request.headers) list = curl_slist_append(list, h.c_str());
    const bool typed = std::any_of(
        request.headers.begin(), request.headers.end(),
        [](const std::string& h) { return strncasecmp(h.c_str(), "content-type:", 13) == 0; });
    if (!request.body.empty() && !typed)
        list = curl_slist_append(list, "Content-Type: application/json");
    list = curl_slist_append(list, "Accept: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out.headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, request.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, request.verify_tls ? 2L : 0L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }
    const auto rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return core::fail(core::Errc::Timeout, "url",
                          fmt::format("{} {}: no answer within {} ms", request.method, request.url,
                                      request.timeout_ms));
    if (rc != CURLE_OK)
        return core::fail(
            core::Errc::Unavailable, "url",
            fmt::format("{} {}: {}", request.method, request.url, curl_easy_strerror(rc)));
    return out;
}

core::Error http_error(std::string_view vendor, const RestRequest& request,
                       const RestResponse& response) {
    core::Errc code = core::Errc::Rejected;
    const long s = response.status;
    if (s == 401 || s == 403) code = core::Errc::Unauthorized;
    if (s == 404) code = core::Errc::NotFound;
    if (s == 409) code = core::Errc::Conflict;
    if (s == 429) code = core::Errc::TooMany;
    if (s >= 500) code = core::Errc::Unavailable;
    // The path only: the URL's query may carry a client secret.
    auto path = request.url;
    if (const auto scheme = path.find("://"); scheme != std::string::npos) {
        const auto slash = path.find('/', scheme + 3);
        path = slash == std::string::npos ? "/" : path.substr(slash);
    }
    if (const auto q = path.find('?'); q != std::string::npos) path.resize(q);
    return core::Error{code, "http",
                       fmt::format("{} {} {}: HTTP {}: {}", vendor, request.method, path, s,
                                   response.body.substr(0, 300))};
}

std::string url_escape(std::string_view text) {
    ensure_curl();
    char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
    std::string out = escaped ? escaped : "";
    curl_free(escaped);
    return out;
}

}  // namespace switchyard::adapters::hotspot
