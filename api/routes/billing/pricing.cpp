// Tax rates, promo codes and quotes over HTTP: staff set each jurisdiction's rate and define
// promo codes; a quote gives a checkout the amounts of an invoice for a buyer (tax treatment,
// reverse charge, the promo code's discount) without recording anything.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::line_json;
using billing_routes::param;
const auto& kBillingRead = billing_routes::kBooksRead;

json::object rate_json(const TaxRate& r) {
    return {{"jurisdiction", r.jurisdiction}, {"name", r.name}, {"rate_ppm", r.rate_ppm}};
}

json::object promo_json(const PromoState& s) {
    const auto& p = *s.promo;
    json::array plans;
    for (const auto& id : p.plan_ids) plans.push_back(json::value(id));
    json::object o{{"code", p.code},
                   {"duration", to_string(p.duration)},
                   {"periods", p.periods},
                   {"max_redemptions", p.max_redemptions},
                   {"redeem_by", p.redeem_by ? json::value(core::format_rfc3339(*p.redeem_by))
                                             : json::value(nullptr)},
                   {"plan_ids", std::move(plans)},
                   {"reusable", p.reusable},
                   {"redemptions", s.redemptions},
                   {"retired", s.retired}};
    if (p.percent_ppm > 0) {
        o["percent_ppm"] = p.percent_ppm;
    } else {
        o["amount_micros"] = p.amount_micros;
        o["currency"] = p.currency;
    }
    return o;
}

/// PUT /v1/billing/tax-rates/{jurisdiction} {"name", "rate_ppm"}
core::Result<HttpResponse> set_rate(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "rate_ppm"}));
    TaxRate rate;
    rate.jurisdiction = param(r, "jurisdiction");
    rate.name = SY_TRY(b.string("name"));
    const auto ppm = SY_TRY(b.opt_int("rate_ppm"));
    if (!ppm) return core::fail(Errc::Invalid, "rate_ppm", "is required (19 % is 190000)");
    rate.rate_ppm = *ppm;
    auto o = SY_TRY(api.pricing.set_tax_rate(rate, context_of(api, r)));
    return answer(200, rate_json(rate), o.positions);
}

/// GET /v1/billing/tax-rates
core::Result<HttpResponse> list_rates(BillingApi& api, HttpRequest&) {
    json::array items;
    for (const auto& rate : SY_TRY(api.pricing.tax_rates())) items.push_back(rate_json(rate));
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
}

/// POST /v1/billing/promo-codes
core::Result<HttpResponse> define_promo(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"code", "percent_ppm", "amount_micros", "currency", "duration", "periods",
                   "max_redemptions", "redeem_by", "plan_ids", "reusable"}));
    PromoCode p;
    p.code = normalize_promo_code(SY_TRY(b.string("code")));
    p.percent_ppm = SY_TRY(b.opt_int("percent_ppm")).value_or(0);
    p.amount_micros = SY_TRY(b.opt_int("amount_micros")).value_or(0);
    p.currency = SY_TRY(b.opt_string("currency")).value_or("");
    const auto duration = SY_TRY(b.opt_string("duration")).value_or("once");
    if (!parse_discount_duration(duration, p.duration))
        return core::fail(Errc::Invalid, "duration", "must be once, repeating or forever");
    p.periods = SY_TRY(b.opt_int("periods")).value_or(0);
    p.max_redemptions = SY_TRY(b.opt_int("max_redemptions")).value_or(0);
    if (auto by = SY_TRY(b.opt_string("redeem_by"))) {
        p.redeem_by = core::parse_rfc3339(*by);
        if (!p.redeem_by) return core::fail(Errc::Invalid, "redeem_by", "must be an RFC 3339 time");
    }
    p.plan_ids = SY_TRY(b.opt_string_list("plan_ids")).value_or(std::vector<std::string>{});
    p.reusable = SY_TRY(b.opt_bool("reusable")).value_or(false);
    const auto before = SY_TRY(api.pricing.promo(p.code));
    auto o = SY_TRY(api.pricing.define_promo(p, context_of(api, r)));
    const auto after = SY_TRY(api.pricing.promo(p.code));
    return answer(o.changed && !before.promo ? 201 : 200, promo_json(after), o.positions);
}

/// GET /v1/billing/promo-codes/{code}
core::Result<HttpResponse> get_promo(BillingApi& api, HttpRequest& r) {
    const auto code = param(r, "code");
    const auto s = SY_TRY(api.pricing.promo(code));
    if (!s.promo) return core::fail(Errc::NotFound, "code", "no promo code " + code);
    return json_response(200, json::serialize(promo_json(s)));
}

/// POST /v1/billing/promo-codes/{code}/retirement
core::Result<HttpResponse> retire_promo(BillingApi& api, HttpRequest& r) {
    const auto code = param(r, "code");
    auto o = SY_TRY(api.pricing.retire_promo(code, context_of(api, r)));
    return answer(200, promo_json(SY_TRY(api.pricing.promo(code))), o.positions);
}

/// POST /v1/billing/quotes: an invoice's amounts for a buyer, nothing recorded.
core::Result<HttpResponse> quote(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"currency", "tax_behavior", "buyer", "customer_id", "promo_code", "lines"}));
    events::billing::QuoteRequest q;
    q.currency = SY_TRY(b.string("currency"));
    const auto behavior = SY_TRY(b.opt_string("tax_behavior")).value_or("exclusive");
    if (!parse_tax_behavior(behavior, q.behavior))
        return core::fail(Errc::Invalid, "tax_behavior", "must be exclusive or inclusive");
    auto buyer = SY_TRY(b.opt_object("buyer"));
    if (!buyer) return core::fail(Errc::Invalid, "buyer", "is required ({\"country\": \"DE\"})");
    SY_TRY(buyer->only({"country", "region", "vat_id"}));
    q.buyer.country = SY_TRY(buyer->string("country"));
    q.buyer.region = SY_TRY(buyer->opt_string("region")).value_or("");
    q.buyer.vat_id = SY_TRY(buyer->opt_string("vat_id")).value_or("");
    q.customer_id = SY_TRY(b.opt_string("customer_id")).value_or("");
    q.promo_code = SY_TRY(b.opt_string("promo_code")).value_or("");
    if (!q.promo_code.empty() && q.customer_id.empty())
        return core::fail(Errc::Invalid, "customer_id", "is required with a promo code");
    q.lines = SY_TRY(billing_routes::invoice_lines(b));
    const auto out = SY_TRY(api.pricing.quote(q, context_of(api, r).now));
    json::array items;
    for (const auto& l : out.invoice.lines) items.push_back(line_json(l));
    const auto& t = out.invoice.totals;
    return json_response(200, json::serialize(json::object{
                                  {"currency", q.currency},
                                  {"tax_behavior", to_string(q.behavior)},
                                  {"tax", json::object{{"jurisdiction", out.tax.jurisdiction},
                                                       {"name", out.tax.name},
                                                       {"rate_ppm", out.tax.rate_ppm},
                                                       {"reverse_charge", out.tax.reverse_charge},
                                                       {"vat_id", out.tax.vat_id},
                                                       {"note", out.tax.note}}},
                                  {"promo_code", out.promo_code},
                                  {"lines", std::move(items)},
                                  {"subtotal_micros", t.subtotal_micros},
                                  {"discount_micros", t.discount_micros},
                                  {"net_micros", t.net_micros},
                                  {"tax_micros", t.tax_micros},
                                  {"total_micros", t.total_micros}}));
}

}  // namespace

void add_pricing_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"PUT", "/v1/billing/tax-rates/{jurisdiction}", roles::admin, set_rate,
             "Sets a jurisdiction's tax rate (DE, US-CA) in parts per million."},
            {"GET", "/v1/billing/tax-rates", kBillingRead, list_rates, "Every tax rate."},
            {"POST", "/v1/billing/promo-codes", roles::admin, define_promo,
             "Defines a promo code: percent or fixed off, once, repeating or forever, with "
             "redemption limits, a last day and the plans it is for."},
            {"GET", "/v1/billing/promo-codes/{code}", kBillingRead, get_promo,
             "One promo code with its redemptions."},
            {"POST", "/v1/billing/promo-codes/{code}/retirement", roles::admin, retire_promo,
             "Retires a promo code: no more redemptions."},
            {"POST", "/v1/billing/quotes", kBillingRead, quote,
             "An invoice's amounts for a buyer (tax, reverse charge, promo code), nothing "
             "recorded."},
        });
}

}  // namespace switchyard::api
