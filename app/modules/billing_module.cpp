#include "app/modules/billing_module.hpp"

#include "projections/billing/ledger.hpp"

namespace switchyard::app {

void BillingModule::add_projectors(
    std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::billing::make_billing_ledger_projector());
}

core::Result<void> BillingModule::start(ModuleHost& host) {
    ledger_ = std::make_unique<events::billing::LedgerService>(host.store, host.tenant);
    api_ = std::make_unique<api::BillingApi>(api::BillingApi{host.api, *ledger_});
    return {};
}

void BillingModule::add_routes(api::Router& router) { api::add_billing_routes(router, *api_); }

}  // namespace switchyard::app
