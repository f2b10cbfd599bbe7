#pragma once
/// The voice module's reference data (DIDTron phase 3): POPs, voice tiers, codecs and codec
/// sets, channel/CPS plans, and carriers. One aggregate per tenant, `voice_reference-<tenant>`;
/// every item is data appended as events (`voice.<kind>.defined` with all its fields,
/// `voice.<kind>.retired`), editable through the API. A retired item stays in the state (old
/// assignments and CDRs still name it) but is no longer offered: it cannot be assigned again.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace switchyard::core::voice {

/// A point of presence: where customers send their SIP traffic.
struct Pop {
    static constexpr std::string_view kKind = "pop";
    static constexpr std::string_view kDefinedType = "voice.pop.defined";
    static constexpr std::string_view kRetiredType = "voice.pop.retired";
    static constexpr const char* kIdKey = "pop_id";
    std::string pop_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `fra1`.
    std::string name;    ///< e.g. `Frankfurt 1`.
    std::string region;  ///< Free text, e.g. `eu-central`; at most 64 characters.
    /// SIP signalling addresses, `host:port` (a DNS name or IP address, port 1 to 65535; an
    /// IPv6 address in brackets: `[2001:db8::1]:5060`). At least one, at most 16.
    std::vector<std::string> sip_addresses;
    const std::string& id() const { return pop_id; }
    friend bool operator==(const Pop&, const Pop&) = default;
};

/// A voice quality tier (DIDTron "Voice Termination (4 quality tiers)"). The quality targets
/// are the attributes of DIDTron's `voice_tiers` table: minimum ASR, minimum ACD, maximum PDD.
struct VoiceTier {
    static constexpr std::string_view kKind = "voice_tier";
    static constexpr std::string_view kDefinedType = "voice.tier.defined";
    static constexpr std::string_view kRetiredType = "voice.tier.retired";
    static constexpr const char* kIdKey = "tier_id";
    std::string tier_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `premium`.
    std::string name;     ///< e.g. `Premium`.
    std::string description;
    std::int64_t asr_percent = 0;  ///< Target answer-seizure ratio, 0 to 100 (percent).
    std::int64_t acd_seconds = 0;  ///< Target average call duration, seconds, 0 or more.
    std::int64_t pdd_ms = 0;       ///< Target post-dial delay at most, milliseconds, 0 or more.
    std::int64_t display_order = 0;
    const std::string& id() const { return tier_id; }
    friend bool operator==(const VoiceTier&, const VoiceTier&) = default;
};

/// An audio codec as SDP names it (RFC 3551 table 4 for the static payload types).
struct Codec {
    static constexpr std::string_view kKind = "codec";
    static constexpr std::string_view kDefinedType = "voice.codec.defined";
    static constexpr std::string_view kRetiredType = "voice.codec.retired";
    static constexpr const char* kIdKey = "codec_id";
    std::string codec_id;            ///< `[a-z0-9_-]{1,32}`, e.g. `pcmu`.
    std::string name;                ///< The SDP encoding name, e.g. `PCMU`, `G729`, `opus`.
    std::int64_t payload_type = 0;   ///< RTP payload type, 0 to 127 (96-127 dynamic).
    std::int64_t clock_rate = 8000;  ///< RTP clock rate in Hz, 1 or more (8000 for PCMU).
    const std::string& id() const { return codec_id; }
    friend bool operator==(const Codec&, const Codec&) = default;
};

/// A named list of codecs, in order of preference.
struct CodecSet {
    static constexpr std::string_view kKind = "codec_set";
    static constexpr std::string_view kDefinedType = "voice.codec_set.defined";
    static constexpr std::string_view kRetiredType = "voice.codec_set.retired";
    static constexpr const char* kIdKey = "codec_set_id";
    std::string codec_set_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `g711`.
    std::string name;
    std::vector<std::string> codecs;  ///< Codec ids, each defined and not retired; 1 to 16.
    const std::string& id() const { return codec_set_id; }
    friend bool operator==(const CodecSet&, const CodecSet&) = default;
};

/// A channel/CPS plan: how many calls a customer may hold at once and start per second.
struct ChannelPlan {
    static constexpr std::string_view kKind = "channel_plan";
    static constexpr std::string_view kDefinedType = "voice.channel_plan.defined";
    static constexpr std::string_view kRetiredType = "voice.channel_plan.retired";
    static constexpr const char* kIdKey = "channel_plan_id";
    std::string channel_plan_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `c30`.
    std::string name;
    std::int64_t channels = 0;  ///< Concurrent calls, 1 to 1,000,000.
    std::int64_t cps = 0;       ///< Calls per second, 1 to 100,000.
    const std::string& id() const { return channel_plan_id; }
    friend bool operator==(const ChannelPlan&, const ChannelPlan&) = default;
};

/// Whether a carrier takes traffic. Wire names `active`, `suspended`; a retired carrier
/// (`voice.carrier.retired`) shows as `retired`.
enum class CarrierStatus { Active, Suspended };
const char* to_string(CarrierStatus s) noexcept;
bool parse_carrier_status(std::string_view text, CarrierStatus& out) noexcept;

/// A carrier (a supplier of termination): where calls to it go and in which currency it bills.
/// Its buy decks reference it by `carrier_id`.
struct Carrier {
    static constexpr std::string_view kKind = "carrier";
    static constexpr std::string_view kDefinedType = "voice.carrier.defined";
    static constexpr std::string_view kRetiredType = "voice.carrier.retired";
    static constexpr const char* kIdKey = "carrier_id";
    std::string carrier_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `acme`.
    std::string name;
    /// SIP trunk hosts, `host` or `host:port` (DNS name or IP address); 1 to 16.
    std::vector<std::string> trunk_hosts;
    std::string currency;     ///< ISO 4217, e.g. `USD`.
    std::string tech_prefix;  ///< Digits (and `#`, `*`) put before the number; may be empty.
    CarrierStatus status = CarrierStatus::Active;
    const std::string& id() const { return carrier_id; }
    friend bool operator==(const Carrier&, const Carrier&) = default;
};

// ---- events ----

/// An item was created or replaced (all its fields).
template <class Item>
struct ItemDefined {
    static constexpr std::string_view kType = Item::kDefinedType;
    Item item;
};
/// An item was retired: kept for history, no longer offered.
template <class Item>
struct ItemRetired {
    static constexpr std::string_view kType = Item::kRetiredType;
    std::string id;  ///< Written under Item::kIdKey.
};

using ReferenceEvent =
    std::variant<ItemDefined<Pop>, ItemRetired<Pop>, ItemDefined<VoiceTier>, ItemRetired<VoiceTier>,
                 ItemDefined<Codec>, ItemRetired<Codec>, ItemDefined<CodecSet>,
                 ItemRetired<CodecSet>, ItemDefined<ChannelPlan>, ItemRetired<ChannelPlan>,
                 ItemDefined<Carrier>, ItemRetired<Carrier>>;

/// One item and whether it was retired.
template <class Item>
struct Entry {
    Item item;
    bool retired = false;
    friend bool operator==(const Entry&, const Entry&) = default;
};
template <class Item>
using Items = std::map<std::string, Entry<Item>>;

struct ReferenceState {
    bool tiers_ever_defined = false;  ///< The default tiers are seeded only into an empty list.
    std::tuple<Items<Pop>, Items<VoiceTier>, Items<Codec>, Items<CodecSet>, Items<ChannelPlan>,
               Items<Carrier>>
        all;

    template <class Item>
    Items<Item>& items() {
        return std::get<Items<Item>>(all);
    }
    template <class Item>
    const Items<Item>& items() const {
        return std::get<Items<Item>>(all);
    }
    /// The item `id` when it exists and is not retired; else null.
    template <class Item>
    const Item* live(const std::string& id) const {
        const auto& m = items<Item>();
        auto it = m.find(id);
        return it == m.end() || it->second.retired ? nullptr : &it->second.item;
    }
};

inline std::string reference_stream(const std::string& tenant) {
    return "voice_reference-" + tenant;
}

/// True for an item, category or group id: `[a-z0-9_-]{1,32}`.
bool valid_voice_id(std::string_view id) noexcept;

}  // namespace switchyard::core::voice
