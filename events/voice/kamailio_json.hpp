#pragma once
/// The JSON Kamailio sends to Switchyard and the routing answer it reads back (the shipped
/// adapters/kamailio/kamailio.cfg builds the requests with `jansson_set` and reads the answer
/// with `jansson_get` and the rtjson module). Parsers of outside input: every error names the
/// field (fuzzed in tests/fuzz/kamailio_fuzz.cpp).
///
/// Times arrive as Kamailio's `$TV(Sn)` text (`"1767268800.123456"`, seconds and microseconds)
/// or as a JSON number of seconds (an integer, or a fraction).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/voice/call_decider.hpp"
#include "core/voice/call_path.hpp"

namespace switchyard::events::voice {

/// `POST /v1/voice/kamailio/route`: `{call_id, source_ip, source_port?, ruri_user, from_user?,
/// from_display?, pai?, auth_user?, codecs?, setup_ts?}`; `setup_ts` defaults to `now`.
/// `pai` may be a URI (`sip:+4930...@host`) or a user part: its user part is kept.
/// @errors Invalid naming the field: not JSON, a missing `call_id`/`source_ip`/`ruri_user`,
///         a wrong type, a Call-ID longer than 255 bytes, a bad time.
core::Result<core::voice::CallSetup> parse_route_request(std::string_view body,
                                                         core::Timestamp now);

/// `POST /v1/voice/kamailio/events`: `{kind, call_id, attempt?, sip_code?, reason?, event_ts?,
/// start_ts?}`; `event_ts` defaults to `now`; `start_ts` (the dialog's answer time, 0 = unknown)
/// is read for `ended`. Unknown keys (`from_uri`, `to_uri`, `setup_ts`) are ignored.
/// @errors Invalid naming the field: not JSON, an unknown `kind`, a missing `call_id`, a wrong
///         type, a bad time.
core::Result<core::voice::CallReport> parse_call_report(std::string_view body, core::Timestamp now);

/// `POST /v1/voice/kamailio/credentials`: `{username, realm, source_ip?}`.
struct CredentialsRequest {
    std::string username;
    std::string realm;
    std::string source_ip;
};

/// @errors Invalid naming `username` or `realm` when missing or empty, or the field of a wrong
///         type.
core::Result<CredentialsRequest> parse_credentials_request(std::string_view body);

/// What Switchyard tells Kamailio for one INVITE. `action`: `route`, `reject`, `challenge`.
struct RoutingAnswer {
    std::string action = "reject";
    int code = 0;          ///< reject: the SIP code for the caller.
    std::string reason;    ///< reject: the reason phrase.
    std::string refusal;   ///< reject: CallRefusal::code (`balance_exhausted`).
    std::string call_ref;  ///< The call's stream, for support.
    std::int64_t max_duration_s = 0;
    std::int64_t max_attempts = 0;
    std::vector<core::voice::RouteOption> routes;
    std::vector<core::voice::SkippedRoute> skipped;
};

/// The rtjson document (research note §1.2, src/modules/rtjson/rtjson_routing.c): `version`,
/// `routing` = `serial`, `action`, `code`/`reason` (reject), `max_duration`, `max_attempts`,
/// `call_ref`, `routes[]` each `{uri, dst_uri?, headers.extra?, fr_inv_timer?}`, and
/// `explain[]`: the routes' carrier, prefix, buy, sell and why, then the skipped candidates
/// with their reason. Extension routing (a route with `location`): each such route also has
/// `location` = 1 and `ring` (the AoRs), any route `on_busy`/`on_no_answer`/`on_unavailable`
/// (the 1-based route to go on with), and the document `local` = 1 (adapters/kamailio: the
/// script walks these routes itself, rtjson is not used for them).
std::string write_routing_answer(const RoutingAnswer& answer);

}  // namespace switchyard::events::voice
