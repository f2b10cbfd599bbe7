#include "app/modules/billing_renewals.hpp"

#include <mutex>

#include <spdlog/spdlog.h>

#include "app/tick_thread.hpp"
#include "projections/billing/recognition.hpp"
#include "projections/billing/referrals.hpp"
#include "projections/billing/subscriptions.hpp"

namespace switchyard::app {

struct RenewalWorker::Impl {
    events::billing::SubscriptionService& subscriptions;
    projections::ProjectionRunner& runner;
    const core::Clock& clock;
    std::chrono::milliseconds tick;
    std::mutex mu;
    TickThread thread;
    std::vector<std::function<std::size_t(core::Timestamp)>> tasks;

    std::size_t run_once() {
        const auto* view = runner.view(projections::billing::kBillingSubscriptions);
        if (!view) return 0;
        const auto now = clock.now();
        std::size_t changed = 0;
        for (const auto& id : projections::billing::due_subscriptions(*view, now, 1000)) {
            core::DecisionContext ctx;
            ctx.now = now;
            ctx.actor = core::Actor{core::ActorKind::System, "billing-renewals", ""};
            ctx.correlation_id = "advance:" + id;
            auto outcome = subscriptions.advance(id, ctx);
            if (!outcome) {
                spdlog::warn("billing: advancing subscription {} failed: {} ({})", id,
                             outcome.error().message, outcome.error().field);
                continue;
            }
            if (outcome->changed) ++changed;
        }
        for (const auto& task : tasks) changed += task(now);
        return changed;
    }
};

RenewalWorker::RenewalWorker(events::billing::SubscriptionService& subscriptions,
                             projections::ProjectionRunner& runner, const core::Clock& clock,
                             std::chrono::milliseconds tick)
    : impl_(std::make_unique<Impl>(subscriptions, runner, clock, tick)) {}

RenewalWorker::~RenewalWorker() { stop(); }

void RenewalWorker::also(std::function<std::size_t(core::Timestamp)> task) {
    std::lock_guard lock(impl_->mu);
    impl_->tasks.push_back(std::move(task));
}

void RenewalWorker::start() {
    impl_->thread.start([this] { impl_->run_once(); }, impl_->tick);
}

void RenewalWorker::stop() { impl_->thread.stop(); }

std::size_t RenewalWorker::run_once() { return impl_->run_once(); }

RevenueRecognizer::RevenueRecognizer(events::billing::LedgerService& ledger,
                                     projections::ProjectionRunner& runner)
    : ledger_(ledger), runner_(runner) {}

std::size_t RevenueRecognizer::run_once(core::Timestamp now) {
    if (!pending_.empty()) {
        if (!runner_.wait_for(pending_, std::chrono::milliseconds(0))) return 0;
        pending_.clear();
    }
    const auto* view = runner_.view(projections::billing::kBillingRecognition);
    if (!view) return 0;
    std::size_t posted = 0;
    for (const auto& row : projections::billing::due_deferrals(*view, now, 1000)) {
        const auto entry =
            core::billing::recognition_entry(row.deferral, row.recognized_micros, now);
        if (!entry) continue;
        core::DecisionContext ctx;
        ctx.now = now;
        ctx.actor = core::Actor{core::ActorKind::System, "billing-recognition", ""};
        ctx.correlation_id = entry->entry_id;
        auto outcome = ledger_.post(*entry, ctx);
        if (!outcome) {
            spdlog::warn("billing: recognizing {} failed: {} ({})", entry->entry_id,
                         outcome.error().message, outcome.error().field);
            continue;
        }
        if (!outcome->changed) continue;
        ++posted;
        for (const auto& p : outcome->positions) pending_.push_back(p);
    }
    if (!pending_.empty() && runner_.wait_for(pending_, std::chrono::seconds(2))) pending_.clear();
    return posted;
}

std::size_t reward_referrals(events::billing::ReferralService& referrals,
                             projections::ProjectionRunner& runner, core::Timestamp now) {
    const auto* view = runner.view(projections::billing::kBillingReferrals);
    if (!view) return 0;
    std::size_t changed = 0;
    for (const auto& q : projections::billing::qualifying_payments(*view, 1000)) {
        core::DecisionContext ctx;
        ctx.now = now;
        ctx.actor = core::Actor{core::ActorKind::System, "billing-referrals", ""};
        ctx.correlation_id = "referral:" + q.customer_id;
        auto outcome =
            referrals.reward(q.customer_id, q.payment_id, q.amount_micros, q.currency, ctx);
        if (!outcome) {
            spdlog::warn("billing: rewarding the referral of {} failed: {} ({})", q.customer_id,
                         outcome.error().message, outcome.error().field);
            continue;
        }
        if (outcome->changed) ++changed;
    }
    return changed;
}

}  // namespace switchyard::app
