#pragma once
/// JSON payloads of the ledger's events (core/billing/ledger.hpp): `billing.entry.posted` in
/// `billing_entry-<entry id>`, `billing.account.opened` and `billing.account.moved` in
/// `billing_account-<code>`; and of invoice numbering (core/billing/invoice_number.hpp).
/// Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/invoice_number.hpp"
#include "core/billing/ledger.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::EntryEvent& event);
EncodedEvent encode(const core::billing::AccountEvent& event);
EncodedEvent encode(const core::billing::InvoiceSeriesEvent& event);
EncodedEvent encode(const core::billing::InvoiceNumberEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::EntryEvent> decode_entry_event(const RecordedEvent& event);
/// @errors as decode_entry_event.
core::Result<core::billing::AccountEvent> decode_account_event(const RecordedEvent& event);
/// @errors as decode_entry_event.
core::Result<core::billing::InvoiceSeriesEvent> decode_invoice_series_event(
    const RecordedEvent& event);
/// @errors as decode_entry_event.
core::Result<core::billing::InvoiceNumberEvent> decode_invoice_number_event(
    const RecordedEvent& event);

}  // namespace switchyard::events::billing
