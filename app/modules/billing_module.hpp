#pragma once
/// The billing module: the double-entry ledger of every service line (core/billing,
/// events/billing, projections/billing, api/routes/billing). Guarded accounts (customer wallets,
/// reseller credits) never go below their floor; the books are read now or as of any time.

#include <memory>

#include "api/routes/billing/billing_api.hpp"
#include "app/modules/module.hpp"
#include "events/billing/ledger_service.hpp"

namespace switchyard::app {

class BillingModule final : public Module {
  public:
    std::string name() const override { return "billing"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    /// The ledger's command side, once started (tests and the other modules' charges).
    events::billing::LedgerService& ledger() { return *ledger_; }

  private:
    std::unique_ptr<events::billing::LedgerService> ledger_;
    std::unique_ptr<api::BillingApi> api_;
};

}  // namespace switchyard::app
