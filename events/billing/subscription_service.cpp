#include "events/billing/subscription_service.hpp"

#include "events/billing/pricing_codec.hpp"
#include "events/billing/subscription_codec.hpp"

#include <functional>
#include <mutex>

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

/// True for a charge refused because a guarded payer cannot pay it (the ledger's Rejected
/// naming a posting's account), as opposed to a malformed entry or a store error.
bool payer_cannot_pay(const core::Error& e) {
    return e.code == core::Errc::Rejected && e.field.starts_with("postings[");
}

}  // namespace

struct SubscriptionService::Impl {
    Impl(EventStore& s, LedgerService& l, std::string t, CommissionService* c, InvoiceService* i)
        : store(s),
          ledger(l),
          tenant(std::move(t)),
          commissions(c),
          invoices(i),
          plans(s, decode_plan_event),
          subscriptions(s, decode_subscription_event),
          promos(s, decode_promo_event) {}

    /// More writes of a command, made inside its attempt (so a conflict makes them again)
    /// once it decided events.
    using More = std::function<core::Result<std::vector<StreamWrite>>()>;

    /// What a command decides instead when the payer cannot pay its charge (a renewal fails
    /// rather than the command); none: the command fails with the ledger's error.
    using Unpaid = std::function<core::Result<SubscriptionDecision>(const SubscriptionState&,
                                                                    const core::Error&)>;

    /// Runs `decide(state)` on subscription `id` and appends its events with its charge, if
    /// any, in one atomic append; retried on conflicts.
    template <class Decide>
    core::Result<CommandOutcome<>> run(const std::string& id, const core::DecisionContext& ctx,
                                       Decide decide, const Unpaid& unpaid = nullptr,
                                       const More& more = nullptr) {
        const auto stream = subscription_stream(id);
        // A charge's invoice takes the next number of the year's series: numberings of the
        // series take turns, as InvoiceService::issue's do.
        std::unique_lock<std::mutex> turn;
        if (invoices)
            turn = std::unique_lock(
                invoices->numbers().turn(default_series(DocumentKind::Invoice, ctx.now)));
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(subscriptions.load(stream));
                SubscriptionDecision d = SY_TRY(decide(state));
                std::vector<StreamWrite> writes;
                if (d.charge) {
                    auto prepared = ledger.prepare_post(*d.charge, ctx);
                    if (prepared) {
                        writes = std::move(*prepared);
                    } else if (unpaid && payer_cannot_pay(prepared.error())) {
                        d = SY_TRY(unpaid(state, prepared.error()));
                    } else {
                        return core::fail(prepared.error());
                    }
                }
                if (d.events.empty()) return writes;
                writes.insert(writes.begin(),
                              StreamWrite{stream, ExpectedRevision::at(revision),
                                          to_new_events(d.events, encode, ctx, tenant)});
                if (more)
                    for (auto& w : SY_TRY(more())) writes.push_back(std::move(w));
                for (auto& w : SY_TRY(commission_writes(state, d, ctx)))
                    writes.push_back(std::move(w));
                for (auto& w : SY_TRY(invoice_writes(state, d, ctx)))
                    writes.push_back(std::move(w));
                return writes;
            }));
        return outcome_of(appended);
    }

    /// The commission a charge paid by a reseller's credits earns: the sale of a creation or a
    /// renewal among `d`'s events, whose charge is `d.charge`.
    core::Result<std::vector<StreamWrite>> commission_writes(const SubscriptionState& before,
                                                             const SubscriptionDecision& d,
                                                             const core::DecisionContext& ctx) {
        if (!commissions || !d.charge) return std::vector<StreamWrite>{};
        constexpr std::string_view kCredits = "reseller_credit:";
        for (const auto& e : d.events) {
            const auto* created = std::get_if<SubscriptionCreated>(&e);
            const auto* renewed = std::get_if<SubscriptionRenewed>(&e);
            if (!created && !renewed) continue;
            const auto& terms = created ? created->terms : *before.terms;
            if (!terms.payer.starts_with(kCredits)) break;
            const Sale sale{terms.payer.substr(kCredits.size()),
                            terms.subscription_id,
                            created ? created->plan_id : renewed->plan_id,
                            created ? created->line : before.line,
                            created ? CommissionKind::Creation : CommissionKind::Renewal,
                            &*d.charge};
            return commissions->prepare_earn(sale, ctx);
        }
        return std::vector<StreamWrite>{};
    }

    /// The invoice of `d`'s charge, when it debits the payer and invoices are issued.
    core::Result<std::vector<StreamWrite>> invoice_writes(const SubscriptionState& before,
                                                          const SubscriptionDecision& d,
                                                          const core::DecisionContext& ctx) {
        if (!invoices || !d.charge || !d.invoice) return std::vector<StreamWrite>{};
        const SubscriptionTerms* terms = before.terms ? &*before.terms : nullptr;
        for (const auto& e : d.events)
            if (const auto* created = std::get_if<SubscriptionCreated>(&e)) terms = &created->terms;
        if (!terms) return std::vector<StreamWrite>{};
        return invoices->prepare_period_invoice(terms->customer_id, terms->subscription_id,
                                                terms->payer, *d.charge, *d.invoice, ctx);
    }

    /// As run, for decisions without money.
    template <class Decide>
    core::Result<CommandOutcome<>> run_events(const std::string& id,
                                              const core::DecisionContext& ctx, Decide decide) {
        return run(id, ctx, [&](const SubscriptionState& s) -> core::Result<SubscriptionDecision> {
            return SubscriptionDecision{SY_TRY(decide(s)), std::nullopt};
        });
    }

    /// Runs `decide(state)` on plan `plan_id` and appends its events; retried on conflicts.
    template <class Decide>
    core::Result<CommandOutcome<>> run_plan(const std::string& plan_id,
                                            const core::DecisionContext& ctx, Decide decide) {
        const auto stream = plan_stream(plan_id);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(plans.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    core::Result<PlanState> plan(const std::string& plan_id) {
        return SY_TRY(plans.load(plan_stream(plan_id))).first;
    }

    /// The plan the subscription's next period is on: the scheduled downgrade's, or its own.
    core::Result<PlanState> next_plan(const SubscriptionState& s) {
        return plan(s.pending_plan_id.empty() ? s.plan_id : s.pending_plan_id);
    }

    EventStore& store;
    LedgerService& ledger;
    std::string tenant;
    CommissionService* commissions;
    InvoiceService* invoices;
    AggregateLoader<PlanState, PlanEvent> plans;
    AggregateLoader<SubscriptionState, SubscriptionEvent> subscriptions;
    AggregateLoader<PromoState, PromoEvent> promos;
};

SubscriptionService::SubscriptionService(EventStore& store, LedgerService& ledger,
                                         std::string tenant, CommissionService* commissions,
                                         InvoiceService* invoices)
    : impl_(std::make_unique<Impl>(store, ledger, std::move(tenant), commissions, invoices)) {}
SubscriptionService::~SubscriptionService() = default;

core::Result<CommandOutcome<>> SubscriptionService::define_plan(const Plan& plan,
                                                                const core::DecisionContext& ctx) {
    SY_TRY(check_plan(plan));
    return impl_->run_plan(plan.plan_id, ctx, [&](const PlanState& s) { return decide(s, plan); });
}

core::Result<CommandOutcome<>> SubscriptionService::retire_plan(const std::string& plan_id,
                                                                const core::DecisionContext& ctx) {
    return impl_->run_plan(plan_id, ctx,
                           [&](const PlanState& s) { return decide_retire(s, plan_id); });
}

core::Result<PlanState> SubscriptionService::plan(const std::string& plan_id) {
    return impl_->plan(plan_id);
}

core::Result<CommandOutcome<>> SubscriptionService::create(const CreateSubscription& c,
                                                           const core::DecisionContext& ctx,
                                                           const std::string& promo_code) {
    if (c.plan_id.empty()) return core::fail(core::Errc::Invalid, "plan_id", "is required");
    if (c.terms.subscription_id.empty())
        return core::fail(core::Errc::Invalid, "subscription_id", "is required");
    const auto plan = SY_TRY(impl_->plan(c.plan_id));
    if (promo_code.empty())
        return impl_->run(c.terms.subscription_id, ctx,
                          [&](const SubscriptionState& s) { return decide(s, c, plan, ctx.now); });
    // The code's redemption goes in the same append, at the revision its decision read: two
    // subscriptions racing for its last use conflict, and the loser decides again.
    const auto code = normalize_promo_code(promo_code);
    std::vector<PromoEvent> redeemed;
    std::int64_t promo_revision = -1;
    auto with_promo = c;
    return impl_->run(
        c.terms.subscription_id, ctx,
        [&](const SubscriptionState& s) -> core::Result<SubscriptionDecision> {
            if (s.terms) return decide(s, c, plan, ctx.now);  // the same again, or a Conflict
            PromoState promo;
            promo_revision = -1;
            if (valid_id(code))
                std::tie(promo, promo_revision) = SY_TRY(impl_->promos.load(promo_stream(code)));
            redeemed =
                SY_TRY(decide_redeem(promo,
                                     RedeemPromo{code, c.terms.customer_id, c.terms.subscription_id,
                                                 c.plan_id, c.terms.currency},
                                     ctx.now));
            with_promo.promo = promo.promo;
            return decide(s, with_promo, plan, ctx.now);
        },
        nullptr,
        [&]() -> core::Result<std::vector<StreamWrite>> {
            return std::vector<StreamWrite>{{promo_stream(code),
                                             ExpectedRevision::at(promo_revision),
                                             to_new_events(redeemed, encode, ctx, impl_->tenant)}};
        });
}

core::Result<CommandOutcome<>> SubscriptionService::change_plan(const std::string& id,
                                                                const std::string& plan_id,
                                                                const core::DecisionContext& ctx) {
    const auto to = SY_TRY(impl_->plan(plan_id));
    return impl_->run(id, ctx,
                      [&](const SubscriptionState& s) -> core::Result<SubscriptionDecision> {
                          const auto from = SY_TRY(impl_->plan(s.plan_id));
                          return decide_change_plan(s, from, to, ctx.now);
                      });
}

core::Result<CommandOutcome<>> SubscriptionService::cancel_at_period_end(
    const std::string& id, bool cancel, const core::DecisionContext& ctx) {
    return impl_->run_events(id, ctx,
                             [&](const SubscriptionState& s) { return decide_cancel(s, cancel); });
}

core::Result<CommandOutcome<>> SubscriptionService::set_auto_renew(
    const std::string& id, bool auto_renew, const core::DecisionContext& ctx) {
    return impl_->run_events(
        id, ctx, [&](const SubscriptionState& s) { return decide_auto_renew(s, auto_renew); });
}

core::Result<CommandOutcome<>> SubscriptionService::pause(const std::string& id,
                                                          const core::DecisionContext& ctx) {
    return impl_->run_events(id, ctx,
                             [&](const SubscriptionState& s) { return decide_pause(s, ctx.now); });
}

core::Result<CommandOutcome<>> SubscriptionService::resume(const std::string& id,
                                                           const core::DecisionContext& ctx) {
    return impl_->run_events(id, ctx,
                             [&](const SubscriptionState& s) { return decide_resume(s, ctx.now); });
}

core::Result<CommandOutcome<>> SubscriptionService::renew(const std::string& id,
                                                          const core::DecisionContext& ctx) {
    return impl_->run(
        id, ctx, [&](const SubscriptionState& s) -> core::Result<SubscriptionDecision> {
            if (!s.terms)
                return core::fail(core::Errc::NotFound, "subscription_id", "no subscription " + id);
            const auto plan = SY_TRY(impl_->next_plan(s));
            return decide_renew(s, plan, ctx.now);
        });
}

core::Result<CommandOutcome<>> SubscriptionService::advance(const std::string& id,
                                                            const core::DecisionContext& ctx) {
    return impl_->run(
        id, ctx,
        [&](const SubscriptionState& s) -> core::Result<SubscriptionDecision> {
            if (!s.terms)
                return core::fail(core::Errc::NotFound, "subscription_id", "no subscription " + id);
            const auto plan = SY_TRY(impl_->next_plan(s));
            return decide_advance(s, plan, ctx.now);
        },
        [&](const SubscriptionState& s,
            const core::Error& e) -> core::Result<SubscriptionDecision> {
            // The payer cannot pay the renewal: past due, retried, suspended after the grace days.
            const auto plan = SY_TRY(impl_->next_plan(s));
            if (!plan.plan) return core::fail(e);
            return SubscriptionDecision{renewal_failed(s, *plan.plan, ctx.now, e.message),
                                        std::nullopt};
        });
}

core::Result<std::pair<SubscriptionState, std::int64_t>> SubscriptionService::subscription(
    const std::string& id) {
    return impl_->subscriptions.load(subscription_stream(id));
}

}  // namespace switchyard::events::billing
