#include "events/billing/pricing_service.hpp"

#include "events/billing/pricing_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

struct PricingService::Impl {
    Impl(EventStore& s, std::string t, std::string seller)
        : store(s),
          tenant(std::move(t)),
          seller_country(std::move(seller)),
          rates(s, decode_tax_event),
          promos(s, decode_promo_event) {}

    template <class State, class Event, class Decide>
    core::Result<CommandOutcome<>> run(AggregateLoader<State, Event>& loader,
                                       const std::string& stream, const core::DecisionContext& ctx,
                                       Decide decide) {
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(loader.load(stream));
                auto events = SY_TRY(decide(state));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                                 to_new_events(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended);
    }

    EventStore& store;
    std::string tenant;
    std::string seller_country;
    AggregateLoader<TaxRatesState, TaxEvent> rates;
    AggregateLoader<PromoState, PromoEvent> promos;
};

PricingService::PricingService(EventStore& store, std::string tenant, std::string seller_country)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), std::move(seller_country))) {}

const std::string& PricingService::seller_country() const noexcept { return impl_->seller_country; }
PricingService::~PricingService() = default;

core::Result<CommandOutcome<>> PricingService::set_tax_rate(const TaxRate& rate,
                                                            const core::DecisionContext& ctx) {
    return impl_->run(impl_->rates, std::string(kTaxRatesStream), ctx,
                      [&](const TaxRatesState& s) { return decide(s, rate); });
}

core::Result<std::vector<TaxRate>> PricingService::tax_rates() {
    return SY_TRY(impl_->rates.load(std::string(kTaxRatesStream))).first.rates;
}

core::Result<CommandOutcome<>> PricingService::define_promo(const PromoCode& promo,
                                                            const core::DecisionContext& ctx) {
    SY_TRY(check_promo(promo));
    return impl_->run(impl_->promos, promo_stream(promo.code), ctx,
                      [&](const PromoState& s) { return decide(s, promo); });
}

core::Result<CommandOutcome<>> PricingService::retire_promo(const std::string& code,
                                                            const core::DecisionContext& ctx) {
    const auto normalized = normalize_promo_code(code);
    if (!valid_id(normalized))
        return core::fail(core::Errc::NotFound, "code", "no promo code " + code);
    return impl_->run(impl_->promos, promo_stream(normalized), ctx,
                      [&](const PromoState& s) { return decide_retire(s, normalized); });
}

core::Result<PromoState> PricingService::promo(const std::string& code) {
    const auto normalized = normalize_promo_code(code);
    if (!valid_id(normalized)) return PromoState{};
    return SY_TRY(impl_->promos.load(promo_stream(normalized))).first;
}

core::Result<Quote> PricingService::quote(const QuoteRequest& q, core::Timestamp now) {
    return SY_TRY(price(q, "", now, nullptr)).first;
}

core::Result<std::pair<Quote, std::vector<StreamWrite>>> PricingService::quote_redeeming(
    const QuoteRequest& q, const std::string& subscription_id, core::Timestamp now,
    const core::DecisionContext& ctx) {
    return price(q, subscription_id, now, &ctx);
}

core::Result<std::pair<Quote, std::vector<StreamWrite>>> PricingService::price(
    const QuoteRequest& q, const std::string& subscription_id, core::Timestamp now,
    const core::DecisionContext* ctx) {
    Quote out;
    std::vector<StreamWrite> writes;
    const auto rates = SY_TRY(tax_rates());
    auto tax = tax_treatment(rates, impl_->seller_country, q.buyer);
    if (!tax) {
        auto e = tax.error();
        e.field = "buyer." + e.field;
        return tl::unexpected(std::move(e));
    }
    out.tax = *tax;
    std::optional<PromoCode> promo;
    if (!q.promo_code.empty()) {
        const auto code = normalize_promo_code(q.promo_code);
        PromoState state;
        std::int64_t revision = -1;
        if (valid_id(code))
            std::tie(state, revision) = SY_TRY(impl_->promos.load(promo_stream(code)));
        std::string plan;
        for (const auto& l : q.lines)
            if (!l.plan_id.empty()) {
                plan = l.plan_id;
                break;
            }
        RedeemPromo redeem{code, q.customer_id, subscription_id, plan, q.currency};
        const auto redeemed = SY_TRY(decide_redeem(state, redeem, now));
        promo = state.promo;
        out.promo_code = redeem.code;
        if (ctx)
            writes.push_back({promo_stream(code), ExpectedRevision::at(revision),
                              to_new_events(redeemed, encode, *ctx, impl_->tenant)});
    }
    out.invoice = SY_TRY(compute_invoice(q.lines, q.currency, out.tax, q.behavior, promo, 1));
    return std::pair{std::move(out), std::move(writes)};
}

}  // namespace switchyard::events::billing
