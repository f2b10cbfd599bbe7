#pragma once
/// Request-level defences of the API: client addresses behind trusted proxies, CIDR allowlists,
/// token-bucket rate limits and the lockout of sources that keep failing to sign in.
/// All state is in memory and all time comes from the caller (the injected clock).

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/cidr.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::api {

/// The client address of a request: the peer, unless the peer is a trusted proxy, in which
/// case the right-most `X-Forwarded-For` entry that is not a trusted proxy (RFC 7239 section
/// 5.2 reasoning: only hops we trust may speak for the client).
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<Cidr>& trusted_proxies);

/// Token buckets keyed by text (an address, a key id, a user id).
/// @thread safe.
class RateLimiter {
  public:
    /// Takes one token from `key`'s bucket of `per_minute` tokens (refilled continuously,
    /// starting full). @returns none when allowed; else the seconds until a token is there.
    std::optional<std::int64_t> take(const std::string& key, int per_minute, core::Timestamp now);

  private:
    struct Bucket {
        double tokens;
        core::Timestamp at;
    };
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

/// When failed sign-ins lock their source: `max_failures` within `window` lock it for `lock`.
/// Defaults: 10 in 15 minutes lock for an hour.
struct LockoutPolicy {
    int max_failures = 10;
    std::chrono::seconds window = std::chrono::minutes(15);
    std::chrono::seconds lock = std::chrono::hours(1);
};

/// Failed sign-ins per source address; too many in a window lock the source.
/// @thread safe.
class LoginLockout {
  public:
    /// When the source is locked at `now`, the time the lock ends.
    std::optional<core::Timestamp> locked_until(const std::string& source, core::Timestamp now);
    /// Records a failure. @returns the end of the lock when this failure started one.
    std::optional<core::Timestamp> record_failure(const std::string& source, core::Timestamp now,
                                                  const LockoutPolicy& policy);

  private:
    struct Entry {
        std::deque<core::Timestamp> failures;
        core::Timestamp locked_until{};
    };
    std::mutex mu_;
    std::unordered_map<std::string, Entry> sources_;
};

/// The API's security settings (`serve` flags; tests set their own).
struct SecurityOptions {
    int anonymous_per_minute = 60;       ///< Per client address; 0 = no limit.
    int authenticated_per_minute = 120;  ///< Per key or user; 0 = no limit.
    std::vector<Cidr>
        admin_allowlist;  ///< Where admin-role callers may come from; empty = anywhere.
    std::vector<Cidr> trusted_proxies;  ///< Peers whose X-Forwarded-For is believed.
    LockoutPolicy lockout;
    int diagnostics_per_minute = 6;  ///< VPN diagnostics per customer; 0 = no limit.
};

}  // namespace switchyard::api
