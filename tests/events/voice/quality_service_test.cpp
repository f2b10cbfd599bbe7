// The quality service on the memory log: call events appended as Kamailio's reports would be,
// the rules evaluated over them, alerts and actions appended to `voice_quality-<tenant>` and
// read back by routing's verdict; notifications handed to the webhook hook; recovery by the
// ticker's evaluation; the codec of every quality event.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "events/command_handler.hpp"
#include "events/envelope_codec.hpp"
#include "events/memory_event_store.hpp"
#include "events/voice/call_codec.hpp"
#include "events/voice/quality_codec.hpp"
#include "events/voice/quality_service.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;
using switchyard::testing::FixedClock;

namespace {

const Timestamp kStart = from_unix_seconds(1'767'268'800);  // 2026-01-01T12:00:00Z

DecisionContext ctx_at(Timestamp t, const std::string& who = "ops") {
    DecisionContext c;
    c.now = t;
    c.actor = Actor{ActorKind::User, who, ""};
    c.correlation_id = "req-" + who;
    return c;
}

/// Appends one call's events to its own stream, as the call service would.
void append_call(EventStore& store, const std::vector<CallEvent>& events, Timestamp t) {
    const auto stream = "voice_call-t1-" + std::visit(
                                               [](const auto& e) {
                                                   if constexpr (requires { e.call_id; })
                                                       return e.call_id;
                                                   else
                                                       return e.setup.call_id;
                                               },
                                               events.front());
    auto r = store.append(
        {{stream, ExpectedRevision{}, to_new_events(events, encode, ctx_at(t, "kamailio"), "t1")}});
    REQUIRE(r);
}

CallRouted routed(const std::string& call_id, Timestamp t) {
    CallRouted e;
    e.setup.call_id = call_id;
    e.setup.setup_at = t;
    e.plan.route_id = "uk";
    e.plan.route_prefix = "44";
    for (const char* c : {"alpha", "beta"}) {
        RouteOption o;
        o.carrier_id = c;
        o.gateway_id = std::string(c) + "-gw";
        e.plan.routes.push_back(o);
    }
    return e;
}

/// `n` calls whose first attempt (alpha) fails 503 and whose second (beta) answers.
void failover_calls(EventStore& store, int n, Timestamp t0, const std::string& tag = "c") {
    for (int i = 0; i < n; ++i) {
        const auto id = tag + std::to_string(i);
        const auto t = t0 + std::chrono::seconds(i);
        append_call(store,
                    {routed(id, t), CallAttemptFailed{id, 1, "alpha", "alpha-gw", 503, "", t},
                     CallAnswered{id, 2, "beta", "beta-gw", t, 900},
                     CallEnded{id, t + std::chrono::seconds(30), 30, "caller_bye"}},
                    t);
    }
}

QualityRule disable_rule() {
    QualityRule r;
    r.rule_id = "asr-low";
    r.name = "ASR under 20% on a route";
    r.metric = QualityMetric::Asr;
    r.threshold = 20;
    r.window_s = 900;
    r.min_calls = 20;
    r.scope = QualityScope::Route;
    r.action = QualityActionKind::Disable;
    r.restore_after_s = 300;
    return r;
}

core::Result<void> ingest_all(QualityService& q, EventStore& store) {
    auto all = store.read_all(Checkpoint(), 100000);
    if (!all) return tl::unexpected(all.error());
    return q.ingest(*all);
}

std::vector<std::string> types_of(EventStore& store, const std::string& stream) {
    std::vector<std::string> out;
    const auto events = store.read_stream(stream, 0, 1000);
    REQUIRE(events);
    for (const auto& e : *events) out.push_back(e.type);
    return out;
}

}  // namespace

TEST_CASE("20 failed attempts on a route open an alert, disable the carrier and notify") {
    auto store = make_memory_event_store();
    FixedClock clock(kStart + std::chrono::seconds(60));
    std::vector<std::string> notified;
    QualityServiceOptions options;
    options.tenant = "t1";
    options.tick_ms = 0;
    options.on_alert = [&](const QualityAlert& a, const std::string& type) {
        notified.push_back(type + " " + a.alert_id);
    };
    QualityService quality(*store, clock, options);
    REQUIRE(quality.execute(DefineQualityRule{disable_rule()}, ctx_at(kStart)));

    failover_calls(*store, 20, kStart);
    REQUIRE(ingest_all(quality, *store));

    CHECK(types_of(*store, quality_stream("t1")) ==
          std::vector<std::string>{"voice.quality.rule_created", "voice.quality.alert_opened",
                                   "voice.quality.route_action_applied"});
    const auto state = *quality.state();
    REQUIRE(state.alerts.count("asr-low-1"));
    const auto& alert = state.alerts.at("asr-low-1");
    CHECK(alert.key.text() == "route:uk/alpha");
    CHECK(alert.calls == 20);
    CHECK(alert.action_active);
    CHECK(notified == std::vector<std::string>{"voice.quality.alert_opened asr-low-1"});

    const auto route_quality = quality.route_quality();
    CHECK(route_quality("uk", "44", "alpha").disabled);
    CHECK_FALSE(route_quality("uk", "44", "beta").disabled);
    CHECK_FALSE(route_quality("fr", "33", "alpha").disabled);

    // The figures routing's `quality` strategy reads.
    const auto source = quality.quality_source();
    REQUIRE(source("beta"));
    CHECK(source("beta")->asr_percent == doctest::Approx(100.0));
    CHECK(source("beta")->acd_s == doctest::Approx(30.0));
    CHECK(source("beta")->pdd_ms == 900);
    CHECK(source("alpha")->asr_percent == doctest::Approx(0.0));
    CHECK_FALSE(source("gamma"));

    const auto routes = quality.figures(QualityScope::Route, {900, 0});
    REQUIRE(routes.size() == 2);
    CHECK(routes[0].first.text() == "route:uk/alpha");
    CHECK(routes[0].second.attempts == 20);

    // Feeding the same events again decides nothing new.
    REQUIRE(ingest_all(quality, *store));
    CHECK(types_of(*store, quality_stream("t1")).size() == 3);
}

TEST_CASE("a disabled carrier with no traffic is restored by the ticker's evaluation") {
    auto store = make_memory_event_store();
    FixedClock clock(kStart + std::chrono::seconds(30));
    std::vector<std::string> notified;
    QualityServiceOptions options;
    options.tenant = "t1";
    options.tick_ms = 0;
    options.on_alert = [&](const QualityAlert& a, const std::string& type) {
        notified.push_back(type + " " + a.alert_id + " " + a.resolution);
    };
    QualityService quality(*store, clock, options);
    REQUIRE(quality.execute(DefineQualityRule{disable_rule()}, ctx_at(kStart)));
    failover_calls(*store, 20, kStart);
    REQUIRE(ingest_all(quality, *store));
    REQUIRE(quality.route_quality()("uk", "44", "alpha").disabled);
    REQUIRE(quality.execute(AcknowledgeAlert{"asr-low-1"}, ctx_at(kStart)));

    clock.advance(std::chrono::seconds(299));
    REQUIRE(quality.evaluate());
    CHECK(quality.route_quality()("uk", "44", "alpha").disabled);
    clock.advance(std::chrono::seconds(1));
    REQUIRE(quality.evaluate());
    CHECK_FALSE(quality.route_quality()("uk", "44", "alpha").disabled);
    const auto types = types_of(*store, quality_stream("t1"));
    REQUIRE(types.size() == 6);
    CHECK(types[3] == "voice.quality.alert_acknowledged");
    CHECK(types[4] == "voice.quality.alert_resolved");
    CHECK(types[5] == "voice.quality.route_action_restored");
    CHECK(notified.back() == "voice.quality.alert_resolved asr-low-1 no_traffic");

    // Every other quality event, then the whole log as NDJSON for the schema check
    // (schema:quality_events_match_schemas).
    REQUIRE(quality.record(QualityNotificationDelivered{
        "asr-low-1", "voice.quality.alert_opened", "http://h.example/x", 2, 200, "", clock.now()}));
    REQUIRE(quality.record(QualityNotificationFailed{"asr-low-1", "voice.quality.alert_resolved",
                                                     "http://h.example/x", 3, 503, "HTTP 503",
                                                     clock.now()}));
    auto changed = disable_rule();
    changed.threshold = 30;
    REQUIRE(quality.execute(DefineQualityRule{changed, RuleDefineMode::Update}, ctx_at(kStart)));
    REQUIRE(quality.execute(DeleteQualityRule{"asr-low"}, ctx_at(kStart)));
    CHECK(types_of(*store, quality_stream("t1")).size() == 10);
    std::string ndjson;
    const auto all = store->read_all(Checkpoint(), 100000);
    REQUIRE(all);
    for (const auto& e : *all) ndjson += encode_envelope(e) + "\n";
#ifdef SY_EVENTS_OUT_QUALITY
    std::ofstream(SY_EVENTS_OUT_QUALITY) << ndjson;
#endif
}

TEST_CASE("acknowledging, updating and deleting through the service") {
    auto store = make_memory_event_store();
    FixedClock clock(kStart + std::chrono::seconds(30));
    QualityServiceOptions options;
    options.tenant = "t1";
    options.tick_ms = 0;
    QualityService quality(*store, clock, options);
    REQUIRE(quality.execute(DefineQualityRule{disable_rule()}, ctx_at(kStart)));
    failover_calls(*store, 20, kStart);
    REQUIRE(ingest_all(quality, *store));

    auto ack = quality.execute(AcknowledgeAlert{"asr-low-1"}, ctx_at(kStart, "alice"));
    REQUIRE(ack);
    CHECK(ack->changed);
    CHECK(quality.state()->alerts.at("asr-low-1").acknowledged_by == "alice");
    CHECK(error_of(quality.execute(AcknowledgeAlert{"nope"}, ctx_at(kStart))).field == "alert_id");

    auto bad = disable_rule();
    bad.min_calls = 0;
    CHECK(error_of(quality.execute(DefineQualityRule{bad, RuleDefineMode::Update}, ctx_at(kStart)))
              .field == "min_calls");

    REQUIRE(quality.execute(DeleteQualityRule{"asr-low"}, ctx_at(kStart)));
    CHECK_FALSE(quality.route_quality()("uk", "44", "alpha").disabled);
    CHECK(quality.state()->rules.empty());
    CHECK(quality.state()->alerts.at("asr-low-1").resolution == "rule_deleted");
}

TEST_CASE("started on a log, it counts what the log held and evaluates once caught up") {
    auto store = make_memory_event_store();
    FixedClock clock(kStart + std::chrono::seconds(60));
    QualityServiceOptions options;
    options.tenant = "t1";
    options.tick_ms = 0;
    {
        QualityService first(*store, clock, options);
        REQUIRE(first.execute(DefineQualityRule{disable_rule()}, ctx_at(kStart)));
    }
    failover_calls(*store, 20, kStart);
    QualityService quality(*store, clock, options);
    quality.start();
    bool disabled = false;
    for (int i = 0; i < 200 && !disabled; ++i) {
        disabled = quality.route_quality()("uk", "44", "alpha").disabled;
        if (!disabled) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(disabled);
    // Live: new failures on another route open their own alert.
    auto other = disable_rule();
    other.rule_id = "asr-low-b";
    other.route_id = "uk";
    REQUIRE(quality.execute(DefineQualityRule{other}, ctx_at(kStart)));
    bool opened = false;
    for (int i = 0; i < 200 && !opened; ++i) {
        failover_calls(*store, 1, kStart + std::chrono::seconds(21 + i), "x" + std::to_string(i));
        opened = quality.state()->alerts.count("asr-low-b-1") > 0;
        if (!opened) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(opened);
    quality.stop();
    CHECK(types_of(*store, quality_stream("t1"))[1] == "voice.quality.alert_opened");
}

TEST_CASE("every quality event round-trips through its codec") {
    QualityAlert a;
    a.alert_id = "r-1";
    a.rule_id = "r";
    a.key = {QualityScope::Destination, "alpha", "44"};
    a.metric = QualityMetric::Pdd;
    a.comparison = QualityComparison::Above;
    a.threshold = 5000;
    a.value_milli = 6'000'500;
    a.calls = 21;
    a.status = AlertStatus::Acknowledged;
    a.opened_at = kStart;
    a.acknowledged_at = kStart + std::chrono::seconds(5);
    a.acknowledged_by = "ops";
    a.action = QualityActionKind::LowerPriority;
    a.action_active = true;
    RecordedEvent r;
    const auto enc = encode(QualityEvent{QualityAlertOpened{a}});
    r.type = enc.type;
    r.schema = enc.schema;
    r.data = enc.data;
    auto back = decode_quality_event(r);
    REQUIRE(back);
    const auto& b = std::get<QualityAlertOpened>(*back).alert;
    CHECK(b.key == a.key);
    CHECK(b.metric == a.metric);
    CHECK(b.comparison == a.comparison);
    CHECK(b.value_milli == a.value_milli);
    CHECK(b.acknowledged_at == a.acknowledged_at);
    CHECK(b.status == a.status);
    CHECK(b.action == a.action);
    CHECK(b.action_active);

    auto rule = disable_rule();
    rule.prefix = "";
    rule.carrier_id = "alpha";
    const auto text = quality_rule_json(rule);
    auto parsed = parse_quality_rule(text);
    REQUIRE(parsed);
    CHECK(*parsed == rule);
    CHECK(quality_rule_keys().size() == 17);
    r.type = "voice.quality.rule_created";
    r.data = R"({"rule_id":"x","metric":"fast"})";
    CHECK(decode_quality_event(r).error().code == Errc::Invalid);
}
