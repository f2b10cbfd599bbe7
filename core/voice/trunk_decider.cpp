#include "core/voice/trunk_decider.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::voice {

const char* to_string(CliPolicy p) noexcept {
    return p == CliPolicy::Reject ? "reject" : "replace";
}
bool parse_cli_policy(std::string_view text, CliPolicy& out) noexcept {
    if (text == "reject") {
        out = CliPolicy::Reject;
        return true;
    }
    if (text == "replace") {
        out = CliPolicy::Replace;
        return true;
    }
    return false;
}

const char* to_string(PaiPolicy p) noexcept {
    switch (p) {
        case PaiPolicy::Pass:
            return "pass";
        case PaiPolicy::Strip:
            return "strip";
        case PaiPolicy::Set:
            return "set";
    }
    return "pass";
}
bool parse_pai_policy(std::string_view text, PaiPolicy& out) noexcept {
    if (text == "pass") {
        out = PaiPolicy::Pass;
        return true;
    }
    if (text == "strip") {
        out = PaiPolicy::Strip;
        return true;
    }
    if (text == "set") {
        out = PaiPolicy::Set;
        return true;
    }
    return false;
}

const char* to_string(TrunkStatus s) noexcept {
    return s == TrunkStatus::Active ? "active" : "disabled";
}
bool parse_trunk_status(std::string_view text, TrunkStatus& out) noexcept {
    if (text == "active") {
        out = TrunkStatus::Active;
        return true;
    }
    if (text == "disabled") {
        out = TrunkStatus::Disabled;
        return true;
    }
    return false;
}

// ---- IpBlock ----

namespace {

/// True when the first `bits` bits of `a` and `b` are equal.
bool same_prefix(const unsigned char* a, const unsigned char* b, int bits) {
    const int bytes = bits / 8;
    if (std::memcmp(a, b, static_cast<std::size_t>(bytes)) != 0) return false;
    const int rest = bits % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

/// Parses an address literal of either family into `out` (16 bytes); sets `v6`.
bool parse_address(std::string_view text, unsigned char* out, bool& v6) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
    const std::string s(text);
    if (inet_pton(AF_INET, s.c_str(), out) == 1) {
        v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, s.c_str(), out) == 1) {
        v6 = true;
        return true;
    }
    return false;
}

}  // namespace

std::optional<IpBlock> IpBlock::parse(std::string_view text, std::string& error) {
    IpBlock b;
    const auto slash = text.find('/');
    const auto addr = text.substr(0, slash);
    if (!parse_address(addr, b.base, b.v6)) {
        error = fmt::format("'{}' is not an IP address or CIDR block", text);
        return std::nullopt;
    }
    const int max = b.v6 ? 128 : 32;
    b.prefix = max;
    if (slash != std::string_view::npos) {
        const auto p = text.substr(slash + 1);
        int n = -1;
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
        if (p.empty() || p.size() > 3 || ec != std::errc{} || end != p.data() + p.size() || n < 0 ||
            n > max) {
            error = fmt::format("'{}' has no prefix length 0 to {}", text, max);
            return std::nullopt;
        }
        b.prefix = n;
    }
    for (int bit = b.prefix; bit < max; ++bit)
        if (b.base[bit / 8] & (0x80 >> (bit % 8))) {
            error = fmt::format("'{}' has host bits set after /{}", text, b.prefix);
            return std::nullopt;
        }
    return b;
}

bool IpBlock::contains(std::string_view address) const {
    unsigned char a[16]{};
    bool family_v6 = false;
    if (!parse_address(address, a, family_v6) || family_v6 != v6) return false;
    return same_prefix(base, a, prefix);
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    IpAddress a;
    if (!parse_address(text, a.bytes, a.v6)) return std::nullopt;
    return a;
}

bool IpBlock::contains(const IpAddress& address) const noexcept {
    return address.v6 == v6 && same_prefix(base, address.bytes, prefix);
}

bool IpBlock::overlaps(const IpBlock& other) const noexcept {
    return v6 == other.v6 && same_prefix(base, other.base, std::min(prefix, other.prefix));
}

bool operator==(const IpBlock& a, const IpBlock& b) noexcept {
    return a.v6 == b.v6 && a.prefix == b.prefix && std::memcmp(a.base, b.base, 16) == 0;
}

// ---- evolve ----

bool valid_digest_username(std::string_view name) noexcept {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == '@' || ch == '+' || ch == '-';
    });
}

void evolve(TrunkState& state, const TrunkEvent& event) {
    ++state.version;
    std::visit(
        Overloaded{
            [&](const TrunkDefined& e) {
                auto& entry = state.trunks[e.trunk.trunk_id];
                if (!entry.trunk.username.empty() && entry.trunk.username != e.trunk.username)
                    state.usernames.erase(entry.trunk.username);
                // The HA1 is bound to the username it was made with.
                if (entry.credential && entry.credential->username != e.trunk.username)
                    entry.credential.reset();
                entry.trunk = e.trunk;
                if (!e.trunk.username.empty()) state.usernames[e.trunk.username] = e.trunk.trunk_id;
                if (!e.command_id.empty()) state.commands[e.command_id] = e.trunk.trunk_id;
                state.removed.erase(e.trunk.trunk_id);
            },
            [&](const TrunkPasswordSet& e) {
                auto it = state.trunks.find(e.trunk_id);
                if (it != state.trunks.end()) it->second.credential = e.credential;
            },
            [&](const TrunkRemoved& e) {
                state.removed.insert(e.trunk_id);
                auto it = state.trunks.find(e.trunk_id);
                if (it == state.trunks.end()) return;
                if (!it->second.trunk.username.empty())
                    state.usernames.erase(it->second.trunk.username);
                state.trunks.erase(it);
            },
        },
        event);
}

// ---- decide ----

namespace {

bool digits_only(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

bool valid_e164_prefix(std::string_view p) {
    return !p.empty() && p.size() <= 15 && digits_only(p);
}

template <class Item>
Result<void> check_reference(const ReferenceState& r, const std::string& id, const char* field) {
    if (id.empty()) return {};
    const auto& m = r.items<Item>();
    auto it = m.find(id);
    if (it == m.end())
        return fail(Errc::NotFound, field, fmt::format("{} '{}' does not exist", Item::kKind, id));
    if (it->second.retired)
        return fail(Errc::Rejected, field, fmt::format("{} '{}' is retired", Item::kKind, id));
    return {};
}

Result<void> check_trunk(const TrunkState& s, const DirectoryState& d, const ReferenceState& r,
                         const Trunk& t) {
    if (!valid_voice_id(t.trunk_id))
        return fail(Errc::Invalid, "trunk_id", "must be [a-z0-9_-]{1,32}");
    if (t.name.empty() || t.name.size() > 64 || !is_valid_utf8(t.name) || has_control_chars(t.name))
        return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (t.source_ips.empty() && t.username.empty())
        return fail(Errc::Invalid, "source_ips",
                    "a trunk needs source_ips (IP authentication), a username (digest), or both");
    if (t.source_ips.size() > 64)
        return fail(Errc::Invalid, "source_ips", "must list at most 64 addresses or blocks");
    std::vector<IpBlock> blocks;
    for (const auto& text : t.source_ips) {
        std::string error;
        auto b = IpBlock::parse(text, error);
        if (!b) return fail(Errc::Invalid, "source_ips", error);
        for (const auto& seen : blocks)
            if (seen == *b)
                return fail(Errc::Invalid, "source_ips", fmt::format("'{}' is listed twice", text));
        blocks.push_back(*b);
    }
    if (!t.username.empty() && !valid_digest_username(t.username))
        return fail(Errc::Invalid, "username", "must be [A-Za-z0-9_.@+-]{1,64}");
    if (!t.tech_prefix.empty() && !valid_tech_prefix(t.tech_prefix))
        return fail(Errc::Invalid, "tech_prefix", "must be 1 to 16 of 0-9, # and *");
    if (t.cli_prefixes.size() > 64)
        return fail(Errc::Invalid, "cli_prefixes", "must list at most 64 prefixes");
    for (const auto& p : t.cli_prefixes)
        if (!valid_e164_prefix(p))
            return fail(Errc::Invalid, "cli_prefixes",
                        fmt::format("'{}' is not an E.164 prefix (1 to 15 digits, no +)", p));
    if (!t.default_cli.empty() && !valid_e164_prefix(t.default_cli))
        return fail(Errc::Invalid, "default_cli", "must be an E.164 number (1 to 15 digits, no +)");
    if (t.default_cli.empty() && t.cli_policy == CliPolicy::Replace)
        return fail(Errc::Invalid, "cli_policy", "replace needs a default_cli");
    if (t.default_cli.empty() && t.pai_policy == PaiPolicy::Set)
        return fail(Errc::Invalid, "pai_policy", "set needs a default_cli");
    if (t.channels < 0 || t.channels > 1000000)
        return fail(Errc::Invalid, "channels", "must be 0 (the customer's limit) to 1000000");
    if (t.cps < 0 || t.cps > 100000)
        return fail(Errc::Invalid, "cps", "must be 0 (the customer's limit) to 100000");
    if (!d.customers.count(t.customer_id))
        return fail(Errc::NotFound, "customer_id",
                    fmt::format("customer {} does not exist", t.customer_id));
    SY_TRY(check_reference<CodecSet>(r, t.codec_set_id, "codec_set_id"));
    SY_TRY(check_reference<Pop>(r, t.pop_id, "pop_id"));
    if (!t.username.empty()) {
        auto owner = s.usernames.find(t.username);
        if (owner != s.usernames.end() && owner->second != t.trunk_id)
            return fail(
                Errc::Conflict, "username",
                fmt::format("username '{}' belongs to trunk '{}'", t.username, owner->second));
    }
    for (const auto& [id, other] : s.trunks) {
        if (id == t.trunk_id) continue;
        for (const auto& text : other.trunk.source_ips) {
            std::string error;
            auto theirs = IpBlock::parse(text, error);
            if (!theirs) continue;
            for (std::size_t i = 0; i < blocks.size(); ++i) {
                const bool same_customer = other.trunk.customer_id == t.customer_id;
                if (blocks[i] == *theirs || (!same_customer && blocks[i].overlaps(*theirs)))
                    return fail(
                        Errc::Conflict, "source_ips",
                        fmt::format("'{}' overlaps '{}' of trunk '{}'", t.source_ips[i], text, id));
            }
        }
    }
    return {};
}

}  // namespace

Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const DirectoryState& directory,
                                       const ReferenceState& reference, const DefineTrunk& c,
                                       const DecisionContext& ctx) {
    if (c.mode == DefineMode::Create && !c.command_id.empty() && s.commands.count(c.command_id))
        return std::vector<TrunkEvent>{};
    Trunk t = c.trunk;
    auto it = s.trunks.find(t.trunk_id);
    if (c.mode == DefineMode::Create) {
        if (it != s.trunks.end())
            return fail(Errc::Conflict, "trunk_id",
                        fmt::format("trunk '{}' already exists", t.trunk_id));
        t.created_at = ctx.now;
    } else {
        if (it == s.trunks.end())
            return fail(Errc::NotFound, "trunk_id",
                        fmt::format("trunk '{}' does not exist", t.trunk_id));
        if (it->second.trunk.customer_id != t.customer_id)
            return fail(Errc::Rejected, "customer_id",
                        "a trunk stays with its customer; create a trunk for the other customer");
        t.created_at = it->second.trunk.created_at;
    }
    SY_TRY(check_trunk(s, directory, reference, t));
    if (it != s.trunks.end() && it->second.trunk == t) return std::vector<TrunkEvent>{};
    return std::vector<TrunkEvent>{
        TrunkDefined{t, c.mode == DefineMode::Create ? c.command_id : ""}};
}

Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const SetTrunkPassword& c,
                                       const DecisionContext&) {
    auto it = s.trunks.find(c.trunk_id);
    if (it == s.trunks.end())
        return fail(Errc::NotFound, "trunk_id",
                    fmt::format("trunk '{}' does not exist", c.trunk_id));
    const auto& t = it->second.trunk;
    if (t.username.empty())
        return fail(Errc::Rejected, "username",
                    "the trunk has no digest username; set one before a password");
    if (c.credential.username != t.username)
        return fail(Errc::Rejected, "username", "the credential was made for another username");
    if (c.credential.realm.empty() || c.credential.realm.size() > 128 ||
        has_control_chars(c.credential.realm))
        return fail(Errc::Invalid, "realm", "must be 1 to 128 printable characters");
    if (c.credential.ha1_sealed.empty())
        return fail(Errc::Invalid, "ha1_sealed", "must be sealed text");
    return std::vector<TrunkEvent>{TrunkPasswordSet{c.trunk_id, c.credential}};
}

Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const RemoveTrunk& c,
                                       const DecisionContext&) {
    if (s.trunks.count(c.trunk_id)) return std::vector<TrunkEvent>{TrunkRemoved{c.trunk_id}};
    if (s.removed.count(c.trunk_id)) return std::vector<TrunkEvent>{};  // a retry
    return fail(Errc::NotFound, "trunk_id", fmt::format("trunk '{}' does not exist", c.trunk_id));
}

}  // namespace switchyard::core::voice
