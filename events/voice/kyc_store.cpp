#include "events/voice/kyc_store.hpp"

#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

#include "events/uuid.hpp"

namespace switchyard::events::voice {

using core::Errc;
namespace fs = std::filesystem;

core::Result<std::pair<std::string, std::string>> sniff_kyc_type(std::string_view b) {
    if (b.starts_with("%PDF-"))
        return std::pair<std::string, std::string>{"application/pdf", "pdf"};
    if (b.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8)))
        return std::pair<std::string, std::string>{"image/png", "png"};
    if (b.starts_with("\xFF\xD8\xFF"))
        return std::pair<std::string, std::string>{"image/jpeg", "jpg"};
    return core::fail(Errc::UnsupportedMediaType, "document",
                      "must be a PDF, PNG or JPEG file (checked by its first bytes)");
}

KycStore::KycStore(fs::path data_dir, std::int64_t max_bytes)
    : dir_(std::move(data_dir) / "kyc"), max_bytes_(max_bytes) {}

fs::path KycStore::path_of(const std::string& tenant, const std::string& sha256,
                           const std::string& extension) const {
    return dir_ / tenant / (sha256 + "." + extension);
}

core::Result<KycFile> KycStore::put(const std::string& tenant, std::string_view bytes) const {
    if (bytes.empty()) return core::fail(Errc::Invalid, "document", "is empty");
    if (static_cast<std::int64_t>(bytes.size()) > max_bytes_)
        return core::fail(
            Errc::Invalid, "document",
            fmt::format("is {} bytes; the largest taken is {} bytes", bytes.size(), max_bytes_));
    auto [content_type, ext] = SY_TRY(sniff_kyc_type(bytes));
    KycFile out;
    out.sha256 = sha256_hex(bytes);
    out.content_type = std::move(content_type);
    out.extension = std::move(ext);
    out.size_bytes = static_cast<std::int64_t>(bytes.size());
    out.path = path_of(tenant, out.sha256, out.extension);
    std::error_code ec;
    if (fs::exists(out.path, ec) && fs::file_size(out.path, ec) == bytes.size()) return out;
    fs::create_directories(out.path.parent_path(), ec);
    if (ec)
        return core::fail(
            Errc::Internal, "document",
            fmt::format("cannot create {}: {}", out.path.parent_path().string(), ec.message()));
    static std::atomic<std::uint64_t> counter{0};
    const auto tmp = out.path.string() + fmt::format(".tmp-{}-{}", ::getpid(), ++counter);
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        if (!f) {
            fs::remove(tmp, ec);
            return core::fail(Errc::Internal, "document", "cannot write " + tmp);
        }
    }
    fs::rename(tmp, out.path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return core::fail(Errc::Internal, "document", "cannot store " + out.path.string());
    }
    return out;
}

core::Result<std::string> KycStore::read(const std::string& tenant, const std::string& sha256,
                                         const std::string& content_type) const {
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        return core::fail(Errc::Invalid, "sha256", "must be 64 lowercase hex digits");
    std::string ext;
    if (content_type == "application/pdf")
        ext = "pdf";
    else if (content_type == "image/png")
        ext = "png";
    else if (content_type == "image/jpeg")
        ext = "jpg";
    else
        return core::fail(Errc::Invalid, "content_type", "is not a KYC document type");
    std::ifstream f(path_of(tenant, sha256, ext), std::ios::binary);
    if (!f) return core::fail(Errc::NotFound, "document", "document " + sha256 + " is not stored");
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

}  // namespace switchyard::events::voice
