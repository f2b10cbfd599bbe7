#pragma once
/// The billing worker that moves subscriptions with time: every tick it reads the subscriptions
/// whose next due time has come from the `billing_subscriptions` read model and advances each
/// (events/billing/subscription_service.hpp: reminders, expiry, cancellation, renewal charges
/// and their retries, suspension). The read model may lag the log by a batch; `advance` decides
/// on the subscription's own stream, so a subscription advanced twice changes once.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "core/time.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/referral_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

/// @thread start/stop from one thread; run_once from any.
class RenewalWorker {
  public:
    RenewalWorker(events::billing::SubscriptionService& subscriptions,
                  projections::ProjectionRunner& runner, const core::Clock& clock,
                  std::chrono::milliseconds tick = std::chrono::milliseconds(200));
    ~RenewalWorker();

    /// More work each tick does after the renewals, at the clock's now; it returns how many
    /// commands appended events. Call before start().
    void also(std::function<std::size_t(core::Timestamp now)> task);

    /// Starts the tick thread. Idempotent.
    void start();
    /// Stops it and waits for the tick in progress.
    void stop();
    /// Advances every subscription due at the clock's now (up to 1,000 per call); returns how
    /// many advances appended events. Errors are logged and skipped (the next tick retries).
    std::size_t run_once();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Posts the revenue earned each UTC day (core/billing/recognition.hpp): the deferrals the
/// `billing_recognition` read model holds with something due get their `rec:<entry>:<day>`
/// entry, as the actor `system:billing-recognition`. Before reading the model again it waits
/// until the model holds its own last entries, so a recognition is never computed from a stale
/// row. @thread run from one thread (the billing worker's tick).
class RevenueRecognizer {
  public:
    RevenueRecognizer(events::billing::LedgerService& ledger,
                      projections::ProjectionRunner& runner);
    /// Recognizes up to 1,000 deferrals due at `now`; returns how many entries it posted.
    /// Errors are logged and skipped (the next call retries).
    std::size_t run_once(core::Timestamp now);

  private:
    events::billing::LedgerService& ledger_;
    projections::ProjectionRunner& runner_;
    std::vector<events::Position> pending_;  ///< Its entries the model may not hold yet.
};

/// Rewards the referrals whose qualifying payment the `billing_referrals` read model found
/// (up to 1,000 per call; events/billing/referral_service.hpp), as the actor
/// `system:billing-referrals`; returns how many appended. Errors are logged and skipped.
std::size_t reward_referrals(events::billing::ReferralService& referrals,
                             projections::ProjectionRunner& runner, core::Timestamp now);

}  // namespace switchyard::app
