#pragma once
/// One call through Kamailio as the log has it (stream `voice_call-<tenant>-<hash of Call-ID>`,
/// core/voice/call_path.hpp): the fold of its `voice.call.*` events, and the pure rules that
/// turn what Kamailio reports (answered, a failed branch, ended, failed) into events.
///
/// Rules (issue 14, research note §1.4 and §1.5):
/// - the first event is `routed` or `rejected`; a rejected call takes no report;
/// - reports are idempotent: Kamailio re-sends until it gets a 200, so a report that adds nothing
///   (a second `answered`, the same branch failure twice, any report after the call closed)
///   decides no event. The first end wins;
/// - `billsec` = min(round(end - answer), the granted max duration), never negative: the dialog
///   timer cuts up to a second late, the customer pays at most what was granted;
/// - a report of something that happened before the routed INVITE reached Kamailio belongs to
///   an earlier transaction with the same Call-ID (the INVITE a digest challenge answered: its
///   dialog fails with the 407) and decides nothing;
/// - an `ended` for a call whose `answered` has not arrived yet (Kamailio's queue re-orders on
///   retries) carries the answer time and decides both `answered` and `ended`;
/// - a call without an end past its deadline (answer or setup + max duration + margin) is closed
///   by close_overdue: `ended` with reason `estimated_max_duration` and billsec = max duration
///   when answered, `failed` when it never was.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/call_path.hpp"

namespace switchyard::core::voice {

/// Where a call stands. Wire names `none`, `routed`, `rejected`, `answered`, `ended`, `failed`.
enum class CallStatus { None, Routed, Rejected, Answered, Ended, Failed };

const char* to_string(CallStatus s) noexcept;

/// A call folded from its events.
struct CallState {
    CallStatus status = CallStatus::None;
    std::optional<CallRouted> routed;
    std::optional<CallRejected> rejected;
    std::vector<CallAttemptFailed> attempts_failed;
    std::optional<CallAnswered> answered;
    std::optional<CallEnded> ended;
    std::optional<CallFailed> failed;

    /// True once routed and not yet ended or failed (it holds channels and balance).
    bool open() const { return status == CallStatus::Routed || status == CallStatus::Answered; }
    /// The carrier the call is on now: the answered attempt's, else the route after the last
    /// failed attempt, else the first route's. Empty when not routed.
    std::string current_carrier() const;
};

/// Folds one event (total: every event is accepted; a second first event is ignored).
void evolve(CallState& state, const CallEvent& event);

/// What Kamailio reports about a call (POST /v1/voice/kamailio/events). Kind wire names
/// `answered`, `attempt_failed`, `ended`, `failed`.
struct CallReport {
    enum class Kind { Answered, AttemptFailed, Ended, Failed };
    Kind kind = Kind::Ended;
    std::string call_id;
    /// 1-based branch index (Kamailio's `$avp(attempts)`); 0 when Kamailio did not say.
    std::int64_t attempt = 0;
    int sip_code = 0;    ///< attempt_failed / failed: the final response.
    std::string reason;  ///< ended: `caller_bye`, `callee_bye`, `max_duration`; else the text.
    Timestamp event_at;  ///< When it happened at Kamailio (`$TV(Sn)`).
    /// ended: the answer time as the dialog has it (`$dlg(start_ts)`); none when unknown.
    std::optional<Timestamp> answered_at;
};

const char* to_string(CallReport::Kind k) noexcept;
bool parse_call_report_kind(std::string_view text, CallReport::Kind& out) noexcept;

/// billsec of an answered call: min(round(end - answer) in whole seconds, max_duration_s),
/// at least 0 (half a second rounds up).
std::int64_t billsec_of(Timestamp answered_at, Timestamp ended_at, std::int64_t max_duration_s);

/// The events a report adds to `state` (see the file comment); empty when it adds nothing.
/// @errors NotFound naming `call_id` when the call was never routed (unknown or rejected): the
///         caller answers it as ignored, Kamailio must not send it again.
Result<std::vector<CallEvent>> decide_report(const CallState& state, const CallReport& report);

/// The events that close a call left open past its deadline at `now`: the answer (or setup)
/// time + max duration + `margin_s`. Empty when the call is not open or not overdue.
std::vector<CallEvent> close_overdue(const CallState& state, Timestamp now, std::int64_t margin_s);

}  // namespace switchyard::core::voice
