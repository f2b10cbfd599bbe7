#include "events/voice/tariff_codec.hpp"

#include <charconv>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "events/voice/tariff_json.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kDestination =
    fields(field("id", &Destination::id), optional_field("name", &Destination::name),
           field("prefixes", &Destination::prefixes));

constexpr auto kRateInterval =
    fields(field("group_interval_start_s", &RateInterval::group_interval_start_s),
           field("rate_micros", &RateInterval::rate_micros),
           field("rate_unit_s", &RateInterval::rate_unit_s),
           field("rate_increment_s", &RateInterval::rate_increment_s));

constexpr auto kRateGroup =
    fields(field("id", &RateGroup::id), field("connect_fee_micros", &RateGroup::connect_fee_micros),
           objects("intervals", &RateGroup::intervals, kRateInterval));

constexpr auto kDestinationRate = fields(
    field("id", &DestinationRate::id), field("destination_id", &DestinationRate::destination_id),
    field("rate_id", &DestinationRate::rate_id),
    field("rounding", &DestinationRate::rounding, parse_rounding_method),
    field("rounding_decimals", &DestinationRate::rounding_decimals),
    optional_field("max_cost_micros", &DestinationRate::max_cost_micros),
    field("max_cost_strategy", &DestinationRate::max_cost_strategy, parse_max_cost_strategy),
    optional_field("min_duration_s", &DestinationRate::min_duration_s),
    optional_field("max_duration_s", &DestinationRate::max_duration_s),
    optional_field("effective_from", &DestinationRate::effective_from),
    optional_field("caller_destination_id", &DestinationRate::caller_destination_id));

constexpr auto kRatingProfile =
    fields(field("tenant", &RatingProfile::tenant), field("category", &RatingProfile::category),
           field("subject", &RatingProfile::subject),
           field("activation_time", &RatingProfile::activation_time),
           field("rating_plan_id", &RatingProfile::rating_plan_id),
           optional_field("fallback_subjects", &RatingProfile::fallback_subjects));

json::array int_list(const std::vector<int>& v) {
    json::array a;
    for (int i : v) a.emplace_back(i);
    return a;
}

std::vector<int> get_int_list(const JsonObject& o, const char* key) {
    std::vector<int> out;
    if (!o.is_set(key)) return out;
    for (auto v : o.i64_list(key)) out.push_back(static_cast<int>(v));
    return out;
}

json::object timing_json(const Timing& t) {
    json::object o{{"id", t.id}, {"start_s", t.start_s}};
    if (!t.years.empty()) o["years"] = int_list(t.years);
    if (!t.months.empty()) o["months"] = int_list(t.months);
    if (!t.month_days.empty()) o["month_days"] = int_list(t.month_days);
    if (!t.week_days.empty()) o["week_days"] = int_list(t.week_days);
    if (t.end_s) o["end_s"] = *t.end_s;
    return o;
}

Timing get_timing(const JsonObject& o) {
    Timing t;
    t.id = o.str("id");
    t.start_s = o.i64("start_s");
    t.years = get_int_list(o, "years");
    t.months = get_int_list(o, "months");
    t.month_days = get_int_list(o, "month_days");
    t.week_days = get_int_list(o, "week_days");
    t.end_s = o.opt_i64("end_s");
    return t;
}

json::object plan_json(const RatingPlanEntry& e) {
    return {{"rating_plan_id", e.rating_plan_id},
            {"destination_rates_id", e.destination_rates_id},
            {"timing_id", e.timing_id},
            {"weight", fmt::format("{}", e.weight)}};
}

RatingPlanEntry get_plan(const JsonObject& o) {
    RatingPlanEntry e;
    e.rating_plan_id = o.str("rating_plan_id");
    e.destination_rates_id = o.str("destination_rates_id");
    e.timing_id = o.str("timing_id");
    const auto w = o.str("weight");
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), e.weight);
    if (ec != std::errc() || end != w.data() + w.size()) throw FieldError{"weight"};
    return e;
}

}  // namespace

void put_tariff(json::object& o, const Tariff& t) {
    o["currency"] = t.currency;
    o["pricing"] = to_string(t.pricing);
    auto rows = [](const auto& items, auto&& one) {
        json::array a;
        a.reserve(items.size());
        for (const auto& item : items) a.push_back(one(item));
        return a;
    };
    o["destinations"] =
        rows(t.destinations, [](const Destination& d) { return to_json(d, kDestination); });
    o["rate_groups"] =
        rows(t.rate_groups, [](const RateGroup& g) { return to_json(g, kRateGroup); });
    o["destination_rates"] = rows(
        t.destination_rates, [](const DestinationRate& r) { return to_json(r, kDestinationRate); });
    o["timings"] = rows(t.timings, timing_json);
    o["rating_plans"] = rows(t.rating_plans, plan_json);
    o["rating_profiles"] =
        rows(t.rating_profiles, [](const RatingProfile& p) { return to_json(p, kRatingProfile); });
}

Tariff get_tariff(const JsonObject& o) {
    Tariff t;
    t.currency = o.str("currency");
    // Absent in chunks written before the pricing model existed: CGRateS's.
    if (o.has("pricing") && !parse_pricing_model(o.str("pricing"), t.pricing))
        throw FieldError{"pricing"};
    for (const auto& d : o.obj_list("destinations"))
        t.destinations.push_back(from_json<Destination>(d, kDestination));
    for (const auto& g : o.obj_list("rate_groups"))
        t.rate_groups.push_back(from_json<RateGroup>(g, kRateGroup));
    for (const auto& r : o.obj_list("destination_rates"))
        t.destination_rates.push_back(from_json<DestinationRate>(r, kDestinationRate));
    for (const auto& r : o.obj_list("timings")) t.timings.push_back(get_timing(r));
    for (const auto& r : o.obj_list("rating_plans")) t.rating_plans.push_back(get_plan(r));
    for (const auto& r : o.obj_list("rating_profiles"))
        t.rating_profiles.push_back(from_json<RatingProfile>(r, kRatingProfile));
    return t;
}

std::string encode_tariff(const Tariff& t) {
    json::object o;
    put_tariff(o, t);
    return json::serialize(o);
}

core::Result<Tariff> decode_tariff(std::string_view text) {
    return with_json_object(text, [](const JsonObject& o) { return get_tariff(o); });
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i)
        fmt::format_to(std::back_inserter(out), "{:02x}", digest[i]);
    return out;
}

}  // namespace switchyard::events::voice
