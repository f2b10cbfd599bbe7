#include "core/billing/tax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include "core/billing/plan.hpp"

namespace switchyard::core::billing {

namespace {

constexpr RatePpm kMillion = 1'000'000;

/// The national part of a VAT id per prefix, as the VIES FAQ describes it.
struct VatFormat {
    const char* prefix;
    const char* pattern;
};

constexpr std::array<VatFormat, 29> kVatFormats{{
    {"AT", "U[0-9]{8}"},
    {"BE", "[01][0-9]{9}"},
    {"BG", "[0-9]{9,10}"},
    {"CY", "[0-9]{8}[A-Z]"},
    {"CZ", "[0-9]{8,10}"},
    {"DE", "[0-9]{9}"},
    {"DK", "[0-9]{8}"},
    {"EE", "[0-9]{9}"},
    {"EL", "[0-9]{9}"},
    {"ES", "[A-Z0-9][0-9]{7}[A-Z0-9]"},
    {"FI", "[0-9]{8}"},
    {"FR", "[A-Z0-9]{2}[0-9]{9}"},
    {"HR", "[0-9]{11}"},
    {"HU", "[0-9]{8}"},
    {"IE", "[0-9][A-Z0-9+*][0-9]{5}[A-Z]|[0-9]{7}[A-Z]{2}"},
    {"IT", "[0-9]{11}"},
    {"LT", "[0-9]{9}|[0-9]{12}"},
    {"LU", "[0-9]{8}"},
    {"LV", "[0-9]{11}"},
    {"MT", "[0-9]{8}"},
    {"NL", "[0-9]{9}B[0-9]{2}"},
    {"PL", "[0-9]{10}"},
    {"PT", "[0-9]{9}"},
    {"RO", "[0-9]{2,10}"},
    {"SE", "[0-9]{12}"},
    {"SI", "[0-9]{8}"},
    {"SK", "[0-9]{10}"},
    {"XI", "[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3}"},
    {"GB", "[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3}"},
}};

constexpr std::array<const char*, 28> kEuVatArea{
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"};

bool two_letters(std::string_view c) {
    return c.size() == 2 && std::isupper(static_cast<unsigned char>(c[0])) &&
           std::isupper(static_cast<unsigned char>(c[1]));
}

}  // namespace

bool valid_jurisdiction(std::string_view j) noexcept {
    if (j.size() < 2 || !two_letters(j.substr(0, 2))) return false;
    if (j.size() == 2) return true;
    if (j[2] != '-' || j.size() < 4 || j.size() > 6) return false;
    return std::all_of(j.begin() + 3, j.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c));
    });
}

Result<void> check_tax_rate(const TaxRate& r) {
    if (!valid_jurisdiction(r.jurisdiction))
        return fail(Errc::Invalid, "jurisdiction",
                    "must be an ISO 3166-1 country such as DE, or a country and region such as "
                    "US-CA");
    if (r.name.empty() || r.name.size() > 32 ||
        std::any_of(r.name.begin(), r.name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return fail(Errc::Invalid, "name", "must be 1 to 32 printable bytes (VAT, Sales tax)");
    if (r.rate_ppm < 0 || r.rate_ppm > kMillion)
        return fail(Errc::Invalid, "rate_ppm",
                    "must be 0 to 1000000 parts per million (19 % is 190000)");
    return {};
}

void evolve(TaxRatesState& s, const TaxEvent& e) {
    const auto& r = std::get<TaxRateSet>(e).rate;
    auto it = std::find_if(s.rates.begin(), s.rates.end(),
                           [&](const TaxRate& x) { return x.jurisdiction == r.jurisdiction; });
    if (it == s.rates.end())
        s.rates.push_back(r);
    else
        *it = r;
}

Result<std::vector<TaxEvent>> decide(const TaxRatesState& s, const TaxRate& r) {
    SY_TRY(check_tax_rate(r));
    for (const auto& x : s.rates)
        if (x == r) return std::vector<TaxEvent>{};
    return std::vector<TaxEvent>{TaxRateSet{r}};
}

const char* to_string(TaxBehavior b) noexcept {
    return b == TaxBehavior::Inclusive ? "inclusive" : "exclusive";
}

bool parse_tax_behavior(std::string_view text, TaxBehavior& out) noexcept {
    if (text == "exclusive")
        out = TaxBehavior::Exclusive;
    else if (text == "inclusive")
        out = TaxBehavior::Inclusive;
    else
        return false;
    return true;
}

bool is_eu_vat_area(std::string_view country) noexcept {
    return std::any_of(kEuVatArea.begin(), kEuVatArea.end(),
                       [&](const char* c) { return country == c; });
}

Result<std::string> normalize_vat_id(std::string_view text, const std::string& field) {
    std::string id;
    for (char c : text) {
        if (c == ' ' || c == '.' || c == '-' || c == '\t') continue;
        id += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (id.size() < 4 || id.size() > 16)
        return fail(Errc::Invalid, field, "must be a VAT id such as DE123456789");
    const auto prefix = id.substr(0, 2);
    for (const auto& f : kVatFormats) {
        if (prefix != f.prefix) continue;
        if (!std::regex_match(id.substr(2), std::regex(f.pattern)))
            return fail(Errc::Invalid, field,
                        "is not a VAT id of " + prefix + " (the number after " + prefix +
                            " must match " + f.pattern + ")");
        return id;
    }
    if (prefix == "GR") return fail(Errc::Invalid, field, "Greek VAT ids start with EL, not GR");
    return fail(Errc::Invalid, field,
                "starts with " + prefix + ", which is not an EU member state's VAT prefix");
}

std::string vat_id_country(std::string_view vat_id) {
    const auto prefix = std::string(vat_id.substr(0, 2));
    return prefix == "EL" ? "GR" : prefix;
}

Result<TaxTreatment> tax_treatment(const std::vector<TaxRate>& rates,
                                   std::string_view seller_country, const TaxBuyer& buyer) {
    if (!two_letters(buyer.country))
        return fail(Errc::Invalid, "country", "must be an ISO 3166-1 alpha-2 code such as DE");
    TaxTreatment t;
    if (!buyer.vat_id.empty()) {
        t.vat_id = SY_TRY(normalize_vat_id(buyer.vat_id, "vat_id"));
        if (vat_id_country(t.vat_id) != buyer.country)
            return fail(Errc::Invalid, "vat_id",
                        "is a VAT id of " + vat_id_country(t.vat_id) + ", the buyer is in " +
                            buyer.country);
    }
    if (!t.vat_id.empty() && is_eu_vat_area(seller_country) && is_eu_vat_area(buyer.country) &&
        buyer.country != seller_country) {
        t.jurisdiction = buyer.country;
        t.name = "VAT";
        t.reverse_charge = true;
        t.note =
            "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council "
            "Directive 2006/112/EC)";
        return t;
    }
    const auto find = [&](const std::string& j) -> const TaxRate* {
        for (const auto& r : rates)
            if (r.jurisdiction == j) return &r;
        return nullptr;
    };
    const TaxRate* rate = buyer.region.empty() ? nullptr : find(buyer.country + "-" + buyer.region);
    if (!rate) rate = find(buyer.country);
    if (!rate)
        return fail(Errc::NotFound, "country",
                    "no tax rate for " + buyer.country +
                        (buyer.region.empty() ? "" : " or " + buyer.country + "-" + buyer.region) +
                        " (define one, 0 for an exempt place)");
    t.jurisdiction = rate->jurisdiction;
    t.name = rate->name;
    t.rate_ppm = rate->rate_ppm;
    return t;
}

TaxSplit apply_tax(Micros amount, RatePpm rate, TaxBehavior behavior, std::string_view currency) {
    TaxSplit s;
    if (behavior == TaxBehavior::Exclusive) {
        s.net_micros = amount;
        s.tax_micros = prorate(amount, rate, kMillion, currency);
        s.gross_micros = s.net_micros + s.tax_micros;
    } else {
        s.gross_micros = amount;
        s.net_micros = prorate(amount, kMillion, kMillion + rate, currency);
        s.tax_micros = s.gross_micros - s.net_micros;
    }
    return s;
}

}  // namespace switchyard::core::billing
