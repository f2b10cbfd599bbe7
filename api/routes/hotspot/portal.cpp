// The captive portal's files and its plans JSON (api/routes/hotspot/portal.hpp).
#include "api/routes/hotspot/portal.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>

#include "api/problem.hpp"

namespace switchyard::api {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 4u << 20;

/// The headers every portal answer carries. The page loads only its own files; its forms post
/// to the NAS (any http/https address), which `form-action` allows.
void add_security_headers(HttpResponse& r) {
    r.headers.push_back({"X-Content-Type-Options", "nosniff"});
    r.headers.push_back({"Referrer-Policy", "no-referrer"});
    r.headers.push_back(
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
         "connect-src 'self'; form-action http: https:; frame-ancestors 'none'; base-uri 'none'"});
}

HttpResponse not_found() {
    auto r = problem(core::Errc::NotFound, "path", "no such portal file");
    add_security_headers(r);
    return r;
}

HttpResponse serve_file(const PortalOptions& options, const std::string& rest) {
    const auto file = portal_file(options.root, rest);
    if (file.empty()) return not_found();
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec || size > kMaxFileBytes) return not_found();
    std::ifstream in(file, std::ios::binary);
    if (!in) return not_found();
    std::ostringstream body;
    body << in.rdbuf();
    HttpResponse r;
    r.status = 200;
    r.content_type = portal_content_type(file);
    r.body = body.str();
    const bool html = file.extension() == ".html";
    r.headers.push_back(
        {"Cache-Control", html ? std::string("no-cache")
                               : fmt::format("public, max-age={}", options.max_age_seconds)});
    add_security_headers(r);
    return r;
}

json::value limit(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

std::string decimal_price(std::int64_t micros) {
    const bool negative = micros < 0;
    const auto m =
        static_cast<std::uint64_t>(negative ? -(micros + 1) : micros) + (negative ? 1 : 0);
    std::string frac = fmt::format("{:06}", m % 1'000'000);
    while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
    return fmt::format("{}{}.{}", negative ? "-" : "", m / 1'000'000, frac);
}

}  // namespace

std::string portal_plans_json(const std::vector<core::hotspot::Plan>& plans) {
    json::array out;
    for (const auto& p : plans) {
        if (p.retired) continue;
        out.push_back(json::object{{"plan_id", p.plan_id},
                                   {"name", p.name},
                                   {"price_micros", p.price_micros},
                                   {"price", decimal_price(p.price_micros)},
                                   {"currency", p.currency},
                                   {"duration_seconds", limit(p.duration_seconds)},
                                   {"session_time_seconds", limit(p.session_time_seconds)},
                                   {"data_limit_bytes", limit(p.data_limit_bytes)},
                                   {"download_kbps", limit(p.download_kbps)},
                                   {"upload_kbps", limit(p.upload_kbps)},
                                   {"shared_users", p.shared_users}});
    }
    return json::serialize(json::object{{"plans", std::move(out)}});
}

std::string portal_content_type(const fs::path& file) {
    const auto ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return {};
}

fs::path portal_file(const fs::path& root, const std::string& rest) {
    if (rest.empty() || rest.front() == '/' || rest.size() > 512) return {};
    fs::path relative;
    std::size_t i = 0;
    while (i <= rest.size()) {
        auto j = rest.find('/', i);
        if (j == std::string::npos) j = rest.size();
        const std::string segment = rest.substr(i, j - i);
        // `//`, `.`, `..`, a backslash (a separator elsewhere), a NUL, a colon (drive letters).
        if (segment.empty() || segment == "." || segment == ".." ||
            segment.find_first_of(std::string("\\:\0", 3)) != std::string::npos)
            return {};
        relative /= segment;
        i = j + 1;
    }
    if (portal_content_type(relative).empty()) return {};
    std::error_code ec;
    const auto base = fs::canonical(root, ec);
    if (ec) return {};
    const auto file = fs::canonical(base / relative, ec);
    if (ec || !fs::is_regular_file(file, ec)) return {};
    // A symbolic link may not lead out of the portal directory.
    auto b = base.begin();
    auto f = file.begin();
    for (; b != base.end(); ++b, ++f)
        if (f == file.end() || *b != *f) return {};
    return file;
}

void add_portal_routes(Router& router, PortalOptions options) {
    auto shared = std::make_shared<const PortalOptions>(std::move(options));
    auto route = [](const char* pattern, Handler handler, const char* summary) {
        Route r;
        r.method = "GET";
        r.pattern = pattern;
        r.handler = std::move(handler);
        r.reach = Reach::Public;
        r.summary = summary;
        r.module = "hotspot";
        return r;
    };
    router.add(route(
        "/portal/api/plans",
        [shared](HttpRequest&) {
            HttpResponse r;
            r.body = portal_plans_json(shared->plans ? shared->plans()
                                                     : std::vector<core::hotspot::Plan>{});
            r.headers.push_back({"Cache-Control", "no-cache"});
            add_security_headers(r);
            return r;
        },
        "Lists the hotspot plans on sale, with prices, for the captive portal."));
    router.add(route(
        "/portal", [shared](HttpRequest&) { return serve_file(*shared, "index.html"); },
        "The captive portal's login page."));
    router.add(route(
        "/portal/{file...}",
        [shared](HttpRequest& request) { return serve_file(*shared, request.params["file"]); },
        "A file of the captive portal page (HTML, CSS, JavaScript, translations)."));
}

}  // namespace switchyard::api
