#pragma once
/// The billing module: the double-entry ledger of every service line, the plans they sell and
/// the subscriptions that pay for them, the payments staff record and the gateways report
/// (core/billing, events/billing, projections/billing, api/routes/billing), and the worker that
/// renews, reminds, expires and suspends subscriptions on time (app/modules/billing_renewals) and
/// the one that turns the lines' services off and on with the subscriptions' status
/// (app/modules/billing_enforcer). Guarded accounts (customer wallets, reseller credits) never go
/// below their floor; the books are read now or as of any time.

#include <memory>

#include "api/routes/billing/billing_api.hpp"
#include "app/modules/billing_enforcer.hpp"
#include "app/modules/billing_notifications.hpp"
#include "app/modules/billing_renewals.hpp"
#include "app/modules/module.hpp"
#include "events/billing/invoice_numbers.hpp"
#include "events/billing/invoice_service.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/payment_service.hpp"
#include "events/billing/subscription_service.hpp"

namespace switchyard::app {

class BillingModule final : public Module {
  public:
    std::string name() const override { return "billing"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    void add_serve_options(CLI::App& serve) override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    core::Result<void> start_workers(ModuleHost& host) override;
    void stop() override;
    /// The ledger's command side, once started (tests and the other modules' charges).
    events::billing::LedgerService& ledger() { return *ledger_; }
    /// Plans and subscriptions, once started.
    events::billing::SubscriptionService& subscriptions() { return *subscriptions_; }
    /// Referral codes, once started.
    events::billing::ReferralService& referrals() { return *referrals_; }

    /// The worker that switches the lines' services, once the workers started (null before).
    ServiceEnforcer* enforcer() { return enforcer_.get(); }

    /// Payments, once started.
    events::billing::PaymentService& payments() { return *payments_; }

    /// How often the renewal worker looks for subscriptions that came due (ms).
    int renewal_tick_ms = 200;
    /// The operator's ISO 3166-1 country (`--billing-seller-country`): EU business buyers of
    /// other member states get the reverse charge. Empty: none set.
    std::string seller_country;
    /// A file of Stripe endpoint signing secrets, one per line (`--billing-stripe-secret-file`).
    std::string stripe_secret_file;
    /// Stripe's secret API key, in a file (`--billing-stripe-api-key-file`): enables
    /// PaymentIntents and refunds on Stripe.
    std::string stripe_api_key_file;
    /// Stripe's API (`--billing-stripe-api-url`; tests point it at a loopback server).
    std::string stripe_api_url = "https://api.stripe.com";
    /// PayPal's webhook id (`--billing-paypal-webhook-id`).
    std::string paypal_webhook_id;
    /// The seller as invoices print it (`--billing-seller-name`, `-address`, `-vat-id`,
    /// `-email`) and the text at the foot of each invoice (`--billing-invoice-footer`).
    std::string seller_name = "Switchyard operator";
    std::string seller_address;
    std::string seller_vat_id;
    std::string seller_email;
    std::string invoice_footer;
    /// The SMTP server invoices are emailed through (`--billing-smtp-url`, smtp:// or smtps://);
    /// empty: invoices are not emailed. `--billing-smtp-credentials-file` holds `user:password`.
    std::string smtp_url;
    std::string smtp_credentials_file;
    /// The sender's address (`--billing-mail-from`); default: the seller's email.
    std::string mail_from;
    /// Invoices, once started.
    events::billing::InvoiceService& invoices() { return *invoices_; }
    /// PayPal's signing certificate, pinned (`--billing-paypal-cert-file`); without it the
    /// certificate is fetched from the `PAYPAL-CERT-URL` (https, a host under paypal.com).
    std::string paypal_cert_file;
    /// The SMS gateway notifications go through (`--billing-sms-gateway-url`; its bearer
    /// token in `--billing-sms-gateway-token-file`); empty: no SMS.
    std::string sms_gateway_url;
    std::string sms_gateway_token_file;
    /// The endpoint every notification is POSTed to, signed (`--billing-notification-webhook-
    /// url`, its HMAC secret in `--billing-notification-webhook-secret-file`); empty: none.
    std::string notification_webhook_url;
    std::string notification_webhook_secret_file;
    /// How often the notifier queues and delivers (`--billing-notification-tick-ms`).
    int notification_tick_ms = 500;
    /// How old a trigger may be and still be sent (`--billing-notification-max-age-hours`).
    int notification_max_age_hours = 24;
    /// Notifications, once started.
    events::billing::NotificationService& notifications() { return *notifications_; }
    /// Where notifications are delivered, from the SMTP, SMS and webhook options (tests build
    /// a NotificationWorker with it and run it by hand).
    /// @errors Invalid naming the option whose file cannot be read or is empty.
    core::Result<NotificationSenders> notification_senders() const;

  private:
    /// The SMTP relay and sender, from `--billing-smtp-*` and `--billing-mail-from`; none
    /// without `--billing-smtp-url`. @errors as invoice_outputs.
    core::Result<std::optional<std::pair<adapters::email::SmtpConfig, std::string>>> smtp() const;

    /// Rendering and emailing of invoices, from the seller and SMTP options.
    /// @errors Invalid naming `--billing-smtp-credentials-file` when it cannot be read or
    ///         holds no `user:password`, or `--billing-mail-from` when no sender is set.
    core::Result<api::InvoiceOutputs> invoice_outputs() const;

    std::unique_ptr<events::billing::LedgerService> ledger_;
    std::unique_ptr<events::billing::CommissionService> commissions_;
    std::unique_ptr<events::billing::ReferralService> referrals_;
    std::unique_ptr<events::billing::SubscriptionService> subscriptions_;
    std::unique_ptr<events::billing::PaymentService> payments_;
    std::unique_ptr<events::billing::PricingService> pricing_;
    std::unique_ptr<events::billing::InvoiceNumbers> numbers_;
    std::unique_ptr<events::billing::InvoiceService> invoices_;
    std::unique_ptr<events::billing::NotificationService> notifications_;
    std::unique_ptr<api::BillingApi> api_;
    std::unique_ptr<RevenueRecognizer> recognizer_;  ///< Runs on the renewal worker's tick.
    std::unique_ptr<RenewalWorker> renewals_;
    std::unique_ptr<ServiceEnforcer> enforcer_;
    std::unique_ptr<NotificationWorker> notifier_;
};

}  // namespace switchyard::app
