#include "core/hotspot/catalog_decider.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/voice/money.hpp"
#include "core/voice/reference_codes.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::hotspot {

void evolve(CatalogState& state, const CatalogEvent& event) {
    std::visit(Overloaded{
                   [&](const NasDefined& e) {
                       state.nas[e.nas.nas_id] = e.nas;
                       if (!e.command_id.empty()) state.command_ids.insert(e.command_id);
                   },
                   [&](const NasDisabled& e) {
                       if (auto it = state.nas.find(e.nas_id); it != state.nas.end())
                           it->second.disabled = true;
                       if (!e.command_id.empty()) state.command_ids.insert(e.command_id);
                   },
                   [&](const NasEnabled& e) {
                       if (auto it = state.nas.find(e.nas_id); it != state.nas.end())
                           it->second.disabled = false;
                       if (!e.command_id.empty()) state.command_ids.insert(e.command_id);
                   },
                   [&](const PlanDefined& e) {
                       state.plans[e.plan.plan_id] = e.plan;
                       if (!e.command_id.empty()) state.command_ids.insert(e.command_id);
                   },
                   [&](const PlanRetired& e) {
                       if (auto it = state.plans.find(e.plan_id); it != state.plans.end())
                           it->second.retired = true;
                       if (!e.command_id.empty()) state.command_ids.insert(e.command_id);
                   },
               },
               event);
}

bool valid_hotspot_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

bool valid_owner_path(std::string_view path) noexcept {
    return !path.empty() && path.size() <= 256 && path.front() == '/' && path.back() == '/' &&
           std::all_of(path.begin(), path.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
}

namespace {

using Events = std::vector<CatalogEvent>;

bool seen(const CatalogState& s, const std::string& command_id) {
    return !command_id.empty() && s.command_ids.count(command_id) > 0;
}

bool valid_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && is_valid_utf8(s) && !has_control_chars(s);
}
bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}
bool valid_command_id(std::string_view s) { return valid_text(s, 128); }

/// `UTC`, or an IANA Area/Location name: `Europe/Berlin`, `America/Argentina/Buenos_Aires`,
/// `Etc/GMT+3`.
bool valid_timezone(std::string_view tz) {
    if (tz == "UTC") return true;
    if (tz.empty() || tz.size() > 64 || tz.find('/') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= tz.size()) {
        auto end = tz.find('/', start);
        if (end == std::string_view::npos) end = tz.size();
        const auto part = tz.substr(start, end - start);
        if (part.empty() || !(part.front() >= 'A' && part.front() <= 'Z')) return false;
        for (char ch : part)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '+'))
                return false;
        start = end + 1;
    }
    return true;
}

bool valid_pool_name(std::string_view s) {
    return s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
           });
}

struct Ip {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
};

std::optional<Ip> parse_ip(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string s(text);
    Ip ip;
    if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) return ip;
    ip.v6 = true;
    if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) return ip;
    return std::nullopt;
}

/// The prefix length of `cidr` when it holds `ip`, else -1.
int match_cidr(std::string_view cidr, const Ip& ip) {
    const auto slash = cidr.find('/');
    if (slash == std::string_view::npos) return -1;
    auto base = parse_ip(cidr.substr(0, slash));
    int prefix = -1;
    const auto len = cidr.substr(slash + 1);
    auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
    if (!base || base->v6 != ip.v6 || ec != std::errc() || p != len.data() + len.size()) return -1;
    if (prefix < 0 || prefix > (ip.v6 ? 128 : 32)) return -1;
    for (int bit = 0; bit < prefix; ++bit) {
        const unsigned char mask = static_cast<unsigned char>(0x80u >> (bit % 8));
        if ((base->bytes[bit / 8] & mask) != (ip.bytes[bit / 8] & mask)) return -1;
    }
    return prefix;
}

bool same_address(std::string_view a, std::string_view b) {
    if (a == b) return true;
    auto x = parse_ip(a), y = parse_ip(b);
    return x && y && x->v6 == y->v6 && x->bytes == y->bytes;
}

Result<void> check_nas(const Nas& n) {
    if (!valid_hotspot_id(n.nas_id))
        return fail(Errc::Invalid, "nas_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(n.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (!vpn::is_ip_address(n.address) && !vpn::is_cidr(n.address))
        return fail(Errc::Invalid, "address",
                    fmt::format("'{}' is not an IPv4/IPv6 address or CIDR block", n.address));
    if (n.coa_port == 0) return fail(Errc::Invalid, "coa_port", "must be 1 to 65535");
    if (!n.coa_address.empty() && !vpn::is_ip_address(n.coa_address))
        return fail(Errc::Invalid, "coa_address",
                    fmt::format("'{}' is not an IPv4/IPv6 address", n.coa_address));
    if (!valid_text(n.site, 128))
        return fail(Errc::Invalid, "site", "must be at most 128 printable characters");
    if (!valid_timezone(n.timezone))
        return fail(Errc::Invalid, "timezone",
                    fmt::format("'{}' is not an IANA time zone name such as Europe/Berlin or UTC",
                                n.timezone));
    if (!valid_owner_path(n.owner_path))
        return fail(Errc::Invalid, "owner_path", "must start and end with '/'");
    return {};
}

Result<void> check_secret(std::string_view secret) {
    if (secret.size() < 8 || secret.size() > 128)
        return fail(Errc::Invalid, "secret",
                    fmt::format("must be 8 to 128 characters (RFC 2865 section 3 prefers at "
                                "least 16), not {}",
                                secret.size()));
    if (!std::all_of(secret.begin(), secret.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; }))
        return fail(Errc::Invalid, "secret", "must be printable ASCII without blanks");
    return {};
}

Result<void> positive(const std::optional<std::int64_t>& v, const char* field) {
    if (v && *v <= 0)
        return fail(Errc::Invalid, field, fmt::format("must be positive when set, not {}", *v));
    return {};
}

Result<void> check_plan(const Plan& p) {
    if (!valid_hotspot_id(p.plan_id))
        return fail(Errc::Invalid, "plan_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(p.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    SY_TRY(positive(p.duration_seconds, "duration_seconds"));
    SY_TRY(positive(p.session_time_seconds, "session_time_seconds"));
    SY_TRY(positive(p.data_limit_bytes, "data_limit_bytes"));
    SY_TRY(positive(p.download_kbps, "download_kbps"));
    SY_TRY(positive(p.upload_kbps, "upload_kbps"));
    SY_TRY(positive(p.idle_timeout_seconds, "idle_timeout_seconds"));
    // Ten years is far beyond any hotspot plan; it keeps expires_at arithmetic in range.
    constexpr std::int64_t kTenYears = 10LL * 366 * 86400;
    if (p.duration_seconds && *p.duration_seconds > kTenYears)
        return fail(Errc::Invalid, "duration_seconds", "must be at most ten years");
    if (p.session_time_seconds && *p.session_time_seconds > kTenYears)
        return fail(Errc::Invalid, "session_time_seconds", "must be at most ten years");
    constexpr std::int64_t kMaxKbps = 100'000'000;  // 100 Gbit/s
    if ((p.download_kbps && *p.download_kbps > kMaxKbps) ||
        (p.upload_kbps && *p.upload_kbps > kMaxKbps))
        return fail(
            Errc::Invalid,
            p.download_kbps && *p.download_kbps > kMaxKbps ? "download_kbps" : "upload_kbps",
            "must be at most 100000000 kbit/s");
    if (p.data_limit_bytes && *p.data_limit_bytes > (std::int64_t{1} << 60))
        return fail(Errc::Invalid, "data_limit_bytes", "must be at most 2^60 bytes");
    SY_TRY(check_burst(p));
    if (p.shared_users < 1 || p.shared_users > 1000)
        return fail(Errc::Invalid, "shared_users",
                    fmt::format("must be 1 to 1000 concurrent sessions, not {}", p.shared_users));
    if (p.valid_from && p.valid_until && *p.valid_until <= *p.valid_from)
        return fail(Errc::Invalid, "valid_until", "must be after valid_from");
    if (p.price_micros < 0) return fail(Errc::Invalid, "price_micros", "must not be negative");
    if (p.price_micros > 1'000'000'000LL * 1'000'000)
        return fail(Errc::Invalid, "price_micros", "must be at most 1000000000");
    if (!voice::is_iso4217(p.currency))
        return fail(Errc::Invalid, "currency",
                    fmt::format("'{}' is not an ISO 4217 code such as USD or EUR", p.currency));
    if (!valid_pool_name(p.address_pool))
        return fail(Errc::Invalid, "address_pool", "must be at most 64 of [A-Za-z0-9_.-]");
    if (!valid_pool_name(p.expired_pool))
        return fail(Errc::Invalid, "expired_pool", "must be at most 64 of [A-Za-z0-9_.-]");
    if (!valid_owner_path(p.owner_path))
        return fail(Errc::Invalid, "owner_path", "must start and end with '/'");
    return {};
}

}  // namespace

Result<void> check_burst(const Plan& p) {
    const auto& b = p.burst;
    if (b == Burst{}) return {};
    if (b.download_kbps < 0 || b.upload_kbps < 0 || b.threshold_download_kbps < 0 ||
        b.threshold_upload_kbps < 0 || b.seconds < 0)
        return fail(Errc::Invalid, "burst", "values must not be negative");
    if (!p.download_kbps || !p.upload_kbps)
        return fail(Errc::Invalid, "burst.download_kbps",
                    "a burst needs the plan's download_kbps and upload_kbps");
    if (b.download_kbps <= *p.download_kbps)
        return fail(Errc::Invalid, "burst.download_kbps",
                    fmt::format("must exceed download_kbps ({})", *p.download_kbps));
    if (b.upload_kbps <= *p.upload_kbps)
        return fail(Errc::Invalid, "burst.upload_kbps",
                    fmt::format("must exceed upload_kbps ({})", *p.upload_kbps));
    if (b.threshold_download_kbps < 1 || b.threshold_download_kbps > *p.download_kbps)
        return fail(Errc::Invalid, "burst.threshold_download_kbps",
                    fmt::format("must be 1 to download_kbps ({})", *p.download_kbps));
    if (b.threshold_upload_kbps < 1 || b.threshold_upload_kbps > *p.upload_kbps)
        return fail(Errc::Invalid, "burst.threshold_upload_kbps",
                    fmt::format("must be 1 to upload_kbps ({})", *p.upload_kbps));
    if (b.seconds < 1 || b.seconds > 86400)
        return fail(Errc::Invalid, "burst.seconds", "must be 1 to 86400");
    return {};
}

Result<Micros> parse_price(std::string_view text) {
    const auto m = SY_TRY(voice::parse_micros(text, "price"));
    if (m < 0) return fail(Errc::Invalid, "price", "must not be negative");
    if (m > 1'000'000'000LL * 1'000'000)
        return fail(Errc::Invalid, "price", "must be at most 1000000000");
    return m;
}

std::optional<Nas> find_nas_by_address(const CatalogState& s, std::string_view ip) {
    auto addr = parse_ip(ip);
    if (!addr) return std::nullopt;
    const Nas* best = nullptr;
    int best_prefix = -1;
    for (const auto& [id, nas] : s.nas) {
        if (nas.disabled) continue;
        if (nas.address.find('/') == std::string::npos) {
            if (same_address(nas.address, ip)) return nas;
            continue;
        }
        const int prefix = match_cidr(nas.address, *addr);
        if (prefix > best_prefix) {
            best_prefix = prefix;
            best = &nas;
        }
    }
    if (!best) return std::nullopt;
    return *best;
}

Result<Events> decide(const CatalogState& s, const DefineNas& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    if (!valid_command_id(c.command_id))
        return fail(Errc::Invalid, "command_id", "must be at most 128 printable characters");
    Nas nas = c.nas;
    if (nas.coa_port == 0) nas.coa_port = default_coa_port(nas.vendor);
    SY_TRY(check_nas(nas));
    auto it = s.nas.find(nas.nas_id);
    if (c.mode == DefineMode::Create) {
        if (it != s.nas.end())
            return fail(Errc::Conflict, "nas_id",
                        fmt::format("NAS '{}' already exists", nas.nas_id));
        SY_TRY(check_secret(c.secret));
        if (nas.secret_sealed.empty())
            return fail(Errc::Invalid, "secret", "was not sealed before the decision");
    } else {
        if (it == s.nas.end())
            return fail(Errc::NotFound, "nas_id",
                        fmt::format("NAS '{}' does not exist", nas.nas_id));
        nas.disabled = it->second.disabled;
        if (c.secret.empty()) {
            nas.secret_sealed = it->second.secret_sealed;
            if (nas == it->second) return Events{};
        } else {
            SY_TRY(check_secret(c.secret));
            if (nas.secret_sealed.empty())
                return fail(Errc::Invalid, "secret", "was not sealed before the decision");
        }
    }
    for (const auto& [id, other] : s.nas)
        if (id != nas.nas_id && same_address(other.address, nas.address))
            return fail(Errc::Conflict, "address",
                        fmt::format("NAS '{}' already has address {}", id, nas.address));
    return Events{NasDefined{nas, c.command_id}};
}

Result<Events> decide(const CatalogState& s, const DisableNas& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    auto it = s.nas.find(c.nas_id);
    if (it == s.nas.end())
        return fail(Errc::NotFound, "nas_id", fmt::format("NAS '{}' does not exist", c.nas_id));
    if (!valid_text(c.reason, 256))
        return fail(Errc::Invalid, "reason", "must be at most 256 printable characters");
    if (it->second.disabled) return Events{};
    return Events{NasDisabled{c.nas_id, c.reason, c.command_id}};
}

Result<Events> decide(const CatalogState& s, const EnableNas& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    auto it = s.nas.find(c.nas_id);
    if (it == s.nas.end())
        return fail(Errc::NotFound, "nas_id", fmt::format("NAS '{}' does not exist", c.nas_id));
    if (!it->second.disabled) return Events{};
    return Events{NasEnabled{c.nas_id, c.command_id}};
}

Result<Events> decide(const CatalogState& s, const DefinePlan& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    if (!valid_command_id(c.command_id))
        return fail(Errc::Invalid, "command_id", "must be at most 128 printable characters");
    Plan plan = c.plan;
    SY_TRY(check_plan(plan));
    auto it = s.plans.find(plan.plan_id);
    if (c.mode == DefineMode::Create) {
        if (it != s.plans.end())
            return fail(Errc::Conflict, "plan_id",
                        fmt::format("plan '{}' already exists", plan.plan_id));
        plan.retired = false;
    } else {
        if (it == s.plans.end())
            return fail(Errc::NotFound, "plan_id",
                        fmt::format("plan '{}' does not exist", plan.plan_id));
        plan.retired = it->second.retired;
        if (plan == it->second) return Events{};
    }
    return Events{PlanDefined{plan, c.command_id}};
}

Result<Events> decide(const CatalogState& s, const RetirePlan& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    auto it = s.plans.find(c.plan_id);
    if (it == s.plans.end())
        return fail(Errc::NotFound, "plan_id", fmt::format("plan '{}' does not exist", c.plan_id));
    if (it->second.retired) return Events{};
    return Events{PlanRetired{c.plan_id, c.command_id}};
}

}  // namespace switchyard::core::hotspot
