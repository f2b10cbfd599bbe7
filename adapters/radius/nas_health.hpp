#pragma once
/// NAS reachability for `/readyz` (issue 13 item 9): per NAS, when it was last heard from (an
/// accounting request, a Disconnect/CoA reply) and when a Dynamic Authorization request to it
/// last went unanswered. Readiness lists it and never fails on it: a NAS that is switched off
/// is the operator's news, not a reason to take Switchyard out of a load balancer.
///
/// No Status-Server probe is sent (RFC 5997 is optional on the NAS side and MikroTik's
/// `/radius incoming` does not answer it); what the log already shows is used.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace switchyard::adapters::radius {

/// One NAS's reachability at an instant.
struct NasReachability {
    std::string nas_id;
    /// `reachable` (heard within the window, no failure since), `silent` (last heard longer
    /// ago than the window, no failure since), `unreachable` (a Disconnect/CoA request went
    /// unanswered or failed after it was last heard), `unknown` (never heard, never tried).
    std::string state = "unknown";
    std::optional<core::Timestamp> last_heard_at;
    std::string last_heard_from;  ///< `accounting` or `dae`; empty when never heard.
    std::optional<core::Timestamp> last_failure_at;
    std::string last_failure;  ///< e.g. `timeout after 4 attempts`; empty when none.
};

/// What the enforcer (adapters/radius/enforcer.hpp) and the accounting side saw of each NAS.
/// @thread Safe: every method locks.
class NasHealth {
  public:
    /// @param window how recent "heard" must be to count as reachable. Default: 10 minutes
    ///   (MikroTik and the vendor profiles send Acct-Interim-Interval 60 s, so an active NAS
    ///   is heard every minute).
    explicit NasHealth(std::chrono::seconds window = std::chrono::minutes(10));

    /// The NAS answered or sent something at `at`. @param source `accounting` or `dae`.
    void heard(const std::string& nas_id, core::Timestamp at, std::string_view source);
    /// A request to the NAS failed at `at` (timeout or socket error), described by `what`.
    void failed(const std::string& nas_id, core::Timestamp at, std::string_view what);

    /// The reachability of each NAS of `nas_ids` at `now`, in that order (a NAS never seen is
    /// `unknown`).
    std::vector<NasReachability> report(const std::vector<std::string>& nas_ids,
                                        core::Timestamp now) const;
    /// As above for every NAS seen so far, by nas_id.
    std::vector<NasReachability> report(core::Timestamp now) const;

  private:
    NasReachability at(const std::string& nas_id, core::Timestamp now) const;

    std::chrono::seconds window_;
    mutable std::mutex mu_;
    std::map<std::string, NasReachability, std::less<>> nas_;
};

}  // namespace switchyard::adapters::radius
