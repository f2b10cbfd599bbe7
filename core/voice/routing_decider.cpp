#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/voice/routing.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::voice {

const char* to_string(SipTransport t) noexcept {
    switch (t) {
        case SipTransport::Udp:
            return "udp";
        case SipTransport::Tcp:
            return "tcp";
        case SipTransport::Tls:
            return "tls";
    }
    return "udp";
}

bool parse_sip_transport(std::string_view text, SipTransport& out) noexcept {
    for (auto t : {SipTransport::Udp, SipTransport::Tcp, SipTransport::Tls})
        if (text == to_string(t)) {
            out = t;
            return true;
        }
    return false;
}

const char* to_string(RoutingStrategy s) noexcept {
    switch (s) {
        case RoutingStrategy::LeastCost:
            return "least_cost";
        case RoutingStrategy::Quality:
            return "quality";
        case RoutingStrategy::Priority:
            return "priority";
        case RoutingStrategy::Weight:
            return "weight";
        case RoutingStrategy::LoadShare:
            return "load_share";
    }
    return "least_cost";
}

bool parse_routing_strategy(std::string_view text, RoutingStrategy& out) noexcept {
    for (auto s : {RoutingStrategy::LeastCost, RoutingStrategy::Quality, RoutingStrategy::Priority,
                   RoutingStrategy::Weight, RoutingStrategy::LoadShare})
        if (text == to_string(s)) {
            out = s;
            return true;
        }
    return false;
}

const char* to_string(MarginGuardMode m) noexcept {
    return m == MarginGuardMode::Skip ? "skip" : "reject";
}

bool parse_margin_guard_mode(std::string_view text, MarginGuardMode& out) noexcept {
    if (text == "skip") {
        out = MarginGuardMode::Skip;
        return true;
    }
    if (text == "reject") {
        out = MarginGuardMode::Reject;
        return true;
    }
    return false;
}

bool valid_header_name(std::string_view name) noexcept {
    static constexpr std::string_view kExtra = "-.!%*_+`'~";
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               kExtra.find(ch) != std::string_view::npos;
    });
}

namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

Result<void> check_range(const std::string& field, std::int64_t v, std::int64_t lo,
                         std::int64_t hi) {
    if (v < lo || v > hi)
        return fail(Errc::Invalid, field, fmt::format("must be {} to {}", lo, hi));
    return {};
}

template <class Item>
Result<void> check_id(const Item& item) {
    if (!valid_voice_id(item.id()))
        return fail(Errc::Invalid, Item::kIdKey, "must be [a-z0-9_-]{1,32}");
    return {};
}

/// Shares of a load_share route: they must sum to 100.
Result<void> check_shares(const Route& r, const char* field) {
    if (r.blocked) return {};
    std::int64_t sum = 0;
    for (const auto& e : r.carriers) sum += e.share_percent;
    if (sum != 100)
        return fail(Errc::Rejected, field,
                    fmt::format("route '{}': the load_share percentages sum to {}, not 100",
                                r.route_id, sum));
    return {};
}

Result<void> carrier_usable(const ReferenceState& ref, const std::string& carrier_id,
                            const std::string& field) {
    const auto& m = ref.items<Carrier>();
    auto it = m.find(carrier_id);
    if (it == m.end())
        return fail(Errc::NotFound, field, fmt::format("carrier '{}' does not exist", carrier_id));
    if (it->second.retired)
        return fail(Errc::Rejected, field, fmt::format("carrier '{}' is retired", carrier_id));
    return {};
}

Result<void> check_against(const RoutingState&, const ReferenceState& ref, const Gateway& g) {
    return carrier_usable(ref, g.carrier_id, "carrier_id");
}

Result<void> check_against(const RoutingState& s, const ReferenceState& ref, const Route& r) {
    const RouteGroup* group = nullptr;
    if (!r.route_group_id.empty()) {
        auto it = s.route_groups.find(r.route_group_id);
        if (it == s.route_groups.end())
            return fail(Errc::NotFound, "route_group_id",
                        fmt::format("route group '{}' does not exist", r.route_group_id));
        group = &it->second;
    }
    for (std::size_t i = 0; i < r.carriers.size(); ++i)
        SY_TRY(carrier_usable(ref, r.carriers[i].carrier_id,
                              fmt::format("carriers[{}].carrier_id", i)));
    for (const auto& [id, other] : s.routes)
        if (id != r.route_id && other.route_group_id == r.route_group_id &&
            other.prefix == r.prefix && other.blocked == r.blocked)
            return fail(
                Errc::Conflict, "prefix",
                fmt::format("route '{}' already has prefix '{}' in this group", id, r.prefix));
    if (group && group->strategy == RoutingStrategy::LoadShare) SY_TRY(check_shares(r, "carriers"));
    return {};
}

Result<void> check_against(const RoutingState& s, const ReferenceState&, const RouteGroup& g) {
    if (g.strategy != RoutingStrategy::LoadShare) return {};
    for (const auto& [id, r] : s.routes)
        if (r.route_group_id == g.route_group_id) SY_TRY(check_shares(r, "strategy"));
    return {};
}

}  // namespace

Result<void> check_item(const Gateway& g) {
    SY_TRY(check_id(g));
    if (!valid_voice_id(g.carrier_id))
        return fail(Errc::Invalid, "carrier_id", "must be [a-z0-9_-]{1,32}");
    if (g.host.size() > 253 || (!vpn::is_hostname(g.host) && !vpn::is_ip_address(g.host)))
        return fail(Errc::Invalid, "host", "must be a DNS name or an IP address (no port)");
    SY_TRY(check_range("port", g.port, 1, 65535));
    if (!g.dst_uri.empty()) {
        const bool scheme = g.dst_uri.starts_with("sip:") || g.dst_uri.starts_with("sips:");
        const bool clean = std::none_of(g.dst_uri.begin(), g.dst_uri.end(), [](char ch) {
            return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f;
        });
        if (!scheme || !clean || g.dst_uri.size() > 256 || g.dst_uri.size() < 6)
            return fail(Errc::Invalid, "dst_uri",
                        "must be a sip: or sips: URI of at most 256 bytes without blanks");
    }
    if (g.headers.size() > 16) return fail(Errc::Invalid, "headers", "must list 0 to 16 headers");
    for (std::size_t i = 0; i < g.headers.size(); ++i) {
        const auto& h = g.headers[i];
        if (!valid_header_name(h.name))
            return fail(Errc::Invalid, fmt::format("headers[{}].name", i),
                        "must be an RFC 3261 token of 1 to 64 characters");
        const bool clean = std::none_of(h.value.begin(), h.value.end(), [](char ch) {
            const auto u = static_cast<unsigned char>(ch);
            return (u < 0x20 && ch != '\t') || u == 0x7f;
        });
        if (!clean || h.value.size() > 256 || !is_valid_utf8(h.value))
            return fail(Errc::Invalid, fmt::format("headers[{}].value", i),
                        "must be at most 256 bytes without CR, LF or control characters");
    }
    SY_TRY(check_range("max_channels", g.max_channels, 0, 1'000'000));
    if (g.ring_timeout_ms != 0)
        SY_TRY(check_range("ring_timeout_ms", g.ring_timeout_ms, 1000, 300'000));
    SY_TRY(check_range("weight", g.weight, 0, 65535));
    return {};
}

Result<void> check_item(const Route& r) {
    SY_TRY(check_id(r));
    if (!r.route_group_id.empty() && !valid_voice_id(r.route_group_id))
        return fail(Errc::Invalid, "route_group_id", "must be [a-z0-9_-]{1,32}");
    if (r.route_group_id.empty() && !r.blocked)
        return fail(Errc::Invalid, "route_group_id", "is required unless the route is blocked");
    if (r.prefix.size() > 16 || !all_digits(r.prefix))
        return fail(Errc::Invalid, "prefix", "must be 0 to 16 digits");
    if (r.blocked) {
        if (!r.carriers.empty())
            return fail(Errc::Invalid, "carriers", "must be empty for a blocked route");
        return {};
    }
    if (r.carriers.empty() || r.carriers.size() > 32)
        return fail(Errc::Invalid, "carriers", "must list 1 to 32 carriers");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < r.carriers.size(); ++i) {
        const auto& e = r.carriers[i];
        const auto at = fmt::format("carriers[{}].", i);
        if (!valid_voice_id(e.carrier_id))
            return fail(Errc::Invalid, at + "carrier_id", "must be [a-z0-9_-]{1,32}");
        if (!seen.insert(e.carrier_id).second)
            return fail(Errc::Invalid, at + "carrier_id", "is listed twice");
        SY_TRY(check_range(at + "priority", e.priority, 0, 1000));
        SY_TRY(check_range(at + "weight", e.weight, 0, 65535));
        SY_TRY(check_range(at + "share_percent", e.share_percent, 0, 100));
    }
    return {};
}

Result<void> check_item(const RouteGroup& g) {
    SY_TRY(check_id(g));
    if (g.name.empty() || g.name.size() > 64 || !is_valid_utf8(g.name) || has_control_chars(g.name))
        return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    SY_TRY(check_range("max_attempts", g.max_attempts, 1, 10));
    SY_TRY(check_range("min_margin_micros", g.min_margin_micros, 0, 1'000'000'000));
    return {};
}

void evolve(RoutingState& state, const RoutingEvent& event) {
    std::visit(
        [&]<class E>(const E& e) {
            if constexpr (requires { e.item; }) {
                using Item = std::decay_t<decltype(e.item)>;
                state.items<Item>()[e.item.id()] = e.item;
            } else {
                [&]<class Item>(const ItemRetired<Item>& d) { state.items<Item>().erase(d.id); }(e);
            }
        },
        event);
}

template <class Item>
Result<std::vector<RoutingEvent>> decide(const RoutingState& s, const ReferenceState& ref,
                                         const DefineRoutingItem<Item>& c, const DecisionContext&) {
    SY_TRY(check_item(c.item));
    const auto& m = s.items<Item>();
    auto it = m.find(c.item.id());
    if (c.mode == RoutingDefineMode::Create) {
        if (it != m.end()) {
            if (it->second == c.item) return std::vector<RoutingEvent>{};
            return fail(Errc::Conflict, Item::kIdKey,
                        fmt::format("{} '{}' already exists", Item::kKind, c.item.id()));
        }
    } else {
        if (it == m.end())
            return fail(Errc::NotFound, Item::kIdKey,
                        fmt::format("{} '{}' does not exist", Item::kKind, c.item.id()));
        if (it->second == c.item) return std::vector<RoutingEvent>{};
    }
    SY_TRY(check_against(s, ref, c.item));
    return std::vector<RoutingEvent>{ItemDefined<Item>{c.item}};
}

template <class Item>
Result<std::vector<RoutingEvent>> decide(const RoutingState& s, const DeleteRoutingItem<Item>& c,
                                         const DecisionContext&) {
    const auto& m = s.items<Item>();
    if (m.find(c.id) == m.end())
        return fail(Errc::NotFound, Item::kIdKey,
                    fmt::format("{} '{}' does not exist", Item::kKind, c.id));
    if constexpr (std::is_same_v<Item, RouteGroup>) {
        for (const auto& [id, r] : s.routes)
            if (r.route_group_id == c.id)
                return fail(Errc::Rejected, "route_group_id",
                            fmt::format("route group '{}' still has route '{}'", c.id, id));
    }
    return std::vector<RoutingEvent>{ItemRetired<Item>{c.id}};
}

#define SY_VOICE_ROUTING_DECIDERS(Item)                                                           \
    template Result<std::vector<RoutingEvent>> decide(const RoutingState&, const ReferenceState&, \
                                                      const DefineRoutingItem<Item>&,             \
                                                      const DecisionContext&);                    \
    template Result<std::vector<RoutingEvent>> decide(                                            \
        const RoutingState&, const DeleteRoutingItem<Item>&, const DecisionContext&);

SY_VOICE_ROUTING_DECIDERS(Gateway)
SY_VOICE_ROUTING_DECIDERS(Route)
SY_VOICE_ROUTING_DECIDERS(RouteGroup)

#undef SY_VOICE_ROUTING_DECIDERS

}  // namespace switchyard::core::voice
