#pragma once
/// Taxes on what billing charges: a rate per jurisdiction, inclusive or exclusive prices, EU VAT
/// ids and the reverse charge.
///
/// A jurisdiction is an ISO 3166-1 alpha-2 country (`DE`) or a country and a region (`US-CA`);
/// a rate is in parts per million of the amount (19 % = 190'000). The buyer's jurisdiction
/// decides (destination principle: EU B2C digital services, US sales tax), its region's rate
/// first, else its country's. An EU business buyer with a VAT id of another member state than
/// the seller's pays no VAT: the invoice says "Reverse charge" and the buyer accounts for it
/// (Council Directive 2006/112/EC, Articles 44 and 196; the mention per Article 226(11a)).
/// Tax is computed per invoice line and rounded there to the currency's minor unit, half away
/// from zero, as Stripe does (Stripe's example: 15 % of 0.43 is 0.06 and of 4.84 is 0.73, 0.79
/// in all); an inclusive price splits as net = round(gross / (1 + rate)), tax = gross - net.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"

namespace switchyard::core::billing {

/// Parts per million: 190'000 is 19 %.
using RatePpm = std::int64_t;

/// A tax rate of a jurisdiction.
struct TaxRate {
    std::string jurisdiction;  ///< `DE`, `US-CA`.
    std::string name;          ///< What the invoice calls it: `VAT`, `Sales tax`, `GST`.
    RatePpm rate_ppm = 0;      ///< 0 to 1'000'000.
    friend bool operator==(const TaxRate&, const TaxRate&) = default;
};

/// True for `CC` or `CC-RRR` (two upper-case letters; a region of 1 to 3 letters or digits).
bool valid_jurisdiction(std::string_view j) noexcept;

/// @errors Invalid naming `jurisdiction`, `name` (1 to 32 printable bytes) or `rate_ppm`.
Result<void> check_tax_rate(const TaxRate& r);

/// Stream `billing_tax_rates` (one per tenant): a rate set or changed.
struct TaxRateSet {
    static constexpr std::string_view kType = "billing.tax_rate.set";
    TaxRate rate;
    friend bool operator==(const TaxRateSet&, const TaxRateSet&) = default;
};
using TaxEvent = std::variant<TaxRateSet>;
inline constexpr std::string_view kTaxRatesStream = "billing_tax_rates";

/// The tenant's rates, by jurisdiction.
struct TaxRatesState {
    std::vector<TaxRate> rates;
};
void evolve(TaxRatesState& s, const TaxEvent& e);
/// Sets a rate; the same rate again decides nothing. @errors as check_tax_rate.
Result<std::vector<TaxEvent>> decide(const TaxRatesState& s, const TaxRate& r);

/// Whether prices hold the tax (`inclusive`, as consumer prices in the EU) or get it added
/// (`exclusive`).
enum class TaxBehavior { Exclusive, Inclusive };
const char* to_string(TaxBehavior b) noexcept;
bool parse_tax_behavior(std::string_view text, TaxBehavior& out) noexcept;

/// True for the 27 EU member states (ISO codes; Greece is `GR`) and `XI` (Northern Ireland,
/// which VIES keeps for goods).
bool is_eu_vat_area(std::string_view country) noexcept;

/// Normalizes an EU VAT identification number: blanks, dots and dashes dropped, upper case,
/// and checks its structure for its prefix as the Commission's VIES service describes it (`DE`
/// 9 digits, `FR` 2 letters or digits and 9 digits, `NL` 9 digits `B` 2 digits, Greece `EL` 9
/// digits, ...). Structure only: whether the number is registered is VIES's to say.
/// @returns e.g. `DE123456789`.
/// @errors Invalid naming `field`: an unknown prefix or a wrong structure for it.
Result<std::string> normalize_vat_id(std::string_view text, const std::string& field);

/// The ISO 3166-1 country of a normalized VAT id (`EL` is `GR`).
std::string vat_id_country(std::string_view vat_id);

/// Who is taxed.
struct TaxBuyer {
    std::string country;  ///< ISO 3166-1 alpha-2.
    std::string region;   ///< May be empty: `CA` for California.
    std::string vat_id;   ///< A business buyer's VAT id; empty for consumers.
};

/// How a buyer's charges are taxed.
struct TaxTreatment {
    std::string jurisdiction;  ///< Whose rate applied; the buyer's country under reverse charge.
    std::string name;          ///< `VAT`, ...
    RatePpm rate_ppm = 0;
    bool reverse_charge = false;
    std::string vat_id;  ///< The buyer's, normalized; empty for consumers.
    std::string note;    ///< For the invoice: the reverse charge mention, else empty.
    friend bool operator==(const TaxTreatment&, const TaxTreatment&) = default;
};

/// The treatment of `buyer`'s charges by a seller in `seller_country` with `rates`.
/// @errors Invalid naming `country` (not two letters), `vat_id` (as normalize_vat_id, or of
///         another country than the buyer's); NotFound naming `country` when `rates` hold
///         neither the buyer's region nor country (configure 0 for exempt places).
Result<TaxTreatment> tax_treatment(const std::vector<TaxRate>& rates,
                                   std::string_view seller_country, const TaxBuyer& buyer);

/// An amount split into net, tax and gross.
struct TaxSplit {
    Micros net_micros = 0;
    Micros tax_micros = 0;
    Micros gross_micros = 0;
    friend bool operator==(const TaxSplit&, const TaxSplit&) = default;
};

/// Taxes `amount` at `rate`: exclusive, the tax is added; inclusive, it is taken out. Each part
/// rounded to the currency's minor unit, half away from zero.
TaxSplit apply_tax(Micros amount, RatePpm rate, TaxBehavior behavior, std::string_view currency);

}  // namespace switchyard::core::billing
