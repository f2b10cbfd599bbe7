#pragma once
/// What prices become of one tenant: tax rates per jurisdiction (one stream,
/// `billing_tax_rates`), promo codes (`billing_promo-<code>`), and quotes: an invoice's
/// amounts for a buyer, computed without recording anything (core/billing/invoice.hpp), as a
/// checkout shows them before the customer pays.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/invoice.hpp"
#include "core/billing/promo.hpp"
#include "core/billing/tax.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// What a quote is asked for.
struct QuoteRequest {
    std::string currency;
    core::billing::TaxBehavior behavior = core::billing::TaxBehavior::Exclusive;
    core::billing::TaxBuyer buyer;
    std::string customer_id;  ///< Who would redeem the promo code; may be empty without one.
    std::string promo_code;   ///< May be empty.
    std::vector<core::billing::InvoiceLineInput> lines;
};

/// A quote: the buyer's tax treatment and the invoice's amounts.
struct Quote {
    core::billing::TaxTreatment tax;
    core::billing::ComputedInvoice invoice;
    std::string promo_code;  ///< The code applied, normalized; empty without one.
};

/// @thread safe.
class PricingService {
  public:
    /// `seller_country`: the operator's ISO 3166-1 country (the reverse charge needs it); empty
    /// when it has none set (no reverse charge).
    PricingService(EventStore& store, std::string tenant, std::string seller_country);
    ~PricingService();

    /// @errors as core::billing::decide(TaxRatesState, TaxRate).
    core::Result<CommandOutcome<>> set_tax_rate(const core::billing::TaxRate& rate,
                                                const core::DecisionContext& ctx);
    core::Result<std::vector<core::billing::TaxRate>> tax_rates();

    /// @errors as core::billing::decide(PromoState, PromoCode).
    core::Result<CommandOutcome<>> define_promo(const core::billing::PromoCode& promo,
                                                const core::DecisionContext& ctx);
    /// @errors NotFound `code`.
    core::Result<CommandOutcome<>> retire_promo(const std::string& code,
                                                const core::DecisionContext& ctx);
    /// The code's state (no promo when never defined); `code` is normalized first.
    core::Result<core::billing::PromoState> promo(const std::string& code);

    /// The amounts of an invoice for `q` now: the buyer's tax, the promo code's discount for
    /// its first period if `customer_id` may redeem it for the lines' plans.
    /// @errors as core::billing::tax_treatment (naming `buyer.country`, `buyer.vat_id`); as
    ///         core::billing::decide_redeem (naming `promo_code`) for the first line's plan
    ///         with a plan, else any; as core::billing::compute_invoice.
    core::Result<Quote> quote(const QuoteRequest& q, core::Timestamp now);
    /// As quote, with the writes that record the promo code's redemption by `q.customer_id`
    /// (for `subscription_id`, may be empty): the code's stream at the revision the quote read,
    /// so two redemptions racing for its last use conflict. No writes without a code. Call it
    /// inside execute_command's attempt, so a conflict prices again. @errors as quote.
    core::Result<std::pair<Quote, std::vector<StreamWrite>>> quote_redeeming(
        const QuoteRequest& q, const std::string& subscription_id, core::Timestamp now,
        const core::DecisionContext& ctx);

    /// The operator's ISO 3166-1 country as configured; empty when none is set.
    const std::string& seller_country() const noexcept;

  private:
    /// quote_redeeming's work; no writes when `ctx` is null (a quote only).
    core::Result<std::pair<Quote, std::vector<StreamWrite>>> price(
        const QuoteRequest& q, const std::string& subscription_id, core::Timestamp now,
        const core::DecisionContext* ctx);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
