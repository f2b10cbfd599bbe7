#pragma once
/// A stand-in for PayPal's signing side in tests: an RSA key and a self-signed certificate made
/// here, signing a transmission as PayPal documents it
/// (`<transmission id>|<time>|<webhook id>|<CRC-32 of the body>`, SHA256withRSA, base64).

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <memory>
#include <string>
#include <vector>

#include "events/billing/gateway_webhooks.hpp"

namespace switchyard::testing {

class PayPalSigner {
  public:
    PayPalSigner() : key_(EVP_RSA_gen(2048), EVP_PKEY_free) {
        std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
        X509_set_pubkey(cert.get(), key_.get());
        auto* name = X509_get_subject_name(cert.get());
        X509_NAME_add_entry_by_txt(
            name, "CN", MBSTRING_ASC,
            reinterpret_cast<const unsigned char*>("messageverificationcerts"), -1, -1, 0);
        X509_set_issuer_name(cert.get(), name);
        X509_sign(cert.get(), key_.get(), EVP_sha256());
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        PEM_write_bio_X509(bio.get(), cert.get());
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        pem_.assign(data, static_cast<std::size_t>(n));
    }

    /// The certificate (PEM) PayPal would serve at the cert URL.
    const std::string& certificate() const { return pem_; }

    /// The transmission headers PayPal would send with `body`.
    events::billing::PayPalTransmission sign(const std::string& body, const std::string& webhook_id,
                                             const std::string& transmission_id) const {
        events::billing::PayPalTransmission t;
        t.transmission_id = transmission_id;
        t.transmission_time = "2026-12-03T10:00:00Z";
        t.cert_url = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42";
        t.auth_algo = "SHA256withRSA";
        const std::string message = t.transmission_id + "|" + t.transmission_time + "|" +
                                    webhook_id + "|" +
                                    std::to_string(events::billing::crc32_of(body));
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(),
                                                                   EVP_MD_CTX_free);
        EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get());
        std::size_t len = 0;
        EVP_DigestSign(md.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size());
        std::vector<unsigned char> sig(len);
        EVP_DigestSign(md.get(), sig.data(), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size());
        std::string b64(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
        sodium_bin2base64(b64.data(), b64.size(), sig.data(), len, sodium_base64_VARIANT_ORIGINAL);
        b64.resize(b64.find('\0'));
        t.transmission_sig = b64;
        return t;
    }

  private:
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
    std::string pem_;
};

}  // namespace switchyard::testing
