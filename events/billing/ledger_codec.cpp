#include "events/billing/ledger_codec.hpp"

#include "events/billing/ledger_tables.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

struct Codec {
    static auto payload(As<EntryPosted>) {
        return fields(flat(&EntryPosted::entry, kJournalEntryTable));
    }
    static auto payload(As<AccountOpened>) {
        return fields(field("account", &AccountOpened::account),
                      field("currency", &AccountOpened::currency),
                      field("credit_limit_micros", &AccountOpened::credit_limit_micros));
    }
    static auto payload(As<AccountMoved>) {
        return fields(field("entry_id", &AccountMoved::entry_id),
                      field("amount_micros", &AccountMoved::amount_micros),
                      field("balance_micros", &AccountMoved::balance_micros));
    }
    static auto payload(As<InvoiceSeriesAdvanced>) {
        return fields(field("number", &InvoiceSeriesAdvanced::number),
                      field("invoice_id", &InvoiceSeriesAdvanced::invoice_id));
    }
    static auto payload(As<InvoiceNumbered>) { return kInvoiceNumberedTable; }
};

}  // namespace

EncodedEvent encode(const EntryEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const AccountEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const InvoiceSeriesEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const InvoiceNumberEvent& event) { return encode_as<Codec>(event); }

core::Result<EntryEvent> decode_entry_event(const RecordedEvent& event) {
    return decode_as<Codec, EntryEvent>(event);
}

core::Result<AccountEvent> decode_account_event(const RecordedEvent& event) {
    return decode_as<Codec, AccountEvent>(event);
}

core::Result<InvoiceSeriesEvent> decode_invoice_series_event(const RecordedEvent& event) {
    return decode_as<Codec, InvoiceSeriesEvent>(event);
}

core::Result<InvoiceNumberEvent> decode_invoice_number_event(const RecordedEvent& event) {
    return decode_as<Codec, InvoiceNumberEvent>(event);
}

}  // namespace switchyard::events::billing
