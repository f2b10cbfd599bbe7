#pragma once
/// The `hotspot_reports` read model (issue 13 item 9): usage by plan, by NAS and by hour of day,
/// usage per user (for top users), from the session events; voucher sales by batch from the
/// voucher and plan events. Bytes and seconds are attributed where the event that added them
/// falls: an Interim-Update adds what grew since the last one. Hours are hours of the local
/// wall-clock time (0 to 23) of the event's time at its NAS's timezone (the NAS's IANA
/// `timezone`, read from Debian `tzdata`, /usr/share/zoneinfo or $TZDIR; UTC when unknown),
/// so a day's peak shows at the hour it was at the site, also across a DST change.
///
/// Keys: `c/<unique_id>` -> the session's last counters, user, NAS and plan; `p/<username>` ->
/// plan_id; `pp/<plan_id>` -> `{"price_micros","currency"}`; `tz/<nas_id>` -> the NAS's
/// timezone; `rp/<plan_id>`, `rn/<nas_id>`, `rh/<HH>` (local hour), `ru/<username>` ->
/// `{"sessions","input_bytes","output_bytes","online_seconds"}`; `vb/<batch_id>` -> the
/// batch's sales row.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotReports = "hotspot_reports.v2";

std::unique_ptr<Projector> make_hotspot_reports_projector();

/// Usage of one plan, NAS, hour (`00`..`23`) or user.
struct UsageRow {
    std::string key;
    std::int64_t sessions = 0;  ///< Sessions started.
    std::int64_t input_bytes = 0;
    std::int64_t output_bytes = 0;
    std::int64_t online_seconds = 0;
    friend bool operator==(const UsageRow&, const UsageRow&) = default;
};

/// One batch's sales: a voucher counts as sold when redeemed; revenue = redeemed x the plan's
/// price when the batch was generated.
struct SalesRow {
    std::string batch_id;
    std::string plan_id;
    std::string owner_path;
    std::int64_t count = 0;
    std::int64_t redeemed = 0;
    std::int64_t revoked = 0;
    std::int64_t price_micros = 0;
    std::string currency;
    std::int64_t revenue_micros = 0;
    friend bool operator==(const SalesRow&, const SalesRow&) = default;
};

/// Usage by plan / NAS / hour of day, in key order (hours `00` to `23`, only those with usage).
std::vector<UsageRow> usage_by_plan(const ReadModelView& view);
std::vector<UsageRow> usage_by_nas(const ReadModelView& view);
std::vector<UsageRow> usage_by_hour(const ReadModelView& view);
/// The `limit` users with the most bytes (input + output), most first; ties by username.
std::vector<UsageRow> top_users(const ReadModelView& view, std::size_t limit);
/// Voucher sales of every batch, by batch id.
std::vector<SalesRow> voucher_sales(const ReadModelView& view);

}  // namespace switchyard::projections::hotspot
