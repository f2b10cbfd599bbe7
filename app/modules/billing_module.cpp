#include "app/modules/billing_module.hpp"

#include <CLI/CLI.hpp>

#include "projections/billing/ledger.hpp"
#include "projections/billing/subscriptions.hpp"

namespace switchyard::app {

void BillingModule::add_projectors(
    std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::billing::make_billing_ledger_projector());
    out.push_back(projections::billing::make_billing_subscriptions_projector());
}

void BillingModule::add_serve_options(CLI::App& serve) {
    serve
        .add_option("--billing-renewal-tick-ms", renewal_tick_ms,
                    "How often the billing worker advances subscriptions that came due "
                    "(reminders, renewals, expiry, suspension), in milliseconds")
        ->check(CLI::Range(10, 60'000))
        ->capture_default_str();
}

core::Result<void> BillingModule::start(ModuleHost& host) {
    ledger_ = std::make_unique<events::billing::LedgerService>(host.store, host.tenant);
    subscriptions_ =
        std::make_unique<events::billing::SubscriptionService>(host.store, *ledger_, host.tenant);
    api_ = std::make_unique<api::BillingApi>(api::BillingApi{host.api, *ledger_, *subscriptions_});
    return {};
}

void BillingModule::add_routes(api::Router& router) { api::add_billing_routes(router, *api_); }

core::Result<void> BillingModule::start_workers(ModuleHost& host) {
    renewals_ = std::make_unique<RenewalWorker>(*subscriptions_, host.runner, host.clock,
                                                std::chrono::milliseconds(renewal_tick_ms));
    renewals_->start();
    enforcer_ = std::make_unique<ServiceEnforcer>(host.store, *subscriptions_,
                                                  host.service_switches, &host.runner, host.clock);
    enforcer_->start();
    return {};
}

void BillingModule::stop() {
    if (renewals_) renewals_->stop();
    if (enforcer_) enforcer_->stop();
}

}  // namespace switchyard::app
