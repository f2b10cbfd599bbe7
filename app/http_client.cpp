#include "app/http_client.hpp"

#include <strings.h>

#include <curl/curl.h>
#include <fmt/format.h>

namespace switchyard::app {

namespace {
std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}
struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
void ensure_curl() { static CurlGlobal global; }
}  // namespace

core::Result<ClientResponse> http_request(const std::string& method, const std::string& url,
                                          const std::vector<std::string>& headers,
                                          const std::string& body,
                                          std::chrono::milliseconds timeout) {
    ensure_curl();
    CURL* curl = curl_easy_init();
    if (!curl) return core::fail(core::Errc::Internal, "curl", "cannot create a curl handle");
    ClientResponse out;
    curl_slist* list = nullptr;
    bool typed = false;
    for (const auto& h : headers) {
        list = curl_slist_append(list, h.c_str());
        typed = typed || (h.size() > 13 && strncasecmp(h.c_str(), "content-type:", 13) == 0);
    }
    // The API reads JSON bodies only when they say so (415 otherwise).
    if (!body.empty() && !typed) list = curl_slist_append(list, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    if (method == "POST" || method == "PATCH" || method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    auto rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        return core::fail(core::Errc::Unavailable, "server",
                          fmt::format("{}: {}", url, curl_easy_strerror(rc)));
    }
    return out;
}

std::string url_encode(const std::string& text) {
    ensure_curl();
    char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
    std::string out = escaped ? escaped : "";
    curl_free(escaped);
    return out;
}

}  // namespace switchyard::app
