#pragma once
/// Payments: money a customer paid through a gateway (Stripe, PayPal) or by hand (bank transfer,
/// cash, cheque), the refunds of it, and the chargebacks (disputes) against it.
///
/// Stream `billing_payment-<payment id>`. A gateway's payment is named `<gateway>.<its id>`:
/// `stripe.<PaymentIntent id>` (`stripe.pi_3MtwBw...`), `paypal.<capture id>`; a manual one by
/// the id staff give it. A payment id is received once: the same payment again decides nothing,
/// whichever webhook delivery or retry brings it.
///
/// The books (core/billing/ledger.hpp), in the payment's currency:
/// - received, entry `pay:<id>`: debit `gateway_clearing:<clearing>` (`stripe`, `paypal`,
///   `bank` for transfers and cheques, `cash`, `other`), credit `wallet:<customer>`;
/// - refunded, entry `pay:<id>:refund:<refund id>`, and disputed (a chargeback: the gateway took
///   the money back), entry `pay:<id>:dispute:<dispute id>`: debit the wallet for what it holds,
///   debit `receivable:<customer>` for the rest (the customer spent it: now they owe it), credit
///   the clearing account. A refund staff record by hand comes from the wallet only;
/// - a dispute won, entry `pay:<id>:dispute:<dispute id>:won`: the dispute's entry reversed.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"

namespace switchyard::core::billing {

/// How the money came. Wire names: `stripe`, `paypal` (gateways, recorded from their signed
/// webhooks), `bank_transfer`, `cash`, `cheque`, `other` (recorded by staff).
enum class PaymentMethod { Stripe, PayPal, BankTransfer, Cash, Cheque, Other };
const char* to_string(PaymentMethod m) noexcept;
bool parse_payment_method(std::string_view text, PaymentMethod& out) noexcept;
/// True for Stripe and PayPal.
bool is_gateway(PaymentMethod m) noexcept;
/// The qualifier of the method's `gateway_clearing` account: `stripe`, `paypal`, `bank`,
/// `cash`, `other`.
const char* clearing_of(PaymentMethod m) noexcept;

/// Received: the customer's wallet got the money.
struct PaymentReceived {
    static constexpr std::string_view kType = "billing.payment.received";
    std::string payment_id;
    PaymentMethod method = PaymentMethod::Other;
    std::string customer_id;
    std::string currency;  ///< ISO 4217.
    Micros amount_micros = 0;
    std::string reference;  ///< The gateway's object id or the bank's reference; may be empty.
    std::string gateway_event_id;  ///< The webhook event that brought it; empty for manual ones.
    std::string
        subscription_id;   ///< The subscription it pays for, if the payer said; may be empty.
    std::string note;      ///< Staff's note; may be empty.
    std::string entry_id;  ///< `pay:<payment id>`.
    friend bool operator==(const PaymentReceived&, const PaymentReceived&) = default;
};

/// Refunded, in part or in full.
struct PaymentRefunded {
    static constexpr std::string_view kType = "billing.payment.refunded";
    std::string refund_id;
    Micros amount_micros = 0;
    Micros wallet_micros = 0;      ///< Taken from the wallet.
    Micros receivable_micros = 0;  ///< Put on the customer's receivable (what the wallet lacked).
    std::string reason;
    std::string gateway_event_id;
    std::string entry_id;
    friend bool operator==(const PaymentRefunded&, const PaymentRefunded&) = default;
};

/// A chargeback opened: the gateway took the disputed amount back.
struct PaymentDisputed {
    static constexpr std::string_view kType = "billing.payment.disputed";
    std::string dispute_id;
    Micros amount_micros = 0;
    Micros wallet_micros = 0;
    Micros receivable_micros = 0;
    std::string reason;  ///< The gateway's reason, e.g. `fraudulent`,
                         ///< `MERCHANDISE_OR_SERVICE_NOT_RECEIVED`.
    std::string gateway_event_id;
    std::string entry_id;
    friend bool operator==(const PaymentDisputed&, const PaymentDisputed&) = default;
};

/// A chargeback decided: won (the money came back, entry reversed) or lost (it stays taken).
struct PaymentDisputeClosed {
    static constexpr std::string_view kType = "billing.payment.dispute_closed";
    std::string dispute_id;
    bool won = false;
    std::string gateway_event_id;
    std::string entry_id;  ///< The reinstatement's entry when won; empty when lost.
    friend bool operator==(const PaymentDisputeClosed&, const PaymentDisputeClosed&) = default;
};

using PaymentEvent =
    std::variant<PaymentReceived, PaymentRefunded, PaymentDisputed, PaymentDisputeClosed>;

inline std::string payment_stream(const std::string& payment_id) {
    return "billing_payment-" + payment_id;
}

/// Stream `billing_webhook-<gateway>.<gateway event id>`, created once: a gateway's event is
/// acted on once however often it is delivered. Appended with the payment's events, or alone
/// when the event asks nothing (`ignored`) or changes nothing (`no_change`).
struct WebhookReceived {
    static constexpr std::string_view kType = "billing.webhook.received";
    std::string gateway;     ///< `stripe`, `paypal`.
    std::string event_id;    ///< The gateway's event id.
    std::string event_type;  ///< The gateway's event type, e.g. `payment_intent.succeeded`.
    std::string payment_id;  ///< The payment it concerns; empty when ignored.
    std::string outcome;     ///< `applied`, `no_change` or `ignored`.
    friend bool operator==(const WebhookReceived&, const WebhookReceived&) = default;
};
using WebhookEvent = std::variant<WebhookReceived>;

/// A gateway event as its stream has it: none until received.
struct WebhookState {
    std::optional<WebhookReceived> received;
};
void evolve(WebhookState& s, const WebhookEvent& e);

inline std::string webhook_stream(const std::string& gateway, const std::string& event_id) {
    return "billing_webhook-" + gateway + "." + event_id;
}

/// A payment as its stream has it.
struct PaymentState {
    struct Dispute {
        Micros amount_micros = 0;
        Micros wallet_micros = 0;
        Micros receivable_micros = 0;
        bool open = true;
        bool won = false;
    };
    std::optional<PaymentReceived> received;  ///< None until received.
    std::map<std::string, Micros> refunds;    ///< Amounts by refund id.
    Micros refunded_micros = 0;
    std::map<std::string, Dispute> disputes;  ///< By dispute id.
    /// What may still be refunded or disputed: received, less refunds and disputes not won.
    Micros refundable_micros() const;
};
void evolve(PaymentState& s, const PaymentEvent& e);

/// What a payment command decides: its events and the entry to post with them, if any.
struct PaymentDecision {
    std::vector<PaymentEvent> events;
    std::optional<JournalEntry> entry;
};

/// Records a received payment.
struct ReceivePayment {
    std::string payment_id;  ///< 1 to 64 letters, digits, `.`, `_`, `-`.
    PaymentMethod method = PaymentMethod::Other;
    std::string customer_id;
    std::string currency;
    Micros amount_micros = 0;  ///< > 0.
    std::string reference;     ///< At most 255 bytes.
    std::string gateway_event_id;
    std::string subscription_id;  ///< Empty, or a subscription id.
    std::string note;             ///< At most 500 bytes.
};
/// @errors Invalid naming `payment_id`, `customer_id`, `currency`, `amount_micros`,
///         `reference`, `subscription_id` or `note`.
Result<void> check_payment(const ReceivePayment& c);
/// The same payment again (gateway event id aside) decides nothing.
/// @errors as check_payment; Conflict `payment_id` when it names another payment.
Result<PaymentDecision> decide(const PaymentState& s, const ReceivePayment& c);

/// Refunds a payment.
struct RefundPayment {
    std::string refund_id;     ///< 1 to 64 letters, digits, `.`, `_`, `-`.
    Micros amount_micros = 0;  ///< > 0.
    /// When true, `amount_micros` is the total refunded so far by the gateway (Stripe's
    /// `amount_refunded`) and the refund is what it adds to the refunds recorded.
    bool cumulative = false;
    std::string reason;  ///< At most 500 bytes.
    std::string gateway_event_id;
    /// True when the gateway already paid it out: what the wallet lacks goes on the receivable.
    /// False (staff): the wallet must hold it all (the ledger refuses otherwise).
    bool from_gateway = false;
};
/// `wallet_balance` is the customer's wallet balance now. The same refund id again decides
/// nothing; a cumulative total already recorded decides nothing.
/// @errors NotFound `payment_id`; Invalid `refund_id`, `amount_micros`, `reason`; Conflict
///         `refund_id` (another amount under that id); Rejected `amount_micros` when it exceeds
///         what may still be refunded.
Result<PaymentDecision> decide_refund(const PaymentState& s, const RefundPayment& c,
                                      Micros wallet_balance);

/// Opens a chargeback.
struct DisputePayment {
    std::string dispute_id;
    Micros amount_micros = 0;  ///< > 0; at most what may still be refunded.
    std::string reason;
    std::string gateway_event_id;
};
/// The same dispute id again decides nothing.
/// @errors NotFound `payment_id`; Invalid `dispute_id`, `amount_micros`; Rejected
///         `amount_micros` above what may still be disputed.
Result<PaymentDecision> decide_dispute(const PaymentState& s, const DisputePayment& c,
                                       Micros wallet_balance);

/// Closes a chargeback, won or lost.
struct CloseDispute {
    std::string dispute_id;
    bool won = false;
    std::string gateway_event_id;
};
/// A dispute already closed decides nothing.
/// @errors NotFound `payment_id` or `dispute_id`.
Result<PaymentDecision> decide_close_dispute(const PaymentState& s, const CloseDispute& c);

}  // namespace switchyard::core::billing
