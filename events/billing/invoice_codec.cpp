#include "events/billing/invoice_codec.hpp"

#include "events/billing/ledger_tables.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

constexpr auto kLine = fields(
    flat(&InvoiceLine::input,
         fields(field("description", &InvoiceLineInput::description),
                field("line", &InvoiceLineInput::line),
                optional_field("plan_id", &InvoiceLineInput::plan_id),
                field("quantity", &InvoiceLineInput::quantity),
                field("unit_amount_micros", &InvoiceLineInput::unit_amount_micros))),
    field("amount_micros", &InvoiceLine::amount_micros),
    field("discount_micros", &InvoiceLine::discount_micros),
    field("net_micros", &InvoiceLine::net_micros), field("tax_micros", &InvoiceLine::tax_micros),
    field("total_micros", &InvoiceLine::total_micros));

constexpr auto kTotals = fields(field("subtotal_micros", &InvoiceTotals::subtotal_micros),
                                field("discount_micros", &InvoiceTotals::discount_micros),
                                field("net_micros", &InvoiceTotals::net_micros),
                                field("tax_micros", &InvoiceTotals::tax_micros),
                                field("total_micros", &InvoiceTotals::total_micros));

constexpr auto kBuyer = fields(field("buyer_name", &InvoiceBuyer::name),
                               optional_field("buyer_email", &InvoiceBuyer::email),
                               optional_field("buyer_address", &InvoiceBuyer::address),
                               field("buyer_country", &InvoiceBuyer::country),
                               optional_field("buyer_region", &InvoiceBuyer::region));

constexpr auto kTax = fields(optional_field("tax_jurisdiction", &TaxTreatment::jurisdiction),
                             optional_field("tax_name", &TaxTreatment::name),
                             field("tax_rate_ppm", &TaxTreatment::rate_ppm),
                             field("reverse_charge", &TaxTreatment::reverse_charge),
                             optional_field("buyer_vat_id", &TaxTreatment::vat_id),
                             optional_field("tax_note", &TaxTreatment::note));

struct Codec {
    static auto payload(As<InvoiceNumbered>) { return kInvoiceNumberedTable; }
    static auto payload(As<InvoiceIssued>) {
        using E = InvoiceIssued;
        return fields(field("kind", &E::kind, parse_document_kind),
                      field("customer_id", &E::customer_id), field("currency", &E::currency),
                      field("issued_at", &E::issued_at), field("due_at", &E::due_at),
                      flat(&E::buyer, kBuyer), flat(&E::tax, kTax),
                      field("tax_behavior", &E::behavior, parse_tax_behavior),
                      objects("lines", &E::lines, kLine), flat(&E::totals, kTotals),
                      optional_field("promo_code", &E::promo_code),
                      optional_field("subscription_id", &E::subscription_id),
                      optional_field("credits_invoice_id", &E::credits_invoice_id),
                      optional_field("credits_invoice_number", &E::credits_invoice_number),
                      optional_field("note", &E::note), optional_field("entry_id", &E::entry_id));
    }
    static auto payload(As<InvoicePaid>) {
        return fields(field("source", &InvoicePaid::source),
                      field("amount_micros", &InvoicePaid::amount_micros),
                      optional_field("entry_id", &InvoicePaid::entry_id));
    }
    static auto payload(As<InvoiceCredited>) {
        return fields(field("credit_note_id", &InvoiceCredited::credit_note_id),
                      field("credit_note_number", &InvoiceCredited::credit_note_number),
                      field("amount_micros", &InvoiceCredited::amount_micros),
                      optional_field("reason", &InvoiceCredited::reason));
    }
    static auto payload(As<InvoiceSent>) {
        return fields(field("to", &InvoiceSent::to),
                      optional_field("message_id", &InvoiceSent::message_id),
                      field("delivered", &InvoiceSent::delivered),
                      optional_field("error", &InvoiceSent::error));
    }
    static auto payload(As<CustomerErased>) {
        return fields(field("customer_id", &CustomerErased::customer_id),
                      optional_field("reason", &CustomerErased::reason));
    }
};

}  // namespace

EncodedEvent encode(const InvoiceEvent& event) { return encode_as<Codec>(event); }

EncodedEvent encode(const CustomerEvent& event) { return encode_as<Codec>(event); }

core::Result<CustomerEvent> decode_customer_event(const RecordedEvent& event) {
    return decode_as<Codec, CustomerEvent>(event);
}

core::Result<InvoiceEvent> decode_invoice_event(const RecordedEvent& event) {
    return decode_as<Codec, InvoiceEvent>(event);
}

}  // namespace switchyard::events::billing
