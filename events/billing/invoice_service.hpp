#pragma once
/// Invoices and credit notes of one tenant (core/billing/issued_invoice.hpp). Issuing prices the
/// lines (PricingService: the buyer's tax, the promo code), and appends in one atomic append the
/// series' next number, the invoice's stream (`numbered`, `issued`, and `paid` when paid from
/// the wallet), its journal entry with the wallet's `moved` event, and the promo code's
/// redemption: a crash leaves all of it or none, and two invoices racing for a promo code's last
/// use or a wallet's last money conflict and decide again.
///
/// The buyer's name, email, address and VAT id enter the log sealed under the customer's
/// subject key (events/subject_keys.hpp); reading an invoice opens them, and after the
/// customer's erasure they read `[erased]` while the amounts and the books stay as they were.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/billing/issued_invoice.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/billing/invoice_numbers.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/pricing_service.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/subject_keys.hpp"

namespace switchyard::events::billing {

/// What an invoice command gives back besides its positions.
struct InvoiceDetail {
    std::string invoice_id;
    std::string invoice_number;  ///< `INV-2026-000042`.
    std::string status;          ///< As core::billing::InvoiceState::status.
};

/// What an erasure gives back besides its positions.
struct ErasureDetail {
    bool key_destroyed = false;  ///< False when the customer had no key left (erased before).
};

/// @thread safe.
class InvoiceService {
  public:
    InvoiceService(EventStore& store, LedgerService& ledger, PricingService& pricing,
                   InvoiceNumbers& numbers, std::shared_ptr<SubjectKeys> keys, std::string tenant);
    ~InvoiceService();

    /// Issues invoice `c` at `ctx`'s time. Issuing the same invoice id again changes nothing
    /// and answers the invoice as issued; with another customer, currency or lines it is a
    /// Conflict naming `invoice_id`.
    /// @errors as core::billing::check_issue; as PricingService::quote (buyer.country,
    ///         buyer.vat_id, promo_code, lines); Rejected `subject` for an erased customer;
    ///         with pay_from_wallet NotFound/Rejected naming the wallet's posting; the store's.
    core::Result<CommandOutcome<InvoiceDetail>> issue(const core::billing::IssueInvoice& c,
                                                      const core::DecisionContext& ctx);

    /// The writes that issue the invoice of subscription `subscription_id`'s charge inside the
    /// subscription's command, so the charge and its document are appended together or not at
    /// all (core::billing::period_invoice: the charge's entry is the invoice's, nothing posts
    /// twice). The invoice id is the charge's entry id (`sub:<id>:<period>`), numbered in
    /// `INV-<year>`; the caller holds numbers().turn of that series. The buyer is named by the
    /// customer id (sealed like every buyer name) in the seller's country (`ZZ` when none is
    /// configured). None for a customer whose data was erased (the charge goes on alone) or
    /// an invoice numbered already. @errors as core::billing::period_invoice; the store's.
    core::Result<std::vector<StreamWrite>> prepare_period_invoice(
        const std::string& customer_id, const std::string& subscription_id,
        const std::string& payer, const core::billing::JournalEntry& charge,
        const core::billing::ChargeInvoice& what, const core::DecisionContext& ctx);
    /// The numbering sequences the invoices are numbered from.
    InvoiceNumbers& numbers() noexcept;

    /// Pays an open invoice from the customer's wallet. @errors as core::billing::decide_pay;
    ///         Rejected naming the wallet's posting when the wallet does not hold the total.
    core::Result<CommandOutcome<InvoiceDetail>> pay_from_wallet(const std::string& invoice_id,
                                                                const core::DecisionContext& ctx);

    /// Credits an invoice entirely with credit note `credit_note_id` (numbered in `CN-<year>`):
    /// the money goes back to the wallet when the invoice was paid, off the receivable when not.
    /// The same credit note again changes nothing. @errors as core::billing::decide_credit.
    core::Result<CommandOutcome<InvoiceDetail>> credit(const std::string& invoice_id,
                                                       const std::string& credit_note_id,
                                                       const std::string& reason,
                                                       const core::DecisionContext& ctx);

    /// Records that the document was emailed to `sent.to` (plain; sealed here) or refused.
    /// @errors NotFound `invoice_id`; the store's.
    core::Result<CommandOutcome<>> record_sent(const std::string& invoice_id,
                                               core::billing::InvoiceSent sent,
                                               const core::DecisionContext& ctx);

    /// Erases customer `customer_id`'s personal data: appends `billing.customer.erased` (the
    /// audit record, with the caller as actor), then destroys their subject key. Every sealed
    /// field of theirs in the log, the Kafka topics and exports stops opening for good; the
    /// amounts and the books stay. Erasing again records the request again and destroys
    /// nothing. @errors Invalid `customer_id`, `reason`; Internal when the key cannot be
    /// destroyed (the request is recorded: erasing again finishes it).
    core::Result<CommandOutcome<ErasureDetail>> erase_customer(const std::string& customer_id,
                                                               const std::string& reason,
                                                               const core::DecisionContext& ctx);

    /// The document as its stream has it, the buyer's fields and the recipients opened
    /// (`[erased]` after the customer's erasure), and its stream's revision (-1 when none).
    /// @errors the store's; Invalid on decoding.
    core::Result<std::pair<core::billing::InvoiceState, std::int64_t>> invoice(
        const std::string& invoice_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
