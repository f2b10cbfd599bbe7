// Voice balances: a customer's account (prepaid or postpaid, in its currency) with its balance,
// staff top-ups and adjustments, the account's credit limit and low-balance threshold, and the
// list of low or exhausted accounts. An account is opened when its customer is created
// (customers.cpp); a customer created before that, or whose opening failed, gets its account
// opened by its first top-up, adjustment or account change here.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "projections/voice/balances.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The `{id}` customer, if the caller may see it (else NotFound).
core::Result<Customer> reachable(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.customers.find(id);
    if (it == d.customers.end() || !may_see(r, it->second))
        return not_found("customer", std::to_string(id));
    return it->second;
}

}  // namespace

AccountTerms account_terms_of(const Customer& c) {
    AccountTerms t;
    t.customer_id = std::to_string(c.customer_id);
    t.currency = c.currency;
    t.kind = c.billing_type == BillingType::Postpaid ? AccountKind::Postpaid : AccountKind::Prepaid;
    return t;
}

namespace {

/// Opens the customer's account with the terms its record implies, unless it is open.
core::Result<std::vector<events::Position>> ensure_account(VoiceApi& api, const Customer& c,
                                                           const core::DecisionContext& ctx) {
    const auto [state, revision] = SY_TRY(api.accounts.load(std::to_string(c.customer_id)));
    if (state.terms) return std::vector<events::Position>{};
    auto o = SY_TRY(api.accounts.open(OpenAccount{account_terms_of(c)}, ctx));
    return o.positions;
}

json::object balance_json(const Customer& c, const AccountState& s) {
    const auto terms = s.terms.value_or(account_terms_of(c));
    const auto floor = floor_of(terms);
    return {{"customer_id", c.customer_id},
            {"opened", s.terms.has_value()},
            {"currency", terms.currency},
            {"kind", to_string(terms.kind)},
            {"balance", money_text(s.balance_micros)},
            {"balance_micros", s.balance_micros},
            {"credit_limit", money_text(terms.credit_limit_micros)},
            {"credit_limit_micros", terms.credit_limit_micros},
            {"low_balance_threshold", money_text(terms.low_balance_threshold_micros)},
            {"low_balance_threshold_micros", terms.low_balance_threshold_micros},
            {"available", money_text(s.balance_micros - floor)},
            {"available_micros", s.balance_micros - floor},
            {"low_balance", s.balance_micros < terms.low_balance_threshold_micros},
            {"exhausted", s.terms.has_value() && s.balance_micros <= floor}};
}

/// GET /v1/voice/customers/{id}/balance: from the account stream (current with every command).
core::Result<HttpResponse> get_balance(VoiceApi& api, HttpRequest& r) {
    const auto c = SY_TRY(reachable(api, r));
    const auto [state, revision] = SY_TRY(api.accounts.load(std::to_string(c.customer_id)));
    return json_ok(balance_json(c, state));
}

/// A staff money movement's body: `{"amount": "10.00", "reason", "reference"?}`.
struct Movement {
    Micros amount = 0;
    std::string reason, reference;
};
core::Result<Movement> movement_of(const HttpRequest& r, const core::DecisionContext& ctx) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"amount", "reason", "reference"}));
    Movement m;
    m.amount = SY_TRY(parse_micros(SY_TRY(b.string("amount")), "amount"));
    m.reason = SY_TRY(b.string("reason"));
    if (m.reason.empty()) return core::fail(Errc::Invalid, "reason", "is required");
    m.reference = SY_TRY(b.opt_string("reference")).value_or(command_id_of(r, ctx));
    if (m.reference.empty()) return core::fail(Errc::Invalid, "reference", "must not be empty");
    return m;
}

/// The answer of a movement: the balance after it.
core::Result<HttpResponse> after_movement(VoiceApi& api, const Customer& c, bool changed,
                                          std::vector<events::Position> positions) {
    const auto [state, revision] = SY_TRY(api.accounts.load(std::to_string(c.customer_id)));
    return answer(changed ? 201 : 200, balance_json(c, state), positions);
}

/// POST /v1/voice/customers/{id}/top-ups {"amount", "reason", "reference"?}
core::Result<HttpResponse> top_up(VoiceApi& api, HttpRequest& r) {
    const auto c = SY_TRY(reachable(api, r));
    const auto ctx = context_of(api, r);
    const auto m = SY_TRY(movement_of(r, ctx));
    if (m.amount <= 0) return core::fail(Errc::Invalid, "amount", "must be greater than 0");
    auto positions = SY_TRY(ensure_account(api, c, ctx));
    auto o = SY_TRY(api.accounts.top_up(
        TopUp{std::to_string(c.customer_id), m.reference, m.amount, m.reason, ""},
        caller_of(r).actor, ctx));
    positions.insert(positions.end(), o.positions.begin(), o.positions.end());
    return after_movement(api, c, o.changed, positions);
}

/// POST /v1/voice/customers/{id}/adjustments {"amount" (signed), "reason", "reference"?}
core::Result<HttpResponse> adjust(VoiceApi& api, HttpRequest& r) {
    const auto c = SY_TRY(reachable(api, r));
    const auto ctx = context_of(api, r);
    const auto m = SY_TRY(movement_of(r, ctx));
    if (m.amount == 0) return core::fail(Errc::Invalid, "amount", "must not be 0");
    auto positions = SY_TRY(ensure_account(api, c, ctx));
    auto o = SY_TRY(api.accounts.adjust(
        Adjust{std::to_string(c.customer_id), m.reference, m.amount, m.reason, ""},
        caller_of(r).actor, ctx));
    positions.insert(positions.end(), o.positions.begin(), o.positions.end());
    return after_movement(api, c, o.changed, positions);
}

/// PUT /v1/voice/customers/{id}/account {"credit_limit"?, "low_balance_threshold"?}: opens the
/// account with these terms, or changes the credit limit and threshold of an open one (absent
/// members keep their present values). The kind and currency follow the customer and never
/// change: a customer whose billing type or currency changed since gets 409 naming them.
core::Result<HttpResponse> put_account(VoiceApi& api, HttpRequest& r) {
    const auto c = SY_TRY(reachable(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"credit_limit", "low_balance_threshold"}));
    auto terms = account_terms_of(c);
    const auto [state, revision] = SY_TRY(api.accounts.load(std::to_string(c.customer_id)));
    if (state.terms) {
        terms.credit_limit_micros = state.terms->credit_limit_micros;
        terms.low_balance_threshold_micros = state.terms->low_balance_threshold_micros;
    }
    if (auto v = SY_TRY(b.opt_string("credit_limit")))
        terms.credit_limit_micros = SY_TRY(parse_micros(*v, "credit_limit"));
    if (auto v = SY_TRY(b.opt_string("low_balance_threshold")))
        terms.low_balance_threshold_micros = SY_TRY(parse_micros(*v, "low_balance_threshold"));
    if (terms.credit_limit_micros < 0)
        return core::fail(Errc::Invalid, "credit_limit", "must not be negative");
    if (terms.kind == AccountKind::Prepaid && terms.credit_limit_micros != 0)
        return core::fail(Errc::Invalid, "credit_limit", "a prepaid account has no credit");
    if (terms.low_balance_threshold_micros < 0)
        return core::fail(Errc::Invalid, "low_balance_threshold", "must not be negative");
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.accounts.open(OpenAccount{terms}, ctx));
    // 201 when this opened the account; a change of an open account's terms is 200.
    return after_movement(api, c, o.changed && !state.terms, o.positions);
}

/// GET /v1/voice/balances?state=low|exhausted&cursor=&limit=: the accounts the caller may see.
core::Result<HttpResponse> list_balances(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    projections::voice::BalanceFilter filter;
    filter.state = SY_TRY(enum_query(r, "state", {"low", "exhausted"}, ""));
    filter.reach = SY_TRY(customer_reach(api, r));
    filter.after = page.cursor;
    const auto* view = api.ctx.runner.view(projections::voice::kVoiceBalances);
    if (!view) return core::fail(Errc::Unavailable, "balances", "the read model is not open");
    PageWriter out(page);
    for (const auto& row : projections::voice::list_balances(*view, filter, page.limit + 1)) {
        json::object o{{"customer_id", row.terms.customer_id},
                       {"currency", row.terms.currency},
                       {"kind", to_string(row.terms.kind)},
                       {"balance", money_text(row.balance_micros)},
                       {"balance_micros", row.balance_micros},
                       {"credit_limit_micros", row.terms.credit_limit_micros},
                       {"low_balance_threshold_micros", row.terms.low_balance_threshold_micros},
                       {"low_balance", row.low_balance},
                       {"exhausted", row.exhausted}};
        if (!out.add(json::serialize(o), row.terms.customer_id)) break;
    }
    return json_response(200, out.body());
}

}  // namespace

VoiceRoutes balance_routes() {
    return {
        {"GET", "/v1/voice/customers/{id}/balance", voice_roles::customer_read, get_balance,
         "The customer's balance, currency, account kind, credit limit and low-balance state."},
        {"POST", "/v1/voice/customers/{id}/top-ups", voice_roles::operator_read, top_up,
         "Tops the customer's account up (staff): amount as decimal text, reason."},
        {"POST", "/v1/voice/customers/{id}/adjustments", voice_roles::operator_read, adjust,
         "Corrects the customer's balance either way (staff), with a reason."},
        {"PUT", "/v1/voice/customers/{id}/account", roles::admin, put_account,
         "Opens the customer's account with a credit limit and low-balance threshold."},
        {"GET", "/v1/voice/balances", roles::staff_read, list_balances,
         "The accounts the caller may see, ?state=low|exhausted."},
    };
}

}  // namespace switchyard::api::voice
