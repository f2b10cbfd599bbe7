#pragma once
/// The billing worker that acts on the network (issue 16, item 3): it keeps each subscription's
/// service in the state its status says (core::billing::service_on: trialing, active and past
/// due on; paused, suspended, expired and canceled off) through the service switch of the
/// subscription's line (app/modules/module.hpp ServiceSwitch): an IPTV line disabled and its
/// connections closed, a VPN customer's peers disabled (the WireGuard reconciler removes them),
/// a hotspot account disabled (the enforcer disconnects its sessions), a voice customer
/// suspended; a payment or a resume turns it all on again.
///
/// It follows the log from its head (each `billing.subscription.*` event of a subscription with
/// a `service_id` is applied within milliseconds of its append) and, at start, reconciles every
/// subscription the `billing_subscriptions` read model holds, so a transition the process
/// missed while down is applied when it starts. The lines' events carry the actor
/// `system:billing-enforcer` and the correlation id `billing:<subscription id>`.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "app/modules/module.hpp"
#include "core/time.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/event_store.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

/// One switch the enforcer made.
struct ServiceSwitched {
    std::string subscription_id;
    std::string line;
    std::string service_id;
    bool on = false;
    bool changed = false;
    core::Timestamp cause_time{};  ///< The time of the subscription event that caused it.
    core::Timestamp done_at{};     ///< The clock after the line's commands returned.
};

/// @thread start/stop from one thread; the switches run on the log subscription's thread.
class ServiceEnforcer {
  public:
    ServiceEnforcer(events::EventStore& store, events::billing::SubscriptionService& subscriptions,
                    const std::map<std::string, ServiceSwitch>& switches,
                    projections::ProjectionRunner* runner, const core::Clock& clock);
    ~ServiceEnforcer();

    /// Reconciles the subscriptions of the read model (when there is a runner with it), then
    /// follows the log from its head.
    void start();
    void stop();

    /// Puts subscription `id`'s service in the state its stream says now.
    /// @returns what was done (nothing when it has no service id or its line no switch).
    /// @errors the subscription's store errors; the switch's (logged by the log follower).
    core::Result<std::optional<ServiceSwitched>> enforce(const std::string& subscription_id,
                                                         core::Timestamp cause_time);

    /// Called after each switch (tests and benches measure the expiry-to-action latency).
    std::function<void(const ServiceSwitched&)> on_switch;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::app
