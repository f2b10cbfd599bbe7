#pragma once
/// The router of the call path (core/voice/call_path.hpp `CallRouter`) and the command side of
/// gateways, routes and route groups (`voice_routing-<tenant>`, core/voice/routing.hpp).
///
/// A plan for a call: the blocked prefixes (of the group and of every group) are checked first;
/// then the longest prefix of the destination among the group's routes picks a route (an
/// empty prefix is the group's default route); each carrier of the route is priced from its buy
/// deck(s) in the TariffRegistry (the decks of kind `buy` whose `carrier_id` is the carrier;
/// with several, the last by deck id that prices the destination, the rule the CDR resolvers
/// use), as the cost of 60 s at `at` less the connect fee; the customer's sell price the same
/// way from `TrunkMatch::sell_deck_id`, the rate card deck (the value of the customer's
/// `ItemKind::RateCard` assignment). core/voice/lcr.hpp ranks them.
/// An empty `TrunkMatch::route_group_id` plans over every group's routes (the longest prefix
/// of all; carriers of routes sharing it merged) with `least_cost`, 3 attempts and the margin
/// guard in `skip` mode. Every blocked prefix of every group applies then.
/// Routes and gateways are indexed once per revision of the stream (a match is one lookup per
/// prefix length of the destination), buy decks by carrier once per deck created.

#include <cstdint>
#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/call_path.hpp"
#include "core/voice/lcr.hpp"
#include "core/voice/quality.hpp"
#include "core/voice/routing.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::events::voice {

/// What the router reads beyond the log.
struct RoutingOptions {
    /// Carrier quality for the `quality` strategy; empty: no figures (every carrier ordered by
    /// priority). Default: empty.
    core::voice::QualitySource quality;
    /// Channels in use per carrier (CallAdmission); empty: 0. Default: empty.
    core::voice::CarrierChannels carrier_channels;
    /// Route quality's actions (events/voice/quality_service.hpp): a carrier disabled on the
    /// matched route is skipped (`quality_disabled`), a lowered one goes last. Empty: none.
    /// Default: empty.
    core::voice::RouteQualitySource route_quality;
    /// Seed of the `weight` strategy's random order; 0: from std::random_device. Default: 0.
    std::uint64_t seed = 0;
};

/// Gateways, routes and route groups of one tenant, and the routing answer.
/// @thread safe: commands, reads and plan() may run concurrently.
class RoutingService final : public core::voice::CallRouter {
  public:
    /// `tariffs` and `voice` must outlive the service. The registry must be current enough
    /// for the calls asked about (the voice module follows the log with it).
    RoutingService(EventStore& store, std::string tenant, TariffRegistry& tariffs,
                   VoiceService& voice, RoutingOptions options = {});
    ~RoutingService() override;

    /// Defines or deletes a gateway, route or route group. Errors as core/voice/routing.hpp
    /// decide(), and the store's. The append holds the reference stream's revision (a carrier
    /// retired in between makes it decide again).
    template <class Item>
    core::Result<CommandOutcome<>> execute(const core::voice::DefineRoutingItem<Item>& c,
                                           const core::DecisionContext& ctx);
    template <class Item>
    core::Result<CommandOutcome<>> execute(const core::voice::DeleteRoutingItem<Item>& c,
                                           const core::DecisionContext& ctx);

    /// The current gateways, routes and route groups. @errors the store's; Invalid for an
    /// event that cannot be decoded.
    core::Result<core::voice::RoutingState> routing();

    /// The routing answer (see the top of this file). Advances the load-share state of the
    /// route and draws from the service's random generator. An unknown route group or no
    /// matching route gives an empty plan with `skipped` saying why (`no_route`).
    /// @errors the store's.
    core::Result<core::voice::RoutePlan> plan(const core::voice::TrunkMatch& trunk,
                                              core::Timestamp at) const override;

    /// The plan a call of `customer_id` to `destination` would get at `at`, for operators: the
    /// customer's route group, rate card and currency from VoiceService::effective_config.
    /// Leaves the load-share state as it was. @errors NotFound naming `customer_id`; the
    /// store's.
    core::Result<core::voice::RoutePlan> explain_customer(std::int64_t customer_id,
                                                          const std::string& destination,
                                                          core::Timestamp at) const;
    /// The plan of `route_group_id` for `destination` without a customer (no sell price, no
    /// currency check). Leaves the load-share state as it was. @errors NotFound naming
    /// `route_group_id`; the store's.
    core::Result<core::voice::RoutePlan> explain_group(const std::string& route_group_id,
                                                       const std::string& destination,
                                                       core::Timestamp at) const;

    /// Replaces the quality source (item 6 of issue 14 feeds it later).
    void set_quality_source(core::voice::QualitySource quality);
    /// Replaces the route quality actions (issue 14 item 6).
    void set_route_quality(core::voice::RouteQualitySource route_quality);
    /// Replaces the channel counts (CallAdmission, once it exists).
    void set_carrier_channels(core::voice::CarrierChannels channels);

  private:
    core::Result<core::voice::RoutePlan> plan_for(const core::voice::TrunkMatch& trunk,
                                                  core::Timestamp at, bool advance) const;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
