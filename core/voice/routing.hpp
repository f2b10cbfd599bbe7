#pragma once
/// Carrier gateways, routes, route groups and blocked routes (issue 14 item 3; DIDTron phases
/// 4-6, CGRateS RouteS). One aggregate per tenant, `voice_routing-<tenant>`, holding three kinds
/// of item, each created, replaced and deleted whole (`voice.<kind>.defined` with all its
/// fields, `voice.<kind>.deleted`):
///   - a gateway: one SIP address of a carrier (reference data, core/voice/reference.hpp) that
///     calls to it are sent to, with transport, next hop, extra headers, a channel limit, a
///     ring timeout and a weight among the carrier's gateways;
///   - a route group: the item ItemKind::RouteGroup assigns to customers, with its strategy
///     (how the carriers of a route are ordered), how many carriers a call may try, and the
///     margin guard;
///   - a route: a destination prefix of a route group to an ordered list of carriers (priority,
///     weight, load-share percentage), or a blocked prefix (of a group, or of every group when
///     it names none) that is never routed.
/// Ranking the carriers of a call is core/voice/lcr.hpp; the routing service
/// (events/voice/routing_service.hpp) puts the two together.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/money.hpp"
#include "core/voice/reference.hpp"

namespace switchyard::core::voice {

/// The SIP transport to a gateway. Wire names `udp`, `tcp`, `tls` (RFC 3261 §18).
enum class SipTransport { Udp, Tcp, Tls };
const char* to_string(SipTransport t) noexcept;
bool parse_sip_transport(std::string_view text, SipTransport& out) noexcept;

/// One extra header line put on the INVITE to the carrier (rtjson `headers.extra`).
struct HeaderField {
    std::string name;   ///< An RFC 3261 §25.1 token: `A-Za-z0-9-.!%*_+\`'~`, 1 to 64.
    std::string value;  ///< At most 256 bytes, no CR, LF or other control character but tab.
    friend bool operator==(const HeaderField&, const HeaderField&) = default;
};

/// A carrier's gateway.
struct Gateway {
    static constexpr std::string_view kKind = "gateway";
    static constexpr std::string_view kDefinedType = "voice.gateway.defined";
    static constexpr std::string_view kRetiredType = "voice.gateway.deleted";
    static constexpr const char* kIdKey = "gateway_id";
    std::string gateway_id;    ///< `[a-z0-9_-]{1,32}`.
    std::string carrier_id;    ///< A carrier of the reference data, not retired when defined.
    std::string host;          ///< DNS name or IP address (IPv6 without brackets).
    std::int64_t port = 5060;  ///< 1 to 65535. Default: 5060.
    SipTransport transport = SipTransport::Udp;
    /// The next hop (outbound proxy) when it is not `host`: a `sip:` or `sips:` URI, at most
    /// 256 bytes, no blank or control character; empty: none (rtjson `dst_uri`).
    std::string dst_uri;
    std::vector<HeaderField> headers;  ///< 0 to 16 extra header lines.
    /// Channels the carrier may hold while this gateway is offered; 0 = unlimited. The count
    /// compared is the carrier's channels in use (CallAdmission counts per carrier).
    std::int64_t max_channels = 0;
    /// Ring timeout of a branch to this gateway (Kamailio `fr_inv_timer`), milliseconds: 0
    /// (Kamailio's default) or 1000 to 300000.
    std::int64_t ring_timeout_ms = 0;
    std::int64_t weight = 1;  ///< 0 to 65535: higher is tried first among the carrier's.
    bool enabled = true;
    const std::string& id() const { return gateway_id; }
    friend bool operator==(const Gateway&, const Gateway&) = default;
};

/// How a route group orders the carriers of a route. Wire names `least_cost`, `quality`,
/// `priority`, `weight`, `load_share` (core/voice/lcr.hpp says how each orders).
enum class RoutingStrategy { LeastCost, Quality, Priority, Weight, LoadShare };
const char* to_string(RoutingStrategy s) noexcept;
bool parse_routing_strategy(std::string_view text, RoutingStrategy& out) noexcept;

/// What the margin guard does with a carrier that costs more than the customer pays. Wire
/// names `skip` (leave the carrier out) and `reject` (refuse the call).
enum class MarginGuardMode { Skip, Reject };
const char* to_string(MarginGuardMode m) noexcept;
bool parse_margin_guard_mode(std::string_view text, MarginGuardMode& out) noexcept;

/// A route group.
struct RouteGroup {
    static constexpr std::string_view kKind = "route_group";
    static constexpr std::string_view kDefinedType = "voice.route_group.defined";
    static constexpr std::string_view kRetiredType = "voice.route_group.deleted";
    static constexpr const char* kIdKey = "route_group_id";
    std::string route_group_id;  ///< `[a-z0-9_-]{1,32}`.
    std::string name;            ///< 1 to 64 characters.
    RoutingStrategy strategy = RoutingStrategy::LeastCost;
    std::int64_t max_attempts = 3;  ///< Branches a call may try, 1 to 10. Default: 3.
    MarginGuardMode margin_guard = MarginGuardMode::Skip;
    /// The least margin per minute (sell minus buy, micro-units of the customer's currency) a
    /// carrier must leave, 0 to 1,000,000,000; 0: buy may equal sell but not exceed it.
    Micros min_margin_micros = 0;
    const std::string& id() const { return route_group_id; }
    friend bool operator==(const RouteGroup&, const RouteGroup&) = default;
};

/// One carrier of a route.
struct RouteEntry {
    std::string carrier_id;     ///< A carrier of the reference data.
    std::int64_t priority = 0;  ///< 0 to 1000: lower is tried first (`priority` strategy).
    std::int64_t weight = 1;    ///< 0 to 65535: higher first, or the odds (`weight` strategy).
    /// Share of the calls, 0 to 100 percent (`load_share`: a route's shares sum to 100).
    std::int64_t share_percent = 0;
    friend bool operator==(const RouteEntry&, const RouteEntry&) = default;
};

/// A route: a prefix of the destination to carriers, or a blocked prefix.
struct Route {
    static constexpr std::string_view kKind = "route";
    static constexpr std::string_view kDefinedType = "voice.route.defined";
    static constexpr std::string_view kRetiredType = "voice.route.deleted";
    static constexpr const char* kIdKey = "route_id";
    std::string route_id;  ///< `[a-z0-9_-]{1,32}`.
    /// The route group; empty only for a blocked prefix of every group.
    std::string route_group_id;
    std::string prefix;  ///< 0 to 16 digits of E.164 without `+`; empty: every destination.
    /// 1 to 32 distinct carriers; empty for a blocked route.
    std::vector<RouteEntry> carriers;
    bool blocked = false;  ///< Never routed: calls to the prefix are refused (`no_route`).
    const std::string& id() const { return route_id; }
    friend bool operator==(const Route&, const Route&) = default;
};

// ---- commands ----

/// Whether a definition creates a new item or replaces an existing one.
enum class RoutingDefineMode { Create, Update };
/// Creates (mode Create) or replaces (mode Update) a gateway, route or route group whole.
template <class Item>
struct DefineRoutingItem {
    Item item;
    RoutingDefineMode mode = RoutingDefineMode::Create;
};
/// Deletes a gateway, route or route group.
template <class Item>
struct DeleteRoutingItem {
    std::string id;
};

// ---- events: ItemDefined<Item> (voice.<kind>.defined), ItemRetired<Item> (voice.<kind>.deleted)

using RoutingEvent =
    std::variant<ItemDefined<Gateway>, ItemRetired<Gateway>, ItemDefined<Route>, ItemRetired<Route>,
                 ItemDefined<RouteGroup>, ItemRetired<RouteGroup>>;

struct RoutingState {
    std::map<std::string, Gateway> gateways;
    std::map<std::string, Route> routes;
    std::map<std::string, RouteGroup> route_groups;

    template <class Item>
    std::map<std::string, Item>& items() {
        if constexpr (std::is_same_v<Item, Gateway>)
            return gateways;
        else if constexpr (std::is_same_v<Item, Route>)
            return routes;
        else
            return route_groups;
    }
    template <class Item>
    const std::map<std::string, Item>& items() const {
        return const_cast<RoutingState*>(this)->items<Item>();
    }
};

inline std::string routing_stream(const std::string& tenant) { return "voice_routing-" + tenant; }

void evolve(RoutingState& state, const RoutingEvent& event);

/// Create: an item with the same id and the same fields decides nothing (a retry).
/// @errors Invalid naming the malformed field (the id, `name`, `host`, `port`, `dst_uri`,
///         `headers[<i>].name` / `.value`, `max_channels`, `ring_timeout_ms`, `weight`,
///         `prefix`, `carriers`, `carriers[<i>].priority` / `.weight` / `.share_percent`,
///         `max_attempts`, `min_margin_micros`); NotFound naming `carrier_id` (or
///         `carriers[<i>].carrier_id`) for a carrier that does not exist and `route_group_id`
///         for an unknown group; Rejected naming it for a retired carrier; Rejected naming
///         `carriers` when a `load_share` group's route shares do not sum to 100 (and
///         `strategy` when a group becomes `load_share` with such a route); Conflict naming
///         the id when Create finds it taken, `prefix` when the group already has a route with
///         that prefix; NotFound naming the id when Update finds none.
template <class Item>
Result<std::vector<RoutingEvent>> decide(const RoutingState& s, const ReferenceState& ref,
                                         const DefineRoutingItem<Item>& c,
                                         const DecisionContext& ctx);
/// @errors NotFound naming the id for an unknown item; Rejected naming `route_group_id` when a
///         route group still has routes.
template <class Item>
Result<std::vector<RoutingEvent>> decide(const RoutingState& s, const DeleteRoutingItem<Item>& c,
                                         const DecisionContext& ctx);

/// The field problems of an item alone (not against the state): Invalid naming the field.
Result<void> check_item(const Gateway& g);
Result<void> check_item(const Route& r);
Result<void> check_item(const RouteGroup& g);

/// True for an RFC 3261 token (a header name): 1 to 64 of `A-Za-z0-9-.!%*_+\`'~`.
bool valid_header_name(std::string_view name) noexcept;

}  // namespace switchyard::core::voice
