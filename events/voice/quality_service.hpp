#pragma once
/// Route quality monitoring over the log (issue 14 item 6; core/voice/quality.hpp): the rules,
/// alerts and route actions of `voice_quality-<tenant>`, and the figures of recent calls.
///
/// After start() the service follows the log from its start: every `voice.call.*` event feeds
/// the tracker. While it catches up with what the log held at start() it only counts; from then
/// on each batch of call events is followed by an evaluation of the rules over the keys the
/// batch touched (core/voice/quality.hpp `evaluate`), and a ticker evaluates every key once per
/// `tick_ms` (alerts that resolve because their key went quiet). Evaluations append what they
/// decide to the quality stream with its expected revision (a conflict decides again), at the
/// clock's time, as the system actor `voice-quality`.
///
/// Routing reads it through quality_source() (carrier figures for the `quality` strategy) and
/// route_quality() (the actions in force); both answer from memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/lcr.hpp"
#include "core/voice/quality.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::voice {

/// What the quality service is given.
struct QualityServiceOptions {
    std::string tenant;
    /// The window of the figures routing's `quality` strategy reads, per carrier.
    /// Default: the last hour.
    core::voice::QualityWindow routing_window{3600, 0};
    /// How long attempts are kept (the longest window a rule may use is shorter). Default: 1 day.
    std::int64_t retention_s = 86400;
    /// The ticker's period in milliseconds; 0: no ticker (tests call evaluate()). Default: 1000.
    std::int64_t tick_ms = 1000;
    /// Called after an appended `voice.quality.alert_opened` or `alert_resolved`, with the alert
    /// as it now stands and the event type (the webhook notifier). Must not block for long.
    std::function<void(const core::voice::QualityAlert&, const std::string& event_type)> on_alert;
};

/// Rules, alerts, actions and figures of one tenant.
/// @thread safe: commands, reads, the subscription and the ticker may run concurrently.
class QualityService {
  public:
    /// `store` and `clock` must outlive the service.
    QualityService(EventStore& store, const core::Clock& clock, QualityServiceOptions options);
    ~QualityService();  ///< Stops following the log.

    /// Follows the log (see the top of this file) and starts the ticker.
    void start();
    /// Stops both; idempotent.
    void stop();

    /// Creates, replaces or deletes a rule, or acknowledges an alert. Errors as the deciders of
    /// core/voice/quality.hpp, and the store's.
    core::Result<CommandOutcome<>> execute(const core::voice::DefineQualityRule& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::DeleteQualityRule& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::AcknowledgeAlert& c,
                                           const core::DecisionContext& ctx);
    /// Records the webhook's outcome for an alert (QualityNotificationDelivered or Failed).
    /// @errors the store's.
    core::Result<void> record(const core::voice::QualityEvent& notification);

    /// The rules, alerts and actions. @errors the store's; Invalid for an undecodable event.
    core::Result<core::voice::QualityState> state();

    /// Feeds recorded events (the subscription's batches; tests call it directly). Call events
    /// feed the tracker; when `evaluate_after` the rules are evaluated over the touched keys.
    /// @errors the store's, from the evaluation's append.
    core::Result<void> ingest(std::span<const RecordedEvent> batch, bool evaluate_after = true);
    /// Evaluates every rule over every key at the clock's time and appends what it decides.
    /// @errors the store's.
    core::Result<void> evaluate();

    /// The figures of every key of `scope` over `window` at the clock's time, in key order.
    std::vector<std::pair<core::voice::QualityKey, core::voice::WindowFigures>> figures(
        core::voice::QualityScope scope, const core::voice::QualityWindow& window) const;

    /// Carrier figures over `routing_window`, for RoutingService::set_quality_source.
    core::voice::QualitySource quality_source();
    /// The actions in force, for RoutingService::set_route_quality.
    core::voice::RouteQualitySource route_quality();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
