#include "events/voice/routing_service.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "events/voice/routing_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct RoutingService::Impl {
    Impl(EventStore& s, std::string t, TariffRegistry& r, VoiceService& v, RoutingOptions o)
        : store(s),
          tenant(std::move(t)),
          tariffs(r),
          voice(v),
          options(std::move(o)),
          loader(s, decode_routing_event),
          rng(options.seed ? options.seed : std::random_device{}()) {}

    EventStore& store;
    std::string tenant;
    TariffRegistry& tariffs;
    VoiceService& voice;
    RoutingOptions options;
    AggregateLoader<RoutingState, RoutingEvent> loader;

    std::mutex mu;  ///< Guards options' functions, rng and load.
    std::mt19937_64 rng;
    std::map<std::string, LoadShareState> load;  ///< By `<group>/<route id>`.

    core::Result<CommandOutcome<>> on_routing(
        const core::DecisionContext& ctx,
        const std::function<core::Result<std::vector<RoutingEvent>>(
            const RoutingState&, const ReferenceState&)>& decide_fn) {
        const auto stream = routing_stream(tenant);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(loader.snapshot(stream));
                const auto ref = SY_TRY(voice.reference_snapshot());
                auto events = SY_TRY(decide_fn(*state, *ref.state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{
                    {stream, ExpectedRevision::at(rev), to_new_events(events, encode, ctx, tenant)},
                    {reference_stream(tenant), ExpectedRevision::at(ref.revision), {}}};
            }));
        return outcome_of(appended);
    }
};

RoutingService::RoutingService(EventStore& store, std::string tenant, TariffRegistry& tariffs,
                               VoiceService& voice, RoutingOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), tariffs, voice, std::move(options))) {}

RoutingService::~RoutingService() = default;

template <class Item>
core::Result<CommandOutcome<>> RoutingService::execute(const DefineRoutingItem<Item>& c,
                                                       const core::DecisionContext& ctx) {
    return impl_->on_routing(ctx, [&](const RoutingState& s, const ReferenceState& ref) {
        return decide(s, ref, c, ctx);
    });
}

template <class Item>
core::Result<CommandOutcome<>> RoutingService::execute(const DeleteRoutingItem<Item>& c,
                                                       const core::DecisionContext& ctx) {
    return impl_->on_routing(
        ctx, [&](const RoutingState& s, const ReferenceState&) { return decide(s, c, ctx); });
}

#define SY_VOICE_ROUTING_COMMANDS(Item)                                \
    template core::Result<CommandOutcome<>> RoutingService::execute(   \
        const DefineRoutingItem<Item>&, const core::DecisionContext&); \
    template core::Result<CommandOutcome<>> RoutingService::execute(   \
        const DeleteRoutingItem<Item>&, const core::DecisionContext&);

SY_VOICE_ROUTING_COMMANDS(Gateway)
SY_VOICE_ROUTING_COMMANDS(Route)
SY_VOICE_ROUTING_COMMANDS(RouteGroup)

#undef SY_VOICE_ROUTING_COMMANDS

core::Result<RoutingState> RoutingService::routing() {
    auto [state, rev] = SY_TRY(impl_->loader.snapshot(routing_stream(impl_->tenant)));
    return *state;
}

namespace {

bool matches(const std::string& prefix, const std::string& destination) {
    return destination.compare(0, prefix.size(), prefix) == 0 &&
           prefix.size() <= destination.size();
}

/// The price per minute (60 s at `at`, connect fee excluded) of `destination` in the version of
/// `deck_id` current at `at`; none when the deck has no usable version or no price for it.
std::optional<BuyPrice> price_in(const TariffRegistry& tariffs, const std::string& deck_id,
                                 const std::string& destination, core::Timestamp at) {
    auto v = tariffs.current(deck_id, at);
    if (!v) return std::nullopt;
    CostQuery q;
    q.destination = destination;
    q.setup_time = at;
    q.usage_s = 60;
    auto cost = v->header.rating_plan_id.empty() ? v->index->rate(q)
                                                 : v->index->rate_plan(v->header.rating_plan_id, q);
    if (!cost) return std::nullopt;
    return BuyPrice{cost->cost_micros - cost->connect_fee_micros, cost->matched_prefix,
                    cost->currency.empty() ? v->header.currency : cost->currency};
}

}  // namespace

core::Result<RoutePlan> RoutingService::plan(const TrunkMatch& trunk, core::Timestamp at) const {
    return plan_for(trunk, at, true);
}

core::Result<RoutePlan> RoutingService::plan_for(const TrunkMatch& trunk, core::Timestamp at,
                                                 bool advance) const {
    auto& im = *impl_;
    const auto [state, rev] = SY_TRY(im.loader.snapshot(routing_stream(im.tenant)));
    const auto ref = SY_TRY(im.voice.reference_snapshot());
    const auto& dest = trunk.destination;

    RankRequest req;
    req.destination = dest;
    req.currency = trunk.currency;
    if (trunk.route_group_id.empty()) {
        req.group.route_group_id = "";
        req.group.name = "all routes";
    } else {
        auto g = state->route_groups.find(trunk.route_group_id);
        if (g == state->route_groups.end()) {
            RoutePlan p;
            p.route_group_id = trunk.route_group_id;
            p.skipped.push_back(
                {"", "", "no_route",
                 fmt::format("route group '{}' does not exist", trunk.route_group_id)});
            return p;
        }
        req.group = g->second;
    }

    // Blocked prefixes first (the longest that matches), then the longest route prefix.
    const Route* blocked = nullptr;
    std::vector<const Route*> best;
    for (const auto& [id, r] : state->routes) {
        const bool in_group = trunk.route_group_id.empty() ||
                              r.route_group_id == trunk.route_group_id ||
                              (r.blocked && r.route_group_id.empty());
        if (!in_group || !matches(r.prefix, dest)) continue;
        if (r.blocked) {
            if (!blocked || r.prefix.size() > blocked->prefix.size()) blocked = &r;
        } else if (best.empty() || r.prefix.size() > best.front()->prefix.size()) {
            best = {&r};
        } else if (r.prefix.size() == best.front()->prefix.size()) {
            best.push_back(&r);
        }
    }
    if (blocked) {
        req.blocked_route_id = blocked->route_id;
        req.blocked_prefix = blocked->prefix;
    }
    if (!best.empty()) {
        req.route_id = best.front()->route_id;
        req.route_prefix = best.front()->prefix;
    }

    // The sell price, from the rate card deck.
    if (!trunk.sell_rating_plan.empty())
        if (auto sell = price_in(im.tariffs, trunk.sell_rating_plan, dest, at))
            req.sell_per_minute = sell->per_minute;

    if (!blocked && !best.empty()) {
        const auto decks = im.tariffs.decks();
        std::vector<std::string> seen;
        for (const auto* r : best) {
            for (const auto& e : r->carriers) {
                if (std::find(seen.begin(), seen.end(), e.carrier_id) != seen.end()) continue;
                seen.push_back(e.carrier_id);
                Candidate c;
                c.entry = e;
                if (const auto* carrier = ref.state->live<Carrier>(e.carrier_id))
                    c.carrier = *carrier;
                for (const auto& [gid, g] : state->gateways)
                    if (g.carrier_id == e.carrier_id) c.gateways.push_back(g);
                for (auto d = decks.rbegin(); d != decks.rend() && !c.buy; ++d)
                    if (d->kind == DeckKind::Buy && d->carrier_id == e.carrier_id)
                        c.buy = price_in(im.tariffs, d->deck_id, dest, at);
                req.candidates.push_back(std::move(c));
            }
        }
    }

    std::lock_guard lock(im.mu);
    for (auto& c : req.candidates) {
        if (im.options.quality) c.quality = im.options.quality(c.entry.carrier_id);
        if (im.options.carrier_channels)
            c.channels_in_use = im.options.carrier_channels(c.entry.carrier_id);
    }
    const auto key = req.group.route_group_id + "/" + req.route_id;
    if (advance) return rank(req, im.load[key], im.rng);
    auto load = im.load[key];
    auto rng = im.rng;
    return rank(req, load, rng);
}

core::Result<RoutePlan> RoutingService::explain_customer(std::int64_t customer_id,
                                                         const std::string& destination,
                                                         core::Timestamp at) const {
    const auto config = SY_TRY(impl_->voice.effective_config(customer_id));
    TrunkMatch t;
    t.customer_id = customer_id;
    t.destination = destination;
    t.currency = config.customer.currency;
    t.route_group_id = config.effective.value(ItemKind::RouteGroup).value_or("");
    t.sell_rating_plan = config.effective.value(ItemKind::RateCard).value_or("");
    return plan_for(t, at, false);
}

core::Result<RoutePlan> RoutingService::explain_group(const std::string& route_group_id,
                                                      const std::string& destination,
                                                      core::Timestamp at) const {
    const auto [state, rev] = SY_TRY(impl_->loader.snapshot(routing_stream(impl_->tenant)));
    if (!state->route_groups.count(route_group_id))
        return core::fail(core::Errc::NotFound, "route_group_id",
                          fmt::format("route group '{}' does not exist", route_group_id));
    TrunkMatch t;
    t.destination = destination;
    t.route_group_id = route_group_id;
    return plan_for(t, at, false);
}

void RoutingService::set_quality_source(QualitySource quality) {
    std::lock_guard lock(impl_->mu);
    impl_->options.quality = std::move(quality);
}

void RoutingService::set_carrier_channels(CarrierChannels channels) {
    std::lock_guard lock(impl_->mu);
    impl_->options.carrier_channels = std::move(channels);
}

}  // namespace switchyard::events::voice
