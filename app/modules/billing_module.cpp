#include "app/modules/billing_module.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "adapters/payments/stripe_client.hpp"
#include "app/http_client.hpp"
#include "app/modules/billing_documents.hpp"

#include "projections/billing/commissions.hpp"
#include "projections/billing/ledger.hpp"
#include "projections/billing/notifications.hpp"
#include "projections/billing/recognition.hpp"
#include "projections/billing/referrals.hpp"
#include "projections/billing/reports.hpp"
#include "projections/billing/subscriptions.hpp"

namespace switchyard::app {

namespace {

core::Result<std::string> read_file(const std::string& path, const char* option) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Errc::Invalid, option, "cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// True for `https://<host>/...` with a host of paypal.com or under it (PayPal serves its
/// signing certificates from api.paypal.com and api.sandbox.paypal.com).
bool trusted_paypal_cert_url(const std::string& url) {
    constexpr std::string_view kScheme = "https://";
    if (!url.starts_with(kScheme)) return false;
    const auto rest = std::string_view(url).substr(kScheme.size());
    const auto host = rest.substr(0, rest.find('/'));
    if (host.find_first_of("@:?#") != std::string_view::npos) return false;
    return host == "paypal.com" || host.ends_with(".paypal.com");
}

/// PayPal's certificates: the pinned one, or each trusted URL's fetched once.
struct PayPalCertificates {
    std::string pinned;
    std::mutex mutex;
    std::map<std::string, std::string> fetched;

    core::Result<std::string> operator()(const std::string& url) {
        if (!pinned.empty()) return pinned;
        if (!trusted_paypal_cert_url(url))
            return core::fail(core::Errc::Unauthorized, "PAYPAL-CERT-URL",
                              "must be an https URL on paypal.com");
        {
            std::lock_guard lock(mutex);
            if (auto it = fetched.find(url); it != fetched.end()) return it->second;
        }
        auto got = SY_TRY(http_request("GET", url, {}, {}, std::chrono::milliseconds(10'000)));
        if (got.status != 200)
            return core::fail(core::Errc::Unavailable, "PAYPAL-CERT-URL",
                              "fetching the certificate answered " + std::to_string(got.status));
        std::lock_guard lock(mutex);
        return fetched[url] = got.body;
    }
};

}  // namespace

void BillingModule::add_projectors(
    std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::billing::make_billing_ledger_projector());
    out.push_back(projections::billing::make_billing_subscriptions_projector());
    out.push_back(projections::billing::make_billing_reports_projector());
    out.push_back(projections::billing::make_billing_commissions_projector());
    out.push_back(projections::billing::make_billing_referrals_projector());
    out.push_back(projections::billing::make_billing_notifications_projector());
    out.push_back(projections::billing::make_billing_recognition_projector());
}

void BillingModule::add_serve_options(CLI::App& serve) {
    serve
        .add_option("--billing-renewal-tick-ms", renewal_tick_ms,
                    "How often the billing worker advances subscriptions that came due "
                    "(reminders, renewals, expiry, suspension), in milliseconds")
        ->check(CLI::Range(10, 60'000))
        ->capture_default_str();
    serve.add_option("--billing-seller-country", seller_country,
                     "The operator's ISO 3166-1 country (DE): EU business buyers with a VAT id of "
                     "another member state get the reverse charge");
    serve.add_option("--billing-stripe-secret-file", stripe_secret_file,
                     "A file of Stripe webhook signing secrets (whsec_...), one per line; "
                     "enables /v1/billing/webhooks/stripe");
    serve.add_option("--billing-stripe-api-key-file", stripe_api_key_file,
                     "A file holding Stripe's secret API key (sk_...); enables "
                     "/v1/billing/payment-intents and refunds of Stripe payments on Stripe");
    serve.add_option("--billing-stripe-api-url", stripe_api_url, "Stripe's API base URL")
        ->capture_default_str();
    serve.add_option("--billing-paypal-webhook-id", paypal_webhook_id,
                     "PayPal's webhook id; enables /v1/billing/webhooks/paypal");
    serve.add_option("--billing-seller-name", seller_name, "The seller's name on invoices")
        ->capture_default_str();
    serve.add_option("--billing-seller-address", seller_address,
                     "The seller's postal address on invoices (\\n between lines)");
    serve.add_option("--billing-seller-vat-id", seller_vat_id, "The seller's VAT id on invoices");
    serve.add_option("--billing-seller-email", seller_email,
                     "The seller's email on invoices; the sender of invoice emails by default");
    serve.add_option("--billing-invoice-footer", invoice_footer,
                     "Printed at the foot of every invoice: payment terms, bank details");
    serve.add_option("--billing-smtp-url", smtp_url,
                     "The SMTP server invoices are emailed through: smtp://host:587 (STARTTLS "
                     "when offered) or smtps://host:465");
    serve.add_option("--billing-smtp-credentials-file", smtp_credentials_file,
                     "A file holding the SMTP login as user:password");
    serve.add_option("--billing-mail-from", mail_from,
                     "The sender of invoice emails (default: --billing-seller-email)");
    serve.add_option("--billing-paypal-cert-file", paypal_cert_file,
                     "PayPal's signing certificate (PEM), pinned; default: fetched from the "
                     "PAYPAL-CERT-URL of each delivery (https, paypal.com only)");
    serve.add_option("--billing-sms-gateway-url", sms_gateway_url,
                     "The HTTP SMS gateway notifications are POSTed to as JSON {to, text, "
                     "reference}; enables the sms channel");
    serve.add_option("--billing-sms-gateway-token-file", sms_gateway_token_file,
                     "A file holding the SMS gateway's bearer token");
    serve.add_option("--billing-notification-webhook-url", notification_webhook_url,
                     "An endpoint every notification is POSTed to as signed JSON "
                     "(Switchyard-Signature); enables the webhook channel");
    serve.add_option("--billing-notification-webhook-secret-file", notification_webhook_secret_file,
                     "A file holding the webhook's HMAC-SHA256 signing secret");
    serve
        .add_option("--billing-notification-tick-ms", notification_tick_ms,
                    "How often the notifier queues notifications and makes due deliveries, in "
                    "milliseconds")
        ->check(CLI::Range(10, 60'000))
        ->capture_default_str();
    serve
        .add_option("--billing-notification-max-age-hours", notification_max_age_hours,
                    "Triggers older than this when the notifier reads them (history, when "
                    "notifications are first enabled on an old log) are logged as stale, not sent")
        ->check(CLI::Range(1, 24 * 365))
        ->capture_default_str();
}

namespace {

/// The first line of a secret file, trailing white space removed. @errors Invalid naming
/// `option` when it cannot be read or is empty.
core::Result<std::string> read_secret(const std::string& path, const char* option) {
    auto text = SY_TRY(read_file(path, option));
    text = text.substr(0, text.find('\n'));
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.empty()) return core::fail(core::Errc::Invalid, option, path + " is empty");
    return text;
}

}  // namespace

core::Result<std::optional<std::pair<adapters::email::SmtpConfig, std::string>>>
BillingModule::smtp() const {
    using Out = std::optional<std::pair<adapters::email::SmtpConfig, std::string>>;
    if (smtp_url.empty()) return Out{};
    adapters::email::SmtpConfig smtp;
    smtp.url = smtp_url;
    if (!smtp_credentials_file.empty()) {
        auto text = SY_TRY(read_file(smtp_credentials_file, "--billing-smtp-credentials-file"));
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
            text.pop_back();
        const auto colon = text.find(':');
        if (colon == std::string::npos || colon == 0)
            return core::fail(core::Errc::Invalid, "--billing-smtp-credentials-file",
                              "must hold user:password");
        smtp.username = text.substr(0, colon);
        smtp.password = text.substr(colon + 1);
    }
    const auto from = mail_from.empty() ? seller_email : mail_from;
    if (from.empty())
        return core::fail(core::Errc::Invalid, "--billing-mail-from",
                          "is required with --billing-smtp-url (or --billing-seller-email)");
    return Out{std::pair{std::move(smtp), from}};
}

core::Result<NotificationSenders> BillingModule::notification_senders() const {
    NotificationSenders out;
    out.max_age = std::chrono::hours(notification_max_age_hours);
    if (auto relay = SY_TRY(smtp())) {
        out.smtp = relay->first;
        out.mail_from = relay->second;
        out.mail_from_name = seller_name;
    }
    if (!sms_gateway_url.empty()) {
        SmsGateway g{sms_gateway_url, ""};
        if (!sms_gateway_token_file.empty())
            g.token =
                SY_TRY(read_secret(sms_gateway_token_file, "--billing-sms-gateway-token-file"));
        out.sms = g;
    }
    if (!notification_webhook_url.empty()) {
        if (notification_webhook_secret_file.empty())
            return core::fail(core::Errc::Invalid, "--billing-notification-webhook-secret-file",
                              "is required with --billing-notification-webhook-url");
        out.webhook =
            WebhookEndpoint{notification_webhook_url,
                            SY_TRY(read_secret(notification_webhook_secret_file,
                                               "--billing-notification-webhook-secret-file"))};
    }
    return out;
}

core::Result<api::InvoiceOutputs> BillingModule::invoice_outputs() const {
    InvoiceSeller seller{seller_name,   seller_address, seller_country,
                         seller_vat_id, seller_email,   invoice_footer};
    // `\n` typed on a command line stands for a line break of the address.
    for (auto pos = seller.address.find("\\n"); pos != std::string::npos;
         pos = seller.address.find("\\n", pos))
        seller.address.replace(pos, 2, "\n");
    api::InvoiceOutputs out;
    out.render = [seller](const core::billing::InvoiceState& s, std::string_view format) {
        return render_invoice(s, seller, format);
    };
    const auto relay = SY_TRY(smtp());
    if (!relay) return out;
    out.email = [relay = *relay, seller](const core::billing::InvoiceState& s,
                                         const std::string& to) {
        return email_invoice(relay.first, relay.second, s, seller, to);
    };
    return out;
}

core::Result<void> BillingModule::start(ModuleHost& host) {
    ledger_ = std::make_unique<events::billing::LedgerService>(host.store, host.tenant);
    commissions_ =
        std::make_unique<events::billing::CommissionService>(host.store, *ledger_, host.tenant);
    referrals_ =
        std::make_unique<events::billing::ReferralService>(host.store, *ledger_, host.tenant);
    pricing_ =
        std::make_unique<events::billing::PricingService>(host.store, host.tenant, seller_country);
    auto keys = host.data_dir.empty()
                    ? events::SubjectKeys::in_memory()
                    : SY_TRY(events::SubjectKeys::open_dir(host.data_dir / "subject-keys"));
    numbers_ = std::make_unique<events::billing::InvoiceNumbers>(host.store, host.tenant);
    invoices_ = std::make_unique<events::billing::InvoiceService>(host.store, *ledger_, *pricing_,
                                                                  *numbers_, keys, host.tenant);
    subscriptions_ = std::make_unique<events::billing::SubscriptionService>(
        host.store, *ledger_, host.tenant, commissions_.get(), invoices_.get());
    payments_ = std::make_unique<events::billing::PaymentService>(host.store, *ledger_,
                                                                  *subscriptions_, host.tenant);
    api::PaymentGateways gateways;
    if (!stripe_secret_file.empty()) {
        std::istringstream lines(
            SY_TRY(read_file(stripe_secret_file, "--billing-stripe-secret-file")));
        for (std::string line; std::getline(lines, line);) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
            if (!line.empty()) gateways.stripe_signing_secrets.push_back(line);
        }
    }
    if (!stripe_api_key_file.empty()) {
        const auto key = SY_TRY(read_secret(stripe_api_key_file, "--billing-stripe-api-key-file"));
        auto stripe = std::make_shared<adapters::payments::StripeClient>(
            adapters::payments::StripeSettings{stripe_api_url, key});
        gateways.create_stripe_intent =
            [stripe](
                const std::string& customer, const std::string& subscription,
                core::billing::Micros amount, const std::string& currency,
                const std::string& idempotency_key) -> core::Result<api::PaymentGateways::Intent> {
            auto pi = SY_TRY(stripe->create_payment_intent(customer, subscription, amount, currency,
                                                           idempotency_key));
            return api::PaymentGateways::Intent{pi.id, pi.client_secret, pi.status};
        };
        gateways.stripe_refund =
            [stripe](const std::string& intent, core::billing::Micros amount,
                     const std::string& currency, const std::string& refund_id,
                     const std::string& idempotency_key) -> core::Result<std::string> {
            return SY_TRY(stripe->refund(intent, amount, currency, refund_id, idempotency_key)).id;
        };
    }
    gateways.paypal_webhook_id = paypal_webhook_id;
    auto certificates = std::make_shared<PayPalCertificates>();
    if (!paypal_cert_file.empty())
        certificates->pinned = SY_TRY(read_file(paypal_cert_file, "--billing-paypal-cert-file"));
    gateways.paypal_certificate = [certificates](const std::string& url) {
        return (*certificates)(url);
    };
    notifications_ =
        std::make_unique<events::billing::NotificationService>(host.store, keys, host.tenant);
    auto outputs = SY_TRY(invoice_outputs());
    api_ = std::make_unique<api::BillingApi>(api::BillingApi{host.api,
                                                             *ledger_,
                                                             *subscriptions_,
                                                             *payments_,
                                                             *pricing_,
                                                             *invoices_,
                                                             *commissions_,
                                                             *referrals_,
                                                             *notifications_,
                                                             keys,
                                                             std::move(gateways),
                                                             std::move(outputs),
                                                             {}});
    for (const auto& [line, owner] : host.service_owners) api_->service_owners[line] = owner;
    return {};
}

void BillingModule::add_routes(api::Router& router) { api::add_billing_routes(router, *api_); }

core::Result<void> BillingModule::start_workers(ModuleHost& host) {
    renewals_ = std::make_unique<RenewalWorker>(*subscriptions_, host.runner, host.clock,
                                                std::chrono::milliseconds(renewal_tick_ms));
    renewals_->also([this, &runner = host.runner](core::Timestamp now) {
        return reward_referrals(*referrals_, runner, now);
    });
    recognizer_ = std::make_unique<RevenueRecognizer>(*ledger_, host.runner);
    renewals_->also([this](core::Timestamp now) { return recognizer_->run_once(now); });
    renewals_->start();
    enforcer_ = std::make_unique<ServiceEnforcer>(host.store, *subscriptions_,
                                                  host.service_switches, &host.runner, host.clock);
    enforcer_->start();
    notifier_ = std::make_unique<NotificationWorker>(
        *notifications_, host.runner, host.clock, SY_TRY(notification_senders()),
        std::chrono::milliseconds(notification_tick_ms));
    notifier_->start();
    return {};
}

void BillingModule::stop() {
    if (renewals_) renewals_->stop();
    if (enforcer_) enforcer_->stop();
    if (notifier_) notifier_->stop();
}

}  // namespace switchyard::app
