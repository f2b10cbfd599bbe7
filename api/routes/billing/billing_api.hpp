#pragma once
/// What the billing routes (`/v1/billing/...`) work with: the shared ApiContext and the ledger's
/// command side and its plans and subscriptions. Built by the billing module's registration
/// (app/modules/billing_module).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "events/billing/commission_service.hpp"
#include "events/billing/invoice_service.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/notification_service.hpp"
#include "events/billing/payment_service.hpp"
#include "events/billing/pricing_service.hpp"
#include "events/billing/referral_service.hpp"
#include "events/billing/subscription_service.hpp"

namespace switchyard::api {

/// How the gateways' webhooks are checked (events/billing/gateway_webhooks.hpp).
struct PaymentGateways {
    /// Stripe's endpoint signing secrets (`whsec_...`); any may sign (secrets roll). None:
    /// `/v1/billing/webhooks/stripe` answers 503.
    std::vector<std::string> stripe_signing_secrets;
    std::chrono::seconds stripe_tolerance{300};
    /// PayPal's webhook id (the signed text holds it). Empty: `/v1/billing/webhooks/paypal`
    /// answers 503.
    std::string paypal_webhook_id;
    /// The PEM certificate at a `PAYPAL-CERT-URL` (a pinned file, or fetched and cached).
    /// @errors Unauthorized naming `PAYPAL-CERT-URL` for a URL it does not trust; Unavailable.
    std::function<core::Result<std::string>(const std::string& cert_url)> paypal_certificate;

    /// A PaymentIntent created on Stripe for a checkout.
    struct Intent {
        std::string id;             ///< `pi_...`
        std::string client_secret;  ///< For the checkout page (Stripe.js).
        std::string status;
    };
    /// Creates a PaymentIntent on Stripe (adapters/payments/stripe_client.hpp): customer id,
    /// subscription id (may be empty), amount in micro-units, currency, idempotency key.
    /// Unset without `--billing-stripe-api-key-file`.
    std::function<core::Result<Intent>(const std::string&, const std::string&,
                                       core::billing::Micros, const std::string&,
                                       const std::string&)>
        create_stripe_intent;
    /// Refunds a PaymentIntent on Stripe: intent id, amount in micro-units, currency, refund
    /// id, idempotency key; gives Stripe's refund id. Unset without an API key.
    std::function<core::Result<std::string>(const std::string&, core::billing::Micros,
                                            const std::string&, const std::string&,
                                            const std::string&)>
        stripe_refund;
};

/// How issued documents leave the system: rendered (adapters/billing/invoice_document.hpp) and
/// emailed (adapters/email/smtp_mailer.hpp), wired by the billing module.
struct InvoiceOutputs {
    /// The document (its buyer's fields opened) as `html` or `pdf` bytes. Unset: 503.
    std::function<core::Result<std::string>(const core::billing::InvoiceState&,
                                            std::string_view format)>
        render;
    /// Emails the document (HTML body, PDF attached) to `to`; gives the Message-ID. Unset
    /// (no `--billing-smtp-url`): 503. @errors Unavailable naming `smtp` when the server
    /// refuses it or cannot be reached.
    std::function<core::Result<std::string>(const core::billing::InvoiceState&,
                                            const std::string& to)>
        email;
};

/// The owner path of a service of one line (`iptv` line id, `vpn` customer id), by line: what
/// a reseller may buy for. @errors NotFound naming `service_id`.
using ServiceOwners =
    std::map<std::string, std::function<core::Result<std::string>(const std::string&)>>;

/// The billing module's API state.
struct BillingApi {
    ApiContext& ctx;
    events::billing::LedgerService& ledger;
    events::billing::SubscriptionService& subscriptions;
    events::billing::PaymentService& payments;
    events::billing::PricingService& pricing;
    events::billing::InvoiceService& invoices;
    events::billing::CommissionService& commissions;
    events::billing::ReferralService& referrals;
    events::billing::NotificationService& notifications;
    /// Per-subject keys of the buyers' personal data; erasing a customer destroys theirs.
    std::shared_ptr<events::SubjectKeys> subject_keys;
    PaymentGateways gateways;
    InvoiceOutputs outputs;
    ServiceOwners service_owners;
};

/// Adds `/v1/billing/...`: guarded accounts, journal entries and reversals, account balances
/// and statements, the trial balance (now or as of a time).
void add_billing_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/payments/...` and the gateways' webhooks `/v1/billing/webhooks/stripe`
/// and `/v1/billing/webhooks/paypal` (api/routes/billing/payments.cpp); called by
/// add_billing_routes.
void add_payment_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/tax-rates`, `/v1/billing/promo-codes` and `/v1/billing/quotes`
/// (api/routes/billing/pricing.cpp); called by add_billing_routes.
void add_pricing_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/invoices/...` and `/v1/billing/customers/{customer_id}/erasure`
/// (api/routes/billing/invoices.cpp); called by add_billing_routes.
void add_invoice_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/credits` and `/v1/billing/credits/transfers` (api/routes/billing/
/// credits.cpp); called by add_billing_routes.
void add_credit_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/plans` and `/v1/billing/subscriptions/...` (api/routes/billing/
/// subscriptions.cpp); called by add_billing_routes.
void add_subscription_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/commission-rates/...`, `/v1/billing/commissions/...` and
/// `/v1/billing/commission-payouts/...` (api/routes/billing/commissions.cpp); called by
/// add_billing_routes.
void add_commission_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/referral-codes/...` and `/v1/billing/referrals/...` (api/routes/billing/
/// referrals.cpp); called by add_billing_routes.
void add_referral_routes(Router& router, BillingApi& api);

/// Adds `/v1/billing/notification-templates/...`, `/v1/billing/notification-contacts/...`,
/// `/v1/billing/notification-settings` and `/v1/billing/notifications/...` (api/routes/billing/
/// notifications.cpp); called by add_billing_routes.
void add_notification_routes(Router& router, BillingApi& api);
/// Adds `/v1/billing/reports/...`: revenue, taxes, profit and loss, MRR and churn,
/// receivables aging, each also as `.csv` (api/routes/billing/reports.cpp); called by
/// add_billing_routes.
void add_report_routes(Router& router, BillingApi& api);

}  // namespace switchyard::api
