#include "core/voice/cdrtool_deck.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/voice/csv.hpp"

namespace switchyard::core::voice {

namespace {

/// CDRTool prices are integers in 1/10,000 of the currency (`priceDenominator`).
constexpr Micros kPriceDenominator = 10'000;

std::optional<std::int64_t> parse_int(std::string_view text) {
    text = trim_blanks(text);
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
    return value;
}

/// A CDRTool price (1/10,000 of the currency) in micros: `999` = 99'900.
Result<Micros> parse_cdrtool_price(std::string_view text, const std::string& field) {
    if (trim_blanks(text).empty()) return Micros{0};
    const auto scaled = SY_TRY(parse_micros(text, field));
    if (scaled < 0) return fail(Errc::Invalid, field, "is negative");
    if (scaled % kPriceDenominator != 0) {
        return fail(Errc::Invalid, field,
                    "'" + std::string(trim_blanks(text)) +
                        "' has more than 2 decimals of 1/10,000 (money is kept in micro-units)");
    }
    return scaled / kPriceDenominator;
}

/// The column indexes of `names` in the header of `table`.
Result<std::vector<std::size_t>> require_columns(const CsvTable& table,
                                                 const std::vector<std::string_view>& names,
                                                 const std::string& file) {
    if (table.rows.empty()) return fail(Errc::Invalid, file, "is empty; a header line is expected");
    std::vector<std::size_t> out;
    for (const auto name : names) {
        const auto index = find_column(table.rows.front().fields, name);
        if (!index) {
            return fail(Errc::Invalid, file, "has no column '" + std::string(name) + "'");
        }
        out.push_back(*index);
    }
    return out;
}

struct DestinationInfo {
    std::int64_t increment_s = 1;
    std::int64_t min_duration_s = 0;
    std::optional<std::int64_t> max_duration_s;
    std::optional<Micros> max_price_micros;
};

struct HourRange {
    std::string rate;
    int start_hour = 0;
    int end_hour = 24;
};

class DeckReader {
  public:
    DeckReader(const CdrtoolDeckFiles& files, const CdrtoolDeckOptions& options)
        : files_(files), options_(options) {
        deck_.tariff.currency = options.currency;
        deck_.tariff.pricing = PricingModel::Exact;  // CDRTool's formula (tariff.hpp).
    }

    Result<ParsedDeck> run() {
        SY_TRY(read_destinations());
        SY_TRY(read_rates());
        if (!trim_blanks(files_.profiles).empty()) SY_TRY(read_profiles());
        if (!trim_blanks(files_.customers).empty()) SY_TRY(read_customers());
        finish();
        return std::move(deck_);
    }

  private:
    void error(const std::string& file, std::int64_t line, std::string field, std::string reason) {
        deck_.errors.push_back(RowError{file, line, std::move(field), std::move(reason)});
    }

    /// Reads the Ops column: true to import, false to skip (3 = delete); an error otherwise.
    std::optional<bool> ops(const std::string& file, const CsvRow& row, std::size_t column) {
        const auto value = trim_blanks(field_at(row, column));
        if (value == "1" || value == "2") return true;
        if (value == "3") return false;
        error(file, row.line, "Ops",
              "'" + std::string(value) + "' is not an operation (1 insert, 2 update, 3 delete)");
        return std::nullopt;
    }

    Result<void> read_destinations() {
        const auto& file = files_.destinations_name;
        const auto table = read_csv(files_.destinations);
        const auto c =
            SY_TRY(require_columns(table,
                                   {"Ops", "Trusted peer", "Domain", "Subscriber", "Destination",
                                    "Description", "Incr", "Min Dur", "Max Dur", "Max Price"},
                                   file));
        for (std::size_t r = 1; r < table.rows.size(); ++r) {
            const auto& row = table.rows[r];
            ++deck_.lines_read;
            const auto op = ops(file, row, c[0]);
            if (!op || !*op) continue;
            if (!trim_blanks(field_at(row, c[1])).empty() ||
                !trim_blanks(field_at(row, c[2])).empty() ||
                !trim_blanks(field_at(row, c[3])).empty()) {
                error(file, row.line, "Destination",
                      "customer-specific destinations (peer, domain or subscriber set) are not "
                      "supported");
                continue;
            }
            const std::string prefix(trim_blanks(field_at(row, c[4])));
            if (prefix.empty() || prefix.find_first_not_of("0123456789") != std::string::npos) {
                error(file, row.line, "Destination",
                      "'" + prefix + "' is not a prefix (digits only, without + or 00)");
                continue;
            }
            if (destinations_.count(prefix) != 0) {
                error(file, row.line, "Destination", "prefix " + prefix + " is listed twice");
                continue;
            }
            DestinationInfo info;
            const auto incr = parse_int(field_at(row, c[6]));
            const auto min_dur = parse_int(field_at(row, c[7]));
            const auto max_dur_text = trim_blanks(field_at(row, c[8]));
            const auto max_dur =
                max_dur_text.empty() ? std::optional<std::int64_t>(0) : parse_int(max_dur_text);
            if (!incr || *incr < 0) {
                error(file, row.line, "Incr", "is not a whole number of seconds >= 0");
                continue;
            }
            if (!min_dur || *min_dur < 0) {
                error(file, row.line, "Min Dur", "is not a whole number of seconds >= 0");
                continue;
            }
            if (!max_dur || *max_dur < 0) {
                error(file, row.line, "Max Dur", "is not a whole number of seconds >= 0");
                continue;
            }
            const auto max_price = parse_cdrtool_price(field_at(row, c[9]), "Max Price");
            if (!max_price) {
                error(file, row.line, "Max Price", max_price.error().message);
                continue;
            }
            info.increment_s = *incr == 0 ? 1 : *incr;
            info.min_duration_s = *min_dur;
            if (*max_dur > 0) info.max_duration_s = *max_dur;
            if (*max_price > 0) info.max_price_micros = *max_price;
            destinations_.emplace(prefix, info);
            deck_.tariff.destinations.push_back(
                Destination{prefix, std::string(trim_blanks(field_at(row, c[5]))), {prefix}});
        }
        if (deck_.tariff.destinations.empty() && deck_.errors.empty()) {
            return fail(Errc::Invalid, file, "has no destination rows");
        }
        return {};
    }

    Result<void> read_rates() {
        const auto& file = files_.rates_name;
        const auto table = read_csv(files_.rates);
        const auto c = SY_TRY(require_columns(
            table, {"Ops", "Rate", "Destination", "App", "Connect", "Duration"}, file));
        std::set<std::pair<std::string, std::string>> seen;
        for (std::size_t r = 1; r < table.rows.size(); ++r) {
            const auto& row = table.rows[r];
            ++deck_.lines_read;
            const auto op = ops(file, row, c[0]);
            if (!op || !*op) continue;
            const std::string rate(trim_blanks(field_at(row, c[1])));
            const std::string prefix(trim_blanks(field_at(row, c[2])));
            if (rate.empty()) {
                error(file, row.line, "Rate", "the rate name is empty");
                continue;
            }
            if (prefix.empty()) {
                error(file, row.line, "Destination", "the rate has no destination");
                continue;
            }
            const auto dest = destinations_.find(prefix);
            if (dest == destinations_.end()) {
                error(file, row.line, "Destination",
                      "destination " + prefix + " is not in " + files_.destinations_name);
                continue;
            }
            const auto app = trim_blanks(field_at(row, c[3]));
            if (!app.empty() && app != "audio") {
                error(file, row.line, "App",
                      "application '" + std::string(app) + "' is not rated (only audio)");
                continue;
            }
            const auto connect = parse_cdrtool_price(field_at(row, c[4]), "Connect");
            if (!connect) {
                error(file, row.line, "Connect", connect.error().message);
                continue;
            }
            const auto duration = parse_cdrtool_price(field_at(row, c[5]), "Duration");
            if (!duration) {
                error(file, row.line, "Duration", duration.error().message);
                continue;
            }
            if (!seen.emplace(rate, prefix).second) {
                error(file, row.line, "Destination",
                      "rate " + rate + " lists destination " + prefix + " twice");
                continue;
            }
            if (rate_names_set_.insert(rate).second) rate_names_.push_back(rate);
            const auto& info = dest->second;
            const std::string group_id = rate + ":" + prefix;
            deck_.tariff.rate_groups.push_back(
                RateGroup{group_id, *connect, {RateInterval{0, *duration, 60, info.increment_s}}});
            DestinationRate dr;
            dr.id = rate;
            dr.destination_id = prefix;
            dr.rate_id = group_id;
            dr.rounding = RoundingMethod::Middle;
            dr.rounding_decimals = 4;
            dr.min_duration_s = info.min_duration_s;
            dr.max_duration_s = info.max_duration_s;
            if (info.max_price_micros) {
                dr.max_cost_micros = info.max_price_micros;
                dr.max_cost_strategy = MaxCostStrategy::Free;
            }
            deck_.tariff.destination_rates.push_back(std::move(dr));
        }
        return {};
    }

    Result<void> read_profiles() {
        const auto& file = files_.profiles_name;
        const auto table = read_csv(files_.profiles);
        const auto c = SY_TRY(require_columns(table,
                                              {"Ops", "Profile Id", "Rate Id1", "00-H1", "Rate Id2",
                                               "H1-H2", "Rate Id3", "H2-H3", "Rate Id4", "H3-24"},
                                              file));
        for (std::size_t r = 1; r < table.rows.size(); ++r) {
            const auto& row = table.rows[r];
            ++deck_.lines_read;
            const auto op = ops(file, row, c[0]);
            if (!op || !*op) continue;
            const std::string id(trim_blanks(field_at(row, c[1])));
            if (id.empty()) {
                error(file, row.line, "Profile Id", "the profile id is empty");
                continue;
            }
            if (profiles_.count(id) != 0) {
                error(file, row.line, "Profile Id", "profile " + id + " is listed twice");
                continue;
            }
            std::vector<HourRange> ranges;
            int previous = 0;
            bool ok = true;
            for (int k = 0; k < 4 && ok; ++k) {
                const std::string rate(trim_blanks(field_at(row, c[2 + 2 * k])));
                const auto hour_text = trim_blanks(field_at(row, c[3 + 2 * k]));
                if (rate.empty()) continue;
                const std::string rate_field = "Rate Id" + std::to_string(k + 1);
                const auto hour = parse_int(hour_text);
                if (!hour || *hour <= previous || *hour > 24) {
                    error(file, row.line, std::string(table.rows[0].fields[c[3 + 2 * k]]),
                          "the range of " + rate_field + " must end after hour " +
                              std::to_string(previous) + " and by hour 24");
                    ok = false;
                    break;
                }
                if (rate_names_set_.count(rate) == 0) {
                    error(file, row.line, rate_field,
                          "rate " + rate + " is not in " + files_.rates_name);
                    ok = false;
                    break;
                }
                ranges.push_back(HourRange{rate, previous, int(*hour)});
                previous = int(*hour);
            }
            if (!ok) continue;
            if (ranges.empty()) {
                error(file, row.line, "Rate Id1", "the profile names no rate");
                continue;
            }
            profiles_.emplace(id, std::move(ranges));
            profile_order_.push_back(id);
        }
        return {};
    }

    /// The rating plan of a weekday and a weekend profile, built on first use.
    std::string plan_for(const std::string& weekday, const std::string& weekend) {
        const std::string id = weekday == weekend ? weekday : weekday + "+" + weekend;
        if (!plans_.insert(id).second) return id;
        auto add = [&](const std::string& profile, bool weekend_part) {
            const auto& ranges = profiles_.at(profile);
            for (std::size_t k = 0; k < ranges.size(); ++k) {
                const std::string timing_id =
                    profile + (weekend_part ? ":we:" : ":wd:") + std::to_string(k + 1);
                if (timings_.insert(timing_id).second) {
                    Timing t;
                    t.id = timing_id;
                    t.week_days =
                        weekend_part ? std::vector<int>{0, 6} : std::vector<int>{1, 2, 3, 4, 5};
                    t.start_s = std::int64_t(ranges[k].start_hour) * 3600;
                    t.end_s = std::int64_t(ranges[k].end_hour) * 3600;
                    deck_.tariff.timings.push_back(std::move(t));
                }
                deck_.tariff.rating_plans.push_back(
                    RatingPlanEntry{id, ranges[k].rate, timing_id, 10});
            }
        };
        add(weekday, false);
        add(weekend, true);
        return id;
    }

    RatingProfile profile_row(std::string subject, std::string plan) const {
        RatingProfile p;
        p.tenant = options_.tenant;
        p.category = options_.category;
        p.subject = std::move(subject);
        p.activation_time = options_.activation_time;
        p.rating_plan_id = std::move(plan);
        return p;
    }

    Result<void> read_customers() {
        const auto& file = files_.customers_name;
        const auto table = read_csv(files_.customers);
        const auto c = SY_TRY(require_columns(
            table, {"Ops", "Trusted Peer", "Domain", "Subscriber", "Profile WD", "Profile WE"},
            file));
        // Each profile column is followed by its Fallback column.
        const std::size_t wd_fallback = c[4] + 1;
        const std::size_t we_fallback = c[5] + 1;
        std::set<std::string> subjects;
        for (std::size_t r = 1; r < table.rows.size(); ++r) {
            const auto& row = table.rows[r];
            ++deck_.lines_read;
            const auto op = ops(file, row, c[0]);
            if (!op || !*op) continue;
            std::string subject(trim_blanks(field_at(row, c[3])));
            if (subject.empty()) subject = trim_blanks(field_at(row, c[2]));
            if (subject.empty()) subject = trim_blanks(field_at(row, c[1]));
            if (subject.empty()) subject = "*any";
            const std::string wd(trim_blanks(field_at(row, c[4])));
            std::string we(trim_blanks(field_at(row, c[5])));
            std::string wd_fb(trim_blanks(field_at(row, wd_fallback)));
            std::string we_fb(trim_blanks(field_at(row, we_fallback)));
            if (we.empty()) we = wd;
            bool ok = true;
            for (const auto& [name, field] :
                 {std::pair{wd, "Profile WD"}, std::pair{we, "Profile WE"},
                  std::pair{wd_fb, "Fallback"}, std::pair{we_fb, "Fallback"}}) {
                if (!name.empty() && profiles_.count(name) == 0) {
                    error(file, row.line, field,
                          "profile " + name + " is not in " + files_.profiles_name);
                    ok = false;
                    break;
                }
            }
            if (!ok) continue;
            if (wd.empty()) {
                error(file, row.line, "Profile WD", "the customer has no weekday profile");
                continue;
            }
            if (!subjects.insert(subject).second) {
                error(file, row.line, "Subscriber", "customer " + subject + " is listed twice");
                continue;
            }
            auto profile = profile_row(subject, plan_for(wd, we));
            if (!wd_fb.empty() || !we_fb.empty()) {
                const auto fallback_subject = subject + "#fallback";
                profile.fallback_subjects.push_back(fallback_subject);
                deck_.tariff.rating_profiles.push_back(std::move(profile));
                deck_.tariff.rating_profiles.push_back(
                    profile_row(fallback_subject,
                                plan_for(wd_fb.empty() ? wd : wd_fb, we_fb.empty() ? we : we_fb)));
            } else {
                deck_.tariff.rating_profiles.push_back(std::move(profile));
            }
        }
        return {};
    }

    /// Plans for a deck without profiles or customers.
    void finish() {
        if (profile_order_.empty()) {
            for (const auto& rate : rate_names_) {
                deck_.tariff.rating_plans.push_back(RatingPlanEntry{rate, rate, "*any", 10});
            }
            if (trim_blanks(files_.customers).empty() && !rate_names_.empty()) {
                deck_.tariff.rating_profiles.push_back(profile_row("*any", rate_names_.front()));
            }
            return;
        }
        if (trim_blanks(files_.customers).empty()) {
            for (const auto& p : profile_order_) plan_for(p, p);
            deck_.tariff.rating_profiles.push_back(profile_row("*any", profile_order_.front()));
        }
    }

    const CdrtoolDeckFiles& files_;
    const CdrtoolDeckOptions& options_;
    ParsedDeck deck_;
    std::unordered_map<std::string, DestinationInfo> destinations_;
    std::vector<std::string> rate_names_;
    std::set<std::string> rate_names_set_;
    std::map<std::string, std::vector<HourRange>> profiles_;
    std::vector<std::string> profile_order_;
    std::set<std::string> plans_;
    std::set<std::string> timings_;
};

}  // namespace

Result<ParsedDeck> parse_cdrtool_deck(const CdrtoolDeckFiles& files,
                                      const CdrtoolDeckOptions& options) {
    return DeckReader(files, options).run();
}

}  // namespace switchyard::core::voice
