#include "events/voice/routing_service.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>

#include <fmt/format.h>

#include "events/voice/routing_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

using RoutesByPrefix = std::unordered_map<std::string, std::vector<const Route*>>;

/// What a plan looks up, built once per revision of the routing stream: routes by group and
/// prefix (so a match is at most 17 lookups, one per prefix length of the destination),
/// gateways by carrier.
struct RouteIndex {
    std::shared_ptr<const RoutingState> state;  ///< Owns what the pointers point to.
    std::int64_t revision = -2;
    std::unordered_map<std::string, RoutesByPrefix> routes;          ///< By group id.
    RoutesByPrefix all_routes;                                       ///< Every group's.
    std::unordered_map<std::string, RoutesByPrefix> blocked;         ///< By group id; "" = global.
    RoutesByPrefix all_blocked;                                      ///< Every group's and global.
    std::unordered_map<std::string, std::vector<Gateway>> gateways;  ///< By carrier id.
};

std::shared_ptr<const RouteIndex> build_index(std::shared_ptr<const RoutingState> state,
                                              std::int64_t revision) {
    auto ix = std::make_shared<RouteIndex>();
    ix->state = std::move(state);
    ix->revision = revision;
    for (const auto& [id, r] : ix->state->routes) {
        if (r.blocked) {
            ix->blocked[r.route_group_id][r.prefix].push_back(&r);
            ix->all_blocked[r.prefix].push_back(&r);
        } else {
            ix->routes[r.route_group_id][r.prefix].push_back(&r);
            ix->all_routes[r.prefix].push_back(&r);
        }
    }
    for (const auto& [id, g] : ix->state->gateways) ix->gateways[g.carrier_id].push_back(g);
    return ix;
}

/// The routes of the longest prefix of `destination` in `m`; empty when none.
std::vector<const Route*> longest(const RoutesByPrefix* m, const std::string& destination) {
    if (!m) return {};
    for (auto len = std::min<std::size_t>(destination.size(), 16) + 1; len-- > 0;)
        if (auto it = m->find(destination.substr(0, len)); it != m->end()) return it->second;
    return {};
}

template <class Map>
const RoutesByPrefix* in(const Map& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? nullptr : &it->second;
}

}  // namespace

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
    std::shared_ptr<const RouteIndex> index;     ///< The last built.
    std::int64_t decks_created = -1;             ///< When buy_decks was built.
    /// Buy deck ids by carrier, last deck id first (the order a carrier is priced in).
    std::shared_ptr<const std::unordered_map<std::string, std::vector<std::string>>> buy_decks;

    /// The index of the routing stream's current revision. @errors the store's.
    core::Result<std::shared_ptr<const RouteIndex>> current_index() {
        auto [state, rev] = SY_TRY(loader.snapshot(routing_stream(tenant)));
        std::lock_guard lock(mu);
        if (!index || index->revision != rev) index = build_index(std::move(state), rev);
        return index;
    }

    /// Buy deck ids by carrier, rebuilt when a deck was created.
    std::shared_ptr<const std::unordered_map<std::string, std::vector<std::string>>>
    current_buy_decks() {
        const auto created = tariffs.decks_created();
        {
            std::lock_guard lock(mu);
            if (buy_decks && decks_created == created) return buy_decks;
        }
        auto fresh = std::make_shared<std::unordered_map<std::string, std::vector<std::string>>>();
        const auto all = tariffs.decks();  // by deck id
        for (auto d = all.rbegin(); d != all.rend(); ++d)
            if (d->kind == DeckKind::Buy && !d->carrier_id.empty())
                (*fresh)[d->carrier_id].push_back(d->deck_id);
        std::lock_guard lock(mu);
        buy_decks = fresh;
        decks_created = created;
        return fresh;
    }

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
    const auto ix = SY_TRY(im.current_index());
    const auto& state = ix->state;
    const auto ref = SY_TRY(im.voice.reference_snapshot());
    const auto& dest = trunk.destination;
    const auto& group_id = trunk.route_group_id;

    RankRequest req;
    req.destination = dest;
    req.currency = trunk.currency;
    if (group_id.empty()) {
        req.group.route_group_id = "";
        req.group.name = "all routes";
    } else {
        auto g = state->route_groups.find(group_id);
        if (g == state->route_groups.end()) {
            RoutePlan p;
            p.route_group_id = group_id;
            p.skipped.push_back(
                {"", "", "no_route", fmt::format("route group '{}' does not exist", group_id)});
            return p;
        }
        req.group = g->second;
    }

    // Blocked prefixes first (the longest that matches: the group's or a global one), then the
    // longest route prefix.
    const Route* blocked = nullptr;
    auto consider_blocked = [&](const std::vector<const Route*>& found) {
        if (!found.empty() && (!blocked || found.front()->prefix.size() > blocked->prefix.size()))
            blocked = found.front();
    };
    std::vector<const Route*> best;
    if (group_id.empty()) {
        consider_blocked(longest(&ix->all_blocked, dest));
        best = longest(&ix->all_routes, dest);
    } else {
        consider_blocked(longest(in(ix->blocked, group_id), dest));
        consider_blocked(longest(in(ix->blocked, std::string()), dest));
        best = longest(in(ix->routes, group_id), dest);
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
    if (!trunk.sell_deck_id.empty())
        if (auto sell = price_in(im.tariffs, trunk.sell_deck_id, dest, at))
            req.sell_per_minute = sell->per_minute;

    if (!blocked && !best.empty()) {
        const auto decks = im.current_buy_decks();
        std::vector<std::string> seen;
        for (const auto* r : best) {
            for (const auto& e : r->carriers) {
                if (std::find(seen.begin(), seen.end(), e.carrier_id) != seen.end()) continue;
                seen.push_back(e.carrier_id);
                Candidate c;
                c.entry = e;
                if (const auto* carrier = ref.state->live<Carrier>(e.carrier_id))
                    c.carrier = *carrier;
                if (auto g = ix->gateways.find(e.carrier_id); g != ix->gateways.end())
                    c.gateways = g->second;
                if (auto d = decks->find(e.carrier_id); d != decks->end())
                    for (const auto& deck_id : d->second) {
                        c.buy = price_in(im.tariffs, deck_id, dest, at);
                        if (c.buy) break;
                    }
                req.candidates.push_back(std::move(c));
            }
        }
    }

    std::lock_guard lock(im.mu);
    for (auto& c : req.candidates) {
        if (im.options.quality) c.quality = im.options.quality(c.entry.carrier_id);
        if (im.options.carrier_channels)
            c.channels_in_use = im.options.carrier_channels(c.entry.carrier_id);
        if (im.options.route_quality) {
            const auto v =
                im.options.route_quality(req.route_id, req.route_prefix, c.entry.carrier_id);
            c.quality_disabled = v.disabled;
            c.quality_lowered = v.lowered;
            c.quality_alert = v.alert_id;
        }
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
    t.sell_deck_id = config.effective.value(ItemKind::RateCard).value_or("");
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

void RoutingService::set_route_quality(RouteQualitySource route_quality) {
    std::lock_guard lock(impl_->mu);
    impl_->options.route_quality = std::move(route_quality);
}

void RoutingService::set_carrier_channels(CarrierChannels channels) {
    std::lock_guard lock(impl_->mu);
    impl_->options.carrier_channels = std::move(channels);
}

}  // namespace switchyard::events::voice
