#include "events/subject_keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <system_error>

#include "events/secret_box.hpp"

namespace switchyard::events {

namespace fs = std::filesystem;
using core::Errc;

namespace {

constexpr std::string_view kPrefix = "sy1p:";
constexpr std::string_view kKeySuffix = ".key";
constexpr std::string_view kTombstoneSuffix = ".erased";
constexpr std::string_view kTempPrefix = ".tmp-";
constexpr std::size_t kMaxSubjectSize = 128;
constexpr std::size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
// A temporary key file this old was left by a crash, not by a key being made right now.
constexpr auto kStaleTempAge = std::chrono::hours(1);

bool valid_subject(std::string_view subject) {
    if (subject.empty() || subject.size() > kMaxSubjectSize || subject.front() == '.') return false;
    for (const char c : subject) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

/// The subject part of `sealed` (`sy1p:<subject>:...`), and the rest after its colon.
std::optional<std::pair<std::string_view, std::string_view>> split_sealed(std::string_view sealed) {
    if (!sealed.starts_with(kPrefix)) return std::nullopt;
    const auto rest = sealed.substr(kPrefix.size());
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return std::pair{rest.substr(0, colon), rest.substr(colon + 1)};
}

tl::unexpected<core::Error> io_error(std::string_view what, const fs::path& path, int err) {
    return core::fail(Errc::Internal, "subject_keys",
                      std::string(what) + " " + path.string() + ": " +
                          std::error_code(err, std::generic_category()).message());
}

/// A file descriptor closed when it goes out of scope (errors of close() on a read-only or
/// already fsynced file carry nothing to act on).
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

  private:
    int fd_;
};

core::Result<void> write_all(int fd, const unsigned char* data, std::size_t size,
                             const fs::path& path) {
    while (size > 0) {
        const auto n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot write", path, errno);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return {};
}

core::Result<void> sync_dir(const fs::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.ok()) return io_error("cannot open directory", dir, errno);
    if (::fsync(fd.get()) != 0) return io_error("cannot fsync directory", dir, errno);
    return {};
}

bool file_exists(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

/// Creates (or truncates) an empty file with mode 0600 and fsyncs it.
core::Result<void> write_empty_file(const fs::path& path) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.ok()) return io_error("cannot create", path, errno);
    if (::fsync(fd.get()) != 0) return io_error("cannot fsync", path, errno);
    return {};
}

/// Reads a key file of exactly `size` bytes into `key`. @returns false when there is no file.
core::Result<bool> read_key_file(const fs::path& path, unsigned char* key, std::size_t size) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.ok()) {
        if (errno == ENOENT) return false;
        return io_error("cannot open", path, errno);
    }
    // One byte more than a key, to tell a longer (damaged) file from a key.
    unsigned char buf[crypto_aead_xchacha20poly1305_ietf_KEYBYTES + 1];
    std::size_t got = 0;
    while (got < sizeof buf) {
        const auto n = ::read(fd.get(), buf + got, sizeof buf - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            sodium_memzero(buf, sizeof buf);
            return io_error("cannot read", path, errno);
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    const bool whole = got == size;
    if (whole) std::copy(buf, buf + size, key);
    sodium_memzero(buf, sizeof buf);
    if (!whole)
        return core::fail(Errc::Internal, "subject_keys",
                          path.string() + " is damaged: " + std::to_string(got) +
                              " bytes where a key has " + std::to_string(size));
    return true;
}

/// Overwrites the key file at `path` with zeros, fsyncs and unlinks it (not the directory).
/// @returns false when there was no key file.
core::Result<bool> destroy_key_file(const fs::path& path) {
    {
        Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!fd.ok()) {
            if (errno == ENOENT) return false;
            return io_error("cannot open", path, errno);
        }
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat", path, errno);
        const std::string zeros(std::max<std::size_t>(static_cast<std::size_t>(st.st_size),
                                                      crypto_aead_xchacha20poly1305_ietf_KEYBYTES),
                                '\0');
        SY_TRY(write_all(fd.get(), reinterpret_cast<const unsigned char*>(zeros.data()),
                         zeros.size(), path));
        if (::fsync(fd.get()) != 0) return io_error("cannot fsync", path, errno);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return io_error("cannot unlink", path, errno);
    return true;
}

/// Makes a key for `subject` and publishes it at `path` unless one is there already.
/// @returns in `key` the key now at `path`: the new one, or the one another instance published
///          first; false when that one vanished meanwhile (erased by another process).
core::Result<bool> publish_new_key(const fs::path& dir, const std::string& subject,
                                   const fs::path& path, unsigned char* key, std::size_t size) {
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    std::string temp = (dir / (std::string(kTempPrefix) + subject + "-XXXXXX")).string();
    {
        Fd fd(::mkostemp(temp.data(), O_CLOEXEC));  // mode 0600
        if (!fd.ok()) {
            sodium_memzero(key, size);
            return io_error("cannot create a key file in", dir, errno);
        }
        auto written = write_all(fd.get(), key, size, temp);
        if (written && ::fsync(fd.get()) != 0) written = io_error("cannot fsync", temp, errno);
        if (!written) {
            sodium_memzero(key, size);
            ::unlink(temp.c_str());
            return tl::unexpected(written.error());
        }
    }
    // link(2) publishes the whole key at once and, unlike rename(2), never replaces a key that
    // another instance published first.
    const int linked = ::link(temp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0) {
        sodium_memzero(key, size);
        if (link_errno != EEXIST) return io_error("cannot publish the key file", path, link_errno);
        if (!SY_TRY(read_key_file(path, key, size))) return false;
    }
    SY_TRY(sync_dir(dir));
    return true;
}

}  // namespace

SubjectKeys::SubjectKeys(std::optional<fs::path> dir) : dir_(std::move(dir)) {
    static_assert(std::tuple_size_v<Key> == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
}

SubjectKeys::~SubjectKeys() {
    for (auto& [subject, key] : cache_) sodium_memzero(key.data(), key.size());
}

std::shared_ptr<SubjectKeys> SubjectKeys::in_memory() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    return std::shared_ptr<SubjectKeys>(new SubjectKeys(std::nullopt));
}

core::Result<std::shared_ptr<SubjectKeys>> SubjectKeys::open_dir(const fs::path& dir_in) {
    if (sodium_init() < 0) return core::fail(Errc::Internal, "subject_keys", "libsodium init");
    std::error_code ec;
    const auto dir = fs::absolute(dir_in, ec);
    if (ec) return io_error("cannot resolve", dir_in, ec.value());
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno != ENOENT) return io_error("cannot stat", dir, errno);
        if (dir.has_parent_path()) {
            fs::create_directories(dir.parent_path(), ec);
            if (ec) return io_error("cannot create", dir.parent_path(), ec.value());
        }
        if (::mkdir(dir.c_str(), 0700) == 0) {
            if (::chmod(dir.c_str(), 0700) != 0) return io_error("cannot chmod", dir, errno);
            if (dir.has_parent_path()) SY_TRY(sync_dir(dir.parent_path()));
        } else if (errno != EEXIST) {
            return io_error("cannot create", dir, errno);
        }
        if (::stat(dir.c_str(), &st) != 0) return io_error("cannot stat", dir, errno);
    }
    if (!S_ISDIR(st.st_mode))
        return core::fail(Errc::Invalid, "subject_keys", dir.string() + " is not a directory");
    if ((st.st_mode & 077) != 0)
        return core::fail(Errc::Invalid, "subject_keys",
                          dir.string() + " is accessible by group or others; chmod 700 it");

    // Finish what a crash interrupted: a key next to its tombstone is destroyed, and a
    // temporary key file nobody published is removed.
    bool destroyed_any = false;
    const auto now = fs::file_time_type::clock::now();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.ends_with(kTombstoneSuffix)) {
            const auto subject = name.substr(0, name.size() - kTombstoneSuffix.size());
            if (!valid_subject(subject)) continue;
            destroyed_any |= SY_TRY(destroy_key_file(dir / (subject + std::string(kKeySuffix))));
        } else if (name.starts_with(kTempPrefix)) {
            std::error_code time_ec;
            const auto written = fs::last_write_time(entry.path(), time_ec);
            if (!time_ec && now - written > kStaleTempAge) fs::remove(entry.path(), time_ec);
        }
    }
    if (ec) return io_error("cannot list", dir, ec.value());
    if (destroyed_any) SY_TRY(sync_dir(dir));
    return std::shared_ptr<SubjectKeys>(new SubjectKeys(dir));
}

void SubjectKeys::drop_cached_locked(const std::string& subject) const {
    const auto it = cache_.find(subject);
    if (it == cache_.end()) return;
    sodium_memzero(it->second.data(), it->second.size());
    cache_.erase(it);
}

bool SubjectKeys::erased_locked(const std::string& subject) const {
    if (erased_subjects_.contains(subject)) return true;
    // Another instance may have erased it: its tombstone is on disk before its key is gone.
    if (!dir_ || !file_exists(*dir_ / (subject + std::string(kTombstoneSuffix)))) return false;
    drop_cached_locked(subject);
    erased_subjects_.insert(subject);
    return true;
}

core::Result<SubjectKeys::Lookup> SubjectKeys::key_locked(const std::string& subject, bool create,
                                                          Key& key) const {
    if (erased_locked(subject)) return Lookup::Erased;
    if (const auto it = cache_.find(subject); it != cache_.end()) {
        key = it->second;
        return Lookup::Found;
    }
    if (!dir_) {
        if (!create) return Lookup::Missing;
        crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
        cache_[subject] = key;
        return Lookup::Found;
    }
    const auto path = *dir_ / (subject + std::string(kKeySuffix));
    bool found = SY_TRY(read_key_file(path, key.data(), key.size()));
    if (!found) {
        if (!create) return Lookup::Missing;
        found = SY_TRY(publish_new_key(*dir_, subject, path, key.data(), key.size()));
        // Another process may have left the subject's tombstone before our key was published;
        // its erase then found no key to destroy, so the key we published must not live.
        if (erased_locked(subject)) {
            sodium_memzero(key.data(), key.size());
            SY_TRY(destroy_key_file(path));
            SY_TRY(sync_dir(*dir_));
            return Lookup::Erased;
        }
        if (!found)
            return core::fail(Errc::Internal, "subject_keys",
                              path.string() + " vanished while it was being made");
    }
    cache_[subject] = key;
    return Lookup::Found;
}

core::Result<std::string> SubjectKeys::seal(std::string_view subject_in, std::string_view plaintext,
                                            std::string_view context) {
    if (!valid_subject(subject_in))
        return core::fail(Errc::Invalid, "subject",
                          "must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.'");
    const std::string subject(subject_in);
    Key key{};
    Lookup found = Lookup::Missing;
    {
        std::lock_guard lock(mutex_);
        found = SY_TRY(key_locked(subject, true, key));
    }
    if (found != Lookup::Found)
        return core::fail(Errc::Rejected, "subject",
                          subject + " was erased; nothing more can be sealed for it");

    std::string box(kNonceSize + plaintext.size() + kTagSize, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(nonce, kNonceSize);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + kNonceSize, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
        plaintext.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
        nullptr, nonce, key.data());
    sodium_memzero(key.data(), key.size());
    return std::string(kPrefix) + subject + ":" + base64url_encode(box);
}

core::Result<std::optional<std::string>> SubjectKeys::open(std::string_view sealed,
                                                           std::string_view context) const {
    const auto parts = split_sealed(sealed);
    if (!parts) return core::fail(Errc::Invalid, "sealed", "is not sealed text (sy1p:...)");
    const auto [subject_part, encoded] = *parts;
    if (!valid_subject(subject_part))
        return core::fail(Errc::Invalid, "sealed", "names a malformed subject");
    std::string box;
    if (!base64url_decode(encoded, box) || box.size() < kNonceSize + kTagSize)
        return core::fail(Errc::Invalid, "sealed", "is not sealed text: bad base64url or length");

    const std::string subject(subject_part);
    Key key{};
    Lookup found = Lookup::Missing;
    {
        std::lock_guard lock(mutex_);
        found = SY_TRY(key_locked(subject, false, key));
    }
    if (found == Lookup::Erased) return std::optional<std::string>();
    if (found == Lookup::Missing)
        return core::fail(Errc::Invalid, "sealed",
                          "was sealed for " + subject + ", who has no key in this store");

    const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
    const auto cipher_len = box.size() - kNonceSize;
    std::string plain(cipher_len - kTagSize, '\0');
    unsigned long long len = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr, nonce + kNonceSize,
        cipher_len, reinterpret_cast<const unsigned char*>(context.data()), context.size(), nonce,
        key.data());
    sodium_memzero(key.data(), key.size());
    if (rc != 0)
        return core::fail(Errc::Invalid, "sealed",
                          "does not open: tampered, another subject's, or another context");
    plain.resize(len);
    return std::optional<std::string>(std::move(plain));
}

std::string SubjectKeys::open_or_erased(std::string_view text, std::string_view context) const {
    if (!is_sealed(text)) return std::string(text);
    auto opened = open(text, context);
    if (!opened) return std::string(kUnreadableText);
    if (!*opened) return std::string(kErasedText);
    return std::move(**opened);
}

core::Result<bool> SubjectKeys::erase(std::string_view subject_in) {
    if (!valid_subject(subject_in))
        return core::fail(Errc::Invalid, "subject",
                          "must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.'");
    const std::string subject(subject_in);
    std::lock_guard lock(mutex_);
    const bool was_cached = cache_.contains(subject);
    drop_cached_locked(subject);
    if (!dir_) {
        erased_subjects_.insert(subject);
        return was_cached;
    }
    // The tombstone is durable before the key is touched: a crash in between reads as erased,
    // and open_dir destroys the key left behind.
    SY_TRY(write_empty_file(*dir_ / (subject + std::string(kTombstoneSuffix))));
    SY_TRY(sync_dir(*dir_));
    erased_subjects_.insert(subject);
    const bool destroyed = SY_TRY(destroy_key_file(*dir_ / (subject + std::string(kKeySuffix))));
    SY_TRY(sync_dir(*dir_));
    return destroyed;
}

bool SubjectKeys::erased(std::string_view subject) const {
    if (!valid_subject(subject)) return false;
    std::lock_guard lock(mutex_);
    return erased_locked(std::string(subject));
}

bool SubjectKeys::is_sealed(std::string_view text) { return text.starts_with(kPrefix); }

std::string SubjectKeys::subject_of(std::string_view sealed) {
    const auto parts = split_sealed(sealed);
    if (!parts || !valid_subject(parts->first)) return {};
    return std::string(parts->first);
}

}  // namespace switchyard::events
