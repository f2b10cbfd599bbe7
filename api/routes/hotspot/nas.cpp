// /v1/hotspot/nas: the RADIUS clients (routers, access points, controllers) of the tenant. The
// RADIUS shared secret is written once (POST, or PATCH to change it) and never shown again. A
// reseller reaches its own subtree's NAS; any other does not exist, as far as it knows (404).
#include <boost/json.hpp>

#include "api/routes/hotspot/hotspot_support.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/hotspot/hotspot_catalog.hpp"

namespace switchyard::api::hotspot {

namespace json = boost::json;
using core::Errc;
using namespace core::hotspot;

namespace {

/// The `{id}` NAS as the command side holds it, if the caller reaches it (else NotFound).
core::Result<Nas> reachable_nas(HotspotApi& api, const HttpRequest& r, const std::string& id) {
    auto n = api.hotspot.nas(id);
    if (!n) {
        if (n.error().code == Errc::NotFound) return not_found("NAS", id);
        return tl::unexpected(n.error());
    }
    if (!may_reach(r, n->owner_path)) return not_found("NAS", id);
    return *n;
}

/// A NAS from a body; absent members keep `current`'s. The body's types are checked here, the
/// rules in core/hotspot/catalog_decider.
core::Result<DefineNas> nas_of(const JsonBody& b, const Nas& current, bool create) {
    SY_TRY(b.only({"nas_id", "name", "vendor", "address", "secret", "coa_port", "coa_address",
                   "site", "timezone"}));
    DefineNas c;
    c.nas = current;
    c.mode = create ? DefineMode::Create : DefineMode::Update;
    if (create) {
        c.nas.name = SY_TRY(b.string("name"));
        auto v = SY_TRY(b.string("vendor"));
        if (!parse_vendor(v, c.nas.vendor))
            return core::fail(Errc::Invalid, "vendor",
                              "must be one of mikrotik, omada, ruijie, meraki, chillispot, cisco, "
                              "generic");
        c.nas.address = SY_TRY(b.string("address"));
        c.secret = SY_TRY(b.string("secret"));
        if (auto id = SY_TRY(b.opt_string("nas_id"))) {
            c.nas.nas_id = *id;
        } else {
            c.nas.nas_id = id_from_name(c.nas.name);
            if (c.nas.nas_id.empty())
                return core::fail(Errc::Invalid, "nas_id",
                                  "is required when the name has no letters or digits");
        }
    } else {
        if (b.has("nas_id"))
            return core::fail(Errc::Invalid, "nas_id", "cannot be changed (it is in the URL)");
        if (auto v = SY_TRY(b.opt_string("name"))) c.nas.name = *v;
        if (auto v = SY_TRY(b.opt_string("vendor"))) {
            if (!parse_vendor(*v, c.nas.vendor))
                return core::fail(Errc::Invalid, "vendor",
                                  "must be one of mikrotik, omada, ruijie, meraki, chillispot, "
                                  "cisco, generic");
        }
        if (auto v = SY_TRY(b.opt_string("address"))) c.nas.address = *v;
        if (auto v = SY_TRY(b.opt_string("secret"))) {
            if (v->empty()) return core::fail(Errc::Invalid, "secret", "must not be empty");
            c.secret = *v;
        }
    }
    if (auto v = SY_TRY(b.opt_int("coa_port"))) {
        if (*v < 1 || *v > 65535)
            return core::fail(Errc::Invalid, "coa_port", "must be a UDP port from 1 to 65535");
        c.nas.coa_port = static_cast<std::uint16_t>(*v);
    } else if (create) {
        c.nas.coa_port = 0;  // the vendor's default (core/hotspot default_coa_port)
    }
    if (auto v = SY_TRY(b.opt_string("coa_address"))) c.nas.coa_address = *v;
    if (auto v = SY_TRY(b.opt_string("site"))) c.nas.site = *v;
    if (auto v = SY_TRY(b.opt_string("timezone"))) c.nas.timezone = *v;
    return c;
}

/// GET /v1/hotspot/nas?cursor=&limit=: the caller's NAS in id order.
core::Result<HttpResponse> list_nas(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotNas, "nas"));
    PageWriter out(page);
    for (const auto& n :
         projections::hotspot::list_nas(*view, page.cursor, page.limit + 1, scope_of(r)))
        if (!out.add(json::serialize(events::hotspot::nas_json(n)), n.nas_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/hotspot/nas/{id}
core::Result<HttpResponse> get_nas(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotNas, "nas"));
    auto n = projections::hotspot::find_nas(*view, id);
    if (!n || !may_reach(r, n->owner_path)) return not_found("NAS", id);
    return json_ok(events::hotspot::nas_json(*n));
}

/// POST /v1/hotspot/nas {"name", "vendor", "address", "secret", "nas_id"?, "coa_port"?,
/// "coa_address"?, "site"?, "timezone"?}: 201 with the NAS, never its secret.
core::Result<HttpResponse> create_nas(HotspotApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto cmd = SY_TRY(nas_of(b, Nas{}, true));
    cmd.nas.owner_path = owner_path_of(r);
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    const auto id = cmd.nas.nas_id;
    auto o = SY_TRY(api.hotspot.execute(std::move(cmd), ctx));
    const auto created = SY_TRY(reachable_nas(api, r, id));
    return answer_created(events::hotspot::nas_json(created), o);
}

/// PATCH /v1/hotspot/nas/{id}: the fields the body names change (`secret` replaces the secret).
core::Result<HttpResponse> update_nas(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto current = SY_TRY(reachable_nas(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto cmd = SY_TRY(nas_of(b, current, false));
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(std::move(cmd), ctx));
    return answer(200, events::hotspot::nas_json(SY_TRY(reachable_nas(api, r, id))), o.positions);
}

/// POST /v1/hotspot/nas/{id}/disable {"reason"?}: its RADIUS requests are refused from now on.
core::Result<HttpResponse> disable_nas(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable_nas(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    DisableNas cmd{id, SY_TRY(b.opt_string("reason")).value_or(""), ""};
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return answer(200, events::hotspot::nas_json(SY_TRY(reachable_nas(api, r, id))), o.positions);
}

/// POST /v1/hotspot/nas/{id}/enable
core::Result<HttpResponse> enable_nas(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable_nas(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({}));
    EnableNas cmd{id, ""};
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return answer(200, events::hotspot::nas_json(SY_TRY(reachable_nas(api, r, id))), o.positions);
}

}  // namespace

HotspotRoutes nas_routes() {
    return {
        {"GET", "/v1/hotspot/nas", hotspot_roles::read, list_nas,
         "The caller's NAS (RADIUS clients) in id order, without secrets, cursor-paginated."},
        {"GET", "/v1/hotspot/nas/{id}", hotspot_roles::read, get_nas,
         "One NAS in the caller's reach, without its secret."},
        {"POST", "/v1/hotspot/nas", hotspot_roles::catalog, create_nas,
         "Defines a NAS with its RADIUS shared secret (sealed; never shown again)."},
        {"PATCH", "/v1/hotspot/nas/{id}", hotspot_roles::catalog, update_nas,
         "Changes a NAS's fields or its RADIUS shared secret."},
        {"POST", "/v1/hotspot/nas/{id}/disable", hotspot_roles::catalog, disable_nas,
         "Disables a NAS: its RADIUS requests are refused as from an unknown NAS."},
        {"POST", "/v1/hotspot/nas/{id}/enable", hotspot_roles::catalog, enable_nas,
         "Enables a disabled NAS again."},
    };
}

}  // namespace switchyard::api::hotspot
