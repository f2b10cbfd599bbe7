// End to end: a real FreeRADIUS 3.2 with the shipped configuration (adapters/radius/raddb)
// calls a real Switchyard HTTP server (the /radius, session and report routes over the RocksDB
// log and read models in a temp dir), authenticated with an API key sent as HTTP Basic; radclient
// plays the NAS. Access-Request PAP and CHAP for a voucher account (Accept with the MikroTik
// plan's attributes), a wrong password, an unknown NAS, accounting Start / Interim with
// gigawords / a repeat / counters going backwards / Stop, Accounting-On closing the NAS's
// sessions; then the session and usage read models show the numbers summed by hand.
// Skipped when FreeRADIUS is missing (failing under CI=true).
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "api/api_context.hpp"
#include "api/http_server.hpp"
#include "api/routes/hotspot/radius.hpp"
#include "api/routes/hotspot/reports.hpp"
#include "api/routes/hotspot/sessions.hpp"
#include "events/hotspot/aaa_service.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/hotspot/hotspot_reports.hpp"
#include "projections/hotspot/hotspot_sessions.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/projection_runner.hpp"
#include "tests/support/freeradius.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace switchyard::core::hotspot;
namespace fs = std::filesystem;

namespace {

template <class R>
void ok(const R& r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().field + " " + r.error().message));
}

core::DecisionContext now_ctx() {
    core::DecisionContext d;
    d.now = core::SystemClock().now();
    d.correlation_id = "e2e";
    return d;
}

/// Switchyard with the RADIUS surface, on loopback.
struct Switchyard {
    TempDir tmp;
    core::SystemClock clock;
    std::unique_ptr<events::EventStore> store;
    std::unique_ptr<projections::ProjectionRunner> runner;
    api::Metrics metrics;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    std::unique_ptr<api::ApiContext> ctx;
    std::unique_ptr<events::hotspot::HotspotService> hotspot;
    std::unique_ptr<events::hotspot::SessionService> sessions;
    events::hotspot::VendorProfiles profiles;
    std::unique_ptr<events::hotspot::AaaService> aaa;
    std::unique_ptr<api::RadiusApi> radius_api;
    std::unique_ptr<api::Router> router;
    std::unique_ptr<api::HttpServer> server;
    std::string key;
    std::string voucher;

    Switchyard() {
        auto s = events::open_rocksdb_event_store(tmp.path() / "log");
        ok(s);
        store = std::move(*s);
        std::vector<std::unique_ptr<projections::Projector>> models;
        models.push_back(projections::identity::make_api_keys_projector());
        models.push_back(projections::hotspot::make_hotspot_sessions_projector());
        models.push_back(projections::hotspot::make_hotspot_reports_projector());
        auto r = projections::ProjectionRunner::open(tmp.path() / "models", std::move(models));
        ok(r);
        runner = std::move(*r);
        runner->start(*store);
        ctx.reset(new api::ApiContext{*store, *runner, clock, metrics, std::string(32, 's'), "op"});
        ctx->security.anonymous_per_minute = 0;
        ctx->security.authenticated_per_minute = 0;
        hotspot = std::make_unique<events::hotspot::HotspotService>(*store, "op", keyring);
        sessions = std::make_unique<events::hotspot::SessionService>(*store, "op");
        auto p = events::hotspot::load_vendor_profiles(
            fs::path(SY_SOURCE_DIR) / "config/hotspot/vendors",
            [](std::string_view) { return true; });
        ok(p);
        profiles = std::move(*p);
        aaa = std::make_unique<events::hotspot::AaaService>(*hotspot, *sessions, profiles);
        radius_api.reset(new api::RadiusApi{*ctx, *aaa, *hotspot, *sessions});
        router = api::make_router(*ctx);
        api::add_radius_routes(*router, *radius_api);
        api::add_session_routes(*router, *radius_api);
        api::add_report_routes(*router, *radius_api);
        api::HttpServerOptions o;
        o.io_threads = 1;
        o.worker_threads = 4;
        auto srv = api::HttpServer::start(*router, o);
        ok(srv);
        server = std::move(*srv);

        // The NAS (radclient on loopback), a 1 hour / 1 GB plan, one voucher redeemed.
        Nas nas;
        nas.nas_id = "lobby";
        nas.name = "Lobby hAP";
        nas.vendor = Vendor::Mikrotik;
        nas.address = "127.0.0.1";
        ok(hotspot->execute(DefineNas{nas, "testing123-secret", DefineMode::Create, "n1"},
                            now_ctx()));
        Plan plan;
        plan.plan_id = "1h";
        plan.name = "1 hour";
        plan.duration_seconds = 3600;
        plan.data_limit_bytes = 1'000'000'000'000;  // 1 TB: 232 x 2^32 + 3,567,587,328
        plan.download_kbps = 2048;
        plan.upload_kbps = 512;
        plan.shared_users = 2;
        ok(hotspot->execute(DefinePlan{plan, DefineMode::Create, "p1"}, now_ctx()));
        VoucherBatch b;
        b.batch_id = "dec";
        b.plan_id = "1h";
        b.count = 1;
        b.length = 8;
        auto gen = hotspot->execute(GenerateVoucherBatch{b, {}, "g1"}, now_ctx());
        ok(gen);
        voucher = gen->codes.at(0);
        ok(hotspot->execute(RedeemVoucher{voucher, "", "", "r1"}, now_ctx()));
        ok(aaa->start());

        auto created =
            events::identity::create_api_key(*store, "freeradius", "admin", now_ctx(), "op");
        ok(created);
        key = created->key;
        REQUIRE(runner->wait_for(created->positions, std::chrono::seconds(10)));
    }
    ~Switchyard() {
        if (server) server->stop();
        if (runner) runner->stop();
    }

    std::string base() const { return "127.0.0.1:" + std::to_string(server->port()); }

    /// GET with the admin key, after the read models have caught up with the log.
    std::string get(const std::string& path) {
        const auto head = store->head();
        if (head.total() > 0)
            REQUIRE(runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                     std::chrono::seconds(10)));
        auto r = freeradius_detail::shell("curl -s -H 'Authorization: Bearer " + key + "' http://" +
                                          base() + path);
        return r.output;
    }
};

boost::json::value parse(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    REQUIRE_MESSAGE(!ec, text);
    return v;
}

}  // namespace

TEST_CASE("FreeRADIUS with the shipped configuration against Switchyard: AAA and the read models") {
    if (auto missing = missing_freeradius_tool()) {
        skip("needs " + *missing);
        return;
    }
    if (!freeradius_detail::on_path("curl")) {
        skip("needs curl");
        return;
    }
    Switchyard sy;
    // The API key as HTTP Basic credentials in connect_uri (libcurl sends them preemptively).
    FreeRadius radius(fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", sy.tmp.path(),
                      "http://freeradius:" + sy.key + "@" + sy.base() + "/radius");
    REQUIRE_MESSAGE(radius.start(), "freeradius did not start:\n", radius.log());
    const auto& code = sy.voucher;

    SUBCASE("access") {
        auto r = radius.radclient("User-Name = " + code + ", User-Password = " + code +
                                  ", NAS-IP-Address = 127.0.0.1, Calling-Station-Id = "
                                  "\"AA-BB-CC-DD-EE-01\"");
        REQUIRE_MESSAGE(r.received("Access-Accept"), r.output, radius.log());
        // 512k up / 2048k down from the router's side (rx/tx); 1 TB total; first login: 1 h.
        CHECK(r.output.find("Mikrotik-Rate-Limit = \"512k/2048k\"") != std::string::npos);
        CHECK(r.output.find("Mikrotik-Total-Limit = 3567587328") != std::string::npos);
        CHECK(r.output.find("Mikrotik-Total-Limit-Gigawords = 232") != std::string::npos);
        CHECK(r.output.find("Session-Timeout = 3600") != std::string::npos);
        // post-auth recorded the first login: the clock runs.
        auto account = sy.hotspot->account(code);
        REQUIRE(account);
        CHECK(account->first_login_at.has_value());

        r = radius.radclient("User-Name = " + code + ", CHAP-Password = " + code +
                             ", NAS-IP-Address = 127.0.0.1");
        CHECK_MESSAGE(r.received("Access-Accept"), r.output);
        r = radius.radclient("User-Name = " + code +
                             ", User-Password = wrong, NAS-IP-Address = 127.0.0.1");
        CHECK_MESSAGE(r.received("Access-Reject"), r.output);
        CHECK(r.output.find("Reply-Message = \"Wrong password.\"") != std::string::npos);
        CHECK(r.output.find("Mikrotik-Rate-Limit", r.output.find("Received")) == std::string::npos);
        r = radius.radclient("User-Name = " + code + ", User-Password = " + code +
                             ", NAS-IP-Address = 203.0.113.9");
        CHECK_MESSAGE(r.received("Access-Reject"), r.output);
        CHECK(r.output.find("Reply-Message = \"This access point is not registered.\"") !=
              std::string::npos);
    }

    SUBCASE("accounting and the read models") {
        const std::string common = "User-Name = " + code +
                                   ", Acct-Session-Id = \"81000001\", NAS-IP-Address = 127.0.0.1, "
                                   "Framed-IP-Address = 10.5.50.2, ";
        auto r = radius.radclient(common + "Acct-Status-Type = Start", "acct");
        REQUIRE_MESSAGE(r.received("Accounting-Response"), r.output, radius.log());
        // 2 x 2^32 + 704 = 8,589,935,296 bytes down; 1,200 up.
        const auto interim = common +
                             "Acct-Status-Type = Interim-Update, Acct-Input-Octets = 1200, "
                             "Acct-Output-Octets = 704, Acct-Output-Gigawords = 2, "
                             "Acct-Session-Time = 300";
        r = radius.radclient(interim, "acct");
        CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
        const auto before_repeat = sy.store->head().total();
        r = radius.radclient(interim, "acct");  // a repeat: answered, nothing appended
        CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
        CHECK(sy.store->head().total() == before_repeat);
        // Input backwards while output grows: refused (400, no Accounting-Response).
        r = radius.radclient(common +
                                 "Acct-Status-Type = Interim-Update, Acct-Input-Octets = 1000, "
                                 "Acct-Output-Octets = 900, Acct-Output-Gigawords = 2, "
                                 "Acct-Session-Time = 360",
                             "acct");
        CHECK_FALSE(r.received("Accounting-Response"));
        CHECK(sy.store->head().total() == before_repeat);
        CHECK(sy.sessions->usage(code).usage == Usage{1200, 8'589'935'296, 300});

        // A second session, then the NAS reboots: Accounting-On closes it (empty User-Name).
        r = radius.radclient("User-Name = " + code +
                                 ", Acct-Session-Id = \"81000002\", NAS-IP-Address = 127.0.0.1, "
                                 "Acct-Status-Type = Start",
                             "acct");
        CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
        CHECK(sy.sessions->usage(code).active_sessions == 2);
        r = radius.radclient(common +
                                 "Acct-Status-Type = Stop, Acct-Input-Octets = 1300, "
                                 "Acct-Output-Octets = 1704, Acct-Output-Gigawords = 2, "
                                 "Acct-Session-Time = 420, Acct-Terminate-Cause = User-Request",
                             "acct");
        CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
        r = radius.radclient(
            "NAS-IP-Address = 127.0.0.1, Acct-Status-Type = Accounting-On, "
            "Acct-Session-Id = \"0\"",
            "acct");
        CHECK_MESSAGE(r.received("Accounting-Response"), r.output, radius.log());
        CHECK(sy.sessions->usage(code).active_sessions == 0);

        auto list = parse(sy.get("/v1/hotspot/sessions?user=" + code)).as_object();
        const auto& items = list.at("items").as_array();
        REQUIRE(items.size() == 2);
        const auto& first = items[0].as_object();
        CHECK(first.at("active") == false);
        CHECK(first.at("input_bytes") == 1300);
        CHECK(first.at("output_bytes") == 8'589'936'296LL);  // 2 x 2^32 + 1,704
        CHECK(first.at("session_seconds") == 420);
        CHECK(first.at("terminate_cause") == "User-Request");
        CHECK(first.at("plan_id") == "1h");
        CHECK(items[1].as_object().at("active") == false);
        auto open = parse(sy.get("/v1/hotspot/sessions?active=true")).as_object();
        CHECK(open.at("items").as_array().empty());
        auto one = parse(sy.get("/v1/hotspot/sessions/" + std::string(first.at("id").as_string())))
                       .as_object();
        CHECK(one.at("framed_ip") == "10.5.50.2");
        auto usage = parse(sy.get("/v1/hotspot/usage/" + code)).as_object();
        const auto& days = usage.at("days").as_array();
        std::int64_t in = 0, out = 0, secs = 0;
        for (const auto& d : days) {
            in += d.at("input_bytes").as_int64();
            out += d.at("output_bytes").as_int64();
            secs += d.at("online_seconds").as_int64();
        }
        CHECK(in == 1300);
        CHECK(out == 8'589'936'296LL);
        CHECK(secs == 420);
        auto by_nas = parse(sy.get("/v1/hotspot/reports/usage-by-nas")).as_object();
        REQUIRE(by_nas.at("items").as_array().size() == 1);
        CHECK(by_nas.at("items").as_array()[0].at("sessions") == 2);
        CHECK(by_nas.at("items").as_array()[0].at("total_bytes") == 8'589'937'596LL);
        const auto csv = sy.get("/v1/hotspot/reports/usage-by-plan.csv");
        CHECK(csv.find("plan_id,sessions,input_bytes,output_bytes,total_bytes,online_seconds\r\n"
                       "1h,2,1300,8589936296,8589937596,420\r\n") != std::string::npos);
        const auto sales = sy.get("/v1/hotspot/reports/voucher-sales.csv");
        CHECK(sales.find("dec,1h,1,1,0,0,USD,0") != std::string::npos);
    }

    SUBCASE("a wrong API key: FreeRADIUS gets 401 and rejects") {
        FreeRadius other(fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", sy.tmp.path() / "b",
                         "http://freeradius:sy_wrong@" + sy.base() + "/radius");
        REQUIRE(other.start());
        auto r = other.radclient("User-Name = " + code + ", User-Password = " + code +
                                 ", NAS-IP-Address = 127.0.0.1");
        CHECK_MESSAGE(r.received("Access-Reject"), r.output);
        CHECK(r.output.find("Reply-Message = \"The RADIUS server may not ask Switchyard.\"") !=
              std::string::npos);
    }
}

TEST_CASE("the /radius credentials: Basic or Bearer, an admin key or one scoped to the RADIUS") {
    // base64("freeradius:sy_abc") = ZnJlZXJhZGl1czpzeV9hYmM=
    CHECK(api::radius_key_of("Basic ZnJlZXJhZGl1czpzeV9hYmM=") == "sy_abc");
    CHECK(api::radius_key_of("Bearer sy_abc") == "sy_abc");
    CHECK(api::radius_key_of("Basic !!!") == "");
    CHECK(api::radius_key_of("Basic Zm9v") == "");  // "foo": no colon
    CHECK(api::radius_key_of("") == "");
    core::identity::Principal p;
    p.api_key = true;
    p.role = core::identity::Role::Admin;
    CHECK(api::may_call_radius(p));
    p.route_prefixes = {"/v1/iptv/lines"};
    CHECK_FALSE(api::may_call_radius(p));
    p.role = core::identity::Role::Support;
    p.route_prefixes = {"/v1/hotspot/radius"};
    CHECK(api::may_call_radius(p));
    p.route_prefixes.clear();
    CHECK_FALSE(api::may_call_radius(p));  // a support key for everything is not for RADIUS
    p.role = core::identity::Role::Admin;
    p.scope = "/u_7/";
    CHECK_FALSE(api::may_call_radius(p));  // a reseller-scoped admin key
    p.scope = "/";
    p.api_key = false;
    CHECK_FALSE(api::may_call_radius(p));  // a user's session
}

namespace {

/// Dispatches a GET to the session and report routes as `caller` (no guard: the caller is set
/// as the guard would set it).
api::HttpResponse get_as(api::Router& router, const std::string& target, core::identity::Role role,
                         const std::string& scope = "/") {
    api::HttpRequest r;
    r.method = "GET";
    r.target = target;
    REQUIRE(api::parse_target(r));
    api::Caller c;
    c.principal.id = "k_test";
    c.principal.role = role;
    c.principal.scope = scope;
    c.principal.api_key = true;
    r.caller = c;
    return router.dispatch(r);
}

}  // namespace

TEST_CASE("session and report routes: filters, a reseller's own NAS, bad parameters") {
    Switchyard sy;
    Nas pool;
    pool.nas_id = "pool";
    pool.name = "Reseller pool";
    pool.vendor = Vendor::Omada;
    pool.address = "198.51.100.0/24";
    pool.owner_path = "/u_7/";
    ok(sy.hotspot->execute(DefineNas{pool, "pool-secret-1234", DefineMode::Create, "n2"},
                           now_ctx()));
    auto acct = [&](const std::string& nas_ip, const std::string& id, const std::string& status,
                    long long out) {
        const std::string body =
            R"({"User-Name":{"type":"string","value":[")" + sy.voucher +
            R"("]},"Acct-Status-Type":{"type":"integer","value":[")" + status +
            R"("]},"Acct-Session-Id":{"type":"string","value":[")" + id +
            R"("]},"Acct-Unique-Session-Id":{"type":"string","value":[")" + id +
            R"("]},"NAS-IP-Address":{"type":"ipaddr","value":[")" + nas_ip +
            R"("]},"Acct-Output-Octets":{"type":"integer","value":[)" + std::to_string(out) + "]}}";
        auto a = sy.aaa->handle(events::hotspot::RestAction::Accounting, body, "", now_ctx());
        REQUIRE_MESSAGE(a.answer.status == 204, a.answer.body);
    };
    acct("127.0.0.1", "a1", "Start", 0);
    acct("198.51.100.20", "b1", "Start", 0);
    acct("198.51.100.20", "b1", "Interim-Update", 5000);
    const auto head = sy.store->head();
    REQUIRE(sy.runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                std::chrono::seconds(10)));
    api::Router router;
    api::add_session_routes(router, *sy.radius_api);
    api::add_report_routes(router, *sy.radius_api);
    using core::identity::Role;

    auto all = parse(get_as(router, "/v1/hotspot/sessions", Role::Support).body);
    CHECK(all.at("items").as_array().size() == 2);
    auto lobby = parse(get_as(router, "/v1/hotspot/sessions?nas=lobby", Role::Admin).body);
    REQUIRE(lobby.at("items").as_array().size() == 1);
    CHECK(lobby.at("items").as_array()[0].at("id") == "a1");
    // The reseller u_7 sees the sessions of its NAS `pool` only.
    auto mine = parse(get_as(router, "/v1/hotspot/sessions", Role::Reseller, "/u_7/").body);
    REQUIRE(mine.at("items").as_array().size() == 1);
    CHECK(mine.at("items").as_array()[0].at("id") == "b1");
    CHECK(get_as(router, "/v1/hotspot/sessions/a1", Role::Reseller, "/u_7/").status == 404);
    CHECK(get_as(router, "/v1/hotspot/sessions/b1", Role::Reseller, "/u_7/").status == 200);
    auto nas_rows =
        parse(get_as(router, "/v1/hotspot/reports/usage-by-nas", Role::Reseller, "/u_7/").body);
    REQUIRE(nas_rows.at("items").as_array().size() == 1);
    CHECK(nas_rows.at("items").as_array()[0].at("nas_id") == "pool");
    CHECK(nas_rows.at("items").as_array()[0].at("output_bytes") == 5000);
    CHECK(get_as(router, "/v1/hotspot/reports/top-users", Role::Reseller, "/u_7/").status == 403);
    // Cursor pages of one.
    auto page1 = parse(get_as(router, "/v1/hotspot/sessions?limit=1", Role::Admin).body);
    REQUIRE(page1.at("next_cursor").is_string());
    auto page2 = parse(get_as(router,
                              "/v1/hotspot/sessions?limit=1&cursor=" +
                                  std::string(page1.at("next_cursor").as_string()),
                              Role::Admin)
                           .body);
    CHECK(page2.at("items").as_array().size() == 1);
    CHECK(page2.at("next_cursor").is_null());
    CHECK(page2.at("items").as_array()[0].at("id") != page1.at("items").as_array()[0].at("id"));
    // Bad parameters: 400 naming the parameter.
    for (const auto& [target, field] : std::vector<std::pair<std::string, std::string>>{
             {"/v1/hotspot/sessions?active=maybe", "active"},
             {"/v1/hotspot/sessions?limit=0", "limit"},
             {"/v1/hotspot/usage/" + sy.voucher + "?from=2026-13", "from"},
             {"/v1/hotspot/reports/top-users?limit=5000", "limit"}}) {
        auto r = get_as(router, target, Role::Admin);
        CHECK_MESSAGE(r.status == 400, target, r.body);
        CHECK(parse(r.body).at("field") == boost::json::value(field));
    }
    CHECK(get_as(router, "/v1/hotspot/sessions/nope", Role::Admin).status == 404);
}

TEST_CASE(
    "the /radius routes: stock GET authorize, credentials, bad action and body, empty User-Name") {
    Switchyard sy;
    auto call = [&](const std::string& method, const std::string& target, const std::string& auth,
                    const std::string& body = {}) {
        api::HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.remote_ip = "127.0.0.1";
        if (!auth.empty()) r.headers["authorization"] = auth;
        REQUIRE(api::parse_target(r));
        return sy.router->dispatch(r);
    };
    // The key as Bearer here; Basic is read by the same function (checked with literals above)
    // and sent by FreeRADIUS in the end-to-end test.
    const auto bearer = "Bearer " + sy.key;
    auto got = call("GET", "/radius/user/" + sy.voucher + "/mac/AA-BB?action=authorize", bearer);
    CHECK_MESSAGE(got.status == 200, got.body);
    CHECK(parse(got.body).at("control:Cleartext-Password").at("value") ==
          boost::json::value(sy.voucher));
    auto none = call("POST", "/radius/user/x/mac/y?action=authorize", "");
    CHECK(none.status == 401);
    bool challenge = false;
    for (const auto& [k, v] : none.headers)
        challenge |= k == "WWW-Authenticate" && v.starts_with("Basic");
    CHECK(challenge);
    // "freeradius:sy_not_a_key" in Base64: a well-formed Basic header with an unknown key.
    CHECK(call("POST", "/radius/user/x/mac/y?action=authorize",
               "Basic ZnJlZXJhZGl1czpzeV9ub3RfYV9rZXk=")
              .status == 401);
    auto action = call("POST", "/radius/user/x/mac/y?action=dance", bearer, "{}");
    CHECK(action.status == 400);
    CHECK(parse(action.body).at("field") == "action");
    auto body = call("POST", "/radius/user/x/mac/y?action=authorize", bearer, "[1,2]");
    CHECK(body.status == 400);
    CHECK(parse(body.body).at("field") == "body");
    const auto before = sy.store->head().total();
    auto on = call("POST", "/radius/user//sessions/5f3a?action=accounting", bearer,
                   R"({"Acct-Status-Type":{"type":"integer","value":["Accounting-On"]},)"
                   R"("NAS-IP-Address":{"type":"ipaddr","value":["127.0.0.1"]}})");
    CHECK_MESSAGE(on.status == 204, on.body);
    CHECK(sy.store->head().total() == before);  // no open session: nothing to close
}
