#pragma once
/// Ranking the carriers of a route for one call (least-cost routing and its siblings). Pure:
/// prices, quality figures, channel counts and randomness arrive as arguments; the routing
/// service (events/voice/routing_service.hpp) gathers them. Semantics after CGRateS RouteS
/// (engine/libroutes.go: `*lc`, `*qos`, `*weight`, `*load`) and nginx's smooth weighted
/// round-robin (ngx_http_upstream_round_robin.c, ngx_http_upstream_get_peer).
///
/// A carrier is left out (SkippedRoute, in this order of checks) when it is unknown or retired
/// (`carrier_retired`), suspended (`carrier_suspended`), bills in another currency than the
/// customer, or than the first priced carrier without a customer (`currency_mismatch`; there is
/// no exchange rate table), has no buy price for the
/// destination (`no_price`, every strategy: the margin guard and the CDR need it), fails the
/// margin guard (`margin_guard`: buy per minute above sell per minute minus the group's minimum
/// margin; not applied when the sell price is unknown), or has no gateway left: a disabled
/// gateway is `gateway_disabled`, one whose `max_channels` the carrier's channels in use reach
/// is `channel_limit`, a carrier without any gateway is `no_gateway`. A carrier route quality
/// disabled on the route is `quality_disabled` (checked after `carrier_suspended`).
///
/// The carriers left are ordered by the group's strategy:
///   - `least_cost`: buy price per minute ascending; ties by priority ascending, then weight
///     descending, then carrier id;
///   - `priority`: priority ascending; ties by weight descending, then carrier id;
///   - `weight`: weighted random order without replacement (each next carrier drawn with odds
///     weight / sum of the remaining weights; carriers of weight 0 last, by priority);
///   - `load_share`: the first carrier is chosen by smooth weighted round-robin on the share
///     percentages (state kept between calls in LoadShareState), so N calls split exactly by
///     the shares after every multiple of 100 / gcd(shares) calls; the rest follow by share
///     descending, then priority;
///   - `quality`: ASR descending, then ACD descending, then PDD ascending; carriers without
///     figures (or with 0 calls) after those with, by priority.
/// Carriers route quality lowered then move after the others (keeping their order).
/// Each carrier then gives one route per usable gateway, by gateway weight descending (then
/// gateway id), and the routes past the group's `max_attempts` are skipped (`max_attempts`).
/// In `reject` margin-guard mode a single carrier failing the margin guard empties the plan:
/// every route moves to `skipped` as `margin_guard` and the call is refused.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/voice/call_path.hpp"
#include "core/voice/money.hpp"
#include "core/voice/reference.hpp"
#include "core/voice/routing.hpp"

namespace switchyard::core::voice {

/// A carrier's recent call quality (issue 14 item 6 computes it from `voice.call.*` events).
struct QualityFigures {
    double asr_percent = 0;   ///< Answer-seizure ratio, 0 to 100.
    double acd_s = 0;         ///< Average call duration of answered calls, seconds.
    std::int64_t pdd_ms = 0;  ///< Average post-dial delay, milliseconds.
    std::int64_t calls = 0;   ///< Calls the figures are computed over; 0 = no figures.
};

/// The quality of a carrier, by carrier id; none when nothing is known.
using QualitySource = std::function<std::optional<QualityFigures>(const std::string& carrier_id)>;

/// The carrier's channels in use, by carrier id (from CallAdmission).
using CarrierChannels = std::function<std::int64_t(const std::string& carrier_id)>;

/// What a carrier charges per minute for the destination (its buy deck, connect fee excluded).
struct BuyPrice {
    Micros per_minute = 0;
    std::string matched_prefix;  ///< The deck's prefix that priced it.
    std::string currency;        ///< ISO 4217.
};

/// One carrier of the matched route, with what is known about it.
struct Candidate {
    RouteEntry entry;
    /// The carrier's reference data; none when it is unknown or retired.
    std::optional<Carrier> carrier;
    std::vector<Gateway> gateways;  ///< The carrier's gateways, any order.
    std::optional<BuyPrice> buy;
    std::optional<QualityFigures> quality;
    std::int64_t channels_in_use = 0;
    /// Route quality's verdict on the carrier on this route (core/voice/quality.hpp `verdict`):
    /// a disabled carrier is skipped (`quality_disabled`); a lowered one goes after every
    /// carrier not lowered, whatever the strategy. `quality_alert` names the alert behind it.
    bool quality_disabled = false;
    bool quality_lowered = false;
    std::string quality_alert;
};

/// The question for one call.
struct RankRequest {
    RouteGroup group;
    std::string destination;   ///< E.164 digits without `+` (after the customer's tech prefix).
    std::string route_id;      ///< The matched route; empty when none matched.
    std::string route_prefix;  ///< Its prefix.
    /// A blocked route matched: the call is not routed. Its id, or empty.
    std::string blocked_route_id;
    std::string blocked_prefix;
    Micros sell_per_minute = -1;  ///< The customer's price per minute; -1 unknown.
    /// The customer's ISO 4217; empty: the first priced carrier's (in route order).
    std::string currency;
    std::vector<Candidate> candidates;  ///< In the route's order.
};

/// The smooth weighted round-robin's current weights, per carrier of one route.
struct LoadShareState {
    std::map<std::string, std::int64_t> current;
};

/// The plan for `request` (see the top of this file). `load_share` advances `load` (keep one
/// per route); `weight` draws from `rng`. Never fails: an empty `routes` with `skipped` saying
/// why is a refusal (`blocked`, `no_route`, `margin_guard`, ...).
RoutePlan rank(const RankRequest& request, LoadShareState& load, std::mt19937_64& rng);

/// The Request-URI for a gateway: `sip:<tech prefix><number>@<host>:<port>` with
/// `;transport=tcp|tls` when not UDP; an IPv6 host in brackets.
std::string gateway_uri(const Gateway& g, const std::string& tech_prefix,
                        const std::string& number);

/// The extra header lines of a gateway, each `Name: value\r\n` (rtjson `headers.extra`).
std::string extra_headers(const Gateway& g);

/// A per-minute price as the explanations write it: at least 4 decimals, up to 6 where they
/// matter (`0.0050`, `0.012345`), `-` before a negative amount.
std::string price_text(Micros amount);

}  // namespace switchyard::core::voice
