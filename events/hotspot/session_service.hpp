#pragma once
/// The accounting side of the hotspot module: RADIUS Accounting-Requests (RFC 2866) applied to
/// the sessions of one NAS (stream `hotspot_sessions-<tenant>-<nas_id>`, events of
/// core/hotspot/session.hpp), decided by core::hotspot::decide_accounting against a book held
/// in memory and appended with the stream's expected revision.
///
/// Memory: each NAS's book is loaded from its stream on first use and kept. A stopped (or
/// closed) session stays in the book for `SessionServiceOptions::retain_closed`, then is
/// dropped; its Acct-Unique-Session-Id stays in a bounded set of recently dropped ids so that
/// a late retransmission of its Stop or Interim-Update still appends nothing. The usage of
/// each account (bytes in and out, online seconds, across all its sessions, open and closed)
/// and its open-session count are kept as running totals, so reads never touch the store.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/accounting.hpp"
#include "core/hotspot/session.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::hotspot {

/// The stream of a NAS's sessions.
std::string session_stream(const std::string& tenant, const std::string& nas_id);

/// How the in-memory books are bounded.
struct SessionServiceOptions {
    /// How long a stopped session stays in its NAS's book after its Stop. Default: 1 hour.
    std::chrono::seconds retain_closed{3600};
    /// Dropped Acct-Unique-Session-Ids remembered per NAS for duplicate detection (oldest
    /// forgotten first). Default: 100,000.
    std::size_t recent_dropped = 100000;
};

/// What one Accounting-Request did.
struct AccountingOutcome {
    std::vector<core::hotspot::SessionEvent> events;  ///< Appended; empty for a duplicate.
    std::vector<Position> positions;                  ///< Where; empty when nothing appended.
    /// The accounts whose usage or open-session count the events changed.
    std::vector<std::string> usernames;
};

/// An account's totals across all its sessions.
struct AccountUsage {
    core::hotspot::Usage usage;        ///< Closed and open sessions, at their last counters.
    std::int64_t active_sessions = 0;  ///< Sessions open now, on any NAS.
};

/// Accounting and session reads of one tenant.
/// @thread safe; requests for one NAS are decided one at a time, different NAS in parallel.
class SessionService {
  public:
    SessionService(EventStore& store, std::string tenant, SessionServiceOptions options = {});
    ~SessionService();
    SessionService(const SessionService&) = delete;
    SessionService& operator=(const SessionService&) = delete;

    /// Loads the books of these NAS from their streams (at start, so that usage covers every
    /// session already recorded). A NAS loaded before is skipped.
    /// @errors the store's; Invalid for an undecodable event.
    core::Result<void> preload(const std::vector<std::string>& nas_ids);

    /// Applies one Accounting-Request (request.nas_id names the NAS) and appends its events
    /// with the stream's expected revision; on Conflict (another writer) it reads what was
    /// appended meanwhile and decides again, up to 5 times.
    /// @returns the events appended (none for a duplicate or a retransmission).
    /// @errors as core::hotspot::decide_accounting (Invalid / Rejected naming the attribute);
    ///         Invalid naming `nas_id` when empty; Conflict after 5 attempts; the store's.
    core::Result<AccountingOutcome> apply(const core::hotspot::AccountingRequest& request,
                                          const core::DecisionContext& ctx);

    /// The account's usage and open sessions, from memory (NAS loaded so far).
    AccountUsage usage(const std::string& username) const;
    /// The account's open sessions, from memory, in no particular order.
    std::vector<core::hotspot::Session> active_sessions(const std::string& username) const;
    /// A session by its NAS and Acct-Unique-Session-Id while still in memory, else nullopt.
    std::optional<core::hotspot::Session> session(const std::string& nas_id,
                                                  const std::string& unique_id) const;
    /// Sessions held in memory for a NAS (open and recently closed), for tests and metrics.
    std::size_t sessions_in_memory(const std::string& nas_id) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::hotspot
