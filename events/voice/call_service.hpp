#pragma once
/// The call path's command side (issue 14): answers Kamailio's routing question for each
/// initial INVITE and records what Kamailio reports about the call, one stream per call
/// (`voice_call-<tenant>-<first 32 hex digits of SHA-256(Call-ID)>`; the Call-ID itself is in
/// every event).
///
/// route(): a dialled number that is an active DID (options.did_plan) is routed to the DID's
/// targets (`voice.call.routed` with TrunkMatch{customer_id 0, trunk_id `did`}, no reservation,
/// max duration options.did_max_duration_s); else identify (TrunkDirectory) -> plan (CallRouter) ->
/// admit (CallAdmission), then `voice.call.routed` or `voice.call.rejected` is appended BEFORE the
/// answer is given. The answer is a pure function of that first event, so Kamailio asking again for
/// the same Call-ID gets the same answer and nothing is appended twice. A digest challenge is
/// neither appended nor remembered: the INVITE with credentials comes with the same Call-ID.
///
/// report(): `answered`, `attempt_failed`, `ended`, `failed` (core/voice/call_decider.hpp),
/// idempotent (Kamailio re-sends until it gets a 200; the first end wins). When the call closes
/// its CDR (`CallRecord{source=Kamailio, switch_name="kamailio", switch_key=Call-ID}`) is
/// ingested by the CdrService (rated and debited exactly once: the CDR id comes from the switch
/// key), THEN the admission is released. A report of a closed call ingests again (a duplicate
/// for the CDR service) and releases again (idempotent), so a crash between the two heals on
/// Kamailio's retry.
///
/// recover(): after a restart, open calls are handed back to CallAdmission (`restore`), and a
/// call with no end past max duration + margin is closed (`estimated_max_duration`).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/call_decider.hpp"
#include "core/voice/call_path.hpp"
#include "events/event_store.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/kamailio_json.hpp"

namespace switchyard::events::voice {

struct CallServiceOptions {
    std::string tenant = "op";
    /// An open call is closed by recover() once this long past its max duration. Default 30 s.
    std::int64_t overdue_margin_s = 30;
    /// The CDR's `switch_name` (part of the CDR id with the Call-ID). Default `kamailio`.
    std::string switch_name = "kamailio";
    /// The inbound plan of a dialled number that is an active DID (DidService::inbound_plan),
    /// none otherwise; unset = no DIDs. route() asks it first: a DID call goes to the DID's
    /// targets without the trunk, routing and admission checks of an outbound call.
    std::function<std::optional<core::voice::RoutePlan>(const std::string& number)> did_plan;
    /// The max duration granted to a DID call (the dialog timeout), seconds. Default 3 h.
    std::int64_t did_max_duration_s = 3 * 3600;
    /// Calls to and between extensions (ExtensionService::route): a plan, a refusal (a
    /// `challenge` code asks for credentials), or none when the call is the trunks' business.
    /// Unset = no extensions. Asked after the DIDs and before the trunks.
    std::function<std::optional<std::variant<core::voice::RoutePlan, core::voice::CallRefusal>>(
        const core::voice::CallSetup& setup)>
        extension_route;
    /// Replaces the extension and ring group routes of a DID plan by their plans
    /// (ExtensionService::expand); unset = kept as they are.
    std::function<core::voice::RoutePlan(core::voice::RoutePlan)> expand_did_plan;
    /// The HA1 of a digest username no trunk has (ExtensionService::ha1); unset = none.
    std::function<core::Result<std::string>(const std::string& username, const std::string& realm)>
        extension_ha1;
    /// The max duration granted to a call to an extension, seconds. Default 3 h.
    std::int64_t extension_max_duration_s = 3 * 3600;
};

/// The stream of a call: `voice_call-<tenant>-<32 hex digits>`.
std::string call_stream(const std::string& tenant, const std::string& call_id);

/// The CDR of a closed call: source Kamailio, switch key = Call-ID, accountcode = the customer
/// id in decimal, trunk = the carrier it was answered on (or tried last), dst_channel = that
/// route's URI, caller/destination as the trunk normalised them, source IP of the INVITE;
/// start = setup, answer, end, duration and billsec from the events; disposition answered,
/// busy (486/600), no_answer (408/480/487), congestion (503), else failed.
/// @pre state.routed and the call is ended or failed.
core::voice::CallRecord call_record_of(const core::voice::CallState& state,
                                       const std::string& switch_name);

/// What report() did: `recorded` (appended), `duplicate` (nothing new), `ignored` (the call was
/// never routed: rejected, refused before routing, or unknown).
struct ReportOutcome {
    std::string status;
    std::vector<Position> positions;
    std::string cdr_status;  ///< The CDR service's status when the call closed, else empty.
};

/// What recover() did.
struct RecoverReport {
    std::int64_t restored = 0;  ///< Open calls handed back to CallAdmission.
    std::int64_t closed = 0;    ///< Overdue calls closed.
    std::int64_t cdrs = 0;      ///< CDRs ingested for the calls closed now.
};

/// @thread safe; the interfaces must be thread-safe too (Kamailio asks from several workers).
class CallService {
  public:
    /// All references must outlive the service.
    CallService(EventStore& store, const core::voice::TrunkDirectory& trunks,
                const core::voice::CallRouter& router, core::voice::CallAdmission& admission,
                CdrService& cdrs, CallServiceOptions options = {});
    ~CallService();

    /// The answer to Kamailio's routing question (see the file comment).
    /// @errors the interfaces' and the store's errors (Kamailio answers the caller
    ///         `503 Routing Unavailable`); the admission is released when the append failed.
    core::Result<RoutingAnswer> route(const core::voice::CallSetup& setup,
                                      const core::DecisionContext& ctx);

    /// Records a report from Kamailio (see the file comment).
    /// @errors the store's; the CDR service's when it could not bring its tariffs up to date.
    core::Result<ReportOutcome> report(const core::voice::CallReport& report,
                                       const core::DecisionContext& ctx);

    /// The HA1 of a digest username for Kamailio (TrunkDirectory::ha1).
    /// @errors NotFound when the user or realm is unknown.
    core::Result<std::string> ha1(const std::string& username, const std::string& realm) const;

    /// Replays the log's calls: open ones are restored into CallAdmission, overdue ones closed
    /// (their CDR ingested, admission released). Call once after start (and periodically to
    /// close calls whose end Kamailio lost).
    /// @errors the store's.
    core::Result<RecoverReport> recover(const core::DecisionContext& ctx);

    /// A call as the log has it (status None when unknown) and its events in order.
    core::Result<std::pair<core::voice::CallState, std::vector<RecordedEvent>>> load(
        const std::string& call_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
