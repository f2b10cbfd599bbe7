#pragma once
/// The events of enforcement (issue 13 item 6): a staff request to end a session, and every
/// Dynamic Authorization request (RFC 5176 Disconnect-Request or CoA-Request) sent to a NAS,
/// each attempt and the outcome. The adapter adapters/radius/enforcer.hpp decides with
/// core/hotspot/enforcement.hpp and appends these; docs/hotspot-enforcement.md explains them.
///
/// Stream: one per session, `hotspot_dae-<tenant>-<Acct-Unique-Session-Id>` (dae_stream), so
/// the requests of one session are ordered and a session's enforcement history is one read.
/// Idempotency: a request has the id `<reason>` (or `<reason>:<n>` for the n-th speed change),
/// unique within its stream; a request id already in the stream is never sent again.
/// Payloads: schemas/events/hotspot/hotspot.dae.*.v1.json and
/// hotspot.session.end_requested.v1.json.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/hotspot/enforcement.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// The wire name of a reason (enforcement_reason_name): `data_used`, `time_used`, `expired`,
/// `disabled`, `speed_changed`, `staff_ended`.
inline const char* to_string(EnforcementReason r) noexcept {
    return enforcement_reason_name(r).data();  // the names are string literals
}
/// Reads a reason's wire name. @returns false for an unknown name.
inline bool parse_enforcement_reason(std::string_view text, EnforcementReason& out) noexcept {
    for (auto r : {EnforcementReason::DataUsed, EnforcementReason::TimeUsed,
                   EnforcementReason::Expired, EnforcementReason::Disabled,
                   EnforcementReason::SpeedChanged, EnforcementReason::StaffEnded}) {
        if (enforcement_reason_name(r) == text) {
            out = r;
            return true;
        }
    }
    return false;
}

/// `disconnect` (Disconnect-Request, code 40) or `coa` (CoA-Request, code 43).
inline const char* to_string(DynamicAuthorization k) noexcept {
    return k == DynamicAuthorization::Coa ? "coa" : "disconnect";
}
/// Reads `disconnect` or `coa`. @returns false otherwise.
inline bool parse_dynamic_authorization(std::string_view text, DynamicAuthorization& out) noexcept {
    if (text == "disconnect") {
        out = DynamicAuthorization::Disconnect;
        return true;
    }
    if (text == "coa") {
        out = DynamicAuthorization::Coa;
        return true;
    }
    return false;
}

/// One attribute as sent: its dictionary name and FreeRADIUS text value.
struct DaeSentAttribute {
    std::string name;   ///< e.g. `Acct-Session-Id`.
    std::string value;  ///< e.g. `81000001`; integers in decimal.
    friend bool operator==(const DaeSentAttribute&, const DaeSentAttribute&) = default;
};

/// Staff asked to end a session (DELETE /v1/hotspot/sessions/{id}); the enforcer answers with a
/// Disconnect-Request of reason `staff_ended`.
struct SessionEndRequested {
    static constexpr std::string_view kType = "hotspot.session.end_requested";
    std::string unique_id;  ///< Acct-Unique-Session-Id.
    std::string note;       ///< Why, free text of at most 256 characters; may be empty.
    std::string command_id;
    Timestamp requested_at{};
};

/// A Dynamic Authorization request was decided and is about to be sent (appended before the
/// first packet, so a crash in between resends on restart).
struct DaeRequested {
    static constexpr std::string_view kType = "hotspot.dae.requested";
    std::string request_id;  ///< `<reason>` or `<reason>:<n>`, unique in the stream.
    std::string unique_id;   ///< The session's Acct-Unique-Session-Id.
    std::string username;
    std::string nas_id;
    DynamicAuthorization kind = DynamicAuthorization::Disconnect;
    EnforcementReason reason = EnforcementReason::Expired;
    std::string address;                       ///< Where it goes (NAS coa_address, else address).
    std::int64_t port = 0;                     ///< UDP, the NAS's coa_port.
    std::vector<DaeSentAttribute> attributes;  ///< Identifying, then (CoA) new speed.
    Timestamp requested_at{};
};

/// One packet of a request was sent and what came of it (adapters/radius/dae_client.hpp
/// DaeAttempt).
struct DaeAttempted {
    static constexpr std::string_view kType = "hotspot.dae.attempted";
    std::string request_id;
    std::string unique_id;
    std::int64_t attempt = 1;     ///< 1-based.
    std::int64_t identifier = 0;  ///< The RADIUS Identifier of its packet, 0 to 255.
    Timestamp sent_at{};
    /// Microseconds from sending to the reply; none when no reply answered this packet.
    std::optional<std::int64_t> round_trip_us;
    std::string outcome;  ///< `ack`, `nak`, `timeout` or `error`.
};

/// A request ended: ACK, NAK (with Error-Cause), or no answer after every attempt.
struct DaeCompleted {
    static constexpr std::string_view kType = "hotspot.dae.completed";
    std::string request_id;
    std::string unique_id;
    std::string nas_id;
    std::string outcome;  ///< `ack`, `nak`, `timeout` or `error`.
    /// Error-Cause of a NAK (RFC 5176 3.5), e.g. 503.
    std::optional<std::int64_t> error_cause;
    std::string error_cause_name;  ///< e.g. `Session-Context-Not-Found`; may be empty.
    /// True for an ACK of a Disconnect-Request, and for a NAK with Error-Cause 503 Session
    /// Context Not Found (the session was already gone): nothing more is sent for it.
    bool session_gone = false;
    std::int64_t attempts = 0;
    std::string message;  ///< For `error`: what failed; may be empty.
    Timestamp completed_at{};
};

using DaeEvent = std::variant<SessionEndRequested, DaeRequested, DaeAttempted, DaeCompleted>;

/// The stream of a session's enforcement.
inline std::string dae_stream(const std::string& tenant, const std::string& unique_id) {
    return "hotspot_dae-" + tenant + "-" + unique_id;
}

/// RFC 5176 3.5 Error-Cause 503: "Session Context Not Found".
inline constexpr std::int64_t kSessionContextNotFound = 503;

}  // namespace switchyard::core::hotspot
