// Route quality over HTTP: rules created, read, changed and deleted; bad input answered 4xx
// naming the field with the log unchanged; alerts and figures from call events the voice
// module's quality service was fed; an alert acknowledged.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/voice/call_codec.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

json::object body_of(const api::HttpResponse& r) { return json::parse(r.body).as_object(); }
std::string s(const json::value& v) { return std::string(v.as_string()); }

constexpr const char* kRule =
    R"({"rule_id":"asr-uk","name":"ASR on uk","metric":"asr","threshold":20,)"
    R"("min_calls":20,"scope":"route","action":"disable"})";

/// 20 calls whose only attempt, to carrier alpha on route uk, failed 503, fed to the service.
void failed_calls(ApiFixture& f) {
    using namespace core::voice;
    core::DecisionContext ctx;
    ctx.now = f.clock.now();
    ctx.actor = {core::ActorKind::System, "kamailio", ""};
    std::vector<events::RecordedEvent> batch;
    for (int i = 0; i < 20; ++i) {
        CallRouted routed;
        routed.setup.call_id = "c" + std::to_string(i);
        routed.setup.setup_at = ctx.now;
        routed.plan.route_id = "uk";
        routed.plan.route_prefix = "44";
        routed.plan.routes.push_back(RouteOption{.carrier_id = "alpha"});
        CallAttemptFailed failed{routed.setup.call_id, 1, "alpha", "alpha-1", 503, "", ctx.now};
        const std::vector<CallEvent> events{routed, failed};
        auto appended =
            f.store->append({{"voice_call-op-" + routed.setup.call_id,
                              {},
                              events::to_new_events(events, events::voice::encode, ctx, "op")}});
        REQUIRE(appended);
    }
    auto all = f.store->read_all(events::Checkpoint(), 100000);
    REQUIRE(all);
    app::VoiceModule* voice = nullptr;
    for (auto& m : f.modules)
        if (auto* v = dynamic_cast<app::VoiceModule*>(m.get())) voice = v;
    REQUIRE(voice);
    REQUIRE(voice->quality().service().ingest(*all));
}

}  // namespace

TEST_CASE("quality rules: created, read, changed, listed and deleted") {
    ApiFixture f;
    auto created = f.call("POST", "/v1/voice/quality/rules", kRule);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    CHECK(body_of(created).at("window_s").as_int64() == 900);               // a default
    CHECK(f.call("POST", "/v1/voice/quality/rules", kRule).status == 200);  // a retry
    auto one = f.call("GET", "/v1/voice/quality/rules/asr-uk");
    REQUIRE(one.status == 200);
    CHECK(s(body_of(one).at("scope")) == "route");
    auto changed = f.call("PATCH", "/v1/voice/quality/rules/asr-uk", R"({"threshold":30})");
    REQUIRE_MESSAGE(changed.status == 200, changed.body);
    CHECK(body_of(changed).at("threshold").as_int64() == 30);
    CHECK(body_of(changed).at("min_calls").as_int64() == 20);  // kept
    auto list = f.call("GET", "/v1/voice/quality/rules");
    REQUIRE(list.status == 200);
    CHECK(body_of(list).at("items").as_array().size() == 1);
    CHECK(f.call("DELETE", "/v1/voice/quality/rules/asr-uk").status == 200);
    CHECK(f.call("GET", "/v1/voice/quality/rules/asr-uk").status == 404);
}

TEST_CASE("quality: bad input is 4xx naming the field, the log unchanged") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/voice/quality/rules", kRule).status == 201);
    const auto before = f.log_size();
    check_problem(
        f,
        f.call("POST", "/v1/voice/quality/rules", R"({"rule_id":"x","name":"X","metric":"fast"})"),
        400, "metric", before);
    check_problem(
        f,
        f.call("POST", "/v1/voice/quality/rules", R"({"rule_id":"x","name":"X","threshold":150})"),
        400, "threshold", before);
    check_problem(
        f, f.call("POST", "/v1/voice/quality/rules", R"({"rule_id":"x","name":"X","window_s":0})"),
        400, "window_calls", before);
    check_problem(
        f,
        f.call("POST", "/v1/voice/quality/rules", R"({"rule_id":"x","name":"X","colour":"red"})"),
        400, "colour", before);
    check_problem(
        f, f.call("POST", "/v1/voice/quality/rules", R"({"rule_id":"asr-uk","name":"Other"})"), 409,
        "rule_id", before);
    check_problem(f, f.call("PATCH", "/v1/voice/quality/rules/asr-uk", R"({"rule_id":"y"})"), 400,
                  "rule_id", before);
    check_problem(f, f.call("POST", "/v1/voice/quality/alerts/none/acknowledge", ""), 404,
                  "alert_id", before);
    check_problem(f, f.call("GET", "/v1/voice/quality/figures?scope=planet"), 400, "scope", before);
}

TEST_CASE(
    "quality: 20 failed attempts show as an alert and in the figures, and it is acknowledged") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/voice/quality/rules", kRule).status == 201);
    failed_calls(f);
    auto alerts = f.call("GET", "/v1/voice/quality/alerts?status=open");
    REQUIRE(alerts.status == 200);
    const auto alerts_body = body_of(alerts);
    const auto& items = alerts_body.at("items").as_array();
    REQUIRE(items.size() == 1);
    CHECK(s(items[0].at("key")) == "route:uk/alpha");
    CHECK(items[0].at("action_active").as_bool());
    auto figures = f.call("GET", "/v1/voice/quality/figures?scope=route");
    REQUIRE(figures.status == 200);
    const auto figures_body = body_of(figures);
    const auto& rows = figures_body.at("items").as_array();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("attempts").as_int64() == 20);
    CHECK(rows[0].at("asr_percent").to_number<double>() == 0.0);
    CHECK(rows[0].at("acd_s").is_null());
    auto ack = f.call("POST", "/v1/voice/quality/alerts/asr-uk-1/acknowledge", "");
    REQUIRE_MESSAGE(ack.status == 200, ack.body);
    CHECK(s(body_of(ack).at("status")) == "acknowledged");
    CHECK(f.call("GET", "/v1/voice/quality/alerts?status=open").body.find("asr-uk-1") ==
          std::string::npos);
    CHECK(f.call("GET", "/v1/voice/quality/alerts/asr-uk-1").status == 200);
}
