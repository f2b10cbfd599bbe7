#pragma once
/// Connection leases: how `max_connections` of a line is held. A player that starts reading a
/// stream (`/live/`, `/movie/`, `/series/`) takes a lease before the first byte; the lease is
/// renewed while the player reads and closed when it goes away. A lease whose `expires_at` has
/// passed does not count, closed or not, so that after a crash no lease outlives its timeout; a
/// sweeper closes such leases with reason `timeout`.
///
/// The leases of one line are the stream `iptv_connections-<tenant>-<line id>`, appended with an
/// expected revision: two players racing for the last slot both decide on the same state, one
/// append wins, the other decides again and is refused.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::iptv {

/// What a connection reads.
enum class ConnectionKind { Live, Movie, Series };
/// Wire name: `live`, `movie`, `series`.
const char* to_string(ConnectionKind kind) noexcept;
/// Parses a wire name; false when unknown.
bool parse_connection_kind(std::string_view text, ConnectionKind& out) noexcept;

// ---- events ----

/// A player took a slot of its line.
struct ConnectionOpened {
    static constexpr std::string_view kType = "iptv.connection.opened";
    std::string lease_id;  ///< Random, URL-safe.
    std::int64_t line_id{};
    std::int64_t stream_id{};  ///< The live stream, movie or episode id.
    ConnectionKind kind = ConnectionKind::Live;
    std::string output;  ///< `ts`, `m3u8` (live) or the file's container (`mp4`, `mkv`).
    std::string remote_ip;
    std::string user_agent;
    Timestamp opened_at;
    Timestamp expires_at;
    std::string country;         ///< ISO 3166-1 alpha-2 of `remote_ip` (GeoIP); empty: unknown.
    std::int64_t server_id = 0;  ///< The streaming server that serves it; 0: the main server.
};
/// The player still reads: the lease lasts until `expires_at`.
struct ConnectionRenewed {
    static constexpr std::string_view kType = "iptv.connection.renewed";
    std::string lease_id;
    Timestamp expires_at;
    std::int64_t bytes = 0;  ///< Bytes sent to the player since the lease's previous event.
};
/// The slot is free again.
struct ConnectionClosed {
    static constexpr std::string_view kType = "iptv.connection.closed";
    std::string lease_id;
    std::string reason;      ///< `disconnect`, `timeout`, `end` (the body ended), `shutdown`.
    std::int64_t bytes = 0;  ///< Bytes sent to the player since the lease's previous event.
};

using ConnectionEvent = std::variant<ConnectionOpened, ConnectionRenewed, ConnectionClosed>;

// ---- state ----

/// A lease not closed yet (it may have expired).
struct Lease {
    ConnectionOpened opened;  ///< How it was opened.
    Timestamp expires_at;     ///< After the last renewal.
};

/// The leases of one line not closed yet, by lease id.
struct LineConnections {
    std::map<std::string, Lease> leases;
};

void evolve(LineConnections& state, const ConnectionEvent& event);

/// Stream name of a line's leases.
std::string connections_stream(const std::string& tenant, std::int64_t line_id);

// ---- commands ----

/// A player asks for a slot of `line_id`.
struct OpenConnection {
    std::string lease_id;  ///< Chosen by the caller (random), so that a retry keeps it.
    std::int64_t line_id{};
    std::int64_t stream_id{};
    ConnectionKind kind = ConnectionKind::Live;
    std::string output;
    std::string remote_ip;
    std::string user_agent;
    std::string country;         ///< ISO 3166-1 alpha-2; empty: unknown.
    std::int64_t server_id = 0;  ///< 0: the main server.
};

/// The leases of `state` that count at `now`: not closed and `expires_at` after `now`.
std::int64_t active_leases(const LineConnections& state, Timestamp now);

/// Opens a lease lasting `timeout` from `now` when fewer than `max_connections` leases count.
/// A lease id already open yields no events (a retry). @errors TooMany naming
/// `max_connections` ("the line already has N of N connections open") when every slot is
/// held; Invalid naming `lease_id` when it is empty.
Result<std::vector<ConnectionEvent>> decide(const LineConnections& state,
                                            std::int64_t max_connections, const OpenConnection& c,
                                            Timestamp now, std::chrono::seconds timeout);

/// Extends lease `lease_id` to `now + timeout`, with the `bytes` sent since its previous event.
/// @errors NotFound naming `lease_id` when it is closed or expired (the player lost its slot).
Result<std::vector<ConnectionEvent>> decide_renewal(const LineConnections& state,
                                                    const std::string& lease_id, Timestamp now,
                                                    std::chrono::seconds timeout,
                                                    std::int64_t bytes = 0);

/// Closes lease `lease_id` with `reason` and the `bytes` sent since its previous event; nothing
/// when it is closed already.
std::vector<ConnectionEvent> decide_close(const LineConnections& state, const std::string& lease_id,
                                          const std::string& reason, std::int64_t bytes = 0);

/// Closes, with reason `timeout`, every lease whose `expires_at` is not after `now`.
std::vector<ConnectionEvent> decide_sweep(const LineConnections& state, Timestamp now);

}  // namespace switchyard::core::iptv
