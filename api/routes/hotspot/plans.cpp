// /v1/hotspot/plans: what an account or a voucher buys (time, data, speed, shared users,
// validity window, price). DELETE retires a plan: no longer sold, accounts on it keep it. A
// reseller changes its own subtree's plans and sees (read-only) the operator's and a parent
// reseller's, which it sells (see usable_plan); never a sibling reseller's.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/hotspot/hotspot_support.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/hotspot/hotspot_catalog.hpp"

namespace switchyard::api::hotspot {

namespace json = boost::json;
using core::Errc;
using namespace core::hotspot;

namespace {

/// The plan as the API shows it: plan_json plus `price` as decimal text, `owner` (`operator`
/// for a plan of `/`, else `reseller`) and `editable` (false for a plan above the caller's
/// scope: a reseller sells the operator's plans but does not change them).
json::object plan_view(const Plan& p, const HttpRequest& r) {
    auto o = events::hotspot::plan_json(p);
    o["price"] = price_text(p.price_micros);
    o["owner"] = p.owner_path == "/" ? "operator" : "reseller";
    o["editable"] = may_reach(r, p.owner_path);
    return o;
}

/// The `{id}` plan as the command side holds it, if the caller may change it. @errors NotFound
/// for a plan the caller does not see; Forbidden naming `plan_id` for one above its scope.
core::Result<Plan> reachable_plan(HotspotApi& api, const HttpRequest& r, const std::string& id) {
    auto p = api.hotspot.plan(id);
    if (!p) {
        if (p.error().code == Errc::NotFound) return not_found("plan", id);
        return tl::unexpected(p.error());
    }
    if (!projections::hotspot::plan_visible(scope_of(r), p->owner_path))
        return not_found("plan", id);
    if (!may_reach(r, p->owner_path))
        return core::fail(Errc::Forbidden, "plan_id",
                          fmt::format("plan '{}' belongs to the operator or a parent reseller: "
                                      "it may be sold, not changed",
                                      id));
    return *p;
}

/// An optional limit: absent keeps `current`, `null` removes it, an integer sets it.
core::Result<void> limit_of(const JsonBody& b, const char* key, std::optional<std::int64_t>& out) {
    if (auto v = SY_TRY(b.opt_nullable_int(key))) out = *v;
    return {};
}

/// A plan from a body; absent members keep `current`'s. Types here, rules in
/// core/hotspot/catalog_decider (each limit positive, shared_users 1 to 1000, ...).
core::Result<Plan> plan_of(const JsonBody& b, const Plan& current, bool create) {
    SY_TRY(b.only({"plan_id",
                   "name",
                   "service",
                   "duration_seconds",
                   "time_from",
                   "session_time_seconds",
                   "data_limit_bytes",
                   "data_direction",
                   "download_kbps",
                   "upload_kbps",
                   "burst_download_kbps",
                   "burst_upload_kbps",
                   "burst_threshold_download_kbps",
                   "burst_threshold_upload_kbps",
                   "burst_seconds",
                   "shared_users",
                   "idle_timeout_seconds",
                   "valid_from",
                   "valid_until",
                   "price",
                   "currency",
                   "address_pool",
                   "expired_pool",
                   "allow_stacking"}));
    Plan p = current;
    if (create) {
        p.name = SY_TRY(b.string("name"));
        if (auto id = SY_TRY(b.opt_string("plan_id"))) {
            p.plan_id = *id;
        } else {
            p.plan_id = id_from_name(p.name);
            if (p.plan_id.empty())
                return core::fail(Errc::Invalid, "plan_id",
                                  "is required when the name has no letters or digits");
        }
    } else {
        if (b.has("plan_id"))
            return core::fail(Errc::Invalid, "plan_id", "cannot be changed (it is in the URL)");
        if (auto v = SY_TRY(b.opt_string("name"))) p.name = *v;
    }
    if (auto v = SY_TRY(b.opt_string("service")); v && !parse_service_type(*v, p.service))
        return core::fail(Errc::Invalid, "service", "must be hotspot or pppoe");
    if (auto v = SY_TRY(b.opt_string("time_from")); v && !parse_time_from(*v, p.time_from))
        return core::fail(Errc::Invalid, "time_from", "must be first_login or purchase");
    if (auto v = SY_TRY(b.opt_string("data_direction"));
        v && !parse_data_direction(*v, p.data_direction))
        return core::fail(Errc::Invalid, "data_direction", "must be total, download or upload");
    SY_TRY(limit_of(b, "duration_seconds", p.duration_seconds));
    SY_TRY(limit_of(b, "session_time_seconds", p.session_time_seconds));
    SY_TRY(limit_of(b, "data_limit_bytes", p.data_limit_bytes));
    SY_TRY(limit_of(b, "download_kbps", p.download_kbps));
    SY_TRY(limit_of(b, "upload_kbps", p.upload_kbps));
    SY_TRY(limit_of(b, "idle_timeout_seconds", p.idle_timeout_seconds));
    if (auto v = SY_TRY(b.opt_int("burst_download_kbps"))) p.burst.download_kbps = *v;
    if (auto v = SY_TRY(b.opt_int("burst_upload_kbps"))) p.burst.upload_kbps = *v;
    if (auto v = SY_TRY(b.opt_int("burst_threshold_download_kbps")))
        p.burst.threshold_download_kbps = *v;
    if (auto v = SY_TRY(b.opt_int("burst_threshold_upload_kbps")))
        p.burst.threshold_upload_kbps = *v;
    if (auto v = SY_TRY(b.opt_int("burst_seconds"))) p.burst.seconds = *v;
    if (auto v = SY_TRY(b.opt_int("shared_users"))) p.shared_users = *v;
    if (b.has("valid_from")) p.valid_from = SY_TRY(opt_time(b, "valid_from"));
    if (b.has("valid_until")) p.valid_until = SY_TRY(opt_time(b, "valid_until"));
    if (auto v = SY_TRY(b.opt_string("price"))) p.price_micros = SY_TRY(parse_price(*v));
    if (auto v = SY_TRY(b.opt_string("currency"))) p.currency = *v;
    if (auto v = SY_TRY(b.opt_string("address_pool"))) p.address_pool = *v;
    if (auto v = SY_TRY(b.opt_string("expired_pool"))) p.expired_pool = *v;
    if (auto v = SY_TRY(b.opt_bool("allow_stacking"))) p.allow_stacking = *v;
    return p;
}

/// GET /v1/hotspot/plans?include_retired=true|false&cursor=&limit=: the caller's plans and, for
/// a reseller, the plans above it that it may sell (`editable: false`).
core::Result<HttpResponse> list_plans(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto retired = SY_TRY(enum_query(r, "include_retired", {"true", "false"}, "false"));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotPlans, "plans"));
    PageWriter out(page);
    for (const auto& p : projections::hotspot::list_visible_plans(
             *view, page.cursor, page.limit + 1, scope_of(r), retired == "true"))
        if (!out.add(json::serialize(plan_view(p, r)), p.plan_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/hotspot/plans/{id}: a plan of the caller's subtree, or one above it (read-only).
core::Result<HttpResponse> get_plan(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotPlans, "plans"));
    auto p = projections::hotspot::find_plan(*view, id);
    if (!p || !projections::hotspot::plan_visible(scope_of(r), p->owner_path))
        return not_found("plan", id);
    return json_ok(plan_view(*p, r));
}

/// POST /v1/hotspot/plans {"name", "plan_id"?, "duration_seconds"?, "data_limit_bytes"?,
/// "download_kbps"?, "upload_kbps"?, "shared_users"?, "price"?, ...}: 201 with the plan.
core::Result<HttpResponse> create_plan(HotspotApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefinePlan cmd;
    cmd.plan = SY_TRY(plan_of(b, Plan{}, true));
    cmd.plan.owner_path = owner_path_of(r);
    cmd.mode = DefineMode::Create;
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return answer_created(plan_view(SY_TRY(reachable_plan(api, r, cmd.plan.plan_id)), r), o);
}

/// PATCH /v1/hotspot/plans/{id}: the fields the body names change; `null` removes a limit.
core::Result<HttpResponse> update_plan(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto current = SY_TRY(reachable_plan(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefinePlan cmd;
    cmd.plan = SY_TRY(plan_of(b, current, false));
    cmd.mode = DefineMode::Update;
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return answer(200, plan_view(SY_TRY(reachable_plan(api, r, id)), r), o.positions);
}

/// DELETE /v1/hotspot/plans/{id}: retires the plan (no longer sold; accounts keep it).
core::Result<HttpResponse> retire_plan(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable_plan(api, r, id));
    RetirePlan cmd{id, ""};
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return answer(200, plan_view(SY_TRY(reachable_plan(api, r, id)), r), o.positions);
}

}  // namespace

HotspotRoutes plan_routes() {
    return {
        {"GET", "/v1/hotspot/plans", hotspot_roles::read, list_plans,
         "The caller's hotspot plans in id order (?include_retired=true), cursor-paginated."},
        {"GET", "/v1/hotspot/plans/{id}", hotspot_roles::read, get_plan,
         "One hotspot plan in the caller's reach."},
        {"POST", "/v1/hotspot/plans", hotspot_roles::catalog, create_plan,
         "Defines a hotspot plan: time, data, speed, shared users, validity, price."},
        {"PATCH", "/v1/hotspot/plans/{id}", hotspot_roles::catalog, update_plan,
         "Changes a hotspot plan's fields (null removes a limit)."},
        {"DELETE", "/v1/hotspot/plans/{id}", hotspot_roles::catalog, retire_plan,
         "Retires a hotspot plan: no longer sold; accounts on it keep it."},
    };
}

}  // namespace switchyard::api::hotspot
