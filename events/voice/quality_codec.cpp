#include "events/voice/quality_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

auto rule_table() {
    return fields(
        field("rule_id", &QualityRule::rule_id), field("name", &QualityRule::name),
        field("metric", &QualityRule::metric, parse_quality_metric),
        field("comparison", &QualityRule::comparison, parse_quality_comparison),
        field("threshold", &QualityRule::threshold), field("window_s", &QualityRule::window_s),
        field("window_calls", &QualityRule::window_calls),
        field("min_calls", &QualityRule::min_calls),
        field("scope", &QualityRule::scope, parse_quality_scope),
        field("carrier_id", &QualityRule::carrier_id), field("route_id", &QualityRule::route_id),
        field("prefix", &QualityRule::prefix),
        field("action", &QualityRule::action, parse_quality_action),
        field("restore", &QualityRule::restore),
        field("restore_after_s", &QualityRule::restore_after_s),
        field("short_call_s", &QualityRule::short_call_s), field("enabled", &QualityRule::enabled));
}

auto key_table() {
    return fields(field("scope", &QualityKey::scope, parse_quality_scope),
                  field("carrier_id", &QualityKey::carrier_id),
                  field("subject", &QualityKey::subject));
}

auto alert_table() {
    return fields(field("alert_id", &QualityAlert::alert_id),
                  field("rule_id", &QualityAlert::rule_id), flat(&QualityAlert::key, key_table()),
                  field("metric", &QualityAlert::metric, parse_quality_metric),
                  field("comparison", &QualityAlert::comparison, parse_quality_comparison),
                  field("threshold", &QualityAlert::threshold),
                  field("value_milli", &QualityAlert::value_milli),
                  field("calls", &QualityAlert::calls),
                  field("status", &QualityAlert::status, parse_alert_status),
                  field("opened_at", &QualityAlert::opened_at),
                  optional_field("acknowledged_at", &QualityAlert::acknowledged_at),
                  optional_field("acknowledged_by", &QualityAlert::acknowledged_by),
                  optional_field("resolved_at", &QualityAlert::resolved_at),
                  optional_field("resolution", &QualityAlert::resolution),
                  field("action", &QualityAlert::action, parse_quality_action),
                  field("action_active", &QualityAlert::action_active));
}

template <class E>
auto action_table() {
    return fields(field("alert_id", &E::alert_id), flat(&E::key, key_table()),
                  field("action", &E::action, parse_quality_action), field("at", &E::at));
}

template <class E>
auto notification_table() {
    return fields(field("alert_id", &E::alert_id), field("alert_event", &E::alert_event),
                  field("url", &E::url), field("attempts", &E::attempts),
                  field("http_status", &E::http_status), optional_field("error", &E::error),
                  field("at", &E::at));
}

struct Codec {
    static auto payload(As<QualityRuleCreated>) {
        return fields(flat(&QualityRuleCreated::rule, rule_table()));
    }
    static auto payload(As<QualityRuleUpdated>) {
        return fields(flat(&QualityRuleUpdated::rule, rule_table()));
    }
    static auto payload(As<QualityRuleDeleted>) {
        return fields(field("rule_id", &QualityRuleDeleted::rule_id));
    }
    static auto payload(As<QualityAlertOpened>) {
        return fields(flat(&QualityAlertOpened::alert, alert_table()));
    }
    static auto payload(As<QualityAlertAcknowledged>) {
        return fields(field("alert_id", &QualityAlertAcknowledged::alert_id),
                      field("at", &QualityAlertAcknowledged::at),
                      field("by", &QualityAlertAcknowledged::by));
    }
    static auto payload(As<QualityAlertResolved>) {
        return fields(field("alert_id", &QualityAlertResolved::alert_id),
                      field("at", &QualityAlertResolved::at),
                      field("resolution", &QualityAlertResolved::resolution),
                      field("value_milli", &QualityAlertResolved::value_milli),
                      field("calls", &QualityAlertResolved::calls));
    }
    static auto payload(As<QualityRouteActionApplied>) {
        return action_table<QualityRouteActionApplied>();
    }
    static auto payload(As<QualityRouteActionRestored>) {
        return action_table<QualityRouteActionRestored>();
    }
    static auto payload(As<QualityNotificationDelivered>) {
        return notification_table<QualityNotificationDelivered>();
    }
    static auto payload(As<QualityNotificationFailed>) {
        return notification_table<QualityNotificationFailed>();
    }
};

}  // namespace

EncodedEvent encode(const QualityEvent& event) { return encode_as<Codec>(event); }

core::Result<QualityEvent> decode_quality_event(const RecordedEvent& event) {
    return decode_as<Codec, QualityEvent>(event);
}

std::string quality_rule_json(const QualityRule& rule) {
    return json::serialize(to_json(rule, rule_table()));
}

core::Result<QualityRule> parse_quality_rule(const std::string& text) {
    return with_json_object(
        text, [](const JsonObject& o) { return from_json<QualityRule>(o, rule_table()); });
}

std::vector<std::string> quality_rule_keys() {
    std::vector<std::string> out;
    const auto o = to_json(QualityRule{}, rule_table());
    for (const auto& m : o) out.emplace_back(m.key());
    return out;
}

std::string quality_alert_json(const QualityAlert& alert) {
    auto o = to_json(alert, alert_table());
    o["key"] = alert.key.text();
    o["value"] = static_cast<double>(alert.value_milli) / 1000.0;
    return json::serialize(o);
}

}  // namespace switchyard::events::voice
