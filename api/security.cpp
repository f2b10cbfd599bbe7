#include "api/security.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace switchyard::api {

using core::Errc;

namespace {

/// Parses an address into 16 bytes (IPv4 as IPv4-mapped IPv6); false when it is not one.
bool to_bytes(std::string_view text, unsigned char out[16], bool& is_v4) {
    std::string s(text);
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        std::memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        std::memcpy(out + 12, &v4, 4);
        is_v4 = true;
        return true;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(out, &v6, 16);
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        is_v4 = std::memcmp(out, mapped, 12) == 0;
        return true;
    }
    return false;
}

}  // namespace

core::Result<Cidr> Cidr::parse(std::string_view text, const char* field) {
    Cidr c;
    c.text_ = std::string(text);
    auto slash = text.find('/');
    const auto address = text.substr(0, slash);
    bool is_v4 = false;
    if (!to_bytes(address, c.bytes_, is_v4))
        return core::fail(Errc::Invalid, field,
                          fmt::format("'{}' is not an IPv4 or IPv6 address or network", text));
    const bool written_v4 = address.find(':') == std::string_view::npos;
    const int max = written_v4 ? 32 : 128;
    int prefix = max;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            !std::all_of(digits.begin(), digits.end(),
                         [](char ch) { return ch >= '0' && ch <= '9'; }))
            return core::fail(Errc::Invalid, field,
                              fmt::format("'{}' has a bad prefix length", text));
        prefix = std::stoi(std::string(digits));
        if (prefix > max)
            return core::fail(Errc::Invalid, field,
                              fmt::format("'{}': the prefix length is at most {}", text, max));
    }
    // Kept as IPv6 bits: an IPv4 /n is the mapped /96+n.
    c.prefix_ = written_v4 ? 96 + prefix : prefix;
    return c;
}

bool Cidr::contains(std::string_view address) const {
    unsigned char a[16];
    bool is_v4 = false;
    if (!to_bytes(address, a, is_v4)) return false;
    int bits = prefix_;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned char mask =
            bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
        if ((a[i] & mask) != (bytes_[i] & mask)) return false;
    }
    return true;
}

bool any_contains(const std::vector<Cidr>& list, std::string_view address) {
    return std::any_of(list.begin(), list.end(),
                       [&](const Cidr& c) { return c.contains(address); });
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<Cidr>& trusted_proxies) {
    if (forwarded_for.empty() || !any_contains(trusted_proxies, peer)) return std::string(peer);
    // Walk from the right: the last hop our proxy saw first.
    std::string_view rest = forwarded_for;
    while (!rest.empty()) {
        auto comma = rest.rfind(',');
        auto item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        unsigned char b[16];
        bool v4 = false;
        if (!to_bytes(item, b, v4)) return std::string(peer);  // garbage: believe nothing
        if (!any_contains(trusted_proxies, item)) return std::string(item);
        if (comma == std::string_view::npos) return std::string(item);
        rest = rest.substr(0, comma);
    }
    return std::string(peer);
}

std::optional<std::int64_t> RateLimiter::take(const std::string& key, int per_minute,
                                              core::Timestamp now) {
    if (per_minute <= 0) return std::nullopt;
    std::lock_guard lock(mu_);
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{static_cast<double>(per_minute), now});
    auto& b = it->second;
    const double rate = per_minute / 60.0;  // tokens per second
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    if (elapsed > 0) {
        b.tokens = std::min<double>(per_minute, b.tokens + elapsed * rate);
        b.at = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / rate));
}

std::optional<core::Timestamp> LoginLockout::locked_until(const std::string& source,
                                                          core::Timestamp now) {
    std::lock_guard lock(mu_);
    auto it = sources_.find(source);
    if (it == sources_.end() || it->second.locked_until <= now) return std::nullopt;
    return it->second.locked_until;
}

std::optional<core::Timestamp> LoginLockout::record_failure(const std::string& source,
                                                            core::Timestamp now,
                                                            const LockoutPolicy& policy) {
    std::lock_guard lock(mu_);
    auto& e = sources_[source];
    const auto window = std::chrono::duration_cast<std::chrono::microseconds>(policy.window);
    e.failures.push_back(now);
    while (!e.failures.empty() && now - e.failures.front() >= window) e.failures.pop_front();
    if (static_cast<int>(e.failures.size()) >= policy.max_failures && e.locked_until <= now) {
        e.locked_until = now + std::chrono::duration_cast<std::chrono::microseconds>(policy.lock);
        e.failures.clear();
        return e.locked_until;
    }
    return std::nullopt;
}

}  // namespace switchyard::api
