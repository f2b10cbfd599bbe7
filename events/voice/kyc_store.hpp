#pragma once
/// KYC documents on disk: `<data dir>/kyc/<tenant>/<sha256>.<ext>`, content-addressed (the
/// same file uploaded twice is stored once). Only PDF, PNG and JPEG are taken, recognised by
/// their magic bytes (not by a name or a declared Content-Type): `%PDF-` (ISO 32000-1 §7.5.2),
/// `89 50 4E 47 0D 0A 1A 0A` (PNG, RFC 2083 §3.1), `FF D8 FF` (JPEG, ITU-T T.81 SOI + marker).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::events::voice {

/// A stored document.
struct KycFile {
    std::string sha256;        ///< Lowercase hex SHA-256 of the bytes.
    std::string content_type;  ///< `application/pdf`, `image/png`, `image/jpeg`.
    std::string extension;     ///< `pdf`, `png`, `jpg`.
    std::int64_t size_bytes = 0;
    std::filesystem::path path;  ///< Where it is.
};

/// The document type of `bytes` by its magic bytes: {content type, extension}.
/// @errors UnsupportedMediaType naming `document` when it is not PDF, PNG or JPEG.
core::Result<std::pair<std::string, std::string>> sniff_kyc_type(std::string_view bytes);

/// Stores and reads KYC documents under a data directory.
/// @thread safe (files are written to a temporary name and renamed).
class KycStore {
  public:
    static constexpr std::int64_t kDefaultMaxBytes = 10 * 1024 * 1024;  ///< 10 MiB.

    /// @param data_dir the server's data directory; documents go under `kyc/` in it.
    /// @param max_bytes the largest document taken. Default: 10 MiB.
    explicit KycStore(std::filesystem::path data_dir, std::int64_t max_bytes = kDefaultMaxBytes);

    /// Checks and stores `bytes` for `tenant`.
    /// @errors Invalid naming `document` when empty or larger than max_bytes;
    ///         UnsupportedMediaType naming `document` for a type other than PDF, PNG, JPEG;
    ///         Internal naming `document` when the file cannot be written.
    core::Result<KycFile> put(const std::string& tenant, std::string_view bytes) const;

    /// The bytes of a stored document.
    /// @errors NotFound naming `document` when there is no such file; Invalid naming `sha256`
    ///         for a malformed hash or `content_type` for a type this store does not take.
    core::Result<std::string> read(const std::string& tenant, const std::string& sha256,
                                   const std::string& content_type) const;

    /// Where a document of `tenant` with this hash and extension is (or would be) stored.
    std::filesystem::path path_of(const std::string& tenant, const std::string& sha256,
                                  const std::string& extension) const;

    std::int64_t max_bytes() const { return max_bytes_; }

  private:
    std::filesystem::path dir_;
    std::int64_t max_bytes_;
};

}  // namespace switchyard::events::voice
