#pragma once
/// The events of RADIUS accounting sessions (RFC 2866), decided by core/hotspot/accounting.hpp
/// from Accounting-Requests and folded into a SessionBook. Suggested stream: one per NAS,
/// `hotspot_sessions-<nas_id>`, so that Accounting-On/Off closes that NAS's sessions in one
/// decision. Payloads: schemas/events/hotspot/hotspot.session.*.v1.json.

#include <map>
#include <string>
#include <variant>

#include "core/hotspot/model.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// A session began (Accounting-Request Start, or the first Interim-Update or Stop of a session
/// whose Start never arrived). `session.counters` are those of the request.
struct SessionStarted {
    static constexpr std::string_view kType = "hotspot.session.started";
    Session session;
};

/// An Interim-Update moved a session's counters forward.
struct SessionUpdated {
    static constexpr std::string_view kType = "hotspot.session.updated";
    std::string unique_id;  ///< Acct-Unique-Session-Id.
    SessionCounters counters;
    std::string framed_ip;  ///< Framed-IP-Address when the NAS sent it (may appear late).
    Timestamp updated_at{};
};

/// A Stop ended a session, with its final counters and Acct-Terminate-Cause.
struct SessionStopped {
    static constexpr std::string_view kType = "hotspot.session.stopped";
    std::string unique_id;
    SessionCounters counters;
    std::string terminate_cause;  ///< e.g. `User-Request`, `Session-Timeout` (RFC 2866 5.10).
    Timestamp stopped_at{};
};

/// The NAS said it (re)booted or is going down (Accounting-On / Accounting-Off, RFC 2866 5.1
/// values 7 and 8): a session it had open is over, at its last known counters.
struct SessionClosedByNas {
    static constexpr std::string_view kType = "hotspot.session.closed_by_nas";
    std::string unique_id;
    std::string nas_id;
    std::string acct_status;  ///< `Accounting-On` or `Accounting-Off`.
    Timestamp closed_at{};
};

using SessionEvent =
    std::variant<SessionStarted, SessionUpdated, SessionStopped, SessionClosedByNas>;

/// The sessions of one stream (one NAS), by Acct-Unique-Session-Id, open and closed. Closed
/// sessions stay so that a retransmitted Stop is recognised as a duplicate.
struct SessionBook {
    std::map<std::string, Session, std::less<>> sessions;
    friend bool operator==(const SessionBook&, const SessionBook&) = default;
};

/// Folds one event into the book (total: an event for an unknown session adds it).
void evolve(SessionBook& book, const SessionEvent& event);

}  // namespace switchyard::core::hotspot
