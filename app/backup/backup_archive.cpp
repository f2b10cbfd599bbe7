#include "app/backup/backup_archive.hpp"

#include <sodium.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/backup/rocksdb_snapshot.hpp"
#include "app/backup/sha256.hpp"
#include "app/data_dir.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
namespace json = boost::json;
using core::Errc;

namespace {

constexpr std::string_view kMagic = "SYBACKUP";
constexpr std::uint8_t kFormat = 1;
constexpr std::uint8_t kEncrypted = 1;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr std::size_t kKeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kCheckBytes = 32;
constexpr std::size_t kMaxManifestBytes = 64u << 20;

core::Error corrupt(std::string message) {
    return core::Error{Errc::Invalid, "archive", std::move(message)};
}
core::Error io_error(const std::string& what, const fs::path& path) {
    return core::Error{Errc::Unavailable, "file", fmt::format("cannot {} {}", what, path.string())};
}

void put_be(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_be(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    return v;
}

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f) std::fclose(f);
    }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

/// The key for `passphrase` and `salt`, and its check value.
struct DerivedKey {
    std::array<unsigned char, kKeyBytes> key{};
    std::array<unsigned char, kCheckBytes> check{};
};
core::Result<DerivedKey> derive_key(const std::string& passphrase, const unsigned char* salt,
                                    std::uint64_t opslimit, std::uint64_t memlimit) {
    DerivedKey out;
    if (crypto_pwhash(out.key.data(), out.key.size(), passphrase.data(), passphrase.size(), salt,
                      opslimit, static_cast<std::size_t>(memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return core::fail(Errc::Internal, "passphrase",
                          "cannot derive the key (out of memory for Argon2id?)");
    static constexpr std::string_view kContext = "switchyard-backup";
    crypto_generichash(out.check.data(), out.check.size(),
                       reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size(),
                       out.key.data(), out.key.size());
    return out;
}

// ---- writing ----

/// zlib-compresses what it is given and writes it, sealed in secretstream messages when a key
/// is set.
class BodyWriter {
  public:
    BodyWriter(std::FILE* out, const unsigned char* key, std::string first_ad)
        : out_(out), encrypted_(key != nullptr), ad_(std::move(first_ad)) {
        deflateInit(&z_, Z_DEFAULT_COMPRESSION);
        if (encrypted_) {
            std::array<unsigned char, kStreamHeaderBytes> header{};
            crypto_secretstream_xchacha20poly1305_init_push(&state_, header.data(), key);
            ok_ = std::fwrite(header.data(), 1, header.size(), out_) == header.size();
        }
    }
    ~BodyWriter() { deflateEnd(&z_); }
    BodyWriter(const BodyWriter&) = delete;
    BodyWriter& operator=(const BodyWriter&) = delete;

    bool write(std::string_view bytes) { return deflate_some(bytes, Z_NO_FLUSH); }
    bool finish() {
        if (!deflate_some({}, Z_FINISH)) return false;
        if (encrypted_) return seal(true);
        return ok_;
    }

  private:
    bool deflate_some(std::string_view bytes, int flush) {
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
        z_.avail_in = static_cast<uInt>(bytes.size());
        std::array<unsigned char, 32 * 1024> buf{};
        int rc = Z_OK;
        do {
            z_.next_out = buf.data();
            z_.avail_out = static_cast<uInt>(buf.size());
            rc = deflate(&z_, flush);
            if (rc == Z_STREAM_ERROR) return false;
            emit(std::string_view(reinterpret_cast<const char*>(buf.data()),
                                  buf.size() - z_.avail_out));
        } while (z_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
        return ok_;
    }
    void emit(std::string_view bytes) {
        if (!encrypted_) {
            ok_ = ok_ && std::fwrite(bytes.data(), 1, bytes.size(), out_) == bytes.size();
            return;
        }
        pending_.append(bytes);
        while (pending_.size() > kChunk) seal(false);
    }
    /// Seals up to one chunk of the pending bytes as the next message.
    bool seal(bool final) {
        const std::size_t n = std::min(pending_.size(), kChunk);
        std::string cipher(n + kAbytes, '\0');
        unsigned long long cipher_len = 0;
        crypto_secretstream_xchacha20poly1305_push(
            &state_, reinterpret_cast<unsigned char*>(cipher.data()), &cipher_len,
            reinterpret_cast<const unsigned char*>(pending_.data()), n,
            reinterpret_cast<const unsigned char*>(ad_.data()), ad_.size(),
            final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        ad_.clear();
        pending_.erase(0, n);
        std::string frame;
        put_be(frame, cipher_len, 4);
        ok_ = ok_ && std::fwrite(frame.data(), 1, frame.size(), out_) == frame.size() &&
              std::fwrite(cipher.data(), 1, cipher_len, out_) == cipher_len;
        return ok_;
    }

    std::FILE* out_;
    bool encrypted_;
    bool ok_ = true;
    std::string ad_;
    std::string pending_;
    z_stream z_{};
    crypto_secretstream_xchacha20poly1305_state state_{};
};

// ---- reading ----

/// The parsed head of an archive, with the file positioned at the body.
struct Head {
    BackupManifest manifest;
    std::string authenticated;  ///< Header bytes before the secretstream header.
    std::array<unsigned char, kSaltBytes> salt{};
    std::uint64_t opslimit = 0, memlimit = 0;
    std::array<unsigned char, kCheckBytes> check{};
};

core::Result<void> read_exact(std::FILE* in, void* out, std::size_t n, const char* what) {
    if (std::fread(out, 1, n, in) != n)
        return tl::unexpected(corrupt(fmt::format("the archive ends inside {}: truncated", what)));
    return {};
}

core::Result<Head> read_head(std::FILE* in) {
    Head head;
    unsigned char fixed[14];
    if (std::fread(fixed, 1, sizeof fixed, in) != sizeof fixed ||
        std::string_view(reinterpret_cast<const char*>(fixed), 8) != kMagic)
        return tl::unexpected(
            corrupt("not a Switchyard backup: the header does not start with SYBACKUP"));
    if (fixed[8] != kFormat)
        return tl::unexpected(corrupt(fmt::format(
            "the header names format version {}; this build reads version {}", fixed[8], kFormat)));
    const bool encrypted = (fixed[9] & kEncrypted) != 0;
    const auto manifest_len = get_be(fixed + 10, 4);
    if (manifest_len > kMaxManifestBytes)
        return tl::unexpected(corrupt("the header is corrupted: the manifest length is too large"));
    std::string manifest(manifest_len, '\0');
    SY_TRY(read_exact(in, manifest.data(), manifest.size(), "the manifest"));
    unsigned char sum[32];
    SY_TRY(read_exact(in, sum, sizeof sum, "the manifest digest"));
    Sha256 sha;
    sha.update(manifest);
    unsigned char want[32];
    sodium_hex2bin(want, sizeof want, sha.hex().c_str(), 64, nullptr, nullptr, nullptr);
    if (sodium_memcmp(want, sum, sizeof sum) != 0)
        return tl::unexpected(corrupt("the manifest is corrupted: its SHA-256 does not match"));
    auto parsed = parse_manifest(manifest);
    if (!parsed)
        return tl::unexpected(corrupt("the manifest is corrupted: " + parsed.error().message));
    head.manifest = std::move(*parsed);
    if (head.manifest.encrypted != encrypted)
        return tl::unexpected(corrupt("the header and the manifest disagree about encryption"));
    head.authenticated.assign(reinterpret_cast<const char*>(fixed), sizeof fixed);
    head.authenticated += manifest;
    head.authenticated.append(reinterpret_cast<const char*>(sum), sizeof sum);
    if (encrypted) {
        unsigned char limits[16];
        SY_TRY(read_exact(in, head.salt.data(), head.salt.size(), "the header"));
        SY_TRY(read_exact(in, limits, sizeof limits, "the header"));
        SY_TRY(read_exact(in, head.check.data(), head.check.size(), "the header"));
        head.opslimit = get_be(limits, 8);
        head.memlimit = get_be(limits + 8, 8);
        // Bounded, so that a damaged header cannot ask for more than libsodium's "sensitive"
        // cost (1 GiB).
        if (head.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
            head.opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
            head.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
            head.memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
            return tl::unexpected(
                corrupt("the header is corrupted: the key derivation limits are out of range"));
        head.authenticated.append(reinterpret_cast<const char*>(head.salt.data()),
                                  head.salt.size());
        head.authenticated.append(reinterpret_cast<const char*>(limits), sizeof limits);
        head.authenticated.append(reinterpret_cast<const char*>(head.check.data()),
                                  head.check.size());
    }
    return head;
}

/// Decrypts (when keyed) and inflates the body; hands out the payload bytes in order.
class BodyReader {
  public:
    explicit BodyReader(std::FILE* in) : in_(in) { inflateInit(&z_); }
    ~BodyReader() { inflateEnd(&z_); }
    BodyReader(const BodyReader&) = delete;
    BodyReader& operator=(const BodyReader&) = delete;

    core::Result<void> start_decrypting(const unsigned char* key, std::string first_ad) {
        std::array<unsigned char, kStreamHeaderBytes> header{};
        SY_TRY(read_exact(in_, header.data(), header.size(), "the header"));
        if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, header.data(), key) != 0)
            return tl::unexpected(corrupt("the header is corrupted: bad secretstream header"));
        encrypted_ = true;
        ad_ = std::move(first_ad);
        return {};
    }

    /// Exactly `n` payload bytes into `out`.
    core::Result<void> read(char* out, std::size_t n) {
        z_.next_out = reinterpret_cast<Bytef*>(out);
        z_.avail_out = static_cast<uInt>(n);
        while (z_.avail_out > 0) {
            if (z_.avail_in == 0) {
                SY_TRY(refill());
                if (input_.empty())
                    return tl::unexpected(
                        corrupt("the archive ends before the last file: truncated"));
            }
            const int rc = inflate(&z_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END && z_.avail_out > 0)
                return tl::unexpected(
                    corrupt("the compressed stream ends before the last file: corrupted"));
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                return tl::unexpected(corrupt(fmt::format(
                    "the compressed stream is corrupted (zlib: {})", z_.msg ? z_.msg : "error")));
            if (rc == Z_STREAM_END) ended_ = true;
        }
        return {};
    }

    /// Checks that the payload ends here and nothing follows it.
    core::Result<void> finish() {
        char probe = 0;
        while (!ended_) {
            z_.next_out = reinterpret_cast<Bytef*>(&probe);
            z_.avail_out = 1;
            if (z_.avail_in == 0) {
                SY_TRY(refill());
                if (input_.empty())
                    return tl::unexpected(corrupt("the compressed stream is truncated"));
            }
            const int rc = inflate(&z_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                ended_ = true;
                break;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                return tl::unexpected(corrupt(fmt::format(
                    "the compressed stream is corrupted (zlib: {})", z_.msg ? z_.msg : "error")));
            if (z_.avail_out == 0)
                return tl::unexpected(corrupt("the payload is longer than the manifest says"));
        }
        if (z_.avail_in != 0) return tl::unexpected(corrupt("bytes follow the compressed stream"));
        if (encrypted_) {
            if (!final_seen_) {
                SY_TRY(refill());
                if (!final_seen_ || !input_.empty())
                    return tl::unexpected(corrupt("the last block is missing: truncated"));
            }
            if (std::fgetc(in_) != EOF)
                return tl::unexpected(corrupt("bytes follow the last block"));
        } else {
            if (std::fgetc(in_) != EOF)
                return tl::unexpected(corrupt("bytes follow the compressed stream"));
        }
        return {};
    }

  private:
    /// Next bytes of the compressed stream into `input_` (empty at the end).
    core::Result<void> refill() {
        input_.clear();
        if (!encrypted_) {
            input_.resize(kChunk);
            input_.resize(std::fread(input_.data(), 1, kChunk, in_));
        } else if (!final_seen_) {
            unsigned char len_be[4];
            const auto got = std::fread(len_be, 1, 4, in_);
            if (got == 0)
                return tl::unexpected(corrupt(fmt::format(
                    "the archive ends after block {} without its last block: truncated", blocks_)));
            if (got != 4)
                return tl::unexpected(corrupt("the archive ends inside a block length: truncated"));
            const auto len = get_be(len_be, 4);
            if (len < kAbytes || len > kChunk + kAbytes)
                return tl::unexpected(corrupt(fmt::format(
                    "block {} is corrupted: its length {} is out of range", blocks_ + 1, len)));
            std::string cipher(len, '\0');
            SY_TRY(read_exact(in_, cipher.data(), cipher.size(), "a block"));
            input_.resize(len - kAbytes);
            unsigned long long plain_len = 0;
            unsigned char tag = 0;
            ++blocks_;
            if (crypto_secretstream_xchacha20poly1305_pull(
                    &state_, reinterpret_cast<unsigned char*>(input_.data()), &plain_len, &tag,
                    reinterpret_cast<const unsigned char*>(cipher.data()), cipher.size(),
                    reinterpret_cast<const unsigned char*>(ad_.data()), ad_.size()) != 0)
                return tl::unexpected(corrupt(fmt::format(
                    "block {} does not authenticate: the archive is corrupted or was changed",
                    blocks_)));
            ad_.clear();
            input_.resize(plain_len);
            final_seen_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        }
        z_.next_in = reinterpret_cast<Bytef*>(input_.data());
        z_.avail_in = static_cast<uInt>(input_.size());
        return {};
    }

    std::FILE* in_;
    bool encrypted_ = false;
    bool final_seen_ = false;
    bool ended_ = false;
    std::size_t blocks_ = 0;
    std::string ad_;
    std::string input_;
    z_stream z_{};
    crypto_secretstream_xchacha20poly1305_state state_{};
};

/// A relative path a manifest may name: no root, no `..`, no empty part.
bool safe_relative(const std::string& path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        const auto part = std::string_view(path).substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

/// Removes what a failed restore wrote: the directory when it made it, else its children.
void clean_up(const fs::path& dir, bool made_dir) {
    std::error_code ec;
    if (made_dir) {
        fs::remove_all(dir, ec);
        return;
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
}

core::Result<BackupManifest> restore_into(std::FILE* in, const Head& head, const fs::path& dir,
                                          const std::string& passphrase) {
    BodyReader body(in);
    if (head.manifest.encrypted) {
        auto key = SY_TRY(derive_key(passphrase, head.salt.data(), head.opslimit, head.memlimit));
        if (sodium_memcmp(key.check.data(), head.check.data(), kCheckBytes) != 0)
            return core::fail(Errc::Unauthorized, "passphrase",
                              "wrong passphrase: it does not open this backup");
        SY_TRY(body.start_decrypting(key.key.data(), head.authenticated));
        sodium_memzero(key.key.data(), key.key.size());
    }
    std::string buf;
    for (const auto& f : head.manifest.files) {
        const auto target = dir / fs::path(f.path);
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec) return tl::unexpected(io_error("create", target.parent_path()));
        File out(std::fopen(target.c_str(), "wbx"));
        if (!out) return tl::unexpected(io_error("write", target));
        Sha256 sha;
        std::uint64_t left = f.size_bytes;
        while (left > 0) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunk));
            buf.resize(n);
            if (auto r = body.read(buf.data(), n); !r)
                return tl::unexpected(
                    corrupt(fmt::format("{} (in file {})", r.error().message, f.path)));
            sha.update(buf);
            if (std::fwrite(buf.data(), 1, n, out.get()) != n)
                return tl::unexpected(io_error("write", target));
            left -= n;
        }
        if (std::fflush(out.get()) != 0 || ::fsync(::fileno(out.get())) != 0)
            return tl::unexpected(io_error("write", target));
        if (sha.hex() != f.sha256)
            return tl::unexpected(corrupt(fmt::format(
                "file {} is corrupted: its SHA-256 differs from the manifest", f.path)));
    }
    SY_TRY(body.finish());
    // The databases hold what they held when the snapshot was taken.
    std::map<std::string, std::map<std::string, std::string>> by_db;
    for (const auto& [name, digest] : head.manifest.databases) {
        const auto slash = name.rfind('/');
        by_db[name.substr(0, slash)][name.substr(slash + 1)] = digest;
    }
    for (const auto& [db, families] : by_db) {
        auto restored = rocksdb_digests(dir / fs::path(db));
        if (!restored)
            return tl::unexpected(corrupt(
                fmt::format("database {} does not open: {}", db, restored.error().message)));
        if (*restored != families)
            return tl::unexpected(corrupt(fmt::format(
                "database {} is corrupted: its content digest differs from the manifest", db)));
    }
    return head.manifest;
}

std::string now_rfc3339() {
    char text[32];
    const auto t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

std::uint64_t BackupManifest::total_bytes() const {
    std::uint64_t n = 0;
    for (const auto& f : files) n += f.size_bytes;
    return n;
}

std::string content_digest(const BackupManifest& m) {
    Sha256 sha;
    sha.update(fmt::format("log {} {}\n", m.log_head, m.log_events));
    for (const auto& f : m.files)
        sha.update(fmt::format("file {} {} {}\n", f.path, f.size_bytes, f.sha256));
    for (const auto& [name, digest] : m.databases)
        sha.update(fmt::format("database {} {}\n", name, digest));
    return sha.hex();
}

std::string manifest_json(const BackupManifest& m) {
    json::object o;
    o["format"] = m.format;
    o["created"] = m.created;
    o["log_head"] = m.log_head;
    o["log_events"] = m.log_events;
    o["encrypted"] = m.encrypted;
    o["digest"] = m.digest;
    json::array files;
    for (const auto& f : m.files)
        files.push_back(
            json::object{{"path", f.path}, {"size_bytes", f.size_bytes}, {"sha256", f.sha256}});
    o["files"] = std::move(files);
    json::object dbs;
    for (const auto& [name, digest] : m.databases) dbs[name] = digest;
    o["databases"] = std::move(dbs);
    return json::serialize(o);
}

core::Result<BackupManifest> parse_manifest(std::string_view text) {
    auto bad = [](const std::string& field) {
        return core::fail(Errc::Invalid, "manifest",
                          fmt::format("field '{}' is missing or malformed", field));
    };
    std::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return core::fail(Errc::Invalid, "manifest", "not a JSON object");
    const auto& o = v.as_object();
    BackupManifest m;
    auto str = [&](const char* k, std::string& out) {
        const auto* p = o.if_contains(k);
        if (!p || !p->is_string()) return false;
        out = std::string(p->as_string());
        return true;
    };
    const auto* format = o.if_contains("format");
    if (!format || !format->is_int64()) return bad("format");
    m.format = static_cast<int>(format->as_int64());
    if (!str("created", m.created)) return bad("created");
    if (!str("log_head", m.log_head)) return bad("log_head");
    if (!str("digest", m.digest)) return bad("digest");
    const auto* events = o.if_contains("log_events");
    if (!events || !events->is_int64()) return bad("log_events");
    m.log_events = events->as_int64();
    const auto* encrypted = o.if_contains("encrypted");
    if (!encrypted || !encrypted->is_bool()) return bad("encrypted");
    m.encrypted = encrypted->as_bool();
    const auto* files = o.if_contains("files");
    if (!files || !files->is_array()) return bad("files");
    for (const auto& f : files->as_array()) {
        if (!f.is_object()) return bad("files");
        const auto& fo = f.as_object();
        BackupFile file;
        const auto* path = fo.if_contains("path");
        const auto* size = fo.if_contains("size_bytes");
        const auto* sha = fo.if_contains("sha256");
        if (!path || !path->is_string() || !safe_relative(std::string(path->as_string())))
            return bad("files[].path");
        if (!size || !(size->is_uint64() || size->is_int64())) return bad("files[].size_bytes");
        if (!sha || !sha->is_string() || sha->as_string().size() != 64)
            return bad("files[].sha256");
        file.path = std::string(path->as_string());
        file.size_bytes =
            size->is_uint64() ? size->as_uint64() : static_cast<std::uint64_t>(size->as_int64());
        file.sha256 = std::string(sha->as_string());
        m.files.push_back(std::move(file));
    }
    const auto* dbs = o.if_contains("databases");
    if (!dbs || !dbs->is_object()) return bad("databases");
    for (const auto& [name, digest] : dbs->as_object()) {
        const std::string n(name);
        if (!digest.is_string() || !safe_relative(n) || n.find('/') == std::string::npos)
            return bad("databases");
        m.databases[n] = std::string(digest.as_string());
    }
    if (content_digest(m) != m.digest) return bad("digest");
    return m;
}

core::Result<std::string> read_passphrase_file(const fs::path& path) {
    auto text = read_file(path);
    if (!text)
        return core::fail(Errc::Invalid, "passphrase_file",
                          fmt::format("cannot read {}", path.string()));
    while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
    if (text->empty())
        return core::fail(Errc::Invalid, "passphrase_file",
                          fmt::format("{} is empty", path.string()));
    return *text;
}

core::Result<BackupManifest> read_backup_manifest(const fs::path& input) {
    File in(std::fopen(input.c_str(), "rb"));
    if (!in) return tl::unexpected(io_error("read", input));
    return SY_TRY(read_head(in.get())).manifest;
}

core::Result<BackupManifest> restore_backup(const fs::path& input, const fs::path& data_dir,
                                            const std::string& passphrase) {
    if (sodium_init() < 0)
        return core::fail(Errc::Internal, "sodium", "libsodium failed to initialise");
    File in(std::fopen(input.c_str(), "rb"));
    if (!in) return tl::unexpected(io_error("read", input));
    auto head = SY_TRY(read_head(in.get()));
    if (head.manifest.encrypted && passphrase.empty())
        return core::fail(Errc::Unauthorized, "passphrase",
                          "the backup is encrypted: give its passphrase (--passphrase-file)");
    std::error_code ec;
    const bool made_dir = !fs::exists(data_dir, ec);
    if (!made_dir && !fs::is_empty(data_dir, ec))
        return core::fail(
            Errc::Conflict, "data_dir",
            fmt::format("{} is not empty: restore into a new directory", data_dir.string()));
    fs::create_directories(data_dir, ec);
    if (ec) return tl::unexpected(io_error("create", data_dir));
    fs::permissions(data_dir, fs::perms::owner_all, ec);
    auto restored = restore_into(in.get(), head, data_dir, passphrase);
    if (!restored) clean_up(data_dir, made_dir);
    return restored;
}

core::Result<BackupManifest> create_backup(const fs::path& data_dir, const fs::path& output,
                                           const BackupOptions& options) {
    if (sodium_init() < 0)
        return core::fail(Errc::Internal, "sodium", "libsodium failed to initialise");
    std::error_code ec;
    if (!is_rocksdb_dir(data_dir / "log"))
        return core::fail(Errc::Invalid, "data_dir",
                          fmt::format("{} holds no log (no {}/log/CURRENT)", data_dir.string(),
                                      data_dir.string()));
    const auto work = options.work_dir.empty() ? fs::temp_directory_path() : options.work_dir;
    const auto stage = work / fmt::format("switchyard-backup-{}-stage", ::getpid());
    const auto verify = work / fmt::format("switchyard-backup-{}-verify", ::getpid());
    fs::remove_all(stage, ec);
    fs::remove_all(verify, ec);
    struct Cleanup {
        fs::path a, b;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(a, e);
            fs::remove_all(b, e);
        }
    } cleanup{stage, verify};

    // 1. What to copy: each database as a whole, every other regular file as it is.
    const auto skip_dir = fs::weakly_canonical(fs::absolute(output).parent_path(), ec);
    std::vector<std::string> databases, plain;
    for (fs::recursive_directory_iterator it(data_dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto& p = it->path();
        const auto rel = fs::relative(p, data_dir).generic_string();
        const auto name = p.filename().string();
        if (it->is_symlink(ec)) continue;
        if (it->is_directory(ec)) {
            if (fs::weakly_canonical(p, ec) == skip_dir || name.starts_with("secondary-")) {
                it.disable_recursion_pending();
            } else if (is_rocksdb_dir(p)) {
                databases.push_back(rel);
                it.disable_recursion_pending();
            }
        } else if (it->is_regular_file(ec) && !name.ends_with(".tmp")) {
            plain.push_back(rel);
        }
    }
    if (ec)
        return core::fail(Errc::Unavailable, "data_dir",
                          fmt::format("cannot list {}: {}", data_dir.string(), ec.message()));
    // The read models first, the log last: a read model is then never ahead of its log.
    std::stable_partition(databases.begin(), databases.end(),
                          [](const std::string& d) { return d != "log"; });

    // 2. The snapshot.
    fs::create_directories(stage, ec);
    if (ec) return tl::unexpected(io_error("create", stage));
    BackupManifest m;
    m.created = options.created.empty() ? now_rfc3339() : options.created;
    m.encrypted = !options.passphrase.empty();
    for (const auto& db : databases) {
        fs::create_directories((stage / db).parent_path(), ec);
        SY_TRY(snapshot_rocksdb(data_dir / db, stage / db));
    }
    for (const auto& f : plain) {
        fs::create_directories((stage / f).parent_path(), ec);
        fs::copy_file(data_dir / f, stage / f, ec);
        if (ec) return tl::unexpected(io_error("copy", data_dir / f));
    }
    {
        events::RocksDbEventStoreOptions read_only;
        read_only.read_only = true;
        auto log = SY_TRY(events::open_rocksdb_event_store(stage / "log", read_only));
        m.log_head = log->head().to_string();
        m.log_events = log->head().total();
    }
    for (const auto& db : databases)
        for (const auto& [family, digest] : SY_TRY(rocksdb_digests(stage / db)))
            m.databases[db + "/" + family] = digest;
    for (fs::recursive_directory_iterator it(stage, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!it->is_regular_file(ec) || name == "LOG" || name.starts_with("LOG.old")) continue;
        m.files.push_back(
            BackupFile{fs::relative(it->path(), stage).generic_string(), it->file_size(), ""});
    }
    std::sort(m.files.begin(), m.files.end(),
              [](const BackupFile& a, const BackupFile& b) { return a.path < b.path; });
    std::string buf(kChunk, '\0');
    for (auto& f : m.files) {
        File in(std::fopen((stage / f.path).c_str(), "rb"));
        if (!in) return tl::unexpected(io_error("read", stage / f.path));
        Sha256 sha;
        std::size_t n = 0;
        while ((n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0)
            sha.update(std::string_view(buf.data(), n));
        f.sha256 = sha.hex();
    }
    m.digest = content_digest(m);

    // 3. The archive.
    const auto manifest = manifest_json(m);
    std::string header(kMagic);
    header.push_back(static_cast<char>(kFormat));
    header.push_back(static_cast<char>(m.encrypted ? kEncrypted : 0));
    put_be(header, manifest.size(), 4);
    header += manifest;
    {
        Sha256 sha;
        sha.update(manifest);
        unsigned char sum[32];
        sodium_hex2bin(sum, sizeof sum, sha.hex().c_str(), 64, nullptr, nullptr, nullptr);
        header.append(reinterpret_cast<const char*>(sum), sizeof sum);
    }
    DerivedKey key;
    if (m.encrypted) {
        std::array<unsigned char, kSaltBytes> salt{};
        randombytes_buf(salt.data(), salt.size());
        const std::uint64_t ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        const std::uint64_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        key = SY_TRY(derive_key(options.passphrase, salt.data(), ops, mem));
        header.append(reinterpret_cast<const char*>(salt.data()), salt.size());
        put_be(header, ops, 8);
        put_be(header, mem, 8);
        header.append(reinterpret_cast<const char*>(key.check.data()), key.check.size());
    }
    const auto tmp = fs::path(output.string() + ".tmp");
    {
        File out(std::fopen(tmp.c_str(), "wb"));
        if (!out) return tl::unexpected(io_error("write", tmp));
        bool ok = std::fwrite(header.data(), 1, header.size(), out.get()) == header.size();
        BodyWriter body(out.get(), m.encrypted ? key.key.data() : nullptr, header);
        for (const auto& f : m.files) {
            File in(std::fopen((stage / f.path).c_str(), "rb"));
            if (!in) return tl::unexpected(io_error("read", stage / f.path));
            std::size_t n = 0;
            while (ok && (n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0)
                ok = body.write(std::string_view(buf.data(), n));
        }
        ok =
            ok && body.finish() && std::fflush(out.get()) == 0 && ::fsync(::fileno(out.get())) == 0;
        sodium_memzero(key.key.data(), key.key.size());
        if (!ok) {
            fs::remove(tmp, ec);
            return tl::unexpected(io_error("write", tmp));
        }
    }
    // 4. The proof: the archive restores to the same files and databases.
    auto restored = restore_backup(tmp, verify, options.passphrase);
    if (!restored) {
        fs::remove(tmp, ec);
        return core::fail(Errc::Internal, "archive",
                          "the written backup does not restore: " + restored.error().message);
    }
    fs::rename(tmp, output, ec);
    if (ec) return tl::unexpected(io_error("write", output));
    return m;
}

}  // namespace switchyard::app
