#include "core/billing/invoice_number.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace switchyard::core::billing {

namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void evolve(InvoiceSeriesState& s, const InvoiceSeriesEvent& e) {
    s.last = std::get<InvoiceSeriesAdvanced>(e).number;
}

std::string format_invoice_number(const std::string& series, std::int64_t number) {
    return fmt::format("{}-{:06}", series, number);
}

Result<InvoiceNumberDecision> decide(const InvoiceSeriesState& s, const NumberInvoice& c,
                                     const std::optional<InvoiceNumbered>& existing) {
    if (c.series.empty() || c.series.size() > 32 ||
        !std::all_of(c.series.begin(), c.series.end(),
                     [](char ch) { return alnum(ch) || ch == '-' || ch == '_'; }))
        return fail(Errc::Invalid, "series", "must be 1 to 32 letters, digits, '-' or '_'");
    if (c.invoice_id.empty() || c.invoice_id.size() > 128 ||
        !std::all_of(c.invoice_id.begin(), c.invoice_id.end(), [](char ch) {
            return alnum(ch) || ch == '.' || ch == '_' || ch == '-' || ch == ':';
        }))
        return fail(Errc::Invalid, "invoice_id",
                    "must be 1 to 128 letters, digits, '.', '_', '-' or ':'");
    if (existing) {
        if (existing->series == c.series) return InvoiceNumberDecision{};
        return fail(Errc::Conflict, "invoice_id",
                    "invoice " + c.invoice_id + " is numbered " + existing->invoice_number +
                        " in series " + existing->series);
    }
    const auto number = s.last + 1;
    return InvoiceNumberDecision{
        InvoiceSeriesAdvanced{number, c.invoice_id},
        InvoiceNumbered{c.series, number, format_invoice_number(c.series, number)}};
}

}  // namespace switchyard::core::billing
