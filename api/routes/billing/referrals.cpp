// Referral codes over HTTP (core/billing/referral.hpp): staff define a customer's code and
// register new customers with it; the billing worker posts both bonuses once the referred
// customer's qualifying payment is received.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "core/billing/promo.hpp"
#include "projections/billing/referrals.hpp"

namespace switchyard::api {

namespace json = boost::json;
namespace model = projections::billing;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::kBooksRead;
using billing_routes::param;

json::object terms_json(const ReferralCode& t) {
    return {{"code", t.code},
            {"referrer_id", t.referrer_id},
            {"currency", t.currency},
            {"referrer_bonus_micros", t.referrer_bonus_micros},
            {"referee_bonus_micros", t.referee_bonus_micros},
            {"qualifying_micros", t.qualifying_micros},
            {"max_referrals", t.max_referrals}};
}

json::object referral_json(const ReferralState& s) {
    const auto& r = *s.registered;
    json::object o{{"customer_id", r.customer_id},
                   {"code", r.terms.code},
                   {"referrer_id", r.terms.referrer_id},
                   {"status", s.rewarded ? "rewarded" : "registered"},
                   {"terms", terms_json(r.terms)}};
    if (s.rewarded) {
        o["payment_id"] = s.rewarded->payment_id;
        o["entry_id"] = s.rewarded->entry_id;
    }
    return o;
}

/// POST /v1/billing/referral-codes {"code", "referrer_id", "currency", "referrer_bonus_micros"?,
/// "referee_bonus_micros"?, "qualifying_micros"?, "max_referrals"?}
core::Result<HttpResponse> define_code(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"code", "referrer_id", "currency", "referrer_bonus_micros",
                   "referee_bonus_micros", "qualifying_micros", "max_referrals"}));
    ReferralCode c;
    c.code = normalize_promo_code(SY_TRY(b.string("code")));
    c.referrer_id = SY_TRY(b.string("referrer_id"));
    c.currency = SY_TRY(b.string("currency"));
    c.referrer_bonus_micros = SY_TRY(b.opt_int("referrer_bonus_micros")).value_or(0);
    c.referee_bonus_micros = SY_TRY(b.opt_int("referee_bonus_micros")).value_or(0);
    c.qualifying_micros = SY_TRY(b.opt_int("qualifying_micros")).value_or(0);
    c.max_referrals = SY_TRY(b.opt_int("max_referrals")).value_or(0);
    const auto existed = SY_TRY(api.referrals.code(c.code)).terms.has_value();
    auto o = SY_TRY(api.referrals.define(c, context_of(api, r)));
    return answer(existed ? 200 : 201, terms_json(c), o.positions);
}

/// GET /v1/billing/referral-codes/{code}: its terms, uses and the customers it referred.
core::Result<HttpResponse> get_code(BillingApi& api, HttpRequest& r) {
    const auto code = normalize_promo_code(param(r, "code"));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, model::kBillingReferrals));
    const auto row = model::find_referral_code(*view, code);
    if (!row) return core::fail(Errc::NotFound, "code", "no referral code " + code);
    auto o = terms_json(row->terms);
    o["retired"] = row->retired;
    o["referrals"] = row->referrals;
    json::array referred;
    for (const auto& ref : model::list_referrals(*view, code, 1000))
        referred.push_back(json::object{{"customer_id", ref.customer_id},
                                        {"registered_at", core::format_rfc3339(ref.registered_at)},
                                        {"rewarded", ref.rewarded_at.has_value()}});
    o["referred"] = std::move(referred);
    return json_response(200, json::serialize(o));
}

/// POST /v1/billing/referral-codes/{code}/retirement
core::Result<HttpResponse> retire_code(BillingApi& api, HttpRequest& r) {
    const auto code = param(r, "code");
    auto o = SY_TRY(api.referrals.retire(code, context_of(api, r)));
    const auto state = SY_TRY(api.referrals.code(code));
    auto body = terms_json(*state.terms);
    body["retired"] = true;
    return answer(200, std::move(body), o.positions);
}

/// POST /v1/billing/referrals {"code", "customer_id"}: a new customer referred.
core::Result<HttpResponse> register_referral(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"code", "customer_id"}));
    const auto code = SY_TRY(b.string("code"));
    const auto customer = SY_TRY(b.string("customer_id"));
    auto o = SY_TRY(api.referrals.register_customer(code, customer, context_of(api, r)));
    const auto state = SY_TRY(api.referrals.referral(customer));
    return answer(o.changed ? 201 : 200, referral_json(state), o.positions);
}

/// GET /v1/billing/referrals/{customer_id}
core::Result<HttpResponse> get_referral(BillingApi& api, HttpRequest& r) {
    const auto customer = param(r, "customer_id");
    const auto state = SY_TRY(api.referrals.referral(customer));
    if (!state.registered)
        return core::fail(Errc::NotFound, "customer_id", customer + " was not referred");
    return json_response(200, json::serialize(referral_json(state)));
}

}  // namespace

void add_referral_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"POST", "/v1/billing/referral-codes", roles::admin, define_code,
             "Defines a customer's referral code: the bonuses of the referrer and the referred "
             "customer, the qualifying payment, a limit."},
            {"GET", "/v1/billing/referral-codes/{code}", kBooksRead, get_code,
             "A referral code: its terms, uses and the customers it referred."},
            {"POST", "/v1/billing/referral-codes/{code}/retirement", roles::admin, retire_code,
             "Retires a referral code: no new customers register with it."},
            {"POST", "/v1/billing/referrals", roles::admin, register_referral,
             "Registers a new customer with a referral code (once per customer); the bonuses "
             "follow its first qualifying payment."},
            {"GET", "/v1/billing/referrals/{customer_id}", kBooksRead, get_referral,
             "A referred customer's referral: registered or rewarded."},
        });
}

}  // namespace switchyard::api
