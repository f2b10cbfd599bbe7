#pragma once
/// The `iptv_monitor` read model: who watches what now and how much, folded from the connection
/// lease events (`iptv.connection.opened`, `.renewed`, `.closed`) and the streaming servers'
/// health changes (`iptv.server.health_changed`, `iptv.server.removed`).
///
/// - Open leases, each with its line, stream, server, country, bytes sent and the bandwidth of
///   its last interval (bytes between two lease events over the time between them).
/// - Usage per live stream, movie or episode, per server, per line and per country: open
///   connections, bandwidth (the sum of their leases' last intervals), bytes sent, viewers
///   (leases ever opened), watch time and the peak of concurrent connections.
/// - The same per stream and UTC day, for the most-watched ranking.
/// - Server-down alerts: opened when the health checks find a server down, resolved when it is
///   up again or removed.
///
/// A lease counts until it is closed; a lease that expired unclosed (a crash) counts until the
/// sweep closes it (reason `timeout`). Watch time stops at a lease's `expires_at`.
///
/// Keys: `l/<lease id>` -> lease; `u/<scope>/<id>` -> usage, scope `live`, `movie`, `series`,
/// `server`, `line` (ids as 8-byte big-endian) or `country` (ISO code, `--` unknown);
/// `d/<YYYY-MM-DD>/<kind>/<id>` -> a day's usage; `a/<server>/<opened_at µs>` -> alert;
/// `o/<server>` -> the key of its open alert.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/iptv/server_choice.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kIptvMonitor = "iptv_monitor.v1";

/// Creates the projector of `iptv_monitor.v1`.
std::unique_ptr<Projector> make_iptv_monitor_projector();

/// An open lease.
struct MonitoredLease {
    std::string lease_id;
    std::int64_t line_id{};
    std::int64_t stream_id{};
    std::string kind;  ///< `live`, `movie`, `series`.
    std::string output;
    std::string remote_ip;
    std::string country;  ///< ISO 3166-1 alpha-2; empty: unknown.
    std::string user_agent;
    std::int64_t server_id{};  ///< 0: the main server.
    core::Timestamp opened_at{};
    core::Timestamp expires_at{};
    core::Timestamp last_at{};  ///< Of its last event (opened or renewed).
    std::int64_t bytes_sent{};
    std::int64_t kbps{};  ///< Over its last interval, kbit/s (1 kbit = 1,000 bits).
};

/// Usage of one stream, server, line or country (or of a stream on one day).
struct MonitoredUsage {
    std::string scope;           ///< `live`, `movie`, `series`, `server`, `line`, `country`.
    std::string id;              ///< The stream, server or line id in decimal, or the country code.
    std::int64_t connections{};  ///< Open now (for a day: 0).
    std::int64_t kbps{};         ///< Now, kbit/s (for a day: 0).
    std::int64_t bytes_sent{};
    std::int64_t viewers{};  ///< Leases opened.
    std::int64_t watch_seconds{};
    std::int64_t peak_connections{};
};

/// A server-down alert.
struct ServerAlert {
    std::int64_t server_id{};
    std::string reason;  ///< Why the checks found it down (`timeout`, `HTTP 503`, ...).
    core::Timestamp opened_at{};
    std::optional<core::Timestamp> resolved_at;  ///< None: still open.
    std::string resolution;                      ///< Why it resolved (`HTTP 200`, `removed`).
};

/// Which open leases to list; zero or empty fields do not filter.
struct LeaseFilter {
    std::int64_t line_id = 0;
    std::int64_t stream_id = 0;
    std::string kind;
    std::int64_t server_id = -1;  ///< -1: any server; 0: the main server.
    std::string country;
};

/// The open leases matching `filter`, whose `expires_at` is after `now`, by lease id.
std::vector<MonitoredLease> list_monitored_leases(const ReadModelView& view,
                                                  const LeaseFilter& filter, core::Timestamp now);

/// The usage of one `scope` and `id` (see MonitoredUsage), zero when nothing was seen.
MonitoredUsage find_usage(const ReadModelView& view, const std::string& scope,
                          const std::string& id);

/// Every usage row of `scope` seen so far, in key order.
std::vector<MonitoredUsage> list_usage(const ReadModelView& view, const std::string& scope);

/// The `limit` streams of `kind` with the most watch time over the UTC days `first` to `last`
/// (`YYYY-MM-DD`, inclusive), summed over the days (peak: the highest day), most first; ties by
/// viewers, then id.
std::vector<MonitoredUsage> most_watched(const ReadModelView& view, const std::string& kind,
                                         const std::string& first, const std::string& last,
                                         std::size_t limit);

/// Server-down alerts, newest first; only the open ones when `open_only`.
std::vector<ServerAlert> list_server_alerts(const ReadModelView& view, bool open_only);

/// The load of each server as this model tells it (open connections and bandwidth), for the
/// server choice (core::iptv::ServerLoads). @thread safe (the view is).
class MonitoredServerLoads final : public core::iptv::ServerLoads {
  public:
    /// `view` must outlive this.
    explicit MonitoredServerLoads(const ReadModelView& view) : view_(view) {}
    core::iptv::ServerLoad load(std::int64_t server_id) const override;

  private:
    const ReadModelView& view_;
};

}  // namespace switchyard::projections::iptv
