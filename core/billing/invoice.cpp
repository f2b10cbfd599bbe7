#include "core/billing/invoice.hpp"

#include <algorithm>

#include "core/billing/plan.hpp"

namespace switchyard::core::billing {

namespace {

constexpr Micros kMaxAmount = 1'000'000'000'000'000;  // 1e12 currency units

bool applies(const PromoCode& p, const InvoiceLineInput& l) {
    return p.plan_ids.empty() ||
           std::find(p.plan_ids.begin(), p.plan_ids.end(), l.plan_id) != p.plan_ids.end();
}

}  // namespace

Result<ComputedInvoice> compute_invoice(const std::vector<InvoiceLineInput>& lines,
                                        const std::string& currency, const TaxTreatment& tax,
                                        TaxBehavior behavior, const std::optional<PromoCode>& promo,
                                        std::int64_t promo_period) {
    if (!valid_currency(currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (lines.empty() || lines.size() > kMaxInvoiceLines)
        return fail(Errc::Invalid, "lines", "an invoice has 1 to 500 lines");
    ComputedInvoice out;
    Micros eligible = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        const auto at = "lines[" + std::to_string(i) + "].";
        if (l.description.empty() || l.description.size() > 200 ||
            std::any_of(l.description.begin(), l.description.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            return fail(Errc::Invalid, at + "description", "must be 1 to 200 printable bytes");
        if (l.quantity < 1 || l.quantity > 1'000'000'000)
            return fail(Errc::Invalid, at + "quantity", "must be 1 to 1000000000");
        if (l.unit_amount_micros < 0 || l.unit_amount_micros > kMaxAmount / l.quantity)
            return fail(Errc::Invalid, at + "unit_amount_micros",
                        "must be 0 or more, and the line at most 1e12 currency units");
        InvoiceLine line;
        line.input = l;
        line.amount_micros = l.quantity * l.unit_amount_micros;
        out.totals.subtotal_micros += line.amount_micros;
        if (out.totals.subtotal_micros > kMaxAmount)
            return fail(Errc::Invalid, "lines", "the invoice exceeds 1e12 currency units");
        if (promo && applies(*promo, l)) eligible += line.amount_micros;
        out.lines.push_back(std::move(line));
    }
    // The discount, spread over the lines it applies to in proportion to their amounts.
    if (promo && eligible > 0) {
        Micros discount = discount_for(*promo, eligible, promo_period, currency);
        Micros left = discount;
        std::size_t last = 0;
        for (std::size_t i = 0; i < out.lines.size(); ++i)
            if (applies(*promo, out.lines[i].input) && out.lines[i].amount_micros > 0) last = i;
        for (std::size_t i = 0; i < out.lines.size() && left > 0; ++i) {
            auto& line = out.lines[i];
            if (!applies(*promo, line.input) || line.amount_micros == 0) continue;
            const Micros share =
                i == last
                    ? left
                    : std::min(left, prorate(discount, line.amount_micros, eligible, currency));
            line.discount_micros = std::min(share, line.amount_micros);
            left -= line.discount_micros;
        }
        out.totals.discount_micros = discount - left;
    }
    const RatePpm rate = tax.reverse_charge ? 0 : tax.rate_ppm;
    for (auto& line : out.lines) {
        const auto split =
            apply_tax(line.amount_micros - line.discount_micros, rate, behavior, currency);
        line.net_micros = split.net_micros;
        line.tax_micros = split.tax_micros;
        line.total_micros = split.gross_micros;
        out.totals.net_micros += line.net_micros;
        out.totals.tax_micros += line.tax_micros;
        out.totals.total_micros += line.total_micros;
    }
    return out;
}

}  // namespace switchyard::core::billing
