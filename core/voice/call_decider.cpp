#include "core/voice/call_decider.hpp"

#include <algorithm>
#include <chrono>

namespace switchyard::core::voice {

const char* to_string(CallStatus s) noexcept {
    switch (s) {
        case CallStatus::None:
            return "none";
        case CallStatus::Routed:
            return "routed";
        case CallStatus::Rejected:
            return "rejected";
        case CallStatus::Answered:
            return "answered";
        case CallStatus::Ended:
            return "ended";
        case CallStatus::Failed:
            return "failed";
    }
    return "none";
}

const char* to_string(CallReport::Kind k) noexcept {
    switch (k) {
        case CallReport::Kind::Answered:
            return "answered";
        case CallReport::Kind::AttemptFailed:
            return "attempt_failed";
        case CallReport::Kind::Ended:
            return "ended";
        case CallReport::Kind::Failed:
            return "failed";
    }
    return "ended";
}

bool parse_call_report_kind(std::string_view text, CallReport::Kind& out) noexcept {
    for (auto k : {CallReport::Kind::Answered, CallReport::Kind::AttemptFailed,
                   CallReport::Kind::Ended, CallReport::Kind::Failed})
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    return false;
}

std::string CallState::current_carrier() const {
    if (!routed) return {};
    const auto& routes = routed->plan.routes;
    if (answered) return answered->carrier_id;
    std::int64_t next = 0;
    for (const auto& a : attempts_failed) next = std::max(next, a.attempt);
    if (next < static_cast<std::int64_t>(routes.size()))
        return routes[static_cast<std::size_t>(next)].carrier_id;
    return routes.empty() ? std::string{} : routes.back().carrier_id;
}

void evolve(CallState& state, const CallEvent& event) {
    std::visit(
        [&state](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, CallRouted>) {
                if (state.status != CallStatus::None) return;
                state.routed = e;
                state.status = CallStatus::Routed;
            } else if constexpr (std::is_same_v<E, CallRejected>) {
                if (state.status != CallStatus::None) return;
                state.rejected = e;
                state.status = CallStatus::Rejected;
            } else if constexpr (std::is_same_v<E, CallAttemptFailed>) {
                state.attempts_failed.push_back(e);
            } else if constexpr (std::is_same_v<E, CallAnswered>) {
                if (state.answered) return;
                state.answered = e;
                if (state.status == CallStatus::Routed) state.status = CallStatus::Answered;
            } else if constexpr (std::is_same_v<E, CallEnded>) {
                if (state.ended || state.failed) return;
                state.ended = e;
                state.status = CallStatus::Ended;
            } else if constexpr (std::is_same_v<E, CallFailed>) {
                if (state.ended || state.failed) return;
                state.failed = e;
                state.status = CallStatus::Failed;
            }
        },
        event);
}

std::int64_t billsec_of(Timestamp answered_at, Timestamp ended_at, std::int64_t max_duration_s) {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(ended_at - answered_at).count();
    if (us <= 0) return 0;
    const std::int64_t rounded = (us + 500'000) / 1'000'000;
    return max_duration_s > 0 ? std::min(rounded, max_duration_s) : rounded;
}

namespace {

const RouteOption* route_of(const CallState& state, std::int64_t attempt) {
    const auto& routes = state.routed->plan.routes;
    if (attempt < 1 || attempt > static_cast<std::int64_t>(routes.size())) return nullptr;
    return &routes[static_cast<std::size_t>(attempt - 1)];
}

/// The attempt an answer came on when Kamailio did not say: the one after the failed ones.
std::int64_t attempt_of(const CallState& state, std::int64_t reported) {
    if (reported > 0) return reported;
    std::int64_t last = 0;
    for (const auto& a : state.attempts_failed) last = std::max(last, a.attempt);
    return last + 1;
}

CallAnswered answered_event(const CallState& state, std::int64_t attempt, Timestamp at) {
    CallAnswered a;
    a.call_id = state.routed->setup.call_id;
    a.attempt = attempt_of(state, attempt);
    if (const auto* r = route_of(state, a.attempt)) {
        a.carrier_id = r->carrier_id;
        a.gateway_id = r->gateway_id;
    }
    a.answered_at = at;
    const auto pdd =
        std::chrono::duration_cast<std::chrono::milliseconds>(at - state.routed->setup.setup_at)
            .count();
    a.pdd_ms = pdd >= 0 ? pdd : -1;
    return a;
}

}  // namespace

Result<std::vector<CallEvent>> decide_report(const CallState& state, const CallReport& report) {
    if (!state.routed)
        return fail(Errc::NotFound, "call_id",
                    "call '" + report.call_id + "' was not routed by Switchyard");
    std::vector<CallEvent> out;
    if (!state.open()) return out;  // the first end wins
    // Before the routed INVITE reached Kamailio: an earlier transaction of the same Call-ID
    // (the INVITE a digest challenge answered), not this call's.
    if (report.event_at < state.routed->setup.setup_at) return out;
    const auto& call_id = state.routed->setup.call_id;
    switch (report.kind) {
        case CallReport::Kind::Answered:
            if (!state.answered)
                out.push_back(answered_event(state, report.attempt, report.event_at));
            break;
        case CallReport::Kind::AttemptFailed: {
            if (state.answered) break;
            const auto attempt = report.attempt > 0 ? report.attempt : attempt_of(state, 0);
            for (const auto& a : state.attempts_failed)
                if (a.attempt == attempt) return out;
            CallAttemptFailed f;
            f.call_id = call_id;
            f.attempt = attempt;
            if (const auto* r = route_of(state, attempt)) {
                f.carrier_id = r->carrier_id;
                f.gateway_id = r->gateway_id;
            }
            f.sip_code = report.sip_code;
            f.reason = report.reason;
            f.at = report.event_at;
            out.push_back(f);
            break;
        }
        case CallReport::Kind::Ended: {
            Timestamp answered_at = report.event_at;
            if (state.answered) {
                answered_at = state.answered->answered_at;
            } else if (report.answered_at) {
                answered_at = *report.answered_at;
                out.push_back(answered_event(state, report.attempt, answered_at));
            } else {
                // An end without any answer: the call never connected.
                CallFailed f{};
                f.call_id = call_id;
                f.sip_code = report.sip_code;
                f.reason = report.reason.empty() ? "ended_unanswered" : report.reason;
                f.at = report.event_at;
                out.push_back(f);
                break;
            }
            CallEnded e;
            e.call_id = call_id;
            e.ended_at = report.event_at;
            e.billsec =
                billsec_of(answered_at, report.event_at, state.routed->admission.max_duration_s);
            e.reason = report.reason;
            out.push_back(e);
            break;
        }
        case CallReport::Kind::Failed: {
            if (state.answered) break;  // a failure after the answer is not the call's
            CallFailed f{};
            f.call_id = call_id;
            f.sip_code = report.sip_code;
            f.reason = report.reason;
            f.at = report.event_at;
            out.push_back(f);
            break;
        }
    }
    return out;
}

std::vector<CallEvent> close_overdue(const CallState& state, Timestamp now, std::int64_t margin_s) {
    std::vector<CallEvent> out;
    if (!state.open()) return out;
    const auto max = std::chrono::seconds(state.routed->admission.max_duration_s);
    const auto margin = std::chrono::seconds(margin_s);
    if (state.answered) {
        if (now < state.answered->answered_at + max + margin) return out;
        CallEnded e;
        e.call_id = state.routed->setup.call_id;
        e.ended_at = state.answered->answered_at + max;
        e.billsec = state.routed->admission.max_duration_s;
        e.reason = "estimated_max_duration";
        out.push_back(e);
        return out;
    }
    if (now < state.routed->setup.setup_at + max + margin) return out;
    CallFailed f{};
    f.call_id = state.routed->setup.call_id;
    f.sip_code = 408;
    f.reason = "no_end_reported";
    f.at = state.routed->setup.setup_at + max;
    out.push_back(f);
    return out;
}

}  // namespace switchyard::core::voice
