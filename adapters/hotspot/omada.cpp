#include "adapters/hotspot/omada.hpp"

#include <fmt/format.h>
#include <cmath>
#include <limits>

#include <boost/json.hpp>

namespace switchyard::adapters::hotspot {

namespace json = boost::json;
using core::Errc;
using core::fail;
using core::Result;

namespace {

constexpr std::int64_t kBytesPerMb = 1048576;
/// 2100-01-01T00:00:00Z in ms: the expiry of a user without a time limit.
constexpr std::int64_t kNoExpiryMs = 4102444800000;

/// The parsed `{"errorCode","msg","result"}` envelope of an Omada answer.
Result<json::value> envelope(std::string_view what, const std::string& body) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object())
        return fail(Errc::Invalid, "body",
                    fmt::format("Omada {}: the answer is not a JSON object: {}", what,
                                body.substr(0, 200)));
    const auto& o = v.as_object();
    const auto* code = o.if_contains("errorCode");
    if (!code || !code->is_int64())
        return fail(Errc::Invalid, "errorCode",
                    fmt::format("Omada {}: the answer has no integer errorCode", what));
    const auto n = code->as_int64();
    if (n != 0) {
        std::string msg;
        if (const auto* m = o.if_contains("msg"); m && m->is_string()) msg = m->as_string().c_str();
        Errc c = Errc::Rejected;
        if (n == -42013) c = Errc::Conflict;
        if (n == -44112 || n == -44113 || n == -44106 || n == -44109 || n == -44108)
            c = Errc::Unauthorized;
        return fail(c, "errorCode", fmt::format("Omada {}: errorCode {}: {}", what, n, msg));
    }
    const auto* r = o.if_contains("result");
    return r ? *r : json::value(nullptr);
}

std::int64_t int_of(const json::object& o, std::string_view key, std::int64_t dflt = 0) {
    const auto* v = o.if_contains(key);
    if (!v) return dflt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double() && std::abs(v->as_double()) < 9.0e18)
        return static_cast<std::int64_t>(v->as_double());
    return dflt;
}
bool bool_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_bool() && v->as_bool();
}
std::string str_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}

}  // namespace

std::optional<std::string> omada_mac(std::string_view mac) {
    auto m = normalize_mac(mac);
    if (!m) return std::nullopt;
    for (auto& c : *m) {
        if (c == ':') c = '-';
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    return m;
}

OmadaController::OmadaController(OmadaOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {
    if (options_.portal_base_url.empty()) options_.portal_base_url = options_.base_url;
}

std::string OmadaController::site_path() const {
    return fmt::format("/openapi/v1/{}/sites/{}", url_escape(options_.omadac_id),
                       url_escape(options_.site_id));
}

Result<void> OmadaController::fetch_token() {
    json::object body{{"omadacId", options_.omadac_id},
                      {"client_id", options_.client_id},
                      {"client_secret", options_.client_secret}};
    RestRequest req{
        .method = "POST",
        .url = options_.base_url + "/openapi/authorize/token?grant_type=client_credentials",
        .body = json::serialize(body),
        .timeout_ms = options_.timeout_ms,
        .verify_tls = options_.verify_tls};
    const auto res = SY_TRY(rest_call(req));
    if (res.status < 200 || res.status >= 300) return fail(http_error("Omada", req, res));
    const auto result = SY_TRY(envelope("access token", res.body));
    if (!result.is_object() || str_of(result.as_object(), "accessToken").empty())
        return fail(Errc::Invalid, "accessToken",
                    "Omada access token: the answer has no accessToken");
    access_token_ = str_of(result.as_object(), "accessToken");
    return {};
}

Result<std::string> OmadaController::open_api(const std::string& method, const std::string& path,
                                              const std::string& body) {
    for (int attempt = 0;; ++attempt) {
        if (access_token_.empty()) SY_TRY(fetch_token());
        RestRequest req{.method = method,
                        .url = options_.base_url + path,
                        .headers = {"Authorization: AccessToken=" + access_token_},
                        .body = body,
                        .timeout_ms = options_.timeout_ms,
                        .verify_tls = options_.verify_tls};
        const auto res = SY_TRY(rest_call(req));
        if (res.status < 200 || res.status >= 300) {
            if (res.status == 401 && attempt == 0) {
                access_token_.clear();
                continue;
            }
            return fail(http_error("Omada", req, res));
        }
        // An expired or invalidated token (-44112, -44113) gets one new token and one retry.
        if (attempt == 0 && (res.body.find("-44112") != std::string::npos ||
                             res.body.find("-44113") != std::string::npos)) {
            boost::system::error_code ec;
            const auto v = json::parse(res.body, ec);
            if (!ec && v.is_object()) {
                const auto code = int_of(v.as_object(), "errorCode");
                if (code == -44112 || code == -44113) {
                    access_token_.clear();
                    continue;
                }
            }
        }
        return res.body;
    }
}

Result<void> OmadaController::test_connection() {
    SY_TRY(fetch_token());
    return {};
}

Result<std::string> OmadaController::user_body(const HotspotUser& u, bool create) const {
    if (u.name.empty() || u.name.size() > 128)
        return fail(Errc::Invalid, "name", "an Omada local user name has 1 to 128 characters");
    if (!u.password || u.password->empty())
        return fail(Errc::Invalid, "password", "an Omada local user needs a password");
    std::int64_t expiry_ms = kNoExpiryMs;
    if (u.limit_uptime_seconds) {
        if (*u.limit_uptime_seconds <= 0)
            return fail(Errc::Invalid, "limit_uptime_seconds", "a time limit must be positive");
        expiry_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
                .count() +
            *u.limit_uptime_seconds * 1000;
    }
    json::object o;
    if (create) o["userName"] = u.name;
    o["password"] = *u.password;
    o["enable"] = true;
    o["expirationTime"] = expiry_ms;
    if (!u.mac.empty()) {
        const auto mac = omada_mac(u.mac);
        if (!mac)
            return fail(Errc::Invalid, "mac", fmt::format("'{}' is not a MAC address", u.mac));
        o["bindingType"] = 1;
        o["macAddress"] = *mac;
    } else {
        o["bindingType"] = 0;
    }
    if (create) o["maxUsers"] = 1;
    json::object custom{{"downLimitEnable", u.download_kbps.has_value()},
                        {"upLimitEnable", u.upload_kbps.has_value()}};
    if (u.download_kbps) custom["downLimit"] = *u.download_kbps;
    if (u.upload_kbps) custom["upLimit"] = *u.upload_kbps;
    o["rateLimit"] = json::object{{"mode", 0}, {"customRateLimit", custom}};
    if (u.limit_bytes_total) {
        if (*u.limit_bytes_total <= 0 || *u.limit_bytes_total % kBytesPerMb != 0)
            return fail(Errc::Rejected, "limit_bytes_total",
                        fmt::format("Omada counts traffic in whole MB of {} bytes; {} is not one",
                                    kBytesPerMb, *u.limit_bytes_total));
        o["trafficLimitEnable"] = true;
        o["trafficLimit"] = *u.limit_bytes_total / kBytesPerMb;
        o["trafficLimitFrequency"] = 0;
    } else {
        o["trafficLimitEnable"] = false;
    }
    json::array portals;
    for (const auto& p : options_.portal_ids) portals.emplace_back(p);
    o["portals"] = portals;
    o["applyToAllPortals"] = options_.portal_ids.empty();
    return json::serialize(o);
}

Result<void> OmadaController::create_user(const HotspotUser& user) {
    const auto body = SY_TRY(user_body(user, true));
    SY_TRY(envelope("create local user",
                    SY_TRY(open_api("POST", site_path() + "/hotspot/localusers", body))));
    return {};
}

Result<std::vector<OmadaController::Listed>> OmadaController::list(std::string_view name) {
    std::vector<Listed> out;
    constexpr int kPageSize = 100;
    for (int page = 1;; ++page) {
        std::string path =
            fmt::format("{}/hotspot/localusers?page={}&pageSize={}", site_path(), page, kPageSize);
        if (!name.empty()) path += "&searchKey=" + url_escape(name);
        const auto result = SY_TRY(envelope("list local users", SY_TRY(open_api("GET", path, ""))));
        if (!result.is_object())
            return fail(Errc::Invalid, "result", "Omada list local users: result is not an object");
        const auto& r = result.as_object();
        const auto* data = r.if_contains("data");
        if (!data || !data->is_array())
            return fail(Errc::Invalid, "data", "Omada list local users: result.data is not a list");
        for (const auto& item : data->as_array()) {
            if (!item.is_object()) continue;
            const auto& o = item.as_object();
            Listed l;
            l.id = str_of(o, "id");
            l.user.name = str_of(o, "userName");
            if (!name.empty() && l.user.name != name) continue;
            if (o.contains("password")) l.user.password = str_of(o, "password");
            if (int_of(o, "bindingType") != 0) {
                const auto mac = str_of(o, "macAddress");
                l.user.mac = normalize_mac(mac).value_or(mac);
            }
            if (bool_of(o, "trafficLimitEnable")) {
                const auto mb = int_of(o, "trafficLimit");
                if (mb < 0 || mb > std::numeric_limits<std::int64_t>::max() / kBytesPerMb)
                    return fail(
                        Errc::Invalid, "trafficLimit",
                        fmt::format("Omada answered trafficLimit {} MB for '{}'", mb, l.user.name));
                l.user.limit_bytes_total = mb * kBytesPerMb;
            }
            if (const auto* rl = o.if_contains("rateLimit"); rl && rl->is_object()) {
                if (const auto* c = rl->as_object().if_contains("customRateLimit");
                    c && c->is_object()) {
                    const auto& cr = c->as_object();
                    if (bool_of(cr, "downLimitEnable"))
                        l.user.download_kbps = int_of(cr, "downLimit");
                    if (bool_of(cr, "upLimitEnable")) l.user.upload_kbps = int_of(cr, "upLimit");
                }
            }
            const auto expiry = int_of(o, "expirationTime", kNoExpiryMs);
            if (expiry < kNoExpiryMs) {
                const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        clock_.now().time_since_epoch())
                                        .count();
                // What is left of the time, rounded up to whole seconds; 0 once expired.
                l.user.limit_uptime_seconds = expiry <= now_ms ? 0 : (expiry - now_ms + 999) / 1000;
            }
            out.push_back(std::move(l));
        }
        const auto total = int_of(r, "totalRows");
        if (data->as_array().empty() || static_cast<std::int64_t>(page) * kPageSize >= total) break;
    }
    return out;
}

Result<std::vector<HotspotUser>> OmadaController::list_users(std::string_view name) {
    std::vector<HotspotUser> out;
    for (auto& l : SY_TRY(list(name))) out.push_back(std::move(l.user));
    return out;
}

Result<void> OmadaController::update_user(const HotspotUser& user) {
    const auto found = SY_TRY(list(user.name));
    if (found.empty())
        return fail(Errc::NotFound, "name", fmt::format("Omada has no local user '{}'", user.name));
    const auto body = SY_TRY(user_body(user, false));
    SY_TRY(envelope(
        "modify local user",
        SY_TRY(open_api("POST", site_path() + "/hotspot/localusers/" + url_escape(found[0].id),
                        body))));
    return {};
}

Result<void> OmadaController::remove_user(std::string_view name) {
    const auto found = SY_TRY(list(name));
    if (found.empty())
        return fail(Errc::NotFound, "name", fmt::format("Omada has no local user '{}'", name));
    SY_TRY(envelope(
        "delete local user",
        SY_TRY(open_api("DELETE", site_path() + "/hotspot/localusers/" + url_escape(found[0].id),
                        ""))));
    return {};
}

bool OmadaController::in_step(const HotspotUser& desired, const HotspotUser& actual) const {
    HotspotUser d = desired;
    HotspotUser a = actual;
    d.limit_uptime_seconds.reset();  // an expiry runs from creation: not rewritten by sync
    a.limit_uptime_seconds.reset();
    d.profile.clear();
    a.profile.clear();
    return same_settings(d, a);
}

Result<void> OmadaController::authorize_mac(const MacAuthorization& a) {
    const auto client = omada_mac(a.mac);
    if (!client) return fail(Errc::Invalid, "mac", fmt::format("'{}' is not a MAC address", a.mac));
    const auto ap = omada_mac(a.ap_mac);
    if (!ap)
        return fail(Errc::Invalid, "ap_mac",
                    "Omada authorizes a client on an EAP: apMac is needed");
    if (a.duration_seconds <= 0)
        return fail(Errc::Invalid, "duration_seconds",
                    "Omada authorizes a client for a positive time");
    const std::string base = options_.portal_base_url + "/" + url_escape(options_.omadac_id);
    RestRequest login{
        .method = "POST",
        .url = base + "/api/v2/hotspot/login",
        .body = json::serialize(json::object{{"name", options_.operator_name},
                                             {"password", options_.operator_password}}),
        .timeout_ms = options_.timeout_ms,
        .verify_tls = options_.verify_tls};
    const auto logged = SY_TRY(rest_call(login));
    if (logged.status < 200 || logged.status >= 300)
        return fail(http_error("Omada", login, logged));
    auto result = envelope("hotspot operator login", logged.body);
    if (!result) {
        auto e = result.error();
        e.code = Errc::Unauthorized;
        return fail(e);
    }
    const auto token = result->is_object() ? str_of(result->as_object(), "token") : std::string();
    if (token.empty())
        return fail(Errc::Invalid, "token",
                    "Omada hotspot operator login: the answer has no result.token");
    const auto session = logged.cookie("TPOMADA_SESSIONID");
    json::object body{{"clientMac", *client}, {"apMac", *ap},
                      {"ssidName", a.ssid},   {"radioId", a.radio_id},
                      {"site", a.site},       {"time", a.duration_seconds * 1'000'000},
                      {"authType", 4}};
    RestRequest auth{.method = "POST",
                     .url = base + "/api/v2/hotspot/extPortal/auth",
                     .headers = {"Csrf-Token: " + token},
                     .body = json::serialize(body),
                     .timeout_ms = options_.timeout_ms,
                     .verify_tls = options_.verify_tls};
    if (!session.empty()) auth.headers.push_back("Cookie: TPOMADA_SESSIONID=" + session);
    const auto res = SY_TRY(rest_call(auth));
    if (res.status < 200 || res.status >= 300) return fail(http_error("Omada", auth, res));
    SY_TRY(envelope("external portal authorization", res.body));
    return {};
}

Result<std::vector<ActiveSession>> OmadaController::list_active() {
    std::vector<ActiveSession> out;
    constexpr int kPageSize = 1000;
    for (int page = 1;; ++page) {
        const auto result = SY_TRY(envelope(
            "list clients",
            SY_TRY(open_api(
                "GET", fmt::format("{}/clients?page={}&pageSize={}", site_path(), page, kPageSize),
                ""))));
        if (!result.is_object())
            return fail(Errc::Invalid, "result", "Omada list clients: result is not an object");
        const auto* data = result.as_object().if_contains("data");
        if (!data || !data->is_array())
            return fail(Errc::Invalid, "data", "Omada list clients: result.data is not a list");
        for (const auto& item : data->as_array()) {
            if (!item.is_object()) continue;
            const auto& o = item.as_object();
            ActiveSession s;
            const auto mac = str_of(o, "mac");
            s.mac = normalize_mac(mac).value_or(mac);
            s.id = s.mac;
            s.user = str_of(o, "name");
            s.address = str_of(o, "ip");
            s.uptime_seconds = int_of(o, "uptime");
            s.bytes_in = int_of(o, "trafficUp");
            s.bytes_out = int_of(o, "trafficDown");
            out.push_back(std::move(s));
        }
        if (data->as_array().empty() ||
            static_cast<std::int64_t>(page) * kPageSize >= int_of(result.as_object(), "totalRows"))
            break;
    }
    return out;
}

Result<void> OmadaController::end_session(std::string_view id) {
    const auto mac = omada_mac(id);
    if (!mac) return fail(Errc::Invalid, "id", "an Omada session is ended by the client's MAC");
    SY_TRY(envelope(
        "unauthorize client",
        SY_TRY(open_api("POST", site_path() + "/hotspot/clients/" + *mac + "/unauth", ""))));
    return {};
}

}  // namespace switchyard::adapters::hotspot
