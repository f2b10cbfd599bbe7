#pragma once
/// The command side of connection leases (core/iptv/connection.hpp): loads a line's leases,
/// decides, and appends to the line's lease stream with its expected revision, deciding again
/// on a conflict, so that of two players racing for the last slot exactly one gets it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/connection.hpp"
#include "core/result.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// Connection leases of one tenant. @thread safe.
class ConnectionService {
  public:
    /// Leases last `timeout` from their opening or last renewal.
    ConnectionService(EventStore& store, std::string tenant, std::chrono::seconds timeout);
    ~ConnectionService();

    /// How long a lease lasts without renewal.
    std::chrono::seconds timeout() const;

    /// What this service writes on the leases it opens: the streaming server it serves for
    /// (0: the main server) and the country of a player's address (ISO 3166-1 alpha-2, or ""
    /// when unknown; unset: none). Call before the first open().
    void set_lease_origin(std::int64_t server_id,
                          std::function<std::string(const std::string& remote_ip)> country_of);

    /// Counts `n` bytes sent to the player of `lease_id`; the next renewal or close of the lease
    /// carries the bytes counted since its previous event (monitoring's bandwidth); the sweep's
    /// close of an expired lease carries them too.
    void count_bytes(const std::string& lease_id, std::int64_t n);

    /// Takes a slot of the line at `ctx.now`. @returns the lease. @errors as the decider
    /// (TooMany naming `max_connections` when the line is full); the store's errors.
    core::Result<core::iptv::ConnectionOpened> open(const core::iptv::OpenConnection& c,
                                                    std::int64_t max_connections,
                                                    const core::DecisionContext& ctx);
    /// Extends a lease to `ctx.now + timeout`. @errors NotFound naming `lease_id` when it is
    /// closed or expired; the store's errors.
    core::Result<void> renew(std::int64_t line_id, const std::string& lease_id,
                             const core::DecisionContext& ctx);
    /// Closes a lease (no-op when closed already). @errors the store's errors.
    core::Result<void> close(std::int64_t line_id, const std::string& lease_id,
                             const std::string& reason, const core::DecisionContext& ctx);
    /// Closes the expired leases of every line this service has seen open a lease (and of the
    /// lines named by `also`), reason `timeout`; a line left without leases is not visited
    /// again until a lease opens there. @returns how many it closed.
    core::Result<int> sweep(const core::DecisionContext& ctx);
    /// Adds the lines holding lease events in the log (after a restart), for sweep().
    /// Reads the whole log once. @errors the store's read errors.
    core::Result<void> discover_lines();

    /// The leases of a line not closed yet (expired ones included).
    core::Result<core::iptv::LineConnections> leases(std::int64_t line_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
