#pragma once
/// What the billing routes (`/v1/billing/...`) work with: the shared ApiContext and the ledger's
/// command side and its plans and subscriptions. Built by the billing module's registration
/// (app/modules/billing_module).

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/subscription_service.hpp"

namespace switchyard::api {

/// The billing module's API state.
struct BillingApi {
    ApiContext& ctx;
    events::billing::LedgerService& ledger;
    events::billing::SubscriptionService& subscriptions;
};

/// Adds `/v1/billing/...`: guarded accounts, journal entries and reversals, account balances
/// and statements, the trial balance (now or as of a time).
void add_billing_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/plans` and `/v1/billing/subscriptions/...` (api/routes/billing/
/// subscriptions.cpp); called by add_billing_routes.
void add_subscription_routes(Router& router, BillingApi& api);

}  // namespace switchyard::api
