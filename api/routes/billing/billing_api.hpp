#pragma once
/// What the billing routes (`/v1/billing/...`) work with: the shared ApiContext and the ledger's
/// command side. Built by the billing module's registration (app/modules/billing_module).

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "events/billing/ledger_service.hpp"

namespace switchyard::api {

/// The billing module's API state.
struct BillingApi {
    ApiContext& ctx;
    events::billing::LedgerService& ledger;
};

/// Adds `/v1/billing/...`: guarded accounts, journal entries and reversals, account balances
/// and statements, the trial balance (now or as of a time).
void add_billing_routes(Router& router, BillingApi& api);

}  // namespace switchyard::api
