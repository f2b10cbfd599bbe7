#pragma once
/// The accounting decision: one RADIUS Accounting-Request (Start, Interim-Update, Stop,
/// Accounting-On, Accounting-Off) applied to a NAS's sessions, giving the session events to
/// append (core/hotspot/session.hpp). Pure; the caller reads the request from rlm_rest JSON
/// (events/hotspot/rlm_rest_json.hpp accounting_request()).

#include <cstdint>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/hotspot/session.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// One Accounting-Request as FreeRADIUS passes it. Octet and gigaword counts are the 32-bit
/// attribute values (0 to 2^32 - 1); the 64-bit count is octets + 2^32 x gigawords
/// (RFC 2869 5.1, 5.2).
struct AccountingRequest {
    AcctStatus status = AcctStatus::Start;  ///< Acct-Status-Type (RFC 2866 5.1).
    std::string unique_id;                  ///< Acct-Unique-Session-Id (FreeRADIUS).
    std::string acct_session_id;            ///< Acct-Session-Id (RFC 2866 5.5).
    std::string username;                   ///< User-Name.
    std::string nas_id;                     ///< The NAS the caller matched the request to.
    std::string nas_ip;                     ///< NAS-IP-Address.
    std::string framed_ip;                  ///< Framed-IP-Address; may be empty.
    std::string calling_station_id;
    std::string called_station_id;
    std::int64_t input_octets = 0;      ///< Acct-Input-Octets (RFC 2866 5.3).
    std::int64_t input_gigawords = 0;   ///< Acct-Input-Gigawords (RFC 2869 5.1).
    std::int64_t output_octets = 0;     ///< Acct-Output-Octets (RFC 2866 5.4).
    std::int64_t output_gigawords = 0;  ///< Acct-Output-Gigawords (RFC 2869 5.2).
    std::int64_t session_seconds = 0;   ///< Acct-Session-Time (RFC 2866 5.7).
    std::string terminate_cause;        ///< Acct-Terminate-Cause name (RFC 2866 5.10).
    Timestamp now{};                    ///< When the request arrived (or its Event-Timestamp).
};

/// The 64-bit counters of a request: octets + 2^32 x gigawords for each direction.
/// @errors Invalid naming the attribute (`Acct-Input-Octets`, `Acct-Input-Gigawords`, ...)
///         when a value is outside 0 to 2^32 - 1, or `Acct-Session-Time` when negative.
Result<SessionCounters> counters_of(const AccountingRequest& request);

/// The session events one Accounting-Request gives, given the NAS's sessions so far:
/// - Start: SessionStarted; a repeated Start of a known session gives nothing.
/// - Interim-Update: SessionUpdated when the counters moved forward; the same or older
///   counters (a retransmission, a duplicate, a late packet) give nothing; for an unknown
///   session, SessionStarted with these counters.
/// - Stop: SessionStopped; for an unknown session SessionStarted then SessionStopped (its
///   start = now - Acct-Session-Time); a Stop for a stopped session gives nothing.
/// - Accounting-On / Accounting-Off: SessionClosedByNas for each open session of `nas_id`.
/// @errors Invalid naming the field when a counter is out of range, when Acct-Unique-Session-Id
///         is missing (Start, Interim-Update, Stop), or when a counter goes backwards while
///         another moves forward (`Acct-Input-Octets`, `Acct-Output-Octets`,
///         `Acct-Session-Time`: "went backwards from X to Y"), and Rejected naming
///         `Acct-Status-Type` for an Interim-Update with larger counters after a Stop.
/// @source RFC 2866 sections 4, 5.1-5.7, 5.10; RFC 2869 5.1-5.2.
Result<std::vector<SessionEvent>> decide_accounting(const SessionBook& book,
                                                    const AccountingRequest& request);

}  // namespace switchyard::core::hotspot
