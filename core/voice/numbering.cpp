#include "core/voice/numbering.hpp"

#include <algorithm>
#include <utility>

#include "core/voice/csv.hpp"

namespace switchyard::core::voice {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 15 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error at_line(const char* file, std::int64_t line, std::string message) {
    return Error{Errc::Invalid, file,
                 std::string(file) + " line " + std::to_string(line) + ": " + std::move(message)};
}

}  // namespace

Result<NumberingPlan> NumberingPlan::parse(std::string_view destinations_csv,
                                           std::string_view countries_csv) {
    NumberingPlan plan;
    std::vector<std::pair<std::string, std::uint32_t>> names;
    const auto destinations = read_csv(destinations_csv);
    for (std::size_t i = 1; i < destinations.rows.size(); ++i) {
        const auto& row = destinations.rows[i];
        if (row.fields.size() < 2)
            return fail(at_line("destinations.csv", row.line, "expected prefix,destination"));
        if (!all_digits(row.fields[0]))
            return fail(at_line("destinations.csv", row.line,
                                "prefix '" + row.fields[0] + "' is not 1 to 15 digits"));
        names.emplace_back(row.fields[0], static_cast<std::uint32_t>(plan.names_.size()));
        plan.names_.push_back({row.fields[0], row.fields[1]});
    }
    std::vector<std::pair<std::string, std::uint32_t>> dials;
    const auto countries = read_csv(countries_csv);
    for (std::size_t i = 1; i < countries.rows.size(); ++i) {
        const auto& row = countries.rows[i];
        if (row.fields.size() < 4)
            return fail(at_line("countries.csv", row.line, "expected dial,country,name,currency"));
        if (!all_digits(row.fields[0]))
            return fail(at_line("countries.csv", row.line,
                                "dial code '" + row.fields[0] + "' is not digits"));
        const auto& cc = row.fields[1];
        if (cc.size() != 2 ||
            !std::all_of(cc.begin(), cc.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            return fail(at_line("countries.csv", row.line,
                                "country '" + cc + "' is not an ISO 3166-1 alpha-2 code"));
        dials.emplace_back(row.fields[0], static_cast<std::uint32_t>(plan.countries_.size()));
        plan.countries_.push_back({row.fields[0], cc, row.fields[2], row.fields[3]});
    }
    plan.name_index_ = PrefixIndex::build(std::move(names));
    plan.country_index_ = PrefixIndex::build(std::move(dials));
    return plan;
}

std::optional<DestinationName> NumberingPlan::destination(std::string_view e164) const {
    const auto m = name_index_.longest(e164);
    if (m.value == PrefixIndex::kNone) return std::nullopt;
    return names_[m.value];
}

std::optional<CountryCode> NumberingPlan::country(std::string_view e164) const {
    const auto m = country_index_.longest(e164);
    if (m.value == PrefixIndex::kNone) return std::nullopt;
    return countries_[m.value];
}

}  // namespace switchyard::core::voice
