// A stand-in for the rating engine (core/voice/rating.cpp, built on another branch), linked
// into voice_tests only while that file does not exist, so that the ledger's services can be
// tested before the engine lands. It implements the subset the ledger tests use: longest-prefix
// match within one rating plan, the first destination rate of the plan for the destination,
// rate intervals with increments and GroupIntervalStart, the connect fee; no timings, rounding
// or caps (the tests' prices are exact). The real engine replaces it unchanged.
#include <algorithm>

#include "core/voice/rating.hpp"

namespace switchyard::core::voice {

struct RatingIndex::Impl {
    Tariff tariff;
};

RatingIndex::RatingIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RatingIndex::~RatingIndex() = default;

Result<std::shared_ptr<const RatingIndex>> RatingIndex::build(Tariff tariff) {
    for (const auto& r : tariff.destination_rates) {
        const bool known = std::any_of(tariff.rate_groups.begin(), tariff.rate_groups.end(),
                                       [&](const RateGroup& g) { return g.id == r.rate_id; });
        if (!known) return fail(Errc::Invalid, "rate_id", "no rate " + r.rate_id);
    }
    auto impl = std::make_unique<Impl>();
    impl->tariff = std::move(tariff);
    return std::shared_ptr<const RatingIndex>(new RatingIndex(std::move(impl)));
}

const Tariff& RatingIndex::tariff() const noexcept { return impl_->tariff; }

Result<Cost> RatingIndex::rate(const CostQuery& query) const {
    for (const auto& p : impl_->tariff.rating_profiles) {
        if (p.subject == query.subject || p.subject == "*any") {
            auto c = rate_plan(p.rating_plan_id, query);
            if (c) c->subject = query.subject;
            return c;
        }
    }
    return fail(Errc::NotFound, "subject", "no rating profile for " + query.subject);
}

Result<Cost> RatingIndex::rate_plan(const std::string& plan, const CostQuery& q) const {
    const auto& t = impl_->tariff;
    const DestinationRate* best = nullptr;
    const Destination* best_dest = nullptr;
    std::string best_prefix;
    bool plan_known = false;
    for (const auto& e : t.rating_plans) {
        if (e.rating_plan_id != plan) continue;
        plan_known = true;
        for (const auto& dr : t.destination_rates) {
            if (dr.id != e.destination_rates_id) continue;
            for (const auto& d : t.destinations) {
                if (d.id != dr.destination_id) continue;
                for (const auto& p : d.prefixes) {
                    if (q.destination.compare(0, p.size(), p) == 0 &&
                        p.size() > best_prefix.size()) {
                        best = &dr;
                        best_dest = &d;
                        best_prefix = p;
                    }
                }
            }
        }
    }
    if (!plan_known) return fail(Errc::NotFound, "rating_plan", "no plan " + plan);
    if (!best) return fail(Errc::Rejected, "destination", "no rate for " + q.destination);
    const auto group = std::find_if(t.rate_groups.begin(), t.rate_groups.end(),
                                    [&](const RateGroup& g) { return g.id == best->rate_id; });
    Cost c;
    c.currency = t.currency;
    c.matched_prefix = best_prefix;
    c.destination_id = best_dest->id;
    c.destination_name = best_dest->name;
    c.rating_plan_id = plan;
    c.destination_rate_id = best->id;
    c.rate_id = group->id;
    c.connect_fee_micros = group->connect_fee_micros;
    c.usage_s = q.usage_s;
    c.cost_micros = group->connect_fee_micros;
    const auto& iv = group->intervals;
    for (std::size_t i = 0; i < iv.size(); ++i) {
        const auto begin = iv[i].group_interval_start_s;
        const auto end = i + 1 < iv.size() ? iv[i + 1].group_interval_start_s : q.usage_s;
        const auto seconds = std::min(end, q.usage_s) - begin;
        if (seconds <= 0) continue;
        const auto inc = iv[i].rate_increment_s;
        const auto increments = (seconds + inc - 1) / inc;
        CostSegment s;
        s.start = q.setup_time;
        s.duration_s = seconds;
        s.rate_id = group->id;
        s.interval = iv[i];
        s.increments = increments;
        s.cost_micros = increments * inc * iv[i].rate_micros / iv[i].rate_unit_s;
        c.cost_micros += s.cost_micros;
        c.billed_usage_s += increments * inc;
        c.segments.push_back(s);
    }
    c.rated_usage_s = q.usage_s;
    return c;
}

}  // namespace switchyard::core::voice
