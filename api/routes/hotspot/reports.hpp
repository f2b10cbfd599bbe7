#pragma once
/// The hotspot reports (issue 13 item 9), from the `hotspot_reports` read model
/// (projections/hotspot/hotspot_reports.hpp), each as JSON `{"items":[...]}` and as CSV with
/// the `.csv` suffix (header line, CRLF):
///
/// - `GET /v1/hotspot/reports/usage-by-plan`, `usage-by-nas`, `usage-by-hour`: rows
///   `{"plan_id"|"nas_id"|"hour", "sessions","input_bytes","output_bytes","total_bytes",
///   "online_seconds"}`;
/// - `GET /v1/hotspot/reports/top-users?limit=1..1000` (default 10): rows with `username`;
/// - `GET /v1/hotspot/reports/voucher-sales`: `{"batch_id","plan_id","count","redeemed",
///   "revoked","price_micros","currency","revenue_micros"}`.
///
/// Roles: admin and support see everything; a reseller sees its own NAS (usage-by-nas), plans
/// (usage-by-plan) and batches (voucher-sales), and gets 403 naming `role` for usage-by-hour
/// and top-users, which mix every NAS.

#include "api/router.hpp"
#include "api/routes/hotspot/radius.hpp"

namespace switchyard::api {

/// Adds the report routes (module `hotspot`).
void add_report_routes(Router& router, RadiusApi& api);

}  // namespace switchyard::api
