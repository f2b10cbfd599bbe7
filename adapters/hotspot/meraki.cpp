#include "adapters/hotspot/meraki.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/json.hpp>

namespace switchyard::adapters::hotspot {

namespace json = boost::json;
using core::Errc;
using core::fail;
using core::Result;

namespace {

Result<json::value> parse_json(std::string_view what, const std::string& body) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec)
        return fail(
            Errc::Invalid, "body",
            fmt::format("Meraki {}: the answer is not JSON: {}", what, body.substr(0, 200)));
    return v;
}

std::string str_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}
std::int64_t int_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double() && std::abs(v->as_double()) < 9.0e18)
        return static_cast<std::int64_t>(v->as_double());
    return 0;
}

}  // namespace

MerakiController::MerakiController(MerakiOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

std::string MerakiController::network_path() const {
    return "/networks/" + url_escape(options_.network_id);
}

Result<RestResponse> MerakiController::call(const std::string& method, const std::string& path,
                                            const std::string& body) {
    RestRequest req{.method = method,
                    .url = options_.base_url + path,
                    .headers = {"X-Cisco-Meraki-API-Key: " + options_.api_key},
                    .body = body,
                    .timeout_ms = options_.timeout_ms,
                    .verify_tls = options_.verify_tls};
    auto res = SY_TRY(rest_call(req));
    if (res.status < 200 || res.status >= 300) {
        auto e = http_error("Meraki", req, res);
        // Meraki answers a taken e-mail with 400 {"errors":["Email has already been taken"]}.
        if (res.status == 400 && res.body.find("already") != std::string::npos)
            e.code = Errc::Conflict;
        if (res.status == 429)
            e.message += fmt::format(" (Retry-After: {})", res.header("Retry-After"));
        return fail(e);
    }
    return res;
}

Result<void> MerakiController::test_connection() {
    SY_TRY(call("GET", network_path(), ""));
    return {};
}

Result<std::string> MerakiController::user_body(const HotspotUser& u, bool create) const {
    if (u.name.empty()) return fail(Errc::Invalid, "name", "a Meraki auth user needs a name");
    if (!u.password || u.password->empty())
        return fail(Errc::Invalid, "password", "a Meraki auth user needs a password");
    if (u.limit_bytes_total)
        return fail(Errc::Rejected, "limit_bytes_total",
                    "Meraki auth users carry no data limit (enforce it through RADIUS accounting)");
    if (u.download_kbps || u.upload_kbps)
        return fail(Errc::Rejected, u.download_kbps ? "download_kbps" : "upload_kbps",
                    "Meraki auth users carry no rate limit (use a group policy)");
    if (!u.mac.empty())
        return fail(Errc::Rejected, "mac", "Meraki auth users cannot be bound to a MAC");
    std::string expires = "Never";
    if (u.limit_uptime_seconds) {
        if (*u.limit_uptime_seconds <= 0)
            return fail(Errc::Invalid, "limit_uptime_seconds", "a time limit must be positive");
        const auto until = std::chrono::floor<std::chrono::seconds>(
            clock_.now() + std::chrono::seconds(*u.limit_uptime_seconds));
        expires = core::format_rfc3339(until);
    }
    json::object o;
    if (create) {
        o["email"] =
            u.name.find('@') == std::string::npos ? u.name + "@" + options_.email_domain : u.name;
        o["accountType"] = "Guest";
        o["isAdmin"] = false;
    }
    o["name"] = u.name;
    o["password"] = *u.password;
    o["emailPasswordToUser"] = false;
    o["authorizations"] =
        json::array{json::object{{"ssidNumber", options_.ssid_number}, {"expiresAt", expires}}};
    return json::serialize(o);
}

Result<void> MerakiController::create_user(const HotspotUser& user) {
    SY_TRY(call("POST", network_path() + "/merakiAuthUsers", SY_TRY(user_body(user, true))));
    return {};
}

Result<std::vector<MerakiController::Listed>> MerakiController::list() {
    const auto res = SY_TRY(call("GET", network_path() + "/merakiAuthUsers", ""));
    const auto v = SY_TRY(parse_json("list auth users", res.body));
    if (!v.is_array())
        return fail(Errc::Invalid, "body", "Meraki list auth users: the answer is not a list");
    std::vector<Listed> out;
    for (const auto& item : v.as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        if (str_of(o, "accountType") != "Guest") continue;  // 802.1X and VPN users are not ours
        Listed l;
        l.id = str_of(o, "id");
        l.user.name = str_of(o, "name");
        if (l.user.name.empty()) l.user.name = str_of(o, "email");
        out.push_back(std::move(l));
    }
    return out;
}

Result<std::vector<HotspotUser>> MerakiController::list_users(std::string_view name) {
    std::vector<HotspotUser> out;
    for (auto& l : SY_TRY(list()))
        if (name.empty() || l.user.name == name) out.push_back(std::move(l.user));
    return out;
}

Result<void> MerakiController::update_user(const HotspotUser& user) {
    for (const auto& l : SY_TRY(list())) {
        if (l.user.name != user.name) continue;
        SY_TRY(call("PUT", network_path() + "/merakiAuthUsers/" + url_escape(l.id),
                    SY_TRY(user_body(user, false))));
        return {};
    }
    return fail(Errc::NotFound, "name", fmt::format("Meraki has no auth user '{}'", user.name));
}

Result<void> MerakiController::remove_user(std::string_view name) {
    for (const auto& l : SY_TRY(list())) {
        if (l.user.name != name) continue;
        SY_TRY(call("DELETE", network_path() + "/merakiAuthUsers/" + url_escape(l.id), ""));
        return {};
    }
    return fail(Errc::NotFound, "name", fmt::format("Meraki has no auth user '{}'", name));
}

Result<void> MerakiController::set_splash(std::string_view client, bool authorized) {
    json::object ssids;
    ssids[std::to_string(options_.ssid_number)] = json::object{{"isAuthorized", authorized}};
    const auto res = SY_TRY(call(
        "PUT", network_path() + "/clients/" + url_escape(client) + "/splashAuthorizationStatus",
        json::serialize(json::object{{"ssids", ssids}})));
    // The answer repeats the SSIDs' state; the one we set must say what we asked.
    const auto v = SY_TRY(parse_json("splash authorization", res.body));
    const auto* s = v.is_object() ? v.as_object().if_contains("ssids") : nullptr;
    const auto* mine = s && s->is_object()
                           ? s->as_object().if_contains(std::to_string(options_.ssid_number))
                           : nullptr;
    const auto* flag =
        mine && mine->is_object() ? mine->as_object().if_contains("isAuthorized") : nullptr;
    if (!flag || !flag->is_bool() || flag->as_bool() != authorized)
        return fail(Errc::Rejected, "isAuthorized",
                    fmt::format("Meraki answered the splash authorization with {}",
                                res.body.substr(0, 200)));
    return {};
}

Result<void> MerakiController::authorize_mac(const MacAuthorization& a) {
    const auto mac = normalize_mac(a.mac);
    if (!mac) return fail(Errc::Invalid, "mac", fmt::format("'{}' is not a MAC address", a.mac));
    return set_splash(*mac, true);
}

Result<std::vector<ActiveSession>> MerakiController::list_active() {
    const auto res =
        SY_TRY(call("GET", network_path() + "/clients?timespan=86400&perPage=1000", ""));
    const auto v = SY_TRY(parse_json("list clients", res.body));
    if (!v.is_array())
        return fail(Errc::Invalid, "body", "Meraki list clients: the answer is not a list");
    std::vector<ActiveSession> out;
    for (const auto& item : v.as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        if (str_of(o, "status") != "Online") continue;
        ActiveSession s;
        s.id = str_of(o, "id");
        s.user = str_of(o, "user");
        const auto mac = str_of(o, "mac");
        s.mac = normalize_mac(mac).value_or(mac);
        s.address = str_of(o, "ip");
        if (const auto* u = o.if_contains("usage"); u && u->is_object()) {
            // Kilobytes the client sent and received, kept within 64 bits.
            const auto kb = [&](std::string_view k) {
                return std::clamp<std::int64_t>(int_of(u->as_object(), k), 0,
                                                std::numeric_limits<std::int64_t>::max() / 1024) *
                       1024;
            };
            s.bytes_in = kb("sent");
            s.bytes_out = kb("recv");
        }
        out.push_back(std::move(s));
    }
    return out;
}

Result<void> MerakiController::end_session(std::string_view id) {
    if (id.empty()) return fail(Errc::Invalid, "id", "a Meraki client id or MAC is needed");
    return set_splash(normalize_mac(id).value_or(std::string(id)), false);
}

}  // namespace switchyard::adapters::hotspot
