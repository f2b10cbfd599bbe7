#pragma once
/// The billing notifier: a worker thread that, every tick, queues the notification of each
/// trigger the `billing_notifications` read model holds (events/billing/
/// notification_service.hpp) and then makes each delivery that is due: email through the SMTP
/// relay (adapters/email/smtp_mailer.hpp), SMS through the tenant's SMS gateway, and the
/// webhook to the tenant's endpoint, recording every attempt in the notification's stream
/// (delivered, or failed with the next attempt: 1 min, 5 min, 30 min, 2 h, 6 h; given up after
/// 6 attempts or a permanent refusal).
///
/// The SMS gateway takes `POST <url>` with `Authorization: Bearer <token>` and the JSON body
/// `{"to": "+4915123456789", "text": "...", "reference": "<notification id>"}`; a 2xx answer
/// is delivery (its body, up to 200 bytes, is kept as the reply).
///
/// The webhook is `POST <url>` of the notification's JSON document (NotificationService::queue)
/// with `Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the
/// endpoint's secret>` (the scheme of Stripe's `Stripe-Signature`, so receivers verify it the
/// same way) and `Switchyard-Notification-Id`. A 2xx answer is delivery; 4xx other than 408
/// and 429 is a permanent refusal; anything else is retried.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "adapters/email/smtp_mailer.hpp"
#include "core/billing/notification.hpp"
#include "core/time.hpp"
#include "events/billing/notification_service.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

/// The tenant's SMS gateway (`--billing-sms-gateway-url`, `--billing-sms-gateway-token-file`).
struct SmsGateway {
    std::string url;    ///< http:// or https://.
    std::string token;  ///< Sent as a bearer token; may be empty (no Authorization header).
};

/// The tenant's webhook endpoint (`--billing-notification-webhook-url`, `...-secret-file`).
struct WebhookEndpoint {
    std::string url;
    std::string secret;  ///< The HMAC key; required.
};

/// Where deliveries go; a channel without its destination is not delivered (its deliveries
/// are never queued: NotificationGateways says which exist).
struct NotificationSenders {
    std::optional<adapters::email::SmtpConfig> smtp;
    std::string mail_from;       ///< The sender address of notification emails.
    std::string mail_from_name;  ///< Its display name (the seller's name).
    std::optional<SmsGateway> sms;
    std::optional<WebhookEndpoint> webhook;
    /// A trigger older than this is logged as stale, not sent (`--billing-notification-max-
    /// age-hours`).
    std::chrono::seconds max_age = core::billing::kNotificationMaxAge;
    /// The channels this configuration delivers.
    events::billing::NotificationGateways gateways() const {
        return {sms.has_value(), webhook.has_value(), max_age};
    }
};

/// Makes one delivery attempt of `d` (opened) of notification `id` at `now`.
core::billing::AttemptOutcome deliver(const NotificationSenders& senders, const std::string& id,
                                      const core::billing::NotificationDelivery& d,
                                      core::Timestamp now);

/// Queues the notifications of up to 500 pending triggers; returns how many were queued.
/// Errors are logged and skipped (the next tick retries).
std::size_t queue_notifications(events::billing::NotificationService& service,
                                projections::ProjectionRunner& runner,
                                const events::billing::NotificationGateways& gateways,
                                core::Timestamp now);

/// Makes up to 100 deliveries due at `now` and records each attempt; returns how many
/// attempts were recorded.
std::size_t deliver_notifications(events::billing::NotificationService& service,
                                  projections::ProjectionRunner& runner,
                                  const NotificationSenders& senders, core::Timestamp now);

/// @thread start/stop from one thread; run_once from any.
class NotificationWorker {
  public:
    NotificationWorker(events::billing::NotificationService& service,
                       projections::ProjectionRunner& runner, const core::Clock& clock,
                       NotificationSenders senders,
                       std::chrono::milliseconds tick = std::chrono::milliseconds(500));
    ~NotificationWorker();
    /// Starts the tick thread. Idempotent.
    void start();
    /// Stops it and waits for the tick in progress (a delivery may take its timeout).
    void stop();
    /// Queues what is pending and delivers what is due at the clock's now; returns how many
    /// commands appended.
    std::size_t run_once();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::app
