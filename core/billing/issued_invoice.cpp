#include "core/billing/issued_invoice.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::billing {

namespace {

Result<void> check_email(const std::string& email) {
    if (!valid_email(email))
        return fail(Errc::Invalid, "buyer.email", "must be an address such as ana@example.net");
    return {};
}

/// An address: at most 500 bytes of UTF-8, newlines allowed, no other control characters.
Result<void> check_address(const std::string& address) {
    if (address.size() > 500 || !is_valid_utf8(address) ||
        std::any_of(address.begin(), address.end(), [](char c) {
            return (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f;
        }))
        return fail(Errc::Invalid, "buyer.address",
                    "must be at most 500 bytes of text (lines separated by newlines)");
    return {};
}

/// Adds `amount` to `account` on the debit (`debit` true) or credit side of `sums`.
void add(std::map<std::string, Micros>& sums, const std::string& account, Micros amount) {
    if (amount != 0) sums[account] += amount;
}

}  // namespace

bool valid_email(std::string_view email) noexcept {
    const auto at = email.find('@');
    return email.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
           email.find('@', at + 1) == std::string_view::npos &&
           std::none_of(email.begin(), email.end(), [](char c) {
               return static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == ',' ||
                      c == 0x7f;
           });
}

const char* to_string(DocumentKind k) noexcept {
    return k == DocumentKind::CreditNote ? "credit_note" : "invoice";
}

bool parse_document_kind(std::string_view text, DocumentKind& out) noexcept {
    if (text == "invoice")
        out = DocumentKind::Invoice;
    else if (text == "credit_note")
        out = DocumentKind::CreditNote;
    else
        return false;
    return true;
}

std::string InvoiceState::status() const {
    if (!issued) return "draft";
    if (issued->kind == DocumentKind::CreditNote) return "issued";
    if (credited) return "credited";
    if (paid) return "paid";
    return "open";
}

void evolve(InvoiceState& s, const InvoiceEvent& e) {
    std::visit(Overloaded{
                   [&](const InvoiceNumbered& n) { s.number = n; },
                   [&](const InvoiceIssued& i) { s.issued = i; },
                   [&](const InvoicePaid& p) { s.paid = p; },
                   [&](const InvoiceCredited& c) { s.credited = c; },
                   [&](const InvoiceSent& m) { s.sent.push_back(m); },
               },
               e);
}

void evolve(CustomerState& s, const CustomerEvent&) { ++s.erasures; }

Result<void> check_issue(const IssueInvoice& c) {
    SY_TRY(check_id(c.customer_id, "customer_id"));
    SY_TRY(decide(InvoiceSeriesState{},
                  NumberInvoice{c.series.empty() ? "INV" : c.series, c.invoice_id}, std::nullopt));
    if (c.invoice_id.starts_with("sub:"))
        return fail(Errc::Invalid, "invoice_id",
                    "ids starting with 'sub:' are the subscription charges' own invoices");
    if (c.buyer.name.empty() || !is_valid_utf8(c.buyer.name))
        return fail(Errc::Invalid, "buyer.name", "must be 1 to 200 bytes of text");
    SY_TRY(check_text(c.buyer.name, 200, "buyer.name"));
    if (!c.buyer.email.empty()) SY_TRY(check_email(c.buyer.email));
    SY_TRY(check_address(c.buyer.address));
    if (c.buyer.country.size() != 2 || !std::all_of(c.buyer.country.begin(), c.buyer.country.end(),
                                                    [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        return fail(Errc::Invalid, "buyer.country", "must be an ISO 3166-1 code such as DE");
    for (std::size_t i = 0; i < c.lines.size(); ++i)
        if (!parse_account("revenue:" + c.lines[i].line, "line"))
            return fail(Errc::Invalid, "lines[" + std::to_string(i) + "].line",
                        "must be a service line: vpn, voice, hotspot, iptv or other");
    if (!c.promo_code.empty()) SY_TRY(check_text(c.promo_code, 32, "promo_code"));
    if (!c.subscription_id.empty()) SY_TRY(check_id(c.subscription_id, "subscription_id"));
    if (c.due_days < 0 || c.due_days > 365)
        return fail(Errc::Invalid, "due_days", "must be 0 to 365");
    if (!is_valid_utf8(c.note)) return fail(Errc::Invalid, "note", "must be UTF-8 text");
    SY_TRY(check_text(c.note, 1000, "note"));
    return {};
}

std::string default_series(DocumentKind kind, Timestamp now) {
    const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(now)};
    return std::string(kind == DocumentKind::CreditNote ? "CN-" : "INV-") +
           std::to_string(static_cast<int>(date.year()));
}

InvoiceIssued make_issued(const IssueInvoice& c, const TaxTreatment& tax,
                          const ComputedInvoice& computed, const std::string& promo_code,
                          Timestamp now) {
    InvoiceIssued e;
    e.kind = DocumentKind::Invoice;
    e.customer_id = c.customer_id;
    e.currency = c.currency;
    e.issued_at = now;
    e.due_at = now + std::chrono::days(c.due_days);
    e.buyer = c.buyer;
    e.tax = tax;
    e.behavior = c.behavior;
    e.lines = computed.lines;
    e.totals = computed.totals;
    e.promo_code = promo_code;
    e.subscription_id = c.subscription_id;
    e.note = c.note;
    if (computed.totals.total_micros != 0 || computed.totals.discount_micros != 0)
        e.entry_id = "inv:" + c.invoice_id;
    return e;
}

Result<std::optional<JournalEntry>> issued_entry(const std::string& invoice_id,
                                                 const InvoiceIssued& e, bool credited_paid) {
    // The invoice's sides; a credit note swaps them.
    std::map<std::string, Micros> debits, credits;
    for (const auto& l : e.lines) {
        add(credits, "revenue:" + l.input.line, l.net_micros + l.discount_micros);
        add(debits, "discounts:" + l.input.line, l.discount_micros);
    }
    if (e.totals.tax_micros != 0) {
        if (e.tax.jurisdiction.empty())
            return fail(Errc::Invalid, "tax.jurisdiction", "tax is due without a jurisdiction");
        add(credits, "tax_payable:" + e.tax.jurisdiction, e.totals.tax_micros);
    }
    const bool credit_note = e.kind == DocumentKind::CreditNote;
    const std::string payer =
        (credit_note && credited_paid ? "wallet:" : "receivable:") + e.customer_id;
    add(debits, payer, e.totals.total_micros);
    if (credit_note) std::swap(debits, credits);
    JournalEntry entry;
    entry.entry_id = "inv:" + invoice_id;
    entry.currency = e.currency;
    entry.memo =
        credit_note ? "credit note of invoice " + e.credits_invoice_number : std::string("invoice");
    for (const auto& [account, amount] : debits) entry.postings.push_back({account, amount, 0});
    for (const auto& [account, amount] : credits) entry.postings.push_back({account, 0, amount});
    if (entry.postings.size() < 2) return std::optional<JournalEntry>{};
    return std::optional<JournalEntry>{std::move(entry)};
}

Result<InvoicePayment> decide_pay(const InvoiceState& s, const std::string& invoice_id) {
    if (!s.issued) return fail(Errc::NotFound, "invoice_id", "no invoice " + invoice_id);
    if (s.issued->kind == DocumentKind::CreditNote)
        return fail(Errc::Rejected, "invoice_id", invoice_id + " is a credit note");
    if (s.credited)
        return fail(Errc::Rejected, "invoice_id",
                    "invoice " + invoice_id + " was credited by " + s.credited->credit_note_number);
    if (s.paid) return InvoicePayment{};
    InvoicePayment out;
    const auto total = s.issued->totals.total_micros;
    out.event = InvoicePaid{"wallet", total, total > 0 ? "inv:" + invoice_id + ":paid" : ""};
    if (total > 0) {
        JournalEntry e;
        e.entry_id = out.event->entry_id;
        e.currency = s.issued->currency;
        e.memo = "invoice paid from the wallet";
        e.reference = s.number ? s.number->invoice_number : invoice_id;
        e.postings = {{"wallet:" + s.issued->customer_id, total, 0},
                      {"receivable:" + s.issued->customer_id, 0, total}};
        out.entry = std::move(e);
    }
    return out;
}

Result<CreditDecision> decide_credit(const InvoiceState& s, const std::string& invoice_id,
                                     const std::string& credit_note_id, const std::string& reason,
                                     Timestamp now) {
    if (auto shape = decide(InvoiceSeriesState{}, NumberInvoice{"CN", credit_note_id}, {}); !shape)
        return fail(Errc::Invalid, "credit_note_id", shape.error().message);
    if (!is_valid_utf8(reason)) return fail(Errc::Invalid, "reason", "must be UTF-8 text");
    SY_TRY(check_text(reason, 500, "reason"));
    if (!s.issued) return fail(Errc::NotFound, "invoice_id", "no invoice " + invoice_id);
    if (s.issued->kind == DocumentKind::CreditNote)
        return fail(Errc::Rejected, "invoice_id", invoice_id + " is a credit note");
    if (s.issued->entry_id.starts_with("sub:"))
        return fail(Errc::Rejected, "invoice_id",
                    "invoice " + invoice_id +
                        " bills a subscription period: change or cancel the subscription instead");
    if (s.credited) {
        if (s.credited->credit_note_id == credit_note_id) return CreditDecision{};
        return fail(Errc::Rejected, "invoice_id",
                    "invoice " + invoice_id + " was credited by " + s.credited->credit_note_number);
    }
    InvoiceIssued note = *s.issued;
    note.kind = DocumentKind::CreditNote;
    note.issued_at = now;
    note.due_at.reset();
    note.credits_invoice_id = invoice_id;
    note.credits_invoice_number = s.number ? s.number->invoice_number : invoice_id;
    note.note = reason;
    note.entry_id = s.issued->entry_id.empty() ? "" : "inv:" + credit_note_id;
    CreditDecision d;
    d.credited = InvoiceCredited{credit_note_id, "", s.issued->totals.total_micros, reason};
    d.credit_note = std::move(note);
    return d;
}

Result<PeriodInvoice> period_invoice(const std::string& customer_id,
                                     const std::string& subscription_id, const std::string& payer,
                                     const JournalEntry& charge, const ChargeInvoice& what,
                                     Timestamp now, std::int64_t due_days) {
    Micros debited = 0;
    for (const auto& p : charge.postings)
        if (p.account == payer) debited += p.debit_micros - p.credit_micros;
    PeriodInvoice out;
    auto& e = out.issued;
    e.kind = DocumentKind::Invoice;
    e.customer_id = customer_id;
    e.currency = charge.currency;
    e.issued_at = now;
    e.buyer.name = customer_id;
    e.behavior = TaxBehavior::Exclusive;
    e.promo_code = what.discount_micros > 0 ? what.promo_code : "";
    e.subscription_id = subscription_id;
    e.note = charge.memo;
    e.entry_id = charge.entry_id;
    for (std::size_t i = 0; i < what.lines.size(); ++i) {
        InvoiceLine l;
        l.input = what.lines[i];
        l.amount_micros = l.input.quantity * l.input.unit_amount_micros;
        l.discount_micros = i == 0 ? what.discount_micros : 0;
        l.net_micros = l.amount_micros - l.discount_micros;
        l.total_micros = l.net_micros;
        e.totals.subtotal_micros += l.amount_micros;
        e.totals.discount_micros += l.discount_micros;
        e.totals.net_micros += l.net_micros;
        e.totals.total_micros += l.total_micros;
        e.lines.push_back(std::move(l));
    }
    if (what.lines.empty() || e.totals.total_micros != debited)
        return fail(Errc::Internal, "lines",
                    "the invoice of " + charge.entry_id + " totals " +
                        std::to_string(e.totals.total_micros) + " micros where the charge debits " +
                        std::to_string(debited));
    if (payer.starts_with("receivable:")) {
        e.due_at = now + std::chrono::days(due_days);
    } else {
        const auto source = payer.substr(0, payer.find(':'));
        out.paid = InvoicePaid{source, e.totals.total_micros, charge.entry_id};
    }
    return out;
}

}  // namespace switchyard::core::billing
