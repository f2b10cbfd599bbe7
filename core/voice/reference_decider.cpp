#include "core/voice/reference_decider.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/voice/reference_codes.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::voice {

const char* to_string(CarrierStatus s) noexcept {
    return s == CarrierStatus::Active ? "active" : "suspended";
}

bool parse_carrier_status(std::string_view text, CarrierStatus& out) noexcept {
    if (text == "active") {
        out = CarrierStatus::Active;
        return true;
    }
    if (text == "suspended") {
        out = CarrierStatus::Suspended;
        return true;
    }
    return false;
}

bool valid_voice_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

bool valid_host_port(std::string_view text, bool need_port) noexcept {
    std::string_view host = text, port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return false;
        host = text.substr(1, close - 1);
        const auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            port = rest.substr(1);
            if (port.empty()) return false;
        }
        if (host.find(':') == std::string_view::npos || !vpn::is_ip_address(host)) return false;
    } else {
        const auto colon = text.find(':');
        if (colon != std::string_view::npos) {
            if (text.find(':', colon + 1) != std::string_view::npos) return false;  // bare IPv6
            host = text.substr(0, colon);
            port = text.substr(colon + 1);
            if (port.empty()) return false;
        }
        if (!vpn::is_hostname(host) && !vpn::is_ip_address(host)) return false;
    }
    if (port.empty()) return !need_port;
    int n = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    return ec == std::errc() && p == port.data() + port.size() && n >= 1 && n <= 65535;
}

bool valid_tech_prefix(std::string_view text) noexcept {
    return !text.empty() && text.size() <= 16 && std::all_of(text.begin(), text.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || ch == '#' || ch == '*';
    });
}

namespace {

bool valid_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && is_valid_utf8(s) && !has_control_chars(s);
}

bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

template <class Item>
Result<void> check_id_and_name(const Item& item) {
    if (!valid_voice_id(item.id()))
        return fail(Errc::Invalid, Item::kIdKey, "must be [a-z0-9_-]{1,32}");
    if (!valid_name(item.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    return {};
}

Result<void> check_range(const char* field, std::int64_t v, std::int64_t lo, std::int64_t hi) {
    if (v < lo || v > hi)
        return fail(Errc::Invalid, field, fmt::format("must be {} to {}", lo, hi));
    return {};
}

/// The field names in an error raised for the `i`-th item of a list get the list's prefix.
Error prefixed(Error e, const std::string& prefix) {
    e.field = prefix + e.field;
    return e;
}

template <class Item>
Result<void> check_against(const ReferenceState&, const Item&) {
    return {};
}

Result<void> check_against(const ReferenceState& s, const CodecSet& set) {
    for (const auto& codec : set.codecs) {
        const auto& codecs = s.items<Codec>();
        auto it = codecs.find(codec);
        if (it == codecs.end())
            return fail(Errc::NotFound, "codecs", fmt::format("codec '{}' does not exist", codec));
        if (it->second.retired)
            return fail(Errc::Rejected, "codecs", fmt::format("codec '{}' is retired", codec));
    }
    return {};
}

}  // namespace

Result<void> check_item(const Pop& p) {
    SY_TRY(check_id_and_name(p));
    if (!valid_text(p.region, 64))
        return fail(Errc::Invalid, "region", "must be at most 64 printable characters");
    if (p.sip_addresses.empty() || p.sip_addresses.size() > 16)
        return fail(Errc::Invalid, "sip_addresses", "must list 1 to 16 host:port addresses");
    for (const auto& a : p.sip_addresses)
        if (!valid_host_port(a, true))
            return fail(Errc::Invalid, "sip_addresses",
                        fmt::format("'{}' is not host:port (port 1 to 65535)", a));
    return {};
}

Result<void> check_item(const VoiceTier& t) {
    SY_TRY(check_id_and_name(t));
    if (!valid_text(t.description, 512))
        return fail(Errc::Invalid, "description", "must be at most 512 printable characters");
    SY_TRY(check_range("asr_percent", t.asr_percent, 0, 100));
    SY_TRY(check_range("acd_seconds", t.acd_seconds, 0, 86400));
    SY_TRY(check_range("pdd_ms", t.pdd_ms, 0, 600000));
    SY_TRY(check_range("display_order", t.display_order, 0, 1000000));
    return {};
}

Result<void> check_item(const Codec& c) {
    SY_TRY(check_id_and_name(c));
    SY_TRY(check_range("payload_type", c.payload_type, 0, 127));
    SY_TRY(check_range("clock_rate", c.clock_rate, 1, 1000000));
    return {};
}

Result<void> check_item(const CodecSet& c) {
    SY_TRY(check_id_and_name(c));
    if (c.codecs.empty() || c.codecs.size() > 16)
        return fail(Errc::Invalid, "codecs", "must list 1 to 16 codec ids");
    std::set<std::string> seen;
    for (const auto& id : c.codecs) {
        if (!valid_voice_id(id))
            return fail(Errc::Invalid, "codecs", fmt::format("'{}' is not a codec id", id));
        if (!seen.insert(id).second)
            return fail(Errc::Invalid, "codecs", fmt::format("'{}' is listed twice", id));
    }
    return {};
}

Result<void> check_item(const ChannelPlan& p) {
    SY_TRY(check_id_and_name(p));
    SY_TRY(check_range("channels", p.channels, 1, 1000000));
    SY_TRY(check_range("cps", p.cps, 1, 100000));
    return {};
}

Result<void> check_item(const Carrier& c) {
    SY_TRY(check_id_and_name(c));
    if (c.trunk_hosts.empty() || c.trunk_hosts.size() > 16)
        return fail(Errc::Invalid, "trunk_hosts", "must list 1 to 16 hosts");
    for (const auto& h : c.trunk_hosts)
        if (!valid_host_port(h, false))
            return fail(Errc::Invalid, "trunk_hosts",
                        fmt::format("'{}' is not a host or host:port", h));
    if (!is_iso4217(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as USD or EUR");
    if (!c.tech_prefix.empty() && !valid_tech_prefix(c.tech_prefix))
        return fail(Errc::Invalid, "tech_prefix", "must be 1 to 16 of 0-9, # and *");
    return {};
}

void evolve(ReferenceState& state, const ReferenceEvent& event) {
    std::visit(
        [&]<class E>(const E& e) {
            if constexpr (requires { e.item; }) {
                using Item = std::decay_t<decltype(e.item)>;
                if constexpr (std::is_same_v<Item, VoiceTier>) state.tiers_ever_defined = true;
                state.items<Item>()[e.item.id()] = Entry<Item>{e.item, false};
            } else {
                // ItemRetired<Item>: find Item from the event's type.
                [&]<class Item>(const ItemRetired<Item>& r) {
                    auto& m = state.items<Item>();
                    if (auto it = m.find(r.id); it != m.end()) it->second.retired = true;
                }(e);
            }
        },
        event);
}

template <class Item>
Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const DefineItem<Item>& c,
                                           const DecisionContext&) {
    SY_TRY(check_item(c.item));
    const auto& m = s.items<Item>();
    auto it = m.find(c.item.id());
    if (c.mode == DefineMode::Create) {
        if (it != m.end()) {
            if (!it->second.retired && it->second.item == c.item)
                return std::vector<ReferenceEvent>{};
            return fail(Errc::Conflict, Item::kIdKey,
                        fmt::format("{} '{}' already exists{}", Item::kKind, c.item.id(),
                                    it->second.retired ? " (retired)" : ""));
        }
    } else {
        if (it == m.end())
            return fail(Errc::NotFound, Item::kIdKey,
                        fmt::format("{} '{}' does not exist", Item::kKind, c.item.id()));
        if (it->second.retired)
            return fail(Errc::Rejected, Item::kIdKey,
                        fmt::format("{} '{}' is retired", Item::kKind, c.item.id()));
        if (it->second.item == c.item) return std::vector<ReferenceEvent>{};
    }
    SY_TRY(check_against(s, c.item));
    return std::vector<ReferenceEvent>{ItemDefined<Item>{c.item}};
}

template <class Item>
Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const RetireItem<Item>& c,
                                           const DecisionContext&) {
    const auto& m = s.items<Item>();
    auto it = m.find(c.id);
    if (it == m.end())
        return fail(Errc::NotFound, Item::kIdKey,
                    fmt::format("{} '{}' does not exist", Item::kKind, c.id));
    if (it->second.retired) return std::vector<ReferenceEvent>{};
    return std::vector<ReferenceEvent>{ItemRetired<Item>{c.id}};
}

Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const SeedTiers& c,
                                           const DecisionContext&) {
    std::vector<ReferenceEvent> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < c.tiers.size(); ++i) {
        const auto prefix = fmt::format("tiers[{}].", i);
        auto ok = check_item(c.tiers[i]);
        if (!ok) return tl::unexpected(prefixed(ok.error(), prefix));
        if (!seen.insert(c.tiers[i].tier_id).second)
            return fail(Errc::Invalid, prefix + "tier_id", "is listed twice");
        if (!s.tiers_ever_defined) out.push_back(ItemDefined<VoiceTier>{c.tiers[i]});
    }
    return out;
}

#define SY_VOICE_REFERENCE_DECIDERS(Item)                                        \
    template Result<std::vector<ReferenceEvent>> decide(                         \
        const ReferenceState&, const DefineItem<Item>&, const DecisionContext&); \
    template Result<std::vector<ReferenceEvent>> decide(                         \
        const ReferenceState&, const RetireItem<Item>&, const DecisionContext&);

SY_VOICE_REFERENCE_DECIDERS(Pop)
SY_VOICE_REFERENCE_DECIDERS(VoiceTier)
SY_VOICE_REFERENCE_DECIDERS(Codec)
SY_VOICE_REFERENCE_DECIDERS(CodecSet)
SY_VOICE_REFERENCE_DECIDERS(ChannelPlan)
SY_VOICE_REFERENCE_DECIDERS(Carrier)

#undef SY_VOICE_REFERENCE_DECIDERS

}  // namespace switchyard::core::voice
