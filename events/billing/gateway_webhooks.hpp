#pragma once
/// Payment gateways' webhooks: their signatures checked as each vendor documents it, and their
/// events read into payment commands (core/billing/payment.hpp). No gateway is reachable here:
/// the formats follow Stripe's and PayPal's documentation, and the tests sign payloads
/// themselves.
///
/// Stripe (docs.stripe.com/webhooks, "Verify webhook signatures manually"): header
/// `Stripe-Signature: t=<Unix s>,v1=<hex>[,v1=<hex>...]`; the signed payload is
/// `<t>.<raw body>`, HMAC-SHA-256 under the endpoint's signing secret (`whsec_...`); any `v1`
/// may match (secrets roll); `t` must be within the tolerance of now (default 300 s).
/// Events read: `payment_intent.succeeded` (metadata `customer_id`, optional
/// `subscription_id`), `charge.refunded` (cumulative `amount_refunded`),
/// `charge.dispute.created`, `charge.dispute.closed` (status `won` or `lost`); amounts are in
/// the currency's minor unit (cents; none for zero-decimal currencies such as JPY).
///
/// PayPal (developer.paypal.com, "Webhooks: verify the signature"): headers
/// `PAYPAL-TRANSMISSION-ID`, `PAYPAL-TRANSMISSION-TIME`, `PAYPAL-TRANSMISSION-SIG` (base64),
/// `PAYPAL-CERT-URL`, `PAYPAL-AUTH-ALGO` (`SHA256withRSA`); the signed text is
/// `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the raw body, decimal>`,
/// verified with the public key of the certificate at the cert URL. Events read:
/// `PAYMENT.CAPTURE.COMPLETED` (`custom_id` = `<customer id>` or
/// `<customer id>:<subscription id>`), `PAYMENT.CAPTURE.REFUNDED` (the capture from the refund's
/// `up` link), `CUSTOMER.DISPUTE.CREATED`, `CUSTOMER.DISPUTE.RESOLVED`; amounts are decimal
/// text (`"12.50"`).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/payment.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::events::billing {

/// Stripe's default tolerance between the signature's timestamp and now.
inline constexpr std::chrono::seconds kStripeTolerance{300};

/// Checks a `Stripe-Signature` header against the raw body under any of `secrets`.
/// @errors Unauthorized naming `Stripe-Signature`: malformed, no `v1` matches, or the
///         timestamp is outside the tolerance (the message says which).
core::Result<void> verify_stripe_signature(std::string_view header, std::string_view body,
                                           const std::vector<std::string>& secrets,
                                           core::Timestamp now,
                                           std::chrono::seconds tolerance = kStripeTolerance);

/// The `Stripe-Signature` header for `body` at Unix time `t` under `secret` (what Stripe
/// sends; for tests and the README tour).
std::string stripe_signature(std::string_view body, std::string_view secret, std::int64_t t);

/// PayPal's transmission headers.
struct PayPalTransmission {
    std::string transmission_id;
    std::string transmission_time;
    std::string transmission_sig;  ///< base64.
    std::string cert_url;
    std::string auth_algo;  ///< `SHA256withRSA`.
};

/// Checks a PayPal transmission's signature with the certificate (PEM) of its cert URL.
/// @errors Unauthorized naming the header at fault (`PAYPAL-AUTH-ALGO` other than
///         SHA256withRSA, `PAYPAL-TRANSMISSION-SIG` not base64 or not matching); Invalid
///         `certificate` when the PEM does not hold a certificate with an RSA key.
core::Result<void> verify_paypal_signature(const PayPalTransmission& t, std::string_view body,
                                           std::string_view webhook_id,
                                           std::string_view certificate_pem);

/// CRC-32 (IEEE 802.3, as zlib's crc32) of `data`: PayPal signs its decimal text.
std::uint32_t crc32_of(std::string_view data) noexcept;

/// A gateway event read into what it asks of a payment.
struct GatewayEvent {
    std::string gateway;     ///< `stripe` or `paypal`.
    std::string event_id;    ///< The gateway's event id (the idempotency key).
    std::string event_type;  ///< e.g. `payment_intent.succeeded`.
    std::string payment_id;  ///< `<gateway>.<id>`; empty for an event not acted on.
    std::string currency;    ///< ISO 4217 of the event's amount; empty when it has none.
    using Command =
        std::variant<std::monostate, core::billing::ReceivePayment, core::billing::RefundPayment,
                     core::billing::DisputePayment, core::billing::CloseDispute>;
    Command command;  ///< monostate: an event type Switchyard does not act on.
};

/// Reads a Stripe event object (the webhook's body).
/// @errors Invalid naming the field (`id`, `type`, `data.object.amount_received`,
///         `data.object.metadata.customer_id`, ...).
core::Result<GatewayEvent> parse_stripe_event(std::string_view body);

/// Reads a PayPal webhook event (the webhook's body).
/// @errors Invalid naming the field (`id`, `event_type`, `resource.amount.value`,
///         `resource.custom_id`, ...).
core::Result<GatewayEvent> parse_paypal_event(std::string_view body);

}  // namespace switchyard::events::billing
