// Two-factor authentication (RFC 6238): POST /v1/auth/2fa/setup, /enable, /disable.
#include <sodium.h>

#include <boost/json.hpp>

#include "api/qr_png.hpp"
#include "api/routes/identity/identity_support.hpp"

namespace switchyard::api::identity {

namespace {

/// The caller's own user: two-factor authentication is a user's, never a key's.
core::Result<std::string> second_factor_owner(const HttpRequest& r) {
    return own_user_id(r, "two-factor authentication belongs to users, not API keys");
}

/// `bytes` in standard base64 with padding (RFC 4648 section 4), for a `data:` URI.
std::string base64(std::string_view bytes) {
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), kVariant);
    out.pop_back();  // the terminating NUL the length counts
    return out;
}

/// The one-time `code` of an enable or disable body.
core::Result<std::string> code_of(const HttpRequest& r) {
    auto b = SY_TRY(body_of(r, {"code"}));
    return b.string("code");
}

/// POST /v1/auth/2fa/setup -> a new secret, its otpauth:// URI and that URI as a QR code PNG.
core::Result<HttpResponse> setup(IdentityApi& api, HttpRequest& r) {
    auto started =
        SY_TRY(api.identity.totp_setup(SY_TRY(second_factor_owner(r)), caller_context(api, r)));
    const auto png = SY_TRY(qr_png(started.otpauth_uri));
    json::object body{{"secret", started.secret},
                      {"otpauth_uri", started.otpauth_uri},
                      {"qr_png", "data:image/png;base64," + base64(png)}};
    return answer(200, std::move(body), started.positions);
}

/// POST /v1/auth/2fa/enable {code} -> 10 backup codes, shown once.
core::Result<HttpResponse> enable(IdentityApi& api, HttpRequest& r) {
    const auto user_id = SY_TRY(second_factor_owner(r));
    auto enabled =
        SY_TRY(api.identity.totp_enable(user_id, SY_TRY(code_of(r)), caller_context(api, r)));
    json::object body{{"enabled", true},
                      {"backup_codes", json::array(enabled.codes.begin(), enabled.codes.end())}};
    return answer(200, std::move(body), enabled.positions);
}

/// POST /v1/auth/2fa/disable {code}: turns two-factor authentication off.
core::Result<HttpResponse> disable(IdentityApi& api, HttpRequest& r) {
    const auto user_id = SY_TRY(second_factor_owner(r));
    auto positions =
        SY_TRY(api.identity.totp_disable(user_id, SY_TRY(code_of(r)), caller_context(api, r)))
            .positions;
    return answer(200, {{"enabled", false}}, positions);
}

}  // namespace

std::vector<IdentityRoute> two_factor_routes() {
    return {
        own_security_route(
            "/v1/auth/2fa/setup", setup,
            "Starts a two-factor setup: a new TOTP secret, its otpauth:// URI and a QR code."),
        own_security_route("/v1/auth/2fa/enable", enable,
                           "Turns two-factor authentication on with a code of the new secret; "
                           "answers 10 backup codes, shown once."),
        own_security_route("/v1/auth/2fa/disable", disable,
                           "Turns two-factor authentication off with a current or backup code."),
    };
}

}  // namespace switchyard::api::identity
