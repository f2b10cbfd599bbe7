#pragma once
/// Customer SIP trunks (issue 14; DIDTron customer SIP trunks, MagnusBilling per-customer CPS):
/// how an INVITE from a customer is recognised and what rules apply to it. One aggregate per
/// tenant, `voice_trunks-<tenant>`, so that the uniqueness rules (no source address of one
/// customer's trunk overlaps another customer's, digest usernames unique) are decided against
/// every trunk at once.
///
/// A trunk authenticates by source address (`source_ips`: addresses or CIDR blocks, IPv4 or
/// IPv6), by SIP digest (`username`, RFC 3261 §22.4 / RFC 2617), or both (then the INVITE must
/// come from one of its addresses and carry the digest). The digest password is never stored:
/// the trunk keeps HA1 = lowercase hex MD5(`username:realm:password`) (RFC 2617 §3.2.2.2),
/// sealed under the master key, for the realm it was computed for. Changing the username clears
/// the HA1 (it depends on the username); a new realm needs a new password.
///
/// The customer's channel/CPS plan, voice tier, codec set, route group, POP and rate card come
/// from the assignment system (core/voice/assignment.hpp); a trunk only narrows them.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::voice {

/// What happens to an INVITE whose caller (CLI) is outside the trunk's allowed ranges.
/// Wire names `reject` (403 `cli_not_allowed`), `replace` (the trunk's default CLI is used).
enum class CliPolicy { Reject, Replace };
const char* to_string(CliPolicy p) noexcept;
bool parse_cli_policy(std::string_view text, CliPolicy& out) noexcept;

/// What the carrier leg gets as P-Asserted-Identity (RFC 3325). Wire names `pass` (the
/// customer's PAI as sent), `strip` (none), `set` (the trunk's default CLI).
enum class PaiPolicy { Pass, Strip, Set };
const char* to_string(PaiPolicy p) noexcept;
bool parse_pai_policy(std::string_view text, PaiPolicy& out) noexcept;

/// Whether a trunk takes calls. Wire names `active`, `disabled`.
enum class TrunkStatus { Active, Disabled };
const char* to_string(TrunkStatus s) noexcept;
bool parse_trunk_status(std::string_view text, TrunkStatus& out) noexcept;

/// A customer SIP trunk.
struct Trunk {
    std::string trunk_id;  ///< `[a-z0-9_-]{1,32}`, unique per tenant.
    std::int64_t customer_id = 0;
    std::string name;  ///< 1 to 64 characters.
    /// IP authentication: addresses or CIDR blocks (IPv4, IPv6), 0 to 64. A bare address is a
    /// /32 (/128) block. None may overlap a block of another customer's trunk, nor equal a block
    /// of another trunk.
    std::vector<std::string> source_ips;
    /// Digest authentication: the SIP username, `[A-Za-z0-9_.@+-]{1,64}`, unique per tenant;
    /// empty for an IP-only trunk. At least one of `source_ips` and `username` is set.
    std::string username;
    std::string tech_prefix;  ///< Stripped from the dialled number; `[0-9#*]{1,16}` or empty.
    /// Allowed caller-ID ranges: E.164 prefixes (digits, no `+`); empty = any caller.
    std::vector<std::string> cli_prefixes;
    CliPolicy cli_policy = CliPolicy::Reject;
    /// The CLI used by `replace` and PAI `set`: E.164 digits, no `+`; may be empty (then
    /// `replace` and `set` are refused by the decider).
    std::string default_cli;
    PaiPolicy pai_policy = PaiPolicy::Pass;
    /// Allowed codecs: a codec set of the reference data; empty = the customer's effective codec
    /// set (none assigned: not checked).
    std::string codec_set_id;
    std::int64_t channels = 0;  ///< Concurrent calls on this trunk; 0 = only the customer's.
    std::int64_t cps = 0;       ///< Calls per second on this trunk; 0 = only the customer's.
    std::string pop_id;         ///< A POP of the reference data; empty = the customer's.
    TrunkStatus status = TrunkStatus::Active;
    Timestamp created_at{};
    friend bool operator==(const Trunk&, const Trunk&) = default;
};

/// The digest credential of a trunk: HA1 sealed under the master key, for one realm.
struct TrunkCredential {
    std::string username;    ///< The username the HA1 was computed with.
    std::string realm;       ///< The realm the HA1 was computed for.
    std::string ha1_sealed;  ///< `sy1:...` (events/secret_box.hpp); never the clear HA1.
    friend bool operator==(const TrunkCredential&, const TrunkCredential&) = default;
};

/// An IPv4 or IPv6 address literal, parsed once (identify() compares it with every block).
struct IpAddress {
    bool v6 = false;
    unsigned char bytes[16]{};  ///< Big-endian; IPv4 uses the first 4 bytes.
    /// @returns none when `text` is not an address literal.
    static std::optional<IpAddress> parse(std::string_view text);
};

/// An IPv4 or IPv6 block parsed from an address (`192.0.2.7`, a /32) or a CIDR
/// (`192.0.2.0/24`, `2001:db8::/32`). Host bits must be zero.
struct IpBlock {
    bool v6 = false;
    unsigned char base[16]{};  ///< Network address, big-endian; IPv4 uses the first 4 bytes.
    int prefix = 0;            ///< 0..32 (IPv4) or 0..128 (IPv6).
    /// @returns none with `error` set when `text` is neither an address nor a CIDR block.
    static std::optional<IpBlock> parse(std::string_view text, std::string& error);
    /// True when `address` (a literal of the same family) lies in the block.
    bool contains(std::string_view address) const;
    /// True when `address` is of the block's family and lies in it.
    bool contains(const IpAddress& address) const noexcept;
    /// True when the blocks share an address (same family, one contains the other).
    bool overlaps(const IpBlock& other) const noexcept;
    friend bool operator==(const IpBlock& a, const IpBlock& b) noexcept;
};

// ---- events (stream `voice_trunks-<tenant>`) ----

/// A trunk was created or replaced (all fields after the change).
struct TrunkDefined {
    static constexpr std::string_view kType = "voice.trunk.defined";
    Trunk trunk;
    std::string command_id;  ///< The creating request (a retry with it defines nothing).
};
/// A trunk's digest password was set: only its sealed HA1 is recorded.
struct TrunkPasswordSet {
    static constexpr std::string_view kType = "voice.trunk.password_set";
    std::string trunk_id;
    TrunkCredential credential;
};
/// A trunk was removed; its id, addresses and username are free again.
struct TrunkRemoved {
    static constexpr std::string_view kType = "voice.trunk.removed";
    std::string trunk_id;
};

using TrunkEvent = std::variant<TrunkDefined, TrunkPasswordSet, TrunkRemoved>;

/// One trunk as the log has it.
struct TrunkEntry {
    Trunk trunk;
    std::optional<TrunkCredential> credential;  ///< None until a password is set.
};

struct TrunkState {
    std::map<std::string, TrunkEntry> trunks;      ///< By trunk id.
    std::map<std::string, std::string> usernames;  ///< Digest username -> trunk id.
    std::map<std::string, std::string> commands;   ///< Creating command id -> trunk id.
    std::set<std::string> removed;                 ///< Ids removed and not defined again.
    std::int64_t version = 0;                      ///< Events folded so far.
};

inline std::string trunks_stream(const std::string& tenant) { return "voice_trunks-" + tenant; }

}  // namespace switchyard::core::voice
