#include "events/billing/commission_service.hpp"

#include "events/billing/commission_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

struct CommissionService::Impl {
    Impl(EventStore& s, LedgerService& l, std::string t)
        : store(s),
          ledger(l),
          tenant(std::move(t)),
          rates(s, decode_commission_rate_event),
          commissions(s, decode_commission_event),
          payouts(s, decode_commission_payout_event) {}

    /// Runs `decide(state)` on commission `id` and appends its events; retried on conflicts.
    /// `with` gives writes to append with them (the reversal of a rejected commission's entry).
    template <class Decide, class With>
    core::Result<CommandOutcome<>> run(const std::string& id, const core::DecisionContext& ctx,
                                       Decide decide, With with) {
        const auto stream = commission_stream(id);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(commissions.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                std::vector<StreamWrite> writes{{stream, ExpectedRevision::at(revision),
                                                 to_new_events(events, encode, ctx, tenant)}};
                for (auto& w : SY_TRY(with(state, events))) writes.push_back(std::move(w));
                return writes;
            }));
        return outcome_of(appended);
    }

    EventStore& store;
    LedgerService& ledger;
    std::string tenant;
    AggregateLoader<CommissionRateState, CommissionRateEvent> rates;
    AggregateLoader<CommissionState, CommissionEvent> commissions;
    AggregateLoader<CommissionPayoutState, CommissionPayoutEvent> payouts;
};

CommissionService::CommissionService(EventStore& store, LedgerService& ledger, std::string tenant)
    : impl_(std::make_unique<Impl>(store, ledger, std::move(tenant))) {}
CommissionService::~CommissionService() = default;

core::Result<CommandOutcome<>> CommissionService::set_rate(const CommissionRate& rate,
                                                           const core::DecisionContext& ctx) {
    SY_TRY(check_commission_rate(rate));
    const auto stream = commission_rate_stream(rate.reseller_id);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->rates.load(stream));
            auto events = SY_TRY(decide(state, rate));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<CommissionRateState> CommissionService::rate(const std::string& reseller_id) {
    if (!valid_id(reseller_id)) return CommissionRateState{};
    return SY_TRY(impl_->rates.load(commission_rate_stream(reseller_id))).first;
}

core::Result<std::vector<StreamWrite>> CommissionService::prepare_earn(
    const Sale& sale, const core::DecisionContext& ctx) {
    const auto state = SY_TRY(rate(sale.reseller_id));
    if (!state.rate) return std::vector<StreamWrite>{};
    const auto earned = commission_for(*state.rate, sale);
    if (!earned) return std::vector<StreamWrite>{};
    auto writes = SY_TRY(impl_->ledger.prepare_post(commission_entry(*earned), ctx));
    writes.insert(writes.begin(), StreamWrite{commission_stream(earned->commission_id),
                                              ExpectedRevision::no_stream(),
                                              to_new_events(std::vector<CommissionEvent>{*earned},
                                                            encode, ctx, impl_->tenant)});
    return writes;
}

core::Result<CommandOutcome<>> CommissionService::approve(const std::string& commission_id,
                                                          const core::DecisionContext& ctx) {
    return impl_->run(
        commission_id, ctx,
        [&](const CommissionState& s) { return decide_approve(s, commission_id); },
        [](const CommissionState&, const std::vector<CommissionEvent>&)
            -> core::Result<std::vector<StreamWrite>> { return std::vector<StreamWrite>{}; });
}

core::Result<CommandOutcome<>> CommissionService::reject(const std::string& commission_id,
                                                         const std::string& reason,
                                                         const core::DecisionContext& ctx) {
    return impl_->run(
        commission_id, ctx,
        [&](const CommissionState& s) { return decide_reject(s, commission_id, reason); },
        [&](const CommissionState& s,
            const std::vector<CommissionEvent>&) -> core::Result<std::vector<StreamWrite>> {
            return impl_->ledger.prepare_post(
                reversal_of(commission_entry(*s.earned), "commission rejected: " + reason), ctx);
        });
}

core::Result<CommandOutcome<>> CommissionService::pay_out(
    const PayOutCommissions& c, const std::vector<std::string>& candidates,
    const core::DecisionContext& ctx) {
    SY_TRY(check_id(c.payout_id, "payout_id"));
    const auto stream = commission_payout_stream(c.payout_id);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            const auto [existing, revision] = SY_TRY(impl_->payouts.load(stream));
            if (existing.made) {
                if (existing.made->reseller_id != c.reseller_id ||
                    existing.made->currency != c.currency)
                    return core::fail(core::Errc::Conflict, "payout_id",
                                      "payout " + c.payout_id + " was made for " +
                                          existing.made->reseller_id + " in " +
                                          existing.made->currency);
                return std::vector<StreamWrite>{};
            }
            // Each candidate as its own stream has it: only approved, unpaid ones are paid.
            std::vector<CommissionEarned> approved;
            std::vector<std::int64_t> revisions;
            for (const auto& id : candidates) {
                if (approved.size() == kMaxPayoutCommissions) break;
                const auto [state, at] = SY_TRY(impl_->commissions.load(commission_stream(id)));
                if (!state.earned || state.status != CommissionStatus::Approved) continue;
                if (state.earned->reseller_id != c.reseller_id ||
                    state.earned->currency != c.currency)
                    continue;
                approved.push_back(*state.earned);
                revisions.push_back(at);
            }
            const auto made = SY_TRY(decide_payout(c, approved));
            std::vector<StreamWrite> writes{{stream, ExpectedRevision::no_stream(),
                                             to_new_events(std::vector<CommissionPayoutEvent>{made},
                                                           encode, ctx, impl_->tenant)}};
            for (std::size_t i = 0; i < made.commission_ids.size(); ++i)
                writes.push_back({commission_stream(made.commission_ids[i]),
                                  ExpectedRevision::at(revisions[i]),
                                  to_new_events(std::vector<CommissionEvent>{CommissionPaid{
                                                    made.commission_ids[i], c.payout_id}},
                                                encode, ctx, impl_->tenant)});
            for (auto& w : SY_TRY(impl_->ledger.prepare_post(payout_entry(made), ctx)))
                writes.push_back(std::move(w));
            return writes;
        }));
    return outcome_of(appended);
}

core::Result<std::pair<CommissionState, std::int64_t>> CommissionService::commission(
    const std::string& commission_id) {
    return impl_->commissions.load(commission_stream(commission_id));
}

core::Result<CommissionPayoutState> CommissionService::payout(const std::string& payout_id) {
    if (!valid_id(payout_id)) return CommissionPayoutState{};
    return SY_TRY(impl_->payouts.load(commission_payout_stream(payout_id))).first;
}

}  // namespace switchyard::events::billing
