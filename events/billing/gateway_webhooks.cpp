#include "events/billing/gateway_webhooks.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/billing/plan.hpp"
#include "core/text.hpp"
#include "core/voice/money.hpp"
#include "events/json_reader.hpp"

namespace switchyard::events::billing {

using namespace core::billing;
using core::Errc;

namespace {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

core::Error unauthorized(const char* header, std::string message) {
    return {Errc::Unauthorized, header, std::move(message)};
}

/// Micro-units of `minor` minor units of `currency` (Stripe's integer amounts).
Micros micros_of_minor(std::int64_t minor, const std::string& currency, const char* field) {
    const Micros factor = minor_unit(currency);
    if (minor < 0 || minor > INT64_MAX / factor) throw FieldError{field};
    return minor * factor;
}

/// Micro-units of PayPal's `{"currency_code": "EUR", "value": "12.50"}` (decimal text).
Micros micros_of_money(const JsonObject& money, const char* field, std::string& currency) {
    currency = money.str("currency_code");
    auto parsed = core::voice::parse_micros(money.str("value"), field);
    if (!parsed || *parsed < 0) throw FieldError{field};
    return *parsed;
}

/// Runs `fn` on the object at `data.object` and names its fields with that prefix.
template <class Fn>
void nested(const char* prefix, Fn&& fn) {
    try {
        fn();
    } catch (const FieldError& e) {
        throw FieldError{std::string(prefix) + e.field};
    }
}

}  // namespace

std::string stripe_signature(std::string_view body, std::string_view secret, std::int64_t t) {
    const auto ts = std::to_string(t);
    std::string signed_payload = ts + "." + std::string(body);
    return "t=" + ts + ",v1=" + hmac_sha256_hex(secret, signed_payload);
}

core::Result<void> verify_stripe_signature(std::string_view header, std::string_view body,
                                           const std::vector<std::string>& secrets,
                                           core::Timestamp now, std::chrono::seconds tolerance) {
    constexpr const char* kHeader = "Stripe-Signature";
    std::string timestamp;
    std::vector<std::string> v1;
    std::size_t start = 0;
    while (start <= header.size()) {
        auto end = header.find(',', start);
        if (end == std::string_view::npos) end = header.size();
        const auto item = header.substr(start, end - start);
        const auto eq = item.find('=');
        if (eq != std::string_view::npos) {
            const auto key = item.substr(0, eq);
            const auto value = item.substr(eq + 1);
            if (key == "t") timestamp = std::string(value);
            if (key == "v1") v1.emplace_back(value);
        }
        start = end + 1;
    }
    if (timestamp.empty() || timestamp.size() > 12 ||
        !std::all_of(timestamp.begin(), timestamp.end(),
                     [](unsigned char c) { return std::isdigit(c); }))
        return tl::unexpected(unauthorized(kHeader, "has no timestamp t=<Unix seconds>"));
    if (v1.empty()) return tl::unexpected(unauthorized(kHeader, "has no v1 signature"));
    if (secrets.empty())
        return tl::unexpected(unauthorized(kHeader, "no Stripe signing secret is configured"));
    const std::string signed_payload = timestamp + "." + std::string(body);
    bool matched = false;
    for (const auto& secret : secrets) {
        const auto expected = hmac_sha256_hex(secret, signed_payload);
        for (const auto& candidate : v1)
            if (candidate.size() == expected.size() &&
                sodium_memcmp(candidate.data(), expected.data(), expected.size()) == 0)
                matched = true;
    }
    if (!matched)
        return tl::unexpected(
            unauthorized(kHeader, "no v1 signature matches the body under the signing secret"));
    const auto signed_at = core::from_unix_seconds(std::stoll(timestamp));
    const auto age = now > signed_at ? now - signed_at : signed_at - now;
    if (age > tolerance)
        return tl::unexpected(unauthorized(
            kHeader,
            "the timestamp is " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) +
                " s from now, beyond the tolerance of " + std::to_string(tolerance.count()) +
                " s"));
    return {};
}

std::uint32_t crc32_of(std::string_view data) noexcept {
    uLong crc = crc32(0L, Z_NULL, 0);
    std::size_t done = 0;
    while (done < data.size()) {
        const auto chunk = static_cast<uInt>(std::min<std::size_t>(data.size() - done, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), chunk);
        done += chunk;
    }
    return static_cast<std::uint32_t>(crc);
}

core::Result<void> verify_paypal_signature(const PayPalTransmission& t, std::string_view body,
                                           std::string_view webhook_id,
                                           std::string_view certificate_pem) {
    if (t.auth_algo != "SHA256withRSA")
        return tl::unexpected(unauthorized("PAYPAL-AUTH-ALGO", "must be SHA256withRSA"));
    if (t.transmission_id.empty() || t.transmission_time.empty())
        return tl::unexpected(
            unauthorized("PAYPAL-TRANSMISSION-ID", "the transmission id and time are required"));
    std::vector<unsigned char> sig(t.transmission_sig.size());
    std::size_t sig_len = 0;
    if (t.transmission_sig.empty() ||
        sodium_base642bin(sig.data(), sig.size(), t.transmission_sig.data(),
                          t.transmission_sig.size(), nullptr, &sig_len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return tl::unexpected(unauthorized("PAYPAL-TRANSMISSION-SIG", "is not base64"));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
        BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
    if (!cert) return core::fail(Errc::Invalid, "certificate", "is not a PEM certificate");
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(cert.get()),
                                                            EVP_PKEY_free);
    if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return core::fail(Errc::Invalid, "certificate", "does not hold an RSA public key");
    const std::string message = t.transmission_id + "|" + t.transmission_time + "|" +
                                std::string(webhook_id) + "|" + std::to_string(crc32_of(body));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    const bool ok =
        md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
        EVP_DigestVerify(md.get(), sig.data(), sig_len,
                         reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1;
    if (!ok)
        return tl::unexpected(unauthorized(
            "PAYPAL-TRANSMISSION-SIG",
            "does not match the transmission under the certificate's key and the webhook id"));
    return {};
}

core::Result<GatewayEvent> parse_stripe_event(std::string_view body) {
    return with_json_object(body, [](JsonObject& root) {
        GatewayEvent out;
        out.gateway = "stripe";
        out.event_id = root.str("id");
        out.event_type = root.str("type");
        if (!valid_id(out.event_id)) throw FieldError{"id"};
        const auto& type = out.event_type;
        const bool acted = type == "payment_intent.succeeded" || type == "charge.refunded" ||
                           type == "charge.dispute.created" || type == "charge.dispute.closed";
        if (!acted) return out;
        nested("data.object.", [&] {
            const auto obj = root.obj("data").obj("object");
            out.currency = core::ascii_upper(obj.str("currency"));
            if (type == "payment_intent.succeeded") {
                ReceivePayment c;
                c.method = PaymentMethod::Stripe;
                c.reference = obj.str("id");
                c.payment_id = "stripe." + c.reference;
                c.currency = out.currency;
                const auto received = obj.opt_i64("amount_received");
                const auto minor = received ? *received : obj.i64("amount");
                c.amount_micros = micros_of_minor(minor, c.currency, "amount_received");
                nested("metadata.", [&] {
                    const auto meta = obj.obj("metadata");
                    c.customer_id = meta.str("customer_id");
                    c.subscription_id = meta.opt_str("subscription_id");
                });
                c.gateway_event_id = out.event_id;
                if (!valid_id(c.payment_id)) throw FieldError{"id"};
                out.payment_id = c.payment_id;
                out.command = std::move(c);
                return;
            }
            out.payment_id = "stripe." + obj.str("payment_intent");
            if (!valid_id(out.payment_id)) throw FieldError{"payment_intent"};
            if (type == "charge.refunded") {
                RefundPayment c;
                const auto cumulative = obj.i64("amount_refunded");
                c.refund_id = obj.str("id") + "." + std::to_string(cumulative);
                c.amount_micros = micros_of_minor(cumulative, out.currency, "amount_refunded");
                c.cumulative = true;
                c.from_gateway = true;
                c.reason = "refunded on Stripe";
                c.gateway_event_id = out.event_id;
                out.command = std::move(c);
            } else if (type == "charge.dispute.created") {
                DisputePayment c;
                c.dispute_id = obj.str("id");
                c.amount_micros = micros_of_minor(obj.i64("amount"), out.currency, "amount");
                c.reason = obj.opt_str("reason");
                c.gateway_event_id = out.event_id;
                out.command = std::move(c);
            } else {
                CloseDispute c;
                c.dispute_id = obj.str("id");
                const auto status = obj.str("status");
                if (status != "won" && status != "lost" && status != "warning_closed")
                    throw FieldError{"status"};
                c.won = status != "lost";
                c.gateway_event_id = out.event_id;
                out.command = std::move(c);
            }
        });
        return out;
    });
}

core::Result<GatewayEvent> parse_paypal_event(std::string_view body) {
    return with_json_object(body, [](JsonObject& root) {
        GatewayEvent out;
        out.gateway = "paypal";
        out.event_id = root.str("id");
        out.event_type = root.str("event_type");
        if (!valid_id(out.event_id)) throw FieldError{"id"};
        const auto& type = out.event_type;
        const bool acted =
            type == "PAYMENT.CAPTURE.COMPLETED" || type == "PAYMENT.CAPTURE.REFUNDED" ||
            type == "CUSTOMER.DISPUTE.CREATED" || type == "CUSTOMER.DISPUTE.RESOLVED";
        if (!acted) return out;
        nested("resource.", [&] {
            const auto res = root.obj("resource");
            if (type == "PAYMENT.CAPTURE.COMPLETED") {
                ReceivePayment c;
                c.method = PaymentMethod::PayPal;
                c.reference = res.str("id");
                c.payment_id = "paypal." + c.reference;
                nested("amount.", [&] {
                    c.amount_micros = micros_of_money(res.obj("amount"), "value", c.currency);
                });
                const auto custom = res.str("custom_id");
                const auto colon = custom.find(':');
                c.customer_id = custom.substr(0, colon);
                if (colon != std::string::npos) c.subscription_id = custom.substr(colon + 1);
                c.gateway_event_id = out.event_id;
                out.currency = c.currency;
                out.payment_id = c.payment_id;
                out.command = std::move(c);
            } else if (type == "PAYMENT.CAPTURE.REFUNDED") {
                RefundPayment c;
                c.refund_id = res.str("id");
                nested("amount.", [&] {
                    c.amount_micros = micros_of_money(res.obj("amount"), "value", out.currency);
                });
                for (const auto& link : res.obj_list("links")) {
                    if (link.opt_str("rel") != "up") continue;
                    const auto href = link.str("href");
                    const auto slash = href.rfind('/');
                    if (slash != std::string::npos)
                        out.payment_id = "paypal." + href.substr(slash + 1);
                }
                if (out.payment_id.empty()) throw FieldError{"links"};
                c.from_gateway = true;
                c.reason = "refunded on PayPal";
                c.gateway_event_id = out.event_id;
                out.command = std::move(c);
            } else {
                const auto dispute_id = res.str("dispute_id");
                const auto transactions = res.obj_list("disputed_transactions");
                if (transactions.empty()) throw FieldError{"disputed_transactions"};
                out.payment_id = "paypal." + transactions.front().str("seller_transaction_id");
                if (type == "CUSTOMER.DISPUTE.CREATED") {
                    DisputePayment c;
                    c.dispute_id = dispute_id;
                    nested("dispute_amount.", [&] {
                        c.amount_micros =
                            micros_of_money(res.obj("dispute_amount"), "value", out.currency);
                    });
                    c.reason = res.opt_str("reason");
                    c.gateway_event_id = out.event_id;
                    out.command = std::move(c);
                } else {
                    CloseDispute c;
                    c.dispute_id = dispute_id;
                    nested("dispute_outcome.", [&] {
                        c.won = res.obj("dispute_outcome").str("outcome_code") ==
                                "RESOLVED_SELLER_FAVOUR";
                    });
                    c.gateway_event_id = out.event_id;
                    out.command = std::move(c);
                }
            }
        });
        if (!out.payment_id.empty() && !valid_id(out.payment_id)) throw FieldError{"resource.id"};
        return out;
    });
}

}  // namespace switchyard::events::billing
