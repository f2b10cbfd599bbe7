#pragma once
/// The enforcer (issue 13 item 6): cuts or changes live sessions when their account's limits
/// say so, through RFC 5176 Dynamic Authorization, and records everything it does.
///
/// It follows the log from a checkpoint (EventStore::subscribe) and keeps in memory the open
/// sessions of one tenant (hotspot.session.* events, core/hotspot/session.hpp), their usage and
/// the plans as defined. It decides with core/hotspot/enforcement.hpp `enforce` when:
///   - a session starts or an Interim-Update moves its counters (data or online time crossed);
///   - an account is expired, exhausted or disabled (hotspot.account.*);
///   - an account changes plan, or its plan is redefined with another speed (CoA with the new
///     speed attributes; Disconnect for a vendor without speed attributes);
///   - staff end a session (request_end: hotspot.session.end_requested);
///   - a timer reaches the next deadline (wall-clock expiry, online time running out). With no
///     session open the timer still fires at the account's expires_at and appends
///     ExpireAccount, so later Access-Requests are refused.
/// A crossed data or online-time limit is also recorded on the account (MarkExhausted).
///
/// Each request is sent on a worker pool (one silent NAS holds one worker, not the others)
/// through DaeClient with its retries and backoff, to the NAS's coa_address (else address) and
/// coa_port, signed with HotspotService::nas_secret. Per session, it appends to
/// `hotspot_dae-<tenant>-<unique_id>` (core/hotspot/dae.hpp): `hotspot.dae.requested` before the
/// first packet, then every `hotspot.dae.attempted` and the `hotspot.dae.completed` outcome.
/// A NAK with Error-Cause 503 (Session-Context-Not-Found) is recorded as `session_gone` and
/// nothing more is sent. One request per session per reason (a speed change per triggering
/// event, a disable per `hotspot.account.disabled` event: `disabled:<event id>`): a request id
/// already in the stream is never sent again, across restarts. A request that ended in
/// `timeout` is repeated under a numbered id (`data_used#2`) when a later event finds the
/// session still open, at most EnforcerOptions::max_repeats times, with backoff.
///
/// Events are taken only when their envelope tenant is HotspotService::tenant(). Events met
/// while catching up (before the head at start()) only rebuild memory; then every account with
/// an open session or an expiry is evaluated once.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "adapters/radius/dae_client.hpp"
#include "adapters/radius/nas_health.hpp"
#include "core/decision_context.hpp"
#include "core/hotspot/model.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "events/event_store.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/vendor_profiles.hpp"

namespace switchyard::adapters::radius {

/// Enforcer options.
struct EnforcerOptions {
    /// Threads that send requests (each blocks for one request's retries, 15 s at most with
    /// the DaeClient defaults). Default: 8.
    std::size_t workers = 8;
    /// The timer wakes at least this often to look at deadlines. Default: 1 s.
    std::chrono::milliseconds max_timer_wait{1000};
    /// Where NAS reachability is recorded (accounting heard, DAE replies and failures); may
    /// be null. Must outlive the enforcer.
    NasHealth* health = nullptr;
    /// A request whose every attempt timed out is sent again when a later event (an
    /// Interim-Update, the timer) shows the session still open and the limit still crossed,
    /// as a new request `<id>#2`, `<id>#3`, ..., at most this many times. Default: 3.
    int max_repeats = 3;
    /// The wait after the timed-out request `<id>#n` completed before `<id>#n+1` may be sent:
    /// repeat_backoff x 2^(n-1). Default: 30 s.
    std::chrono::milliseconds repeat_backoff{30000};
};

/// What the enforcer has done since start (for tests, the bench and metrics).
struct EnforcerStats {
    std::int64_t requests_sent = 0;       ///< Requests handed to DaeClient.
    std::int64_t acked = 0;               ///< Ended with ACK.
    std::int64_t naked = 0;               ///< Ended with NAK.
    std::int64_t failed = 0;              ///< Ended with timeout or error.
    std::int64_t duplicates_skipped = 0;  ///< Already in the session's stream.
    std::int64_t open_sessions = 0;       ///< Open sessions in memory now.
};

/// The background enforcer of one tenant.
/// @thread start/stop from one thread; request_end, stats and wait_idle from any.
class Enforcer {
  public:
    /// @param store the log followed and appended to; @param hotspot accounts, plans, NAS and
    ///   NAS secrets of the tenant; @param profiles vendor profiles; @param client sends the
    ///   requests (its DaeOptions give the retries). All must outlive the enforcer.
    Enforcer(events::EventStore& store, events::hotspot::HotspotService& hotspot,
             const events::hotspot::VendorProfiles& profiles, const DaeClient& client,
             const core::Clock& clock, EnforcerOptions options = {});
    ~Enforcer();
    Enforcer(const Enforcer&) = delete;
    Enforcer& operator=(const Enforcer&) = delete;

    /// Starts following the log from `from` (default: the beginning), the timer and the
    /// workers. Calling it twice does nothing.
    void start(events::Checkpoint from = {});
    /// Stops following, the timer and the workers (a request being sent finishes its retries
    /// first). Idempotent; the destructor calls it.
    void stop();

    /// Staff end a session: appends `hotspot.session.end_requested` to its
    /// `hotspot_dae-<tenant>-<unique_id>` stream; the enforcer, following the log, sends the
    /// Disconnect-Request (reason `staff_ended`). A retry with the same ctx.correlation_id (the
    /// command id) appends nothing.
    /// @param note why, at most 256 characters; may be empty.
    /// @returns true when appended, false for a retry.
    /// @errors NotFound naming `session` when no open session of the tenant has `unique_id`
    ///   (as far as the log has been followed); Invalid naming `note` when it is too long; the
    ///   store's errors.
    core::Result<bool> request_end(const std::string& unique_id, const std::string& note,
                                   const core::DecisionContext& ctx);

    /// The open sessions in memory, by Acct-Unique-Session-Id.
    std::vector<core::hotspot::Session> open_sessions() const;

    EnforcerStats stats() const;

    /// Waits until the log has been followed up to its head at the time of the call, no
    /// request is queued or being sent. @returns false when `timeout` passed first.
    bool wait_idle(std::chrono::milliseconds timeout) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::adapters::radius
