#include "app/modules/billing_enforcer.hpp"

#include <spdlog/spdlog.h>

#include "projections/billing/subscriptions.hpp"

namespace switchyard::app {

namespace {

/// True for the subscription events after which the service may be on where it was off or the
/// reverse; a reminder, a failed renewal (past due keeps the service), a scheduled
/// cancellation or downgrade and an auto-renew switch leave it as it is, and switching on them
/// would only ask each line's adapter to find nothing to do.
bool may_switch(std::string_view type) {
    for (std::string_view quiet :
         {"billing.subscription.reminder_due", "billing.subscription.renewal_failed",
          "billing.subscription.cancel_scheduled", "billing.subscription.downgrade_scheduled",
          "billing.subscription.auto_renew_set"})
        if (type == quiet) return false;
    return true;
}

}  // namespace

struct ServiceEnforcer::Impl {
    events::EventStore& store;
    events::billing::SubscriptionService& subscriptions;
    const std::map<std::string, ServiceSwitch>& switches;
    projections::ProjectionRunner* runner;
    const core::Clock& clock;
    std::unique_ptr<events::Subscription> follower;

    void on_batch(ServiceEnforcer& self, std::span<const events::RecordedEvent> batch) {
        static constexpr std::string_view kPrefix = "billing_subscription-";
        for (const auto& e : batch) {
            if (!e.type.starts_with("billing.subscription.") || !e.stream.starts_with(kPrefix) ||
                !may_switch(e.type))
                continue;
            const auto id = e.stream.substr(kPrefix.size());
            if (auto r = self.enforce(id, e.time); !r)
                spdlog::warn("billing: the service of subscription {} was not switched: {} ({})",
                             id, r.error().message, r.error().field);
        }
    }
};

ServiceEnforcer::ServiceEnforcer(events::EventStore& store,
                                 events::billing::SubscriptionService& subscriptions,
                                 const std::map<std::string, ServiceSwitch>& switches,
                                 projections::ProjectionRunner* runner, const core::Clock& clock)
    : impl_(std::make_unique<Impl>(Impl{store, subscriptions, switches, runner, clock, nullptr})) {}

ServiceEnforcer::~ServiceEnforcer() { stop(); }

void ServiceEnforcer::start() {
    if (impl_->follower) return;
    const auto head = impl_->store.head();
    const auto* view =
        impl_->runner ? impl_->runner->view(projections::billing::kBillingSubscriptions) : nullptr;
    if (view) {
        std::string after;
        for (;;) {
            const auto page =
                projections::billing::list_subscriptions(*view, "", std::nullopt, after, 500);
            for (const auto& row : page)
                if (auto r = enforce(row.terms.subscription_id, row.updated_at); !r)
                    spdlog::warn("billing: subscription {} not reconciled: {} ({})",
                                 row.terms.subscription_id, r.error().message, r.error().field);
            if (page.size() < 500) break;
            after = page.back().terms.subscription_id;
        }
    }
    impl_->follower = impl_->store.subscribe(
        head,
        [this](std::span<const events::RecordedEvent> batch) { impl_->on_batch(*this, batch); });
}

void ServiceEnforcer::stop() {
    if (impl_->follower) impl_->follower->stop();
    impl_->follower.reset();
}

core::Result<std::optional<ServiceSwitched>> ServiceEnforcer::enforce(
    const std::string& subscription_id, core::Timestamp cause_time) {
    const auto [state, revision] = SY_TRY(impl_->subscriptions.subscription(subscription_id));
    if (!state.terms || state.terms->service_id.empty()) return std::optional<ServiceSwitched>{};
    auto it = impl_->switches.find(state.line);
    if (it == impl_->switches.end()) return std::optional<ServiceSwitched>{};
    ServiceSwitched s{subscription_id, state.line, state.terms->service_id,
                      core::billing::service_on(state.status)};
    s.cause_time = cause_time;
    core::DecisionContext ctx;
    ctx.now = impl_->clock.now();
    ctx.actor = core::Actor{core::ActorKind::System, "billing-enforcer", ""};
    ctx.correlation_id = "billing:" + subscription_id;
    s.changed = SY_TRY(it->second(s.service_id, s.on, ctx));
    s.done_at = impl_->clock.now();
    if (on_switch) on_switch(s);
    return std::optional<ServiceSwitched>{std::move(s)};
}

}  // namespace switchyard::app
