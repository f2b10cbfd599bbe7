// Resellers' commissions over HTTP (core/billing/commission.hpp): staff set a reseller's rate,
// approve or reject what it earned and pay approved commissions out; a reseller reads its own
// rate, commissions, totals and payouts.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "projections/billing/commissions.hpp"

namespace switchyard::api {

namespace json = boost::json;
namespace model = projections::billing;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::addressed_reseller;
using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::param;

core::Result<const projections::ReadModelView*> ready_view(BillingApi& api, HttpRequest& r) {
    return billing_routes::ready_view(api, r, model::kBillingCommissions);
}

json::object rate_json(const CommissionRate& rate) {
    return {{"reseller_id", rate.reseller_id},     {"percent_ppm", rate.percent_ppm},
            {"amount_micros", rate.amount_micros}, {"currency", rate.currency},
            {"on_creation", rate.on_creation},     {"on_renewal", rate.on_renewal},
            {"auto_approve", rate.auto_approve}};
}

json::object commission_json(const CommissionEarned& e, CommissionStatus status,
                             const std::string& reason, const std::string& payout_id) {
    return {{"commission_id", e.commission_id},
            {"reseller_id", e.reseller_id},
            {"subscription_id", e.subscription_id},
            {"plan_id", e.plan_id},
            {"line", e.line},
            {"kind", to_string(e.kind)},
            {"currency", e.currency},
            {"sale_micros", e.sale_micros},
            {"percent_ppm", e.percent_ppm},
            {"amount_micros", e.amount_micros},
            {"entry_id", e.entry_id},
            {"status", to_string(status)},
            {"reason", reason},
            {"payout_id", payout_id}};
}

json::object row_json(const model::CommissionRow& row) {
    auto o = commission_json(row.earned, row.status, row.reason, row.payout_id);
    o["earned_at"] = core::format_rfc3339(row.earned_at);
    o["updated_at"] = core::format_rfc3339(row.updated_at);
    return o;
}

json::object payout_json(const CommissionPayoutMade& p) {
    json::array ids;
    for (const auto& id : p.commission_ids) ids.emplace_back(id);
    return {{"payout_id", p.payout_id},         {"reseller_id", p.reseller_id},
            {"currency", p.currency},           {"method", to_string(p.method)},
            {"reference", p.reference},         {"commission_ids", std::move(ids)},
            {"amount_micros", p.amount_micros}, {"entry_id", p.entry_id}};
}

/// The commission's answer after a command, from its stream.
core::Result<HttpResponse> after_command(BillingApi& api, const std::string& id,
                                         const events::CommandOutcome<>& o) {
    const auto [state, revision] = SY_TRY(api.commissions.commission(id));
    if (!state.earned) return core::fail(Errc::NotFound, "commission_id", "no commission " + id);
    return answer(200, commission_json(*state.earned, state.status, state.reason, state.payout_id),
                  o.positions);
}

/// PUT /v1/billing/commission-rates/{reseller_id} {"percent_ppm"? | "amount_micros" +
/// "currency", "on_creation"?, "on_renewal"?, "auto_approve"?}
core::Result<HttpResponse> set_rate(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only(
        {"percent_ppm", "amount_micros", "currency", "on_creation", "on_renewal", "auto_approve"}));
    CommissionRate rate;
    rate.reseller_id = param(r, "reseller_id");
    rate.percent_ppm = SY_TRY(b.opt_int("percent_ppm")).value_or(0);
    rate.amount_micros = SY_TRY(b.opt_int("amount_micros")).value_or(0);
    rate.currency = SY_TRY(b.opt_string("currency")).value_or("");
    rate.on_creation = SY_TRY(b.opt_bool("on_creation")).value_or(true);
    rate.on_renewal = SY_TRY(b.opt_bool("on_renewal")).value_or(true);
    rate.auto_approve = SY_TRY(b.opt_bool("auto_approve")).value_or(false);
    auto o = SY_TRY(api.commissions.set_rate(rate, context_of(api, r)));
    return answer(200, rate_json(rate), o.positions);
}

/// GET /v1/billing/commission-rates/{reseller_id}: staff any reseller's, a reseller its own.
core::Result<HttpResponse> get_rate(BillingApi& api, HttpRequest& r) {
    const auto reseller =
        SY_TRY(addressed_reseller(caller_of(r), param(r, "reseller_id"), "reseller_id"));
    const auto* view = SY_TRY(ready_view(api, r));
    const auto row = model::find_commission_rate(*view, reseller);
    if (!row)
        return core::fail(Errc::NotFound, "reseller_id", "no commission rate for " + reseller);
    auto o = rate_json(row->rate);
    o["set_at"] = core::format_rfc3339(row->set_at);
    return json_response(200, json::serialize(o));
}

/// GET /v1/billing/commissions?reseller_id=&status=&cursor=&limit=: a reseller its own; staff
/// every reseller's, or one's.
core::Result<HttpResponse> list_commissions(BillingApi& api, HttpRequest& r) {
    const auto& caller = caller_of(r);
    std::string reseller = r.query_param("reseller_id");
    if (caller.principal.role == core::identity::Role::Reseller)
        reseller = SY_TRY(addressed_reseller(caller, reseller, "reseller_id"));
    std::optional<CommissionStatus> status;
    if (const auto& text = r.query_param("status"); !text.empty()) {
        CommissionStatus st{};
        if (!parse_commission_status(text, st))
            return core::fail(Errc::Invalid, "status",
                              "must be pending, approved, rejected or paid");
        status = st;
    }
    const auto* view = SY_TRY(ready_view(api, r));
    const auto page = SY_TRY(page_query(r));
    PageWriter out(page);
    for (const auto& row :
         model::list_commissions(*view, reseller, status, page.cursor, page.limit + 1))
        if (!out.add(json::serialize(row_json(row)), row.earned.commission_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/billing/commissions/summary?reseller_id=: per currency, what the reseller earned,
/// by status.
core::Result<HttpResponse> summary(BillingApi& api, HttpRequest& r) {
    const auto reseller =
        SY_TRY(addressed_reseller(caller_of(r), r.query_param("reseller_id"), "reseller_id"));
    const auto* view = SY_TRY(ready_view(api, r));
    json::array items;
    for (const auto& t : model::commission_totals(*view, reseller))
        items.push_back(json::object{{"currency", t.currency},
                                     {"commissions", t.count},
                                     {"earned_micros", t.pending_micros + t.approved_micros +
                                                           t.paid_micros + t.rejected_micros},
                                     {"pending_micros", t.pending_micros},
                                     {"approved_micros", t.approved_micros},
                                     {"paid_micros", t.paid_micros},
                                     {"rejected_micros", t.rejected_micros},
                                     {"unpaid_micros", t.pending_micros + t.approved_micros}});
    return json_response(
        200, json::serialize(json::object{{"reseller_id", reseller}, {"items", std::move(items)}}));
}

/// The commission `{commission_id}` as the read model has it, if the caller may see it.
core::Result<model::CommissionRow> visible_commission(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "commission_id");
    const auto* view = SY_TRY(ready_view(api, r));
    auto row = model::find_commission(*view, id);
    const auto& who = caller_of(r).principal;
    if (!row ||
        (who.role == core::identity::Role::Reseller && row->earned.reseller_id != who.user_id))
        return core::fail(Errc::NotFound, "commission_id", "no commission " + id);
    return *row;
}

core::Result<HttpResponse> get_commission(BillingApi& api, HttpRequest& r) {
    return json_response(200, json::serialize(row_json(SY_TRY(visible_commission(api, r)))));
}

/// POST /v1/billing/commissions/{commission_id}/approval
core::Result<HttpResponse> approve(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "commission_id");
    auto o = SY_TRY(api.commissions.approve(id, context_of(api, r)));
    return after_command(api, id, o);
}

/// POST /v1/billing/commissions/{commission_id}/rejection {"reason"}
core::Result<HttpResponse> reject(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    const auto reason = SY_TRY(b.string("reason"));
    const auto id = param(r, "commission_id");
    auto o = SY_TRY(api.commissions.reject(id, reason, context_of(api, r)));
    return after_command(api, id, o);
}

/// POST /v1/billing/commission-payouts {"payout_id", "reseller_id", "currency", "method"?,
/// "reference"?}: every approved, unpaid commission of the reseller in the currency.
core::Result<HttpResponse> pay_out(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"payout_id", "reseller_id", "currency", "method", "reference"}));
    PayOutCommissions c;
    c.payout_id = SY_TRY(b.string("payout_id"));
    c.reseller_id = SY_TRY(b.string("reseller_id"));
    c.currency = SY_TRY(b.string("currency"));
    const auto method = SY_TRY(b.opt_string("method")).value_or("credits");
    if (!parse_payout_method(method, c.method))
        return core::fail(Errc::Invalid, "method", "must be credits, bank_transfer, cash or other");
    c.reference = SY_TRY(b.opt_string("reference")).value_or("");
    SY_TRY(check_id(c.payout_id, "payout_id"));
    SY_TRY(check_id(c.reseller_id, "reseller_id"));
    const auto* view = SY_TRY(ready_view(api, r));
    const auto candidates = model::approved_commissions(*view, c.reseller_id, c.currency);
    auto o = SY_TRY(api.commissions.pay_out(c, candidates, context_of(api, r)));
    const auto made = SY_TRY(api.commissions.payout(c.payout_id)).made;
    if (!made) return core::fail(Errc::NotFound, "payout_id", "no payout " + c.payout_id);
    return answer(o.changed ? 201 : 200, payout_json(*made), o.positions);
}

/// GET /v1/billing/commission-payouts/{payout_id}: staff any, a reseller its own.
core::Result<HttpResponse> get_payout(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "payout_id");
    const auto* view = SY_TRY(ready_view(api, r));
    const auto row = model::find_commission_payout(*view, id);
    const auto& who = caller_of(r).principal;
    if (!row ||
        (who.role == core::identity::Role::Reseller && row->made.reseller_id != who.user_id))
        return core::fail(Errc::NotFound, "payout_id", "no payout " + id);
    auto o = payout_json(row->made);
    o["made_at"] = core::format_rfc3339(row->made_at);
    return json_response(200, json::serialize(o));
}

}  // namespace

void add_commission_routes(Router& router, BillingApi& api) {
    const auto& read = roles::staff_read;
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"PUT", "/v1/billing/commission-rates/{reseller_id}", roles::admin, set_rate,
             "Sets a reseller's commission: a percent of each sale its credits pay, or a fixed "
             "amount per sale, on creations and renewals."},
            {"GET", "/v1/billing/commission-rates/{reseller_id}", read, get_rate,
             "A reseller's commission rate (a reseller its own)."},
            {"GET", "/v1/billing/commissions", read, list_commissions,
             "Commissions by id, cursor-paginated; ?reseller_id= and ?status=; a reseller its "
             "own."},
            {"GET", "/v1/billing/commissions/summary", read, summary,
             "A reseller's commissions per currency: earned, pending, approved, paid, rejected."},
            {"GET", "/v1/billing/commissions/{commission_id}", read, get_commission,
             "One commission (a reseller its own)."},
            {"POST", "/v1/billing/commissions/{commission_id}/approval", roles::admin, approve,
             "Approves a pending commission for payout."},
            {"POST", "/v1/billing/commissions/{commission_id}/rejection", roles::admin, reject,
             "Rejects a pending or approved commission; its entry is reversed."},
            {"POST", "/v1/billing/commission-payouts", roles::admin, pay_out,
             "Pays a reseller's approved commissions in one currency out: onto its credits, or "
             "by bank transfer or cash."},
            {"GET", "/v1/billing/commission-payouts/{payout_id}", read, get_payout,
             "One payout (a reseller its own)."},
        });
}

}  // namespace switchyard::api
