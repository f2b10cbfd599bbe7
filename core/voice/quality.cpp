#include "core/voice/quality.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace switchyard::core::voice {

namespace {

template <class E, std::size_t N>
bool parse_enum(std::string_view text, E& out, const std::array<const char*, N>& names) {
    for (std::size_t i = 0; i < N; ++i)
        if (text == names[i]) {
            out = static_cast<E>(i);
            return true;
        }
    return false;
}

constexpr std::array<const char*, 5> kMetrics{"asr", "acd", "ner", "pdd", "short_calls"};
constexpr std::array<const char*, 3> kScopes{"carrier", "route", "destination"};
constexpr std::array<const char*, 2> kComparisons{"below", "above"};
constexpr std::array<const char*, 3> kActions{"none", "lower_priority", "disable"};
constexpr std::array<const char*, 3> kStatuses{"open", "acknowledged", "resolved"};

bool valid_id(const std::string& id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string active_key(const std::string& rule_id, const QualityKey& key) {
    return rule_id + " " + key.text();
}

bool matches(const QualityRule& r, const QualityKey& k) {
    if (k.scope != r.scope) return false;
    if (!r.carrier_id.empty() && r.carrier_id != k.carrier_id) return false;
    if (r.scope == QualityScope::Route && !r.route_id.empty() && r.route_id != k.subject)
        return false;
    if (r.scope == QualityScope::Destination && !r.prefix.empty() && r.prefix != k.subject)
        return false;
    return true;
}

bool breaches(const QualityRule& r, double value) {
    const auto t = static_cast<double>(r.threshold);
    return r.comparison == QualityComparison::Below ? value < t : value > t;
}

std::int64_t milli(double v) { return static_cast<std::int64_t>(std::llround(v * 1000.0)); }

/// The events that close the active alerts of `rule_id` (all of them), restoring actions.
void close_alerts_of(const QualityState& s, const std::string& rule_id,
                     const std::string& resolution, Timestamp at, std::vector<QualityEvent>& out) {
    for (const auto& [id, a] : s.alerts) {
        if (a.rule_id != rule_id || a.status == AlertStatus::Resolved) continue;
        out.push_back(QualityAlertResolved{id, at, resolution, 0, 0});
        if (a.action_active) out.push_back(QualityRouteActionRestored{id, a.key, a.action, at});
    }
}

}  // namespace

const char* to_string(QualityMetric m) noexcept { return kMetrics[static_cast<int>(m)]; }
bool parse_quality_metric(std::string_view t, QualityMetric& out) noexcept {
    return parse_enum(t, out, kMetrics);
}
const char* to_string(QualityScope s) noexcept { return kScopes[static_cast<int>(s)]; }
bool parse_quality_scope(std::string_view t, QualityScope& out) noexcept {
    return parse_enum(t, out, kScopes);
}
const char* to_string(QualityComparison c) noexcept { return kComparisons[static_cast<int>(c)]; }
bool parse_quality_comparison(std::string_view t, QualityComparison& out) noexcept {
    return parse_enum(t, out, kComparisons);
}
const char* to_string(QualityActionKind a) noexcept { return kActions[static_cast<int>(a)]; }
bool parse_quality_action(std::string_view t, QualityActionKind& out) noexcept {
    return parse_enum(t, out, kActions);
}
const char* to_string(AlertStatus s) noexcept { return kStatuses[static_cast<int>(s)]; }
bool parse_alert_status(std::string_view t, AlertStatus& out) noexcept {
    return parse_enum(t, out, kStatuses);
}

std::string QualityKey::text() const {
    if (scope == QualityScope::Carrier) return "carrier:" + carrier_id;
    return std::string(to_string(scope)) + ":" + subject + "/" + carrier_id;
}

bool user_side_cause(int code) noexcept {
    return code == 486 || code == 480 || code == 487 || code == 603 || code == 404;
}

std::optional<double> WindowFigures::value(QualityMetric m) const {
    switch (m) {
        case QualityMetric::Asr:
            if (attempts == 0) return std::nullopt;
            return asr_percent;
        case QualityMetric::Ner:
            if (attempts == 0) return std::nullopt;
            return ner_percent;
        case QualityMetric::Acd:
            if (ended == 0) return std::nullopt;
            return acd_s;
        case QualityMetric::ShortCalls:
            if (ended == 0) return std::nullopt;
            return short_call_percent;
        case QualityMetric::Pdd:
            if (pdd_reported == 0) return std::nullopt;
            return pdd_ms;
    }
    return std::nullopt;
}

std::int64_t WindowFigures::basis(QualityMetric m) const {
    switch (m) {
        case QualityMetric::Asr:
        case QualityMetric::Ner:
            return attempts;
        case QualityMetric::Acd:
        case QualityMetric::ShortCalls:
            return ended;
        case QualityMetric::Pdd:
            return pdd_reported;
    }
    return 0;
}

// ---- tracker ----

QualityTracker::QualityTracker(std::int64_t retention_s, std::size_t max_per_key)
    : retention_s_(retention_s), max_per_key_(max_per_key) {}

std::vector<QualityKey> QualityTracker::add(std::shared_ptr<QualitySample> s) {
    std::vector<QualityKey> keys{{QualityScope::Carrier, s->carrier_id, ""}};
    if (!s->route_id.empty()) {
        keys.push_back({QualityScope::Route, s->carrier_id, s->route_id});
        keys.push_back({QualityScope::Destination, s->carrier_id, s->route_prefix});
    }
    const auto oldest = newest_ - std::chrono::seconds(retention_s_);
    for (const auto& k : keys) {
        auto& q = samples_[k];
        q.push_back(s);
        while (!q.empty() && (q.size() > max_per_key_ || q.front()->at < oldest)) q.pop_front();
    }
    return keys;
}

void QualityTracker::prune_calls() {
    // Calls are kept until they close; a call never closed is forgotten after the retention.
    const auto oldest = newest_ - std::chrono::seconds(retention_s_);
    while (!call_order_.empty() && call_order_.front().first < oldest) {
        calls_.erase(call_order_.front().second);
        call_order_.pop_front();
    }
}

std::vector<QualityKey> QualityTracker::apply(const CallEvent& event) {
    return std::visit(
        [&](const auto& e) -> std::vector<QualityKey> {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, CallRouted>) {
                newest_ = std::max(newest_, e.setup.setup_at);
                auto& c = calls_[e.setup.call_id];
                c.route_id = e.plan.route_id;
                c.route_prefix = e.plan.route_prefix;
                if (!e.plan.routes.empty()) c.first_carrier = e.plan.routes.front().carrier_id;
                call_order_.emplace_back(e.setup.setup_at, e.setup.call_id);
                prune_calls();
                return {};
            } else if constexpr (std::is_same_v<E, CallAttemptFailed> ||
                                 std::is_same_v<E, CallAnswered>) {
                auto c = calls_.find(e.call_id);
                if (c == calls_.end()) return {};  // not routed by this log (a DID, or aged out)
                for (const auto& a : c->second.attempts)
                    if (a->attempt == e.attempt) return {};  // a repeated report
                auto s = std::make_shared<QualitySample>();
                s->call_id = e.call_id;
                s->attempt = e.attempt;
                s->carrier_id = e.carrier_id;
                s->route_id = c->second.route_id;
                s->route_prefix = c->second.route_prefix;
                if constexpr (std::is_same_v<E, CallAnswered>) {
                    s->at = e.answered_at;
                    s->answered = true;
                    s->sip_code = 200;
                    s->pdd_ms = e.pdd_ms;
                } else {
                    s->at = e.at;
                    s->sip_code = e.sip_code;
                }
                newest_ = std::max(newest_, s->at);
                c->second.attempts.push_back(s);
                return add(std::move(s));
            } else if constexpr (std::is_same_v<E, CallEnded>) {
                newest_ = std::max(newest_, e.ended_at);
                auto c = calls_.find(e.call_id);
                if (c == calls_.end()) return {};
                std::vector<QualityKey> keys;
                for (const auto& a : c->second.attempts)
                    if (a->answered && a->billsec < 0) {
                        a->billsec = e.billsec;
                        keys = {{QualityScope::Carrier, a->carrier_id, ""}};
                        if (!a->route_id.empty()) {
                            keys.push_back({QualityScope::Route, a->carrier_id, a->route_id});
                            keys.push_back(
                                {QualityScope::Destination, a->carrier_id, a->route_prefix});
                        }
                    }
                calls_.erase(c);
                return keys;
            } else if constexpr (std::is_same_v<E, CallFailed>) {
                newest_ = std::max(newest_, e.at);
                auto c = calls_.find(e.call_id);
                if (c == calls_.end()) return {};
                std::vector<QualityKey> keys;
                if (c->second.attempts.empty() && !c->second.first_carrier.empty()) {
                    auto s = std::make_shared<QualitySample>();
                    s->call_id = e.call_id;
                    s->carrier_id = c->second.first_carrier;
                    s->route_id = c->second.route_id;
                    s->route_prefix = c->second.route_prefix;
                    s->at = e.at;
                    s->sip_code = e.sip_code;
                    keys = add(std::move(s));
                }
                calls_.erase(c);
                return keys;
            } else {
                return {};
            }
        },
        event);
}

WindowFigures QualityTracker::figures(const QualityKey& key, const QualityWindow& window,
                                      Timestamp now, std::int64_t short_call_s) const {
    WindowFigures f;
    auto it = samples_.find(key);
    if (it == samples_.end()) return f;
    const auto from = now - std::chrono::seconds(window.seconds);
    double billsec_sum = 0, pdd_sum = 0;
    for (auto s = it->second.rbegin(); s != it->second.rend(); ++s) {
        const auto& a = **s;
        if (window.seconds > 0 && a.at < from) break;
        if (window.calls > 0 && f.attempts >= window.calls) break;
        if (a.at > now) continue;
        ++f.attempts;
        if (a.answered) {
            ++f.answered;
            ++f.delivered;
            if (a.pdd_ms >= 0) {
                ++f.pdd_reported;
                pdd_sum += static_cast<double>(a.pdd_ms);
            }
            if (a.billsec >= 0) {
                ++f.ended;
                billsec_sum += static_cast<double>(a.billsec);
                if (a.billsec < short_call_s) ++f.short_calls;
            }
        } else if (user_side_cause(a.sip_code)) {
            ++f.delivered;
        }
    }
    auto pct = [](std::int64_t n, std::int64_t d) {
        return d ? 100.0 * static_cast<double>(n) / static_cast<double>(d) : 0.0;
    };
    f.asr_percent = pct(f.answered, f.attempts);
    f.ner_percent = pct(f.delivered, f.attempts);
    f.short_call_percent = pct(f.short_calls, f.ended);
    f.acd_s = f.ended ? billsec_sum / static_cast<double>(f.ended) : 0;
    f.pdd_ms = f.pdd_reported ? pdd_sum / static_cast<double>(f.pdd_reported) : 0;
    return f;
}

std::vector<QualityKey> QualityTracker::keys(QualityScope scope) const {
    std::vector<QualityKey> out;
    for (const auto& [k, q] : samples_)
        if (k.scope == scope && !q.empty()) out.push_back(k);
    return out;
}

std::optional<Timestamp> QualityTracker::last_attempt(const QualityKey& key) const {
    auto it = samples_.find(key);
    if (it == samples_.end() || it->second.empty()) return std::nullopt;
    return it->second.back()->at;
}

// ---- aggregate ----

void evolve(QualityState& s, const QualityEvent& event) {
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, QualityRuleCreated> ||
                          std::is_same_v<E, QualityRuleUpdated>) {
                s.rules[e.rule.rule_id] = e.rule;
            } else if constexpr (std::is_same_v<E, QualityRuleDeleted>) {
                s.rules.erase(e.rule_id);
            } else if constexpr (std::is_same_v<E, QualityAlertOpened>) {
                s.alerts[e.alert.alert_id] = e.alert;
                ++s.alert_count[e.alert.rule_id];
                s.active[active_key(e.alert.rule_id, e.alert.key)] = e.alert.alert_id;
            } else if constexpr (std::is_same_v<E, QualityAlertAcknowledged>) {
                if (auto a = s.alerts.find(e.alert_id); a != s.alerts.end()) {
                    a->second.status = AlertStatus::Acknowledged;
                    a->second.acknowledged_at = e.at;
                    a->second.acknowledged_by = e.by;
                }
            } else if constexpr (std::is_same_v<E, QualityAlertResolved>) {
                if (auto a = s.alerts.find(e.alert_id); a != s.alerts.end()) {
                    a->second.status = AlertStatus::Resolved;
                    a->second.resolved_at = e.at;
                    a->second.resolution = e.resolution;
                    s.active.erase(active_key(a->second.rule_id, a->second.key));
                }
            } else if constexpr (std::is_same_v<E, QualityRouteActionApplied>) {
                if (auto a = s.alerts.find(e.alert_id); a != s.alerts.end()) {
                    a->second.action = e.action;
                    a->second.action_active = true;
                }
                s.actions[e.alert_id] = RouteAction{e.alert_id, e.key, e.action};
            } else if constexpr (std::is_same_v<E, QualityRouteActionRestored>) {
                if (auto a = s.alerts.find(e.alert_id); a != s.alerts.end())
                    a->second.action_active = false;
                s.actions.erase(e.alert_id);
            }
        },
        event);
}

Result<void> check_rule(const QualityRule& r) {
    if (!valid_id(r.rule_id)) return fail(Errc::Invalid, "rule_id", "must match [a-z0-9_-]{1,32}");
    if (r.name.empty() || r.name.size() > 64)
        return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    std::int64_t max = 100;
    if (r.metric == QualityMetric::Acd) max = 86400;
    if (r.metric == QualityMetric::Pdd) max = 600000;
    if (r.threshold < 0 || r.threshold > max)
        return fail(Errc::Invalid, "threshold",
                    "must be 0 to " + std::to_string(max) + " for metric " + to_string(r.metric));
    if (r.window_s < 0 || r.window_s > 604800)
        return fail(Errc::Invalid, "window_s", "must be 0 to 604800 seconds");
    if (r.window_calls < 0 || r.window_calls > 10000)
        return fail(Errc::Invalid, "window_calls", "must be 0 to 10000");
    if (r.window_s == 0 && r.window_calls == 0)
        return fail(Errc::Invalid, "window_calls",
                    "a window needs window_s or window_calls (or both)");
    if (r.min_calls < 1 || r.min_calls > 10000)
        return fail(Errc::Invalid, "min_calls", "must be 1 to 10000");
    if (!r.carrier_id.empty() && r.carrier_id.size() > 64)
        return fail(Errc::Invalid, "carrier_id", "must be at most 64 characters");
    if (!r.route_id.empty() && r.scope != QualityScope::Route)
        return fail(Errc::Invalid, "route_id", "applies to scope route only");
    if (!r.route_id.empty() && !valid_id(r.route_id))
        return fail(Errc::Invalid, "route_id", "must match [a-z0-9_-]{1,32}");
    if (!r.prefix.empty() && r.scope != QualityScope::Destination)
        return fail(Errc::Invalid, "prefix", "applies to scope destination only");
    if (r.prefix.size() > 16 || !digits(r.prefix))
        return fail(Errc::Invalid, "prefix", "must be 0 to 16 digits");
    if (r.restore_after_s < 0 || r.restore_after_s > 604800)
        return fail(Errc::Invalid, "restore_after_s", "must be 0 to 604800 seconds");
    if (r.short_call_s < 1 || r.short_call_s > 3600)
        return fail(Errc::Invalid, "short_call_s", "must be 1 to 3600 seconds");
    return {};
}

Result<std::vector<QualityEvent>> decide(const QualityState& s, const DefineQualityRule& c,
                                         const DecisionContext& ctx) {
    SY_TRY(check_rule(c.rule));
    auto it = s.rules.find(c.rule.rule_id);
    std::vector<QualityEvent> out;
    if (c.mode == RuleDefineMode::Create) {
        if (it != s.rules.end()) {
            if (it->second == c.rule) return out;
            return fail(Errc::Conflict, "rule_id",
                        "rule '" + c.rule.rule_id + "' exists with other fields");
        }
        out.push_back(QualityRuleCreated{c.rule});
        return out;
    }
    if (it == s.rules.end())
        return fail(Errc::NotFound, "rule_id", "rule '" + c.rule.rule_id + "' does not exist");
    if (it->second == c.rule) return out;
    close_alerts_of(s, c.rule.rule_id, "rule_updated", ctx.now, out);
    out.push_back(QualityRuleUpdated{c.rule});
    return out;
}

Result<std::vector<QualityEvent>> decide(const QualityState& s, const DeleteQualityRule& c,
                                         const DecisionContext& ctx) {
    if (!s.rules.count(c.rule_id))
        return fail(Errc::NotFound, "rule_id", "rule '" + c.rule_id + "' does not exist");
    std::vector<QualityEvent> out;
    close_alerts_of(s, c.rule_id, "rule_deleted", ctx.now, out);
    out.push_back(QualityRuleDeleted{c.rule_id});
    return out;
}

Result<std::vector<QualityEvent>> decide(const QualityState& s, const AcknowledgeAlert& c,
                                         const DecisionContext& ctx) {
    auto it = s.alerts.find(c.alert_id);
    if (it == s.alerts.end())
        return fail(Errc::NotFound, "alert_id", "alert '" + c.alert_id + "' does not exist");
    if (it->second.status == AlertStatus::Resolved)
        return fail(Errc::Rejected, "alert_id", "alert '" + c.alert_id + "' is resolved");
    if (it->second.status == AlertStatus::Acknowledged) return std::vector<QualityEvent>{};
    return std::vector<QualityEvent>{QualityAlertAcknowledged{c.alert_id, ctx.now, ctx.actor.id}};
}

std::vector<QualityEvent> evaluate(const QualityState& s, const QualityTracker& tracker,
                                   Timestamp now, const std::vector<QualityKey>& keys) {
    std::vector<QualityEvent> out;
    for (const auto& [rule_id, rule] : s.rules) {
        if (!rule.enabled) continue;
        std::set<QualityKey> candidates;
        if (keys.empty()) {
            for (auto& k : tracker.keys(rule.scope)) candidates.insert(k);
        } else {
            for (const auto& k : keys) candidates.insert(k);
        }
        // Active alerts of the rule are always looked at (recovery by silence).
        for (const auto& [id, a] : s.alerts)
            if (a.rule_id == rule_id && a.status != AlertStatus::Resolved) candidates.insert(a.key);
        std::int64_t opened = 0;
        for (const auto& key : candidates) {
            if (!matches(rule, key)) continue;
            const auto f = tracker.figures(key, rule.window(), now, rule.short_call_s);
            const auto value = f.value(rule.metric);
            const bool counts = value && f.basis(rule.metric) >= rule.min_calls;
            auto act = s.active.find(active_key(rule_id, key));
            if (act == s.active.end()) {
                if (!counts || !breaches(rule, *value)) continue;
                QualityAlert a;
                a.alert_id =
                    rule_id + "-" +
                    std::to_string((s.alert_count.count(rule_id) ? s.alert_count.at(rule_id) : 0) +
                                   ++opened);
                a.rule_id = rule_id;
                a.key = key;
                a.metric = rule.metric;
                a.comparison = rule.comparison;
                a.threshold = rule.threshold;
                a.value_milli = milli(*value);
                a.calls = f.basis(rule.metric);
                a.opened_at = now;
                a.action = rule.action;
                out.push_back(QualityAlertOpened{a});
                if (rule.action != QualityActionKind::None)
                    out.push_back(QualityRouteActionApplied{a.alert_id, key, rule.action, now});
                continue;
            }
            const auto& alert = s.alerts.at(act->second);
            std::string resolution;
            if (counts && !breaches(rule, *value)) {
                resolution = "recovered";
            } else {
                const auto last = tracker.last_attempt(key);
                const auto since = std::max(last.value_or(alert.opened_at), alert.opened_at);
                if (now - since >= std::chrono::seconds(rule.restore_after_s))
                    resolution = "no_traffic";
            }
            if (resolution.empty()) continue;
            const bool recovered = resolution == "recovered";
            out.push_back(QualityAlertResolved{alert.alert_id, now, resolution,
                                               recovered ? milli(*value) : 0,
                                               recovered ? f.basis(rule.metric) : 0});
            if (alert.action_active && rule.restore)
                out.push_back(QualityRouteActionRestored{alert.alert_id, key, alert.action, now});
        }
    }
    return out;
}

RouteQualityVerdict verdict(const std::map<std::string, RouteAction>& actions,
                            const std::string& route_id, const std::string& route_prefix,
                            const std::string& carrier_id) {
    RouteQualityVerdict v;
    for (const auto& [id, a] : actions) {
        const auto& k = a.key;
        if (k.carrier_id != carrier_id) continue;
        if (k.scope == QualityScope::Route && k.subject != route_id) continue;
        if (k.scope == QualityScope::Destination && k.subject != route_prefix) continue;
        if (a.action == QualityActionKind::Disable && !v.disabled) {
            v.disabled = true;
            v.alert_id = id;
        } else if (a.action == QualityActionKind::LowerPriority && !v.disabled && !v.lowered) {
            v.lowered = true;
            v.alert_id = id;
        }
    }
    return v;
}

}  // namespace switchyard::core::voice
