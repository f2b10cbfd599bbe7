#pragma once
/// Personal data that must be erasable (emails, phone numbers, addresses) is sealed under a key
/// of its own data subject; erasing that key ("crypto-shredding") makes every event that carries
/// the data unreadable for good, without editing the log.
///
/// Sealed text: `sy1p:<subject>:<base64url(nonce | ciphertext | tag)>` (URL-safe alphabet, no
/// padding), XChaCha20-Poly1305 (libsodium `crypto_aead_xchacha20poly1305_ietf`) under the
/// subject's own 32-byte key, with `context` (e.g. `billing.buyer.email`) bound as associated
/// data so that a sealed value cannot be moved to another field. Same construction as
/// `secret_box.hpp` (`sy1:`), which seals system secrets under the master key instead.
///
/// On disk, in the key directory (mode 0700):
/// - `<subject>.key`: the subject's key, 32 raw random bytes, mode 0600. It is written to a
///   temporary file, fsynced, and published with link(2), which never replaces an existing key,
///   so two processes that make the first key of one subject at once agree on one key; the
///   directory is fsynced before the first text sealed under it is returned.
/// - `<subject>.erased`: the tombstone of an erased subject (empty). It is written and fsynced
///   before the key is destroyed, so a crash between the two still reads as erased, and
///   `open_dir` finishes destroying a key found next to its tombstone.
/// - `.tmp-<subject>-XXXXXX`: a key being written (subject ids cannot start with '.').
/// The `.key` suffix keeps a key file from ever having a tombstone's name (a subject may be
/// called `x.erased`).
///
/// Erasure overwrites the key file with zeros before unlinking it; on copy-on-write file systems
/// and SSDs the old blocks may survive on the device, so the disk holding the key directory
/// should itself be encrypted, and backups of it kept short.

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/result.hpp"

namespace switchyard::events {

/// What `SubjectKeys::open_or_erased` answers for text sealed for an erased subject.
inline constexpr std::string_view kErasedText = "[erased]";
/// What `SubjectKeys::open_or_erased` answers for sealed text that is malformed, fails
/// authentication, or whose subject has no key in this store.
inline constexpr std::string_view kUnreadableText = "[unreadable]";

/// The per-subject keys: seals personal data for a subject, opens it, erases the subject.
///
/// A subject id is 1 to 128 characters of `[A-Za-z0-9._-]`, not starting with '.', e.g. `u_42`
/// or `acct-7.billing`; it is used as a file name.
///
/// Keys read or made are cached in memory (32 bytes each, wiped with `sodium_memzero` when
/// erased or when the object dies). Several instances, in one process or several, may share
/// one directory: a key made by one is read from its file by another, and an erasure made by
/// one is seen by every other at its next seal, open or erased() (each checks the tombstone with
/// one stat(2), even for a cached key). A text sealed by one instance while another erases the
/// subject may be sealed under the key being destroyed: it is then unreadable, as it should be.
///
/// @thread safe: one mutex guards the cache and the files; encryption and decryption run outside
///         it. Making a subject's first key (two fsyncs) holds the mutex, so first seals of new
///         subjects are serialized.
class SubjectKeys {
  public:
    /// Opens the key directory `dir`, creating it (and its parents) with mode 0700 when it does
    /// not exist, and destroying any key left next to its tombstone by an interrupted erase.
    /// @returns the store, which shares `dir` safely with other instances and processes.
    /// @errors Invalid naming `subject_keys` when `dir` exists but is not a directory or is
    ///         accessible by group or others (chmod 700 it); Internal when it cannot be made or
    ///         read, or libsodium does not start.
    static core::Result<std::shared_ptr<SubjectKeys>> open_dir(const std::filesystem::path& dir);
    /// A store whose keys and tombstones live in memory only and die with it (tests, tools).
    /// @pre libsodium starts (throws std::runtime_error otherwise: a startup failure).
    static std::shared_ptr<SubjectKeys> in_memory();

    SubjectKeys(const SubjectKeys&) = delete;
    SubjectKeys& operator=(const SubjectKeys&) = delete;
    ~SubjectKeys();

    /// Seals `plaintext` under the key of `subject`, making the key on first use; `context`
    /// (e.g. `billing.buyer.email`) must be given again to open it. Two seals of one plaintext
    /// differ (random 24-byte nonce).
    /// @returns `sy1p:<subject>:<base64url(nonce | ciphertext | tag)>`.
    /// @errors Invalid naming `subject` for a malformed subject id; Rejected naming `subject`
    ///         when the subject was erased (its tombstone stays, so no new key is ever made for
    ///         it); Internal naming `subject_keys` when the key cannot be written or read.
    core::Result<std::string> seal(std::string_view subject, std::string_view plaintext,
                                   std::string_view context);

    /// Opens text made by `seal` with the same `context`.
    /// @returns the plaintext, or nullopt when the subject was erased.
    /// @errors Invalid naming `sealed` when the text is malformed, its subject has no key in this
    ///         store, or it fails authentication (tampered, another subject's key, another
    ///         context); Internal naming `subject_keys` when a key file cannot be read or is
    ///         damaged.
    core::Result<std::optional<std::string>> open(std::string_view sealed,
                                                  std::string_view context) const;

    /// Opens `text` for display: the plaintext, kErasedText for an erased subject, `text`
    /// unchanged when it is not sealed (no `sy1p:` prefix), and kUnreadableText when `open`
    /// fails. Never fails.
    std::string open_or_erased(std::string_view text, std::string_view context) const;

    /// Erases `subject`: leaves its tombstone `<subject>.erased` (fsynced, with the directory),
    /// then overwrites its key file with zeros, fsyncs, unlinks it and fsyncs the directory, and
    /// wipes the cached key. Every text ever sealed for the subject becomes unreadable for good,
    /// and later seals for it are Rejected. Erasing twice, or a subject that never had a key, is
    /// fine (the tombstone is left all the same).
    /// @returns true when a key was destroyed, false when there was none.
    /// @errors Invalid naming `subject` for a malformed subject id; Internal naming
    ///         `subject_keys` on an I/O failure (the subject may then already read as erased:
    ///         erase again).
    core::Result<bool> erase(std::string_view subject);

    /// True when `subject` was erased (false for a malformed subject id).
    bool erased(std::string_view subject) const;

    /// True for text that starts with `sy1p:` (well formed or not).
    static bool is_sealed(std::string_view text);
    /// The subject of sealed text, e.g. `u_42`; empty when `sealed` is not sealed text or its
    /// subject part is not a valid subject id.
    static std::string subject_of(std::string_view sealed);

  private:
    using Key = std::array<unsigned char, 32>;
    /// Where a key came from: found (cache or file), or refused because the subject was erased.
    enum class Lookup { Found, Erased, Missing };

    explicit SubjectKeys(std::optional<std::filesystem::path> dir);

    /// The subject's key into `key`; with `create`, makes it when there is none (never Missing).
    /// @pre mutex_ held.
    core::Result<Lookup> key_locked(const std::string& subject, bool create, Key& key) const;
    /// True when the subject is erased, checking the tombstone on disk; forgets its cached key.
    /// @pre mutex_ held.
    bool erased_locked(const std::string& subject) const;
    /// Forgets (and wipes) the cached key of `subject`. @pre mutex_ held.
    void drop_cached_locked(const std::string& subject) const;

    const std::optional<std::filesystem::path> dir_;  // nullopt: in memory only
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, Key> cache_;       // subject -> key (all, in memory)
    mutable std::unordered_set<std::string> erased_subjects_;  // tombstones seen (all, in memory)
};

}  // namespace switchyard::events
