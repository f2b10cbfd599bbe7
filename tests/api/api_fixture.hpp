#pragma once
/// The API with a memory log, real RocksDB read models and a fixed clock; requests go straight
/// to the router, without a network.

#include <doctest/doctest.h>

#include <simdjson.h>

#include <functional>

#include "api/api_context.hpp"
#include "api/line_auth.hpp"
#include "app/modules/identity_module.hpp"
#include "app/modules/module.hpp"
#include "app/modules/voice_module.hpp"
#include "app/modules/vpn_module.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::testing {

struct ApiFixture {
    FixedClock clock{core::from_unix_seconds(1'790'000'000)};
    std::unique_ptr<events::EventStore> store;
    TempDir dir;
    std::unique_ptr<projections::ProjectionRunner> runner;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    api::Metrics metrics;
    /// The product's modules, as `switchyard serve` starts them (app/modules).
    app::Modules modules = app::make_modules();
    std::unique_ptr<api::ApiContext> ctx;
    std::unique_ptr<app::ModuleHost> host;
    std::unique_ptr<api::Router> router;
    events::vpn::VpnService* vpn = nullptr;  ///< The VPN module's command side.
    api::VpnApi* vpn_api = nullptr;          ///< The VPN routes' state (diagnostics runner).
    std::string key;
    std::string last_position;
    std::string remote_ip = "127.0.0.1";  ///< The peer address of the next calls.

    /// `configure` may set module options before the modules start.
    explicit ApiFixture(const std::function<void(app::Modules&)>& configure = {})
        : ApiFixture(events::make_memory_event_store(), configure) {}
    /// On `log` instead of an in-memory log (a RocksDB log where fsync cost matters).
    explicit ApiFixture(std::unique_ptr<events::EventStore> log,
                        const std::function<void(app::Modules&)>& configure = {})
        : store(std::move(log)) {
        if (configure) configure(modules);
        auto r = projections::ProjectionRunner::open(dir.path(), app::all_projectors(modules));
        REQUIRE(r);
        runner = std::move(*r);
        runner->start(*store);
        ctx.reset(new api::ApiContext{*store, *runner, clock, metrics, std::string(32, 's'), "op"});
        // Tests send many requests at one fixed instant: no rate limits unless a test sets them.
        ctx->security.anonymous_per_minute = 0;
        ctx->security.authenticated_per_minute = 0;
        for (auto& m : modules) {
            // Cheap password hashes; the VPN data files of the source tree.
            if (auto* identity = dynamic_cast<app::IdentityModule*>(m.get()))
                identity->options.hash_cost = events::identity::PasswordHashCost::minimum();
            if (auto* vpn = dynamic_cast<app::VpnModule*>(m.get())) {
                vpn->options.config_dir = SY_CONFIG_DIR "/vpn";
                vpn->options.ieee_data = SY_IEEE_DATA;
                vpn->options.seed_default_plans = false;  // tests seed when they need plans
            }
            // The voice categories and tiers likewise (VoiceModule::seed).
            if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) voice->options.seed = false;
        }
        host.reset(new app::ModuleHost{*store, *runner, clock, keyring, *ctx, "op"});
        auto started = app::start_modules(modules, *host);
        REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
        router = std::move(*started);
        for (auto& m : modules)
            if (auto* v = dynamic_cast<app::VpnModule*>(m.get())) {
                vpn = &v->service();
                vpn_api = &v->api_state();
            }
        core::DecisionContext d;
        d.now = clock.now();
        auto created = events::identity::create_api_key(*store, "test admin", "admin", d, "op");
        REQUIRE(created);
        key = created->key;
        REQUIRE(runner->wait_for(created->positions, std::chrono::seconds(10)));
        // The key's first use is recorded (identity.api_key.used); do it here, so that tests
        // see only their own requests' events.
        REQUIRE(call("GET", "/v1/auth/me").status == 200);
        settle();
    }
    ~ApiFixture() {
        app::stop_modules(modules);
        runner->stop();
    }

    /// Sends a request; with `auth` the admin key; GETs wait for the last command's position.
    /// The answer's `body` holds its bytes also when the route shared them (`shared_body`).
    /// A body that starts like JSON (`{` or `[`) goes as `application/json` unless the test set a
    /// Content-Type; other bodies (playlists) go without one.
    api::HttpResponse call(const std::string& method, const std::string& target,
                           const std::string& body = {}, bool auth = true,
                           std::map<std::string, std::string> headers = {}) {
        api::HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.remote_ip = remote_ip;
        r.headers = std::move(headers);
        if (auth && !r.headers.count("authorization")) r.headers["authorization"] = "Bearer " + key;
        const auto first = body.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && (body[first] == '{' || body[first] == '[') &&
            !r.headers.count("content-type"))
            r.headers["content-type"] = "application/json";
        if (method == "GET" && !last_position.empty())
            r.headers["x-switchyard-after"] = last_position;
        REQUIRE(api::parse_target(r));
        auto resp = router->dispatch(r);
        // A shared body (a cached answer) is also copied into `body`, for the assertions.
        if (resp.shared_body) resp.body = *resp.shared_body;
        for (const auto& [k, v] : resp.headers) {
            if (k == "X-Switchyard-Position") last_position = v;
        }
        return resp;
    }

    /// Waits until the read models hold every event appended so far.
    void settle() {
        auto head = store->head();
        if (head.total() == 0) return;
        REQUIRE(runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                 std::chrono::seconds(10)));
    }

    std::int64_t log_size() const { return store->head().total(); }
};

/// Parses JSON for assertions (simdjson DOM; the parser must outlive the element).
inline simdjson::dom::element parse_json(simdjson::dom::parser& parser, const std::string& text) {
    auto r = parser.parse(text);
    REQUIRE_MESSAGE(!r.error(), text);
    return r.value();
}

inline std::string str(simdjson::dom::element e, const char* key) {
    auto v = e[key].get_string();
    REQUIRE_MESSAGE(!v.error(), key);
    return std::string(v.value());
}

inline std::int64_t num(simdjson::dom::element e, const char* key) {
    auto v = e[key].get_int64();
    REQUIRE_MESSAGE(!v.error(), key);
    return v.value();
}

inline std::string str(simdjson::simdjson_result<simdjson::dom::element> e, const char* key) {
    REQUIRE_MESSAGE(!e.error(), key);
    return str(e.value(), key);
}

inline std::int64_t num(simdjson::simdjson_result<simdjson::dom::element> e, const char* key) {
    REQUIRE_MESSAGE(!e.error(), key);
    return num(e.value(), key);
}

/// Asserts a problem+json answer with `status` naming `field`, and that the log did not grow.
inline void check_problem(ApiFixture& f, const api::HttpResponse& r, int status,
                          const std::string& field, std::int64_t log_before) {
    CHECK_MESSAGE(r.status == status, r.body);
    CHECK(r.content_type == "application/problem+json");
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(num(doc, "status") == status);
    CHECK(str(doc, "field") == field);
    CHECK(str(doc, "detail").find(field) != std::string::npos);
    CHECK(f.log_size() == log_before);
}

}  // namespace switchyard::testing
