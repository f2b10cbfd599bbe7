#pragma once
/// Gapless invoice numbers: each series (`INV-2026`, one per tenant, year or branch) numbers its
/// invoices 1, 2, 3, ... with no gap and no number twice, also under concurrency and after a
/// crash, as invoicing law in most of Europe asks (e.g. EU VAT Directive 2006/112/EC art. 226(2):
/// "a sequential number ... which uniquely identifies the invoice").
///
/// Streams: the series `billing_invoice_series-<series>` holds one
/// `billing.invoice_series.advanced` per number given, so a number is the series stream's
/// revision + 1 and gaps cannot exist; the invoice `billing_invoice-<invoice id>` starts with
/// `billing.invoice.numbered`. Both are appended in one atomic append (the series at its
/// expected revision, the invoice stream new), so a number is given exactly when the append
/// committed: a crash before that gives no number, after it the number is in the log.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.hpp"

namespace switchyard::core::billing {

/// Stream `billing_invoice_series-<series>`: the series gave its next number.
struct InvoiceSeriesAdvanced {
    static constexpr std::string_view kType = "billing.invoice_series.advanced";
    std::int64_t number = 0;  ///< 1 for the first invoice of the series.
    std::string invoice_id;
    friend bool operator==(const InvoiceSeriesAdvanced&, const InvoiceSeriesAdvanced&) = default;
};

/// Stream `billing_invoice-<invoice id>`: the invoice got its number.
struct InvoiceNumbered {
    static constexpr std::string_view kType = "billing.invoice.numbered";
    std::string series;
    std::int64_t number = 0;
    std::string invoice_number;  ///< As printed: `<series>-<number, 6 digits or more>`.
    friend bool operator==(const InvoiceNumbered&, const InvoiceNumbered&) = default;
};

using InvoiceSeriesEvent = std::variant<InvoiceSeriesAdvanced>;
using InvoiceNumberEvent = std::variant<InvoiceNumbered>;

struct InvoiceSeriesState {
    std::int64_t last = 0;  ///< The last number given; 0 before the first.
};
void evolve(InvoiceSeriesState& s, const InvoiceSeriesEvent& e);

inline std::string invoice_series_stream(const std::string& series) {
    return "billing_invoice_series-" + series;
}
inline std::string invoice_stream(const std::string& invoice_id) {
    return "billing_invoice-" + invoice_id;
}

/// `INV-2026` and 42 -> `INV-2026-000042`; numbers past 999999 print all their digits.
std::string format_invoice_number(const std::string& series, std::int64_t number);

/// Gives invoice `invoice_id` the next number of `series`. `existing` is the number the invoice
/// already has, if any: the same series again decides nothing (a retry); another series is a
/// Conflict.
struct NumberInvoice {
    std::string series;      ///< 1 to 32 letters, digits, `-` or `_`.
    std::string invoice_id;  ///< 1 to 128 letters, digits, `.`, `_`, `-` or `:`.
};

/// The events of one numbering: the series' and the invoice's (both empty for a retry).
struct InvoiceNumberDecision {
    std::optional<InvoiceSeriesAdvanced> series;
    std::optional<InvoiceNumbered> invoice;
};

/// @errors Invalid naming `series` or `invoice_id`; Conflict naming `invoice_id` when the
///         invoice is numbered in another series.
Result<InvoiceNumberDecision> decide(const InvoiceSeriesState& s, const NumberInvoice& c,
                                     const std::optional<InvoiceNumbered>& existing);

}  // namespace switchyard::core::billing
