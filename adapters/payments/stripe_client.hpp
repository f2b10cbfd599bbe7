#pragma once
/// Stripe's API, the two calls Switchyard makes (docs.stripe.com/api): create a PaymentIntent
/// for a customer's checkout, and refund one. Requests are form-encoded
/// (`application/x-www-form-urlencoded`, nested keys as `metadata[customer_id]`), authenticated
/// with the secret key as a Bearer token, and carry an `Idempotency-Key` so a retried call
/// creates nothing twice. Amounts go in the currency's minor unit (cents; whole yen), the
/// currency in lower case. No Stripe is reachable here: the tests answer as Stripe documents.

#include <cstdint>
#include <string>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"

namespace switchyard::adapters::payments {

struct StripeSettings {
    std::string api_base = "https://api.stripe.com";  ///< Without a trailing slash.
    std::string secret_key;                           ///< `sk_live_...` or `sk_test_...`.
    int timeout_ms = 10'000;
};

/// A PaymentIntent as Stripe answers it.
struct StripePaymentIntent {
    std::string id;             ///< `pi_...`
    std::string client_secret;  ///< What the checkout page confirms the payment with.
    std::string status;         ///< e.g. `requires_payment_method`.
    core::billing::Micros amount_micros = 0;
    std::string currency;  ///< ISO 4217, upper case.
};

/// A Refund as Stripe answers it.
struct StripeRefund {
    std::string id;      ///< `re_...`
    std::string status;  ///< `succeeded`, `pending`, `failed`, ...
    core::billing::Micros amount_micros = 0;
};

/// The minor units of `micros` of `currency` (12'500'000 EUR micros = 1250 cents).
/// @errors Invalid naming `amount_micros` when it is not a whole number of minor units or
///         not above 0.
core::Result<std::int64_t> minor_units(core::billing::Micros micros, const std::string& currency);

/// @thread safe (each call its own connection).
class StripeClient {
  public:
    explicit StripeClient(StripeSettings settings) : settings_(std::move(settings)) {}

    /// `POST /v1/payment_intents`: amount, currency, `automatic_payment_methods[enabled]`,
    /// `metadata[customer_id]` and, when given, `metadata[subscription_id]` (the webhook
    /// `payment_intent.succeeded` reads them back).
    /// @errors as minor_units; Unavailable when Stripe cannot be reached or answers 5xx;
    ///         Rejected (400, 402), Unauthorized (401, 403) with Stripe's error message.
    core::Result<StripePaymentIntent> create_payment_intent(const std::string& customer_id,
                                                            const std::string& subscription_id,
                                                            core::billing::Micros amount_micros,
                                                            const std::string& currency,
                                                            const std::string& idempotency_key);

    /// `POST /v1/refunds` of `payment_intent` for `amount_micros`, with `metadata[refund_id]`.
    /// @errors as create_payment_intent.
    core::Result<StripeRefund> refund(const std::string& payment_intent,
                                      core::billing::Micros amount_micros,
                                      const std::string& currency, const std::string& refund_id,
                                      const std::string& idempotency_key);

  private:
    StripeSettings settings_;
};

}  // namespace switchyard::adapters::payments
