// Plans and subscriptions over HTTP: staff define the plans every service line sells and
// subscribe customers to them; a subscription's charges are journal entries of the ledger,
// appended with the subscription's events. Commands answer from the subscription's stream;
// lists read the billing_subscriptions read model.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "projections/billing/subscriptions.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;
namespace model = projections::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::param;
const auto& kBillingRead = billing_routes::kBooksRead;

core::Result<const projections::ReadModelView*> ready_view(BillingApi& api, HttpRequest& r) {
    return billing_routes::ready_view(api, r, model::kBillingSubscriptions);
}

json::value opt_time(const std::optional<core::Timestamp>& t) {
    return t ? json::value(core::format_rfc3339(*t)) : json::value(nullptr);
}

json::object plan_json(const Plan& p, bool retired) {
    json::array prices;
    for (const auto& price : p.prices)
        prices.push_back(json::object{{"currency", price.currency},
                                      {"amount_micros", price.amount_micros},
                                      {"setup_fee_micros", price.setup_fee_micros}});
    return {{"plan_id", p.plan_id},
            {"name", p.name},
            {"line", p.line},
            {"service_plan", p.service_plan},
            {"interval", to_string(p.interval)},
            {"interval_count", p.interval_count},
            {"trial_days", p.trial_days},
            {"grace_days", p.grace_days},
            {"prices", std::move(prices)},
            {"revenue_recognition", p.ratable ? "ratable" : "immediate"},
            {"retired", retired}};
}

json::object subscription_json(const SubscriptionState& s) {
    const auto& t = *s.terms;
    return {{"subscription_id", t.subscription_id},
            {"customer_id", t.customer_id},
            {"currency", t.currency},
            {"payer", t.payer},
            {"service_id", t.service_id},
            {"plan_id", s.plan_id},
            {"line", s.line},
            {"pending_plan_id",
             s.pending_plan_id.empty() ? json::value(nullptr) : json::value(s.pending_plan_id)},
            {"status", to_string(s.status)},
            {"service", service_on(s.status) ? "on" : "off"},
            {"auto_renew", s.auto_renew},
            {"cancel_at_period_end", s.cancel_at_period_end},
            {"period_start", core::format_rfc3339(s.period_start)},
            {"period_end", core::format_rfc3339(s.period_end)},
            {"periods_paid", s.periods_paid},
            {"renewal_attempts", s.renewal_attempts},
            {"next_attempt_at", opt_time(s.next_attempt_at)},
            {"next_due", opt_time(next_due(s))}};
}

/// The plan in a request body (the id from the body).
core::Result<Plan> plan_of(const HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"plan_id", "name", "line", "service_plan", "interval", "interval_count",
                   "trial_days", "grace_days", "prices", "revenue_recognition"}));
    Plan p;
    p.plan_id = SY_TRY(b.string("plan_id"));
    p.name = SY_TRY(b.string("name"));
    p.line = SY_TRY(b.string("line"));
    p.service_plan = SY_TRY(b.opt_string("service_plan")).value_or("");
    const auto interval = SY_TRY(b.opt_string("interval")).value_or("month");
    if (!parse_interval(interval, p.interval))
        return core::fail(Errc::Invalid, "interval",
                          "must be minute, hour, day, week, month or year");
    p.interval_count = SY_TRY(b.opt_int("interval_count")).value_or(1);
    p.trial_days = SY_TRY(b.opt_int("trial_days")).value_or(0);
    p.grace_days = SY_TRY(b.opt_int("grace_days")).value_or(3);
    const auto recognition = SY_TRY(b.opt_string("revenue_recognition")).value_or("immediate");
    if (recognition != "immediate" && recognition != "ratable")
        return core::fail(Errc::Invalid, "revenue_recognition", "must be immediate or ratable");
    p.ratable = recognition == "ratable";
    auto prices = SY_TRY(b.opt_object_list("prices"));
    if (!prices) return core::fail(Errc::Invalid, "prices", "is required");
    if (prices->size() > 20)
        return core::fail(Errc::Invalid, "prices", "must hold 1 to 20 prices, one per currency");
    for (const auto& price : *prices) {
        SY_TRY(price.only({"currency", "amount_micros", "setup_fee_micros"}));
        auto amount = SY_TRY(price.opt_int("amount_micros"));
        if (!amount)
            return core::fail(Errc::Invalid, price.prefix() + "amount_micros", "is required");
        p.prices.push_back({SY_TRY(price.string("currency")), *amount,
                            SY_TRY(price.opt_int("setup_fee_micros")).value_or(0)});
    }
    return p;
}

/// POST /v1/billing/plans: defines a plan (201), the same definition again is 200.
core::Result<HttpResponse> define_plan(BillingApi& api, HttpRequest& r) {
    const auto p = SY_TRY(plan_of(r));
    const auto before = SY_TRY(api.subscriptions.plan(p.plan_id));
    auto o = SY_TRY(api.subscriptions.define_plan(p, context_of(api, r)));
    return answer(o.changed && !before.plan ? 201 : 200, plan_json(p, false), o.positions);
}

/// POST /v1/billing/plans/{plan_id}/retirement: no new subscriptions on the plan.
core::Result<HttpResponse> retire_plan(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "plan_id");
    auto o = SY_TRY(api.subscriptions.retire_plan(id, context_of(api, r)));
    const auto state = SY_TRY(api.subscriptions.plan(id));
    return answer(200, plan_json(*state.plan, state.retired), o.positions);
}

core::Result<HttpResponse> list_plans(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(ready_view(api, r));
    const auto page = SY_TRY(page_query(r));
    PageWriter out(page);
    for (const auto& row : model::list_plans(*view, page.cursor, page.limit + 1))
        if (!out.add(json::serialize(plan_json(row.plan, row.retired)), row.plan.plan_id)) break;
    return json_response(200, out.body());
}

core::Result<HttpResponse> get_plan(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(ready_view(api, r));
    const auto id = param(r, "plan_id");
    auto row = model::find_plan(*view, id);
    if (!row) return core::fail(Errc::NotFound, "plan_id", "no plan " + id);
    return json_response(200, json::serialize(plan_json(row->plan, row->retired)));
}

/// The subscription's state after a command, answered 200 (or `created_status` when the
/// command created it).
core::Result<HttpResponse> after_command(BillingApi& api, const std::string& id,
                                         const events::CommandOutcome<>& o, int status = 200) {
    const auto [state, revision] = SY_TRY(api.subscriptions.subscription(id));
    if (!state.terms) return core::fail(Errc::NotFound, "subscription_id", "no subscription " + id);
    return answer(status, subscription_json(state), o.positions);
}

/// POST /v1/billing/subscriptions {"subscription_id", "customer_id", "plan_id", "currency",
/// "payer", "service_id"?, "auto_renew"?, "promo_code"?}
core::Result<HttpResponse> create_subscription(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"subscription_id", "customer_id", "plan_id", "currency", "payer", "service_id",
                   "auto_renew", "promo_code"}));
    CreateSubscription c;
    c.terms.subscription_id = SY_TRY(b.string("subscription_id"));
    c.terms.customer_id = SY_TRY(b.string("customer_id"));
    c.plan_id = SY_TRY(b.string("plan_id"));
    c.terms.currency = SY_TRY(b.string("currency"));
    c.terms.payer = SY_TRY(b.string("payer"));
    c.terms.service_id = SY_TRY(b.opt_string("service_id")).value_or("");
    c.auto_renew = SY_TRY(b.opt_bool("auto_renew")).value_or(true);
    const auto promo_code = SY_TRY(b.opt_string("promo_code")).value_or("");
    auto o = SY_TRY(api.subscriptions.create(c, context_of(api, r), promo_code));
    return after_command(api, c.terms.subscription_id, o, o.changed ? 201 : 200);
}

/// The account a seller's purchases are paid from: a reseller's own credits
/// (`reseller_credit:<user id>`), or, for the operator's staff, the `payer` the body names.
core::Result<std::string> purchase_payer(const Caller& caller, JsonBody& b) {
    const auto& who = caller.principal;
    auto payer = SY_TRY(b.opt_string("payer"));
    if (who.role != core::identity::Role::Reseller) {
        if (!payer) return core::fail(Errc::Invalid, "payer", "is required (reseller_credit:r1)");
        return *payer;
    }
    if (payer) return core::fail(Errc::Forbidden, "payer", "a reseller pays from its own credits");
    return "reseller_credit:" + SY_TRY(billing_routes::addressed_reseller(caller, "", "payer"));
}

/// POST /v1/billing/purchases {"subscription_id", "plan_id", "service_id", "customer_id"?,
/// "currency"?, "auto_renew"?, "payer"? (staff), "promo_code"?}: a package bought for a line's
/// service, paid from the seller's credits.
core::Result<HttpResponse> purchase(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"subscription_id", "plan_id", "service_id", "customer_id", "currency",
                   "auto_renew", "payer", "promo_code"}));
    const auto& caller = caller_of(r);
    CreateSubscription c;
    c.terms.subscription_id = SY_TRY(b.string("subscription_id"));
    c.plan_id = SY_TRY(b.string("plan_id"));
    c.terms.service_id = SY_TRY(b.string("service_id"));
    c.terms.payer = SY_TRY(purchase_payer(caller, b));
    c.auto_renew = SY_TRY(b.opt_bool("auto_renew")).value_or(true);
    const auto plan = SY_TRY(api.subscriptions.plan(c.plan_id));
    if (!plan.plan) return core::fail(Errc::NotFound, "plan_id", "no plan " + c.plan_id);
    const auto& line = plan.plan->line;
    auto owner = api.service_owners.find(line);
    if (owner == api.service_owners.end())
        return core::fail(Errc::Rejected, "plan_id",
                          "the " + line + " line's services are not sold as purchases");
    const auto owner_path = SY_TRY(owner->second(c.terms.service_id));
    if (!core::identity::in_scope(caller.principal.scope, owner_path))
        return core::fail(Errc::NotFound, "service_id",
                          "no " + line + " service " + c.terms.service_id + " of yours");
    c.terms.customer_id =
        SY_TRY(b.opt_string("customer_id")).value_or(line + "-" + c.terms.service_id);
    const auto [account, revision] = SY_TRY(api.ledger.account(c.terms.payer));
    if (!account.terms)
        return core::fail(Errc::NotFound, "payer",
                          c.terms.payer + " is not open: the operator opens it and tops it up");
    c.terms.currency = SY_TRY(b.opt_string("currency")).value_or(account.terms->currency);
    const auto promo_code = SY_TRY(b.opt_string("promo_code")).value_or("");
    auto o = SY_TRY(api.subscriptions.create(c, context_of(api, r), promo_code));
    return after_command(api, c.terms.subscription_id, o, o.changed ? 201 : 200);
}

/// GET /v1/billing/subscriptions?customer_id=&status=&cursor=&limit=
core::Result<HttpResponse> list_subscriptions(BillingApi& api, HttpRequest& r) {
    std::optional<SubscriptionStatus> status;
    if (const auto& text = r.query_param("status"); !text.empty()) {
        SubscriptionStatus st{};
        if (!parse_subscription_status(text, st))
            return core::fail(Errc::Invalid, "status",
                              "must be trialing, active, past_due, paused, suspended, expired "
                              "or canceled");
        status = st;
    }
    const auto* view = SY_TRY(ready_view(api, r));
    const auto page = SY_TRY(page_query(r));
    PageWriter out(page);
    for (const auto& row : model::list_subscriptions(*view, r.query_param("customer_id"), status,
                                                     page.cursor, page.limit + 1))
        if (!out.add(json::serialize(subscription_json(row.state)), row.terms.subscription_id))
            break;
    return json_response(200, out.body());
}

core::Result<HttpResponse> get_subscription(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(ready_view(api, r));
    const auto id = param(r, "subscription_id");
    auto row = model::find_subscription(*view, id);
    if (!row) return core::fail(Errc::NotFound, "subscription_id", "no subscription " + id);
    auto o = subscription_json(row->state);
    o["created_at"] = core::format_rfc3339(row->created_at);
    o["updated_at"] = core::format_rfc3339(row->updated_at);
    return json_response(200, json::serialize(o));
}

/// POST /v1/billing/subscriptions/{subscription_id}/plan {"plan_id"}
core::Result<HttpResponse> change_plan(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"plan_id"}));
    const auto plan_id = SY_TRY(b.string("plan_id"));
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.change_plan(id, plan_id, context_of(api, r)));
    return after_command(api, id, o);
}

/// POST /v1/billing/subscriptions/{subscription_id}/cancellation {"cancel_at_period_end"?}
core::Result<HttpResponse> cancel(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"cancel_at_period_end"}));
    const bool cancel = SY_TRY(b.opt_bool("cancel_at_period_end")).value_or(true);
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.cancel_at_period_end(id, cancel, context_of(api, r)));
    return after_command(api, id, o);
}

/// POST /v1/billing/subscriptions/{subscription_id}/auto-renew {"auto_renew"}
core::Result<HttpResponse> auto_renew(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"auto_renew"}));
    const auto value = SY_TRY(b.opt_bool("auto_renew"));
    if (!value) return core::fail(Errc::Invalid, "auto_renew", "is required (true or false)");
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.set_auto_renew(id, *value, context_of(api, r)));
    return after_command(api, id, o);
}

core::Result<HttpResponse> pause(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.pause(id, context_of(api, r)));
    return after_command(api, id, o);
}

core::Result<HttpResponse> resume(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.resume(id, context_of(api, r)));
    return after_command(api, id, o);
}

/// POST /v1/billing/subscriptions/{subscription_id}/renewal: pays now (past due, suspended,
/// expired).
core::Result<HttpResponse> renew(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "subscription_id");
    auto o = SY_TRY(api.subscriptions.renew(id, context_of(api, r)));
    return after_command(api, id, o);
}

}  // namespace

void add_subscription_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"POST", "/v1/billing/plans", roles::admin, define_plan,
             "Defines or redefines a plan: its service line, period, trial, grace days and a "
             "price per currency."},
            {"GET", "/v1/billing/plans", kBillingRead, list_plans,
             "Every plan, by id, cursor-paginated."},
            {"GET", "/v1/billing/plans/{plan_id}", kBillingRead, get_plan, "One plan."},
            {"POST", "/v1/billing/plans/{plan_id}/retirement", roles::admin, retire_plan,
             "Retires a plan: no new subscriptions; running ones renew."},
            {"POST", "/v1/billing/purchases", roles::sellers, purchase,
             "Buys a package (a plan) for a line's service in the seller's scope (an IPTV line, "
             "a VPN customer), paid from the reseller's own credits: a subscription that renews "
             "from them and turns the service off when unpaid."},
            {"POST", "/v1/billing/subscriptions", roles::admin, create_subscription,
             "Subscribes a customer to a plan, charging the payer's account for the first "
             "period unless the plan starts with a trial."},
            {"GET", "/v1/billing/subscriptions", kBillingRead, list_subscriptions,
             "Subscriptions, by id, of ?customer_id= and in ?status=, cursor-paginated."},
            {"GET", "/v1/billing/subscriptions/{subscription_id}", kBillingRead, get_subscription,
             "One subscription: status, period, plan, next due time."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/plan", roles::admin, change_plan,
             "Changes the plan: an upgrade at once, prorated by day; a downgrade at the next "
             "renewal."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/cancellation", roles::admin,
             cancel, "Schedules (or withdraws) the cancellation at the period end."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/auto-renew", roles::admin,
             auto_renew, "Turns auto-renewal on or off."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/pause", roles::admin, pause,
             "Pauses the subscription (service off); resuming adds the paused time."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/resume", roles::admin, resume,
             "Resumes a paused subscription."},
            {"POST", "/v1/billing/subscriptions/{subscription_id}/renewal", roles::admin, renew,
             "Pays a past-due, suspended or expired subscription now; reinstates its service."},
        });
}

}  // namespace switchyard::api
