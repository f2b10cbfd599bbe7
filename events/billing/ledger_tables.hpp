#pragma once
/// The field tables of a journal entry (core/billing/ledger.hpp), shared by the ledger's codec
/// and the read model that keeps entries as rows, and of an invoice's number (the ledger's and
/// the invoice's codecs). Include only in .cpp files (codec_kit.hpp).

#include "core/billing/invoice_number.hpp"
#include "core/billing/ledger.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

/// A posting: `{"account", "debit_micros", "credit_micros"}`.
inline constexpr auto kPostingTable =
    fields(field("account", &core::billing::Posting::account),
           field("debit_micros", &core::billing::Posting::debit_micros),
           field("credit_micros", &core::billing::Posting::credit_micros));

/// An entry: `{"entry_id", "currency", "memo", "reference"?, "reverses"?, "postings",
/// "earned_from"?, "earned_until"?}`.
inline constexpr auto kJournalEntryTable =
    fields(field("entry_id", &core::billing::JournalEntry::entry_id),
           field("currency", &core::billing::JournalEntry::currency),
           field("memo", &core::billing::JournalEntry::memo),
           optional_field("reference", &core::billing::JournalEntry::reference),
           optional_field("reverses", &core::billing::JournalEntry::reverses),
           objects("postings", &core::billing::JournalEntry::postings, kPostingTable),
           optional_field("earned_from", &core::billing::JournalEntry::earned_from),
           optional_field("earned_until", &core::billing::JournalEntry::earned_until));

/// `billing.invoice.numbered`: `{"series", "number", "invoice_number"}`.
inline constexpr auto kInvoiceNumberedTable =
    fields(field("series", &core::billing::InvoiceNumbered::series),
           field("number", &core::billing::InvoiceNumbered::number),
           field("invoice_number", &core::billing::InvoiceNumbered::invoice_number));

}  // namespace switchyard::events::billing
