#pragma once
/// Resellers' commissions of one tenant (core/billing/commission.hpp): rates set by staff,
/// commissions earned in the same atomic append as the sale's charge (SubscriptionService calls
/// prepare_earn inside its attempt), approved or rejected (the reversal of the commission's
/// entry in the same append as `rejected`), and paid out: the payout's stream (new), each
/// commission's `paid` at its stream's revision and the payout's entry in one append, so a
/// commission is paid once even when two payouts race.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/billing/commission.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// @thread safe.
class CommissionService {
  public:
    CommissionService(EventStore& store, LedgerService& ledger, std::string tenant);
    ~CommissionService();

    /// @errors as core::billing::decide(CommissionRateState, CommissionRate); the store's.
    core::Result<CommandOutcome<>> set_rate(const core::billing::CommissionRate& rate,
                                            const core::DecisionContext& ctx);
    /// A reseller's rate (none when never set). @errors the store's; Invalid on decoding.
    core::Result<core::billing::CommissionRateState> rate(const std::string& reseller_id);

    /// The writes that earn the commission of `sale` under its reseller's present rate: the
    /// commission's stream (new) and its entry; empty when the rate gives nothing. Call inside
    /// the sale's execute_command attempt. @errors the store's; as LedgerService::prepare_post.
    core::Result<std::vector<StreamWrite>> prepare_earn(const core::billing::Sale& sale,
                                                        const core::DecisionContext& ctx);

    /// @errors as core::billing::decide_approve; the store's.
    core::Result<CommandOutcome<>> approve(const std::string& commission_id,
                                           const core::DecisionContext& ctx);
    /// Rejects the commission and reverses its entry in the same append.
    /// @errors as core::billing::decide_reject; the store's.
    core::Result<CommandOutcome<>> reject(const std::string& commission_id,
                                          const std::string& reason,
                                          const core::DecisionContext& ctx);
    /// Pays out the reseller's approved, unpaid commissions among `candidates` (ids, oldest
    /// first, e.g. from the read model; each is checked on its own stream). The same payout id
    /// again answers unchanged.
    /// @errors as core::billing::decide_payout; Conflict naming `payout_id` when used for
    ///         another reseller or currency; as LedgerService::post (NotFound naming the
    ///         credits' posting when the reseller's credits are not open).
    core::Result<CommandOutcome<>> pay_out(const core::billing::PayOutCommissions& c,
                                           const std::vector<std::string>& candidates,
                                           const core::DecisionContext& ctx);

    /// A commission's state and its stream's revision (-1 when none).
    core::Result<std::pair<core::billing::CommissionState, std::int64_t>> commission(
        const std::string& commission_id);
    /// A payout (none when never made).
    core::Result<core::billing::CommissionPayoutState> payout(const std::string& payout_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
