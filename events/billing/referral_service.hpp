#pragma once
/// Referral codes of one tenant (core/billing/referral.hpp): defined and retired by staff; a
/// new customer registered with a code (the code's `used` at its revision and the customer's
/// referral stream created, in one append: the limit holds and a customer is referred once);
/// rewarded when its qualifying payment is received (the billing worker calls `reward` for the
/// payments the `billing_referrals` read model found): `rewarded` and the bonuses' entry in one
/// append, once.

#include <memory>
#include <string>

#include "core/billing/referral.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// @thread safe.
class ReferralService {
  public:
    ReferralService(EventStore& store, LedgerService& ledger, std::string tenant);
    ~ReferralService();

    /// @errors as core::billing::decide(ReferralCodeState, ReferralCode); the store's.
    core::Result<CommandOutcome<>> define(const core::billing::ReferralCode& c,
                                          const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_retire.
    core::Result<CommandOutcome<>> retire(const std::string& code,
                                          const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_register; the store's.
    core::Result<CommandOutcome<>> register_customer(const std::string& code,
                                                     const std::string& customer_id,
                                                     const core::DecisionContext& ctx);
    /// Rewards the referral of `customer_id` for its payment (nothing when the payment does not
    /// qualify or the referral was rewarded). The wallets are opened in the code's currency
    /// when they are not. @errors as LedgerService::post (Rejected `currency` when a wallet is
    /// open in another currency); the store's.
    core::Result<CommandOutcome<>> reward(const std::string& customer_id,
                                          const std::string& payment_id,
                                          core::billing::Micros amount_micros,
                                          const std::string& currency,
                                          const core::DecisionContext& ctx);

    /// A code's state (no terms when never defined). @errors the store's.
    core::Result<core::billing::ReferralCodeState> code(const std::string& code);
    /// A customer's referral (nothing registered when none). @errors the store's.
    core::Result<core::billing::ReferralState> referral(const std::string& customer_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
