#pragma once
/// The `audit_trail` read model: one row per event (time, actor, type, stream, ids; all but the
/// log's id block reservations), indexed by time, by actor, by stream and by type, for
/// `GET /v1/audit`.
///
/// Keys, with `<at>` = 20 bytes (event time in microseconds as 8-byte big-endian, partition as
/// 4, offset as 8: time order, then log order): `t/<at>` -> the row JSON (AuditPage);
/// `l/<stream>` -> the stream's last payload, redacted (the next row's `before`);
/// `y/<type>\0<at>`, `a/<actor>\0<at>`, `s/<stream>\0<at>` -> empty (the indexes).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections {

inline constexpr const char* kAuditTrail = "audit_trail.v2";

/// Creates the projector of `audit_trail.v2` (v2: before/after payloads, a type index).
std::unique_ptr<Projector> make_audit_trail_projector();

/// Filters of an audit query; empty ones do not filter.
struct AuditQuery {
    std::optional<core::Timestamp> from;  ///< Inclusive.
    std::optional<core::Timestamp> to;    ///< Exclusive.
    std::string actor;                    ///< `<kind>:<id>`, e.g. `api_key:k_01...`.
    std::string stream;                   ///< e.g. `line-42`.
    std::string type;                     ///< Exact event type.
    std::string cursor;                   ///< From a previous page's `next_cursor`.
    std::size_t limit = 100;              ///< 1 to 1000.
};

/// One page of audit rows, oldest first; each row a JSON object
/// `{"time","actor":{kind,id,ip},"type","stream","event_id","position","correlation_id","tenant",
/// "before","after"}`: `after` is the event's payload, `before` the previous payload of the same
/// stream (null for its first event); hashes and sealed secrets in both read `[redacted]`.
struct AuditPage {
    std::vector<std::string> rows;
    std::string next_cursor;  ///< Empty when there is nothing more.
};

/// Runs a query. @errors Invalid naming `cursor` when the cursor is malformed.
core::Result<AuditPage> query_audit(const ReadModelView& view, const AuditQuery& query);

}  // namespace switchyard::projections
