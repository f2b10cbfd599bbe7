#pragma once
/// An invoice's amounts: its lines, the promo code's discount spread over the lines it applies
/// to, and the tax of each line. The order is the one Stripe and Lago document: the discount
/// comes off before tax; each line's tax is computed on its discounted amount and rounded there
/// (Stripe rounds per line item); the totals are the sums of the lines. With inclusive prices
/// the lines hold the tax and the total is what the lines say, less the discount.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/billing/promo.hpp"
#include "core/billing/tax.hpp"
#include "core/result.hpp"

namespace switchyard::core::billing {

/// A line as the invoice's source gives it: a subscription's period, a rated usage total, a
/// one-off charge.
struct InvoiceLineInput {
    std::string description;        ///< 1 to 200 printable bytes.
    std::string line;               ///< The service line it earns revenue for: `vpn`, `voice`, ...
    std::string plan_id;            ///< The plan it is for; empty for usage and one-off charges.
    std::int64_t quantity = 1;      ///< >= 1.
    Micros unit_amount_micros = 0;  ///< >= 0; with tax when prices are inclusive.
    friend bool operator==(const InvoiceLineInput&, const InvoiceLineInput&) = default;
};

/// A line with its amounts.
struct InvoiceLine {
    InvoiceLineInput input;
    Micros amount_micros = 0;    ///< quantity x unit amount.
    Micros discount_micros = 0;  ///< Its share of the promo code's discount.
    Micros net_micros = 0;       ///< Without tax, after the discount.
    Micros tax_micros = 0;
    Micros total_micros = 0;  ///< net + tax.
    friend bool operator==(const InvoiceLine&, const InvoiceLine&) = default;
};

struct InvoiceTotals {
    Micros subtotal_micros = 0;  ///< Sum of the lines' amounts (as priced).
    Micros discount_micros = 0;
    Micros net_micros = 0;
    Micros tax_micros = 0;
    Micros total_micros = 0;  ///< What the customer owes.
    friend bool operator==(const InvoiceTotals&, const InvoiceTotals&) = default;
};

struct ComputedInvoice {
    std::vector<InvoiceLine> lines;
    InvoiceTotals totals;
};

/// The most lines one invoice holds.
inline constexpr std::size_t kMaxInvoiceLines = 500;

/// Computes an invoice in `currency`: `promo` (with the period of the subscription it is in,
/// 1 for the first) discounts the lines whose plan it is for (every line when it names no
/// plan), spread over them in proportion to their amounts (the last takes the rounding rest);
/// each line is taxed at `tax.rate_ppm` (0 under reverse charge) with `behavior`.
/// @errors Invalid naming `lines` (none, or more than 500), `lines[i].description`,
///         `lines[i].quantity` or `lines[i].unit_amount_micros`, or `currency`; Invalid
///         `lines` when an amount overflows.
Result<ComputedInvoice> compute_invoice(const std::vector<InvoiceLineInput>& lines,
                                        const std::string& currency, const TaxTreatment& tax,
                                        TaxBehavior behavior,
                                        const std::optional<PromoCode>& promo = std::nullopt,
                                        std::int64_t promo_period = 1);

}  // namespace switchyard::core::billing
