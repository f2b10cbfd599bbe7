#pragma once
/// Route quality monitoring (issue 14 item 6). Pure: figures over sliding windows of recent
/// call attempts, computed from the `voice.call.*` events (core/voice/call_path.hpp); rules
/// with a metric, a threshold, a window and a minimum of calls; alerts (open, acknowledged,
/// resolved) and the route actions they take (lower a carrier's priority on a route, disable
/// it, restore it after recovery). All decisions are events of one aggregate per tenant,
/// `voice_quality-<tenant>`; the service (events/voice/quality_service.hpp) feeds the tracker,
/// evaluates the rules and appends what `evaluate` decides.
///
/// Figures, over the attempts of a scope key inside a window (@source ITU-T E.411 §5, GSMA
/// IR.42 §3 for ASR and NER; ITU-T E.721 for PDD):
///   - ASR  = answered attempts / attempts, percent;
///   - NER  = attempts answered or failed with a user-side cause (486, 480, 487, 603, 404) /
///            attempts, percent: the network delivered the call, the user did not take it;
///   - ACD  = mean billsec of the answered attempts whose call has ended, seconds;
///   - PDD  = mean post-dial delay of the answered attempts that report one (`pdd_ms` >= 0),
///            milliseconds (the events carry the delay to the answer or the first 18x);
///   - short calls = answered and ended attempts with billsec below the rule's `short_call_s`
///            / answered and ended attempts, percent.
/// An attempt is one branch to a carrier: `voice.call.attempt_failed` or `voice.call.answered`;
/// a `voice.call.failed` of a call without any recorded attempt counts as one failed attempt on
/// the first route of its plan (the caller cancelled before the branch failed, say).
///
/// Scope keys are always about a carrier: the carrier overall (`carrier:<carrier>`), the
/// carrier on a route (`route:<route id>/<carrier>`) and the carrier to a destination, the
/// route prefix the call matched (`destination:<prefix>/<carrier>`).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/call_path.hpp"

namespace switchyard::core::voice {

/// A quality figure. Wire names `asr`, `acd`, `ner`, `pdd`, `short_calls`.
enum class QualityMetric { Asr, Acd, Ner, Pdd, ShortCalls };
const char* to_string(QualityMetric m) noexcept;
bool parse_quality_metric(std::string_view text, QualityMetric& out) noexcept;

/// What a figure is about. Wire names `carrier`, `route`, `destination`.
enum class QualityScope { Carrier, Route, Destination };
const char* to_string(QualityScope s) noexcept;
bool parse_quality_scope(std::string_view text, QualityScope& out) noexcept;

/// How a rule compares its figure with the threshold. Wire names `below`, `above`.
enum class QualityComparison { Below, Above };
const char* to_string(QualityComparison c) noexcept;
bool parse_quality_comparison(std::string_view text, QualityComparison& out) noexcept;

/// What an alert does to routing. Wire names `none`, `lower_priority` (the carrier goes after
/// every carrier not lowered, whatever the strategy), `disable` (the carrier is skipped,
/// `quality_disabled`).
enum class QualityActionKind { None, LowerPriority, Disable };
const char* to_string(QualityActionKind a) noexcept;
bool parse_quality_action(std::string_view text, QualityActionKind& out) noexcept;

/// An alert's state. Wire names `open`, `acknowledged`, `resolved`.
enum class AlertStatus { Open, Acknowledged, Resolved };
const char* to_string(AlertStatus s) noexcept;
bool parse_alert_status(std::string_view text, AlertStatus& out) noexcept;

/// Where a figure belongs: a carrier, a carrier on a route, a carrier to a destination prefix.
struct QualityKey {
    QualityScope scope = QualityScope::Carrier;
    std::string carrier_id;
    std::string subject;  ///< The route id (Route), the route prefix (Destination), or empty.
    /// `carrier:<carrier>`, `route:<route>/<carrier>`, `destination:<prefix>/<carrier>`.
    std::string text() const;
    friend bool operator==(const QualityKey&, const QualityKey&) = default;
    friend auto operator<=>(const QualityKey&, const QualityKey&) = default;
};

/// One attempt of a call to a carrier.
struct QualitySample {
    std::string call_id;
    std::int64_t attempt = 1;
    std::string carrier_id;
    std::string route_id;      ///< The route the call matched; empty when unknown.
    std::string route_prefix;  ///< That route's prefix.
    Timestamp at;              ///< When the attempt ended (failure) or was answered.
    bool answered = false;
    int sip_code = 0;           ///< The carrier's final code of a failed attempt; 200 answered.
    std::int64_t pdd_ms = -1;   ///< Of an answered attempt; -1 unknown.
    std::int64_t billsec = -1;  ///< Of an answered attempt once its call ended; -1 not yet.
};

/// A sliding window: the attempts of the last `seconds` (0: no time bound) and at most the last
/// `calls` of them (0: no count bound). At least one bound is set.
struct QualityWindow {
    std::int64_t seconds = 900;
    std::int64_t calls = 0;
};

/// The figures of a key over a window.
struct WindowFigures {
    std::int64_t attempts = 0;
    std::int64_t answered = 0;
    std::int64_t delivered = 0;  ///< Answered or failed with a user-side cause (NER).
    std::int64_t ended = 0;      ///< Answered attempts whose billsec is known.
    std::int64_t short_calls = 0;
    std::int64_t pdd_reported = 0;
    double asr_percent = 0;
    double ner_percent = 0;
    double acd_s = 0;
    double pdd_ms = 0;
    double short_call_percent = 0;
    /// The metric's value; none when nothing is known (ACD of no ended call, PDD not reported).
    std::optional<double> value(QualityMetric m) const;
    /// The count the metric is computed over: attempts (ASR, NER), ended answered attempts
    /// (ACD, short calls), attempts that reported a PDD.
    std::int64_t basis(QualityMetric m) const;
};

/// True for the SIP codes NER counts as delivered to the user: 486, 480, 487, 603, 404.
bool user_side_cause(int sip_code) noexcept;

/// Recent attempts by scope key, fed with the call events in log order. Not thread-safe.
class QualityTracker {
  public:
    /// Attempts older than `retention_s` (against the newest event time) and past
    /// `max_per_key` per key are dropped. Defaults: 1 day, 10,000.
    explicit QualityTracker(std::int64_t retention_s = 86400, std::size_t max_per_key = 10000);

    /// Records what `event` says about attempts. @returns the keys it changed.
    std::vector<QualityKey> apply(const CallEvent& event);
    /// The figures of `key` over `window` as of `now`; `short_call_s` bounds a short call.
    WindowFigures figures(const QualityKey& key, const QualityWindow& window, Timestamp now,
                          std::int64_t short_call_s = 10) const;
    /// Every key of `scope` with attempts.
    std::vector<QualityKey> keys(QualityScope scope) const;
    /// When `key` last had an attempt; none when it has none.
    std::optional<Timestamp> last_attempt(const QualityKey& key) const;
    /// The newest event time seen.
    Timestamp now() const { return newest_; }

  private:
    struct Call {
        std::string route_id;
        std::string route_prefix;
        std::string first_carrier;
        std::vector<std::shared_ptr<QualitySample>> attempts;
    };
    std::vector<QualityKey> add(std::shared_ptr<QualitySample> sample);
    void prune_calls();
    std::int64_t retention_s_;
    std::size_t max_per_key_;
    Timestamp newest_{};
    std::map<QualityKey, std::deque<std::shared_ptr<QualitySample>>> samples_;
    std::map<std::string, Call> calls_;  ///< By Call-ID, open calls.
    std::deque<std::pair<Timestamp, std::string>> call_order_;
};

// ---- rules, alerts, actions: the aggregate `voice_quality-<tenant>` ----

/// A quality rule: when `metric` of a key of `scope` over `window` is `comparison` `threshold`
/// with at least `min_calls` behind it, an alert opens and `action` is taken.
struct QualityRule {
    std::string rule_id;  ///< `[a-z0-9_-]{1,32}`.
    std::string name;     ///< 1 to 64 characters.
    QualityMetric metric = QualityMetric::Asr;
    QualityComparison comparison = QualityComparison::Below;
    /// In the metric's unit: percent 0 to 100 (asr, ner, short_calls), seconds 0 to 86400
    /// (acd), milliseconds 0 to 600000 (pdd).
    std::int64_t threshold = 0;
    std::int64_t window_s = 900;    ///< 0 (count window only) to 604800. Default: 15 min.
    std::int64_t window_calls = 0;  ///< 0 (time window only) to 10000. Default: 0.
    std::int64_t min_calls = 20;    ///< 1 to 10000: a figure over fewer does not count.
    QualityScope scope = QualityScope::Carrier;
    std::string carrier_id;  ///< Only this carrier; empty: every carrier.
    std::string route_id;    ///< Only this route (scope route); empty: every route.
    std::string prefix;      ///< Only this route prefix (scope destination); empty: every one.
    QualityActionKind action = QualityActionKind::None;
    /// Restore the action when the alert resolves. Default: true.
    bool restore = true;
    /// An alert resolves when its figure (with `min_calls` behind it) no longer breaches, or
    /// when its key had no attempt for this long (a disabled route gets no calls: it is tried
    /// again). 0 to 604800 seconds. Default: 900.
    std::int64_t restore_after_s = 900;
    std::int64_t short_call_s = 10;  ///< A short call lasts less, 1 to 3600 s (short_calls).
    bool enabled = true;
    QualityWindow window() const { return {window_s, window_calls}; }
    friend bool operator==(const QualityRule&, const QualityRule&) = default;
};

/// An alert of a rule on one key.
struct QualityAlert {
    std::string alert_id;  ///< `<rule id>-<n>`, n from 1 per rule.
    std::string rule_id;
    QualityKey key;
    QualityMetric metric = QualityMetric::Asr;
    QualityComparison comparison = QualityComparison::Below;
    std::int64_t threshold = 0;
    std::int64_t value_milli = 0;  ///< The figure when opened, x1000 in the metric's unit.
    std::int64_t calls = 0;        ///< What the figure was computed over.
    AlertStatus status = AlertStatus::Open;
    Timestamp opened_at;
    std::optional<Timestamp> acknowledged_at;
    std::string acknowledged_by;
    std::optional<Timestamp> resolved_at;
    std::string resolution;  ///< `recovered`, `no_traffic`, `rule_deleted`, `rule_updated`.
    QualityActionKind action = QualityActionKind::None;
    bool action_active = false;  ///< The action applies to routing now.
};

/// An action in force: routing reads these.
struct RouteAction {
    std::string alert_id;
    QualityKey key;
    QualityActionKind action = QualityActionKind::LowerPriority;
};

// ---- events ----

struct QualityRuleCreated {
    static constexpr std::string_view kType = "voice.quality.rule_created";
    QualityRule rule;
};
struct QualityRuleUpdated {
    static constexpr std::string_view kType = "voice.quality.rule_updated";
    QualityRule rule;
};
struct QualityRuleDeleted {
    static constexpr std::string_view kType = "voice.quality.rule_deleted";
    std::string rule_id;
};
/// A rule's figure breached its threshold on a key.
struct QualityAlertOpened {
    static constexpr std::string_view kType = "voice.quality.alert_opened";
    QualityAlert alert;  ///< As opened (status open, action not yet applied).
};
struct QualityAlertAcknowledged {
    static constexpr std::string_view kType = "voice.quality.alert_acknowledged";
    std::string alert_id;
    Timestamp at;
    std::string by;  ///< The actor id.
};
struct QualityAlertResolved {
    static constexpr std::string_view kType = "voice.quality.alert_resolved";
    std::string alert_id;
    Timestamp at;
    std::string resolution;        ///< See QualityAlert::resolution.
    std::int64_t value_milli = 0;  ///< The figure when resolved (0 for no_traffic).
    std::int64_t calls = 0;
};
/// Routing now lowers or skips a carrier on the alert's key.
struct QualityRouteActionApplied {
    static constexpr std::string_view kType = "voice.quality.route_action_applied";
    std::string alert_id;
    QualityKey key;
    QualityActionKind action = QualityActionKind::Disable;
    Timestamp at;
};
/// Routing treats the carrier normally again.
struct QualityRouteActionRestored {
    static constexpr std::string_view kType = "voice.quality.route_action_restored";
    std::string alert_id;
    QualityKey key;
    QualityActionKind action = QualityActionKind::Disable;
    Timestamp at;
};

/// The webhook notifier (adapters/voice/quality_webhook.hpp) delivered an alert's
/// `voice.quality.alert_opened` or `alert_resolved` (a 2xx answer).
struct QualityNotificationDelivered {
    static constexpr std::string_view kType = "voice.quality.notification_delivered";
    std::string alert_id;
    std::string alert_event;  ///< The event type notified.
    std::string url;          ///< The webhook URL, without user information.
    std::int64_t attempts = 1;
    std::int64_t http_status = 0;  ///< The last answer's status; 0 when none came.
    std::string error;             ///< Why the last attempt failed; empty when delivered.
    Timestamp at;
};
/// The notifier gave up on a notification after its attempts.
struct QualityNotificationFailed {
    static constexpr std::string_view kType = "voice.quality.notification_failed";
    std::string alert_id;
    std::string alert_event;
    std::string url;
    std::int64_t attempts = 1;
    std::int64_t http_status = 0;
    std::string error;
    Timestamp at;
};

using QualityEvent =
    std::variant<QualityRuleCreated, QualityRuleUpdated, QualityRuleDeleted, QualityAlertOpened,
                 QualityAlertAcknowledged, QualityAlertResolved, QualityRouteActionApplied,
                 QualityRouteActionRestored, QualityNotificationDelivered,
                 QualityNotificationFailed>;

struct QualityState {
    std::map<std::string, QualityRule> rules;
    std::map<std::string, QualityAlert> alerts;       ///< By alert id.
    std::map<std::string, std::int64_t> alert_count;  ///< Alerts ever opened, by rule id.
    /// The open or acknowledged alert of a rule on a key: `<rule id> <key text>` -> alert id.
    std::map<std::string, std::string> active;
    /// The actions in force, by alert id.
    std::map<std::string, RouteAction> actions;
};

inline std::string quality_stream(const std::string& tenant) { return "voice_quality-" + tenant; }

void evolve(QualityState& state, const QualityEvent& event);

// ---- commands ----

enum class RuleDefineMode { Create, Update };
struct DefineQualityRule {
    QualityRule rule;
    RuleDefineMode mode = RuleDefineMode::Create;
};
struct DeleteQualityRule {
    std::string rule_id;
};
struct AcknowledgeAlert {
    std::string alert_id;
};

/// The field problems of a rule alone. @errors Invalid naming the field (`rule_id`, `name`,
/// `threshold`, `window_s`, `window_calls` (both 0), `min_calls`, `route_id` (set outside scope
/// route), `prefix` (outside scope destination, or not digits), `restore_after_s`,
/// `short_call_s`, `carrier_id`).
Result<void> check_rule(const QualityRule& rule);

/// Create: the same rule again decides nothing (a retry). Update: replaces the rule; its active
/// alerts resolve (`rule_updated`) and their actions are restored.
/// @errors as check_rule; Conflict naming `rule_id` when Create finds it taken (other fields);
/// NotFound naming `rule_id` when Update finds none.
Result<std::vector<QualityEvent>> decide(const QualityState& s, const DefineQualityRule& c,
                                         const DecisionContext& ctx);
/// Deletes a rule; its active alerts resolve (`rule_deleted`) and their actions are restored.
/// @errors NotFound naming `rule_id`.
Result<std::vector<QualityEvent>> decide(const QualityState& s, const DeleteQualityRule& c,
                                         const DecisionContext& ctx);
/// An open alert becomes acknowledged (its action stays). An acknowledged one decides nothing.
/// @errors NotFound naming `alert_id`; Rejected naming `alert_id` when it is resolved.
Result<std::vector<QualityEvent>> decide(const QualityState& s, const AcknowledgeAlert& c,
                                         const DecisionContext& ctx);

/// The rules against the tracker at `now`: for each enabled rule and each key of its scope
/// (matching its filters) among `keys` (all keys of the scope when `keys` is empty), an alert
/// opens when the figure has `min_calls` behind it and breaches (with its action applied); an
/// active alert resolves when its figure has `min_calls` behind it and no longer breaches
/// (`recovered`) or its key had no attempt for `restore_after_s` (`no_traffic`); its action is
/// restored when the rule says so (else it stays until the rule is changed or deleted).
std::vector<QualityEvent> evaluate(const QualityState& s, const QualityTracker& tracker,
                                   Timestamp now, const std::vector<QualityKey>& keys = {});

/// What routing does with a carrier on a route: `disabled` wins over `lowered`.
struct RouteQualityVerdict {
    bool disabled = false;
    bool lowered = false;
    std::string alert_id;  ///< The alert behind it; empty when neither.
};
/// The actions of `state` that apply to `carrier_id` on route `route_id` with prefix
/// `route_prefix`: one of scope carrier for the carrier, route for the route, destination for
/// the prefix.
RouteQualityVerdict verdict(const std::map<std::string, RouteAction>& actions,
                            const std::string& route_id, const std::string& route_prefix,
                            const std::string& carrier_id);

/// The verdict for a carrier on a route, as routing asks it (events/voice/routing_service.hpp).
using RouteQualitySource = std::function<RouteQualityVerdict(
    const std::string& route_id, const std::string& route_prefix, const std::string& carrier_id)>;

}  // namespace switchyard::core::voice
