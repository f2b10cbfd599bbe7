// /v1/hotspot/controllers: the tenant's MikroTik, Omada and Meraki controllers and the
// operations on them (api/routes/hotspot/controllers.hpp). Definitions come from the command
// side (current with every append) for operations and from the `hotspot_controllers` read model
// for lists. Every operation's outcome is appended before the answer is sent.
#include "api/routes/hotspot/controllers.hpp"

#include <chrono>
#include <future>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/hotspot/hotspot_support.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/identity/user.hpp"
#include "events/hotspot/controller_codec.hpp"
#include "projections/hotspot/hotspot_accounts.hpp"
#include "projections/hotspot/hotspot_controllers.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::hotspot;

ControllerUser controller_user_of(const Account& account, const std::string& password,
                                  const Plan& plan) {
    ControllerUser u;
    u.name = account.username;
    u.password = password;
    u.mac = account.mac;
    if (plan.duration_seconds)
        u.limit_uptime_seconds = *plan.duration_seconds + account.extra_session_seconds;
    if (plan.data_limit_bytes && plan.data_direction == DataDirection::Total)
        u.limit_bytes_total = *plan.data_limit_bytes + account.extra_data_bytes;
    u.download_kbps = plan.download_kbps;
    u.upload_kbps = plan.upload_kbps;
    return u;
}

namespace hotspot {

namespace {

using ControllerRoutes = std::vector<RouteDef<ControllersApi>>;

/// Defining controllers (their credentials) is for admins and resellers, as the NAS catalog.
const std::vector<core::identity::Role>& define_roles() { return hotspot_roles::catalog; }

/// The `{id}` controller from the command side, if the caller reaches it (else NotFound).
core::Result<ControllerDefinition> reachable(ControllersApi& api, const HttpRequest& r,
                                             const std::string& id) {
    auto c = api.controllers.controller(id);
    if (!c) {
        if (c.error().code == Errc::NotFound) return not_found("controller", id);
        return tl::unexpected(c.error());
    }
    if (!may_reach(r, c->owner_path)) return not_found("controller", id);
    return *c;
}

/// The fields each vendor's definition may carry besides the common ones.
const std::vector<std::string_view>& vendor_fields(ControllerVendor v) {
    static const std::vector<std::string_view> mikrotik{
        "address", "port", "tls", "verify_tls", "username", "password", "hotspot_server"};
    static const std::vector<std::string_view> omada{
        "base_url",      "portal_base_url", "omadac_id",         "site_id",   "client_id",
        "client_secret", "operator_name",   "operator_password", "verify_tls"};
    static const std::vector<std::string_view> meraki{"base_url", "api_key", "network_id",
                                                      "ssid_number", "verify_tls"};
    switch (v) {
        case ControllerVendor::Omada:
            return omada;
        case ControllerVendor::Meraki:
            return meraki;
        case ControllerVendor::Mikrotik:
            break;
    }
    return mikrotik;
}

core::Result<void> set_string(const JsonBody& b, const char* key, std::string& out) {
    if (auto v = SY_TRY(b.opt_string(key))) out = *v;
    return {};
}

/// A definition from a body; absent members keep `current`'s. Types are checked here, the rules
/// in core/hotspot/controller_decider.
core::Result<DefineController> definition_of(const JsonBody& b, const ControllerDefinition& current,
                                             bool create) {
    SY_TRY(b.only(
        {"controller_id",     "name",     "vendor",         "nas_id",        "site",
         "timeout_ms",        "address",  "port",           "tls",           "verify_tls",
         "username",          "password", "hotspot_server", "base_url",      "portal_base_url",
         "omadac_id",         "site_id",  "client_id",      "client_secret", "operator_name",
         "operator_password", "api_key",  "network_id",     "ssid_number"}));
    DefineController c;
    c.controller = current;
    c.mode = create ? DefineMode::Create : DefineMode::Update;
    auto& d = c.controller;
    if (create) {
        d.name = SY_TRY(b.string("name"));
        const auto v = SY_TRY(b.string("vendor"));
        if (!parse_controller_vendor(v, d.vendor))
            return core::fail(Errc::Invalid, "vendor",
                              fmt::format("'{}' is not one of mikrotik, omada, meraki", v));
        if (auto id = SY_TRY(b.opt_string("controller_id"))) {
            d.controller_id = *id;
        } else {
            d.controller_id = id_from_name(d.name);
            if (d.controller_id.empty())
                return core::fail(Errc::Invalid, "controller_id",
                                  "is required when the name has no letters or digits");
        }
    } else {
        if (b.has("controller_id"))
            return core::fail(Errc::Invalid, "controller_id",
                              "cannot be changed (it is in the URL)");
        if (b.has("vendor"))
            return core::fail(Errc::Invalid, "vendor",
                              "cannot be changed; remove the controller and define it again");
        SY_TRY(set_string(b, "name", d.name));
    }
    // A member of another vendor's API is a mistake worth naming.
    static const std::vector<std::string_view> common{"controller_id", "name", "vendor",
                                                      "nas_id",        "site", "timeout_ms"};
    const auto& own = vendor_fields(d.vendor);
    for (const auto& key : b.keys()) {
        if (std::find(common.begin(), common.end(), key) != common.end()) continue;
        if (std::find(own.begin(), own.end(), key) == own.end())
            return core::fail(
                Errc::Invalid, key,
                fmt::format("is not a field of a {} controller", to_string(d.vendor)));
    }
    SY_TRY(set_string(b, "nas_id", d.nas_id));
    SY_TRY(set_string(b, "site", d.site));
    if (auto v = SY_TRY(b.opt_int("timeout_ms"))) {
        if (*v < 0 || *v > 120000)
            return core::fail(Errc::Invalid, "timeout_ms", "must be 0 (the default) to 120000 ms");
        d.timeout_ms = static_cast<int>(*v);
    }
    SY_TRY(set_string(b, "address", d.address));
    if (auto v = SY_TRY(b.opt_int("port"))) {
        if (*v < 1 || *v > 65535)
            return core::fail(Errc::Invalid, "port",
                              fmt::format("must be a TCP port from 1 to 65535, not {}", *v));
        d.port = static_cast<std::uint16_t>(*v);
    }
    if (auto v = SY_TRY(b.opt_bool("tls"))) d.tls = *v;
    if (auto v = SY_TRY(b.opt_bool("verify_tls"))) d.verify_tls = *v;
    SY_TRY(set_string(b, "username", d.username));
    SY_TRY(set_string(b, "hotspot_server", d.hotspot_server));
    SY_TRY(set_string(b, "base_url", d.base_url));
    SY_TRY(set_string(b, "portal_base_url", d.portal_base_url));
    SY_TRY(set_string(b, "omadac_id", d.omadac_id));
    SY_TRY(set_string(b, "site_id", d.site_id));
    SY_TRY(set_string(b, "client_id", d.client_id));
    SY_TRY(set_string(b, "operator_name", d.operator_name));
    SY_TRY(set_string(b, "network_id", d.network_id));
    if (auto v = SY_TRY(b.opt_int("ssid_number"))) {
        if (*v < 0 || *v > 14)
            return core::fail(Errc::Invalid, "ssid_number",
                              fmt::format("must be an SSID number 0 to 14, not {}", *v));
        d.ssid_number = static_cast<int>(*v);
    }
    c.secrets.password = SY_TRY(b.opt_string("password"));
    c.secrets.client_secret = SY_TRY(b.opt_string("client_secret"));
    c.secrets.operator_password = SY_TRY(b.opt_string("operator_password"));
    c.secrets.api_key = SY_TRY(b.opt_string("api_key"));
    return c;
}

/// The command-side view of a definition as the API shows it (no secrets, no last outcomes).
HttpResponse definition_answer(int status, const ControllerDefinition& d,
                               const std::vector<events::Position>& positions) {
    return answer(status, events::hotspot::controller_json(d), positions);
}

// ---- reads and definitions ----

/// GET /v1/hotspot/controllers?cursor=&limit=
core::Result<HttpResponse> list_controllers(ControllersApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.hotspot.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto* view =
        SY_TRY(view_of(api.hotspot, projections::hotspot::kHotspotControllers, "controllers"));
    PageWriter out(page);
    for (const auto& c :
         projections::hotspot::list_controllers(*view, page.cursor, page.limit + 1, scope_of(r)))
        if (!out.add(c.json, c.controller_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/hotspot/controllers/{id}
core::Result<HttpResponse> get_controller(ControllersApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.hotspot.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto* view =
        SY_TRY(view_of(api.hotspot, projections::hotspot::kHotspotControllers, "controllers"));
    auto c = projections::hotspot::find_controller(*view, id);
    if (!c || !may_reach(r, c->owner_path)) return not_found("controller", id);
    return json_response(200, c->json);
}

/// POST /v1/hotspot/controllers
core::Result<HttpResponse> create_controller(ControllersApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto cmd = SY_TRY(definition_of(b, ControllerDefinition{}, true));
    cmd.controller.owner_path = owner_path_of(r);
    const auto ctx = context_of(api.hotspot, r);
    cmd.command_id = command_id_of(r, ctx);
    const auto id = cmd.controller.controller_id;
    auto o = SY_TRY(api.controllers.execute(std::move(cmd), ctx));
    const auto created = SY_TRY(reachable(api, r, id));
    return definition_answer(o.changed ? 201 : 200, created, o.positions);
}

/// PATCH /v1/hotspot/controllers/{id}
core::Result<HttpResponse> update_controller(ControllersApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto current = SY_TRY(reachable(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto cmd = SY_TRY(definition_of(b, current, false));
    const auto ctx = context_of(api.hotspot, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.controllers.execute(std::move(cmd), ctx));
    return definition_answer(200, SY_TRY(reachable(api, r, id)), o.positions);
}

/// DELETE /v1/hotspot/controllers/{id}
core::Result<HttpResponse> remove_controller(ControllersApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable(api, r, id));
    const auto ctx = context_of(api.hotspot, r);
    RemoveController cmd{id, command_id_of(r, ctx)};
    auto o = SY_TRY(api.controllers.execute(cmd, ctx));
    return answer(200, json::object{{"controller_id", id}, {"removed", true}}, o.positions);
}

// ---- operations ----

/// What running an operation gave: the client's error, or the JSON to answer.
struct Ran {
    core::Result<json::value> result;
    std::int64_t duration_ms = 0;
};

/// Builds the client of `d` and runs `op` on it, timing it.
template <class Op>
Ran run_on(ControllersApi& api, const ControllerDefinition& d, Op&& op) {
    const auto start = std::chrono::steady_clock::now();
    auto result = [&]() -> core::Result<json::value> {
        const auto secrets = SY_TRY(api.controllers.secrets(d));
        auto client = SY_TRY(api.make(d, secrets));
        return op(*client);
    }();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    return {std::move(result), ms};
}

OperationOutcome outcome_of(const core::Result<json::value>& r) {
    if (r) return {};
    return {false, core::to_string(r.error().code), r.error().field, r.error().message};
}

/// The answer of a controller's failure: the controller's words; 502 when it could not be
/// reached or answered wrong, else the status of its error (409, 404, 422).
HttpResponse controller_failure(const std::string& id, const core::Error& e) {
    switch (e.code) {
        case Errc::Conflict:
        case Errc::NotFound:
        case Errc::Rejected:
            return problem(e, json::object{{"controller_id", id}});
        default:
            return protocol_problem(
                502, "bad_gateway", "Bad Gateway", e.field,
                fmt::format("controller '{}' ({}): {}", id, core::to_string(e.code), e.message));
    }
}

/// Runs one operation on the `{id}` controller, records it, and answers `status` with the
/// operation's JSON (or the failure).
template <class Op>
core::Result<HttpResponse> operate(ControllersApi& api, HttpRequest& r, const char* operation,
                                   const std::string& target, int status, Op&& op) {
    const auto id = SY_TRY(text_param(r));
    const auto d = SY_TRY(reachable(api, r, id));
    if (!api.make)
        return core::fail(Errc::Unavailable, "controller", "controllers are not available here");
    auto ran = run_on(api, d, op);
    const auto ctx = context_of(api.hotspot, r);
    ControllerOperationRun run{id, operation, target, outcome_of(ran.result), ran.duration_ms, ""};
    auto o = SY_TRY(api.controllers.execute(RecordControllerOperation{run}, ctx));
    if (!ran.result) {
        auto resp = controller_failure(id, ran.result.error());
        if (!o.positions.empty()) {
            auto ok = answer(200, {}, o.positions);
            for (auto& h : ok.headers) resp.headers.push_back(h);
        }
        return resp;
    }
    json::object body;
    body["controller_id"] = id;
    body["operation"] = operation;
    if (!target.empty()) body["target"] = target;
    body["ok"] = true;
    body["duration_ms"] = ran.duration_ms;
    if (!ran.result->is_null()) body["result"] = std::move(*ran.result);
    return answer(status, std::move(body), o.positions);
}

json::value opt_json(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object user_json(const ControllerUser& u) {
    json::object o;
    o["name"] = u.name;
    o["profile"] = u.profile;
    o["limit_uptime_seconds"] = opt_json(u.limit_uptime_seconds);
    o["limit_bytes_total"] = opt_json(u.limit_bytes_total);
    o["download_kbps"] = opt_json(u.download_kbps);
    o["upload_kbps"] = opt_json(u.upload_kbps);
    o["mac"] = u.mac;
    o["comment"] = u.comment;
    return o;
}

json::object session_json(const ControllerSession& s) {
    return {{"id", s.id},
            {"user", s.user},
            {"mac", s.mac},
            {"address", s.address},
            {"uptime_seconds", s.uptime_seconds},
            {"bytes_in", s.bytes_in},
            {"bytes_out", s.bytes_out}};
}

core::Result<std::optional<std::int64_t>> positive(const JsonBody& b, const char* key) {
    auto v = SY_TRY(b.opt_int(key));
    if (v && *v <= 0)
        return core::fail(Errc::Invalid, b.prefix() + key,
                          fmt::format("must be positive when set, not {}", *v));
    return v;
}

core::Result<std::string> mac_of(const JsonBody& b, const char* key, bool required) {
    auto v = SY_TRY(b.opt_string(key));
    if (!v) {
        if (required) return core::fail(Errc::Invalid, b.prefix() + key, "is required");
        return std::string();
    }
    auto mac = normalize_mac(*v);
    if (!mac)
        return core::fail(Errc::Invalid, b.prefix() + key,
                          fmt::format("'{}' is not a MAC address such as aa:bb:cc:dd:ee:ff", *v));
    return *mac;
}

/// The reseller scope whose accounts a controller stands for: its NAS's owner when it has one,
/// else its own owner.
core::Result<std::string> account_scope(ControllersApi& api, const ControllerDefinition& d) {
    if (d.nas_id.empty()) return d.owner_path;
    auto n = api.hotspot.hotspot.nas(d.nas_id);
    if (!n) return d.owner_path;
    return n->owner_path;
}

/// The controller user of the account `username` in `scope`.
/// @errors NotFound naming `field` when no such account is in the scope.
core::Result<ControllerUser> account_user(ControllersApi& api, const std::string& username,
                                          const std::string& scope, const char* field) {
    auto a = api.hotspot.hotspot.account(username);
    if (!a || !core::identity::in_scope(scope, a->owner_path))
        return core::fail(Errc::NotFound, field,
                          fmt::format("account '{}' does not exist", username));
    const auto plan = SY_TRY(api.hotspot.hotspot.plan(a->plan_id));
    const auto password = SY_TRY(api.hotspot.hotspot.account_password(username));
    return controller_user_of(*a, password, plan);
}

/// A hotspot user from a body: `{"account"}` (a Switchyard account in the caller's reach), or
/// `{"name","password",limits...}`.
core::Result<ControllerUser> user_of(ControllersApi& api, const HttpRequest& r, const JsonBody& b,
                                     std::initializer_list<const char*> more) {
    std::vector<const char*> allowed{
        "account",           "name",          "password",    "profile", "limit_uptime_seconds",
        "limit_bytes_total", "download_kbps", "upload_kbps", "mac",     "comment"};
    allowed.insert(allowed.end(), more.begin(), more.end());
    for (const auto& key : b.keys())
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
            allowed.end())
            return core::fail(Errc::Invalid, b.prefix() + key, "is not a member of this body");
    if (auto account = SY_TRY(b.opt_string("account"))) {
        for (const char* key : {"name", "password", "profile", "limit_uptime_seconds",
                                "limit_bytes_total", "download_kbps", "upload_kbps", "mac"})
            if (b.has(key))
                return core::fail(Errc::Invalid, b.prefix() + key,
                                  "cannot be given with `account` (the account's plan decides)");
        return account_user(api, *account, scope_of(r), "account");
    }
    ControllerUser u;
    u.name = SY_TRY(b.string("name"));
    if (!valid_username(u.name))
        return core::fail(Errc::Invalid, b.prefix() + "name",
                          "must be 1 to 64 of [A-Za-z0-9._@+-]");
    u.password = SY_TRY(b.string("password"));
    if (u.password->empty() || u.password->size() > 128 ||
        !std::all_of(u.password->begin(), u.password->end(),
                     [](char ch) { return ch > 0x20 && ch < 0x7f; }))
        return core::fail(Errc::Invalid, b.prefix() + "password",
                          "must be 1 to 128 printable ASCII characters without blanks");
    if (auto v = SY_TRY(b.opt_string("profile"))) u.profile = *v;
    if (auto v = SY_TRY(b.opt_string("comment"))) u.comment = *v;
    u.limit_uptime_seconds = SY_TRY(positive(b, "limit_uptime_seconds"));
    u.limit_bytes_total = SY_TRY(positive(b, "limit_bytes_total"));
    u.download_kbps = SY_TRY(positive(b, "download_kbps"));
    u.upload_kbps = SY_TRY(positive(b, "upload_kbps"));
    u.mac = SY_TRY(mac_of(b, "mac", false));
    return u;
}

/// A MAC authorization from a body.
core::Result<ControllerMacAuthorization> authorization_of(const JsonBody& b,
                                                          std::initializer_list<const char*> more) {
    std::vector<const char*> allowed{"mac",  "duration_seconds", "ap_mac", "ssid", "radio_id",
                                     "site", "comment"};
    allowed.insert(allowed.end(), more.begin(), more.end());
    for (const auto& key : b.keys())
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
            allowed.end())
            return core::fail(Errc::Invalid, b.prefix() + key, "is not a member of this body");
    ControllerMacAuthorization a;
    a.mac = SY_TRY(mac_of(b, "mac", true));
    if (auto v = SY_TRY(b.opt_int("duration_seconds"))) {
        if (*v < 0 || *v > 10LL * 366 * 86400)
            return core::fail(Errc::Invalid, b.prefix() + "duration_seconds",
                              "must be 0 (until removed) to ten years");
        a.duration_seconds = *v;
    }
    a.ap_mac = SY_TRY(mac_of(b, "ap_mac", false));
    if (auto v = SY_TRY(b.opt_string("ssid"))) a.ssid = *v;
    if (auto v = SY_TRY(b.opt_int("radio_id"))) {
        if (*v < 0 || *v > 2)
            return core::fail(Errc::Invalid, b.prefix() + "radio_id",
                              "must be 0 (2.4 GHz), 1 (5 GHz) or 2 (6 GHz)");
        a.radio_id = static_cast<int>(*v);
    }
    if (auto v = SY_TRY(b.opt_string("site"))) a.site = *v;
    if (auto v = SY_TRY(b.opt_string("comment"))) a.comment = *v;
    return a;
}

/// POST /v1/hotspot/controllers/{id}/test
core::Result<HttpResponse> test_controller(ControllersApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body.empty() ? "{}" : r.body));
    SY_TRY(b.only({}));
    return operate(api, r, "test_connection", "", 200, [](ControllerClient& c) {
        return c.test_connection().map([] { return json::value(nullptr); });
    });
}

/// GET /v1/hotspot/controllers/{id}/users
core::Result<HttpResponse> list_users(ControllersApi& api, HttpRequest& r) {
    return operate(api, r, "list_users", "", 200,
                   [](ControllerClient& c) -> core::Result<json::value> {
                       json::array items;
                       for (const auto& u : SY_TRY(c.list_users())) items.push_back(user_json(u));
                       return json::value(std::move(items));
                   });
}

/// POST /v1/hotspot/controllers/{id}/users
core::Result<HttpResponse> create_user(ControllersApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    const auto user = SY_TRY(user_of(api, r, b, {}));
    return operate(api, r, "create_user", user.name, 201,
                   [&](ControllerClient& c) -> core::Result<json::value> {
                       SY_TRY(c.create_user(user));
                       return json::value(user_json(user));
                   });
}

/// DELETE /v1/hotspot/controllers/{id}/users/{name}
core::Result<HttpResponse> remove_user(ControllersApi& api, HttpRequest& r) {
    const auto name = SY_TRY(text_param(r, "name"));
    return operate(api, r, "remove_user", name, 200, [&](ControllerClient& c) {
        return c.remove_user(name).map([] { return json::value(nullptr); });
    });
}

/// POST /v1/hotspot/controllers/{id}/authorize-mac
core::Result<HttpResponse> authorize_mac(ControllersApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto d = SY_TRY(reachable(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    const auto a = SY_TRY(authorization_of(b, {}));
    if (d.vendor == ControllerVendor::Omada && (a.ap_mac.empty() || a.site.empty()))
        return core::fail(Errc::Invalid, a.ap_mac.empty() ? "ap_mac" : "site",
                          "is required: Omada authorizes a client on an EAP of a site (the "
                          "portal redirect's apMac and site)");
    return operate(api, r, "authorize_mac", a.mac, 200, [&](ControllerClient& c) {
        return c.authorize_mac(a).map([] { return json::value(nullptr); });
    });
}

/// GET /v1/hotspot/controllers/{id}/active
core::Result<HttpResponse> list_active(ControllersApi& api, HttpRequest& r) {
    return operate(api, r, "list_active", "", 200,
                   [](ControllerClient& c) -> core::Result<json::value> {
                       json::array items;
                       for (const auto& s : SY_TRY(c.list_active()))
                           items.push_back(session_json(s));
                       return json::value(std::move(items));
                   });
}

/// DELETE /v1/hotspot/controllers/{id}/active/{session}
core::Result<HttpResponse> end_session(ControllersApi& api, HttpRequest& r) {
    const auto session = SY_TRY(text_param(r, "session"));
    return operate(api, r, "end_session", session, 200, [&](ControllerClient& c) {
        return c.end_session(session).map([] { return json::value(nullptr); });
    });
}

// ---- sync ----

/// The users a controller should hold: the active hotspot accounts (not expired, not disabled
/// or used up) in its account scope, each with its plan's limits (controller_user_of).
core::Result<std::vector<ControllerUser>> desired_users(ControllersApi& api,
                                                        const ControllerDefinition& d,
                                                        core::Timestamp now) {
    const auto scope = SY_TRY(account_scope(api, d));
    const auto* view =
        SY_TRY(view_of(api.hotspot, projections::hotspot::kHotspotAccounts, "accounts"));
    const auto catalog = SY_TRY(api.hotspot.hotspot.catalog());
    projections::hotspot::AccountFilter filter;
    filter.status = AccountStatus::Active;
    filter.scope = scope;
    std::vector<ControllerUser> out;
    std::string after;
    for (;;) {
        auto page = projections::hotspot::list_accounts(*view, after, 500, filter);
        for (const auto& a : page) {
            if (a.service != ServiceType::Hotspot) continue;
            if (a.expires_at && *a.expires_at <= now) continue;
            auto plan = catalog.plans.find(a.plan_id);
            if (plan == catalog.plans.end()) continue;
            auto password = api.hotspot.hotspot.account_password(a.username);
            if (!password) return tl::unexpected(password.error());
            out.push_back(controller_user_of(a, *password, plan->second));
        }
        if (page.size() < 500) break;
        after = page.back().username;
    }
    return out;
}

json::array strings_json(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

/// The sync of one controller, recorded. @returns the result JSON (with `ok`) and whether the
/// listing itself failed (its error then).
struct Synced {
    json::object body;
    std::optional<core::Error> error;
};

Synced sync_one(ControllersApi& api, const ControllerDefinition& d,
                const std::vector<ControllerUser>& desired, const core::DecisionContext& ctx,
                core::Result<std::vector<events::Position>>& recorded) {
    std::optional<ControllerSyncReport> report;
    auto ran = run_on(api, d, [&](ControllerClient& c) -> core::Result<json::value> {
        report = SY_TRY(c.sync(desired));
        return json::value(nullptr);
    });
    ControllerSynced e;
    e.controller_id = d.controller_id;
    e.desired = static_cast<std::int64_t>(desired.size());
    e.outcome = outcome_of(ran.result);
    e.duration_ms = ran.duration_ms;
    if (report) {
        e.added = report->added;
        e.removed = report->removed;
        e.changed = report->changed;
        e.unchanged = report->unchanged;
        for (const auto& [user, err] : report->failed)
            e.failed.push_back({user, core::to_string(err.code), err.message});
    }
    auto o = api.controllers.execute(RecordControllerSync{e}, ctx);
    recorded = o ? core::Result<std::vector<events::Position>>(o->positions)
                 : core::Result<std::vector<events::Position>>(tl::unexpected(o.error()));
    Synced out;
    out.body["controller_id"] = d.controller_id;
    out.body["vendor"] = to_string(d.vendor);
    out.body["ok"] = e.outcome.ok && e.failed.empty();
    out.body["desired"] = e.desired;
    out.body["added"] = strings_json(e.added);
    out.body["removed"] = strings_json(e.removed);
    out.body["changed"] = strings_json(e.changed);
    json::array failed;
    for (const auto& f : e.failed)
        failed.push_back(
            json::object{{"user", f.user}, {"error_code", f.error_code}, {"message", f.message}});
    out.body["failed"] = std::move(failed);
    out.body["unchanged"] = e.unchanged;
    out.body["records_synced"] =
        static_cast<std::int64_t>(e.added.size() + e.removed.size() + e.changed.size());
    out.body["duration_ms"] = e.duration_ms;
    if (!ran.result) {
        out.error = ran.result.error();
        for (auto& [k, v] : events::hotspot::outcome_json(e.outcome)) out.body[k] = v;
        out.body["ok"] = false;
    }
    return out;
}

/// POST /v1/hotspot/controllers/{id}/sync
core::Result<HttpResponse> sync_controller(ControllersApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.hotspot.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto d = SY_TRY(reachable(api, r, id));
    if (!api.make)
        return core::fail(Errc::Unavailable, "controller", "controllers are not available here");
    const auto ctx = context_of(api.hotspot, r);
    const auto desired = SY_TRY(desired_users(api, d, ctx.now));
    core::Result<std::vector<events::Position>> recorded = std::vector<events::Position>{};
    auto s = sync_one(api, d, desired, ctx, recorded);
    const auto positions = SY_TRY(std::move(recorded));
    if (s.error) return controller_failure(id, *s.error);
    return answer(200, std::move(s.body), positions);
}

/// The controllers the caller reaches, in id order.
core::Result<std::vector<ControllerDefinition>> reachable_all(ControllersApi& api,
                                                              const HttpRequest& r) {
    const auto st = SY_TRY(api.controllers.state());
    std::vector<ControllerDefinition> out;
    for (const auto& [id, d] : st.controllers)
        if (may_reach(r, d.owner_path)) out.push_back(d);
    return out;
}

/// POST /v1/hotspot/controllers/sync: every controller the caller reaches, in parallel.
core::Result<HttpResponse> sync_all(ControllersApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.hotspot.ctx, r));
    auto b = SY_TRY(JsonBody::parse(r.body.empty() ? "{}" : r.body));
    SY_TRY(b.only({}));
    if (!api.make)
        return core::fail(Errc::Unavailable, "controller", "controllers are not available here");
    const auto ctx = context_of(api.hotspot, r);
    const auto all = SY_TRY(reachable_all(api, r));
    std::vector<std::vector<ControllerUser>> desired;
    for (const auto& d : all) desired.push_back(SY_TRY(desired_users(api, d, ctx.now)));
    std::vector<std::future<Synced>> running;
    std::vector<core::Result<std::vector<events::Position>>> recorded(
        all.size(), std::vector<events::Position>{});
    for (std::size_t i = 0; i < all.size(); ++i)
        running.push_back(std::async(std::launch::async, [&, i] {
            return sync_one(api, all[i], desired[i], ctx, recorded[i]);
        }));
    json::array results;
    std::int64_t ok = 0;
    std::vector<events::Position> positions;
    for (std::size_t i = 0; i < running.size(); ++i) {
        auto s = running[i].get();
        const auto p = SY_TRY(std::move(recorded[i]));
        positions.insert(positions.end(), p.begin(), p.end());
        if (s.body["ok"].as_bool()) ++ok;
        results.push_back(std::move(s.body));
    }
    json::object body{{"controllers", static_cast<std::int64_t>(all.size())},
                      {"ok", ok},
                      {"failed", static_cast<std::int64_t>(all.size()) - ok},
                      {"results", std::move(results)}};
    return answer(200, std::move(body), positions);
}

// ---- broadcast ----

/// POST /v1/hotspot/controllers/broadcast {"operation", "controllers"?, ...}: create_user (the
/// user members, or `account`), remove_user (`name`) or authorize_mac (the authorization
/// members) on every controller the caller reaches (or those `controllers` names), in parallel;
/// a controller that fails fails alone.
core::Result<HttpResponse> broadcast(ControllersApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    const auto operation = SY_TRY(b.string("operation"));
    std::function<core::Result<json::value>(ControllerClient&)> op;
    std::string target;
    if (operation == "create_user") {
        auto user = SY_TRY(user_of(api, r, b, {"operation", "controllers"}));
        target = user.name;
        op = [user](ControllerClient& c) -> core::Result<json::value> {
            SY_TRY(c.create_user(user));
            return json::value(nullptr);
        };
    } else if (operation == "remove_user") {
        SY_TRY(b.only({"operation", "controllers", "name"}));
        target = SY_TRY(b.string("name"));
        if (target.empty()) return core::fail(Errc::Invalid, "name", "must not be empty");
        op = [target](ControllerClient& c) {
            return c.remove_user(target).map([] { return json::value(nullptr); });
        };
    } else if (operation == "authorize_mac") {
        auto a = SY_TRY(authorization_of(b, {"operation", "controllers"}));
        target = a.mac;
        op = [a](ControllerClient& c) {
            return c.authorize_mac(a).map([] { return json::value(nullptr); });
        };
    } else {
        return core::fail(Errc::Invalid, "operation",
                          fmt::format("'{}' is not one of create_user, remove_user, "
                                      "authorize_mac",
                                      operation));
    }
    auto all = SY_TRY(reachable_all(api, r));
    if (auto only = SY_TRY(b.opt_string_list("controllers"))) {
        std::vector<ControllerDefinition> chosen;
        for (const auto& id : *only) {
            auto it = std::find_if(all.begin(), all.end(),
                                   [&](const auto& d) { return d.controller_id == id; });
            if (it == all.end())
                return core::fail(Errc::Invalid, "controllers",
                                  fmt::format("controller '{}' does not exist", id));
            chosen.push_back(*it);
        }
        all = std::move(chosen);
    }
    if (!api.make)
        return core::fail(Errc::Unavailable, "controller", "controllers are not available here");
    const auto ctx = context_of(api.hotspot, r);
    const auto broadcast_id = command_id_of(r, ctx);
    std::vector<std::future<Ran>> running;
    for (const auto& d : all)
        running.push_back(
            std::async(std::launch::async, [&api, &op, d] { return run_on(api, d, op); }));
    json::array results;
    std::int64_t ok = 0;
    std::vector<events::Position> positions;
    for (std::size_t i = 0; i < all.size(); ++i) {
        auto ran = running[i].get();
        ControllerOperationRun run{all[i].controller_id,   operation,       target,
                                   outcome_of(ran.result), ran.duration_ms, broadcast_id};
        auto o = SY_TRY(api.controllers.execute(RecordControllerOperation{run}, ctx));
        positions.insert(positions.end(), o.positions.begin(), o.positions.end());
        auto item = events::hotspot::outcome_json(run.outcome);
        item["controller_id"] = all[i].controller_id;
        item["vendor"] = to_string(all[i].vendor);
        item["duration_ms"] = ran.duration_ms;
        if (ran.result) ++ok;
        results.push_back(std::move(item));
    }
    json::object body{{"operation", operation},
                      {"target", target},
                      {"controllers", static_cast<std::int64_t>(all.size())},
                      {"ok", ok},
                      {"failed", static_cast<std::int64_t>(all.size()) - ok},
                      {"results", std::move(results)}};
    return answer(200, std::move(body), positions);
}

ControllerRoutes controller_routes() {
    const auto& read = hotspot_roles::read;
    const auto& desk = hotspot_roles::desk;
    return {
        {"GET", "/v1/hotspot/controllers", read, list_controllers,
         "The caller's hotspot controllers in id order, without secrets, with their last "
         "operation and sync, cursor-paginated."},
        {"POST", "/v1/hotspot/controllers", define_roles(), create_controller,
         "Defines a MikroTik, Omada or Meraki controller (secrets sealed, never shown again)."},
        {"POST", "/v1/hotspot/controllers/sync", desk, sync_all,
         "Syncs every controller in the caller's reach to its hotspot accounts."},
        {"POST", "/v1/hotspot/controllers/broadcast", desk, broadcast,
         "Runs create_user, remove_user or authorize_mac on every controller; one result "
         "each."},
        {"GET", "/v1/hotspot/controllers/{id}", read, get_controller,
         "One controller in the caller's reach, without its secrets."},
        {"PATCH", "/v1/hotspot/controllers/{id}", define_roles(), update_controller,
         "Changes a controller's fields or secrets."},
        {"DELETE", "/v1/hotspot/controllers/{id}", define_roles(), remove_controller,
         "Removes a controller definition."},
        {"POST", "/v1/hotspot/controllers/{id}/test", desk, test_controller,
         "Checks that the controller answers and accepts the credentials."},
        {"GET", "/v1/hotspot/controllers/{id}/users", read, list_users,
         "The hotspot users the controller holds."},
        {"POST", "/v1/hotspot/controllers/{id}/users", desk, create_user,
         "Creates a hotspot user with time, data and rate limits on the controller."},
        {"DELETE", "/v1/hotspot/controllers/{id}/users/{name}", desk, remove_user,
         "Removes a hotspot user from the controller."},
        {"POST", "/v1/hotspot/controllers/{id}/authorize-mac", desk, authorize_mac,
         "Lets a client through the captive portal by MAC."},
        {"GET", "/v1/hotspot/controllers/{id}/active", read, list_active,
         "The clients logged in at the controller."},
        {"DELETE", "/v1/hotspot/controllers/{id}/active/{session}", desk, end_session,
         "Ends an active session at the controller."},
        {"POST", "/v1/hotspot/controllers/{id}/sync", desk, sync_controller,
         "Syncs the controller's users to the hotspot accounts it stands for."},
    };
}

}  // namespace

}  // namespace hotspot

void add_controller_routes(Router& router, ControllersApi& api) {
    add_routes(router, api, "hotspot", hotspot::controller_routes());
}

}  // namespace switchyard::api
