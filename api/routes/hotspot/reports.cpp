#include "api/routes/hotspot/reports.hpp"

#include <boost/json.hpp>

#include "api/query.hpp"
#include "api/report_table.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "projections/hotspot/hotspot_reports.hpp"

namespace switchyard::api {

namespace {

namespace json = boost::json;
using projections::hotspot::SalesRow;
using projections::hotspot::UsageRow;

core::Result<const projections::ReadModelView*> reports_model(RadiusApi& api) {
    const auto* v = api.ctx.runner.view(projections::hotspot::kHotspotReports);
    if (v == nullptr)
        return core::fail(core::Errc::Unavailable, "model", "the hotspot_reports model is off");
    return v;
}

bool operator_staff(const HttpRequest& r) {
    const auto& p = caller_of(r).principal;
    return p.role != core::identity::Role::Reseller && p.scope == "/";
}

ReportTable usage_table(const char* key_name, const std::vector<UsageRow>& rows) {
    ReportTable t{
        {key_name, "sessions", "input_bytes", "output_bytes", "total_bytes", "online_seconds"}, {}};
    for (const auto& r : rows)
        t.rows.push_back({json::value(r.key), r.sessions, r.input_bytes, r.output_bytes,
                          r.input_bytes + r.output_bytes, r.online_seconds});
    return t;
}

bool csv_of(const HttpRequest& r) { return r.path.ends_with(".csv"); }

core::Result<HttpResponse> by_plan(RadiusApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto rows = projections::hotspot::usage_by_plan(*SY_TRY(reports_model(api)));
    if (!operator_staff(r)) {
        const auto scope = caller_of(r).principal.scope;
        const auto catalog = SY_TRY(api.hotspot.catalog());
        std::erase_if(rows, [&](const UsageRow& u) {
            auto it = catalog.plans.find(u.key);
            return it == catalog.plans.end() || !it->second.owner_path.starts_with(scope);
        });
    }
    return table_response(usage_table("plan_id", rows), csv_of(r));
}

core::Result<HttpResponse> by_nas(RadiusApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto rows = projections::hotspot::usage_by_nas(*SY_TRY(reports_model(api)));
    if (!operator_staff(r)) {
        const auto scope = caller_of(r).principal.scope;
        const auto catalog = SY_TRY(api.hotspot.catalog());
        std::erase_if(rows, [&](const UsageRow& u) {
            auto it = catalog.nas.find(u.key);
            return it == catalog.nas.end() || !it->second.owner_path.starts_with(scope);
        });
    }
    return table_response(usage_table("nas_id", rows), csv_of(r));
}

core::Result<void> operator_only(const HttpRequest& r) {
    if (operator_staff(r)) return {};
    return core::fail(core::Errc::Forbidden, "role",
                      "this report mixes every NAS: operator staff only");
}

core::Result<HttpResponse> by_hour(RadiusApi& api, HttpRequest& r) {
    SY_TRY(operator_only(r));
    SY_TRY(wait_for_position(api.ctx, r));
    return table_response(
        usage_table("hour", projections::hotspot::usage_by_hour(*SY_TRY(reports_model(api)))),
        csv_of(r));
}

core::Result<HttpResponse> top(RadiusApi& api, HttpRequest& r) {
    SY_TRY(operator_only(r));
    SY_TRY(wait_for_position(api.ctx, r));
    const auto limit = SY_TRY(int_query(r, "limit", 10, 1, 1000));
    return table_response(
        usage_table("username", projections::hotspot::top_users(*SY_TRY(reports_model(api)),
                                                                static_cast<std::size_t>(limit))),
        csv_of(r));
}

core::Result<HttpResponse> sales(RadiusApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto rows = projections::hotspot::voucher_sales(*SY_TRY(reports_model(api)));
    if (!operator_staff(r)) {
        const auto scope = caller_of(r).principal.scope;
        std::erase_if(rows, [&](const SalesRow& s) { return !s.owner_path.starts_with(scope); });
    }
    ReportTable t{{"batch_id", "plan_id", "count", "redeemed", "revoked", "price_micros",
                   "currency", "revenue_micros"},
                  {}};
    for (const auto& s : rows)
        t.rows.push_back({json::value(s.batch_id), json::value(s.plan_id), s.count, s.redeemed,
                          s.revoked, s.price_micros, json::value(s.currency), s.revenue_micros});
    return table_response(t, csv_of(r));
}

}  // namespace

void add_report_routes(Router& router, RadiusApi& api) {
    std::vector<RouteDef<RadiusApi>> table;
    struct Report {
        const char* name;
        core::Result<HttpResponse> (*fn)(RadiusApi&, HttpRequest&);
        const char* summary;
    };
    static const std::string base = "/v1/hotspot/reports/";
    static const Report reports[] = {
        {"usage-by-plan", by_plan, "Report hotspot usage by plan"},
        {"usage-by-nas", by_nas, "Report hotspot usage by NAS"},
        {"usage-by-hour", by_hour,
         "Report hotspot usage by hour of day, local time at each NAS (its timezone)"},
        {"top-users", top, "Report the hotspot users with the most bytes"},
        {"voucher-sales", sales, "Report voucher sales by batch"},
    };
    static std::vector<std::string> patterns;
    patterns.clear();
    patterns.reserve(10);
    for (const auto& rep : reports) {
        patterns.push_back(base + rep.name);
        patterns.push_back(base + rep.name + ".csv");
    }
    for (std::size_t i = 0; i < 5; ++i) {
        table.push_back(
            {"GET", patterns[2 * i].c_str(), roles::staff_read, reports[i].fn, reports[i].summary});
        table.push_back({"GET", patterns[2 * i + 1].c_str(), roles::staff_read, reports[i].fn,
                         reports[i].summary});
    }
    add_routes<RadiusApi>(router, api, "hotspot", table);
}

}  // namespace switchyard::api
