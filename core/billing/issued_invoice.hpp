#pragma once
/// Issued invoices and credit notes: the document a buyer receives, kept as events in the
/// invoice's stream `billing_invoice-<invoice id>` after its number
/// (core/billing/invoice_number.hpp). What an issued invoice states follows EU VAT Directive
/// 2006/112/EC art. 226: the date of issue, the sequential number, the buyer's name, address and
/// VAT id, each line's quantity, price and discount, the tax rate and amount, the total, and the
/// reverse-charge mention when the buyer accounts for the tax.
///
/// Issuing posts the invoice's journal entry `inv:<invoice id>`: the buyer's receivable is
/// debited with the total, each service line's revenue credited with what it earned before the
/// discount, the promo code's discount debited to that line's `discounts` (contra-revenue), and
/// the tax credited to `tax_payable:<jurisdiction>`. An invoice paid from the wallet moves the
/// total from the wallet to the receivable (`inv:<invoice id>:paid`). A credit note credits a
/// whole invoice: it is a document of its own (numbered in its own series, `CN-2026`), its entry
/// swaps the invoice's sides, and what it gives back goes to the wallet when the invoice was paid
/// and off the receivable when it was not.
///
/// The buyer's name, email, address and VAT id are personal data: the service seals them under
/// the customer's subject key before they enter an event (events/subject_keys.hpp); here they
/// are plain text or sealed text alike.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/invoice.hpp"
#include "core/billing/invoice_number.hpp"
#include "core/billing/ledger.hpp"
#include "core/billing/tax.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// An invoice, or a credit note that credits one. Wire names `invoice`, `credit_note`.
enum class DocumentKind { Invoice, CreditNote };
const char* to_string(DocumentKind k) noexcept;
bool parse_document_kind(std::string_view text, DocumentKind& out) noexcept;

/// The buyer as the invoice names them.
/// True for an email address (addr-spec) as billing takes it: at most 254 bytes (RFC 5321
/// 4.5.3.1.3), one `@` with text on both sides, no space, control character, `<`, `>` or `,`.
bool valid_email(std::string_view email) noexcept;

struct InvoiceBuyer {
    std::string name;     ///< 1 to 200 bytes (sealed in events).
    std::string email;    ///< May be empty (sealed in events).
    std::string address;  ///< May be empty; newlines separate its lines (sealed in events).
    std::string country;  ///< ISO 3166-1 alpha-2, upper case.
    std::string region;   ///< May be empty: `CA` for California.
    friend bool operator==(const InvoiceBuyer&, const InvoiceBuyer&) = default;
};

/// Stream `billing_invoice-<id>`, right after `billing.invoice.numbered`: the document issued.
struct InvoiceIssued {
    static constexpr std::string_view kType = "billing.invoice.issued";
    DocumentKind kind = DocumentKind::Invoice;
    std::string customer_id;
    std::string currency;
    Timestamp issued_at{};
    std::optional<Timestamp> due_at;  ///< None for credit notes.
    InvoiceBuyer buyer;
    TaxTreatment tax;  ///< `vat_id` sealed in events.
    TaxBehavior behavior = TaxBehavior::Exclusive;
    std::vector<InvoiceLine> lines;
    InvoiceTotals totals;
    std::string promo_code;          ///< The code whose discount it carries; may be empty.
    std::string subscription_id;     ///< The subscription it bills; may be empty.
    std::string credits_invoice_id;  ///< A credit note's invoice.
    std::string credits_invoice_number;
    std::string note;      ///< Printed on the document; may be empty.
    std::string entry_id;  ///< Its journal entry; empty when the total is 0 and nothing posts.
    friend bool operator==(const InvoiceIssued&, const InvoiceIssued&) = default;
};

/// Stream `billing_invoice-<id>`: the invoice was paid from the customer's wallet, or (a
/// subscription period's invoice) by the charge that issued it.
struct InvoicePaid {
    static constexpr std::string_view kType = "billing.invoice.paid";
    /// `wallet` (the customer's wallet, entry `inv:<id>:paid`); for a subscription period's
    /// invoice the payer its charge debited: `wallet` or `reseller_credit` (entry: the charge).
    std::string source;
    Micros amount_micros = 0;
    std::string entry_id;
    friend bool operator==(const InvoicePaid&, const InvoicePaid&) = default;
};

/// Stream `billing_invoice-<id>`: a credit note credited the whole invoice.
struct InvoiceCredited {
    static constexpr std::string_view kType = "billing.invoice.credited";
    std::string credit_note_id;
    std::string credit_note_number;
    Micros amount_micros = 0;
    std::string reason;
    friend bool operator==(const InvoiceCredited&, const InvoiceCredited&) = default;
};

/// Stream `billing_invoice-<id>`: the document was emailed (or the server refused it).
struct InvoiceSent {
    static constexpr std::string_view kType = "billing.invoice.sent";
    std::string to;  ///< The address (sealed in events).
    std::string message_id;
    bool delivered = false;  ///< The SMTP server accepted it (250 after DATA).
    std::string error;       ///< Why not; empty when delivered.
    friend bool operator==(const InvoiceSent&, const InvoiceSent&) = default;
};

using InvoiceEvent =
    std::variant<InvoiceNumbered, InvoiceIssued, InvoicePaid, InvoiceCredited, InvoiceSent>;

/// An invoice or credit note as its stream has it.
struct InvoiceState {
    std::optional<InvoiceNumbered> number;
    std::optional<InvoiceIssued> issued;
    std::optional<InvoicePaid> paid;
    std::optional<InvoiceCredited> credited;
    std::vector<InvoiceSent> sent;
    /// `draft` (numbered, not issued), `open`, `paid`, `credited`; a credit note is `issued`.
    std::string status() const;
};
void evolve(InvoiceState& s, const InvoiceEvent& e);

/// Stream `billing_customer-<customer id>`: staff erased the customer's personal data (GDPR
/// art. 17): their subject key is destroyed, so what was sealed under it no longer opens.
struct CustomerErased {
    static constexpr std::string_view kType = "billing.customer.erased";
    std::string customer_id;
    std::string reason;  ///< May be empty; at most 500 bytes.
    friend bool operator==(const CustomerErased&, const CustomerErased&) = default;
};
using CustomerEvent = std::variant<CustomerErased>;

/// A customer's privacy record as its stream has it.
struct CustomerState {
    std::int64_t erasures = 0;  ///< Erasure requests carried out.
};
void evolve(CustomerState& s, const CustomerEvent& e);

inline std::string customer_stream(const std::string& customer_id) {
    return "billing_customer-" + customer_id;
}

/// What issuing needs besides the amounts (those come from core/billing/invoice.hpp's
/// compute_invoice on the lines, with the buyer's tax treatment and the promo code).
struct IssueInvoice {
    std::string invoice_id;   ///< As core::billing::NumberInvoice.
    std::string customer_id;  ///< A billing id.
    std::string currency;
    std::string series;  ///< Empty: `INV-<year of issue>`.
    InvoiceBuyer buyer;
    std::string vat_id;  ///< The buyer's VAT id for the reverse charge; may be empty.
    TaxBehavior behavior = TaxBehavior::Exclusive;
    std::vector<InvoiceLineInput> lines;
    std::string promo_code;
    std::string subscription_id;
    std::int64_t due_days = 14;  ///< 0 to 365: the due date is this many days after issue.
    bool pay_from_wallet = false;
    std::string note;  ///< At most 1,000 bytes.
};

/// Checks what the issue command says by itself: ids, the buyer (name 1 to 200 printable bytes,
/// email shaped `local@domain`, address at most 500 bytes, country two letters), the lines'
/// service lines (`vpn`, `voice`, `hotspot`, `iptv`, `other`), due_days, the note.
/// An invoice id starting with `sub:` is refused: those are the subscription charges' own.
/// @errors Invalid naming the field (`invoice_id`, `customer_id`, `series`, `buyer.name`,
///         `buyer.email`, `buyer.address`, `buyer.country`, `lines[i].line`, `due_days`, `note`).
Result<void> check_issue(const IssueInvoice& c);

/// The series an invoice issued at `now` is numbered in when the command names none:
/// `INV-2026`; credit notes `CN-2026`.
std::string default_series(DocumentKind kind, Timestamp now);

/// The `issued` event of invoice `c` with its computed amounts and tax (the buyer's fields as
/// given: the caller seals them first). `promo_code` is the code applied (normalized), or empty.
InvoiceIssued make_issued(const IssueInvoice& c, const TaxTreatment& tax,
                          const ComputedInvoice& computed, const std::string& promo_code,
                          Timestamp now);

/// The journal entry of an issued document (`inv:<invoice id>`), or none when its total is 0.
/// For a credit note, `credited_paid` says whether the invoice it credits was paid (then the
/// wallet gets the money back, else the receivable is reduced).
/// @errors Invalid naming `tax.jurisdiction` when tax is due without a jurisdiction.
Result<std::optional<JournalEntry>> issued_entry(const std::string& invoice_id,
                                                 const InvoiceIssued& e,
                                                 bool credited_paid = false);

/// Pays an open invoice from the customer's wallet: its `paid` event and the entry
/// `inv:<id>:paid` (Dr wallet, Cr receivable). Paid already: nothing.
/// @errors NotFound `invoice_id` (never issued); Rejected `invoice_id` for a credit note or a
///         credited invoice.
struct InvoicePayment {
    std::optional<InvoicePaid> event;
    std::optional<JournalEntry> entry;
};
Result<InvoicePayment> decide_pay(const InvoiceState& s, const std::string& invoice_id);

/// Credits invoice `s` entirely with credit note `credit_note_id`: the credit note's `issued`
/// event (the invoice's lines and totals, kind credit_note, no due date) and the invoice's
/// `credited` event (number filled in by the caller once numbered). Credited already by this
/// credit note: nothing (both empty).
/// @errors NotFound `invoice_id`; Rejected `invoice_id` for a credit note, an invoice already
///         credited by another, or a subscription period's invoice (its charge went to the
///         subscription's payer, which a plan change or cancellation credits); Invalid
///         `credit_note_id`, `reason` (at most 500 bytes).
struct CreditDecision {
    std::optional<InvoiceIssued> credit_note;
    std::optional<InvoiceCredited> credited;
};
Result<CreditDecision> decide_credit(const InvoiceState& s, const std::string& invoice_id,
                                     const std::string& credit_note_id, const std::string& reason,
                                     Timestamp now);

/// What the invoice of a subscription's charge bills, as the subscription priced it: lines
/// (the period at the plan's price, the setup fee, or a plan change's prorated difference) and
/// the promo code's discount, which comes off the first line.
struct ChargeInvoice {
    std::vector<InvoiceLineInput> lines;
    Micros discount_micros = 0;
    std::string promo_code;  ///< The code whose discount it carries; empty when none.
    friend bool operator==(const ChargeInvoice&, const ChargeInvoice&) = default;
};

/// The invoice document of a subscription's charge and, when the payer paid it at once (a
/// wallet or a reseller's credits), its `paid` event.
struct PeriodInvoice {
    InvoiceIssued issued;
    std::optional<InvoicePaid> paid;
};

/// The invoice of subscription `subscription_id`'s charge `charge` (debiting `payer`: a
/// `wallet:`, `reseller_credit:` or `receivable:` account) at `now`: kind invoice, the buyer
/// named by the customer id (the subscription holds no personal data), no tax (the charge
/// posts none), `entry_id` the charge's own entry, so issuing it posts nothing more. A wallet
/// or credits payer paid at once (`paid`, same entry); a receivable payer owes it within
/// `due_days` (0 to 365). Its id is the charge's entry id (`sub:<id>:<period>`).
/// @errors Internal naming `lines` when the lines less the discount are not what the charge
///         debits the payer (a pricing fault: nothing is appended).
Result<PeriodInvoice> period_invoice(const std::string& customer_id,
                                     const std::string& subscription_id, const std::string& payer,
                                     const JournalEntry& charge, const ChargeInvoice& what,
                                     Timestamp now, std::int64_t due_days = 14);

}  // namespace switchyard::core::billing
