// Route quality (core/voice/quality.hpp): the figures of each metric over time and count
// windows, computed by hand from the attempts fed in; rules opening, resolving and restoring;
// the verdict routing reads; and the rule and alert commands.
#include <doctest/doctest.h>

#include "core/voice/lcr.hpp"
#include "core/voice/quality.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(1'767'268'800 + s); }

/// A call routed over `carriers` (in order) on route `r1`, prefix `44`.
CallRouted routed(const std::string& call_id, std::int64_t t,
                  std::vector<std::string> carriers = {"alpha", "beta"},
                  std::string route_id = "r1", std::string prefix = "44") {
    CallRouted e;
    e.setup.call_id = call_id;
    e.setup.setup_at = at(t);
    e.plan.route_id = std::move(route_id);
    e.plan.route_prefix = std::move(prefix);
    for (auto& c : carriers) {
        RouteOption o;
        o.carrier_id = c;
        o.gateway_id = c + "-gw";
        e.plan.routes.push_back(o);
    }
    return e;
}

CallAttemptFailed failed_attempt(const std::string& call_id, std::int64_t t, int code,
                                 const std::string& carrier = "alpha", std::int64_t attempt = 1) {
    return CallAttemptFailed{call_id, attempt, carrier, carrier + "-gw", code, "", at(t)};
}

CallAnswered answered(const std::string& call_id, std::int64_t t, std::int64_t pdd_ms,
                      const std::string& carrier = "alpha", std::int64_t attempt = 1) {
    return CallAnswered{call_id, attempt, carrier, carrier + "-gw", at(t), pdd_ms};
}

CallEnded ended(const std::string& call_id, std::int64_t t, std::int64_t billsec) {
    return CallEnded{call_id, at(t), billsec, "caller_bye"};
}

const QualityKey kAlpha{QualityScope::Carrier, "alpha", ""};
const QualityKey kAlphaOnR1{QualityScope::Route, "alpha", "r1"};
const QualityKey kAlphaTo44{QualityScope::Destination, "alpha", "44"};

/// `n` calls to alpha that fail with `code`, one per second from `t0`.
void fail_calls(QualityTracker& t, int n, std::int64_t t0, int code = 503,
                const std::string& tag = "f") {
    for (int i = 0; i < n; ++i) {
        const auto id = tag + std::to_string(i);
        t.apply(routed(id, t0 + i));
        t.apply(failed_attempt(id, t0 + i, code));
    }
}

/// `n` answered calls to alpha lasting `billsec`, PDD `pdd_ms`, one per second from `t0`.
void answer_calls(QualityTracker& t, int n, std::int64_t t0, std::int64_t billsec,
                  std::int64_t pdd_ms = 1000, const std::string& tag = "a") {
    for (int i = 0; i < n; ++i) {
        const auto id = tag + std::to_string(i);
        t.apply(routed(id, t0 + i));
        t.apply(answered(id, t0 + i, pdd_ms));
        t.apply(ended(id, t0 + i, billsec));
    }
}

QualityRule asr_rule(QualityActionKind action = QualityActionKind::Disable) {
    QualityRule r;
    r.rule_id = "asr-low";
    r.name = "ASR below 20%";
    r.metric = QualityMetric::Asr;
    r.comparison = QualityComparison::Below;
    r.threshold = 20;
    r.window_s = 900;
    r.min_calls = 20;
    r.scope = QualityScope::Route;
    r.action = action;
    r.restore_after_s = 600;
    return r;
}

QualityState with_rule(const QualityRule& r) {
    QualityState s;
    evolve(s, QualityRuleCreated{r});
    return s;
}

void apply_all(QualityState& s, const std::vector<QualityEvent>& events) {
    for (const auto& e : events) evolve(s, e);
}

template <class E>
int count_of(const std::vector<QualityEvent>& events) {
    int n = 0;
    for (const auto& e : events) n += std::holds_alternative<E>(e) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("ASR and NER count attempts, and a user-side cause is delivered for NER only") {
    QualityTracker t;
    answer_calls(t, 2, 0, 30);
    t.apply(routed("busy", 10));
    t.apply(failed_attempt("busy", 10, 486));  // user busy: network delivered it
    t.apply(routed("down", 11));
    t.apply(failed_attempt("down", 11, 503));  // network failure
    const auto f = t.figures(kAlpha, {900, 0}, at(20));
    CHECK(f.attempts == 4);
    CHECK(f.answered == 2);
    CHECK(f.asr_percent == doctest::Approx(50.0));
    CHECK(f.ner_percent == doctest::Approx(75.0));
    CHECK(*f.value(QualityMetric::Ner) == doctest::Approx(75.0));
    for (int code : {486, 480, 487, 603, 404}) CHECK(user_side_cause(code));
    for (int code : {408, 500, 502, 503, 504}) CHECK_FALSE(user_side_cause(code));
}

TEST_CASE("ACD, PDD and the short-call ratio come from answered calls that ended") {
    QualityTracker t;
    answer_calls(t, 2, 0, 60, 800, "long");
    answer_calls(t, 2, 10, 4, 1200, "short");
    t.apply(routed("up", 20));
    t.apply(answered("up", 20, 2000));  // answered, not ended: PDD counts, ACD waits
    const auto f = t.figures(kAlpha, {900, 0}, at(30), 10);
    CHECK(f.ended == 4);
    CHECK(f.acd_s == doctest::Approx(32.0));  // (60+60+4+4)/4
    CHECK(f.pdd_ms == doctest::Approx((800 * 2 + 1200 * 2 + 2000) / 5.0));
    CHECK(f.short_call_percent == doctest::Approx(50.0));  // 2 of 4 under 10 s
    CHECK(f.basis(QualityMetric::Acd) == 4);
    CHECK(f.basis(QualityMetric::Pdd) == 5);
    CHECK(f.basis(QualityMetric::Asr) == 5);
    QualityTracker empty;
    CHECK_FALSE(empty.figures(kAlpha, {900, 0}, at(30)).value(QualityMetric::Acd));
}

TEST_CASE("a time window keeps the recent attempts, a count window the last N") {
    QualityTracker t;
    fail_calls(t, 10, 0);           // t = 0..9, failed
    answer_calls(t, 10, 1000, 30);  // t = 1000..1009, answered
    CHECK(t.figures(kAlpha, {60, 0}, at(1010)).attempts == 10);
    CHECK(t.figures(kAlpha, {60, 0}, at(1010)).asr_percent == doctest::Approx(100.0));
    CHECK(t.figures(kAlpha, {0, 0}, at(1010)).attempts == 0 + 20);  // no bound: all
    const auto last5 = t.figures(kAlpha, {0, 5}, at(1010));
    CHECK(last5.attempts == 5);
    CHECK(last5.answered == 5);
    const auto both = t.figures(kAlpha, {3600, 15}, at(1010));
    CHECK(both.attempts == 15);
    CHECK(both.answered == 10);
    // Time moves on: the window empties.
    CHECK(t.figures(kAlpha, {60, 0}, at(5000)).attempts == 0);
}

TEST_CASE("attempts are grouped per carrier, per route and per destination prefix") {
    QualityTracker t;
    t.apply(routed("c1", 0));
    const auto touched = t.apply(failed_attempt("c1", 1, 503));
    CHECK(touched.size() == 3);
    t.apply(answered("c1", 2, 500, "beta", 2));
    t.apply(routed("c2", 3, {"alpha"}, "r2", "33"));
    t.apply(failed_attempt("c2", 4, 503));
    CHECK(t.figures(kAlpha, {900, 0}, at(10)).attempts == 2);
    CHECK(t.figures(kAlphaOnR1, {900, 0}, at(10)).attempts == 1);
    CHECK(t.figures({QualityScope::Route, "alpha", "r2"}, {900, 0}, at(10)).attempts == 1);
    CHECK(t.figures(kAlphaTo44, {900, 0}, at(10)).attempts == 1);
    CHECK(t.figures({QualityScope::Route, "beta", "r1"}, {900, 0}, at(10)).answered == 1);
    CHECK(t.keys(QualityScope::Route).size() == 3);
}

TEST_CASE(
    "a repeated report counts once, and a cancelled call without attempts counts on route 1") {
    QualityTracker t;
    t.apply(routed("c1", 0));
    t.apply(failed_attempt("c1", 1, 503));
    CHECK(t.apply(failed_attempt("c1", 1, 503)).empty());
    t.apply(routed("c2", 2));
    t.apply(CallFailed{"c2", 487, "cancelled", at(3)});
    const auto f = t.figures(kAlpha, {900, 0}, at(10));
    CHECK(f.attempts == 2);
    CHECK(f.delivered == 1);  // the 487
    // A call failed after attempts adds nothing more.
    t.apply(CallFailed{"c1", 503, "", at(4)});
    CHECK(t.figures(kAlpha, {900, 0}, at(10)).attempts == 2);
}

TEST_CASE("20 failed calls open an alert and disable the carrier on the route") {
    QualityTracker t;
    auto s = with_rule(asr_rule());
    fail_calls(t, 19, 0);
    CHECK(evaluate(s, t, at(30)).empty());  // 19 < min_calls: the figure does not count
    fail_calls(t, 1, 19, 503, "g");
    const auto events = evaluate(s, t, at(30));
    REQUIRE(events.size() == 2);
    const auto& opened = std::get<QualityAlertOpened>(events[0]).alert;
    CHECK(opened.alert_id == "asr-low-1");
    CHECK(opened.key == kAlphaOnR1);
    CHECK(opened.value_milli == 0);
    CHECK(opened.calls == 20);
    const auto& applied = std::get<QualityRouteActionApplied>(events[1]);
    CHECK(applied.action == QualityActionKind::Disable);
    apply_all(s, events);
    CHECK(s.alerts.at("asr-low-1").action_active);
    CHECK(evaluate(s, t, at(31)).empty());  // already open: nothing twice

    const auto v = verdict(s.actions, "r1", "44", "alpha");
    CHECK(v.disabled);
    CHECK(v.alert_id == "asr-low-1");
    CHECK_FALSE(verdict(s.actions, "r2", "44", "alpha").disabled);  // another route
    CHECK_FALSE(verdict(s.actions, "r1", "44", "beta").disabled);   // another carrier
}

TEST_CASE("a disabled route with no traffic is restored after restore_after_s") {
    QualityTracker t;
    auto s = with_rule(asr_rule());
    fail_calls(t, 20, 0);
    apply_all(s, evaluate(s, t, at(20)));
    CHECK(evaluate(s, t, at(20 + 599)).empty());
    const auto events = evaluate(s, t, at(20 + 600));
    REQUIRE(events.size() == 2);
    CHECK(std::get<QualityAlertResolved>(events[0]).resolution == "no_traffic");
    CHECK(std::holds_alternative<QualityRouteActionRestored>(events[1]));
    apply_all(s, events);
    CHECK(s.actions.empty());
    CHECK(s.active.empty());
    CHECK(s.alerts.at("asr-low-1").status == AlertStatus::Resolved);
}

TEST_CASE("a lowered route recovers when its figure no longer breaches") {
    QualityTracker t;
    auto rule = asr_rule(QualityActionKind::LowerPriority);
    rule.window_calls = 20;  // the last 20 attempts
    auto s = with_rule(rule);
    fail_calls(t, 20, 0);
    apply_all(s, evaluate(s, t, at(20)));
    CHECK(verdict(s.actions, "r1", "44", "alpha").lowered);
    answer_calls(t, 10, 30, 30);  // 10 of the last 20 answered: 50% ASR
    const auto events = evaluate(s, t, at(40));
    REQUIRE(events.size() == 2);
    const auto& resolved = std::get<QualityAlertResolved>(events[0]);
    CHECK(resolved.resolution == "recovered");
    CHECK(resolved.value_milli == 50'000);
    apply_all(s, events);
    CHECK_FALSE(verdict(s.actions, "r1", "44", "alpha").lowered);
    // Failing again opens a second alert.
    fail_calls(t, 20, 100, 503, "again");
    const auto again = evaluate(s, t, at(130));
    REQUIRE(count_of<QualityAlertOpened>(again) == 1);
    CHECK(std::get<QualityAlertOpened>(again[0]).alert.alert_id == "asr-low-2");
}

TEST_CASE("without restore the action stays after the alert resolves") {
    QualityTracker t;
    auto rule = asr_rule();
    rule.restore = false;
    auto s = with_rule(rule);
    fail_calls(t, 20, 0);
    apply_all(s, evaluate(s, t, at(20)));
    const auto events = evaluate(s, t, at(20 + 600));
    CHECK(count_of<QualityAlertResolved>(events) == 1);
    CHECK(count_of<QualityRouteActionRestored>(events) == 0);
    apply_all(s, events);
    CHECK(verdict(s.actions, "r1", "44", "alpha").disabled);
    // Deleting the rule restores it.
    auto del = decide(s, DeleteQualityRule{"asr-low"}, DecisionContext{});
    REQUIRE(del);
    apply_all(s, *del);
    CHECK(s.actions.size() == 1);  // resolved alerts are not touched by a delete
}

TEST_CASE("each metric and comparison opens its alert, and filters pick the keys") {
    QualityTracker t;
    answer_calls(t, 20, 0, 3, 6000);  // short calls, slow setup
    auto rule_for = [](const char* id, QualityMetric m, QualityComparison c, std::int64_t th) {
        QualityRule r;
        r.rule_id = id;
        r.name = id;
        r.metric = m;
        r.comparison = c;
        r.threshold = th;
        r.min_calls = 20;
        return r;
    };
    QualityState s;
    evolve(s,
           QualityRuleCreated{rule_for("acd", QualityMetric::Acd, QualityComparison::Below, 10)});
    evolve(s,
           QualityRuleCreated{rule_for("pdd", QualityMetric::Pdd, QualityComparison::Above, 5000)});
    evolve(s, QualityRuleCreated{
                  rule_for("short", QualityMetric::ShortCalls, QualityComparison::Above, 50)});
    evolve(s,
           QualityRuleCreated{rule_for("ner", QualityMetric::Ner, QualityComparison::Below, 90)});
    auto other = rule_for("beta-only", QualityMetric::Acd, QualityComparison::Below, 10);
    other.carrier_id = "beta";
    evolve(s, QualityRuleCreated{other});
    const auto events = evaluate(s, t, at(30));
    std::vector<std::string> opened;
    for (const auto& e : events)
        if (auto* o = std::get_if<QualityAlertOpened>(&e)) opened.push_back(o->alert.rule_id);
    CHECK(opened == std::vector<std::string>{"acd", "pdd", "short"});  // NER is 100%
}

TEST_CASE("rules are validated naming the field, and created once") {
    auto r = asr_rule();
    r.threshold = 101;
    CHECK(error_of(check_rule(r)).field == "threshold");
    r = asr_rule();
    r.window_s = 0;
    CHECK(error_of(check_rule(r)).field == "window_calls");
    r = asr_rule();
    r.prefix = "44";
    CHECK(error_of(check_rule(r)).field == "prefix");
    r = asr_rule();
    r.rule_id = "Bad Id";
    CHECK(error_of(check_rule(r)).field == "rule_id");
    r = asr_rule();
    r.min_calls = 0;
    CHECK(error_of(check_rule(r)).field == "min_calls");

    QualityState s;
    auto created = decide(s, DefineQualityRule{asr_rule(), RuleDefineMode::Create}, {});
    REQUIRE(created);
    apply_all(s, *created);
    auto again = decide(s, DefineQualityRule{asr_rule(), RuleDefineMode::Create}, {});
    REQUIRE(again);
    CHECK(again->empty());
    auto changed = asr_rule();
    changed.threshold = 30;
    CHECK(error_of(decide(s, DefineQualityRule{changed, RuleDefineMode::Create}, {})).code ==
          Errc::Conflict);
    auto updated = decide(s, DefineQualityRule{changed, RuleDefineMode::Update}, {});
    REQUIRE(updated);
    CHECK(count_of<QualityRuleUpdated>(*updated) == 1);
    changed.rule_id = "nope";
    CHECK(error_of(decide(s, DefineQualityRule{changed, RuleDefineMode::Update}, {})).code ==
          Errc::NotFound);
}

TEST_CASE("an open alert is acknowledged once, and a resolved one cannot be") {
    QualityTracker t;
    auto s = with_rule(asr_rule());
    fail_calls(t, 20, 0);
    apply_all(s, evaluate(s, t, at(20)));
    DecisionContext ctx;
    ctx.now = at(25);
    ctx.actor.id = "ops";
    auto ack = decide(s, AcknowledgeAlert{"asr-low-1"}, ctx);
    REQUIRE(ack);
    REQUIRE(ack->size() == 1);
    apply_all(s, *ack);
    CHECK(s.alerts.at("asr-low-1").status == AlertStatus::Acknowledged);
    CHECK(s.alerts.at("asr-low-1").acknowledged_by == "ops");
    CHECK(decide(s, AcknowledgeAlert{"asr-low-1"}, ctx)->empty());
    CHECK(verdict(s.actions, "r1", "44", "alpha").disabled);  // the action stays
    CHECK(error_of(decide(s, AcknowledgeAlert{"zz"}, ctx)).code == Errc::NotFound);
    apply_all(s, evaluate(s, t, at(20 + 600)));
    CHECK(error_of(decide(s, AcknowledgeAlert{"asr-low-1"}, ctx)).code == Errc::Rejected);
}

TEST_CASE("updating a rule resolves its alerts and restores their actions") {
    QualityTracker t;
    auto s = with_rule(asr_rule());
    fail_calls(t, 20, 0);
    apply_all(s, evaluate(s, t, at(20)));
    auto changed = asr_rule();
    changed.threshold = 10;
    auto events = decide(s, DefineQualityRule{changed, RuleDefineMode::Update}, {});
    REQUIRE(events);
    CHECK(count_of<QualityAlertResolved>(*events) == 1);
    CHECK(count_of<QualityRouteActionRestored>(*events) == 1);
    apply_all(s, *events);
    CHECK(s.actions.empty());
}

TEST_CASE("a destination-scope action applies to the carrier on every route of the prefix") {
    std::map<std::string, RouteAction> actions;
    actions["d-1"] = RouteAction{
        "d-1", {QualityScope::Destination, "alpha", "44"}, QualityActionKind::LowerPriority};
    actions["c-1"] =
        RouteAction{"c-1", {QualityScope::Carrier, "beta", ""}, QualityActionKind::Disable};
    CHECK(verdict(actions, "r1", "44", "alpha").lowered);
    CHECK(verdict(actions, "r9", "44", "alpha").lowered);
    CHECK_FALSE(verdict(actions, "r1", "33", "alpha").lowered);
    CHECK(verdict(actions, "anything", "1", "beta").disabled);
}

namespace {

Candidate priced(const std::string& id, Micros buy) {
    Candidate c;
    c.entry = {id, 0, 1, 0};
    Carrier carrier;
    carrier.carrier_id = id;
    carrier.name = id;
    carrier.trunk_hosts = {id + ".example"};
    carrier.currency = "EUR";
    c.carrier = carrier;
    Gateway g;
    g.gateway_id = id + "-gw";
    g.carrier_id = id;
    g.host = id + ".example";
    c.gateways = {g};
    c.buy = BuyPrice{buy, "44", "EUR"};
    return c;
}

RankRequest least_cost(std::vector<Candidate> candidates) {
    RankRequest r;
    r.group.route_group_id = "std";
    r.group.name = "Standard";
    r.group.max_attempts = 10;
    r.destination = "441234";
    r.route_id = "r1";
    r.route_prefix = "44";
    r.currency = "EUR";
    r.candidates = std::move(candidates);
    return r;
}

}  // namespace

TEST_CASE("routing skips a carrier quality disabled and puts a lowered one last") {
    LoadShareState load;
    std::mt19937_64 rng(1);
    auto cheap = priced("alpha", 1000);
    cheap.quality_disabled = true;
    cheap.quality_alert = "asr-low-1";
    auto plan = rank(least_cost({cheap, priced("beta", 2000)}), load, rng);
    REQUIRE(plan.routes.size() == 1);
    CHECK(plan.routes[0].carrier_id == "beta");
    CHECK(plan.route_id == "r1");
    CHECK(plan.route_prefix == "44");
    REQUIRE(plan.skipped.size() == 1);
    CHECK(plan.skipped[0].reason == "quality_disabled");
    CHECK(plan.skipped[0].detail.find("asr-low-1") != std::string::npos);

    auto lowered = priced("alpha", 1000);
    lowered.quality_lowered = true;
    lowered.quality_alert = "asr-low-2";
    plan = rank(least_cost({lowered, priced("beta", 2000), priced("gamma", 3000)}), load, rng);
    REQUIRE(plan.routes.size() == 3);
    CHECK(plan.routes[0].carrier_id == "beta");
    CHECK(plan.routes[1].carrier_id == "gamma");
    CHECK(plan.routes[2].carrier_id == "alpha");
    CHECK(plan.routes[2].why.find("lowered by route quality alert 'asr-low-2'") !=
          std::string::npos);
}
