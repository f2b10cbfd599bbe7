#pragma once
/// The call path (issue 14): what Kamailio asks for each initial INVITE, the parts of Switchyard
/// that answer it, and the events a call leaves in the log. Pure data and interfaces; the
/// services that implement the interfaces live in events/voice, the HTTP surface Kamailio
/// calls in api/routes/voice/kamailio.cpp, the shipped configuration in adapters/kamailio.
///
/// A routing question goes through three parts, in this order, each of which may refuse:
///   1. `TrunkDirectory::identify`: which customer trunk sent the INVITE (source address, or the
///      digest username Kamailio verified against the HA1 the directory handed out);
///   2. `CallRouter::plan`: the ordered carrier gateways (least cost, quality, priority,
///      weight, load share), the margin guard, blocked routes, and why each was chosen;
///   3. `CallAdmission::admit`: channels per customer, trunk and carrier, calls per second,
///      prepaid balance, held atomically across concurrent calls; grants a maximum duration.
/// The answer is Kamailio's rtjson routing document (src/modules/rtjson, README.rtjson).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// What Kamailio knows about an initial INVITE when it asks for a route.
struct CallSetup {
    std::string call_id;    ///< SIP Call-ID (RFC 3261 §8.1.1.4), the call's key.
    std::string source_ip;  ///< `$si`: the signalling source address (IPv4 or IPv6).
    std::int64_t source_port = 0;
    std::string ruri_user;     ///< `$rU`: the dialled number as sent, tech prefix included.
    std::string from_user;     ///< `$fU`: the caller as sent in From.
    std::string from_display;  ///< `$fn`: may be empty.
    std::string pai_user;      ///< User part of P-Asserted-Identity (RFC 3325); may be empty.
    /// The digest username Kamailio verified with `pv_auth_check` against the HA1 from
    /// `TrunkDirectory::ha1`; empty for an IP-authenticated trunk or when no credentials came.
    std::string auth_user;
    std::vector<std::string> codecs;  ///< Offered codec names from the SDP (`PCMA`, `G729`).
    Timestamp setup_at;               ///< When the INVITE reached Kamailio (`$TV(Sn)`).
};

/// A refusal of a call: the SIP final response Kamailio sends to the caller, and why.
struct CallRefusal {
    int sip_code = 403;  ///< 4xx/5xx/6xx (RFC 3261 §21).
    std::string reason;  ///< The reason phrase, e.g. `Balance exhausted`, `CPS limit`.
    /// A stable machine code for the audit trail and tests: `unknown_trunk`, `challenge`,
    /// `cli_not_allowed`, `codec_not_allowed`, `customer_suspended`, `balance_exhausted`,
    /// `channel_limit`, `cps_limit`, `no_route`, `margin_guard`, `unavailable`.
    std::string code;
};

/// The customer trunk an INVITE came from, and the terms the rest of the path needs.
struct TrunkMatch {
    std::int64_t customer_id = 0;
    std::string trunk_id;
    std::string tech_prefix;       ///< Stripped from `ruri_user` before routing.
    std::string destination;       ///< E.164 digits without `+`, after the tech prefix.
    std::string caller;            ///< The CLI to present (after the trunk's caller-ID rules).
    std::string route_group_id;    ///< From the assignment system; may be empty (all routes).
    std::string sell_rating_plan;  ///< The rate card's plan the call is sold against.
    std::string currency;          ///< ISO 4217, the customer's.
    /// The rate card (sell deck id) `sell_rating_plan` belongs to; empty when none is assigned.
    /// Admission prices the call with it (TariffRegistry::current at the setup time).
    std::string sell_deck_id;
    /// The user part of the P-Asserted-Identity for the carrier leg (the trunk's PAI policy:
    /// the customer's as sent, none, or the trunk's default CLI); empty = no PAI header.
    std::string pai_user;
};

/// What `CallAdmission` granted a call: hold it until `release`.
struct Admission {
    std::int64_t max_duration_s = 0;  ///< The dialog timeout Kamailio enforces (whole seconds).
    Micros reserved_micros = 0;       ///< Prepaid balance held for the call; 0 for postpaid.
    Micros sell_per_minute = -1;      ///< The customer's price for the destination; -1 unknown.
};

/// One carrier gateway the call may be sent to, in the order tried.
struct RouteOption {
    std::string carrier_id;
    std::string gateway_id;
    std::string uri;      ///< Request-URI for the carrier: `sip:<tech prefix><number>@host:port`.
    std::string dst_uri;  ///< Next hop when it differs from the URI host; may be empty.
    /// Extra header lines for the carrier leg, each ending in CRLF (rtjson `headers.extra`).
    std::string extra_headers;
    std::string matched_prefix;        ///< The buy deck's prefix that priced the destination.
    Micros buy_per_minute = -1;        ///< -1 when the carrier's deck has no price for it.
    Micros sell_per_minute = -1;       ///< The customer's price; -1 unknown.
    std::int64_t fr_inv_timer_ms = 0;  ///< Ring timeout for this branch; 0 = Kamailio's default.
    std::string why;  ///< One line: strategy, rank and the figures that placed it there.
    /// Extension routing (core/voice/extension.hpp): Kamailio resolves the AoRs in `ring` with
    /// the registrar (`lookup("location")`) instead of sending to `uri`; every contact found
    /// rings at once. False for carrier and URI routes.
    bool location = false;
    std::vector<std::string> ring;  ///< location: the AoRs (`sip:201@realm`) to ring.
    /// Extension routing: the 1-based route to go on with when this one ends busy (486/600),
    /// unanswered (branch timeout, 408, 480) or unavailable (not registered, 404, 5xx); 0 =
    /// the caller gets that answer. Always after this route (Kamailio only moves forward).
    std::int64_t on_busy = 0;
    std::int64_t on_no_answer = 0;
    std::int64_t on_unavailable = 0;
};

/// A candidate left out of the plan, and why (`margin_guard`, `blocked`, `channel_limit`,
/// `quality_disabled`, `no_price`, `max_attempts`).
struct SkippedRoute {
    std::string carrier_id;
    std::string gateway_id;
    std::string reason;
    std::string detail;
};

/// The routing decision: the routes in order, and what was left out.
struct RoutePlan {
    std::string route_group_id;
    std::string strategy;  ///< `least_cost`, `quality`, `priority`, `weight`, `load_share`.
    std::int64_t max_attempts = 3;  ///< Failover stops after this many branches.
    /// The route the destination matched (core/voice/routing.hpp) and its prefix; empty when
    /// none matched (a DID's inbound plan, no route). Route quality groups attempts by them.
    std::string route_id;
    std::string route_prefix;
    std::vector<RouteOption> routes;
    std::vector<SkippedRoute> skipped;
};

struct CallRouted;

/// Identifies customer trunks. Implemented by events/voice (trunks helper).
class TrunkDirectory {
  public:
    virtual ~TrunkDirectory() = default;
    /// The trunk of an INVITE. @errors a `CallRefusal` in the value when the call must be
    /// refused (`unknown_trunk` 403, `challenge` = ask for digest credentials,
    /// `cli_not_allowed` 403, `codec_not_allowed` 488, `customer_suspended` 403).
    virtual Result<std::variant<TrunkMatch, CallRefusal>> identify(
        const CallSetup& setup) const = 0;
    /// The HA1 (RFC 2617 §3.2.2.2, lowercase hex MD5 of `username:realm:password`) of a digest
    /// username in `realm`. @errors NotFound when the user or realm is unknown.
    virtual Result<std::string> ha1(const std::string& username,
                                    const std::string& realm) const = 0;
};

/// Holds channels, calls per second and prepaid balance across concurrent calls.
class CallAdmission {
  public:
    virtual ~CallAdmission() = default;
    /// Admits a call or refuses it; idempotent on `setup.call_id` (a retried question gets the
    /// same grant). `first_carrier_id` is the carrier the first route goes to (carrier
    /// channels); the router runs first for that reason.
    virtual Result<std::variant<Admission, CallRefusal>> admit(const CallSetup& setup,
                                                               const TrunkMatch& trunk,
                                                               const RoutePlan& plan) = 0;
    /// A failover moved the call to another carrier (carrier channel counts follow it).
    virtual void moved(const std::string& call_id, const std::string& carrier_id) = 0;
    /// The call ended or failed: its channels and reservation are released. Idempotent.
    virtual void release(const std::string& call_id) = 0;
    /// After a restart: a call the log has open (routed, maybe answered, not ended) is held
    /// again, now on `carrier_id` (events/voice/call_service.hpp recover). Default: nothing, for
    /// an admission that keeps no state.
    virtual void restore(const CallRouted& routed, const std::string& carrier_id) {
        (void)routed;
        (void)carrier_id;
    }
};

/// Orders the carrier gateways for a destination.
class CallRouter {
  public:
    virtual ~CallRouter() = default;
    /// The plan for `trunk.destination` at `at`. An empty `routes` is a `no_route` refusal
    /// (the caller turns it into 404 or, when every candidate failed the margin guard, 403).
    virtual Result<RoutePlan> plan(const TrunkMatch& trunk, Timestamp at) const = 0;
};

// ---- the events a call leaves in the log (stream per call; codecs in events/voice) ----

/// Kamailio was told to route the call: the trunk, the grant and the plan with its reasons.
struct CallRouted {
    static constexpr std::string_view kType = "voice.call.routed";
    CallSetup setup;
    TrunkMatch trunk;
    Admission admission;
    RoutePlan plan;
};

/// Kamailio was told to refuse the call (the refusal is the SIP answer the caller got).
struct CallRejected {
    static constexpr std::string_view kType = "voice.call.rejected";
    CallSetup setup;
    std::int64_t customer_id = 0;  ///< 0 when the trunk was not identified.
    CallRefusal refusal;
};

/// One branch to a carrier ended without an answer (Kamailio's failure_route): the input of
/// route quality (ASR, NER, PDD) and of failover.
struct CallAttemptFailed {
    static constexpr std::string_view kType = "voice.call.attempt_failed";
    std::string call_id;
    std::int64_t attempt = 1;  ///< 1-based index into the plan's routes.
    std::string carrier_id;
    std::string gateway_id;
    int sip_code = 0;  ///< The carrier's final response; 408 for a branch timeout.
    std::string reason;
    Timestamp at;
};

/// The carrier answered (200 OK to the INVITE; Kamailio's `dialog:start`).
struct CallAnswered {
    static constexpr std::string_view kType = "voice.call.answered";
    std::string call_id;
    std::int64_t attempt = 1;
    std::string carrier_id;
    std::string gateway_id;
    Timestamp answered_at;
    std::int64_t pdd_ms = -1;  ///< Setup to the first 18x or the answer; -1 unknown.
};

/// An answered call ended. `billsec` is capped at the granted `max_duration_s`.
/// `reason`: `caller_bye`, `callee_bye`, `max_duration`, `estimated_max_duration` (no end was
/// reported within max duration and a margin: closed at answer + max duration).
struct CallEnded {
    static constexpr std::string_view kType = "voice.call.ended";
    std::string call_id;
    Timestamp ended_at;
    std::int64_t billsec = 0;
    std::string reason;
};

/// The call was never answered: every attempt failed, or the caller cancelled.
struct CallFailed {
    static constexpr std::string_view kType = "voice.call.failed";
    std::string call_id;
    int sip_code = 0;  ///< The final response the caller got (487 when it cancelled).
    std::string reason;
    Timestamp at;
};

using CallEvent =
    std::variant<CallRouted, CallRejected, CallAttemptFailed, CallAnswered, CallEnded, CallFailed>;

}  // namespace switchyard::core::voice
