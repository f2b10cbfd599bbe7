#include "events/billing/referral_service.hpp"

#include "core/billing/promo.hpp"
#include "events/billing/referral_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

struct ReferralService::Impl {
    Impl(EventStore& s, LedgerService& l, std::string t)
        : store(s),
          ledger(l),
          tenant(std::move(t)),
          codes(s, decode_referral_code_event),
          referrals(s, decode_referral_event) {}

    /// Runs `decide(state)` on code `code`'s stream and appends its events.
    template <class Decide>
    core::Result<CommandOutcome<>> run_code(const std::string& code,
                                            const core::DecisionContext& ctx, Decide decide) {
        const auto stream = referral_code_stream(code);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(codes.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    /// Opens `wallet:<id>` in `currency` when it is not open.
    core::Result<void> open_wallet(const std::string& id, const std::string& currency,
                                   const core::DecisionContext& ctx) {
        const auto code = "wallet:" + id;
        const auto [account, revision] = SY_TRY(ledger.account(code));
        if (!account.terms) SY_TRY(ledger.open_account({code, currency, 0}, ctx));
        return {};
    }

    EventStore& store;
    LedgerService& ledger;
    std::string tenant;
    AggregateLoader<ReferralCodeState, ReferralCodeEvent> codes;
    AggregateLoader<ReferralState, ReferralEvent> referrals;
};

ReferralService::ReferralService(EventStore& store, LedgerService& ledger, std::string tenant)
    : impl_(std::make_unique<Impl>(store, ledger, std::move(tenant))) {}
ReferralService::~ReferralService() = default;

core::Result<CommandOutcome<>> ReferralService::define(const ReferralCode& c,
                                                       const core::DecisionContext& ctx) {
    SY_TRY(check_referral_code(c));
    return impl_->run_code(c.code, ctx, [&](const ReferralCodeState& s) { return decide(s, c); });
}

core::Result<CommandOutcome<>> ReferralService::retire(const std::string& code,
                                                       const core::DecisionContext& ctx) {
    const auto normalized = normalize_promo_code(code);
    if (!valid_id(normalized))
        return core::fail(core::Errc::NotFound, "code", "no referral code " + code);
    return impl_->run_code(
        normalized, ctx, [&](const ReferralCodeState& s) { return decide_retire(s, normalized); });
}

core::Result<CommandOutcome<>> ReferralService::register_customer(
    const std::string& code, const std::string& customer_id, const core::DecisionContext& ctx) {
    SY_TRY(check_id(customer_id, "customer_id"));
    const auto normalized = normalize_promo_code(code);
    if (!valid_id(normalized))
        return core::fail(core::Errc::NotFound, "code", "no referral code " + code);
    const auto code_stream = referral_code_stream(normalized);
    const auto stream = referral_stream(customer_id);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [code_state, code_revision] = SY_TRY(impl_->codes.load(code_stream));
            auto [state, revision] = SY_TRY(impl_->referrals.load(stream));
            auto d = SY_TRY(decide_register(code_state, state, normalized, customer_id));
            if (d.referral.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {code_stream, ExpectedRevision::at(code_revision),
                 to_new_events(d.code, encode, ctx, impl_->tenant)},
                {stream, ExpectedRevision::at(revision),
                 to_new_events(d.referral, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<>> ReferralService::reward(const std::string& customer_id,
                                                       const std::string& payment_id,
                                                       Micros amount_micros,
                                                       const std::string& currency,
                                                       const core::DecisionContext& ctx) {
    const auto stream = referral_stream(customer_id);
    const auto [first, first_revision] = SY_TRY(impl_->referrals.load(stream));
    if (decide_reward(first, payment_id, amount_micros, currency).empty())
        return CommandOutcome<>{};
    const auto& terms = first.registered->terms;
    if (terms.referrer_bonus_micros > 0)
        SY_TRY(impl_->open_wallet(terms.referrer_id, terms.currency, ctx));
    if (terms.referee_bonus_micros > 0)
        SY_TRY(impl_->open_wallet(customer_id, terms.currency, ctx));
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->referrals.load(stream));
            auto events = decide_reward(state, payment_id, amount_micros, currency);
            if (events.empty()) return std::vector<StreamWrite>{};
            auto writes = SY_TRY(impl_->ledger.prepare_post(
                reward_entry(*state.registered, std::get<ReferralRewarded>(events.front())), ctx));
            writes.insert(writes.begin(),
                          StreamWrite{stream, ExpectedRevision::at(revision),
                                      to_new_events(events, encode, ctx, impl_->tenant)});
            return writes;
        }));
    return outcome_of(appended);
}

core::Result<ReferralCodeState> ReferralService::code(const std::string& code) {
    const auto normalized = normalize_promo_code(code);
    if (!valid_id(normalized)) return ReferralCodeState{};
    return SY_TRY(impl_->codes.load(referral_code_stream(normalized))).first;
}

core::Result<ReferralState> ReferralService::referral(const std::string& customer_id) {
    if (!valid_id(customer_id)) return ReferralState{};
    return SY_TRY(impl_->referrals.load(referral_stream(customer_id))).first;
}

}  // namespace switchyard::events::billing
