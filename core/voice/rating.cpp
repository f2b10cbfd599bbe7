#include "core/voice/rating.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/voice/prefix_index.hpp"

// Semantics follow CGRateS (cgrates/cgrates, engine/): calldesc.go getCost / splitInTimeSpans /
// roundTimeSpansToIncrement / getRatingPlansForPrefix, timespans.go createIncrementsSlice /
// SplitByRateInterval / hasBetterRateIntervalThan, rateinterval.go RITiming.IsActiveAt /
// GetRateParameters, balances.go (the *free and *disconnect MaxCost strategies),
// utils/coreutils.go Round. Amounts are integer micro-units; every rounding CGRateS does on
// floats is done here exactly on integers, at the same places:
//   1. a stretch of the call under one timing and one rate interval (a CGRateS TimeSpan) is
//      rounded up to whole increments;
//   2. its cost, rate * billed / unit, is rounded half up to the global rounding decimals
//      (CGRateS's general `rounding_decimals`, default 5), then divided by the number of
//      increments and rounded half up again to the same decimals (createIncrementsSlice): the
//      stretch costs increments * that increment cost;
//   3. the call's total (connect fee + stretches) is rounded to the destination rate's
//      RoundingDecimals by its RoundingMethod (the longest rounding of the call, as CGRateS
//      GetLongestRounding).
// Timings are evaluated in UTC.

namespace switchyard::core::voice {

namespace {

/// CGRateS general `rounding_decimals` default (config_defaults.go): 5 decimals = 10 micros.
constexpr std::int64_t kGlobalRoundingStepMicros = 10;
constexpr std::int64_t kSecondsPerDay = 86'400;
/// Longest call the engine rates (a guard against loops over absurd usages): 31 days.
constexpr std::int64_t kMaxUsageSeconds = 31 * kSecondsPerDay;
constexpr std::uint32_t kNoIndex = 0xFFFFFFFFu;
constexpr std::string_view kAny = "*any";
constexpr int kMaxFallbackDepth = 4;  // CGRateS rals.fallback_depth default is 3.

__extension__ using Wide = __int128;

/// floor(a / b) for b > 0; 64-bit arithmetic whenever the operands fit (128-bit division is
/// a library call, several times slower).
Wide floor_div(Wide a, Wide b) {
    constexpr Wide kFast = Wide(1) << 62;
    if (a < kFast && a > -kFast && b < kFast) {
        const auto x = static_cast<std::int64_t>(a);
        const auto y = static_cast<std::int64_t>(b);
        std::int64_t q = x / y;
        if (x % y != 0 && x < 0) --q;
        return q;
    }
    Wide q = a / b;
    if ((a % b != 0) && (a < 0)) --q;
    return q;
}

/// a / b (b > 0) rounded by `method`; Middle is half up (away from minus infinity at .5).
Wide round_div(Wide a, Wide b, RoundingMethod method) {
    switch (method) {
        case RoundingMethod::Up:
            return -floor_div(-a, b);
        case RoundingMethod::Down:
            return floor_div(a, b);
        case RoundingMethod::Middle:
            return floor_div(2 * a + b, 2 * b);
    }
    return floor_div(a, b);
}

Micros clamp_micros(Wide v) {
    constexpr Wide hi = std::numeric_limits<Micros>::max();
    constexpr Wide lo = std::numeric_limits<Micros>::min();
    return static_cast<Micros>(std::clamp(v, lo, hi));
}

std::int64_t pow10(int n) {
    std::int64_t r = 1;
    for (int i = 0; i < n; ++i) r *= 10;
    return r;
}

/// The calendar fields of one UTC second, as RITiming.IsActiveAt reads them.
struct Civil {
    int year = 1970;
    unsigned month = 1;    // 1..12
    unsigned mday = 1;     // 1..31
    unsigned wday = 4;     // 0 = Sunday
    std::int64_t sec = 0;  // second of the day
};

Civil civil_of(std::int64_t unix_s) {
    using namespace std::chrono;
    const std::int64_t days = static_cast<std::int64_t>(
        floor_div(static_cast<Wide>(unix_s), static_cast<Wide>(kSecondsPerDay)));
    const sys_days d{std::chrono::days{days}};
    const year_month_day ymd{d};
    Civil c;
    c.year = static_cast<int>(ymd.year());
    c.month = static_cast<unsigned>(ymd.month());
    c.mday = static_cast<unsigned>(ymd.day());
    c.wday = weekday{d}.c_encoding();
    c.sec = unix_s - days * kSecondsPerDay;
    return c;
}

struct CompiledTiming {
    std::string id;
    std::vector<int> years;        // empty = any
    std::uint16_t months = 0;      // bit m for month m; 0 = any
    std::uint32_t month_days = 0;  // bit d for day d; 0 = any
    std::uint8_t week_days = 0;    // bit w for weekday w (0 = Sunday); 0 = any
    std::int64_t start_s = 0;
    std::int64_t end_s = kSecondsPerDay;  // exclusive

    bool active(const Civil& c) const {
        if (!years.empty() && std::find(years.begin(), years.end(), c.year) == years.end())
            return false;
        if (months != 0 && !(months & (1u << c.month))) return false;
        if (month_days != 0 && !(month_days & (1u << c.mday))) return false;
        if (week_days != 0 && !(week_days & (1u << c.wday))) return false;
        return c.sec >= start_s && c.sec < end_s;
    }
};

struct CompiledGroup {
    const RateGroup* source = nullptr;
    std::vector<RateInterval> intervals;  // sorted by group_interval_start_s, normalised
};

/// One (rating plan entry, destination rate row) pair: a rate that may apply to a call.
struct Candidate {
    std::uint32_t dr = 0;             // index in tariff.destination_rates
    std::uint32_t group = 0;          // index in groups
    std::uint32_t timing = 0;         // index in timings
    std::uint32_t dest = kNoIndex;    // index in tariff.destinations; kNoIndex = *any
    std::uint32_t caller = kNoIndex;  // index in caller_indexes; kNoIndex = any caller
    double weight = 0;
    std::int64_t effective_from_us = std::numeric_limits<std::int64_t>::min();
    // Copies of what rating reads from the row and its rate group, so that one call touches
    // one or two cache lines of candidate instead of the tariff's scattered structs.
    Micros connect_fee_micros = 0;
    Micros max_cost_micros = 0;  // 0 = none
    std::int64_t min_duration_s = 0;
    std::int64_t max_duration_s = 0;  // 0 = none
    RateInterval first_interval;      // the group's interval at 0 s
    bool single_interval = true;
    MaxCostStrategy max_cost_strategy = MaxCostStrategy::None;
    RoundingMethod rounding = RoundingMethod::Middle;
    std::int8_t rounding_decimals = 4;
    // Texts for the Cost, side by side in CompiledPlan::text: destination id, destination
    // name, destination rate id, rate id.
    std::uint32_t text = 0;
    std::array<std::uint16_t, 4> text_len{};
};

struct CompiledPlan {
    std::string id;
    PrefixIndex index;                                             // prefix -> target
    std::vector<std::pair<std::uint32_t, std::uint32_t>> targets;  // (first, count) in hot
    std::vector<Candidate> hot;  // candidates, each target's contiguous
    std::string text;            // Candidate::text
    // Build only:
    std::vector<std::uint32_t> refs;
    std::vector<Candidate> candidates;
};

std::string profile_key(std::string_view tenant, std::string_view category,
                        std::string_view subject) {
    std::string k;
    k.reserve(tenant.size() + category.size() + subject.size() + 2);
    k.append(tenant).push_back('\x1f');
    k.append(category).push_back('\x1f');
    k.append(subject);
    return k;
}

bool digits_only(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A small vector on the stack for the candidates of one prefix.
struct Selection {
    static constexpr std::size_t kInline = 32;
    std::array<const Candidate*, kInline> inline_{};
    std::vector<const Candidate*> heap;
    std::size_t n = 0;
    void push(const Candidate* c) {
        if (n < kInline) {
            inline_[n++] = c;
            return;
        }
        if (heap.empty()) heap.assign(inline_.begin(), inline_.end());
        heap.push_back(c);
        ++n;
    }
    const Candidate* const* data() const { return n <= kInline ? inline_.data() : heap.data(); }
    const Candidate* const* begin() const { return data(); }
    const Candidate* const* end() const { return data() + n; }
    void clear() {
        n = 0;
        heap.clear();
    }
};

/// The part of a call a plan rates: call offsets [from_s, to_s) (to_s none = to the end).
/// A part after the first carries no connect fee and no minimum duration; `raw_micros`,
/// when given, receives the part's cost before the final rounding so that parts are
/// summed and rounded once.
struct RatePart {
    std::int64_t from_s = 0;
    std::optional<std::int64_t> to_s;
    Wide* raw_micros = nullptr;
};

}  // namespace

struct RatingIndex::Impl {
    Tariff tariff;
    std::vector<CompiledTiming> timings;
    std::vector<CompiledGroup> groups;
    std::vector<PrefixIndex> caller_indexes;
    std::vector<CompiledPlan> plans;
    std::unordered_map<std::string, std::uint32_t> plan_by_id;
    std::unordered_map<std::string, std::vector<std::uint32_t>> profiles;  // key -> by activation

    const Candidate* select(const Civil& c, const Selection& sel) const {
        const Candidate* best = nullptr;
        for (const Candidate* cand : sel) {
            const CompiledTiming& t = timings[cand->timing];
            if (!t.active(c)) continue;
            // hasBetterRateIntervalThan: the higher weight wins; at equal weight the timing
            // that started closer to the instant (the later start of day) wins.
            if (best == nullptr || cand->weight > best->weight ||
                (cand->weight == best->weight && t.start_s > timings[best->timing].start_s))
                best = cand;
        }
        return best;
    }

    /// Seconds from `c` to the next instant where the selection could change (a timing's start
    /// or end, or midnight).
    std::int64_t next_boundary(const Civil& c, const Selection& sel) const {
        std::int64_t nb = kSecondsPerDay;
        for (const Candidate* cand : sel) {
            const CompiledTiming& t = timings[cand->timing];
            if (t.start_s > c.sec && t.start_s < nb) nb = t.start_s;
            if (t.end_s > c.sec && t.end_s < nb) nb = t.end_s;
        }
        return nb - c.sec;
    }

    Result<Cost> rate_with(const CompiledPlan& plan, const CostQuery& q,
                           RatePart part = RatePart{}) const;
    Result<Cost> rate_subject(const CostQuery& q, const std::string& subject, int depth) const;
    /// `whole` re-rated in parts when another profile of the subject activates during the
    /// call; none when no activation falls inside it.
    std::optional<Cost> split_at_activations(const CostQuery& q, const RatingProfile& profile,
                                             const Cost& whole) const;
};

RatingIndex::RatingIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RatingIndex::~RatingIndex() = default;

const Tariff& RatingIndex::tariff() const noexcept { return impl_->tariff; }

Result<std::shared_ptr<const RatingIndex>> RatingIndex::build(Tariff tariff) {
    auto impl = std::make_unique<Impl>();
    Impl& m = *impl;
    m.tariff = std::move(tariff);
    const Tariff& t = m.tariff;

    // Timings: the built-in *any, then the tariff's.
    std::unordered_map<std::string, std::uint32_t> timing_by_id;
    m.timings.push_back(CompiledTiming{.id = std::string(kAny)});
    timing_by_id.emplace(std::string(kAny), 0);
    for (std::size_t i = 0; i < t.timings.size(); ++i) {
        const Timing& src = t.timings[i];
        CompiledTiming ct;
        ct.id = src.id;
        ct.years = src.years;
        for (int mo : src.months) {
            if (mo < 1 || mo > 12)
                return fail(
                    Errc::Invalid, "timings[" + std::to_string(i) + "].months",
                    fmt::format("Timing {} names month {}; months are 1 to 12.", src.id, mo));
            ct.months |= static_cast<std::uint16_t>(1u << mo);
        }
        for (int d : src.month_days) {
            if (d < 1 || d > 31)
                return fail(
                    Errc::Invalid, "timings[" + std::to_string(i) + "].month_days",
                    fmt::format("Timing {} names month day {}; days are 1 to 31.", src.id, d));
            ct.month_days |= 1u << d;
        }
        for (int w : src.week_days) {
            if (w < 0 || w > 7)
                return fail(Errc::Invalid, "timings[" + std::to_string(i) + "].week_days",
                            fmt::format("Timing {} names week day {}; week days are 0 (Sunday) "
                                        "to 6 (7 is read as Sunday).",
                                        src.id, w));
            ct.week_days |= static_cast<std::uint8_t>(1u << (w % 7));
        }
        ct.start_s = src.start_s;
        ct.end_s = src.end_s.value_or(kSecondsPerDay);
        if (ct.start_s < 0 || ct.start_s >= kSecondsPerDay || ct.end_s <= ct.start_s ||
            ct.end_s > kSecondsPerDay)
            return fail(Errc::Invalid, "timings[" + std::to_string(i) + "].start_s",
                        fmt::format("Timing {} runs from second {} to second {} of the day; the "
                                    "start must be before the end, within one day.",
                                    src.id, ct.start_s, ct.end_s));
        if (!timing_by_id.emplace(src.id, static_cast<std::uint32_t>(m.timings.size())).second &&
            src.id != kAny)
            return fail(Errc::Invalid, "timings[" + std::to_string(i) + "].id",
                        "Timing " + src.id + " is defined twice.");
        if (src.id == kAny) continue;  // the built-in stays
        m.timings.push_back(std::move(ct));
    }

    // Rate groups.
    std::unordered_map<std::string, std::uint32_t> group_by_id;
    for (std::size_t i = 0; i < t.rate_groups.size(); ++i) {
        const RateGroup& g = t.rate_groups[i];
        const std::string field = "rate_groups[" + std::to_string(i) + "]";
        if (g.intervals.empty())
            return fail(Errc::Invalid, field, "Rate group " + g.id + " has no interval.");
        if (g.connect_fee_micros < 0)
            return fail(Errc::Invalid, field,
                        "Rate group " + g.id + " has a negative connect fee.");
        CompiledGroup cg;
        cg.source = &g;
        cg.intervals = g.intervals;
        std::stable_sort(cg.intervals.begin(), cg.intervals.end(),
                         [](const auto& a, const auto& b) {
                             return a.group_interval_start_s < b.group_interval_start_s;
                         });
        if (cg.intervals.front().group_interval_start_s != 0)
            return fail(Errc::Invalid, field,
                        "Rate group " + g.id + " has no interval starting at 0s.");
        for (std::size_t k = 0; k < cg.intervals.size(); ++k) {
            RateInterval& ri = cg.intervals[k];
            if (k > 0 && ri.group_interval_start_s == cg.intervals[k - 1].group_interval_start_s)
                return fail(Errc::Invalid, field,
                            fmt::format("Rate group {} has two intervals starting at {}s.", g.id,
                                        ri.group_interval_start_s));
            if (ri.rate_micros < 0)
                return fail(Errc::Invalid, field, "Rate group " + g.id + " has a negative rate.");
            if (ri.rate_increment_s < 0 || ri.rate_unit_s < 0)
                return fail(Errc::Invalid, field,
                            "Rate group " + g.id + " has a negative unit or increment.");
            if (ri.rate_micros > 0 && ri.rate_increment_s == 0)
                return fail(Errc::Invalid, field,
                            "Rate group " + g.id + " has a rate with an increment of 0.");
            if (ri.rate_micros > 0 && ri.rate_unit_s == 0)
                return fail(Errc::Invalid, field,
                            "Rate group " + g.id + " has a rate with a rate unit of 0.");
            // GetRateParameters: an increment or unit of 0 is read as 1 second.
            if (ri.rate_increment_s == 0) ri.rate_increment_s = 1;
            if (ri.rate_unit_s == 0) ri.rate_unit_s = 1;
        }
        if (!group_by_id.emplace(g.id, static_cast<std::uint32_t>(m.groups.size())).second)
            return fail(Errc::Invalid, field, "Rate group " + g.id + " is defined twice.");
        m.groups.push_back(std::move(cg));
    }

    // Destinations.
    std::unordered_map<std::string, std::uint32_t> dest_by_id;
    for (std::size_t i = 0; i < t.destinations.size(); ++i) {
        const Destination& d = t.destinations[i];
        if (!dest_by_id.emplace(d.id, static_cast<std::uint32_t>(i)).second)
            return fail(Errc::Invalid, "destinations[" + std::to_string(i) + "]",
                        "Destination " + d.id + " is defined twice.");
        for (const auto& p : d.prefixes)
            if (p.empty() || !digits_only(p))
                return fail(
                    Errc::Invalid, "destinations[" + std::to_string(i) + "].prefixes",
                    "Destination " + d.id + " has prefix '" + p + "'; prefixes are E.164 digits.");
    }

    // Destination rates, grouped by id.
    std::unordered_map<std::string, std::vector<std::uint32_t>> dr_by_id;
    std::unordered_map<std::string, std::uint32_t> caller_by_dest;
    std::vector<std::uint32_t> dr_group(t.destination_rates.size());
    std::vector<std::uint32_t> dr_dest(t.destination_rates.size(), kNoIndex);
    std::vector<std::uint32_t> dr_caller(t.destination_rates.size(), kNoIndex);
    for (std::size_t i = 0; i < t.destination_rates.size(); ++i) {
        const DestinationRate& dr = t.destination_rates[i];
        const std::string field = "destination_rates[" + std::to_string(i) + "]";
        auto g = group_by_id.find(dr.rate_id);
        if (g == group_by_id.end())
            return fail(Errc::Invalid, field + ".rate_id",
                        "Destination rate " + dr.id + " names rate " + dr.rate_id +
                            ", which does not exist.");
        dr_group[i] = g->second;
        if (dr.destination_id != kAny) {
            auto d = dest_by_id.find(dr.destination_id);
            if (d == dest_by_id.end())
                return fail(Errc::Invalid, field + ".destination_id",
                            "Destination rate " + dr.id + " names destination " +
                                dr.destination_id + ", which does not exist.");
            dr_dest[i] = d->second;
        }
        if (dr.rounding_decimals < 0 || dr.rounding_decimals > 6)
            return fail(Errc::Invalid, field + ".rounding_decimals",
                        fmt::format("Destination rate {} rounds to {} decimals; 0 to 6 are "
                                    "allowed (money is kept in micro-units).",
                                    dr.id, dr.rounding_decimals));
        if (dr.max_cost_micros && *dr.max_cost_micros < 0)
            return fail(Errc::Invalid, field + ".max_cost_micros",
                        "Destination rate " + dr.id + " has a negative maximum cost.");
        if (dr.min_duration_s < 0 || (dr.max_duration_s && *dr.max_duration_s < 0))
            return fail(Errc::Invalid, field + ".min_duration_s",
                        "Destination rate " + dr.id +
                            " has a negative minimum or maximum "
                            "duration.");
        if (!dr.caller_destination_id.empty()) {
            auto it = caller_by_dest.find(dr.caller_destination_id);
            if (it == caller_by_dest.end()) {
                auto d = dest_by_id.find(dr.caller_destination_id);
                if (d == dest_by_id.end())
                    return fail(Errc::Invalid, field + ".caller_destination_id",
                                "Destination rate " + dr.id + " names caller destination " +
                                    dr.caller_destination_id + ", which does not exist.");
                std::vector<std::pair<std::string, std::uint32_t>> entries;
                for (const auto& p : t.destinations[d->second].prefixes) entries.emplace_back(p, 0);
                m.caller_indexes.push_back(PrefixIndex::build(std::move(entries)));
                it = caller_by_dest
                         .emplace(dr.caller_destination_id,
                                  static_cast<std::uint32_t>(m.caller_indexes.size() - 1))
                         .first;
            }
            dr_caller[i] = it->second;
        }
        dr_by_id[dr.id].push_back(static_cast<std::uint32_t>(i));
    }

    // Rating plans: one compiled plan per id, in order of first appearance.
    for (std::size_t i = 0; i < t.rating_plans.size(); ++i) {
        const RatingPlanEntry& e = t.rating_plans[i];
        const std::string field = "rating_plans[" + std::to_string(i) + "]";
        auto drs = dr_by_id.find(e.destination_rates_id);
        if (drs == dr_by_id.end())
            return fail(Errc::Invalid, field + ".destination_rates_id",
                        "Rating plan " + e.rating_plan_id + " names destination rates " +
                            e.destination_rates_id + ", which do not exist.");
        auto tm = timing_by_id.find(e.timing_id);
        if (tm == timing_by_id.end())
            return fail(Errc::Invalid, field + ".timing_id",
                        "Rating plan " + e.rating_plan_id + " names timing " + e.timing_id +
                            ", which does not exist.");
        auto [pit, inserted] =
            m.plan_by_id.emplace(e.rating_plan_id, static_cast<std::uint32_t>(m.plans.size()));
        if (inserted) m.plans.push_back(CompiledPlan{.id = e.rating_plan_id});
        CompiledPlan& plan = m.plans[pit->second];
        for (std::uint32_t dr : drs->second) {
            const DestinationRate& row = t.destination_rates[dr];
            Candidate c;
            c.dr = dr;
            c.group = dr_group[dr];
            c.timing = tm->second;
            c.dest = dr_dest[dr];
            c.caller = dr_caller[dr];
            c.weight = e.weight;
            if (row.effective_from)
                c.effective_from_us = row.effective_from->time_since_epoch().count();
            const CompiledGroup& g = m.groups[c.group];
            c.connect_fee_micros = g.source->connect_fee_micros;
            c.max_cost_micros = row.max_cost_micros.value_or(0);
            c.max_cost_strategy = row.max_cost_strategy;
            c.min_duration_s = row.min_duration_s;
            c.max_duration_s = row.max_duration_s.value_or(0);
            c.first_interval = g.intervals.front();
            c.single_interval = g.intervals.size() == 1;
            c.rounding = row.rounding;
            c.rounding_decimals = static_cast<std::int8_t>(row.rounding_decimals);
            const std::string_view texts[4] = {
                c.dest == kNoIndex ? kAny : std::string_view(t.destinations[c.dest].id),
                c.dest == kNoIndex ? std::string_view() : t.destinations[c.dest].name, row.id,
                g.source->id};
            c.text = static_cast<std::uint32_t>(plan.text.size());
            for (int k = 0; k < 4; ++k) {
                const auto len = std::min<std::size_t>(texts[k].size(), 0xFFFF);
                c.text_len[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(len);
                plan.text.append(texts[k].substr(0, len));
            }
            plan.candidates.push_back(c);
        }
    }
    for (CompiledPlan& plan : m.plans) {
        // Candidates per destination (kNoIndex = *any), each destination one target.
        std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_dest;
        std::vector<std::uint32_t> dest_order;
        for (std::uint32_t c = 0; c < plan.candidates.size(); ++c) {
            auto& v = by_dest[plan.candidates[c].dest];
            if (v.empty()) dest_order.push_back(plan.candidates[c].dest);
            v.push_back(c);
        }
        std::unordered_map<std::uint32_t, std::uint32_t> target_of_dest;
        for (std::uint32_t d : dest_order) {
            const auto& v = by_dest[d];
            target_of_dest[d] = static_cast<std::uint32_t>(plan.targets.size());
            plan.targets.emplace_back(static_cast<std::uint32_t>(plan.refs.size()),
                                      static_cast<std::uint32_t>(v.size()));
            plan.refs.insert(plan.refs.end(), v.begin(), v.end());
        }
        // (prefix, destination target) pairs; a prefix in several destinations gets a merged
        // target holding the candidates of all of them.
        std::vector<std::pair<std::string, std::uint32_t>> pairs;
        for (std::uint32_t d : dest_order) {
            const std::uint32_t target = target_of_dest[d];
            if (d == kNoIndex) {
                pairs.emplace_back(std::string(), target);
                continue;
            }
            for (const auto& p : t.destinations[d].prefixes) pairs.emplace_back(p, target);
        }
        std::stable_sort(pairs.begin(), pairs.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::pair<std::string, std::uint32_t>> entries;
        entries.reserve(pairs.size());
        for (std::size_t i = 0; i < pairs.size();) {
            std::size_t j = i + 1;
            while (j < pairs.size() && pairs[j].first == pairs[i].first) ++j;
            bool distinct = false;
            for (std::size_t k = i + 1; k < j; ++k)
                if (pairs[k].second != pairs[i].second) distinct = true;
            if (!distinct) {
                entries.emplace_back(std::move(pairs[i].first), pairs[i].second);
            } else {
                const auto first = static_cast<std::uint32_t>(plan.refs.size());
                std::vector<std::uint32_t> seen;
                for (std::size_t k = i; k < j; ++k) {
                    if (std::find(seen.begin(), seen.end(), pairs[k].second) != seen.end())
                        continue;
                    seen.push_back(pairs[k].second);
                    const auto [f, n] = plan.targets[pairs[k].second];
                    for (std::uint32_t r = f; r < f + n; ++r) plan.refs.push_back(plan.refs[r]);
                }
                plan.targets.emplace_back(first,
                                          static_cast<std::uint32_t>(plan.refs.size()) - first);
                entries.emplace_back(std::move(pairs[i].first),
                                     static_cast<std::uint32_t>(plan.targets.size() - 1));
            }
            i = j;
        }
        plan.index = PrefixIndex::build(std::move(entries));
        // Lay each target's candidates out contiguously.
        plan.hot.reserve(plan.refs.size());
        for (auto& [first, count] : plan.targets) {
            const auto hot_first = static_cast<std::uint32_t>(plan.hot.size());
            for (std::uint32_t r = first; r < first + count; ++r)
                plan.hot.push_back(plan.candidates[plan.refs[r]]);
            first = hot_first;
        }
        plan.refs = {};
        plan.candidates = {};
    }

    // Rating profiles, by tenant/category/subject, sorted by activation time.
    for (std::size_t i = 0; i < t.rating_profiles.size(); ++i) {
        const RatingProfile& p = t.rating_profiles[i];
        if (m.plan_by_id.find(p.rating_plan_id) == m.plan_by_id.end())
            return fail(Errc::Invalid, "rating_profiles[" + std::to_string(i) + "].rating_plan_id",
                        "Rating profile " + p.tenant + "/" + p.category + "/" + p.subject +
                            " names rating plan " + p.rating_plan_id + ", which does not exist.");
        m.profiles[profile_key(p.tenant, p.category, p.subject)].push_back(
            static_cast<std::uint32_t>(i));
    }
    for (auto& [key, rows] : m.profiles)
        std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            return t.rating_profiles[a].activation_time < t.rating_profiles[b].activation_time;
        });

    return std::shared_ptr<const RatingIndex>(new RatingIndex(std::move(impl)));
}

Result<Cost> RatingIndex::Impl::rate_with(const CompiledPlan& plan, const CostQuery& q,
                                          RatePart part) const {
    if (q.usage_s < 0 || q.usage_s > kMaxUsageSeconds)
        return fail(Errc::Invalid, "usage_s",
                    fmt::format("The usage is {} s; it must be between 0 and {} s.", q.usage_s,
                                kMaxUsageSeconds));
    if (!digits_only(q.destination))
        return fail(Errc::Invalid, "destination",
                    "The destination '" + q.destination + "' is not E.164 digits.");
    const std::int64_t setup_s = unix_seconds(q.setup_time);
    // A later part is matched at its own start (the activation time that split the call).
    const Timestamp part_start = q.setup_time + std::chrono::seconds(part.from_s);
    const std::int64_t setup_us = part_start.time_since_epoch().count();
    const Civil setup_civil = civil_of(setup_s + part.from_s);

    // getRatingPlansForPrefix: the longest prefix of the destination for which the plan has
    // a rate active at the setup time; *any last.
    std::array<PrefixIndex::Match, 24> matches{};
    const std::size_t n_matches = plan.index.all(q.destination, matches.data(), matches.size());
    Selection sel;
    std::uint32_t matched_length = 0;
    bool matched_any = false;
    for (std::size_t mi = 0; mi < n_matches; ++mi) {
        sel.clear();
        const auto [first, count] = plan.targets[matches[mi].value];
        bool caller_specific = false;
        for (std::uint32_t r = first; r < first + count; ++r) {
            const Candidate& c = plan.hot[r];
            if (c.effective_from_us > setup_us) continue;
            if (c.caller != kNoIndex) {
                if (q.caller.empty() ||
                    caller_indexes[c.caller].longest(q.caller).value == PrefixIndex::kNone)
                    continue;
                caller_specific = true;
            }
            sel.push(&c);
        }
        if (sel.n == 0) continue;
        // A-number rows beat rows without one; per timing, the latest effective date wins.
        Selection kept;
        for (const Candidate* c : sel) {
            if (caller_specific && c->caller == kNoIndex) continue;
            bool superseded = false;
            for (const Candidate* o : sel) {
                if (o == c || o->timing != c->timing) continue;
                if (caller_specific && o->caller == kNoIndex) continue;
                if (o->effective_from_us > c->effective_from_us) superseded = true;
            }
            if (!superseded) kept.push(c);
        }
        if (select(setup_civil, kept) == nullptr) continue;
        sel = std::move(kept);
        matched_length = matches[mi].length;
        matched_any = matched_length == 0;  // only *any sits on the empty prefix
        break;
    }
    if (sel.n == 0 || select(setup_civil, sel) == nullptr)
        return fail(Errc::Rejected, "destination",
                    "Rating plan " + plan.id + " has no rate for destination " + q.destination +
                        " at " + format_rfc3339(part_start) + ".");

    const Candidate* first = select(setup_civil, sel);
    const bool first_part = part.from_s == 0;
    auto text = [&](const Candidate* c, std::size_t k) {
        std::size_t off = c->text;
        for (std::size_t i = 0; i < k; ++i) off += c->text_len[i];
        return std::string_view(plan.text).substr(off, c->text_len[k]);
    };

    Cost cost;
    cost.currency = tariff.currency;
    cost.rating_plan_id = plan.id;
    if (matched_any) {
        cost.matched_prefix = kAny;
    } else {
        cost.matched_prefix.assign(q.destination, 0, matched_length);
    }
    cost.destination_id = text(first, 0);
    cost.destination_name = text(first, 1);
    cost.destination_rate_id = text(first, 2);
    cost.rate_id = text(first, 3);
    cost.usage_s = q.usage_s;
    cost.rounding = first->rounding;
    cost.rounding_decimals = first->rounding_decimals;

    // CDRTool minimum and maximum duration of the first row.
    std::int64_t usage = q.usage_s;
    std::int64_t rated_usage = q.usage_s;
    if (first_part && usage > 0 && usage < first->min_duration_s) usage = first->min_duration_s;
    if (first->max_duration_s > 0 && usage > first->max_duration_s) {
        usage = first->max_duration_s;
        rated_usage = std::min(rated_usage, usage);
    }
    if (usage == 0) {
        // CGRateS getCost: a call of no duration costs nothing (not even the connect fee).
        cost.rated_usage_s = 0;
        return cost;
    }

    const Micros connect_fee = first_part ? first->connect_fee_micros : 0;
    Wide so_far = connect_fee;  // the connect fee, once per call
    cost.connect_fee_micros = connect_fee;
    const Candidate* longest_rounding = first;
    bool cut = false;
    std::int64_t offset = part.from_s;
    if (part.to_s) usage = std::min(usage, *part.to_s);
    while (offset < usage) {
        const Civil c = civil_of(setup_s + offset);
        const Candidate* cand = offset == 0 ? first : select(c, sel);
        if (cand == nullptr)
            return fail(Errc::Rejected, "destination",
                        "Rating plan " + plan.id + " has no rate for destination " + q.destination +
                            " at " + format_rfc3339(q.setup_time + std::chrono::seconds(offset)) +
                            ".");
        if (cand->rounding_decimals > longest_rounding->rounding_decimals) longest_rounding = cand;
        // The rate interval at this offset (GetRateParameters) and where the next one starts.
        const RateInterval* ri = &cand->first_interval;
        std::int64_t end = usage;
        if (!cand->single_interval) {
            const CompiledGroup& g = groups[cand->group];
            std::size_t k = 0;
            while (k + 1 < g.intervals.size() &&
                   g.intervals[k + 1].group_interval_start_s <= offset)
                ++k;
            ri = &g.intervals[k];
            if (k + 1 < g.intervals.size())
                end = std::min(end, g.intervals[k + 1].group_interval_start_s);
        }
        end = std::min(end, offset + next_boundary(c, sel));
        const std::int64_t dur = end - offset;  // >= 1
        std::int64_t incs = (dur + ri->rate_increment_s - 1) / ri->rate_increment_s;
        // Step 2 of the header comment: the stretch's cost, then the increment's, each rounded
        // half up to the global decimals.
        // PricingModel::Exact prices the stretch to the micro-unit instead (tariff.hpp).
        const Wide step = tariff.pricing == PricingModel::Exact ? 1 : kGlobalRoundingStepMicros;
        const Wide stretch =
            round_div(static_cast<Wide>(ri->rate_micros) *
                          (static_cast<Wide>(incs) * ri->rate_increment_s),
                      static_cast<Wide>(ri->rate_unit_s) * step, RoundingMethod::Middle) *
            step;
        const Wide per_increment =
            tariff.pricing == PricingModel::Exact
                ? stretch / incs
                : round_div(stretch, static_cast<Wide>(incs) * step, RoundingMethod::Middle) * step;
        // MaxCost *disconnect (balances.go debit loop): increments are charged while the cost
        // so far is below MaxCost; the call is cut at the first one that finds it reached.
        if (cand->max_cost_strategy == MaxCostStrategy::Disconnect && cand->max_cost_micros > 0) {
            const Wide cap = cand->max_cost_micros;
            std::int64_t affordable = incs;
            if (so_far >= cap) {
                affordable = 0;
            } else if (per_increment > 0) {
                const Wide need = -floor_div(-(cap - so_far), per_increment);  // ceil
                if (need < incs) affordable = static_cast<std::int64_t>(need);
            }
            if (affordable < incs) {
                incs = affordable;
                cut = true;
            }
        }
        const std::int64_t billed = incs * ri->rate_increment_s;
        if (incs > 0) {
            CostSegment& seg = cost.segments.emplace_back();
            seg.start = q.setup_time + std::chrono::seconds(offset);
            seg.duration_s = std::min(dur, billed);
            seg.timing_id = timings[cand->timing].id;
            seg.rate_id = text(cand, 3);
            seg.interval = *ri;
            seg.increments = incs;
            const Wide charged =
                tariff.pricing == PricingModel::Exact
                    ? round_div(static_cast<Wide>(ri->rate_micros) * billed,
                                static_cast<Wide>(ri->rate_unit_s), RoundingMethod::Middle)
                    : per_increment * incs;
            seg.cost_micros = clamp_micros(charged);
            so_far += charged;
        }
        offset += billed;
        if (cut) break;
    }
    cost.billed_usage_s = offset;
    cost.rated_usage_s = cut ? std::min(offset, rated_usage) : rated_usage;
    cost.max_cost_applied = cut;
    // MaxCost *free (calldesc.go GetCost): once the cost reaches MaxCost, the rest is free.
    if (first->max_cost_strategy == MaxCostStrategy::Free && first->max_cost_micros > 0 &&
        so_far >= first->max_cost_micros) {
        so_far = first->max_cost_micros;
        cost.max_cost_applied = true;
    }
    cost.rounding = longest_rounding->rounding;
    cost.rounding_decimals = longest_rounding->rounding_decimals;
    if (part.raw_micros) *part.raw_micros = so_far;
    const std::int64_t step = pow10(6 - cost.rounding_decimals);
    cost.cost_micros = clamp_micros(round_div(so_far, step, cost.rounding) * step);
    return cost;
}

std::optional<Cost> RatingIndex::Impl::split_at_activations(const CostQuery& q,
                                                            const RatingProfile& profile,
                                                            const Cost& whole) const {
    // CGRateS (calldesc.go splitInTimeSpans over the RatingInfos) splits a call at each
    // activation time of its subject's profiles that falls inside it: each part is rated by
    // the plan active from its start, the elapsed call time (GroupIntervalStart) running on.
    auto it = profiles.find(profile_key(q.tenant, q.category, profile.subject));
    if (it == profiles.end() || whole.billed_usage_s <= 0) return std::nullopt;
    const Timestamp end = q.setup_time + std::chrono::seconds(whole.billed_usage_s);
    std::vector<std::pair<std::int64_t, const RatingProfile*>> parts{{0, &profile}};
    for (std::uint32_t r : it->second) {
        const RatingProfile& p = tariff.rating_profiles[r];
        if (p.activation_time <= q.setup_time || p.activation_time >= end) continue;
        const auto from = std::chrono::duration_cast<std::chrono::seconds>(
                              p.activation_time - q.setup_time + std::chrono::microseconds(999'999))
                              .count();  // whole seconds, rounded up
        if (from <= parts.back().first || from >= whole.billed_usage_s) continue;
        if (p.rating_plan_id == parts.back().second->rating_plan_id) continue;
        parts.emplace_back(from, &p);
    }
    if (parts.size() == 1) return std::nullopt;
    Cost out;
    Wide raw_total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto [from, p] = parts[i];
        Wide raw = 0;
        RatePart window{
            from, i + 1 < parts.size() ? std::optional(parts[i + 1].first) : std::nullopt, &raw};
        auto cost = rate_with(plans[plan_by_id.at(p->rating_plan_id)], q, window);
        if (!cost) return std::nullopt;  // a later plan that does not rate it: no split
        raw_total += raw;
        if (i == 0) {
            out = std::move(*cost);
        } else {
            out.segments.insert(out.segments.end(), cost->segments.begin(), cost->segments.end());
            out.billed_usage_s = cost->billed_usage_s;
            out.rated_usage_s = cost->rated_usage_s;
            out.max_cost_applied = out.max_cost_applied || cost->max_cost_applied;
            if (cost->rounding_decimals > out.rounding_decimals) {
                out.rounding = cost->rounding;
                out.rounding_decimals = cost->rounding_decimals;
            }
        }
    }
    out.subject = profile.subject;
    out.activation_time = profile.activation_time;
    const std::int64_t step = pow10(6 - out.rounding_decimals);
    out.cost_micros = clamp_micros(round_div(raw_total, step, out.rounding) * step);
    return out;
}

Result<Cost> RatingIndex::Impl::rate_subject(const CostQuery& q, const std::string& subject,
                                             int depth) const {
    // The profile of the subject, else of *any (LoadRatingPlans: *any only when the subject
    // has no profile); the latest activation not after the setup time.
    auto active_row = [&](const std::string& subj) -> const RatingProfile* {
        auto it = profiles.find(profile_key(q.tenant, q.category, subj));
        if (it == profiles.end()) return nullptr;
        const RatingProfile* best = nullptr;
        for (std::uint32_t r : it->second) {
            const RatingProfile& p = tariff.rating_profiles[r];
            if (p.activation_time <= q.setup_time) best = &p;
        }
        return best;
    };
    const RatingProfile* profile = active_row(subject);
    if (profile == nullptr && depth == 0) profile = active_row(std::string(kAny));
    if (profile == nullptr)
        return fail(Errc::NotFound, "subject",
                    "No rating profile of " + q.tenant + "/" + q.category + " for subject " +
                        subject + " (nor *any) is active at " + format_rfc3339(q.setup_time) + ".");
    const CompiledPlan& plan = plans[plan_by_id.at(profile->rating_plan_id)];
    auto result = rate_with(plan, q);
    if (result) {
        result->subject = profile->subject;
        result->activation_time = profile->activation_time;
        if (auto split = split_at_activations(q, *profile, *result)) return std::move(*split);
        return result;
    }
    if (result.error().code != Errc::Rejected || depth >= kMaxFallbackDepth) return result;
    // RatesFallbackSubject: the next subjects, in order, when the plan does not rate it.
    for (const std::string& fb : profile->fallback_subjects) {
        if (fb == subject) continue;
        auto next = rate_subject(q, fb, depth + 1);
        if (next) return next;
    }
    return result;
}

Result<Cost> RatingIndex::rate(const CostQuery& query) const {
    return impl_->rate_subject(query, query.subject, 0);
}

Result<Cost> RatingIndex::rate_plan(const std::string& rating_plan_id,
                                    const CostQuery& query) const {
    auto it = impl_->plan_by_id.find(rating_plan_id);
    if (it == impl_->plan_by_id.end())
        return fail(Errc::NotFound, "rating_plan",
                    "Rating plan " + rating_plan_id + " does not exist.");
    return impl_->rate_with(impl_->plans[it->second], query);
}

}  // namespace switchyard::core::voice
