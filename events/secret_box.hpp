#pragma once
/// Secrets the system must use later (TOTP seeds, NAS shared secrets, router passwords) are
/// stored encrypted: XChaCha20-Poly1305 (libsodium `crypto_aead_xchacha20poly1305_ietf`) under
/// a master key kept in the data directory, never in the log.
///
/// Sealed text: `sy1:<key id>:<base64url(nonce | ciphertext | tag)>`. The key id says which
/// master key sealed it, so that keys can be rotated: a new key becomes current, live secrets
/// are sealed again under it, and the old key is retired (events sealed under a retired key can
/// no longer be opened). Each seal binds a context (e.g. `totp:u_...`) as associated data, so a
/// sealed secret cannot be moved to another user or purpose.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace switchyard::events {

/// `bytes` in unpadded base64url (RFC 4648 section 5), as sealed text carries its bytes.
std::string base64url_encode(std::string_view bytes);
/// The bytes of unpadded base64url `text` into `out`; false when it is not base64url.
bool base64url_decode(std::string_view text, std::string& out);

/// The master keys: the current one first, older ones after it until they are retired.
/// @thread safe for concurrent seal/open; rotate and retire are for single-threaded tools.
class MasterKeyring {
  public:
    /// Reads the key file (`<key id> <base64url key>` per line, current first), creating it
    /// with one new key and mode 0600 when it does not exist.
    /// @errors Invalid naming `master_key` for a malformed file or one readable by others;
    ///         Internal when it cannot be written.
    static core::Result<MasterKeyring> load_or_create(const std::filesystem::path& file);
    /// A keyring of one fresh random key (tests, tools).
    static MasterKeyring generate();

    /// Seals `plaintext` under the current key, bound to `context`.
    std::string seal(std::string_view plaintext, std::string_view context) const;
    /// Opens sealed text. @errors Invalid naming `sealed` when malformed, when its key is not
    /// in the ring (retired), or when it fails authentication (tampered, or another context).
    core::Result<std::string> open(std::string_view sealed, std::string_view context) const;

    /// The id of the current key, e.g. `mk_3f9a0c1e`.
    const std::string& current_id() const { return keys_.front().first; }
    /// True when `sealed` was sealed under the current key.
    bool sealed_with_current(std::string_view sealed) const;
    /// Ids of all keys, current first.
    std::vector<std::string> key_ids() const;

    /// Adds a new current key (older ones stay to open what they sealed).
    void rotate();
    /// Drops every key but the current one.
    void retire_old_keys();
    /// Writes the ring to `file` atomically with mode 0600.
    /// @errors Internal when it cannot be written.
    core::Result<void> save(const std::filesystem::path& file) const;

  private:
    std::vector<std::pair<std::string, std::string>> keys_;  // id, 32 raw bytes
};

}  // namespace switchyard::events
