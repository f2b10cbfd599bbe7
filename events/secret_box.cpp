#include "events/secret_box.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace switchyard::events {

namespace fs = std::filesystem;
using core::Errc;

namespace {

constexpr std::string_view kVersion = "sy1";

std::pair<std::string, std::string> new_key() {
    std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
    crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
    unsigned char id[4];
    randombytes_buf(id, sizeof id);
    return {fmt::format("mk_{:02x}{:02x}{:02x}{:02x}", id[0], id[1], id[2], id[3]), key};
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), kBase64), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), kBase64);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
    constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    out.assign(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr, kBase64) != 0)
        return false;
    out.resize(len);
    return true;
}

MasterKeyring MasterKeyring::generate() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    MasterKeyring ring;
    ring.keys_.push_back(new_key());
    return ring;
}

core::Result<MasterKeyring> MasterKeyring::load_or_create(const fs::path& file) {
    if (sodium_init() < 0) return core::fail(Errc::Internal, "master_key", "libsodium init");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        auto ring = generate();
        SY_TRY(ring.save(file));
        return ring;
    }
    const auto perms = fs::status(file, ec).permissions();
    if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none)
        return core::fail(Errc::Invalid, "master_key",
                          fmt::format("{} is readable by others; chmod 600 it", file.string()));
    std::ifstream in(file);
    MasterKeyring ring;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::string id, encoded, key;
        fields >> id >> encoded;
        if (!id.starts_with("mk_") || !base64url_decode(encoded, key) ||
            key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
            return core::fail(Errc::Invalid, "master_key",
                              fmt::format("{} has a malformed line", file.string()));
        ring.keys_.emplace_back(id, key);
    }
    if (ring.keys_.empty())
        return core::fail(Errc::Invalid, "master_key", fmt::format("{} is empty", file.string()));
    return ring;
}

std::string MasterKeyring::seal(std::string_view plaintext, std::string_view context) const {
    const auto& [id, key] = keys_.front();
    std::string box(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &len,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
        reinterpret_cast<const unsigned char*>(key.data()));
    return fmt::format("{}:{}:{}", kVersion, id, base64url_encode(box));
}

core::Result<std::string> MasterKeyring::open(std::string_view sealed,
                                              std::string_view context) const {
    const auto first = sealed.find(':');
    const auto second = first == std::string_view::npos ? first : sealed.find(':', first + 1);
    if (second == std::string_view::npos || sealed.substr(0, first) != kVersion)
        return core::fail(Errc::Invalid, "sealed", "is not sealed text");
    const auto id = sealed.substr(first + 1, second - first - 1);
    const std::string* key = nullptr;
    for (const auto& [kid, k] : keys_) {
        if (kid == id) key = &k;
    }
    if (!key)
        return core::fail(Errc::Invalid, "sealed",
                          fmt::format("was sealed under master key {}, which is retired", id));
    std::string box;
    if (!base64url_decode(sealed.substr(second + 1), box) ||
        box.size() < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                         crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return core::fail(Errc::Invalid, "sealed", "is not sealed text");
    const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
    const auto cipher_len = box.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::string plain(cipher_len - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
            nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, cipher_len,
            reinterpret_cast<const unsigned char*>(context.data()), context.size(), nonce,
            reinterpret_cast<const unsigned char*>(key->data())) != 0)
        return core::fail(Errc::Invalid, "sealed", "does not open: tampered or another context");
    plain.resize(len);
    return plain;
}

bool MasterKeyring::sealed_with_current(std::string_view sealed) const {
    return sealed.starts_with(fmt::format("{}:{}:", kVersion, current_id()));
}

std::vector<std::string> MasterKeyring::key_ids() const {
    std::vector<std::string> out;
    for (const auto& [id, key] : keys_) out.push_back(id);
    return out;
}

void MasterKeyring::rotate() { keys_.insert(keys_.begin(), new_key()); }

void MasterKeyring::retire_old_keys() { keys_.resize(1); }

core::Result<void> MasterKeyring::save(const fs::path& file) const {
    const auto tmp = fs::path(file.string() + ".tmp");
    {
        // Created 0600 from the start: the key never exists with wider permissions.
        const auto old_mask = ::umask(0077);
        std::ofstream out(tmp, std::ios::trunc);
        ::umask(old_mask);
        for (const auto& [id, key] : keys_) out << id << ' ' << base64url_encode(key) << '\n';
        out.flush();
        if (!out) return core::fail(Errc::Internal, "master_key", "cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
    fs::rename(tmp, file, ec);
    if (ec) return core::fail(Errc::Internal, "master_key", ec.message());
    return {};
}

}  // namespace switchyard::events
