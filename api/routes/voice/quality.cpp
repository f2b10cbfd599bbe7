// Route quality monitoring over HTTP (issue 14 item 6; core/voice/quality.hpp):
// /v1/voice/quality/rules (list, one, create, change, delete), /v1/voice/quality/alerts (list,
// one, acknowledge) and /v1/voice/quality/figures (the current figures per scope key). A rule
// body names the fields of `voice.quality.rule_created` (schemas/events/voice/); fields left
// out take their defaults on create and keep their values on change.
#include "api/routes/voice/quality.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/quality_codec.hpp"
#include "events/voice/quality_service.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

using QualityRoutes = std::vector<RouteDef<QualityApi>>;

/// The quality service (always there once the routes are).
core::Result<events::voice::QualityService*> quality_of(QualityApi& api) { return &api.quality; }

/// The decision context of a request's command: its caller is the actor.
core::DecisionContext context_of(QualityApi& api, const HttpRequest& request) {
    return decision_context(api.ctx, request, caller_of(request).actor);
}

/// `base` with the members the body names laid over it.
/// @errors Invalid naming `body` (not an object) or the first unknown or mistyped field, or
/// `rule_id` when a change names another id.
core::Result<QualityRule> overlay(const HttpRequest& r, const QualityRule& base, bool is_new) {
    SY_TRY(JsonBody::parse(r.body));
    json::object body;
    if (r.body.find_first_not_of(" \t\r\n") != std::string::npos)
        body = json::parse(r.body).as_object();
    const auto keys = events::voice::quality_rule_keys();
    auto merged = json::parse(events::voice::quality_rule_json(base)).as_object();
    for (const auto& member : body) {
        const std::string key(member.key());
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            return core::fail(Errc::Invalid, key, "is not a field of a quality rule");
        if (key == "rule_id" && !is_new && member.value() != json::value(base.rule_id))
            return core::fail(Errc::Invalid, key, "cannot change; it names the rule");
        merged[key] = member.value();
    }
    return events::voice::parse_quality_rule(json::serialize(merged));
}

json::object rule_object(const QualityRule& rule) {
    return json::parse(events::voice::quality_rule_json(rule)).as_object();
}

json::object alert_object(const QualityAlert& alert) {
    return json::parse(events::voice::quality_alert_json(alert)).as_object();
}

/// GET /v1/voice/quality/rules?cursor=&limit=: in id order.
core::Result<HttpResponse> list_rules(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto page = SY_TRY(page_query(r));
    const auto state = SY_TRY(quality->state());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, rule] : state.rules) items.emplace_back(id, rule_object(rule));
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/quality/rules/{id}
core::Result<HttpResponse> get_rule(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto id = SY_TRY(text_param(r));
    const auto state = SY_TRY(quality->state());
    auto it = state.rules.find(id);
    if (it == state.rules.end()) return not_found("quality rule", id);
    return json_ok(rule_object(it->second));
}

/// POST /v1/voice/quality/rules {<the rule's fields>}
core::Result<HttpResponse> create_rule(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    DefineQualityRule cmd;
    cmd.rule = SY_TRY(overlay(r, QualityRule{}, true));
    cmd.mode = RuleDefineMode::Create;
    auto o = SY_TRY(quality->execute(cmd, context_of(api, r)));
    return answer_created(rule_object(cmd.rule), o);
}

/// PATCH /v1/voice/quality/rules/{id}: the fields the body names change.
core::Result<HttpResponse> update_rule(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto id = SY_TRY(text_param(r));
    const auto state = SY_TRY(quality->state());
    auto it = state.rules.find(id);
    if (it == state.rules.end()) return not_found("quality rule", id);
    DefineQualityRule cmd;
    cmd.rule = SY_TRY(overlay(r, it->second, false));
    cmd.mode = RuleDefineMode::Update;
    auto o = SY_TRY(quality->execute(cmd, context_of(api, r)));
    return answer(200, rule_object(cmd.rule), o.positions);
}

/// DELETE /v1/voice/quality/rules/{id}
core::Result<HttpResponse> delete_rule(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    DeleteQualityRule cmd;
    cmd.rule_id = SY_TRY(text_param(r));
    auto o = SY_TRY(quality->execute(cmd, context_of(api, r)));
    return answer(200, {{"rule_id", cmd.rule_id}, {"deleted", true}}, o.positions);
}

/// GET /v1/voice/quality/alerts?status=open|acknowledged|resolved|active&cursor=&limit=: in id
/// order; `active` is open or acknowledged.
core::Result<HttpResponse> list_alerts(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto page = SY_TRY(page_query(r));
    const auto status = SY_TRY(
        enum_query(r, "status", {"any", "open", "acknowledged", "resolved", "active"}, "any"));
    const auto state = SY_TRY(quality->state());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, a] : state.alerts) {
        const std::string s = to_string(a.status);
        if (status == "active" ? a.status == AlertStatus::Resolved : status != "any" && status != s)
            continue;
        items.emplace_back(id, alert_object(a));
    }
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/quality/alerts/{id}
core::Result<HttpResponse> get_alert(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto id = SY_TRY(text_param(r));
    const auto state = SY_TRY(quality->state());
    auto it = state.alerts.find(id);
    if (it == state.alerts.end()) return not_found("alert", id);
    return json_ok(alert_object(it->second));
}

/// POST /v1/voice/quality/alerts/{id}/acknowledge
core::Result<HttpResponse> acknowledge_alert(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({}));
    AcknowledgeAlert cmd;
    cmd.alert_id = SY_TRY(text_param(r));
    auto o = SY_TRY(quality->execute(cmd, context_of(api, r)));
    const auto state = SY_TRY(quality->state());
    return answer(200, alert_object(state.alerts.at(cmd.alert_id)), o.positions);
}

/// GET /v1/voice/quality/figures?scope=carrier|route|destination&window_s=&window_calls=&
/// short_call_s=: every key of the scope with attempts, in key order.
core::Result<HttpResponse> figures(QualityApi& api, HttpRequest& r) {
    auto* quality = SY_TRY(quality_of(api));
    const auto scope_text =
        SY_TRY(enum_query(r, "scope", {"carrier", "route", "destination"}, "carrier"));
    QualityScope scope{};
    parse_quality_scope(scope_text, scope);
    QualityWindow window;
    window.seconds = SY_TRY(int_query(r, "window_s", 900, 0, 604800));
    window.calls = SY_TRY(int_query(r, "window_calls", 0, 0, 10000));
    if (window.seconds == 0 && window.calls == 0)
        return core::fail(Errc::Invalid, "window_calls",
                          "a window needs window_s or window_calls (or both)");
    json::array items;
    for (const auto& [key, f] : quality->figures(scope, window)) {
        auto num = [&](QualityMetric m) {
            auto v = f.value(m);
            return v ? json::value(*v) : json::value(nullptr);
        };
        items.push_back({{"key", key.text()},
                         {"scope", to_string(key.scope)},
                         {"carrier_id", key.carrier_id},
                         {"subject", key.subject},
                         {"attempts", f.attempts},
                         {"answered", f.answered},
                         {"ended", f.ended},
                         {"asr_percent", num(QualityMetric::Asr)},
                         {"ner_percent", num(QualityMetric::Ner)},
                         {"acd_s", num(QualityMetric::Acd)},
                         {"pdd_ms", num(QualityMetric::Pdd)},
                         {"short_call_percent", num(QualityMetric::ShortCalls)}});
    }
    return json_ok({{"scope", scope_text},
                    {"window_s", window.seconds},
                    {"window_calls", window.calls},
                    {"items", std::move(items)}});
}

QualityRoutes quality_routes() {
    const auto& read = voice_roles::operator_read;
    return {
        {"GET", "/v1/voice/quality/rules", read, list_rules,
         "Route quality rules in id order, cursor-paginated."},
        {"GET", "/v1/voice/quality/rules/{id}", read, get_rule, "One route quality rule."},
        {"POST", "/v1/voice/quality/rules", roles::admin, create_rule,
         "Creates a route quality rule (metric, comparison, threshold, window, minimum calls, "
         "scope, action)."},
        {"PATCH", "/v1/voice/quality/rules/{id}", roles::admin, update_rule,
         "Changes the fields the body names; the rule's active alerts resolve."},
        {"DELETE", "/v1/voice/quality/rules/{id}", roles::admin, delete_rule,
         "Deletes the rule; its active alerts resolve and their actions are restored."},
        {"GET", "/v1/voice/quality/alerts", read, list_alerts,
         "Route quality alerts in id order (?status=open|acknowledged|resolved|active), "
         "cursor-paginated."},
        {"GET", "/v1/voice/quality/alerts/{id}", read, get_alert, "One route quality alert."},
        {"POST", "/v1/voice/quality/alerts/{id}/acknowledge", read, acknowledge_alert,
         "Acknowledges an open alert (its action stays)."},
        {"GET", "/v1/voice/quality/figures", read, figures,
         "ASR, NER, ACD, PDD and short-call ratio per carrier, route or destination key over a "
         "window (?scope=&window_s=&window_calls=)."},
    };
}

}  // namespace

}  // namespace switchyard::api::voice

namespace switchyard::api {

void add_quality_routes(Router& router, QualityApi& api) {
    add_routes(router, api, "voice", voice::quality_routes());
}

}  // namespace switchyard::api
