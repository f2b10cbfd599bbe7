#pragma once
/// An issued invoice as the buyer receives it: the document (adapters/billing/
/// invoice_document.hpp) made from the invoice's events and the seller's details, and the email
/// that carries it (adapters/email/smtp_mailer.hpp): the HTML as the body, the PDF attached.

#include <string>
#include <string_view>

#include "adapters/billing/invoice_document.hpp"
#include "adapters/email/smtp_mailer.hpp"
#include "core/billing/issued_invoice.hpp"
#include "core/result.hpp"

namespace switchyard::app {

/// The seller as invoices print it (the billing module's `--billing-seller-*` options).
struct InvoiceSeller {
    std::string name;
    std::string address;  ///< Newlines between lines.
    std::string country;  ///< ISO 3166-1 alpha-2.
    std::string vat_id;
    std::string email;
    std::string footer;
};

/// The printable document of an issued invoice or credit note (`s.issued` set; the buyer's
/// fields as read, `[erased]` after an erasure).
adapters::billing::InvoiceDocument invoice_document(const core::billing::InvoiceState& s,
                                                    const InvoiceSeller& seller);

/// The document as `html` or `pdf`. @errors Invalid naming `format`; the renderers'.
core::Result<std::string> render_invoice(const core::billing::InvoiceState& s,
                                         const InvoiceSeller& seller, std::string_view format);

/// Emails the document to `to` from `from` (the seller's name as display name): subject
/// `Invoice INV-2026-000001 from <seller>`, a text summary, the HTML alternative and the PDF
/// attached as `<number>.pdf`. Gives the Message-ID. @errors as adapters::email::send_mail.
core::Result<std::string> email_invoice(const adapters::email::SmtpConfig& smtp,
                                        const std::string& from,
                                        const core::billing::InvoiceState& s,
                                        const InvoiceSeller& seller, const std::string& to);

}  // namespace switchyard::app
