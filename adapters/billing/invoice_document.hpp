#pragma once
/// An issued invoice or credit note as the buyer receives it: one HTML document (for the
/// browser and the email body) and one PDF (libharu, Debian `libhpdf-dev`, A4). The content is
/// what EU VAT Directive 2006/112/EC art. 226 asks an invoice to state: date of issue, the
/// sequential number, the seller's and the buyer's names and addresses and VAT ids, each line's
/// quantity, unit price, discount, net amount and tax rate, the tax per rate, the total, and
/// "Reverse charge" when the buyer accounts for the tax (art. 226(11a)).
///
/// The input holds the texts already opened (personal data sealed per subject is opened by the
/// caller; an erased field arrives as `[erased]`). Amounts are micro-units of `currency`,
/// printed with the currency's minor-unit digits (ISO 4217: EUR 2, JPY 0, BHD 3).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters::billing {

/// A party of the invoice. Texts are UTF-8; `address` may hold newlines (one per printed line).
struct DocumentParty {
    std::string name;
    std::string address;
    std::string country;  ///< ISO 3166-1 alpha-2; may be empty.
    std::string vat_id;   ///< May be empty.
    std::string email;    ///< May be empty.
};

/// One line as printed.
struct DocumentLine {
    std::string description;
    std::int64_t quantity = 1;
    std::int64_t unit_amount_micros = 0;
    std::int64_t discount_micros = 0;
    std::int64_t net_micros = 0;
    std::int64_t tax_micros = 0;
    std::int64_t total_micros = 0;
};

/// The document: an invoice, or a credit note (`credit_note` true, `credited_invoice_number`
/// naming the invoice it credits; its amounts are printed as given, positive).
struct InvoiceDocument {
    bool credit_note = false;
    std::string invoice_number;           ///< `INV-2026-000042`.
    std::string credited_invoice_number;  ///< For a credit note.
    std::string issue_date;               ///< `2026-12-03` (RFC 3339 full-date).
    std::string due_date;                 ///< May be empty (credit notes, paid invoices).
    std::string currency;                 ///< ISO 4217.
    DocumentParty seller;
    DocumentParty buyer;
    std::vector<DocumentLine> lines;  ///< 1 to 500.
    std::int64_t subtotal_micros = 0;
    std::int64_t discount_micros = 0;
    std::int64_t net_micros = 0;
    std::int64_t tax_micros = 0;
    std::int64_t total_micros = 0;
    std::int64_t tax_rate_ppm = 0;  ///< 190'000 is 19 %.
    std::string tax_jurisdiction;   ///< `DE`, `US-CA`; may be empty.
    bool tax_inclusive = false;     ///< Prices include the tax.
    bool reverse_charge = false;    ///< Prints the reverse-charge mention.
    std::string tax_note;           ///< e.g. the art. 196 mention; may be empty.
    std::string promo_code;         ///< May be empty.
    std::string status;             ///< `open`, `paid`, `credited`; printed as a stamp.
    std::string footer;             ///< Payment terms, bank details; may be empty.
};

/// `12'500'000` in `EUR` -> `12.50`; `-1'500'000` -> `-1.50`; JPY 1'000'000 -> `1`. Rounds
/// toward zero below the currency's minor unit.
std::string format_amount(std::int64_t micros, const std::string& currency);

/// Checks the document: a number, a date, a currency of three upper-case letters, 1 to 500
/// lines, texts valid UTF-8 without control characters (newlines allowed in addresses and the
/// footer), each at most 2,000 bytes. Also: the number, the credited invoice's number, VAT ids,
/// the promo code and the status at most 64 bytes; the seller's and buyer's names, each line's
/// description and (for a credit note) the credited invoice's number required; a due date empty
/// or a date; a country empty or two upper-case letters; a tax jurisdiction empty, `CC` or
/// `CC-RRR` (core::billing::valid_jurisdiction); `tax_rate_ppm` 0 to 1'000'000. Amounts are
/// not checked (they are printed as given).
/// @errors Invalid naming the field (`invoice_number`, `credited_invoice_number`, `issue_date`,
///         `due_date`, `currency`, `lines`, `lines[i].description`, `seller.name`,
///         `buyer.address`, `buyer.country`, `tax_rate_ppm`, `tax_jurisdiction`, ...) and saying
///         why.
core::Result<void> check_invoice_document(const InvoiceDocument& doc);

/// The document as one self-contained HTML page (inline CSS, A4 `@page` for printing); every
/// text HTML-escaped. @errors as check_invoice_document.
core::Result<std::string> render_invoice_html(const InvoiceDocument& doc);

/// The document as PDF bytes: A4, Helvetica with WinAnsiEncoding (characters outside
/// Windows-1252 print as `?`), as many pages as the lines need (the table's header repeated on
/// each), `Page i of n` at the bottom of each page. Tax rates print as `19 %` or `7.25 %`.
/// @errors as check_invoice_document; Internal when libharu fails (its error number named).
/// @thread safe (each call has its own libharu document).
core::Result<std::string> render_invoice_pdf(const InvoiceDocument& doc);

}  // namespace switchyard::adapters::billing
