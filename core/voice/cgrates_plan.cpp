#include "core/voice/cgrates_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

namespace switchyard::core::voice {

namespace {

constexpr std::string_view kAny = "*any";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// Splits one CSV line on commas; double-quoted fields may hold commas and `""`.
std::vector<std::string> split_csv(std::string_view line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    cur.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back(trim(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.emplace_back(trim(cur));
    return out;
}

struct Line {
    std::int64_t number = 0;
    std::vector<std::string> fields;
};

/// Data lines of a file: `#` lines and blank lines skipped.
std::vector<Line> data_lines(std::string_view text) {
    std::vector<Line> out;
    std::int64_t number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        const std::string_view raw = text.substr(pos, nl - pos);
        ++number;
        pos = nl + 1;
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') {
            if (nl == text.size()) break;
            continue;
        }
        out.push_back(Line{number, split_csv(line)});
        if (nl == text.size()) break;
    }
    return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

/// `08:00:00` -> 28'800.
std::optional<std::int64_t> parse_time_of_day(std::string_view s) {
    s = trim(s);
    if (s.empty() || s == kAny) return 0;
    if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
    const auto h = parse_int(s.substr(0, 2));
    const auto m = parse_int(s.substr(3, 2));
    const auto sec = parse_int(s.substr(6, 2));
    if (!h || !m || !sec || *h < 0 || *h > 24 || *m < 0 || *m > 59 || *sec < 0 || *sec > 59)
        return std::nullopt;
    const std::int64_t v = *h * 3600 + *m * 60 + *sec;
    if (v > 86'400) return std::nullopt;
    return v;
}

/// `*any` / empty -> empty list; `1;2;3` -> {1,2,3}.
std::optional<std::vector<int>> parse_list(std::string_view s, int lo, int hi) {
    s = trim(s);
    std::vector<int> out;
    if (s.empty() || s == kAny) return out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t semi = s.find(';', pos);
        if (semi == std::string_view::npos) semi = s.size();
        const auto v = parse_int(s.substr(pos, semi - pos));
        if (!v || *v < lo || *v > hi) return std::nullopt;
        out.push_back(static_cast<int>(*v));
        pos = semi + 1;
        if (semi == s.size()) break;
    }
    return out;
}

std::vector<std::string> split_semicolons(std::string_view s) {
    std::vector<std::string> out;
    s = trim(s);
    if (s.empty()) return out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t semi = s.find(';', pos);
        if (semi == std::string_view::npos) semi = s.size();
        const auto item = trim(s.substr(pos, semi - pos));
        if (!item.empty()) out.emplace_back(item);
        pos = semi + 1;
        if (semi == s.size()) break;
    }
    return out;
}

bool digits_only(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Reader {
    CgratesPlan& plan;
    const std::map<std::string, std::string>& files;

    const std::string* file(const std::string& name) const {
        auto it = files.find(name);
        return it == files.end() ? nullptr : &it->second;
    }
    void refuse(const std::string& file, std::int64_t line, std::string field, std::string reason) {
        plan.errors.push_back(RowError{file, line, std::move(field), std::move(reason)});
    }
    /// The data lines of `name`, each with at least `columns` fields (others refused).
    std::vector<Line> rows(const std::string& name, std::size_t columns) {
        std::vector<Line> out;
        const std::string* text = file(name);
        if (text == nullptr) return out;
        for (Line& l : data_lines(*text)) {
            ++plan.lines_read;
            if (l.fields.size() < columns) {
                refuse(name, l.number, "",
                       fmt::format("The row has {} columns; {} are expected.", l.fields.size(),
                                   columns));
                continue;
            }
            out.push_back(std::move(l));
        }
        return out;
    }
    std::optional<Micros> price(const std::string& name, const Line& l, std::size_t col,
                                const char* field) {
        auto r = parse_micros(l.fields[col], field);
        if (!r) {
            refuse(name, l.number, field, r.error().message);
            return std::nullopt;
        }
        if (*r < 0) {
            refuse(name, l.number, field,
                   fmt::format("The {} is negative ({}).", field, l.fields[col]));
            return std::nullopt;
        }
        return *r;
    }
};

}  // namespace

std::optional<std::int64_t> parse_cgrates_duration(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    if (auto plain = parse_int(s)) {
        if (*plain < 0) return std::nullopt;
        return *plain;
    }
    // Go time.ParseDuration subset: sequences of <integer><unit>, units h, m, s, ms, us, ns;
    // the total must be whole seconds.
    constexpr std::int64_t kNsPerS = 1'000'000'000;
    constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max() / 4;
    std::int64_t total_ns = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j == i || j - i > 12) return std::nullopt;
        const auto n = parse_int(s.substr(i, j - i));
        if (!n) return std::nullopt;
        std::size_t k = j;
        while (k < s.size() && !(s[k] >= '0' && s[k] <= '9')) ++k;
        const std::string_view unit = s.substr(j, k - j);
        std::int64_t mult = 0;
        if (unit == "h") {
            mult = 3600 * kNsPerS;
        } else if (unit == "m") {
            mult = 60 * kNsPerS;
        } else if (unit == "s") {
            mult = kNsPerS;
        } else if (unit == "ms") {
            mult = 1'000'000;
        } else if (unit == "us" || unit == "\xC2\xB5s") {
            mult = 1'000;
        } else if (unit == "ns") {
            mult = 1;
        } else {
            return std::nullopt;
        }
        if (*n > kMaxNs / mult) return std::nullopt;
        total_ns += *n * mult;
        if (total_ns > kMaxNs) return std::nullopt;
        i = k;
    }
    if (total_ns % kNsPerS != 0) return std::nullopt;
    return total_ns / kNsPerS;
}

Result<CgratesPlan> parse_cgrates_plan(const std::map<std::string, std::string>& files,
                                       const std::string& tenant_filter,
                                       const std::string& currency) {
    for (const char* required :
         {"Destinations.csv", "Rates.csv", "DestinationRates.csv", "RatingPlans.csv"}) {
        if (files.find(required) == files.end())
            return fail(Errc::Invalid, "files",
                        std::string("The tariff plan has no ") + required +
                            "; a CGRateS tariff plan folder needs Destinations.csv, Rates.csv, "
                            "DestinationRates.csv and RatingPlans.csv.");
    }
    CgratesPlan plan;
    plan.tariff.currency = currency;
    Reader rd{plan, files};
    Tariff& t = plan.tariff;

    // Destinations.csv: Id,Prefix.
    {
        const std::string f = "Destinations.csv";
        std::unordered_map<std::string, std::size_t> by_id;
        for (const Line& l : rd.rows(f, 2)) {
            const std::string& id = l.fields[0];
            std::string_view prefix = l.fields[1];
            if (id.empty()) {
                rd.refuse(f, l.number, "Id", "The destination has no Id.");
                continue;
            }
            if (!prefix.empty() && prefix.front() == '+') prefix.remove_prefix(1);
            if (!digits_only(prefix)) {
                rd.refuse(f, l.number, "Prefix",
                          "The prefix '" + l.fields[1] + "' is not E.164 digits.");
                continue;
            }
            auto [it, inserted] = by_id.emplace(id, t.destinations.size());
            if (inserted)
                t.destinations.push_back(Destination{.id = id, .name = "", .prefixes = {}});
            auto& prefixes = t.destinations[it->second].prefixes;
            if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end())
                prefixes.emplace_back(prefix);
        }
    }
    std::unordered_set<std::string> destination_ids;
    for (const auto& d : t.destinations) destination_ids.insert(d.id);

    // Rates.csv: Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart.
    {
        const std::string f = "Rates.csv";
        std::unordered_map<std::string, std::size_t> by_id;
        std::set<std::string> bad;  // a group with a refused row is left out entirely
        for (const Line& l : rd.rows(f, 6)) {
            const std::string& id = l.fields[0];
            if (id.empty()) {
                rd.refuse(f, l.number, "Id", "The rate has no Id.");
                continue;
            }
            const auto fee = rd.price(f, l, 1, "ConnectFee");
            const auto rate = rd.price(f, l, 2, "Rate");
            if (!fee || !rate) {
                bad.insert(id);
                continue;
            }
            const auto unit = parse_cgrates_duration(l.fields[3]);
            const auto incr = parse_cgrates_duration(l.fields[4]);
            const auto gis = parse_cgrates_duration(l.fields[5]);
            const char* bad_field = !unit   ? "RateUnit"
                                    : !incr ? "RateIncrement"
                                    : !gis  ? "GroupIntervalStart"
                                            : nullptr;
            if (bad_field != nullptr) {
                const std::size_t col = !unit ? 3 : !incr ? 4 : 5;
                rd.refuse(f, l.number, bad_field,
                          "The " + std::string(bad_field) + " '" + l.fields[col] +
                              "' is not a duration in whole seconds (e.g. 60s, 1m, 0s).");
                bad.insert(id);
                continue;
            }
            if (*rate > 0 && *incr == 0) {
                rd.refuse(f, l.number, "RateIncrement",
                          "The rate " + l.fields[2] + " has an increment of 0.");
                bad.insert(id);
                continue;
            }
            if (*rate > 0 && *unit == 0) {
                rd.refuse(f, l.number, "RateUnit",
                          "The rate " + l.fields[2] + " has a rate unit of 0.");
                bad.insert(id);
                continue;
            }
            auto [it, inserted] = by_id.emplace(id, t.rate_groups.size());
            if (inserted)
                t.rate_groups.push_back(
                    RateGroup{.id = id, .connect_fee_micros = *fee, .intervals = {}});
            auto& intervals = t.rate_groups[it->second].intervals;
            if (std::any_of(intervals.begin(), intervals.end(), [&](const RateInterval& r) {
                    return r.group_interval_start_s == *gis;
                })) {
                rd.refuse(
                    f, l.number, "GroupIntervalStart",
                    fmt::format("Rate {} already has an interval starting at {}s.", id, *gis));
                bad.insert(id);
                continue;
            }
            intervals.push_back(RateInterval{.group_interval_start_s = *gis,
                                             .rate_micros = *rate,
                                             .rate_unit_s = *unit,
                                             .rate_increment_s = *incr});
        }
        for (auto& g : t.rate_groups)
            std::stable_sort(g.intervals.begin(), g.intervals.end(),
                             [](const auto& a, const auto& b) {
                                 return a.group_interval_start_s < b.group_interval_start_s;
                             });
        // A group must start at 0s to rate the start of a call.
        for (const auto& g : t.rate_groups)
            if (!g.intervals.empty() && g.intervals.front().group_interval_start_s != 0 &&
                !bad.count(g.id)) {
                rd.refuse(f, 0, "GroupIntervalStart",
                          "Rate " + g.id + " has no interval starting at 0s.");
                bad.insert(g.id);
            }
        std::erase_if(t.rate_groups, [&](const RateGroup& g) { return bad.count(g.id) > 0; });
    }
    std::unordered_set<std::string> rate_ids;
    for (const auto& g : t.rate_groups) rate_ids.insert(g.id);

    // Timings.csv: Tag,Years,Months,MonthDays,WeekDays,Time.
    std::unordered_set<std::string> timing_ids{std::string(kAny)};
    {
        const std::string f = "Timings.csv";
        for (const Line& l : rd.rows(f, 6)) {
            Timing tm;
            tm.id = l.fields[0];
            if (tm.id.empty()) {
                rd.refuse(f, l.number, "Tag", "The timing has no Tag.");
                continue;
            }
            const auto years = parse_list(l.fields[1], 1, 9999);
            const auto months = parse_list(l.fields[2], 1, 12);
            const auto mdays = parse_list(l.fields[3], 1, 31);
            const auto wdays = parse_list(l.fields[4], 0, 7);
            if (!years || !months || !mdays || !wdays) {
                const char* field = !years    ? "Years"
                                    : !months ? "Months"
                                    : !mdays  ? "MonthDays"
                                              : "WeekDays";
                rd.refuse(f, l.number, field,
                          std::string("The ") + field +
                              " field is not *any or a ;-list of numbers in range (months 1-12, "
                              "month days 1-31, week days 0-7).");
                continue;
            }
            tm.years = *years;
            tm.months = *months;
            tm.month_days = *mdays;
            for (int w : *wdays) tm.week_days.push_back(w % 7);  // 7 = Sunday (utils WeekDays)
            const auto parts = split_semicolons(l.fields[5]);
            std::optional<std::int64_t> start = 0;
            std::optional<std::int64_t> end;
            if (!parts.empty()) start = parse_time_of_day(parts[0]);
            bool ok = start.has_value() && *start < 86'400 && parts.size() <= 2;
            if (ok && parts.size() == 2) {
                end = parse_time_of_day(parts[1]);
                ok = end.has_value() && *end > *start;
            }
            if (!ok) {
                rd.refuse(f, l.number, "Time",
                          "The time '" + l.fields[5] +
                              "' is not hh:mm:ss (or hh:mm:ss;hh:mm:ss with the end after the "
                              "start).");
                continue;
            }
            tm.start_s = *start;
            tm.end_s = end;
            if (!timing_ids.insert(tm.id).second) {
                rd.refuse(f, l.number, "Tag", "The timing " + tm.id + " is defined twice.");
                continue;
            }
            t.timings.push_back(std::move(tm));
        }
    }

    // DestinationRates.csv:
    // Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy.
    std::unordered_set<std::string> dr_ids;
    {
        const std::string f = "DestinationRates.csv";
        for (const Line& l : rd.rows(f, 5)) {
            DestinationRate dr;
            dr.id = l.fields[0];
            dr.destination_id = l.fields[1];
            dr.rate_id = l.fields[2];
            if (dr.id.empty()) {
                rd.refuse(f, l.number, "Id", "The destination rate has no Id.");
                continue;
            }
            if (dr.destination_id != kAny && !destination_ids.count(dr.destination_id)) {
                rd.refuse(f, l.number, "DestinationId",
                          "Unknown destination " + dr.destination_id + ".");
                continue;
            }
            if (!rate_ids.count(dr.rate_id)) {
                rd.refuse(f, l.number, "RatesTag", "Unknown rate " + dr.rate_id + ".");
                continue;
            }
            const std::string& method = l.fields[3];
            if (method.empty()) {
                dr.rounding = RoundingMethod::Middle;
            } else if (!parse_rounding_method(method, dr.rounding)) {
                rd.refuse(f, l.number, "RoundingMethod",
                          "The rounding method '" + method + "' is not *up, *middle or *down.");
                continue;
            }
            const auto decimals =
                l.fields[4].empty() ? std::optional<std::int64_t>(4) : parse_int(l.fields[4]);
            if (!decimals || *decimals < 0 || *decimals > 1000) {
                rd.refuse(f, l.number, "RoundingDecimals",
                          "The rounding decimals '" + l.fields[4] + "' are not a number >= 0.");
                continue;
            }
            // Micro-units hold 6 decimals: rounding to more is rounding to 6.
            dr.rounding_decimals = static_cast<int>(std::min<std::int64_t>(*decimals, 6));
            if (l.fields.size() > 5 && !l.fields[5].empty()) {
                const auto max_cost = rd.price(f, l, 5, "MaxCost");
                if (!max_cost) continue;
                if (*max_cost > 0) dr.max_cost_micros = *max_cost;
            }
            if (l.fields.size() > 6 &&
                !parse_max_cost_strategy(l.fields[6], dr.max_cost_strategy)) {
                rd.refuse(f, l.number, "MaxCostStrategy",
                          "The strategy '" + l.fields[6] + "' is not *free, *disconnect or empty.");
                continue;
            }
            dr_ids.insert(dr.id);
            t.destination_rates.push_back(std::move(dr));
        }
    }

    // RatingPlans.csv: Id,DestinationRatesId,TimingTag,Weight.
    std::unordered_set<std::string> plan_ids;
    {
        const std::string f = "RatingPlans.csv";
        for (const Line& l : rd.rows(f, 4)) {
            RatingPlanEntry e;
            e.rating_plan_id = l.fields[0];
            e.destination_rates_id = l.fields[1];
            e.timing_id = l.fields[2].empty() ? std::string(kAny) : l.fields[2];
            if (e.rating_plan_id.empty()) {
                rd.refuse(f, l.number, "Id", "The rating plan has no Id.");
                continue;
            }
            if (!dr_ids.count(e.destination_rates_id)) {
                rd.refuse(f, l.number, "DestinationRatesId",
                          "Unknown destination rates " + e.destination_rates_id + ".");
                continue;
            }
            if (!timing_ids.count(e.timing_id)) {
                rd.refuse(f, l.number, "TimingTag", "Unknown timing " + e.timing_id + ".");
                continue;
            }
            if (!l.fields[3].empty()) {
                const auto w = parse_int(l.fields[3]);
                double weight = 0;
                if (w) {
                    weight = static_cast<double>(*w);
                } else {
                    const std::string& s = l.fields[3];
                    char* endp = nullptr;
                    weight = std::strtod(s.c_str(), &endp);
                    if (endp != s.c_str() + s.size() || !(weight > -1e15 && weight < 1e15)) {
                        rd.refuse(f, l.number, "Weight", "The weight '" + s + "' is not a number.");
                        continue;
                    }
                }
                e.weight = weight;
            }
            plan_ids.insert(e.rating_plan_id);
            t.rating_plans.push_back(std::move(e));
        }
    }

    // RatingProfiles.csv: Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject.
    {
        const std::string f = "RatingProfiles.csv";
        for (const Line& l : rd.rows(f, 5)) {
            RatingProfile p;
            p.tenant = l.fields[0];
            p.category = l.fields[1];
            p.subject = l.fields[2];
            if (!tenant_filter.empty() && p.tenant != tenant_filter) continue;
            if (p.tenant.empty() || p.category.empty() || p.subject.empty()) {
                rd.refuse(f, l.number, "", "The profile needs a tenant, a category and a subject.");
                continue;
            }
            const auto at = parse_rfc3339(l.fields[3]);
            if (!at) {
                rd.refuse(f, l.number, "ActivationTime",
                          "The activation time '" + l.fields[3] + "' is not RFC 3339.");
                continue;
            }
            p.activation_time = *at;
            p.rating_plan_id = l.fields[4];
            if (!plan_ids.count(p.rating_plan_id)) {
                rd.refuse(f, l.number, "RatingPlanId",
                          "Unknown rating plan " + p.rating_plan_id + ".");
                continue;
            }
            if (l.fields.size() > 5) p.fallback_subjects = split_semicolons(l.fields[5]);
            t.rating_profiles.push_back(std::move(p));
        }
    }
    return plan;
}

}  // namespace switchyard::core::voice
