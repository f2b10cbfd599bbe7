#include "events/voice/call_service.hpp"

#include <chrono>
#include <cmath>
#include <set>

#include "events/command_handler.hpp"
#include "events/uuid.hpp"
#include "events/voice/call_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;
using core::Errc;

std::string call_stream(const std::string& tenant, const std::string& call_id) {
    return "voice_call-" + tenant + "-" + sha256_hex(call_id).substr(0, 32);
}

namespace {

/// The answer a call's first event implies (the same every time Kamailio asks).
RoutingAnswer answer_of(const CallState& state, const std::string& stream) {
    RoutingAnswer a;
    a.call_ref = stream;
    if (state.rejected) {
        a.action = "reject";
        a.code = state.rejected->refusal.sip_code;
        a.reason = state.rejected->refusal.reason;
        a.refusal = state.rejected->refusal.code;
        return a;
    }
    const auto& r = *state.routed;
    a.action = "route";
    a.max_duration_s = r.admission.max_duration_s;
    a.routes = r.plan.routes;
    a.skipped = r.plan.skipped;
    const auto n = static_cast<std::int64_t>(r.plan.routes.size());
    a.max_attempts = r.plan.max_attempts > 0 ? std::min(r.plan.max_attempts, n) : n;
    return a;
}

Disposition disposition_of(int sip_code) {
    switch (sip_code) {
        case 486:
        case 600:
            return Disposition::Busy;
        case 408:
        case 480:
        case 487:
            return Disposition::NoAnswer;
        case 503:
            return Disposition::Congestion;
        default:
            return Disposition::Failed;
    }
}

std::int64_t round_seconds(core::Timestamp from, core::Timestamp to) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
    return us <= 0 ? 0 : (us + 500'000) / 1'000'000;
}

/// A refusal of a call whose plan has no route: 403 when every candidate failed the margin
/// guard (selling would lose money), else 404.
CallRefusal no_route(const RoutePlan& plan) {
    bool all_margin = !plan.skipped.empty();
    for (const auto& s : plan.skipped) all_margin = all_margin && s.reason == "margin_guard";
    if (all_margin) return {403, "No Profitable Route", "margin_guard"};
    return {404, "No Route", "no_route"};
}

}  // namespace

CallRecord call_record_of(const CallState& state, const std::string& switch_name) {
    const auto& routed = *state.routed;
    CallRecord r;
    r.source = CdrSource::Kamailio;
    r.switch_name = switch_name;
    r.switch_key = routed.setup.call_id;
    r.accountcode = std::to_string(routed.trunk.customer_id);
    r.caller = routed.trunk.caller.empty() ? routed.setup.from_user : routed.trunk.caller;
    r.caller_name = routed.setup.from_display;
    r.destination =
        routed.trunk.destination.empty() ? routed.setup.ruri_user : routed.trunk.destination;
    r.context = routed.trunk.trunk_id;
    r.source_ip = routed.setup.source_ip;
    r.uniqueid = routed.setup.call_id;
    const auto carrier = state.current_carrier();
    r.trunk = carrier;
    for (const auto& route : routed.plan.routes)
        if (route.carrier_id == carrier) {
            r.dst_channel = route.uri;
            break;
        }
    if (state.answered)
        for (const auto& route : routed.plan.routes)
            if (route.carrier_id == state.answered->carrier_id &&
                route.gateway_id == state.answered->gateway_id) {
                r.dst_channel = route.uri;
                break;
            }
    r.start = routed.setup.setup_at;
    if (state.ended && state.answered) {
        r.answer = state.answered->answered_at;
        r.end = state.ended->ended_at;
        r.billsec = state.ended->billsec;
        r.disposition = Disposition::Answered;
        r.hangup_cause = state.ended->reason;
    } else if (state.failed) {
        r.end = state.failed->at;
        r.billsec = 0;
        r.disposition = disposition_of(state.failed->sip_code);
        r.hangup_cause = std::to_string(state.failed->sip_code) + " " + state.failed->reason;
    } else {
        r.end = r.start;
    }
    r.duration_s = round_seconds(r.start, r.end);
    if (r.duration_s < r.billsec) r.duration_s = r.billsec;
    return r;
}

struct CallService::Impl {
    Impl(EventStore& s, const TrunkDirectory& t, const CallRouter& r, CallAdmission& a,
         CdrService& c, CallServiceOptions o)
        : store(s),
          trunks(t),
          router(r),
          admission(a),
          cdrs(c),
          options(std::move(o)),
          calls(s, decode_call_event) {}

    EventStore& store;
    const TrunkDirectory& trunks;
    const CallRouter& router;
    CallAdmission& admission;
    CdrService& cdrs;
    CallServiceOptions options;
    AggregateLoader<CallState, CallEvent> calls;

    std::string stream_of(const std::string& call_id) const {
        return call_stream(options.tenant, call_id);
    }

    /// Appends `event` as the call's first event. @returns the state after it: folded here
    /// when the append succeeds (no read back on the routing path), the stored one when another
    /// request got there first.
    core::Result<CallState> append_first(const std::string& stream, const CallEvent& event,
                                         const core::DecisionContext& ctx) {
        std::vector<CallEvent> events{event};
        auto appended = store.append({{stream, ExpectedRevision::no_stream(),
                                       to_new_events(events, encode, ctx, options.tenant)}});
        if (appended) {
            CallState state;
            evolve(state, event);
            return state;
        }
        if (appended.error().code != Errc::Conflict) return core::fail(appended.error());
        auto [state, rev] = SY_TRY(calls.load(stream));
        (void)rev;
        return state;
    }

    core::Result<RoutingAnswer> reject(const std::string& stream, const CallSetup& setup,
                                       std::int64_t customer_id, CallRefusal refusal,
                                       const core::DecisionContext& ctx) {
        auto state = SY_TRY(append_first(stream, CallRejected{setup, customer_id, refusal}, ctx));
        return answer_of(state, stream);
    }

    /// Routes a call to an active DID along its inbound plan (see the header).
    core::Result<RoutingAnswer> route_did(const std::string& stream, const CallSetup& setup,
                                          RoutePlan plan, const core::DecisionContext& ctx) {
        TrunkMatch did;
        did.trunk_id = "did";
        did.destination = setup.ruri_user;
        did.caller = setup.from_user;
        Admission grant;
        grant.max_duration_s = options.did_max_duration_s;
        auto state =
            SY_TRY(append_first(stream, CallRouted{setup, did, grant, std::move(plan)}, ctx));
        return answer_of(state, stream);
    }

    /// Routes a call to an extension or ring group along its plan (no reservation, max
    /// duration options.extension_max_duration_s), trunk id `extension`.
    core::Result<RoutingAnswer> route_local(const std::string& stream, const CallSetup& setup,
                                            RoutePlan plan, const core::DecisionContext& ctx) {
        TrunkMatch local;
        local.trunk_id = "extension";
        local.destination = setup.ruri_user;
        local.caller = setup.from_user;
        Admission grant;
        grant.max_duration_s = options.extension_max_duration_s;
        auto state =
            SY_TRY(append_first(stream, CallRouted{setup, local, grant, std::move(plan)}, ctx));
        return answer_of(state, stream);
    }

    /// Ingests the CDR of a closed call, then releases its admission.
    core::Result<std::string> close(const CallState& state, const core::DecisionContext& ctx) {
        const auto record = call_record_of(state, options.switch_name);
        auto report = SY_TRY(cdrs.ingest({record}, ctx));
        admission.release(state.routed->setup.call_id);
        return report.outcomes.empty() ? std::string{} : report.outcomes.front().status;
    }

    /// Appends `decide(state)`'s events to the call's stream (reloading on conflict).
    /// @returns the state after, and whether something was appended and where.
    template <class Decide>
    core::Result<std::tuple<CallState, bool, std::vector<Position>>> apply(
        const std::string& stream, Decide decide, const core::DecisionContext& ctx) {
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(calls.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{
                    {stream, ExpectedRevision::at(rev),
                     to_new_events(events, encode, ctx, options.tenant)}};
            }));
        auto [state, rev] = SY_TRY(calls.load(stream));
        (void)rev;
        const bool changed = !appended.writes.empty() && !appended.deduplicated;
        return std::make_tuple(std::move(state), changed, appended.last_positions());
    }
};

CallService::CallService(EventStore& store, const TrunkDirectory& trunks, const CallRouter& router,
                         CallAdmission& admission, CdrService& cdrs, CallServiceOptions options)
    : impl_(std::make_unique<Impl>(store, trunks, router, admission, cdrs, std::move(options))) {}

CallService::~CallService() = default;

core::Result<RoutingAnswer> CallService::route(const CallSetup& setup,
                                               const core::DecisionContext& ctx) {
    auto& m = *impl_;
    const auto stream = m.stream_of(setup.call_id);
    {
        auto [state, rev] = SY_TRY(m.calls.load(stream));
        (void)rev;
        if (state.status != CallStatus::None) return answer_of(state, stream);
    }
    if (m.options.did_plan) {
        auto inbound = m.options.did_plan(setup.ruri_user);
        if (inbound && m.options.expand_did_plan)
            inbound = m.options.expand_did_plan(std::move(*inbound));
        if (inbound && !inbound->routes.empty())
            return m.route_did(stream, setup, std::move(*inbound), ctx);
    }
    if (m.options.extension_route) {
        if (auto local = m.options.extension_route(setup)) {
            if (auto* refusal = std::get_if<CallRefusal>(&*local)) {
                if (refusal->code == "challenge") {
                    RoutingAnswer a;
                    a.action = "challenge";
                    a.call_ref = stream;
                    return a;
                }
                return m.reject(stream, setup, 0, *refusal, ctx);
            }
            return m.route_local(stream, setup, std::get<RoutePlan>(std::move(*local)), ctx);
        }
    }
    auto identified = SY_TRY(m.trunks.identify(setup));
    if (auto* refusal = std::get_if<CallRefusal>(&identified)) {
        if (refusal->code == "challenge") {
            RoutingAnswer a;
            a.action = "challenge";
            a.call_ref = stream;
            return a;
        }
        return m.reject(stream, setup, 0, *refusal, ctx);
    }
    const auto& trunk = std::get<TrunkMatch>(identified);
    auto plan = SY_TRY(m.router.plan(trunk, setup.setup_at));
    if (plan.routes.empty()) return m.reject(stream, setup, trunk.customer_id, no_route(plan), ctx);
    auto admitted = SY_TRY(m.admission.admit(setup, trunk, plan));
    if (auto* refusal = std::get_if<CallRefusal>(&admitted))
        return m.reject(stream, setup, trunk.customer_id, *refusal, ctx);
    CallRouted routed{setup, trunk, std::get<Admission>(admitted), std::move(plan)};
    auto state = m.append_first(stream, routed, ctx);
    if (!state) {
        m.admission.release(setup.call_id);
        return core::fail(state.error());
    }
    return answer_of(*state, stream);
}

core::Result<ReportOutcome> CallService::report(const CallReport& report,
                                                const core::DecisionContext& ctx) {
    auto& m = *impl_;
    const auto stream = m.stream_of(report.call_id);
    ReportOutcome out;
    auto applied = m.apply(
        stream,
        [&](const CallState& s) -> core::Result<std::vector<CallEvent>> {
            return decide_report(s, report);
        },
        ctx);
    if (!applied) {
        if (applied.error().code == Errc::NotFound) {
            out.status = "ignored";
            return out;
        }
        return core::fail(applied.error());
    }
    auto& [state, changed, positions] = *applied;
    out.status = changed ? "recorded" : "duplicate";
    out.positions = positions;
    if (changed && state.open()) {
        // A failover or an answer on a later attempt: the carrier channel follows the call.
        const auto carrier = state.current_carrier();
        if (report.kind == CallReport::Kind::AttemptFailed ||
            (report.kind == CallReport::Kind::Answered && state.answered &&
             state.answered->attempt > 1))
            if (!carrier.empty()) m.admission.moved(report.call_id, carrier);
    }
    if (state.status == CallStatus::Ended || state.status == CallStatus::Failed)
        out.cdr_status = SY_TRY(m.close(state, ctx));
    return out;
}

core::Result<std::string> CallService::ha1(const std::string& username,
                                           const std::string& realm) const {
    auto trunk = impl_->trunks.ha1(username, realm);
    if (trunk || trunk.error().code != Errc::NotFound || !impl_->options.extension_ha1)
        return trunk;
    return impl_->options.extension_ha1(username, realm);
}

core::Result<RecoverReport> CallService::recover(const core::DecisionContext& ctx) {
    auto& m = *impl_;
    RecoverReport out;
    const auto prefix = "voice_call-" + m.options.tenant + "-";
    auto streams = SY_TRY(streams_with_event(m.store, CallRouted::kType));
    for (const auto& stream : streams) {
        if (!stream.starts_with(prefix)) continue;
        auto applied = SY_TRY(m.apply(
            stream,
            [&](const CallState& s) -> core::Result<std::vector<CallEvent>> {
                return close_overdue(s, ctx.now, m.options.overdue_margin_s);
            },
            ctx));
        auto& [state, changed, positions] = applied;
        (void)positions;
        if (state.open()) {
            m.admission.restore(*state.routed, state.current_carrier());
            ++out.restored;
            continue;
        }
        if (!changed) continue;  // closed before: its CDR went with its end
        ++out.closed;
        SY_TRY(m.close(state, ctx));
        ++out.cdrs;
    }
    return out;
}

core::Result<std::pair<CallState, std::vector<RecordedEvent>>> CallService::load(
    const std::string& call_id) {
    auto& m = *impl_;
    const auto stream = m.stream_of(call_id);
    auto [state, rev] = SY_TRY(m.calls.load(stream));
    (void)rev;
    auto events = SY_TRY(m.store.read_stream(stream, 0, 10'000));
    return std::make_pair(std::move(state), std::move(events));
}

}  // namespace switchyard::events::voice
