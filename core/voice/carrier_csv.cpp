#include "core/voice/carrier_csv.hpp"

#include <charconv>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/voice/csv.hpp"

namespace switchyard::core::voice {

namespace {

std::optional<std::int64_t> parse_int(std::string_view text) {
    text = trim_blanks(text);
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
    return value;
}

/// Reads `count` digits at `pos` of `text` as a number; none when they are not all digits.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

std::optional<Timestamp> civil(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
    using namespace std::chrono;
    const year_month_day ymd{year(y), month(unsigned(m)), day(unsigned(d))};
    if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    return Timestamp(sys_days(ymd)) + hours(hh) + minutes(mm) + seconds(ss);
}

/// A mapped column's index in the header; an error naming the mapping key when it is missing.
Result<std::optional<std::size_t>> resolve(const ColumnRef& ref, const std::string& key,
                                           const std::vector<std::string>* header) {
    if (!ref.is_set()) return std::optional<std::size_t>();
    if (ref.index) {
        if (header != nullptr && *ref.index >= header->size()) {
            return fail(Errc::Invalid, key,
                        "column " + std::to_string(*ref.index) + " is past the " +
                            std::to_string(header->size()) + " columns of the header");
        }
        return std::optional<std::size_t>(*ref.index);
    }
    if (header == nullptr) {
        return fail(
            Errc::Invalid, key,
            "a deck without a header line needs column indexes, not the name '" + ref.name + "'");
    }
    const auto found = find_column(*header, ref.name);
    if (!found) return fail(Errc::Invalid, key, "column '" + ref.name + "' is not in the header");
    return found;
}

}  // namespace

std::optional<Timestamp> parse_deck_date(std::string_view text, bool day_first) {
    text = trim_blanks(text);
    if (day_first) {
        // DD/MM/YYYY (also D/M/YYYY and `.` or `-` separators).
        int parts[3] = {0, 0, 0};
        std::size_t k = 0;
        std::size_t count = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '/' || text[i] == '.' || text[i] == '-') {
                if (count == 0 || k >= 2) return std::nullopt;
                ++k;
                count = 0;
                continue;
            }
            if (text[i] < '0' || text[i] > '9' || ++count > 4) return std::nullopt;
            parts[k] = parts[k] * 10 + (text[i] - '0');
        }
        if (count == 0 || k != 2 || parts[2] < 1000) return std::nullopt;
        return civil(parts[2], parts[1], parts[0]);
    }
    if (text.size() > 10) {
        if (const auto t = parse_rfc3339(text)) return t;
    }
    const auto y = digits(text, 0, 4);
    const auto m = digits(text, 5, 2);
    const auto d = digits(text, 8, 2);
    if (!y || !m || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
    if (text.size() == 10) return civil(*y, *m, *d);
    // `YYYY-MM-DD HH:MM[:SS]`
    if (text[10] != ' ' && text[10] != 'T') return std::nullopt;
    const auto hh = digits(text, 11, 2);
    const auto mi = digits(text, 14, 2);
    if (!hh || !mi || text.size() < 16 || text[13] != ':') return std::nullopt;
    if (text.size() == 16) return civil(*y, *m, *d, *hh, *mi);
    const auto ss = digits(text, 17, 2);
    if (!ss || text.size() != 19 || text[16] != ':') return std::nullopt;
    return civil(*y, *m, *d, *hh, *mi, *ss);
}

Result<ParsedDeck> parse_carrier_csv(std::string_view text, const std::string& file_name,
                                     const ColumnMapping& mapping) {
    if (!mapping.prefix.is_set()) return fail(Errc::Invalid, "prefix", "is not mapped");
    if (!mapping.rate.is_set()) return fail(Errc::Invalid, "rate", "is not mapped");

    CsvOptions csv_options;
    csv_options.separator = mapping.separator;
    csv_options.decimal_comma = mapping.decimal_comma;
    csv_options.skip_lines = mapping.skip_lines;
    const auto table = read_csv(text, csv_options);
    if (mapping.header && table.rows.empty()) {
        return fail(Errc::Invalid, "file", file_name + " has no header line");
    }
    const auto* header = mapping.header ? &table.rows.front().fields : nullptr;
    const auto c_prefix = SY_TRY(resolve(mapping.prefix, "prefix", header));
    const auto c_name = SY_TRY(resolve(mapping.destination_name, "destination_name", header));
    const auto c_rate = SY_TRY(resolve(mapping.rate, "rate", header));
    const auto c_connect = SY_TRY(resolve(mapping.connect_fee, "connect_fee", header));
    const auto c_first = SY_TRY(resolve(mapping.first_increment, "first_increment", header));
    const auto c_next = SY_TRY(resolve(mapping.next_increment, "next_increment", header));
    const auto c_date = SY_TRY(resolve(mapping.effective_date, "effective_date", header));
    const bool decimal_comma = table.decimal_comma;

    ParsedDeck deck;
    deck.tariff.currency = mapping.currency;
    deck.tariff.pricing = PricingModel::Exact;  // The price list read literally (tariff.hpp).
    std::map<std::string, std::size_t> destination_index;
    // (prefix, effective date or none) -> line of the row that set it.
    std::map<std::pair<std::string, std::optional<std::int64_t>>, std::int64_t> seen;

    for (std::size_t r = mapping.header ? 1 : 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        ++deck.lines_read;
        auto refuse = [&](std::string field, std::string reason) {
            deck.errors.push_back(
                RowError{file_name, row.line, std::move(field), std::move(reason)});
        };
        auto cell = [&](const std::optional<std::size_t>& c) {
            return c ? trim_blanks(field_at(row, *c)) : std::string_view();
        };

        // Prefix: strip `+` or `00`, then digits only.
        auto prefix = cell(c_prefix);
        if (!prefix.empty() && prefix.front() == '+') {
            prefix.remove_prefix(1);
        } else if (prefix.substr(0, 2) == "00") {
            prefix.remove_prefix(2);
        }
        if (prefix.empty() || prefix.find_first_not_of("0123456789") != std::string_view::npos) {
            refuse("prefix", "'" + std::string(cell(c_prefix)) +
                                 "' is not a prefix (digits only, after a leading + or 00)");
            continue;
        }
        const auto rate_text = cell(c_rate);
        const auto rate = parse_micros(rate_text, "rate", decimal_comma);
        if (!rate) {
            refuse("rate", rate.error().message);
            continue;
        }
        if (*rate < 0) {
            refuse("rate", "'" + std::string(rate_text) + "' is a negative price");
            continue;
        }
        Micros connect = 0;
        if (!cell(c_connect).empty()) {
            const auto fee = parse_micros(cell(c_connect), "connect_fee", decimal_comma);
            if (!fee) {
                refuse("connect_fee", fee.error().message);
                continue;
            }
            if (*fee < 0) {
                refuse("connect_fee", "'" + std::string(cell(c_connect)) + "' is a negative price");
                continue;
            }
            connect = *fee;
        }
        auto increment = [&](const std::optional<std::size_t>& c, std::int64_t fallback,
                             const char* field) -> std::optional<std::int64_t> {
            const auto t = cell(c);
            if (t.empty()) return fallback;
            const auto v = parse_int(t);
            if (!v || *v < 0) {
                refuse(field, "'" + std::string(t) + "' is not a whole number of seconds");
                return std::nullopt;
            }
            return v;
        };
        const auto first = increment(c_first, mapping.default_first_increment_s, "first_increment");
        if (!first) continue;
        const auto next = increment(c_next, mapping.default_next_increment_s, "next_increment");
        if (!next) continue;
        if (*rate > 0 && (*first == 0 || *next == 0)) {
            refuse(*first == 0 ? "first_increment" : "next_increment",
                   "an increment of 0 s with a rate of " + std::string(rate_text) +
                       " charges nothing per increment");
            continue;
        }
        std::optional<Timestamp> effective;
        if (c_date && !cell(c_date).empty()) {
            effective = parse_deck_date(cell(c_date), mapping.day_first_dates);
            if (!effective) {
                refuse("effective_date",
                       "'" + std::string(cell(c_date)) + "' is not a date (" +
                           (mapping.day_first_dates ? "DD/MM/YYYY" : "YYYY-MM-DD or RFC 3339") +
                           ")");
                continue;
            }
        }
        const std::string p(prefix);
        const auto key = std::make_pair(
            p, effective ? std::optional<std::int64_t>(unix_seconds(*effective)) : std::nullopt);
        const auto [it, inserted] = seen.emplace(key, row.line);
        if (!inserted) {
            refuse("prefix", "prefix " + p +
                                 " is already priced with the same effective date on line " +
                                 std::to_string(it->second));
            continue;
        }

        const std::string name(cell(c_name));
        const auto d = destination_index.find(p);
        if (d == destination_index.end()) {
            destination_index.emplace(p, deck.tariff.destinations.size());
            deck.tariff.destinations.push_back(Destination{p, name, {p}});
        } else if (deck.tariff.destinations[d->second].name.empty()) {
            deck.tariff.destinations[d->second].name = name;
        }
        const std::string group_id = effective ? p + "@" + format_rfc3339(*effective) : p;
        const std::int64_t first_s = std::max<std::int64_t>(*first, 1);
        const std::int64_t next_s = std::max<std::int64_t>(*next, 1);
        deck.tariff.rate_groups.push_back(RateGroup{
            group_id,
            connect,
            {RateInterval{0, *rate, 60, first_s}, RateInterval{first_s, *rate, 60, next_s}}});
        DestinationRate dr;
        dr.id = mapping.rating_plan_id;
        dr.destination_id = p;
        dr.rate_id = group_id;
        dr.rounding = RoundingMethod::Middle;
        dr.rounding_decimals = 6;
        dr.effective_from = effective;
        deck.tariff.destination_rates.push_back(std::move(dr));
    }
    if (!deck.tariff.destination_rates.empty()) {
        deck.tariff.rating_plans.push_back(
            RatingPlanEntry{mapping.rating_plan_id, mapping.rating_plan_id, "*any", 10});
    }
    return deck;
}

}  // namespace switchyard::core::voice
