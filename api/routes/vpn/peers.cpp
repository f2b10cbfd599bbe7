// A device's WireGuard peer: creating it (keys made here or the client's own public key),
// changing its expiry, quota and switch, removing it, and its client configuration as
// wg-quick text and as a QR code PNG. The configuration is rendered on request and never
// stored in clear.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/qr_png.hpp"
#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/account.hpp"
#include "core/vpn/wireguard_config.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::api::vpn {

using core::Errc;
using namespace core::vpn;

namespace {

/// `expires_at` (RFC 3339 or null) and `quota_bytes` (integer or null) over `base`.
core::Result<PeerLimits> peer_limits(const JsonBody& b, PeerLimits base) {
    if (b.is_null("expires_at")) {
        base.expires_at.reset();
    } else if (auto t = SY_TRY(b.opt_string("expires_at"))) {
        base.expires_at = core::parse_rfc3339(*t);
        if (!base.expires_at)
            return core::fail(Errc::Invalid, "expires_at", "must be an RFC 3339 date-time or null");
    }
    if (auto q = SY_TRY(b.opt_nullable_int("quota_bytes"))) base.quota_bytes = *q;
    return base;
}

/// A peer command's answer: the peer (the API's view) after the command.
core::Result<HttpResponse> peer_answer(VpnApi& api, int status, const std::string& customer_id,
                                       const std::string& device_id,
                                       const std::vector<events::Position>& positions) {
    auto s = SY_TRY(api.vpn.customer(customer_id));
    return answer(status, events::vpn::peer_json(device_id, s.peers.at(device_id), false),
                  positions);
}

/// POST /v1/vpn/devices/{id}/peer {"public_key"?, "dns"?, "persistent_keepalive"?,
/// "expires_at"?, "quota_bytes"?} -> 201 the peer.
core::Result<HttpResponse> create_peer(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"public_key", "dns", "persistent_keepalive", "expires_at", "quota_bytes"}));
    CreatePeer cmd;
    cmd.customer_id = c.customer_id;
    cmd.device_id = r.params["id"];
    cmd.public_key = SY_TRY(b.opt_string("public_key")).value_or("");
    // An empty key would read as "make me one": a key that is sent must be a key.
    if (b.has("public_key") && cmd.public_key.empty())
        return core::fail(Errc::Invalid, "public_key",
                          "must be a WireGuard key: base64 of 32 bytes");
    cmd.dns = SY_TRY(b.opt_string_list("dns"));
    cmd.persistent_keepalive = SY_TRY(b.opt_int("persistent_keepalive"));
    cmd.limits = SY_TRY(peer_limits(b, {}));
    auto o = SY_TRY(execute(api, r, cmd));
    return peer_answer(api, 201, c.customer_id, cmd.device_id, o.positions);
}

/// PATCH /v1/vpn/devices/{id}/peer {"enabled"?, "expires_at"?, "quota_bytes"?}; absent fields
/// keep their value.
core::Result<HttpResponse> update_peer(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"enabled", "expires_at", "quota_bytes"}));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    const Peer* peer = SY_TRY(find_peer(s, r.params["id"], "id"));
    const auto enabled = SY_TRY(b.opt_bool("enabled"));
    UpdatePeer cmd{c.customer_id, r.params["id"], enabled, std::nullopt};
    if (b.has("expires_at") || b.has("quota_bytes"))
        cmd.limits = SY_TRY(peer_limits(b, peer->limits));
    auto o = SY_TRY(execute(api, r, cmd));
    return peer_answer(api, 200, c.customer_id, cmd.device_id, o.positions);
}

/// DELETE /v1/vpn/devices/{id}/peer: releases its addresses.
core::Result<HttpResponse> remove_peer(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    return removed(api, r, RemovePeer{c.customer_id, r.params["id"]}, r.params["id"], "id",
                   "peer_deleted");
}

/// The device's client configuration in clear text (wg-quick format).
core::Result<std::string> client_config(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    auto n = SY_TRY(api.vpn.network());
    auto source = SY_TRY(client_config_source(s, n, r.params["id"]));
    auto secrets = SY_TRY(api.vpn.peer_secrets(c.customer_id, r.params["id"]));
    return render_client_config(*source.server, *source.peer, secrets.private_key,
                                secrets.preshared_key);
}

/// GET /v1/vpn/devices/{id}/wireguard.conf -> text/plain, as an attachment `<id>.conf`.
core::Result<HttpResponse> config_file(VpnApi& api, HttpRequest& r) {
    HttpResponse out;
    out.content_type = "text/plain; charset=utf-8";
    out.body = SY_TRY(client_config(api, r));
    out.headers.push_back({"Cache-Control", "no-store"});
    out.headers.push_back(
        {"Content-Disposition", fmt::format("attachment; filename=\"{}.conf\"", r.params["id"])});
    return out;
}

/// GET /v1/vpn/devices/{id}/wireguard.png -> the configuration as a QR code.
core::Result<HttpResponse> config_qr(VpnApi& api, HttpRequest& r) {
    HttpResponse out;
    out.content_type = "image/png";
    out.body = SY_TRY(qr_png(SY_TRY(client_config(api, r)), 4));
    out.headers.push_back({"Cache-Control", "no-store"});
    return out;
}

}  // namespace

VpnRoutes peer_routes() {
    return {
        {
            "POST",
            "/v1/vpn/devices/{id}/peer",
            vpn_roles::account,
            create_peer,
            "Creates the device's WireGuard peer on its server, with keys made here unless the "
            "client sends its public key.",
        },
        {
            "PATCH",
            "/v1/vpn/devices/{id}/peer",
            vpn_roles::account,
            update_peer,
            "Turns a peer on or off, or changes its expiry and monthly quota.",
        },
        {
            "DELETE",
            "/v1/vpn/devices/{id}/peer",
            vpn_roles::account,
            remove_peer,
            "Removes the device's peer, releasing its addresses.",
        },
        {
            "GET",
            "/v1/vpn/devices/{id}/wireguard.conf",
            vpn_roles::account,
            config_file,
            "The peer's client configuration (wg-quick), rendered on request.",
        },
        {
            "GET",
            "/v1/vpn/devices/{id}/wireguard.png",
            vpn_roles::account,
            config_qr,
            "The peer's client configuration as a QR code PNG.",
        },
    };
}

}  // namespace switchyard::api::vpn
