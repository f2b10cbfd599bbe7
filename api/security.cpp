#include "api/security.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace switchyard::api {

using core::Errc;

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
        if (!is_ip_address(item)) return std::string(peer);  // garbage: believe nothing
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
