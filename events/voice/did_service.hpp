#pragma once
/// The DID command side (core/voice/did.hpp): loads `voice_dids-<tenant>`, runs the pure
/// decider (core/voice/did_decider.hpp) and appends its events with the expected revision,
/// deciding again on conflict. KYC documents are stored on disk (events/voice/kyc_store.hpp)
/// before their `voice.kyc.submitted` is decided. Reads fold the stream in memory and are
/// current with every command this process appended. The call path asks inbound_plan() for a
/// call to a DID.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/did_decider.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/voice/kyc_store.hpp"

namespace switchyard::events::voice {

class VoiceService;

/// What an inventory import did.
struct DidImportDetail {
    std::int64_t imported = 0;   ///< New numbers.
    std::int64_t updated = 0;    ///< Numbers whose fields changed, or restocked after release.
    std::int64_t unchanged = 0;  ///< Numbers already there with the same fields.
    bool replayed = false;       ///< The command id had imported before: nothing done.
    std::vector<core::voice::RowError> errors;  ///< Refused rows, by line.
};

/// What a KYC submission gives back: the document id and the stored file.
struct KycSubmitDetail {
    std::int64_t document_id = 0;
    KycFile file;
};

/// DID countries, providers, inventory, orders, KYC, fees, routing and porting of one tenant.
/// @thread safe.
class DidService {
  public:
    /// @param voice the voice customers: orders and reservations check the customer exists
    ///   (none: not checked). Must outlive the service.
    /// @param kyc where KYC documents go (none: submissions answer Unavailable).
    DidService(EventStore& store, std::string tenant, VoiceService* voice = nullptr,
               std::shared_ptr<const KycStore> kyc = nullptr);
    ~DidService();

    /// Any DID command core/voice/did_decider.hpp decides (DefineDidCountry,
    /// DefineDidProvider, SuspendDid, ResumeDid, ReleaseDid, SetDidRouting, SetPortStatus,
    /// ChargeMonthly, ApproveKyc, RejectKyc). Errors as the decider's, and the store's.
    template <class Command>
    requires requires(const core::voice::DidState& s, const Command& c,
                      const core::DecisionContext& ctx) {
        decide(s, c, ctx);
    }
    core::Result<CommandOutcome<>> execute(const Command& c, const core::DecisionContext& ctx) {
        return on_dids(ctx, [&](const core::voice::DidState& s) { return decide(s, c, ctx); });
    }
    /// Reserve and order check the customer first. @errors NotFound naming `customer_id` for
    /// an unknown voice customer; the decider's; the store's.
    core::Result<CommandOutcome<>> execute(const core::voice::ReserveDid& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::OrderDid& c,
                                           const core::DecisionContext& ctx);

    /// Imports inventory rows; refused rows come back in the detail with their lines.
    /// @errors the store's.
    core::Result<CommandOutcome<DidImportDetail>> import(const core::voice::ImportDids& c,
                                                         const core::DecisionContext& ctx);

    /// Stores a KYC document (checked by kyc_store) and submits it for `number` as `doc_type`.
    /// @errors Unavailable when no KYC store is configured; the store's put() errors; the
    ///         decider's (SubmitKyc); the event store's.
    core::Result<CommandOutcome<KycSubmitDetail>> submit_kyc(const std::string& number,
                                                             const std::string& doc_type,
                                                             std::string_view bytes,
                                                             const core::DecisionContext& ctx);

    /// The monthly fees of `period` (`YYYY-MM`): billing calls this on a schedule; each DID is
    /// charged once per period however often it runs. @errors Invalid naming `period`.
    core::Result<CommandOutcome<>> charge_monthly(const std::string& period,
                                                  const core::DecisionContext& ctx);

    /// The current state (shared, immutable). @errors the store's; Invalid for an event that
    /// cannot be decoded.
    core::Result<std::shared_ptr<const core::voice::DidState>> state() const;

    /// The KYC store, or null.
    const KycStore* kyc_store() const { return kyc_.get(); }

    /// Sets how trunk ids become `host:port` in inbound plans (the trunks service). Call before
    /// serving; not synchronised with inbound_plan().
    void set_trunk_resolver(core::voice::TrunkResolver resolve);

    /// The inbound routes of a call to `e164` (`+` optional): core/voice/did.hpp
    /// inbound_plan(). None when the number is not a DID, not active, has no routing, or the
    /// log cannot be read.
    std::optional<core::voice::RoutePlan> inbound_plan(const std::string& e164) const;

  private:
    using Decide = std::function<core::Result<std::vector<core::voice::DidEvent>>(
        const core::voice::DidState&)>;
    core::Result<CommandOutcome<>> on_dids(const core::DecisionContext& ctx, const Decide& decide);
    core::Result<void> check_customer(std::int64_t customer_id) const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::shared_ptr<const KycStore> kyc_;
};

}  // namespace switchyard::events::voice
