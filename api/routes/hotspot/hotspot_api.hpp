#pragma once
/// What the hotspot admin routes (`/v1/hotspot/...`) work with: the shared ApiContext, the
/// hotspot command side, the RADIUS dictionary and the vendor profiles read at start, and the
/// voucher sheet renderers. Built by the hotspot module's registration
/// (app/modules/hotspot_module.cpp). The session/AAA service and the enforcer join here as
/// members once they exist (events/hotspot/aaa_service.hpp, adapters/radius/enforcer.hpp, the
/// latter behind a std::function so that no adapter header is included here).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/radius/dictionary.hpp"
#include "core/result.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/vendor_profiles.hpp"

namespace switchyard::api {

/// What a printable voucher sheet shows (the fields of adapters/hotspot/voucher_sheet.hpp
/// VoucherSheet, which the api layer may not include).
struct VoucherSheetInput {
    std::vector<std::string> codes;  ///< One card each, in this order.
    std::string title;               ///< e.g. `Hotel Aurora Wi-Fi`.
    std::string plan_name;           ///< e.g. `Day pass`.
    std::string price;               ///< e.g. `2.50 EUR`; may be empty.
    std::string validity;            ///< e.g. `24 hours from first login`; may be empty.
    /// The portal login URL with `{code}`: `<public base>/portal/?voucher={code}&autologin=1`.
    std::string login_url_template;
};

/// Renders a sheet as a document (HTML text or PDF bytes).
/// @errors Invalid naming the sheet's field (adapters/hotspot/voucher_sheet.hpp); Internal when
///         the PDF library fails.
using VoucherSheetRenderer = std::function<core::Result<std::string>(const VoucherSheetInput&)>;

/// The hotspot module's API state.
struct HotspotApi {
    ApiContext& ctx;
    /// NAS, plans, accounts, voucher batches (events/hotspot/hotspot_service.hpp).
    events::hotspot::HotspotService& hotspot;
    /// The FreeRADIUS dictionary (/usr/share/freeradius) read at start; null when it was not
    /// installed (vendor profiles are then not checked against it).
    std::shared_ptr<const core::radius::Dictionary> dictionary;
    /// The vendor profiles of config/hotspot/vendors, by vendor wire name.
    std::shared_ptr<const events::hotspot::VendorProfiles> vendors;
    /// Voucher sheets as HTML made for printing and as PDF; empty: the sheet routes answer 503.
    VoucherSheetRenderer render_sheet_html;
    VoucherSheetRenderer render_sheet_pdf;
    /// The title printed on each voucher card. Default: `Wi-Fi`.
    std::string sheet_title = "Wi-Fi";
};

/// Adds `/v1/hotspot/...`: nas, plans, accounts, voucher-batches (with codes.csv, sheet.html,
/// sheet.pdf) and vouchers. `api` must outlive the router.
void add_hotspot_routes(Router& router, HotspotApi& api);

}  // namespace switchyard::api
