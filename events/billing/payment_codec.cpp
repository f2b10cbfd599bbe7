#include "events/billing/payment_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

struct Codec {
    static auto payload(As<PaymentReceived>) {
        using E = PaymentReceived;
        return fields(
            field("payment_id", &E::payment_id), field("method", &E::method, parse_payment_method),
            field("customer_id", &E::customer_id), field("currency", &E::currency),
            field("amount_micros", &E::amount_micros), optional_field("reference", &E::reference),
            optional_field("gateway_event_id", &E::gateway_event_id),
            optional_field("subscription_id", &E::subscription_id),
            optional_field("note", &E::note), field("entry_id", &E::entry_id));
    }
    static auto payload(As<PaymentRefunded>) {
        using E = PaymentRefunded;
        return fields(field("refund_id", &E::refund_id), field("amount_micros", &E::amount_micros),
                      field("wallet_micros", &E::wallet_micros),
                      field("receivable_micros", &E::receivable_micros),
                      optional_field("reason", &E::reason),
                      optional_field("gateway_event_id", &E::gateway_event_id),
                      field("entry_id", &E::entry_id));
    }
    static auto payload(As<PaymentDisputed>) {
        using E = PaymentDisputed;
        return fields(
            field("dispute_id", &E::dispute_id), field("amount_micros", &E::amount_micros),
            field("wallet_micros", &E::wallet_micros),
            field("receivable_micros", &E::receivable_micros), optional_field("reason", &E::reason),
            optional_field("gateway_event_id", &E::gateway_event_id),
            field("entry_id", &E::entry_id));
    }
    static auto payload(As<PaymentDisputeClosed>) {
        using E = PaymentDisputeClosed;
        return fields(field("dispute_id", &E::dispute_id), field("won", &E::won),
                      optional_field("gateway_event_id", &E::gateway_event_id),
                      optional_field("entry_id", &E::entry_id));
    }
    static auto payload(As<WebhookReceived>) {
        using E = WebhookReceived;
        return fields(field("gateway", &E::gateway), field("event_id", &E::event_id),
                      field("event_type", &E::event_type),
                      optional_field("payment_id", &E::payment_id), field("outcome", &E::outcome));
    }
};

}  // namespace

EncodedEvent encode(const PaymentEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const WebhookEvent& event) { return encode_as<Codec>(event); }

core::Result<PaymentEvent> decode_payment_event(const RecordedEvent& event) {
    return decode_as<Codec, PaymentEvent>(event);
}

core::Result<WebhookEvent> decode_webhook_event(const RecordedEvent& event) {
    return decode_as<Codec, WebhookEvent>(event);
}

}  // namespace switchyard::events::billing
