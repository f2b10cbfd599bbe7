#include "app/modules/billing_documents.hpp"

#include "core/time.hpp"

namespace switchyard::app {

using namespace core::billing;
namespace doc = adapters::billing;

namespace {

/// `2026-12-03` of an RFC 3339 time.
std::string date_of(core::Timestamp t) { return core::format_rfc3339(t).substr(0, 10); }

}  // namespace

doc::InvoiceDocument invoice_document(const InvoiceState& s, const InvoiceSeller& seller) {
    const auto& e = *s.issued;
    doc::InvoiceDocument d;
    d.credit_note = e.kind == DocumentKind::CreditNote;
    d.invoice_number = s.number ? s.number->invoice_number : "";
    d.credited_invoice_number = e.credits_invoice_number;
    d.issue_date = date_of(e.issued_at);
    d.due_date = e.due_at && !s.paid ? date_of(*e.due_at) : "";
    d.currency = e.currency;
    d.seller = {seller.name, seller.address, seller.country, seller.vat_id, seller.email};
    d.buyer = {e.buyer.name, e.buyer.address, e.buyer.country, e.tax.vat_id, e.buyer.email};
    for (const auto& l : e.lines)
        d.lines.push_back({l.input.description, l.input.quantity, l.input.unit_amount_micros,
                           l.discount_micros, l.net_micros, l.tax_micros, l.total_micros});
    d.subtotal_micros = e.totals.subtotal_micros;
    d.discount_micros = e.totals.discount_micros;
    d.net_micros = e.totals.net_micros;
    d.tax_micros = e.totals.tax_micros;
    d.total_micros = e.totals.total_micros;
    d.tax_rate_ppm = e.tax.rate_ppm;
    d.tax_jurisdiction = e.tax.jurisdiction;
    d.tax_inclusive = e.behavior == TaxBehavior::Inclusive;
    d.reverse_charge = e.tax.reverse_charge;
    d.tax_note = e.tax.note;
    d.promo_code = e.promo_code;
    d.status = s.status();
    d.footer = e.note.empty() ? seller.footer
                              : (seller.footer.empty() ? e.note : e.note + "\n" + seller.footer);
    return d;
}

core::Result<std::string> render_invoice(const InvoiceState& s, const InvoiceSeller& seller,
                                         std::string_view format) {
    const auto d = invoice_document(s, seller);
    if (format == "html") return doc::render_invoice_html(d);
    if (format == "pdf") return doc::render_invoice_pdf(d);
    return core::fail(core::Errc::Invalid, "format", "must be html or pdf");
}

core::Result<std::string> email_invoice(const adapters::email::SmtpConfig& smtp,
                                        const std::string& from, const InvoiceState& s,
                                        const InvoiceSeller& seller, const std::string& to) {
    const auto d = invoice_document(s, seller);
    const std::string what = d.credit_note ? "Credit note" : "Invoice";
    adapters::email::MailMessage m;
    m.from = from;
    m.from_name = seller.name;
    m.to = {to};
    m.subject = what + " " + d.invoice_number + " from " + seller.name;
    m.text = what + " " + d.invoice_number + " of " + d.issue_date +
             "\n\nTotal: " + doc::format_amount(d.total_micros, d.currency) + " " + d.currency +
             (d.due_date.empty() ? "" : "\nDue: " + d.due_date) +
             "\n\nThe document is attached as PDF.\n";
    m.html = SY_TRY(doc::render_invoice_html(d));
    m.attachments.push_back(
        {d.invoice_number + ".pdf", "application/pdf", SY_TRY(doc::render_invoice_pdf(d))});
    return SY_TRY(adapters::email::send_mail(smtp, m)).message_id;
}

}  // namespace switchyard::app
